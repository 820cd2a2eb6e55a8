// sohoa delete DOC --reason TEXT [--by NAME]: take a document out for good,
// keeping a tombstone (SHA-256, who, when, why).
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "text/vntext.h"

namespace sohoa::cli {
namespace {

struct DeleteArgs {
  std::filesystem::path db;
  std::string doc;
  std::string reason;
  std::string by;
};

int run_delete(const DeleteArgs& args) {
  std::string reason = text::collapse_spaces(args.reason);
  if (reason.find_first_not_of(" \t\n") == std::string::npos) {
    throw UsageError("--reason TEXT is required: say why the document goes (it is kept)");
  }
  auto db = storage::Database::open(args.db);
  int64_t id = resolve_document(*db, args.doc);
  std::string by = args.by.empty() ? default_person() : args.by;
  storage::Deletion gone = db->delete_document(id, reason, by);
  // The original goes too, unless another document (a part of the same
  // stack) still needs it. A crash before this leaves a file no record
  // names, nothing worse.
  // A part of a stack is archived under the file's hash: before the '#'.
  std::string archived = gone.sha256.substr(0, gone.sha256.find('#'));
  if (!db->archive_in_use(archived)) db->remove_original(archived);
  std::cout << "deleted " << id << "\t" << gone.source << "\tsha256 " << gone.sha256 << "\tby "
            << gone.by << " at " << gone.at << ": " << gone.reason << "\n";
  return kOk;
}

}  // namespace

void add_delete_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<DeleteArgs>();
  CLI::App* cmd = root.add_subcommand(
      "delete",
      "Delete a wrong record (a bad scan, a file that is no document); a tombstone stays");
  cmd->footer(
      "The document leaves search, progress, review and list; its pages, text, metadata,\n"
      "corrections and archived original go. A tombstone keeps its SHA-256, source, who, when\n"
      "and why. The same file ingested again is stored again, under a new id.\n"
      "Example: sohoa delete 12 --reason \"scanned twice, upside down\" --by lan");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256")->required();
  cmd->add_option("--reason", args->reason, "Why it is deleted (kept in the tombstone)")
      ->required();
  cmd->add_option("--by", args->by, "Who deletes (default: $SOHOA_USER, else $USER)");
  cmd->callback([args, &action] { action = [args] { return run_delete(*args); }; });
}

}  // namespace sohoa::cli
