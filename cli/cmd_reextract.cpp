// sohoa reextract [DOC|--all] [--json]: runs metadata extraction again on
// the stored OCR layout (no OCR) after the extractor improved. Corrections
// are kept and still win.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "metadata/review.h"

namespace sohoa::cli {
namespace {

struct ReextractArgs {
  std::filesystem::path db;
  std::string doc;
  bool all = false;
  bool json = false;
};

int run_reextract(const ReextractArgs& args) {
  if (args.all == !args.doc.empty()) throw UsageError("reextract: give either DOC or --all");
  auto db = storage::Database::open(args.db);
  std::vector<int64_t> ids =
      args.all ? db->document_ids() : std::vector<int64_t>{resolve_document(*db, args.doc)};
  metadata::MetadataExtractor extractor(db->units());
  int done = 0, skipped = 0;
  for (int64_t id : ids) {
    auto doc = db->document(id);
    if (!doc) continue;
    if (doc->status == "failed") {
      ++skipped;  // never read: ingest tries it again, not reextract
      continue;
    }
    try {
      metadata::Assessment a = metadata::reassess(extractor, *doc);
      db->replace_extraction(id, a.fields, a.issuer_unit, a.level, a.status, a.reasons);
      ++done;
      if (args.json) {
        nlohmann::json line = {{"id", id},
                               {"status", a.status},
                               {"issuer_unit", a.issuer_unit},
                               {"reasons", a.reasons}};
        std::cout << json_line(line) << "\n";
      } else {
        std::cout << id << "\t" << a.status << "\t" << a.issuer_unit << "\n";
      }
    } catch (const metadata::NotReextractable& e) {
      report_error(doc->source + ": " + e.what());
      ++skipped;
      if (!args.all) return kUsage;
    } catch (const std::runtime_error& e) {
      // A malformed stored layout: that document is left as it was.
      report_error(doc->source + ": " + e.what());
      return kPartial;
    }
  }
  if (!args.json) std::cerr << "reextracted " << done << ", skipped " << skipped << "\n";
  return kOk;
}

}  // namespace

void add_reextract_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ReextractArgs>();
  CLI::App* cmd = root.add_subcommand(
      "reextract", "Extract metadata again from stored OCR output (no OCR); corrections are kept");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256");
  cmd->add_flag("--all", args->all, "Every stored document that was read");
  cmd->add_flag("--json", args->json, "One JSON object per document");
  cmd->callback([args, &action] { action = [args] { return run_reextract(*args); }; });
}

}  // namespace sohoa::cli
