// The schema of the PostgreSQL store, as numbered migrations applied in order at open and
// recorded in schema_migrations. Version numbers match the SQLite store's (sqlite_migrations.h):
// version 8 creates on PostgreSQL the schema SQLite reaches after its migrations 1 to 8, and
// every later version is added to both lists. Never edit a released migration: add the next one.
#pragma once

#include <vector>

#include "store/sql_store.h"

namespace rockpool {

const std::vector<Migration>& PgMigrations();

}  // namespace rockpool
