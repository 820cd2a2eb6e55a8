// A central store on PostgreSQL (libpqxx) behind the same storage::Database
// interface as the SQLite file: Database::open and Database::exists hand a
// `postgresql://` or `postgres://` URL here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace sohoa::storage {

// True when `db_arg` names a PostgreSQL database (SPEC `--db` URL form).
bool is_postgres_url(std::string_view db_arg);

// `url` with any password taken out, for messages.
std::string redacted_url(const std::string& url);

// Connects to `url` (password from PGPASSWORD or ~/.pgpass, as libpq does),
// runs pending migrations (serialized between processes by an advisory lock)
// and returns the store. Connections are pooled per process: a store takes
// one for its lifetime and gives it back when destroyed. One store per
// thread, as with SQLite. Throws StorageError naming the URL.
std::unique_ptr<Database> open_postgres(const std::string& url);

// True when `url` reaches a database holding sohoa's tables. Never creates
// anything, never throws.
bool postgres_exists(const std::string& url);

}  // namespace sohoa::storage
