// A searchable PDF, built page by page: each page is the restored scan with
// the OCR words laid over it as invisible text (render mode 3), so that
// selecting, copying and pdftotext give the stored text. Aims at PDF/A-2b:
// embedded font with a ToUnicode map, XMP metadata matching the info
// dictionary, an sRGB output intent, no encryption or transparency.
#pragma once

#include <cstddef>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "ocr/page_text.h"

namespace sohoa::exports {

struct PdfInfo {
  std::string title;   // e.g. doc_type + " " + doc_number
  std::string author;  // the issuing authority
  std::string subject;
  std::string creation_date;  // ISO YYYY-MM-DD, or empty
  std::string language = "vi";
};

// How one page image went into the file.
struct PdfImageStats {
  bool bilevel = false;   // CCITT G4 when true, else JPEG
  bool lossless = false;  // Flate: a clean grey page no JPEG could keep small enough
  int jpeg_quality = 0;   // 0 for G4 and Flate
  size_t bytes = 0;       // compressed image bytes in the file
};

// True when the grey image is (nearly) pure black and white, as a 1-bit scan
// is once loaded: such pages compress far better as CCITT G4 than as JPEG.
bool is_bilevel(const cv::Mat& grey);

class SearchablePdf {
 public:
  explicit SearchablePdf(const PdfInfo& info);
  ~SearchablePdf();
  SearchablePdf(const SearchablePdf&) = delete;
  SearchablePdf& operator=(const SearchablePdf&) = delete;

  // Appends a page showing `grey` (CV_8UC1) at `dpi`, with the words of
  // `layout` as invisible text. `layout` boxes are in the pixels of an image
  // of layout.width × layout.height; they are scaled onto `grey` when its
  // size differs. A grey page is JPEG at quality 75, or, when that exceeds
  // `max_image_bytes` (0 = no limit), lossless Flate if that fits, else JPEG
  // at the best quality that fits, down to 30.
  // `scanned_bilevel` says the page was scanned black and white: restoration
  // (deskew, clean) greys its edges, but it goes back to one bit (G4) rather
  // than growing tenfold as JPEG.
  PdfImageStats add_page(const cv::Mat& grey, int dpi, const ocr::PageText& layout,
                         size_t max_image_bytes = 0, bool scanned_bilevel = false);

  int page_count() const;

  // The finished file. Throws std::runtime_error if it cannot be built.
  std::string bytes();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sohoa::exports
