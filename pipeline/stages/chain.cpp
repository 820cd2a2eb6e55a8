#include "pipeline/stages/chain.h"

#include <cmath>

#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/deskew.h"
#include "ocr/layout_json.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/recognize.h"

namespace sohoa::pipeline {

PageChain PageChain::standard() {
  std::vector<std::unique_ptr<PageStage>> stages;
  // Codes first: ZXing reads them at any orientation, from the scan as it is.
  stages.push_back(std::make_unique<CodesStage>());
  stages.push_back(std::make_unique<OrientStage>());
  stages.push_back(std::make_unique<DeskewStage>());
  stages.push_back(std::make_unique<CleanStage>());
  stages.push_back(std::make_unique<RecognizeStage>());
  return PageChain(std::move(stages));
}

Page PageChain::run(Page page) {
  for (auto& stage : stages_) page = stage->run(std::move(page));
  return page;
}

storage::PageRecord page_record(const Page& page) {
  storage::PageRecord record;
  record.page = page.number;
  record.width = page.scan_width;
  record.height = page.scan_height;
  record.dpi = page.scan_dpi;
  record.rotation = page.rotation;
  record.skew_deg = std::round(page.skew_deg * 100.0) / 100.0;
  record.ocr_confidence = std::round(page.text.mean_confidence * 10.0) / 10.0;
  record.text = page.text.text;
  record.codes = page.codes;
  record.layout_json = layout_to_json(page.text);
  return record;
}

namespace {

storage::NewDocument document_shell(const DocumentContext& ctx) {
  storage::NewDocument doc;
  doc.sha256 = ctx.sha256;
  doc.archive_sha256 = ctx.sha256;
  doc.source = ctx.source;
  doc.station = ctx.station;
  doc.unit = ctx.unit;
  doc.issuer_unit = ctx.unit;
  doc.digitized_at = ctx.digitized_at;
  return doc;
}

}  // namespace

storage::NewDocument read_document(const std::filesystem::path& file, const DocumentContext& ctx,
                                   PageChain& chain, const MetadataExtractor& extractor,
                                   const LoadOptions& load_options) {
  storage::NewDocument doc = document_shell(ctx);
  try {
    ScanFile scan(file, load_options);
    std::vector<ocr::PageText> texts;
    std::vector<std::string> codes;
    for (int n = 1; n <= scan.page_count(); ++n) {
      Page page = chain.run(scan.load_page(n));
      texts.push_back(page.text);
      codes.insert(codes.end(), page.codes.begin(), page.codes.end());
      doc.pages.push_back(page_record(page));
    }
    Extraction extraction = extractor.extract(texts, ctx.unit);
    doc.fields = std::move(extraction.fields);
    dossier_code_from_codes(doc.fields, codes);
    if (!extraction.issuer_unit.empty()) doc.issuer_unit = extraction.issuer_unit;
    doc.review_reasons = std::move(extraction.review_reasons);
    doc.status = doc.review_reasons.empty() ? "ok" : "review";
  } catch (const std::exception& e) {
    doc.pages.clear();
    doc.fields.clear();
    doc.review_reasons.clear();
    doc.status = "failed";
    doc.error = e.what();
  }
  return doc;
}

}  // namespace sohoa::pipeline
