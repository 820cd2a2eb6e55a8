// sohoa show DOC [--json | --text]: one stored document.
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "web/records_json.h"

namespace sohoa::cli {
namespace {

using json = nlohmann::ordered_json;

struct ShowArgs {
  std::filesystem::path db;
  std::string doc;
  bool json = false;
  bool text = false;
};

const storage::Field* find_field(const storage::StoredDocument& d, const std::string& name) {
  for (const auto& f : d.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// citizen_ids and recipients are stored as JSON arrays of strings.
json list_json(const storage::Field* f) {
  if (f == nullptr || f->value.empty()) return json::array();
  json ids = json::parse(f->value, nullptr, false);
  return ids.is_array() ? ids : json::array({f->value});
}

void print_text(const storage::StoredDocument& d) {
  for (size_t i = 0; i < d.pages.size(); ++i) {
    if (i > 0) std::cout << '\f';
    std::cout << d.pages[i].text;
  }
}

void print_summary(const storage::StoredDocument& d,
                   const std::vector<storage::Certification>& certs) {
  std::cout << "document " << d.id << "  " << d.status << "\n"
            << "  source        " << printable(d.source) << "\n"
            << "  sha256        " << d.sha256 << "\n"
            << "  unit          " << d.unit << " (issuer " << d.issuer_unit
            << (d.level.empty() ? "" : ", " + d.level) << ")\n"
            << "  digitized at  " << d.digitized_at << (d.station.empty() ? "" : " by " + d.station)
            << "\n";
  if (!d.error.empty()) std::cout << "  error         " << d.error << "\n";
  for (const auto& name : storage::metadata_field_names()) {
    const storage::Field* f = find_field(d, name);
    std::string value = f == nullptr || f->value.empty() ? "-" : f->value;
    if (f != nullptr && (name == "citizen_ids" || name == "recipients")) {
      // Lists, stored as JSON: shown as their entries.
      std::string joined;
      for (const auto& item : list_json(f)) {
        joined += (joined.empty()          ? ""
                   : name == "citizen_ids" ? ", "
                                           : " | ") +
                  (item.is_string() ? item.get<std::string>() : item.dump());
      }
      value = joined.empty() ? "-" : joined;
    }
    std::cout << "  " << name << std::string(14 - std::min<size_t>(13, name.size()), ' ') << value
              << "\n";
  }
  for (const auto& p : d.pages) {
    std::cout << "  page " << p.page << ": " << p.width << "x" << p.height << " @" << p.dpi
              << " dpi, rotation " << p.rotation << ", skew " << p.skew_deg << "°, confidence "
              << p.ocr_confidence << "\n";
  }
  for (const auto& c : certs) {
    std::cout << "  certified     " << c.at << " by " << c.by << ", signed by " << c.signer
              << " (certificate " << c.cert_sha256 << ")\n";
  }
}

using web::History;
using web::history_of;

void print_history(const History& h, int64_t id) {
  auto shown = [](const std::string& v) { return v.empty() ? std::string("(empty)") : v; };
  if (!h.review_reasons.empty()) {
    std::cout << "  review        ";
    for (size_t i = 0; i < h.review_reasons.size(); ++i) {
      std::cout << (i > 0 ? "; " : "") << h.review_reasons[i];
    }
    std::cout << "\n";
  }
  for (const auto& [c, previous] : h.changes) {
    std::cout << "  corrected     " << c.field << ": " << shown(previous) << " -> "
              << shown(c.value) << " (by " << c.by << ", " << c.at << ")\n";
  }
  if (!h.changes.empty()) {
    std::cout << "  (undo one: sohoa review " << id << " --undo FIELD)\n";
  }
}

// A deleted document's id says so, with who, when and why, rather than
// "no document".
int64_t resolve_or_explain(storage::Database& db, const std::string& ref) {
  try {
    return resolve_document(db, ref);
  } catch (const UsageError&) {
    for (const storage::Deletion& d : db.deletions()) {
      if (std::to_string(d.doc_id) == ref || (ref.size() >= 8 && d.sha256.starts_with(ref))) {
        throw UsageError("document " + std::to_string(d.doc_id) + " (" + d.source +
                         ") was deleted at " + d.at + " by " + d.by + ": " + d.reason);
      }
    }
    throw;
  }
}

int run_show(const ShowArgs& args) {
  if (args.json && args.text) throw UsageError("show: give --json or --text, not both");
  auto db = storage::Database::open(args.db);
  int64_t id = resolve_or_explain(*db, args.doc);
  auto doc = db->document(id);
  if (!doc) throw UsageError("no document " + std::to_string(id));
  History history = history_of(*db, id);
  if (args.json) {
    std::cout << json_line(web::document_json(*db, *doc)) << "\n";
  } else if (args.text) {
    print_text(*doc);
  } else {
    print_summary(*doc, db->certifications(id));
    print_history(history, id);
  }
  return kOk;
}

}  // namespace

void add_show_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = root.add_subcommand("show", "Show one stored document: its metadata and pages");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256")->required();
  cmd->add_flag("--json", args->json, "The whole record as one JSON object");
  cmd->add_flag("--text", args->text,
                "The pages' OCR text, pages separated by a form feed (not with --json)");
  cmd->callback([args, &action] { action = [args] { return run_show(*args); }; });
}

}  // namespace sohoa::cli
