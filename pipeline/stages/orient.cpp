#include "pipeline/stages/orient.h"

#include <cmath>
#include <stdexcept>

#include "ocr/orientation.h"
#include "ocr/restore_ink.h"
#include "ocr/skew.h"

namespace sohoa::pipeline {
namespace {

// OSD wants level text lines: the page's class (0/90) turned and its skew undone.
ocr::Orientation ask_osd(ocr::OsdDetector& osd, const Page& page, const ocr::Orientation& fast) {
  int base = fast.rotation % 180;
  cv::Mat level = ocr::turn_upright(page.image, base);
  level = ocr::rotate_and_scale(level, fast.skew_deg, 1.0, ocr::paper_level(level));
  ocr::Orientation second = osd.detect(level, page.dpi);
  second.rotation = (base + second.rotation) % 360;
  return second;
}

}  // namespace

OrientStage::OrientStage() = default;

ocr::OsdDetector* OrientStage::osd() {
  if (!osd_tried_) {
    osd_tried_ = true;
    try {
      osd_ = std::make_unique<ocr::OsdDetector>();
    } catch (const std::runtime_error&) {
      osd_.reset();  // the fast signal alone still turns the clear cases
    }
  }
  return osd_.get();
}

OrientStage::~OrientStage() = default;

const char* OrientStage::name() const { return "orient"; }

Page OrientStage::run(Page page) {
  if (page.image.empty()) return page;
  const ocr::Orientation fast = ocr::detect_orientation(page.image);
  ocr::Orientation found = fast;
  if (!found.confident) {
    if (ocr::OsdDetector* osd_engine = osd()) {
      ocr::Orientation second = ask_osd(*osd_engine, page, found);
      if (second.confident) found = second;
    }
  }
  if (!found.confident) found.rotation %= 180;  // lines' direction is still reliable
  page.rotation = found.rotation;
  page.skew_deg = std::round(fast.skew_deg * 100) / 100;
  if (found.rotation != 0) page.image = ocr::turn_upright(page.image, found.rotation);
  return page;
}

}  // namespace sohoa::pipeline
