// The schema of the SQLite store, as numbered migrations applied in order at open and
// recorded in schema_migrations. Never edit a released migration: add the next one.
#pragma once

#include <vector>

#include "store/sql_store.h"

namespace rockpool {

const std::vector<Migration>& SqliteMigrations();

}  // namespace rockpool
