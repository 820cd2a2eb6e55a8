// How a command plugs into the `sohoa` program. Each command lives in its own
// cli/cmd_*.cpp file and exposes one add_*_command function, called from
// main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "storage/database.h"

namespace sohoa::cli {

// SPEC exit codes.
enum Exit : int { kOk = 0, kUsage = 1, kFatal = 2, kPartial = 3 };

// Bad usage or a bad input file: reported on one line, exit 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The command's body, run after parsing; returns the exit code. Exceptions:
// UsageError and storage::InputError give 1, storage::StorageError gives 2.
using Action = std::function<int()>;

// Adds `--db PATH` to a subcommand: default $SOHOA_DB, else ./sohoa.db.
void add_db_option(CLI::App& command, std::filesystem::path& db_path);

// Prints one problem line to stderr: "sohoa: <message>".
void report_error(const std::string& message);

// The one document `ref` names (an id or a unique SHA-256 prefix); throws
// UsageError when none or several match.
int64_t resolve_document(storage::Database& db, const std::string& ref);

// Each add_*_command creates its subcommand under `root` and sets `action`
// when that subcommand is the one parsed.
void add_units_command(CLI::App& root, Action& action);
void add_ingest_command(CLI::App& root, Action& action);
void add_separator_command(CLI::App& root, Action& action);
void add_show_command(CLI::App& root, Action& action);
void add_search_command(CLI::App& root, Action& action);
void add_register_command(CLI::App& root, Action& action);
void add_progress_command(CLI::App& root, Action& action);
void add_review_command(CLI::App& root, Action& action);
void add_reextract_command(CLI::App& root, Action& action);
void add_watch_command(CLI::App& root, Action& action);
void add_merge_command(CLI::App& root, Action& action);
void add_export_command(CLI::App& root, Action& action);
void add_serve_command(CLI::App& root, Action& action);
void add_users_command(CLI::App& root, Action& action);
void add_tokens_command(CLI::App& root, Action& action);

// Who a command-line change is recorded as in the audit log: "cli:" and the
// login name ($SOHOA_USER, else $USER).
std::string cli_actor();

}  // namespace sohoa::cli
