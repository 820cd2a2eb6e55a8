#include "export/render.h"

#include "ocr/orientation.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/deskew.h"

namespace sohoa::exports {

// The stages of PageChain::standard() after OrientStage and before OCR, in
// the chain's order. OrientStage itself is replaced by its recorded result:
// detecting orientation again (Tesseract OSD) would cost more than the rest.
PageReplay::PageReplay() {
  stages_.push_back(std::make_unique<pipeline::DeskewStage>());
  stages_.push_back(std::make_unique<pipeline::CleanStage>());
}

PageReplay::~PageReplay() = default;

PageReplay::Result PageReplay::restore(const pipeline::ScanFile& scan, int file_page,
                                       const storage::PageRecord& record) {
  pipeline::Page page = scan.load_page(file_page);
  const bool bilevel = is_bilevel(page.image);
  page.rotation = record.rotation;
  page.skew_deg = record.skew_deg;
  if (record.rotation != 0) page.image = ocr::turn_upright(page.image, record.rotation);
  // A page read from its PDF text layer was never restored: its words sit
  // on the page as rendered.
  if (page.text_source == pipeline::TextSource::pdf) return Result{std::move(page), bilevel};
  for (auto& stage : stages_) page = stage->run(std::move(page));
  return Result{std::move(page), bilevel};
}

}  // namespace sohoa::exports
