#include "web/records_json.h"

#include <map>

#include "text/vntext.h"

namespace sohoa::web {
namespace {

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

json certifications_json(const std::vector<storage::Certification>& certs) {
  json out = json::array();
  for (const auto& c : certs) {
    out.push_back({{"by", c.by},
                   {"at", c.at},
                   {"signer", c.signer},
                   {"cert_sha256", c.cert_sha256},
                   {"pdf_sha256", c.pdf_sha256}});
  }
  return out;
}

json document_with(const storage::StoredDocument& d,
                   const std::vector<storage::Certification>& certs) {
  json pages = json::array();
  for (const auto& p : d.pages) {
    pages.push_back({{"page", p.page},
                     {"width", p.width},
                     {"height", p.height},
                     {"dpi", p.dpi},
                     {"text_dpi", p.text_dpi > 0 ? json(p.text_dpi) : json()},
                     {"rotation", p.rotation},
                     {"skew_deg", p.skew_deg},
                     {"ocr_confidence", p.ocr_confidence},
                     {"text", p.text},
                     {"text_source", p.text_source},
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
          {"pages", pages},
          {"certifications", certifications_json(certs)}};
}

}  // namespace

History history_of(storage::Database& db, int64_t id) {
  History h;
  std::map<std::string, std::string> current;
  if (auto as_stored = db.document_as_stored(id)) {
    for (const auto& f : as_stored->fields) current[f.name] = f.value;
    h.review_reasons = as_stored->review_reasons;
  }
  for (const auto& c : db.corrections(id)) {
    h.changes.push_back({c, current[c.field]});
    current[c.field] = c.value;
  }
  return h;
}

json document_json(storage::Database& db, const storage::StoredDocument& d) {
  json out = document_with(d, db.certifications(d.id));
  History history = history_of(db, d.id);
  json changes = json::array();
  for (const auto& [c, previous] : history.changes) {
    changes.push_back({{"field", c.field},
                       {"value", c.value},
                       {"previous", or_null(previous)},
                       {"by", c.by},
                       {"at", c.at}});
  }
  out["corrections"] = changes;
  out["review_reasons"] = history.review_reasons;
  return out;
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
