// Lays a document out on A4 pages at 300 dpi in the Decree 30/2020 layout and
// renders each page through Pango (libvips text).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <vips/vips8>

#include "samples/generator/document.h"

namespace sohoa::samples {

constexpr int kPageWidth = 2480;  // A4 at 300 dpi
constexpr int kPageHeight = 3508;
constexpr int kRenderDpi = 300;

struct RenderedPage {
  vips::VImage image;  // one band, uchar, white paper (255), black ink (0)
  // The printed lines in reading order: header left column, then right
  // column, then title and body, then "Nơi nhận" list, then signer block.
  std::vector<std::string> lines;
  // A red seal stamped over the signer block, when the page has one: its
  // ink (one band, 255 = full seal colour, same size as `image`) and where
  // its ring lies (pixels at 300 dpi).
  std::optional<vips::VImage> seal;
  int seal_x = 0, seal_y = 0, seal_radius = 0;
};

// Fonts with Vietnamese glyphs that are installed (fonts-dejavu-core,
// fonts-freefont-ttf, fonts-texgyre).
const std::vector<std::string>& font_families();

std::vector<RenderedPage> render_document(const Document& doc, const std::string& font_family);

}  // namespace sohoa::samples
