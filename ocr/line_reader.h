// Re-reads one printed line of a restored page: the region is cut out,
// scaled up and read by Tesseract as a single text line (page segmentation
// mode 7), so that a number, date or code the page's layout analysis read
// unsurely gets an independent second reading (a field re-read).
#pragma once

#include <memory>
#include <opencv2/core.hpp>

#include "ocr/page_text.h"
#include "ocr/tesseract_reader.h"

namespace tesseract {
class TessBaseAPI;
}

namespace sohoa::ocr {

// One Tesseract engine set to read single lines. Not thread-safe: one per
// worker thread.
class LineReader {
 public:
  explicit LineReader(ReaderOptions options = {});  // throws OcrError
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the region `box` of the 8-bit grey page `grey` (at `dpi`) as one
  // line, after scaling it by `scale` (1..4, cubic). The region is widened
  // by a margin of a third of its height on every side and clipped to the
  // image. Returns the words read with their confidences (0..100) and their
  // boxes mapped back into `grey`'s pixels, the line's text NFC and its box
  // the region read; no words when the region lies off the image or has
  // no size (a blank one may give a speck, never a word). Throws
  // OcrError for an image that is not CV_8UC1.
  Line read(const cv::Mat& grey, const Box& box, int dpi, double scale);

 private:
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace sohoa::ocr
