#include "pipeline/stages/codes.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cctype>
#include <opencv2/imgproc.hpp>
#include <regex>

namespace sohoa::pipeline {
namespace {

// Formats printed on Vietnamese administrative results and separator
// sheets. The retail and postal formats (EAN, UPC, ITF, Codabar, DataBar) are
// left out: they are not used on documents, and their readers can take a
// run of text strokes for bars. Matrix and linear codes are read in two
// passes: zxing-cpp 1.4 asserts when it merges several linear results of
// one page, so at most one linear code is read per page.
ZXing::DecodeHints hints(ZXing::BarcodeFormats formats, int max_symbols, bool harder) {
  ZXing::DecodeHints h;
  h.setFormats(formats);
  h.setTryHarder(harder);
  h.setTryRotate(true);     // pages at 90/180/270 and barcodes printed upright
  h.setTryDownscale(true);  // large modules read faster at a smaller size
  h.setMaxNumberOfSymbols(static_cast<uint8_t>(max_symbols));
  return h;
}

const ZXing::DecodeHints& matrix_hints() {
  static const ZXing::DecodeHints h =
      hints(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix |
                ZXing::BarcodeFormat::Aztec | ZXing::BarcodeFormat::PDF417,
            8, true);
  return h;
}

const ZXing::DecodeHints& linear_hints() {
  static const ZXing::DecodeHints h = hints(
      ZXing::BarcodeFormat::Code128 | ZXing::BarcodeFormat::Code39 | ZXing::BarcodeFormat::Code93,
      1, false);  // the fast mode's scan lines find printed barcodes
  return h;
}

void keep(const ZXing::Result& r, std::vector<std::string>& out) {
  if (!r.isValid()) return;
  std::string text = r.text();
  if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end()) {
    out.push_back(std::move(text));
  }
}

std::vector<std::string> read_at(const cv::Mat& grey) {
  cv::Mat image = grey.isContinuous() ? grey : grey.clone();
  ZXing::ImageView view(image.data, image.cols, image.rows, ZXing::ImageFormat::Lum,
                        static_cast<int>(image.step));
  std::vector<std::string> out;
  for (const ZXing::Result& r : ZXing::ReadBarcodes(view, matrix_hints())) keep(r, out);
  keep(ZXing::ReadBarcode(view, linear_hints()), out);
  return out;
}

std::string trimmed_upper(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  std::string out = s.substr(a, b - a);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

constexpr int kReadLongSide = 1750;

}  // namespace

std::vector<std::string> read_codes(const cv::Mat& grey) {
  if (grey.empty()) return {};
  CV_Assert(grey.type() == CV_8UC1);
  // Pages are read at about 150 dpi (an A4 page's long side at 1750
  // pixels): enough for the codes printed on documents (modules of 0.5 mm
  // and more) and for separator sheets, at a quarter of the full page's cost.
  const int long_side = std::max(grey.cols, grey.rows);
  if (long_side > kReadLongSide) {
    double f = static_cast<double>(kReadLongSide) / long_side;
    cv::Mat small;
    cv::resize(grey, small, cv::Size(), f, f, cv::INTER_AREA);
    return read_at(small);
  }
  return read_at(grey);
}

Page CodesStage::run(Page page) {
  page.codes = read_codes(page.image);
  return page;
}

bool is_separator_code(const std::string& content) {
  std::string s = trimmed_upper(content);
  return s == "SOHOA-SEPARATOR" || s == "PATCHT";
}

bool has_separator_code(const std::vector<std::string>& codes) {
  return std::any_of(codes.begin(), codes.end(), is_separator_code);
}

std::string dossier_code_in(const std::vector<std::string>& codes) {
  static const std::regex re(
      R"((^|[^A-Za-z0-9])([A-Z][0-9]{2}(\.[0-9]+)+-[0-9]{6}-[0-9]{4,})(?![0-9]))");
  for (const std::string& code : codes) {
    std::smatch m;
    if (std::regex_search(code, m, re)) return m[2].str();
  }
  return {};
}

bool dossier_code_from_codes(std::vector<storage::Field>& fields,
                             const std::vector<std::string>& codes) {
  for (const auto& f : fields) {
    if (f.name == "dossier_code" && !f.value.empty()) return false;
  }
  std::string code = dossier_code_in(codes);
  if (code.empty()) return false;
  fields.erase(std::remove_if(fields.begin(), fields.end(),
                              [](const storage::Field& f) { return f.name == "dossier_code"; }),
               fields.end());
  fields.push_back({"dossier_code", code, 1.0});
  return true;
}

}  // namespace sohoa::pipeline
