#include "pipeline/stages/chain.h"

#include <cmath>

#include "ocr/layout_json.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/codes.h"
#include "pipeline/stages/colour.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/dewarp.h"
#include "pipeline/stages/guard.h"
#include "pipeline/stages/orient.h"
#include "pipeline/stages/perspective.h"
#include "pipeline/stages/recognize.h"
#include "pipeline/stages/reread.h"

namespace sohoa::pipeline {

PageChain PageChain::standard(const ocr::ReaderOptions& reader) {
  std::vector<std::unique_ptr<PageStage>> stages;
  // Codes first: ZXing reads them at any orientation, from the scan as it is.
  stages.push_back(std::make_unique<CodesStage>());
  stages.push_back(std::make_unique<ColourStage>());
  stages.push_back(std::make_unique<PerspectiveStage>());
  stages.push_back(std::make_unique<OrientStage>());
  stages.push_back(std::make_unique<DeskewStage>());
  stages.push_back(std::make_unique<DewarpStage>());
  stages.push_back(std::make_unique<CleanStage>());
  stages.push_back(std::make_unique<RecognizeStage>(reader));
  stages.push_back(std::make_unique<GuardStage>(reader));
  stages.push_back(std::make_unique<RereadStage>(reader));
  return PageChain(std::move(stages));
}

Page PageChain::run(Page page) {
  for (auto& stage : stages_) {
    if (page.text_source == TextSource::pdf && !stage->applies_to_text_pages()) continue;
    page = stage->run(std::move(page));
  }
  return page;
}

storage::PageRecord page_record(const Page& page) {
  storage::PageRecord record;
  record.page = page.number;
  record.width = page.scan_width;
  record.height = page.scan_height;
  record.dpi = page.scan_dpi;
  record.text_dpi = page.text_dpi;
  record.rotation = page.rotation;
  record.skew_deg = std::round(page.skew_deg * 100.0) / 100.0;
  record.ocr_confidence = std::round(page.text.mean_confidence * 10.0) / 10.0;
  record.text = page.text.text;
  record.codes = page.codes;
  record.layout_json = ocr::layout_to_json(page.text);
  record.text_source = text_source_name(page.text_source);
  return record;
}

}  // namespace sohoa::pipeline
