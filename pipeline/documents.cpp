#include "pipeline/documents.h"

#include <algorithm>
#include <regex>

#include "pipeline/stages/chain.h"
#include "pipeline/stages/codes.h"

namespace sohoa::pipeline {

storage::NewDocument document_shell(const FileContext& file, const StackPart* part) {
  storage::NewDocument doc;
  std::string suffix = part ? part_suffix(*part) : std::string();
  doc.sha256 = file.sha256 + suffix;
  doc.archive_sha256 = file.sha256;
  doc.source = file.path + suffix;
  doc.station = file.station;
  doc.unit = file.unit;
  doc.issuer_unit = file.unit;
  doc.digitized_at = file.digitized_at;
  return doc;
}

void fill_document(storage::NewDocument& doc, const std::vector<Page>& pages,
                   const metadata::MetadataExtractor& extractor, const std::string& station_unit) {
  std::vector<ocr::PageText> texts;
  std::vector<std::string> codes;
  for (const Page& page : pages) {
    texts.push_back(page.text);
    codes.insert(codes.end(), page.codes.begin(), page.codes.end());
    doc.pages.push_back(page_record(page));
  }
  metadata::Extraction extraction = extractor.extract(texts, station_unit);
  doc.fields = std::move(extraction.fields);
  dossier_code_from_codes(doc.fields, codes);
  if (!extraction.issuer_unit.empty()) doc.issuer_unit = extraction.issuer_unit;
  doc.review_reasons.insert(doc.review_reasons.end(), extraction.review_reasons.begin(),
                            extraction.review_reasons.end());
  doc.status = doc.review_reasons.empty() ? "ok" : "review";
}

std::vector<storage::NewDocument> file_documents(const FileContext& file,
                                                 const std::vector<Page>& pages, SplitMode mode,
                                                 const metadata::MetadataExtractor& extractor) {
  std::vector<storage::NewDocument> docs;
  if (mode == SplitMode::kNone) {
    docs.push_back(document_shell(file));
    fill_document(docs.back(), pages, extractor, file.unit);
    return docs;
  }
  for (const StackPart& part : plan_split(pages, mode)) {
    storage::NewDocument doc = document_shell(file, &part);
    doc.review_reasons = part.review_reasons;
    std::vector<Page> own;
    for (const Page& p : pages) {
      if (p.number >= part.first && p.number <= part.last) own.push_back(p);
    }
    fill_document(doc, own, extractor, file.unit);
    docs.push_back(std::move(doc));
  }
  return docs;
}

std::optional<std::pair<int, int>> part_range(const std::string& sha256) {
  static const std::regex re(R"(#([0-9]+)-([0-9]+)$)");
  std::smatch m;
  if (!std::regex_search(sha256, m, re)) return std::nullopt;
  return std::make_pair(std::stoi(m[1].str()), std::stoi(m[2].str()));
}

std::vector<StoredPart> stored_parts(storage::Database& db, const std::string& file_sha256) {
  std::vector<StoredPart> out;
  for (int64_t id : db.resolve("sha256:" + file_sha256)) {
    auto existing = db.document(id);
    if (!existing || existing->status == "failed") continue;
    if (existing->sha256.rfind(file_sha256 + "#", 0) != 0) continue;
    auto range = part_range(existing->sha256);
    if (!range) continue;
    out.push_back({id, existing->sha256, range->first, range->second});
  }
  std::sort(out.begin(), out.end(),
            [](const StoredPart& a, const StoredPart& b) { return a.first < b.first; });
  return out;
}

bool stack_complete(const std::vector<StoredPart>& parts, int page_count) {
  return !parts.empty() && parts.back().last == page_count;
}

}  // namespace sohoa::pipeline
