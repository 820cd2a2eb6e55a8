// The two kinds of store the storage and end-to-end suites run on: a SQLite
// file in a temporary folder, or a fresh schema in the PostgreSQL server
// that $SOHOA_TEST_POSTGRES names (scripts/test starts one with
// scripts/pg-temp). Unset, the PostgreSQL cases are skipped with a message;
// set but unreachable, they fail.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace sohoa::testing {

enum class StoreKind { kSqlite, kPostgres };

// "sqlite" or "postgres", for test names.
std::string store_name(StoreKind kind);

// $SOHOA_TEST_POSTGRES, empty when unset.
std::string test_postgres_url();

// One empty store for one test. The PostgreSQL schema is this process's own
// (`t_PID_N`), emptied when the store is made and dropped when it dies, so
// test programs running at once never see each other's rows.
class TestStore {
 public:
  // nullptr when `kind` is kPostgres and $SOHOA_TEST_POSTGRES is unset.
  // Throws std::runtime_error when the server cannot be reached.
  static std::unique_ptr<TestStore> make(StoreKind kind, const std::filesystem::path& dir,
                                         const std::string& name = "sohoa.db");
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  // What `--db` takes: the SQLite file's path, or the schema's URL.
  const std::string& arg() const { return arg_; }
  StoreKind kind() const { return kind_; }

 private:
  TestStore() = default;
  StoreKind kind_ = StoreKind::kSqlite;
  std::string arg_;
  std::string schema_;
};

// Runs SQL on the test server ($SOHOA_TEST_POSTGRES) in `schema` (for
// tests that damage a store on purpose, and benches); returns the first
// column of the first row, or "".
std::string postgres_exec(const std::string& schema_url, const std::string& sql);

}  // namespace sohoa::testing
