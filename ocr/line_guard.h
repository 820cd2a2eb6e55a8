// A guard for the lines a restored page read unsurely: each such line is read
// again, on its own (ocr/line_reader.h), from a less-processed version of the
// page (the grey page before clean-up, same pixels), and the reading whose
// characters are surer is kept. Restoration then never reads a line worse
// than the page as scanned would, by Tesseract's own measure.
#pragma once

#include <opencv2/core.hpp>

#include "ocr/line_reader.h"
#include "ocr/page_text.h"

namespace sohoa::ocr {

struct LineGuardOptions {
  float unsure_below = 92;  // lines whose mean character confidence is below this are read again
  float gain = 3;           // the re-reading is taken when it is surer by this much (points)
  double scale = 1.0;       // the line is read scaled by this (the page is at its reading size)
};

struct LineGuardStats {
  int lines_read = 0;   // lines read again
  int lines_taken = 0;  // lines whose re-reading replaced them
};

// The mean confidence of `line`'s words, each weighted by its characters
// (code points); 0 for a line without words.
float line_confidence(const Line& line);

// For every line of `text` (read from an image of the same size as `grey`)
// whose line_confidence is below options.unsure_below, reads the line's box
// from `grey` (8-bit grey at `dpi`) with `reader` and replaces the line's
// words and text by the reading when it is surer by options.gain; a reading
// with no words, with fewer than 85% of the line's characters or more than
// 150% of them is never taken. A taken word holding a digit is given no
// more confidence than the line had: a second reading alone does not make
// a number sure. The words' boxes stay in `grey`'s
// pixels; text and mean_confidence are rebuilt when a line changes.
LineGuardStats guard_lines(PageText& text, const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options = {});

}  // namespace sohoa::ocr
