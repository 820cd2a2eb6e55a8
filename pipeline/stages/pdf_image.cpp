#include "pipeline/stages/pdf_image.h"

#include <cmath>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <stdexcept>

namespace sohoa::pipeline {
namespace {

void open_pdf(QPDF& pdf, const std::filesystem::path& path) {
  pdf.setSuppressWarnings(true);
  try {
    pdf.processFile(path.c_str());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) throw std::runtime_error("encrypted PDF (password)");
    throw std::runtime_error(std::string("unreadable PDF: ") + e.what());
  }
  if (pdf.isEncrypted()) throw std::runtime_error("encrypted PDF (password)");
}

std::string single_filter(QPDFObjectHandle dict) {
  QPDFObjectHandle filter = dict.getKey("/Filter");
  if (filter.isName()) return filter.getName();
  if (filter.isArray() && filter.getArrayNItems() == 1 && filter.getArrayItem(0).isName()) {
    return filter.getArrayItem(0).getName();
  }
  return filter.isNull() ? "" : "?";
}

int colour_bands(QPDFObjectHandle dict) {
  QPDFObjectHandle cs = dict.getKey("/ColorSpace");
  if (cs.isName()) {
    if (cs.getName() == "/DeviceGray") return 1;
    if (cs.getName() == "/DeviceRGB") return 3;
  }
  return 0;  // indexed, ICC, CMYK...: let the renderer handle it
}

std::string to_string(const std::shared_ptr<Buffer>& buffer) {
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

// 1-bit rows (padded to bytes, 1 = white unless /Decode says otherwise)
// widened to 8-bit grey.
std::string widen_bits(const std::string& packed, int width, int height, bool one_is_white) {
  std::string grey(static_cast<size_t>(width) * height, '\0');
  size_t row_bytes = (static_cast<size_t>(width) + 7) / 8;
  if (packed.size() < row_bytes * height) throw std::runtime_error("short image data");
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      bool bit = (static_cast<unsigned char>(packed[y * row_bytes + x / 8]) >> (7 - x % 8)) & 1;
      grey[static_cast<size_t>(y) * width + x] = (bit == one_is_white) ? '\xff' : '\0';
    }
  }
  return grey;
}

bool decode_inverted(QPDFObjectHandle dict) {
  QPDFObjectHandle decode = dict.getKey("/Decode");
  return decode.isArray() && decode.getArrayNItems() == 2 && decode.getArrayItem(0).isNumber() &&
         decode.getArrayItem(0).getNumericValue() == 1.0;
}

std::optional<PdfPageImage> decode_image(QPDFObjectHandle image, double page_width_pt) {
  QPDFObjectHandle dict = image.getDict();
  PdfPageImage out;
  out.width = dict.getKey("/Width").isInteger() ? dict.getKey("/Width").getIntValueAsInt() : 0;
  out.height = dict.getKey("/Height").isInteger() ? dict.getKey("/Height").getIntValueAsInt() : 0;
  int bpc = dict.getKey("/BitsPerComponent").isInteger()
                ? dict.getKey("/BitsPerComponent").getIntValueAsInt()
                : 0;
  if (out.width <= 0 || out.height <= 0 || page_width_pt <= 0) return std::nullopt;
  out.dpi = out.width * 72.0 / page_width_pt;
  if (out.dpi < 70) return std::nullopt;  // a picture on the page, not the page

  std::string filter = single_filter(dict);
  if (filter == "/DCTDecode") {
    out.encoded = to_string(image.getRawStreamData());
    out.is_jpeg = true;
    return out;
  }
  int bands = colour_bands(dict);
  if (bands == 0 || (decode_inverted(dict) && bpc != 1)) return std::nullopt;
  if (filter != "" && filter != "/FlateDecode" && filter != "/LZWDecode") return std::nullopt;
  std::string raw = to_string(image.getStreamData(qpdf_dl_generalized));
  if (bpc == 8) {
    if (raw.size() < static_cast<size_t>(out.width) * out.height * bands) return std::nullopt;
    out.encoded = std::move(raw);
    out.bands = bands;
    return out;
  }
  if (bpc == 1 && bands == 1) {
    out.encoded = widen_bits(raw, out.width, out.height, !decode_inverted(dict));
    return out;
  }
  return std::nullopt;
}

}  // namespace

int pdf_page_count(const std::filesystem::path& path) {
  QPDF pdf;
  open_pdf(pdf, path);
  return static_cast<int>(QPDFPageDocumentHelper(pdf).getAllPages().size());
}

std::optional<PdfPageImage> scanned_page_image(const std::filesystem::path& path, int index) {
  QPDF pdf;
  open_pdf(pdf, path);
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  if (index < 0 || index >= static_cast<int>(pages.size())) {
    throw std::runtime_error("page " + std::to_string(index + 1) + " does not exist");
  }
  QPDFPageObjectHelper& page = pages[static_cast<size_t>(index)];
  auto images = page.getImages();
  if (images.size() != 1) return std::nullopt;
  // A rotated page would need the image turned too; render those instead.
  QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
  if (rotate.isInteger() && rotate.getIntValue() % 360 != 0) return std::nullopt;
  auto box = page.getMediaBox().getArrayAsRectangle();
  double page_w = std::abs(box.urx - box.llx), page_h = std::abs(box.ury - box.lly);
  auto result = decode_image(images.begin()->second, page_w);
  // The image must fill the page at one resolution both ways, as a scan does.
  if (result && std::abs(result->height * 72.0 / page_h - result->dpi) > 0.02 * result->dpi) {
    return std::nullopt;
  }
  return result;
}

}  // namespace sohoa::pipeline
