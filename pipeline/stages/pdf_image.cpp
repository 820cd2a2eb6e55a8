#include "pipeline/stages/pdf_image.h"

#include <cmath>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <stdexcept>

#include "pipeline/stages/pdf_stream.h"

namespace sohoa::pipeline {
namespace {

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
  size_t row_bytes = (static_cast<size_t>(width) + 7) / 8;
  if (packed.size() < row_bytes * height) throw std::runtime_error("short image data");
  std::string grey(static_cast<size_t>(width) * height, '\0');
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      bool bit = (static_cast<unsigned char>(packed[y * row_bytes + x / 8]) >> (7 - x % 8)) & 1;
      grey[static_cast<size_t>(y) * width + x] = (bit == one_is_white) ? '\xff' : '\0';
    }
  }
  return grey;
}

std::string pixel_limit_message(int64_t width, int64_t height, int64_t max_pixels) {
  return "image of " + std::to_string(width) + "x" + std::to_string(height) +
         " pixels is over the limit of " + std::to_string(max_pixels / 1'000'000) + " megapixels";
}

// The frame size a JPEG codestream declares in its SOFn segment, read
// before anything is decoded. nullopt when no frame header comes before the
// scan data.
std::optional<std::pair<int, int>> jpeg_frame_size(const std::string& jpeg) {
  auto byte = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(jpeg[i])); };
  if (jpeg.size() < 4 || byte(0) != 0xFF || byte(1) != 0xD8) return std::nullopt;
  size_t i = 2;
  while (i + 4 <= jpeg.size()) {
    if (byte(i) != 0xFF) return std::nullopt;
    unsigned marker = byte(i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {  // no length
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // EOI or scan before a frame
    size_t length = (byte(i + 2) << 8) | byte(i + 3);
    bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 8 || i + 2 + length > jpeg.size()) return std::nullopt;
      int height = static_cast<int>((byte(i + 5) << 8) | byte(i + 6));
      int width = static_cast<int>((byte(i + 7) << 8) | byte(i + 8));
      return std::make_pair(width, height);
    }
    if (length < 2) return std::nullopt;
    i += 2 + length;
  }
  return std::nullopt;
}

// A JPEG is decoded at the size its own header gives, whatever the PDF
// dictionary says: the header must agree with the dictionary that passed the
// pixel limit.
void check_jpeg_frame(const std::string& jpeg, int width, int height, int64_t max_pixels) {
  auto frame = jpeg_frame_size(jpeg);
  if (!frame) throw std::runtime_error("embedded JPEG has no readable frame header");
  auto [w, h] = *frame;
  if (static_cast<int64_t>(w) * h > max_pixels) {
    throw std::runtime_error("embedded JPEG: " + pixel_limit_message(w, h, max_pixels));
  }
  if (w != width || h != height) {
    throw std::runtime_error("embedded JPEG is " + std::to_string(w) + "x" + std::to_string(h) +
                             " pixels but the PDF says " + std::to_string(width) + "x" +
                             std::to_string(height));
  }
}

bool decode_inverted(QPDFObjectHandle dict) {
  QPDFObjectHandle decode = dict.getKey("/Decode");
  return decode.isArray() && decode.getArrayNItems() == 2 && decode.getArrayItem(0).isNumber() &&
         decode.getArrayItem(0).getNumericValue() == 1.0;
}

// The stream's decoded samples, refused once they pass what `expected` bytes
// of declared pixels can need: the dictionary's size was checked against the
// pixel limit, the data must not be allowed to outgrow it.
std::string bounded_samples(QPDFObjectHandle image, size_t expected, int width, int height) {
  try {
    return decoded_stream_data(image, expected + expected / 16 + 4096);
  } catch (const StreamOverBudget&) {
    throw std::runtime_error("image data inflates past its declared " + std::to_string(width) +
                             "x" + std::to_string(height) + " pixels (a decompression bomb)");
  }
}

std::optional<PdfPageImage> decode_image(QPDFObjectHandle image, double page_width_pt,
                                         int64_t max_pixels) {
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
  if (static_cast<int64_t>(out.width) * out.height > max_pixels) {
    throw std::runtime_error(pixel_limit_message(out.width, out.height, max_pixels));
  }

  std::string filter = single_filter(dict);
  if (filter == "/DCTDecode") {
    // Compressed bytes, as long as the file allows; not decoded here.
    out.encoded = to_string(image.getRawStreamData());
    check_jpeg_frame(out.encoded, out.width, out.height, max_pixels);
    out.is_jpeg = true;
    return out;
  }
  int bands = colour_bands(dict);
  if (bands == 0 || (decode_inverted(dict) && bpc != 1)) return std::nullopt;
  if (filter != "" && filter != "/FlateDecode" && filter != "/LZWDecode") return std::nullopt;
  if (bpc == 8) {
    size_t expected = static_cast<size_t>(out.width) * out.height * bands;
    std::string raw = bounded_samples(image, expected, out.width, out.height);
    if (raw.size() < expected) return std::nullopt;
    out.encoded = std::move(raw);
    out.bands = bands;
    return out;
  }
  if (bpc == 1 && bands == 1) {
    size_t expected = (static_cast<size_t>(out.width) + 7) / 8 * out.height;
    std::string raw = bounded_samples(image, expected, out.width, out.height);
    out.encoded = widen_bits(raw, out.width, out.height, !decode_inverted(dict));
    return out;
  }
  return std::nullopt;
}

}  // namespace

int pdf_page_count(const std::filesystem::path& path) {
  QPDF pdf;
  open_pdf(pdf, path);
  // Once per file, before anything reads the page tree.
  check_object_streams(pdf);
  return static_cast<int>(QPDFPageDocumentHelper(pdf).getAllPages().size());
}

std::optional<PdfPageImage> scanned_page_image(const std::filesystem::path& path, int index,
                                               int64_t max_pixels) {
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
  auto result = decode_image(images.begin()->second, page_w, max_pixels);
  // The image must fill the page at one resolution both ways, as a scan does.
  if (result && std::abs(result->height * 72.0 / page_h - result->dpi) > 0.02 * result->dpi) {
    return std::nullopt;
  }
  return result;
}

}  // namespace sohoa::pipeline
