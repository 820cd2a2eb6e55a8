// sohoa show DOC [--json | --text]: one stored document.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"

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

json metadata_json(const storage::StoredDocument& d) {
  json meta = json::object();
  for (const auto& name : storage::metadata_field_names()) {
    const storage::Field* f = find_field(d, name);
    if (name == "citizen_ids" || name == "recipients") {
      meta[name] = list_json(f);
    } else {
      meta[name] = f == nullptr || f->value.empty() ? json(nullptr) : json(f->value);
    }
  }
  return meta;
}

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json document_json(const storage::StoredDocument& d) {
  json pages = json::array();
  for (const auto& p : d.pages) {
    pages.push_back({{"page", p.page},
                     {"width", p.width},
                     {"height", p.height},
                     {"dpi", p.dpi},
                     {"rotation", p.rotation},
                     {"skew_deg", p.skew_deg},
                     {"ocr_confidence", p.ocr_confidence},
                     {"text", p.text},
                     {"codes", p.codes}});
  }
  return {{"id", d.id},
          {"sha256", d.sha256},
          {"source", d.source},
          {"station", or_null(d.station)},
          {"unit", d.unit},
          {"issuer_unit", or_null(d.issuer_unit)},
          {"level", or_null(d.level)},
          {"digitized_at", d.digitized_at},
          {"status", d.status},
          {"error", or_null(d.error)},
          {"metadata", metadata_json(d)},
          {"pages", pages}};
}

void print_text(const storage::StoredDocument& d) {
  for (size_t i = 0; i < d.pages.size(); ++i) {
    if (i > 0) std::cout << '\f';
    std::cout << d.pages[i].text;
  }
}

void print_summary(const storage::StoredDocument& d) {
  std::cout << "document " << d.id << "  " << d.status << "\n"
            << "  source        " << d.source << "\n"
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
      std::string joined;
      for (const auto& item : list_json(f)) {
        joined += (joined.empty() ? "" : " | ") +
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
}

int run_show(const ShowArgs& args) {
  auto db = storage::Database::open(args.db);
  int64_t id = resolve_document(*db, args.doc);
  auto doc = db->document(id);
  if (!doc) throw UsageError("no document " + std::to_string(id));
  if (args.json) {
    std::cout << document_json(*doc).dump() << "\n";
  } else if (args.text) {
    print_text(*doc);
  } else {
    print_summary(*doc);
  }
  return kOk;
}

}  // namespace

void add_show_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = root.add_subcommand("show", "Show one stored document: its metadata and pages");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256")->required();
  auto* json_flag = cmd->add_flag("--json", args->json, "The whole record as one JSON object");
  cmd->add_flag("--text", args->text, "The pages' OCR text, pages separated by a form feed")
      ->excludes(json_flag);
  cmd->callback([args, &action] { action = [args] { return run_show(*args); }; });
}

}  // namespace sohoa::cli
