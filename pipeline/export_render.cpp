#include "pipeline/export_render.h"

#include <opencv2/core.hpp>

namespace sohoa::pipeline {

// The stages of PageChain::standard() between orientation and OCR. Today the
// chain has none; when orient/deskew/clean land, this list is DeskewStage and
// CleanStage, in the chain's order.
PageReplay::PageReplay() = default;

PageReplay::~PageReplay() = default;

cv::Mat turn_upright_by(const cv::Mat& image, int rotation) {
  cv::Mat out;
  switch (((rotation % 360) + 360) % 360) {
    case 90:
      cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(image, out, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = image;
  }
  return out;
}

Page PageReplay::restore(const ScanFile& scan, int file_page, const storage::PageRecord& record) {
  Page page = scan.load_page(file_page);
  page.rotation = record.rotation;
  page.skew_deg = record.skew_deg;
  page.image = turn_upright_by(page.image, record.rotation);
  for (auto& stage : stages_) page = stage->run(std::move(page));
  return page;
}

}  // namespace sohoa::pipeline
