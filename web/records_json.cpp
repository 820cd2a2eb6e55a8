#include "web/records_json.h"

#include "text/vntext.h"

namespace sohoa::web {
namespace {

const storage::Field* find_field(const storage::StoredDocument& d, const std::string& name) {
  for (const auto& f : d.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

json citizen_ids_json(const storage::Field* f) {
  if (f == nullptr || f->value.empty()) return json::array();
  json ids = json::parse(f->value, nullptr, false);
  return ids.is_array() ? ids : json::array({f->value});
}

json metadata_json(const storage::StoredDocument& d) {
  json meta = json::object();
  for (const auto& name : storage::metadata_field_names()) {
    const storage::Field* f = find_field(d, name);
    if (name == "citizen_ids") {
      meta[name] = citizen_ids_json(f);
    } else {
      meta[name] = f == nullptr || f->value.empty() ? json(nullptr) : json(f->value);
    }
  }
  return meta;
}

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

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

json search_hit_json(const storage::SearchHit& h) {
  return {{"id", h.id},
          {"score", h.score},
          {"doc_number", or_null(h.doc_number)},
          {"issued_date", or_null(h.issued_date)},
          {"doc_type", or_null(h.doc_type)},
          {"unit", or_null(h.unit)},
          {"snippet", text::collapse_spaces(h.snippet)}};
}

json ingest_outcome_json(const pipeline::FileOutcome& o) {
  // SPEC: `ok` = stored now, whether or not it awaits review.
  std::string status = o.status == "review" ? "ok" : o.status;
  return {{"source", o.source},
          {"status", status},
          {"id", o.id ? json(*o.id) : json(nullptr)},
          {"pages", o.pages},
          {"error", o.error.empty() ? json(nullptr) : json(o.error)}};
}

}  // namespace sohoa::web
