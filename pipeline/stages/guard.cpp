#include "pipeline/stages/guard.h"

namespace sohoa::pipeline {

GuardStage::GuardStage(ocr::ReaderOptions reader, ocr::LineGuardOptions options)
    : reader_options_(std::move(reader)), options_(options) {}

Page GuardStage::run(Page page) {
  cv::Mat unclean = std::move(page.unclean);
  page.unclean.release();
  if (unclean.empty() || unclean.size() != page.image.size()) return page;
  const std::vector<ocr::UnsureLine> unsure = ocr::unsure_lines(page.text, options_.unsure_below);
  if (unsure.empty()) return page;
  if (!reader_) reader_ = std::make_unique<ocr::LineReader>(reader_options_);
  ocr::guard_lines(page.text, unsure, unclean, page.dpi, *reader_, options_);
  return page;
}

}  // namespace sohoa::pipeline
