// A database of one engine for one test: a SQLite file in a temporary directory, or a fresh
// database on the test PostgreSQL (test_postgres.h). Open() may be called again for a second
// store on the same database, standing for another process.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/pg_store.h"
#include "store/temp_dir.h"
#include "store/testing/test_postgres.h"

namespace rockpool::testing {

enum class Engine { kSqlite, kPostgres };

inline std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

// Every engine, for INSTANTIATE_TEST_SUITE_P(Engines, Suite, kEngines, EngineName).
inline const auto kEngines = ::testing::Values(Engine::kSqlite, Engine::kPostgres);

class TestDatabase {
 public:
  explicit TestDatabase(Engine engine) {
    if (engine == Engine::kSqlite) {
      database_ = dir_.File("rockpool.db");
      return;
    }
    auto url = NewTestDatabase();
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    if (url.ok()) database_ = *url;
  }

  // A new store on the database; a failed open fails the test and returns null.
  std::unique_ptr<SqlStore> Open(Clock& clock, StoreOptions options = {}) const {
    auto store = OpenStore(database_, clock, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // The SQLite path or the PostgreSQL URL.
  const std::string& database() const { return database_; }
  // A scratch directory that lives as long as this object.
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::string database_;
};

}  // namespace rockpool::testing
