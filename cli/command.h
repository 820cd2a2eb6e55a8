// How a command plugs into the `sohoa` program. Each command lives in its own
// cli/cmd_*.cpp file and exposes one add_*_command function, called from
// main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/database.h"

namespace sohoa::cli {

// SPEC exit codes.
// kInvalid: `verify` checked the file and it is not valid.
enum Exit : int { kOk = 0, kUsage = 1, kFatal = 2, kPartial = 3, kInvalid = 4 };

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

// Prints one problem line to stderr: "sohoa: <message>", made one line
// (control characters such as a newline in a file name escaped) and valid
// UTF-8 (see printable).
void report_error(const std::string& message);

// `value` as one line of JSON, every string made valid UTF-8 first (each
// invalid byte becomes U+FFFD: SPEC, for file names that are not UTF-8), so
// printing never throws.
std::string json_line(nlohmann::ordered_json value);
std::string json_line(nlohmann::json value);

// A name or text for a line of text output: invalid UTF-8 bytes as U+FFFD,
// control characters escaped ("\n"), so one record stays one line.
std::string printable(const std::string& text);

// The one document `ref` names under the SPEC's DOC rule (all digits: an id
// only; else a unique SHA-256 prefix of 8+ hex characters, `sha256:PREFIX`
// for one of digits only); throws UsageError when it is no DOC, or none or
// several match.
int64_t resolve_document(storage::Database& db, const std::string& ref);

// For `search` (args[0]): a QUERY that begins with '-' ("-hoa", an excluded
// word) is moved after "--" so the parser takes it for QUERY, not for short
// options (-h would print help). `args` are argv without the program name.
void protect_search_query(std::vector<std::string>& args);

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
void add_certify_command(CLI::App& root, Action& action);
void add_verify_command(CLI::App& root, Action& action);

}  // namespace sohoa::cli
