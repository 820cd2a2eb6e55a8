#include "pipeline/stages/load.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <regex>
#include <string_view>
#include <vips/vips8>

#include "pipeline/stages/pdf_image.h"
#include "pipeline/stages/pdf_text.h"

namespace sohoa::pipeline {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

void init_vips_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("sohoa") != 0) throw LoadError("libvips failed to start");
    // Pages are decoded once and handed on; libvips' operation cache would
    // only hold memory.
    vips_cache_set_max(0);
    // Damage is reported through LoadError; libvips' own warnings to stderr
    // would only repeat it, out of place.
    g_log_set_handler(
        "VIPS", G_LOG_LEVEL_WARNING, [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {},
        nullptr);
  });
}

// libvips' loader name, e.g. "VipsForeignLoadTiffFile" -> "tiff".
std::string format_of(const std::filesystem::path& path) {
  const char* loader = vips_foreign_find_load(path.c_str());
  if (loader == nullptr) {
    vips_error_clear();
    throw LoadError("not a readable image or PDF");
  }
  std::string name = loader;
  for (const char* fmt : {"Pdf", "Tiff", "Png", "Jpeg", "Webp", "Gif", "Heif"}) {
    if (name.find(fmt) != std::string::npos) {
      std::string lower = fmt;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      return lower;
    }
  }
  // libvips could read it (CSV, a matrix, SVG…), but it is no scan; its
  // loader's name means nothing to a clerk.
  throw LoadError("not an image or PDF");
}

bool is_multipage(const std::string& format) {
  return format == "tiff" || format == "pdf" || format == "webp" || format == "gif";
}

std::string vips_message(const vips::VError& e) {
  std::string msg = e.what();
  vips_error_clear();
  // libvips messages end with a newline and may span lines; keep one line.
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  // Each line starts with the libvips class or function that speaks
  // ("VipsJpeg: ", "VipsForeignLoadPngFile: ", "tiff2vips: "): a name that
  // means nothing to a clerk (issue 18.5). The words after it stay.
  static const std::regex speaker(R"((^|\s)(Vips\w*|vips_\w+|\w+2vips): )");
  msg = std::regex_replace(msg, speaker, "$1");
  // libvips keeps one error buffer for all threads: a worker clearing its
  // own message can take another's with it, so the reason may be gone.
  if (msg.empty()) msg = "the image cannot be decoded (a damaged or cut file)";
  return msg;
}

// libjpeg reports a cut file that still ends with EOI, or a header claiming
// more rows than the data holds, only as a warning ("premature end of data
// segment") and fills the rest grey: half a page, or a blank one, that
// looks read. For JPEG a warning is therefore a failure.
VipsFailOn fail_level(const std::string& format) {
  return format == "jpeg" ? VIPS_FAIL_ON_WARNING : VIPS_FAIL_ON_ERROR;
}

vips::VOption* load_options(const std::string& format, int page, int pdf_dpi) {
  vips::VOption* opts = vips::VImage::option()->set("fail_on", fail_level(format));
  if (is_multipage(format)) opts->set("page", page);
  if (format == "pdf") opts->set("dpi", static_cast<double>(pdf_dpi));
  return opts;
}

vips::VImage open_page(const std::filesystem::path& path, const std::string& format, int page,
                       const LoadOptions& options, int pdf_dpi = 0) {
  return vips::VImage::new_from_file(
      path.c_str(), load_options(format, page, pdf_dpi > 0 ? pdf_dpi : options.pdf_dpi));
}

// The resolution to render a PDF page at: a scan's own (its page-filling
// image's pixels as drawn, within 100-600 dpi), else the configured one.
int render_dpi(const PdfPageContent& content, const LoadOptions& options) {
  if (!content.page_filling_image || content.image_dpi <= 0) return options.pdf_dpi;
  return static_cast<int>(std::lround(std::clamp(content.image_dpi, 100.0, 600.0)));
}

int plausible_dpi(double pixels_per_mm, int assumed) {
  double dpi = pixels_per_mm * 25.4;
  if (!std::isfinite(dpi) || dpi < 100 || dpi > 1200) return assumed;
  return static_cast<int>(std::lround(dpi));
}

