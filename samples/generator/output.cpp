#include "samples/generator/output.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace sohoa::samples {
namespace {

using vips::VImage;

std::vector<VImage> same_size(const std::vector<VImage>& pages) {
  int w = 0, h = 0;
  for (const auto& p : pages) {
    w = std::max(w, p.width());
    h = std::max(h, p.height());
  }
  std::vector<VImage> out;
  for (const auto& p : pages) {
    if (p.width() == w && p.height() == h) {
      out.push_back(p);
      continue;
    }
    // Pad with the page's own paper: its brightest corner region.
    double paper = p.extract_area(0, 0, std::min(64, p.width()), std::min(64, p.height())).max();
    std::vector<double> background(static_cast<std::size_t>(p.bands()), paper);
    out.push_back(p.embed(
        (w - p.width()) / 2, (h - p.height()) / 2, w, h,
        VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background)));
  }
  return out;
}

VImage stacked(const std::vector<VImage>& pages) {
  if (pages.size() == 1) return pages[0];
  VImage joined = VImage::arrayjoin(pages, VImage::option()->set("across", 1));
  joined = joined.copy();
  joined.set("page-height", pages[0].height());
  return joined;
}

void save_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error(path + ": cannot write");
}

std::string jpeg_bytes(const VImage& page, int quality) {
  VipsBlob* blob = page.jpegsave_buffer(VImage::option()->set("Q", quality)->set("strip", true));
  std::size_t size = 0;
  const void* data = vips_blob_get(blob, &size);
  std::string bytes(static_cast<const char*>(data), size);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

void write_tiff(const std::string& path, const std::vector<VImage>& pages, bool bilevel,
                bool noisy) {
  auto options =
      VImage::option()->set("resunit", VIPS_FOREIGN_TIFF_RESUNIT_INCH)->set("strip", true);
  VImage image = stacked(pages);
  if (bilevel) {
    options->set("compression", VIPS_FOREIGN_TIFF_COMPRESSION_CCITTFAX4)->set("bitdepth", 1);
    image = (image.colourspace(VIPS_INTERPRETATION_B_W) > 128)
                .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
    if (pages.size() > 1) image.set("page-height", pages[0].height());
  } else {
    // LZW on noise: deflate spends a second a page there (its level is
    // ignored), while on clean pages it is a quarter smaller.
    options
        ->set("compression",
              noisy ? VIPS_FOREIGN_TIFF_COMPRESSION_LZW : VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE)
        ->set("predictor", VIPS_FOREIGN_TIFF_PREDICTOR_HORIZONTAL);
  }
  image.tiffsave(path.c_str(), options);
}

}  // namespace

const std::vector<std::string>& format_names() {
  static const std::vector<std::string> names = {"png", "jpg", "webp", "tif", "g4", "pdf"};
  return names;
}

Format parse_format(const std::string& name) {
  const auto& names = format_names();
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::invalid_argument("unknown format '" + name + "'");
  return static_cast<Format>(it - names.begin());
}

std::string extension(Format format) {
  switch (format) {
    case Format::kPng:
      return "png";
    case Format::kJpg:
      return "jpg";
    case Format::kWebp:
      return "webp";
    case Format::kTif:
    case Format::kG4:
      return "tif";
    case Format::kPdf:
      return "pdf";
  }
  return "";
}

bool holds_several_pages(Format f) {
  return f == Format::kTif || f == Format::kG4 || f == Format::kPdf;
}
bool keeps_colour(Format f) {
  return f == Format::kPng || f == Format::kJpg || f == Format::kWebp || f == Format::kPdf;
}
bool stores_jpeg(Format f) { return f == Format::kJpg || f == Format::kPdf; }

std::string scanned_pdf(const std::vector<std::string>& jpegs, const std::vector<int>& widths,
                        const std::vector<int>& heights, const std::vector<bool>& colour, int dpi) {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;  // of objects 1..n
  auto begin_object = [&](std::size_t number) {
    if (offsets.size() < number) offsets.resize(number);
    offsets[number - 1] = pdf.size();
    pdf += std::to_string(number) + " 0 obj\n";
  };
  std::size_t n = jpegs.size();
  begin_object(1);
  pdf += "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
  begin_object(2);
  pdf += "<< /Type /Pages /Kids [";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) pdf += ' ';
    pdf += std::to_string(3 + 3 * i) + " 0 R";
  }
  pdf += "] /Count " + std::to_string(n) + " >>\nendobj\n";
  char buf[256];
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t page = 3 + 3 * i, content = page + 1, image = page + 2;
    double w = widths[i] * 72.0 / dpi, h = heights[i] * 72.0 / dpi;
    begin_object(page);
    std::snprintf(buf, sizeof buf,
                  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject "
                  "<< /Im0 %zu 0 R >> >> /Contents %zu 0 R >>\nendobj\n",
                  w, h, image, content);
    pdf += buf;
    std::snprintf(buf, sizeof buf, "q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n", w, h);
    std::string stream = buf;
    begin_object(content);
    pdf += "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
           "endstream\nendobj\n";
    begin_object(image);
    std::snprintf(buf, sizeof buf,
                  "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s "
                  "/BitsPerComponent 8 /Filter /DCTDecode /Length %zu >>\nstream\n",
                  widths[i], heights[i], colour[i] ? "DeviceRGB" : "DeviceGray", jpegs[i].size());
    pdf += buf;
    pdf += jpegs[i];
    pdf += "\nendstream\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

void write_document(const std::string& path, Format format, const std::vector<VImage>& pages,
                    int dpi, int jpeg_quality, bool noisy) {
  if (pages.empty()) throw std::invalid_argument("a document needs a page");
  if (pages.size() > 1 && !holds_several_pages(format))
    throw std::invalid_argument(path + ": this format holds one page");
  double res = dpi / 25.4;
  std::vector<VImage> set;
  for (const auto& p : same_size(pages))
    set.push_back(p.copy(VImage::option()->set("xres", res)->set("yres", res)));
  switch (format) {
    case Format::kPng:
      // Low zlib effort: level 6 takes seconds on a noisy page for 5% less.
      set[0].pngsave(path.c_str(), VImage::option()->set("compression", 2)->set("strip", true));
      return;
    case Format::kJpg:
      // Not stripped: the JFIF header carries the resolution.
      set[0].jpegsave(path.c_str(), VImage::option()->set("Q", jpeg_quality));
      return;
    case Format::kWebp:
      set[0].webpsave(path.c_str(),
                      VImage::option()->set("Q", 80)->set("effort", 2)->set("strip", true));
      return;
    case Format::kTif:
    case Format::kG4:
      write_tiff(path, set, format == Format::kG4, noisy);
      return;
    case Format::kPdf: {
      std::vector<std::string> jpegs;
      std::vector<int> widths, heights;
      std::vector<bool> colour;
      for (const auto& p : set) {
        jpegs.push_back(jpeg_bytes(p, jpeg_quality));
        widths.push_back(p.width());
        heights.push_back(p.height());
        colour.push_back(p.bands() == 3);
      }
      save_bytes(path, scanned_pdf(jpegs, widths, heights, colour, dpi));
      return;
    }
  }
}

}  // namespace sohoa::samples
