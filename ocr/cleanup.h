// Clean-up of an upright, deskewed page before OCR.
//
// Every function here takes an 8-bit grey image (CV_8UC1, paper light, ink
// dark) of any size, returns a new image and leaves its input untouched; an
// empty image or another type throws std::invalid_argument (ocr/grey.h).
// Resolutions are in dots per inch.
#pragma once

#include <opencv2/core.hpp>

namespace sohoa::ocr {

// `grey` scaled (bicubic) from `dpi` to `target_dpi` when it is below it;
// unchanged (the same buffer) otherwise, and when `dpi` ≤ 0 (unknown). Tesseract's models are
// trained on text of about 300 dpi.
cv::Mat scale_to_dpi(const cv::Mat& grey, int dpi, int target_dpi = 300);

// Dark scanner borders (the lid, the platen edge, shadows of the sheet's edge:
// large dark areas connected to the image's edge) painted with the paper's
// grey. Text never touches them at the coarse scale used, so it stays.
cv::Mat remove_dark_borders(const cv::Mat& grey);

// Uneven light and grey paper flattened: each pixel divided by the local paper
// brightness, so paper becomes white (255), then the ink stretched so its
// darkest percent reaches black.
cv::Mat flatten_background(const cv::Mat& grey);

// Speckle removed from a page with white paper: a 3×3 median, then dark specks
// smaller than a diacritic's dot that lie away from any larger mark are
// whitened. Marks near a letter (the dots of "ệ", "ộ", "ị") are kept. `dpi`
// sizes what counts as a speck.
cv::Mat remove_speckles(const cv::Mat& grey, int dpi);

// Dotted leaders (the "………" of a form's fill-in blanks) whitened: chains of
// kLeaderDots or more small round dark dots on one baseline, each within about
// an x-height of the next, evenly spaced; or evenly spaced pieces of three
// dots or more (a leader typed as "……" ellipses, or with gaps) following
// each other on one baseline within three x-heights, kLeaderDots together. The
// x-height is taken from `dpi` (the page's text resolution). Tesseract drops
// whole lines that end in a long leader; the words before it then read.
// Periods, a lone ellipsis and diacritic dots stay.
cv::Mat remove_dot_leaders(const cv::Mat& grey, int dpi);

inline constexpr int kRuleXHeights = 8;  // no word has a stroke this long

// Printed rules (an underline, a form's fill-in line, a table's horizontal
// border) whitened: horizontal runs of ink at least kRuleXHeights x-heights
// long and at most a rule's thickness (well under half an x-height) thick,
// with the light rim around them. A column where a letter's stroke touches
// or crosses the rule (ink running on from the rule, above or below, for a
// stroke's length) keeps its pixels, so text written or printed on the rule
// stays whole. The x-height is taken from `dpi`. Tesseract reads a rule
// under a line as "_" and "—" or merges it into the letters, so the line's
// words go wrong; bars thicker than a rule (a heading's shading) stay.
cv::Mat remove_rules(const cv::Mat& grey, int dpi);

// The whole clean-up of a page already at its reading scale (`dpi`, the
// resolution its text implies), in order: borders, light, speckle, leaders.
// Not remove_rules: on the real pages it read better (mean CER 4.05% ->
// 3.89%, mau-hop-dong 6.26% -> 3.81%), but on the generated phone pages
// worse (0.82% -> 1.01%): the motto's rule, whitened but for the stubs
// where its letters touch it, no longer reads as a line of its own, and the
// stubs are read onto the authority's name at its level ("XÃ HÒA BÌNH 1 m ˆ .").
cv::Mat clean_page(const cv::Mat& grey, int dpi);

// Otsu binarization (ink 0, paper 255), for reading a cleaned page binarized.
// The output holds only the values 0 and 255.
cv::Mat binarize(const cv::Mat& grey);

}  // namespace sohoa::ocr