void check_pixel_limit(const vips::VImage& image, const LoadOptions& options) {
  int64_t pixels = static_cast<int64_t>(image.width()) * image.height();
  if (pixels > options.max_pixels) {
    throw LoadError("image of " + std::to_string(image.width()) + "x" +
                    std::to_string(image.height()) + " pixels is over the limit of " +
                    std::to_string(options.max_pixels / 1'000'000) + " megapixels");
  }
  if (image.width() < 16 || image.height() < 16) {
    throw LoadError("image of " + std::to_string(image.width()) + "x" +
                    std::to_string(image.height()) + " pixels is too small to be a page");
  }
}

// Any band layout and depth to one 8-bit grey band, transparent areas white.
vips::VImage to_grey8(vips::VImage image) {
  if (image.has_alpha()) {
    image = image.flatten(vips::VImage::option()->set("background", std::vector<double>{255.0}));
  }
  if (image.bands() > 1 || image.interpretation() != VIPS_INTERPRETATION_B_W) {
    image = image.colourspace(VIPS_INTERPRETATION_B_W);
  }
  if (image.bands() > 1) image = image.extract_band(0);
  if (image.format() != VIPS_FORMAT_UCHAR) {
    if (image.format() == VIPS_FORMAT_USHORT) image = image / 257;
    image = image.cast(VIPS_FORMAT_UCHAR);
  }
  return image;
}

// The page's embedded scan image, decoded, or nothing when the page must be
// rendered.
std::optional<vips::VImage> embedded_pdf_image(const std::filesystem::path& path, int page,
                                               const LoadOptions& options, int& dpi) {
  std::optional<PdfPageImage> embedded = scanned_page_image(path, page, options.max_pixels);
  if (!embedded) return std::nullopt;
  dpi = static_cast<int>(std::lround(embedded->dpi));
  if (embedded->is_jpeg) {
    // Its frame header agreed with the dictionary that passed the pixel
    // limit. A codestream that ends early is libjpeg's warning, not its
    // error: a half page must fail, not pass as a page.
    try {
      vips::VImage image = vips::VImage::new_from_buffer(
          embedded->encoded, "", vips::VImage::option()->set("fail_on", VIPS_FAIL_ON_WARNING));
      // Decode now: the bytes go out of scope with `embedded`.
      return image.copy_memory();
    } catch (const vips::VError& e) {
      throw std::runtime_error("embedded JPEG: " + vips_message(e));
    }
  }
  vips::VImage image = vips::VImage::new_from_memory(
      embedded->encoded.data(), embedded->encoded.size(), embedded->width, embedded->height,
      embedded->bands, VIPS_FORMAT_UCHAR);
  image = image.copy(vips::VImage::option()->set(
      "interpretation", embedded->bands == 1 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB));
  return image.copy_memory();
}

// The colour of a colour page as 8-bit RGB (transparent areas white), for
// the colour stage (page.h); empty for grey pages. Isolated hook: the rest of
// loading is unchanged.
cv::Mat colour_of(vips::VImage image) {
  if (image.bands() < 3 || image.interpretation() == VIPS_INTERPRETATION_B_W) return {};
  if (image.has_alpha()) {
    image = image.flatten(
        vips::VImage::option()->set("background", std::vector<double>{255.0, 255.0, 255.0}));
  }
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB)
    image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  if (image.bands() > 3) image = image.extract_band(0, vips::VImage::option()->set("n", 3));
  if (image.format() != VIPS_FORMAT_UCHAR) {
    if (image.format() == VIPS_FORMAT_USHORT) image = image / 257;
    image = image.cast(VIPS_FORMAT_UCHAR);
  }
  size_t size = 0;
  void* pixels = image.write_to_memory(&size);
  cv::Mat copy(image.height(), image.width(), CV_8UC3);
  std::memcpy(copy.data, pixels, std::min(size, copy.total() * 3));
  g_free(pixels);
  return copy;
}

cv::Mat to_mat(const vips::VImage& grey) {
  size_t size = 0;
  void* pixels = grey.write_to_memory(&size);
  cv::Mat copy(grey.height(), grey.width(), CV_8UC1);
  std::memcpy(copy.data, pixels, std::min(size, copy.total()));
  g_free(pixels);
  return copy;
}

}  // namespace

