// Reads the text of a restored page with Tesseract's LSTM engine.
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>

#include "ocr/page_text.h"

namespace tesseract {
class TessBaseAPI;
}

namespace sohoa::ocr {

// Tesseract could not start (missing language data) or gave up on a page.
class OcrError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ReaderOptions {
  std::string language = "vie";
  std::string tessdata_dir;         // empty: Tesseract's compiled-in default (Debian's tessdata)
  int page_time_limit_ms = 120000;  // a pathological page stops here (0: no limit)
};

// The folder sohoa's own tessdata is installed into by scripts/install-deps
// (the "best" Vietnamese model, tessdata_best in integer form, beside a link
// to Debian's osd model).
inline constexpr const char* kBestTessdataDir = "/usr/local/share/sohoa/tessdata";

// The tessdata folder of the "best" model for `language`: $SOHOA_TESSDATA
// when set, else kBestTessdataDir; "" when it holds no
// `language`.traineddata (the model is not installed).
std::string best_tessdata_dir(const std::string& language = "vie");

// Reader options for a model named by the user: "best" (tessdata_best; throws
// OcrError naming the folder looked in when not installed), "fast" (Debian's
// tesseract-ocr-vie) or "" (best where installed, else fast).
ReaderOptions reader_options_for_model(const std::string& model);

// The folder Tesseract loads a model from when ReaderOptions::tessdata_dir
// is empty: $TESSDATA_PREFIX when it names an existing folder, else Debian's
// tesseract-ocr 5 folder (the library's compiled-in default).
inline constexpr const char* kSystemTessdataDir = "/usr/share/tesseract-ocr/5/tessdata";

// True when `options.language`.traineddata is a file in the folder Tesseract
// will load it from (tessdata_dir, or the default above): a cheap check that
// loads nothing. False says only that it is not there; whether Tesseract can
// load it after all only starting an engine tells.
bool model_file_present(const ReaderOptions& options);

// Rebuilds `page`'s text (one line per text line, a blank line between
// blocks) and mean_confidence (mean word confidence; 0 without words) from
// its blocks, so that they agree after a change to the words.
void finish_page(PageText& page);

// The text of a string Tesseract returned (new[]-allocated, maybe null),
// which it frees.
std::string take_utf8(char* owned);

// A Tesseract engine loaded for `options` (LSTM only, reporting nothing),
// set to page segmentation mode `psm` (a tesseract::PageSegMode). Throws
// OcrError naming the package when the language cannot be loaded.
std::unique_ptr<tesseract::TessBaseAPI> start_tesseract(const ReaderOptions& options, int psm);

// One Tesseract engine. Not thread-safe: give each worker thread its own.
class TesseractReader {
 public:
  explicit TesseractReader(ReaderOptions options = {});  // throws OcrError
  ~TesseractReader();
  TesseractReader(const TesseractReader&) = delete;
  TesseractReader& operator=(const TesseractReader&) = delete;

  // Reads an 8-bit grey (CV_8UC1) page at `dpi` (below 70 is read as 70).
  // Words, lines and blocks come in Tesseract's reading order, boxes in the
  // image's pixels; text is NFC; a page without words gives empty text and
  // mean_confidence 0. Throws OcrError for an empty image or another type,
  // and when the page time limit is exceeded.
  PageText read(const cv::Mat& grey, int dpi);

  static std::string version();

 private:
  ReaderOptions options_;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace sohoa::ocr
