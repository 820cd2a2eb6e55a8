// sohoa register import: the register of results issued, the denominator
// of progress.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "registry/register_import.h"

namespace sohoa::cli {
namespace {

struct RegisterArgs {
  std::filesystem::path db;
  std::filesystem::path file;
  std::string encoding;
  bool json = false;
};

int run_register_import(const RegisterArgs& args) {
  if (!std::filesystem::is_regular_file(args.file)) {
    throw UsageError(args.file.string() + ": no such file");
  }
  auto db = storage::Database::open(args.db);
  registry::RegisterImport result = registry::import_register(*db, args.file, args.encoding);
  for (const auto& r : result.rejected) {
    report_error(args.file.string() + ":" + std::to_string(r.line) + ": " + r.reason);
  }
  if (args.json) {
    nlohmann::ordered_json rejected = nlohmann::ordered_json::array();
    for (const auto& r : result.rejected)
      rejected.push_back({{"line", r.line}, {"reason", r.reason}});
    nlohmann::ordered_json out = {{"file", args.file.string()},
                                  {"inserted", result.inserted},
                                  {"updated", result.updated},
                                  {"rejected", rejected}};
    std::cout << json_line(out) << "\n";
  } else {
    std::cout << "imported " << result.inserted + result.updated << " rows (" << result.inserted
              << " new, " << result.updated << " updated), rejected " << result.rejected.size()
              << "\n";
  }
  return result.rejected.empty() ? kOk : kPartial;
}

}  // namespace

void add_register_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<RegisterArgs>();
  CLI::App* cmd = root.add_subcommand("register", "The register of results issued");
  cmd->require_subcommand(1);
  CLI::App* import_cmd = cmd->add_subcommand(
      "import",
      "Import a register CSV (UTF-8 unless --encoding, ',' or ';', columns by name: unit,\n"
      "doc_number, issued_date required; valid_until, dossier_code, procedure_code, doc_type,\n"
      "title). Rows are keyed by (unit, doc_number, issued_date): importing again updates them;\n"
      "a key repeated within the file is kept from its first line, the others rejected.\n"
      "A row with a NUL byte is rejected.\n"
      "Rejected rows are listed with their line; exit 3 when there are any.");
  add_db_option(*import_cmd, args->db);
  import_cmd->add_option("FILE", args->file, "Register CSV")->required();
  import_cmd->add_option("--encoding", args->encoding,
                         "The file's character set when it is not UTF-8, e.g. windows-1258, latin1 "
                         "(a byte that is not UTF-8 otherwise stops the import, naming its line)");
  import_cmd->add_flag("--json", args->json,
                       "Print the counts as one JSON object: file, inserted, updated, rejected "
                       "[{line, reason}]");
  import_cmd->callback([args, &action] { action = [args] { return run_register_import(*args); }; });
}

}  // namespace sohoa::cli
