// sohoa separator --out FILE.pdf: the printable separator sheet.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "export/separator_sheet.h"

namespace sohoa::cli {
namespace {

struct SeparatorArgs {
  std::filesystem::path db;  // every command takes --db; this one needs none
  std::filesystem::path out;
};

int run_separator(const SeparatorArgs& args) {
  if (args.out.empty()) throw UsageError("--out FILE.pdf is required");
  try {
    exports::write_separator_pdf(args.out);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  std::cout << "separator sheet written to " << args.out.string() << std::endl;
  return kOk;
}

}  // namespace

void add_separator_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<SeparatorArgs>();
  CLI::App* cmd = root.add_subcommand("separator", "Write the printable separator sheet (PDF, A4)");
  cmd->footer(
      "Print the sheet and put one between two documents of a stack fed to the scanner at once;\n"
      "`ingest --split separator` cuts the stack there and drops the sheet. Its codes hold\n"
      "SOHOA-SEPARATOR (sheets printing PATCHT, the patch-code convention, also count).\n"
      "Example: sohoa separator --out separator.pdf");
  add_db_option(*cmd, args->db);
  allow_missing_database(*cmd);
  cmd->add_option("--out", args->out, "PDF file to write")->required();
  cmd->callback([args, &action] { action = [args] { return run_separator(*args); }; });
}

}  // namespace sohoa::cli
