// sohoa: scanned administrative results in, searchable records and progress
// reports out. See ../shared/SPEC.md for the contract.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/command.h"
#include "storage/database.h"

namespace sohoa::cli {

void add_db_option(CLI::App& command, std::filesystem::path& db_path) {
  const char* env = std::getenv("SOHOA_DB");
  db_path = env != nullptr && *env != '\0' ? std::filesystem::path(env) : "sohoa.db";
  command.add_option("--db", db_path, "SQLite database file (default: $SOHOA_DB, else ./sohoa.db)")
      ->capture_default_str();
}

void report_error(const std::string& message) { std::cerr << "sohoa: " << message << "\n"; }

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
  app.require_subcommand(1);
  app.set_version_flag("--version", "sohoa 0.1.0");
  app.footer(
      "Every command takes --db PATH and --help. Exit codes: 0 done, 1 bad usage or input,\n"
      "2 database cannot be opened or written, 3 partly done.");

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
  add_export_command(app, action);
  add_serve_command(app, action);
  add_users_command(app, action);
  add_tokens_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
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
