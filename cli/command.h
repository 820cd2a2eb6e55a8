// How a command plugs into the `sohoa` program. Each command lives in its own
// cli/cmd_*.cpp file and exposes one add_*_command function, called from
// main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <memory>
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
// Before the command runs, a path with no sohoa database behind it is refused
// (exit 2), unless allow_missing_database() was called for it.
void add_db_option(CLI::App& command, std::filesystem::path& db_path);

// Prints one problem line to stderr: "sohoa: <message>", made one line
// (control characters such as a newline in a file name escaped) and valid
// UTF-8 (see printable).
// For a command that creates the database (`units import`) or does not use
// it (`separator`): its --db may name no database yet.
void allow_missing_database(CLI::App& command);

// Prints one problem line to stderr: "sohoa: <message>".
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
// The candidate nearest to `word` within a typo or two, or "" when none is.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// Throws UsageError unless `code` is in the units registry; the message says
// how to see the registry (or import one) and names the nearest code.
void require_known_unit(storage::Database& db, const std::string& code);

// Help without parser jargon; set on the root before commands are added.
std::shared_ptr<CLI::Formatter> plain_formatter();

// Reports a parse error as one "sohoa: CMD: …" line (with "did you mean"
// for a mistyped command), or prints the help asked for; returns the exit code.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

// Who does a correction or a deletion when --by is not given: $SOHOA_USER,
// else $USER, else $LOGNAME, else "unknown".
std::string default_person();

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
void add_sync_command(CLI::App& root, Action& action);
void add_export_command(CLI::App& root, Action& action);
void add_certify_command(CLI::App& root, Action& action);
void add_verify_command(CLI::App& root, Action& action);
void add_delete_command(CLI::App& root, Action& action);
void add_list_command(CLI::App& root, Action& action);
void add_serve_command(CLI::App& root, Action& action);
void add_users_command(CLI::App& root, Action& action);
void add_tokens_command(CLI::App& root, Action& action);

// Who a command-line change is recorded as in the audit log: "cli:" and the
// login name ($SOHOA_USER, else $USER).
std::string cli_actor();

}  // namespace sohoa::cli
