// The schema of the SQLite store, as numbered migrations applied in order at open and
// recorded in schema_migrations. Never edit a released migration: add the next one.
#pragma once

#include <string_view>
#include <vector>

namespace rockpool {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& SqliteMigrations();

}  // namespace rockpool
