#include "pipeline/stages/guard.h"

namespace sohoa::pipeline {

GuardStage::GuardStage(ocr::ReaderOptions reader, ocr::LineGuardOptions options)
    : reader_options_(std::move(reader)), options_(options) {}

Page GuardStage::run(Page page) {
  cv::Mat unclean = std::move(page.unclean);
  page.unclean.release();
  if (unclean.empty() || unclean.size() != page.image.size()) return page;
  bool unsure = false;
  for (const ocr::Block& block : page.text.blocks) {
    for (const ocr::Line& line : block.lines) {
      unsure =
          unsure || (!line.words.empty() && ocr::line_confidence(line) < options_.unsure_below);
    }
  }
  if (!unsure) return page;
  if (!reader_) reader_ = std::make_unique<ocr::LineReader>(reader_options_);
  ocr::guard_lines(page.text, unclean, page.dpi, *reader_, options_);
  return page;
}

}  // namespace sohoa::pipeline
