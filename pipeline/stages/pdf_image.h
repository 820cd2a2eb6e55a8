// Scanned PDFs hold one image per page: reading that image directly is
// 50-500x faster than rendering the page, and keeps the scan's own pixels and
// resolution. SPEC: "a page that is one image may be read from that image
// directly, at its own resolution".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace vips {
class VImage;
}

namespace sohoa::pipeline {

struct PdfPageImage {
  std::string encoded;  // JPEG bytes (DCTDecode), or raw 8-bit grey/RGB samples
  bool is_jpeg = false;
  int width = 0;
  int height = 0;
  int bands = 1;   // raw samples only
  double dpi = 0;  // image pixels per inch of the page's width
};

// The image of page `index` (0-based) when the page is a scan: exactly one
// image, covering the page, in a form decoded here (JPEG, or 8-bit grey/RGB
// and 1-bit grey with generalized filters). nullopt otherwise: the page is
// then rendered. Throws std::runtime_error for an unreadable PDF, one that
// needs a user password, an image over `max_pixels`, samples that inflate
// past the declared size (a Flate bomb: memory stays within the declared
// size), or a JPEG whose own frame header disagrees with the dictionary.
std::optional<PdfPageImage> scanned_page_image(const std::filesystem::path& pdf, int index,
                                               int64_t max_pixels);

// Number of pages; throws std::runtime_error for an unreadable PDF or one that
// needs a user password.
int pdf_page_count(const std::filesystem::path& pdf);

}  // namespace sohoa::pipeline
