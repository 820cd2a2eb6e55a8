// sohoa export DOC (--pdf OUT.pdf | --alto OUT.xml | --original OUT)
// sohoa export --all (--pdf | --alto | --original) DIR
// The office's hand-on copies: a searchable PDF (aiming at PDF/A-2b), ALTO
// XML, or the archived original bytes.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/command.h"
#include "export/document.h"
#include "pipeline/stages/load.h"

namespace sohoa::cli {
namespace {

namespace fs = std::filesystem;

enum class Format { kPdf, kAlto, kOriginal };

struct ExportArgs {
  fs::path db;
  std::string doc;
  bool all = false;
  std::string pdf;
  std::string alto;
  std::string original;
  bool json = false;
};

Format chosen_format(const ExportArgs& args, std::string& out) {
  int given = !args.pdf.empty() + !args.alto.empty() + !args.original.empty();
  if (given != 1) throw UsageError("give exactly one of --pdf, --alto, --original");
  if (!args.pdf.empty()) {
    out = args.pdf;
    return Format::kPdf;
  }
  if (!args.alto.empty()) {
    out = args.alto;
    return Format::kAlto;
  }
  out = args.original;
  return Format::kOriginal;
}

// Writes one document in `format` to `out`. Export failures of the document
// itself become UsageError (exit 1); a damaged archive is fatal (exit 2).
void export_one(const exports::DocumentExporter& exporter, const storage::StoredDocument& doc,
                Format format, const fs::path& out) {
  try {
    switch (format) {
      case Format::kPdf:
        exports::write_file_atomically(out, exporter.pdf(doc).bytes);
        break;
      case Format::kAlto:
        exports::write_file_atomically(out, exporter.alto(doc));
        break;
      case Format::kOriginal:
        exporter.write_original(doc, out);
        break;
    }
  } catch (const exports::OutputError& e) {
    throw UsageError(e.what());
  } catch (const exports::NotExportable& e) {
    throw UsageError(e.what());
  } catch (const pipeline::LoadError& e) {
    throw storage::StorageError("document " + std::to_string(doc.id) +
                                ": archived original cannot be read: " + e.what());
  } catch (const exports::ArchiveError& e) {
    throw storage::StorageError(e.what());
  }
}

const char* format_name(Format format) {
  return format == Format::kPdf ? "pdf" : format == Format::kAlto ? "alto" : "original";
}

// `--json`: what was written, one line per document.
void print_written(int64_t id, Format format, const fs::path& out, bool as_json) {
  if (!as_json) return;
  std::error_code ec;
  auto bytes = fs::file_size(out, ec);
  nlohmann::ordered_json line = {{"id", id},
                                 {"format", format_name(format)},
                                 {"out", out.string()},
                                 {"bytes", ec ? 0 : bytes}};
  std::cout << json_line(line) << "\n";
}

std::string extension_of(const storage::StoredDocument& doc, Format format) {
  if (format == Format::kPdf) return ".pdf";
  if (format == Format::kAlto) return ".xml";
  std::string source = doc.source.substr(0, doc.source.find('#'));
  return fs::path(source).extension().string();
}

// One file per readable document, named UNIT_YEAR_NUMBER; a name met twice
// gets the document id appended. Prints "ID<TAB>FILE" per file written;
// documents that cannot be exported are reported on stderr and skipped.
int export_all(storage::Database& db, const exports::DocumentExporter& exporter, Format format,
               const fs::path& dir, bool json) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) throw UsageError(dir.string() + ": cannot create this folder");
  std::set<std::string> used;
  int skipped = 0;
  for (int64_t id : db.document_ids()) {
    auto doc = db.document(id);
    if (!doc) continue;
    if (format != Format::kOriginal && doc->status == "failed") {
      report_error("document " + std::to_string(id) + " (" + doc->source +
                   "): not exported, it was not read");
      ++skipped;
      continue;
    }
    std::string base = exports::export_base_name(*doc);
    if (!used.insert(base).second) base += "_id" + std::to_string(id);
    used.insert(base);
    fs::path out = dir / (base + extension_of(*doc, format));
    try {
      export_one(exporter, *doc, format, out);
      if (json) {
        print_written(id, format, out, true);
      } else {
        std::cout << id << "\t" << out.string() << "\n";
      }
    } catch (const UsageError& e) {
      report_error(e.what());
      ++skipped;
    } catch (const storage::StorageError& e) {
      // One damaged original does not stop the batch; it is reported.
      report_error(e.what());
      ++skipped;
    }
  }
  return skipped > 0 ? kPartial : kOk;
}

int run_export(const ExportArgs& args) {
  std::string out;
  Format format = chosen_format(args, out);
  if (args.all == !args.doc.empty()) throw UsageError("give either DOC or --all");
  auto db = storage::Database::open(args.db);
  exports::DocumentExporter exporter(args.db);
  if (args.all) return export_all(*db, exporter, format, out, args.json);
  int64_t id = resolve_document(*db, args.doc);
  auto doc = db->document(id);
  if (!doc) throw UsageError("no document " + std::to_string(id));
  export_one(exporter, *doc, format, out);
  print_written(id, format, out, args.json);
  return kOk;
}

}  // namespace

void add_export_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = root.add_subcommand(
      "export", "Write a document as a searchable PDF, ALTO XML, or its original bytes");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256");
  cmd->add_flag("--all", args->all,
                "Every document, into the folder given to --pdf/--alto/--original,\n"
                "named UNIT_YEAR_NUMBER");
  cmd->add_option("--pdf", args->pdf, "Searchable PDF (page images + invisible text layer)");
  cmd->add_option("--alto", args->alto, "ALTO v4 XML: blocks, lines, words, boxes, confidences");
  cmd->add_option("--original", args->original, "The archived original file, byte for byte");
  cmd->add_flag("--json", args->json, "One JSON line per document written: id, format, out, bytes");
  cmd->callback([args, &action] { action = [args] { return run_export(*args); }; });
}

}  // namespace sohoa::cli
