#include "metadata/review.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "metadata/parsers.h"
#include "ocr/layout_json.h"

namespace sohoa::metadata {
namespace {

std::vector<storage::Field> overlay(std::vector<storage::Field> extracted,
                                    const std::vector<storage::Field>& corrections) {
  std::map<std::string, storage::Field> by_name;
  for (auto& f : extracted) by_name[f.name] = std::move(f);
  for (const auto& c : corrections) by_name[c.name] = c;
  std::vector<storage::Field> out;
  for (const auto& name : storage::metadata_field_names()) {
    auto it = by_name.find(name);
    if (it != by_name.end() && !it->second.value.empty()) out.push_back(it->second);
  }
  return out;
}

bool is_id(const std::string& s) {
  return (s.size() == 9 || s.size() == 12) && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

std::string normalize_ids(const std::string& value) {
  std::vector<std::string> ids;
  nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if (!item.is_string()) throw std::invalid_argument("citizen_ids: list items must be strings");
      ids.push_back(parse::clean(item.get<std::string>()));
    }
  } else {
    std::string cell;
    for (char c : value + ",") {
      if (c == ',' || c == ';') {
        cell = parse::clean(cell);
        if (!cell.empty()) ids.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
  }
  for (const auto& id : ids) {
    if (!is_id(id)) {
      throw std::invalid_argument("citizen_ids: '" + id +
                                  "' is not a 12-digit CCCD or 9-digit CMND");
    }
  }
  return nlohmann::json(ids).dump();
}

// Recipients: a JSON array of strings, or one entry per line.
std::string normalize_recipients(const std::string& value) {
  std::vector<std::string> out;
  nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if (!item.is_string()) throw std::invalid_argument("recipients: list items must be strings");
      std::string entry = parse::clean(item.get<std::string>());
      if (!entry.empty()) out.push_back(entry);
    }
  } else {
    std::string cell;
    for (char c : value + "\n") {
      if (c == '\n') {
        cell = parse::clean(cell);
        if (!cell.empty()) out.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
  }
  return nlohmann::json(out).dump();
}

// urgency, secrecy and copy_mark take one of the SPEC's marks.
void check_mark(const std::string& field, const std::string& v) {
  static const std::map<std::string, std::vector<std::string>> kMarks = {
      {"urgency", {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"}},
      {"secrecy", {"MẬT", "TỐI MẬT", "TUYỆT MẬT"}},
      {"copy_mark", {"SAO Y", "SAO LỤC", "TRÍCH SAO"}}};
  auto it = kMarks.find(field);
  if (it == kMarks.end() || v.empty()) return;
  if (std::find(it->second.begin(), it->second.end(), v) != it->second.end()) return;
  std::string allowed;
  for (const auto& m : it->second) allowed += (allowed.empty() ? "" : ", ") + m;
  throw std::invalid_argument(field + ": '" + v + "' is not one of " + allowed);
}

}  // namespace

std::vector<storage::Field> corrections_of(const storage::StoredDocument& doc) {
  std::vector<storage::Field> out;
  for (const auto& f : doc.fields) {
    if (f.confidence > kMaxExtractedConfidence) out.push_back(f);
  }
  return out;
}

Assessment reassess(const MetadataExtractor& extractor, const storage::StoredDocument& doc) {
  if (doc.status == "failed")
    throw NotReextractable("document " + std::to_string(doc.id) + " failed to read");
  std::vector<ocr::PageText> pages;
  for (const auto& p : doc.pages) {
    if (p.layout_json.empty()) {
      throw NotReextractable("document " + std::to_string(doc.id) + " page " +
                             std::to_string(p.page) + ": no stored OCR layout");
    }
    pages.push_back(ocr::layout_from_json(p.layout_json));
  }
  if (pages.empty()) throw NotReextractable("document " + std::to_string(doc.id) + " has no pages");
  Extraction fresh = extractor.extract(pages, doc.unit);
  Extraction judged =
      extractor.assess(overlay(fresh.fields, corrections_of(doc)), doc.unit, fresh.doubts);
  Assessment a;
  a.fields = std::move(fresh.fields);
  a.issuer_unit = judged.issuer_unit;
  const storage::Unit* unit = extractor.resolver().find(a.issuer_unit);
  a.level = unit ? unit->level : "";
  a.reasons = std::move(judged.review_reasons);
  a.status = a.reasons.empty() ? "ok" : "review";
  return a;
}

std::string normalize_correction(const std::string& field, const std::string& value) {
  const auto& names = storage::metadata_field_names();
  if (std::find(names.begin(), names.end(), field) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown field '" + field + "' (fields: " + known + ")");
  }
  std::string v = parse::clean(value);
  if (field == "issued_date") {
    auto iso = parse::iso_date(v);
    if (!iso)
      throw std::invalid_argument("issued_date: '" + v +
                                  "' is not a date (YYYY-MM-DD or dd/mm/yyyy)");
    return *iso;
  }
  if (field == "doc_number") {
    v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
    return v;
  }
  if (field == "citizen_ids") return normalize_ids(v);
  if (field == "recipients") return normalize_recipients(value);
  check_mark(field, v);
  return v;
}

}  // namespace sohoa::metadata
