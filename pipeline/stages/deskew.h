// Stage: measures the upright page's skew (±45°), records `skew_deg`, and its
// text size, records `text_dpi` (ocr/text_size.h), then undoes the skew and
// brings the text to the size Tesseract reads best in one resampling: phone
// photos and small scans are scaled up to kReadDpi; pages scanned with
// resolution to spare and crisp print (ocr::reading_dpi) down to
// kSharpReadDpi, 400–600 dpi pages included. A page whose text cannot be measured (blank, a photo)
// is scaled by its file's dpi instead, up to 300 dpi when under it. A skew already on the page
// (non-zero `skew_deg`) is taken as measured: OrientStage measures it, with the same estimator,
// while finding which way the lines run, and measuring twice would cost a page's worth of work.
#pragma once

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

class DeskewStage : public PageStage {
 public:
  // The resolution, in text_dpi terms, pages are read at: the x-height of
  // 13 pt body text is then about 20 px, where Tesseract's `vie` models read
  // real and generated pages at least as well as at 300 dpi, and faster
  // (measured by bench/real_compare.sh and bench/ocr_compare.sh).
  static constexpr int kReadDpi = 220;
  // Crisp pages whose text was scanned at 260 dpi or more lose nothing read
  // this small (Tesseract's LSTM scales every line to 36 px anyway), and
  // their layout analysis costs less: measured by bench/speed_compare.sh.
  static constexpr int kSharpReadDpi = 190;

  explicit DeskewStage(int read_dpi = kReadDpi, int sharp_read_dpi = kSharpReadDpi);
  const char* name() const override;
  Page run(Page page) override;

 private:
  int read_dpi_;
  int sharp_read_dpi_;
};

}  // namespace sohoa::pipeline
