#include "tests/support/test_store.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

namespace sohoa::testing {
namespace {

std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

void admin(const std::string& sql) {
  try {
    pqxx::connection c(test_postgres_url());
    pqxx::nontransaction n(c);
    n.exec(sql);
  } catch (const std::exception& e) {
    throw std::runtime_error("SOHOA_TEST_POSTGRES=" + test_postgres_url() +
                             " cannot be used: " + e.what());
  }
}

}  // namespace

std::string store_name(StoreKind kind) {
  return kind == StoreKind::kSqlite ? "sqlite" : "postgres";
}

std::string test_postgres_url() {
  const char* url = std::getenv("SOHOA_TEST_POSTGRES");
  return url != nullptr ? url : "";
}

std::unique_ptr<TestStore> TestStore::make(StoreKind kind, const std::filesystem::path& dir,
                                           const std::string& name) {
  std::unique_ptr<TestStore> store(new TestStore());
  store->kind_ = kind;
  if (kind == StoreKind::kSqlite) {
    store->arg_ = (dir / name).string();
    return store;
  }
  if (test_postgres_url().empty()) return nullptr;
  // The same schema names again in each test of a program: the store's
  // pooled connections (keyed by URL) are reused, not piled up.
  static std::atomic<int> live{0};
  std::string schema = "t_" + std::to_string(::getpid()) + "_" + std::to_string(live++);
  admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  store->schema_ = schema;
  store->arg_ = with_search_path(test_postgres_url(), schema);
  return store;
}

TestStore::~TestStore() {
  if (schema_.empty()) return;
  try {
    admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  } catch (const std::exception&) {
    // the server went away: the throwaway cluster goes with it
  }
}

std::string postgres_exec(const std::string& schema_url, const std::string& sql) {
  pqxx::connection c(schema_url);
  // Autocommit, so that VACUUM can run; several statements in `sql` still
  // run as one transaction (the simple query protocol's).
  pqxx::nontransaction n(c);
  pqxx::result r = n.exec(sql);
  if (r.empty() || r.columns() == 0 || r[0][0].is_null()) return "";
  return r[0][0].c_str();
}

}  // namespace sohoa::testing
