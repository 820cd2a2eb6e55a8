// A guard for the lines a restored page read unsurely: each such line is read
// again, on its own (ocr/line_reader.h), from a less-processed version of the
// page (the grey page before clean-up, same pixels), and the reading whose
// characters are surer is kept. Restoration then never reads a line worse
// than the page as scanned would, by Tesseract's own measure.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "ocr/line_reader.h"
#include "ocr/page_text.h"

namespace sohoa::ocr {

struct LineGuardOptions {
  float unsure_below = 92;  // lines whose mean character confidence is below this are read again
  float gain = 3;           // the re-reading is taken when it is surer by this much (points)
  double scale = 1.0;       // the line is read scaled by this (the page is at its reading size)
  // The page's re-reads (least sure first) stop after this many in a row
  // were not taken: where clean-up broke nothing, every unsure line costs a
  // Tesseract line reading for nothing. The lines left keep their first
  // reading and its doubt. 4 lost a taken line on 2 of the 13 real pages
  // (van-ban-hanh-chinh-la-gi_(4) 5.84% -> 6.51% CER); 6 keeps every one.
  int give_up_after = 6;
};

struct LineGuardStats {
  int lines_read = 0;    // lines read again
  int lines_taken = 0;   // lines whose re-reading replaced them
  bool gave_up = false;  // unsure lines were left unread (options.give_up_after)
};

// A line of a PageText its reading left unsure, with its line_confidence.
struct UnsureLine {
  Line* line = nullptr;  // into the PageText it was found in
  float confidence = 0;
};

// The mean confidence of `line`'s words, each weighted by its characters
// (code points); 0 for a line without words.
float line_confidence(const Line& line);

// The lines of `text` with words whose line_confidence is below `below`,
// in reading order (blocks, then their lines). The pointers are valid while
// `text`'s blocks and lines are not added or removed.
std::vector<UnsureLine> unsure_lines(PageText& text, float below);

// For every line of `text` (read from an image of the same size as `grey`)
// whose line_confidence is below options.unsure_below, reads the line's box
// from `grey` (8-bit grey at `dpi`) with `reader` and replaces the line's
// words and text by the reading when it is surer by options.gain; a reading
// with no words, with fewer than 85% of the line's characters or more than
// 150% of them is never taken. A taken word holding a digit is given no
// more confidence than the line had: a second reading alone does not make
// a number sure. The words' boxes stay in `grey`'s
// pixels; text and mean_confidence are rebuilt when a line changes. Lines
// are read again least sure first; after options.give_up_after re-reads in
// a row not taken, the remaining (surer) unsure lines are left as read
// (stats.gave_up); the page's mean_confidence stays
// the mean of its words' confidences, which already holds their doubt.
LineGuardStats guard_lines(PageText& text, const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options = {});

// The same for the lines `unsure` of `text` (unsure_lines(text,
// options.unsure_below), found once by a caller that needed them anyway).
LineGuardStats guard_lines(PageText& text, const std::vector<UnsureLine>& unsure,
                           const cv::Mat& grey, int dpi, LineReader& reader,
                           const LineGuardOptions& options = {});

}  // namespace sohoa::ocr
