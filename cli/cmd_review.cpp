// sohoa review (--queue [--json] | DOC --set FIELD=VALUE... [--by NAME]):
// what needs a person's look, and a person's corrections.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/command.h"
#include "metadata/review.h"
#include "pipeline/reassess.h"

namespace sohoa::cli {
namespace {

struct ReviewArgs {
  std::filesystem::path db;
  bool queue = false;
  bool json = false;
  std::string doc;
  std::vector<std::string> sets;
  std::vector<std::string> undos;
  std::string by;
};

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

int print_queue(storage::Database& db, bool as_json) {
  for (const auto& item : db.review_queue()) {
    if (as_json) {
      nlohmann::json line = {{"id", item.id},
                             {"source", item.source},
                             {"status", item.status},
                             {"reasons", item.reasons}};
      std::cout << json_line(line) << "\n";
    } else {
      std::cout << item.id << "\t" << item.status << "\t" << printable(item.source) << "\t"
                << join(item.reasons, "; ") << "\n";
    }
  }
  return kOk;
}

struct Setting {
  std::string field;
  std::string value;
};

// All --set values are checked before any is stored: a bad one changes nothing.
std::vector<Setting> parse_settings(const std::vector<std::string>& sets) {
  std::vector<Setting> out;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--set '" + s + "': expected FIELD=VALUE");
    }
    std::string field = s.substr(0, eq);
    try {
      out.push_back({field, metadata::normalize_correction(field, s.substr(eq + 1))});
    } catch (const std::invalid_argument& e) {
      throw UsageError("--set " + std::string(e.what()));
    }
  }
  return out;
}

// Corrections may settle what sent the document to review (or, for an
// authority or date, change its issuing unit): decide again.
std::string refresh_status(storage::Database& db, int64_t id) {
  std::optional<metadata::Assessment> a = pipeline::refresh_status(db, id);
  if (a) return a->status + (a->reasons.empty() ? "" : " (" + join(a->reasons, "; ") + ")");
  auto doc = db.document(id);
  if (!doc) throw UsageError("no document " + std::to_string(id));
  return doc->status;  // nothing to re-read: the status stays as it was
}

std::string field_value(const storage::StoredDocument& doc, const std::string& field) {
  for (const auto& f : doc.fields) {
    if (f.name == field) return f.value;
  }
  return {};
}

// --undo FIELD must name a metadata field that has a correction in force:
// checked for all before any is undone.
void check_undos(storage::Database& db, int64_t id, const std::vector<std::string>& fields) {
  const auto& names = storage::metadata_field_names();
  std::vector<storage::Correction> in_force = db.corrections(id);
  for (const auto& field : fields) {
    if (std::find(names.begin(), names.end(), field) == names.end()) {
      std::string near = closest_match(field, names);
      throw UsageError("--undo " + field + ": not a metadata field" +
                       (near.empty() ? "" : " (did you mean " + near + "?)"));
    }
    bool corrected = std::any_of(in_force.begin(), in_force.end(),
                                 [&](const storage::Correction& c) { return c.field == field; });
    if (!corrected) {
      throw UsageError("--undo " + field + ": document " + std::to_string(id) +
                       " has no correction of " + field + " to undo");
    }
  }
}

int correct(storage::Database& db, const ReviewArgs& args) {
  int64_t id = resolve_document(db, args.doc);
  std::vector<Setting> settings = parse_settings(args.sets);
  check_undos(db, id, args.undos);
  std::string by = args.by.empty() ? default_person() : args.by;
  for (const auto& s : settings) {
    db.add_correction(id, s.field, s.value, by);
    std::cout << id << ": " << s.field << " = " << s.value << " (by " << by << ")\n";
    if (s.value.empty()) {
      // An empty value is a correction too ("no number on this page");
      // say how to get the value read from the page back instead.
      std::cout << id << ": " << s.field << " is now empty; to restore the value read from the "
                << "page: sohoa review " << id << " --undo " << s.field << "\n";
    }
  }
  for (const auto& field : args.undos) {
    int undone = db.undo_corrections(id, field, by);
    auto doc = db.document(id);
    std::string value = doc ? field_value(*doc, field) : std::string();
    std::cout << id << ": " << field << " = " << (value.empty() ? "(empty)" : value)
              << " (as read; " << undone << (undone == 1 ? " correction" : " corrections")
              << " undone by " << by << ")\n";
  }
  std::cout << id << ": status " << refresh_status(db, id) << "\n";
  return kOk;
}

int run_review(const ReviewArgs& args) {
  if (args.queue == !args.doc.empty())
    throw UsageError("review: give either --queue or DOC --set FIELD=VALUE (or DOC --undo FIELD)");
  if (!args.doc.empty() && args.sets.empty() && args.undos.empty())
    throw UsageError("review DOC: give at least one --set FIELD=VALUE or --undo FIELD");
  if (args.queue && (!args.sets.empty() || !args.undos.empty()))
    throw UsageError("review --queue takes no --set or --undo");
  auto db = storage::Database::open(args.db);
  return args.queue ? print_queue(*db, args.json) : correct(*db, args);
}

}  // namespace

void add_review_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ReviewArgs>();
  CLI::App* cmd = root.add_subcommand(
      "review", "List documents needing a person's look, or correct a document's metadata");
  add_db_option(*cmd, args->db);
  cmd->add_flag("--queue", args->queue, "List documents in review or failed, with their reasons");
  cmd->add_flag("--json", args->json, "With --queue: one JSON object per line");
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256");
  cmd->add_option("--set", args->sets,
                  "FIELD=VALUE, repeatable (fields: doc_type doc_number issued_date place "
                  "authority subject signer signer_role citizen_ids dossier_code urgency secrecy "
                  "recipients copy_mark)");
  cmd->add_option("--undo", args->undos,
                  "FIELD, repeatable: undo the corrections of FIELD, so the value read from the "
                  "page is back (they stay on record)");
  cmd->add_option("--by", args->by, "Who corrects (default: $SOHOA_USER, else $USER)");
  cmd->footer(
      "`sohoa show DOC` lists a document's corrections (who, when, old -> new) and why it is in\n"
      "review. Examples: sohoa review 7 --set doc_number=392/QĐ-UBND --by lan\n"
      "                  sohoa review 7 --undo doc_number");
  cmd->callback([args, &action] { action = [args] { return run_review(*args); }; });
}

}  // namespace sohoa::cli
