#include "export/separator_sheet.h"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <cmath>
#include <opencv2/imgproc.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>
#include <stdexcept>

namespace sohoa::exports {
namespace {

constexpr double kA4WidthMm = 210.0;
constexpr double kA4HeightMm = 297.0;

int mm(double millimetres, int dpi) {
  return static_cast<int>(std::lround(millimetres * dpi / 25.4));
}

// Draws `matrix` (true = ink) scaled to the rectangle `at`, nearest module.
void draw(cv::Mat& page, const ZXing::BitMatrix& matrix, cv::Rect at) {
  for (int y = 0; y < at.height; ++y) {
    int my = y * matrix.height() / at.height;
    uchar* row = page.ptr<uchar>(at.y + y);
    for (int x = 0; x < at.width; ++x) {
      int mx = x * matrix.width() / at.width;
      if (matrix.get(mx, my)) row[at.x + x] = 0;
    }
  }
}

void put_text(cv::Mat& page, const std::string& text, int centre_x, int baseline, double height_mm,
              int dpi) {
  double scale = mm(height_mm, dpi) / 22.0;  // Hershey simplex capitals are ~22 px at scale 1
  int thickness = std::max(1, static_cast<int>(std::lround(scale * 2)));
  int base = 0;
  cv::Size size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &base);
  cv::putText(page, text, cv::Point(centre_x - size.width / 2, baseline), cv::FONT_HERSHEY_SIMPLEX,
              scale, cv::Scalar(0), thickness, cv::LINE_AA);
}

}  // namespace

cv::Mat render_separator_sheet(int dpi) {
  cv::Mat page(mm(kA4HeightMm, dpi), mm(kA4WidthMm, dpi), CV_8UC1, cv::Scalar(255));
  const int cx = page.cols / 2;

  // A large QR code in the middle: 25 modules of about 3 mm survive fax-like
  // scans, 200 dpi and any turn of the page.
  ZXing::BitMatrix qr = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                            .setMargin(0)
                            .setEccLevel(6)
                            .encode(kSeparatorContent, 0, 0);
  int qr_side = mm(80, dpi);
  draw(page, qr, cv::Rect(cx - qr_side / 2, (page.rows - qr_side) / 2, qr_side, qr_side));

  // Code 128 near the top and the bottom edge, for readers of linear codes.
  ZXing::BitMatrix bars = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128)
                              .setMargin(0)
                              .encode(kSeparatorContent, 0, 1);
  int bar_w = mm(130, dpi), bar_h = mm(25, dpi);
  draw(page, bars, cv::Rect(cx - bar_w / 2, mm(40, dpi), bar_w, bar_h));
  draw(page, bars, cv::Rect(cx - bar_w / 2, page.rows - mm(40, dpi) - bar_h, bar_w, bar_h));

  put_text(page, "SOHOA - TRANG PHAN CACH", cx, mm(90, dpi), 8, dpi);
  put_text(page, "SEPARATOR SHEET", cx, mm(105, dpi), 6, dpi);
  put_text(page, "Dat giua hai ho so khi quet ca tap", cx, page.rows - mm(95, dpi), 4.5, dpi);
  put_text(page, "(place between two documents of a scanned stack)", cx, page.rows - mm(85, dpi), 4,
           dpi);
  // Anti-aliased text edges are made pure black and white for a 1-bit image.
  cv::threshold(page, page, 160, 255, cv::THRESH_BINARY);
  return page;
}

void write_separator_pdf(const std::filesystem::path& out) {
  const int dpi = 300;
  cv::Mat page = render_separator_sheet(dpi);
  // 1 bit per pixel, rows padded to whole bytes, 1 = paper (DeviceGray).
  const int row_bytes = (page.cols + 7) / 8;
  std::string bits(static_cast<size_t>(row_bytes) * page.rows, '\0');
  for (int y = 0; y < page.rows; ++y) {
    const uchar* row = page.ptr<uchar>(y);
    for (int x = 0; x < page.cols; ++x) {
      if (row[x] >= 128) bits[static_cast<size_t>(y) * row_bytes + x / 8] |= char(0x80 >> (x % 8));
    }
  }

  QPDF pdf;
  pdf.emptyPDF();
  QPDFObjectHandle image = QPDFObjectHandle::newStream(&pdf, bits);
  QPDFObjectHandle dict = image.getDict();
  dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
  dict.replaceKey("/Width", QPDFObjectHandle::newInteger(page.cols));
  dict.replaceKey("/Height", QPDFObjectHandle::newInteger(page.rows));
  dict.replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceGray"));
  dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(1));

  const double w_pt = kA4WidthMm / 25.4 * 72.0, h_pt = kA4HeightMm / 25.4 * 72.0;
  char content[128];
  std::snprintf(content, sizeof content, "q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q\n", w_pt, h_pt);
  QPDFObjectHandle contents = QPDFObjectHandle::newStream(&pdf, content);

  QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
  xobjects.replaceKey("/Im0", image);
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  resources.replaceKey("/XObject", xobjects);

  QPDFObjectHandle page_dict = QPDFObjectHandle::newDictionary();
  page_dict.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
  page_dict.replaceKey(
      "/MediaBox", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{
                       QPDFObjectHandle::newReal(0.0, 3), QPDFObjectHandle::newReal(0.0, 3),
                       QPDFObjectHandle::newReal(w_pt, 3), QPDFObjectHandle::newReal(h_pt, 3)}));
  page_dict.replaceKey("/Contents", contents);
  page_dict.replaceKey("/Resources", resources);
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page_dict)),
                                      false);

  std::string tmp = out.string() + ".tmp";
  try {
    QPDFWriter writer(pdf, tmp.c_str());
    writer.setStaticID(true);  // the same bytes every time
    writer.setCompressStreams(true);
    writer.write();
  } catch (const std::exception& e) {
    std::filesystem::remove(tmp);
    throw std::runtime_error(out.string() + ": cannot write: " + e.what());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw std::runtime_error(out.string() + ": cannot write: " + ec.message());
  }
}

}  // namespace sohoa::exports
