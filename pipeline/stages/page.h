// The unit of work that flows through the stages: one page image and what
// the stages learned about it.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "ocr/page_text.h"

namespace sohoa::pipeline {

// Where a page's text came from: OCR of its image, or the PDF's own text
// layer (SPEC `pages[].text_source`).
enum class TextSource { ocr, pdf };

inline const char* text_source_name(TextSource source) {
  return source == TextSource::pdf ? "pdf" : "ocr";
}

struct Page {
  int number = 1;      // 1-based page number within its file
  cv::Mat image;       // CV_8UC1 grey, as restored so far
  cv::Mat colour;      // CV_8UC3 RGB of a colour source, same size as `image` as loaded;
                       // empty for grey sources and after the colour stage
  int dpi = 300;       // resolution of `image`
  int scan_width = 0;  // size of the page as scanned (before restoration)
  int scan_height = 0;
  int scan_dpi = 300;

  // Learned by the restoration stages (SPEC conventions).
  int rotation = 0;        // 0/90/180/270: scanned page turned counter-clockwise from upright
  double skew_deg = 0;     // remaining angle of the upright page, + when lines rise to the right
  bool flattened = false;  // the sheet was photographed at an angle and warped flat
  bool dewarped = false;   // the sheet was curved and its text lines remapped straight
  int text_dpi = 0;        // resolution the page's text implies (ocr/text_size.h); 0: not measured
  cv::Mat unclean;         // `image` as the clean stage got it (same size and pixels' places),
                           // for the guard stage to read unsure lines from; released by it

  ocr::PageText text;  // learned by OCR, or read by load from a PDF's text layer
  TextSource text_source = TextSource::ocr;
  std::vector<std::string> codes;  // QR/barcode contents found on the page
};

// The stage contract. A stage does one job on one page: it takes the page
// and returns it with what it learned.
//
// - It MUST write only the fields it is said to write below and pass every
//   other field through as it got it:
//     load       (makes the page) number, image, dpi, scan_*; for a PDF page
//                with real text also text and text_source = pdf
//     codes      codes
//     colour     image (from `colour`, when the page has coloured ink), colour (released)
//     perspective  image (warped flat), flattened
//     orient     rotation, skew_deg, image (turned upright)
//     deskew     skew_deg (when orient left it 0), text_dpi, image, dpi
//                (the resolution of the scaled image, from its text)
//     dewarp     image (text lines remapped straight), dewarped
//     clean      image, unclean (the image as it got it)
//     recognize  text
//     guard      text (unsure lines read again from unclean), unclean (released)
//     reread     text.rereads
// - `image` is CV_8UC1 grey at `dpi`. A stage MUST accept an empty image:
//   codes and the restoration stages return the page unchanged; recognize
//   throws ocr::OcrError, since a page with no pixels has no text to read.
// - It MAY throw any std::exception whose what() says, in a user's words,
//   what is wrong with the page (no library type names). The caller records
//   "page N: what()" and fails the whole document: nothing is stored half.
// - A page whose text_source is pdf already has its text, its words placed
//   on `image` as rendered: the chain runs on it only the stages whose
//   applies_to_text_pages() is true (codes); restoring or OCRing it would
//   move the pixels from under the words or replace exact text with a guess.
// - It MUST NOT print, nor touch the database or the file system, nor keep
//   state that depends on earlier pages, so one instance per worker thread
//   runs side by side with others. It MAY hold costly engines (Tesseract).
class PageStage {
 public:
  virtual ~PageStage() = default;
  virtual const char* name() const = 0;
  virtual Page run(Page page) = 0;
  // True for a stage that also runs on pages whose text came from the PDF.
  virtual bool applies_to_text_pages() const { return false; }
};

}  // namespace sohoa::pipeline
