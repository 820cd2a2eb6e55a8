#include "samples/generator/separator.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include "samples/generator/layout.h"

namespace sohoa::samples {

vips::VImage render_separator_sheet() {
  using vips::VImage;
  constexpr int kQrSize = 1000;  // about 8.5 cm: read at any scan quality
  auto matrix = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                    .setMargin(0)
                    .encode(std::string(kSeparatorContent), kQrSize, kQrSize);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(matrix.width()) * matrix.height());
  for (int y = 0; y < matrix.height(); ++y)
    for (int x = 0; x < matrix.width(); ++x)
      pixels[static_cast<std::size_t>(y) * matrix.width() + x] = matrix.get(x, y) ? 0 : 255;
  VipsImage* qr = vips_image_new_from_memory_copy(pixels.data(), pixels.size(), matrix.width(),
                                                  matrix.height(), 1, VIPS_FORMAT_UCHAR);
  if (qr == nullptr) throw vips::VError();
  VImage code(qr);

  VImage caption =
      VImage::text("<b>TỜ PHÂN CÁCH HỒ SƠ</b>",
                   VImage::option()->set("font", "DejaVu Serif 20")->set("dpi", kRenderDpi));
  VImage page = VImage::black(kPageWidth, kPageHeight).copy_memory();
  page.draw_image(caption, (kPageWidth - caption.width()) / 2, 800);
  page = page.invert();
  page.draw_image(code, (kPageWidth - code.width()) / 2, (kPageHeight - code.height()) / 2);
  return page.cast(VIPS_FORMAT_UCHAR).copy_memory();
}

}  // namespace sohoa::samples
