// Thin RAII helpers over the SQLite C API, private to storage/.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace sohoa::storage::sql {

// A prepared statement; bind with 1-based indexes, step, read columns.
class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, std::string_view value);
  Stmt& bind(int index, int64_t value);
  Stmt& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Stmt& bind(int index, double value);
  Stmt& bind_null(int index);

  // True while a row is available; throws StorageError on failure.
  bool step();
  // Steps to completion (for statements that return no rows).
  void run();
  void reset();

  std::string text(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A prepared statement kept for reuse, handed out reset and reset again
// when the lease ends, so no half-stepped read outlives its use.
class Lease {
 public:
  explicit Lease(Stmt& stmt) : stmt_(&stmt) {}
  ~Lease() { stmt_->reset(); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Stmt* operator->() const { return stmt_; }
  Stmt& operator*() const { return *stmt_; }

 private:
  Stmt* stmt_;
};

// Runs one or more statements that return no rows.
void exec(sqlite3* db, std::string_view sql);

// Throws StorageError naming the database file and SQLite's message.
[[noreturn]] void fail(sqlite3* db, std::string_view what);

// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  sqlite3* db_;
  bool open_ = true;
};

}  // namespace sohoa::storage::sql
