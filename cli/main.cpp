// sohoa: scanned administrative results in, searchable records and progress
// reports out. The contract (commands, JSON, exit codes) is docs/commands.md.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <vector>

#include "cli/command.h"
#include "storage/database.h"
#include "storage/postgres_database.h"

namespace sohoa::cli {

namespace {

// Each subcommand's --db, so that one check before any command runs refuses a
// path with no database behind it (a typo must not create an empty one).
struct DbOption {
  CLI::App* command = nullptr;
  std::filesystem::path* path = nullptr;
  bool may_be_missing = false;
};

std::vector<DbOption>& db_options() {
  static std::vector<DbOption> options;
  return options;
}

// SPEC: only `units import` creates a database; any other command on a path
// with no sohoa database exits 2, naming it and how to create one.
std::optional<std::string> missing_database() {
  for (const DbOption& o : db_options()) {
    if (o.may_be_missing || !o.command->parsed()) continue;
    if (storage::Database::exists(*o.path)) continue;
    std::error_code ec;
    bool url = storage::is_postgres_url(o.path->string());
    std::string what = url ? "cannot be reached or holds no sohoa database"
                       : std::filesystem::exists(*o.path, ec) ? "is not a sohoa database"
                                                              : "no such database";
    if (url) {
      return storage::redacted_url(o.path->string()) + ": " + what +
             " (check --db or $SOHOA_DB; create one with `sohoa units import UNITS.csv --db URL`)";
    }
    return o.path->string() + ": " + what +
           " (check --db or $SOHOA_DB; create one with `sohoa units import UNITS.csv --db " +
           o.path->string() + "`)";
  }
  return std::nullopt;
}

}  // namespace

void add_db_option(CLI::App& command, std::filesystem::path& db_path) {
  const char* env = std::getenv("SOHOA_DB");
  db_path = env != nullptr && *env != '\0' ? std::filesystem::path(env) : "sohoa.db";
  command
      .add_option("--db", db_path,
                  "SQLite database file, or a central store's URL\n"
                  "postgresql://USER@HOST:PORT/DBNAME (default: $SOHOA_DB, else ./sohoa.db)")
      ->capture_default_str();
  db_options().push_back({&command, &db_path, false});
}

void allow_missing_database(CLI::App& command) {
  for (DbOption& o : db_options()) {
    if (o.command == &command) o.may_be_missing = true;
  }
}

void report_error(const std::string& message) {
  std::cerr << "sohoa: " << printable(message) << "\n";
}

std::string cli_actor() {
  for (const char* var : {"SOHOA_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return std::string("cli:") + v;
  }
  return "cli";
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{
      "sohoa: digitize scanned results of administrative procedures (kết quả giải quyết TTHC),\n"
      "find them by number, date, person or free text, and report the share digitized\n"
      "per administrative level and year against the plan.",
      "sohoa"};
  app.formatter(plain_formatter());
  app.require_subcommand(1);
  app.set_version_flag("--version", "sohoa 0.1.0");
  app.footer(
      "Every command takes --db PATH and --help. Exit codes: 0 done, 1 bad usage or input,\n"
      "2 database cannot be opened or written, 3 partly done, 4 (verify) checked and not valid.");

  Action action;
  add_units_command(app, action);
  add_ingest_command(app, action);
  add_separator_command(app, action);
  add_show_command(app, action);
  add_search_command(app, action);
  add_register_command(app, action);
  add_progress_command(app, action);
  add_review_command(app, action);
  add_reextract_command(app, action);
  add_watch_command(app, action);
  add_merge_command(app, action);
  add_sync_command(app, action);
  add_export_command(app, action);
  add_certify_command(app, action);
  add_verify_command(app, action);
  add_list_command(app, action);
  add_delete_command(app, action);
  add_serve_command(app, action);
  add_users_command(app, action);
  add_tokens_command(app, action);

  std::vector<std::string> args(argv + 1, argv + argc);
  protect_search_query(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e);
  }
  try {
    if (auto problem = missing_database()) {
      report_error(*problem);
      return kFatal;
    }
  } catch (const storage::StorageError& e) {
    report_error(e.what());  // there, but it cannot be read now (a full disk)
    return kFatal;
  }
  try {
    return action ? action() : kUsage;
  } catch (const UsageError& e) {
    report_error(e.what());
    return kUsage;
  } catch (const storage::InputError& e) {
    report_error(e.what());
    return kUsage;
  } catch (const storage::StorageError& e) {
    report_error(e.what());
    return kFatal;
  } catch (const std::exception& e) {
    report_error(e.what());
    return kFatal;
  }
}

}  // namespace
}  // namespace sohoa::cli

int main(int argc, char** argv) {
  // Tesseract parallelizes inside a page with OpenMP; sohoa runs one engine
  // per core instead, so each must stay on one thread. libgomp reads the limit
  // when it loads, before main: set it and start again.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  return sohoa::cli::run(argc, argv);
}