bool is_scan_file(const std::filesystem::path& path) {
  static const char* const kExtensions[] = {".png",  ".jpg", ".jpeg", ".tif",
                                            ".tiff", ".pdf", ".webp"};
  std::string ext = lower_extension(path);
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](const char* e) { return ext == e; });
}

std::string why_not_a_scan(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return {};
  char head[1024];
  size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  if (n == 0) return "empty file";
  std::string_view b(head, n);
  auto starts = [&](std::string_view magic, size_t at = 0) {
    return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
  };
  bool image = starts("\x89PNG\r\n\x1a\n") || starts("\xff\xd8\xff") ||
               starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)) ||
               (starts("RIFF") && starts("WEBP", 8)) || starts("GIF87a") || starts("GIF89a");
  // PDF readers accept the header anywhere in the first 1024 bytes.
  bool pdf = b.find("%PDF-") != std::string_view::npos;
  if (image || pdf) return {};
  std::string ext = lower_extension(path);
  return "not an image or PDF" + (ext.empty() ? std::string() : " (a " + ext + " file)");
}

ScanFile::ScanFile(std::filesystem::path path, LoadOptions options)
    : path_(std::move(path)), options_(options) {
  init_vips_once();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path_, ec)) throw LoadError("no such file");
  if (std::filesystem::file_size(path_, ec) == 0) throw LoadError("empty file");
  format_ = format_of(path_);
  if (format_ == "pdf") {
    // qpdf reads the structure without rendering, and names encryption.
    try {
      page_count_ = pdf_page_count(path_);
    } catch (const std::exception& e) {
      throw LoadError(e.what());
    }
    if (page_count_ == 0) throw LoadError("PDF has no pages");
    return;
  }
  try {
    vips::VImage first = open_page(path_, format_, 0, options_);
    if (is_multipage(format_) && first.get_typeof("n-pages") != 0) {
      page_count_ = std::max(1, first.get_int("n-pages"));
    }
    check_pixel_limit(first, options_);
  } catch (const vips::VError& e) {
    throw LoadError(vips_message(e));
  }
}

Page ScanFile::load_page(int number) const {
  if (number < 1 || number > page_count_) {
    throw LoadError("page " + std::to_string(number) + " does not exist");
  }
  try {
    Page page;
    page.number = number;
    int embedded_dpi = 0;
    std::optional<vips::VImage> embedded;
    if (format_ == "pdf") embedded = embedded_pdf_image(path_, number - 1, options_, embedded_dpi);
    // A PDF page that is not one scan image taken as it is: a scan drawn
    // otherwise (rendered at its own resolution), or a born-digital page,
    // whose own text is exact where OCR guesses.
    std::optional<PdfPageContent> content;
    if (format_ == "pdf" && !embedded) content = pdf_page_content(path_, number - 1);
    int dpi = content ? render_dpi(*content, options_) : options_.pdf_dpi;
    vips::VImage image =
        embedded ? *embedded : open_page(path_, format_, number - 1, options_, dpi);
    check_pixel_limit(image, options_);
    page.dpi = plausible_dpi(image.xres(), options_.assumed_dpi);
    if (format_ == "pdf") page.dpi = embedded ? embedded_dpi : dpi;
    if (content) {
      // Its words are placed on the rendering.
      if (auto text = pdf_page_text(path_, number - 1, *content, image.width(), image.height())) {
        page.text = std::move(*text);
        page.text_source = TextSource::pdf;
      }
    }
    page.image = to_mat(to_grey8(image));
    page.colour = colour_of(image);
    page.scan_width = page.image.cols;
    page.scan_height = page.image.rows;
    page.scan_dpi = page.dpi;
    return page;
  } catch (const vips::VError& e) {
    throw LoadError("page " + std::to_string(number) + ": " + vips_message(e));
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const LoadError*>(&e) != nullptr) throw;
    throw LoadError("page " + std::to_string(number) + ": " + e.what());
  }
}

}  // namespace sohoa::pipeline
