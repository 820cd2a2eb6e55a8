// Pages with known ground truth for the restoration tests and benchmarks:
// Vietnamese administrative text rendered by libvips at 300 dpi on an A4
// sheet, then turned, skewed and degraded with OpenCV by known amounts.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>
#include <vips/vips8>

namespace sohoa::testing {

inline const std::vector<std::string>& letterhead_left() {
  static const std::vector<std::string> lines = {"ỦY BAN NHÂN DÂN", "XÃ HÒA ĐỒNG",
                                                 "Số: 392/QĐ-UBND"};
  return lines;
}

inline const std::vector<std::string>& letterhead_right() {
  static const std::vector<std::string> lines = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                 "Độc lập - Tự do - Hạnh phúc",
                                                 "Hòa Đồng, ngày 03 tháng 6 năm 2022"};
  return lines;
}

inline const std::vector<std::string>& body_lines() {
  static const std::vector<std::string> lines = {
      "QUYẾT ĐỊNH",
      "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
      "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG",
      "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
      "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014 và các văn bản hướng dẫn;",
      "Xét đề nghị của công chức địa chính - xây dựng tại Tờ trình số 15/TTr;",
      "Điều 1. Cấp giấy phép xây dựng cho ông Đặng Minh Bình, sinh năm 1978,",
      "số định danh cá nhân 054236051354, thường trú tại thôn Phú Thứ.",
      "Điều 2. Chủ đầu tư có trách nhiệm thực hiện đúng nội dung giấy phép,",
      "báo cáo kết quả với Ủy ban nhân dân xã khi công trình hoàn thành.",
      "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Ủy ban,",
      "công chức địa chính và ông Đặng Minh Bình chịu trách nhiệm thi hành.",
      "Mã hồ sơ: H46.57-220603-3392",
      "Nơi nhận: Như Điều 3; Lưu: VT, ĐC.",
      "Tiến độ số hóa kết quả giải quyết thủ tục hành chính được kiểm tra.",
      "Người đề nghị được hướng dẫn ghi đầy đủ thông tin trên tờ khai."};
  return lines;
}

// Every line of the page, block by block (left letterhead, right letterhead, body).
inline std::vector<std::string> page_lines() {
  std::vector<std::string> all = letterhead_left();
  all.insert(all.end(), letterhead_right().begin(), letterhead_right().end());
  all.insert(all.end(), body_lines().begin(), body_lines().end());
  return all;
}

inline void ensure_vips() {
  static const bool started = [] { return VIPS_INIT("sohoa-test") == 0; }();
  (void)started;
}

// Black ink on white of one line of text, tightly cropped.
inline cv::Mat render_line(const std::string& text, const std::string& font = "DejaVu Serif 13",
                           int dpi = 300) {
  ensure_vips();
  vips::VImage ink = vips::VImage::text(
      text.c_str(), vips::VImage::option()->set("font", font.c_str())->set("dpi", dpi));
  vips::VImage grey = ink.invert().cast(VIPS_FORMAT_UCHAR);
  std::size_t size = 0;
  void* bytes = grey.write_to_memory(&size);
  cv::Mat wrap(grey.height(), grey.width(), CV_8UC1, bytes);
  cv::Mat copy = wrap.clone();
  g_free(bytes);
  return copy;
}

inline void paste(cv::Mat& page, const cv::Mat& piece, int x, int y) {
  cv::Rect box(x, y, piece.cols, piece.rows);
  box &= cv::Rect(0, 0, page.cols, page.rows);
  piece(cv::Rect(0, 0, box.width, box.height)).copyTo(page(box));
}

// An upright A4 page at 300 dpi (2480 × 3508), white paper, black text.
inline cv::Mat render_page(const std::string& font = "DejaVu Serif 13") {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  const int line_step = 90;
  int y = 300;
  for (const auto& text : letterhead_left()) {
    cv::Mat line = render_line(text, font);
    paste(page, line, 560 - line.cols / 2, y);
    y += line_step;
  }
  y = 300;
  for (const auto& text : letterhead_right()) {
    cv::Mat line = render_line(text, font);
    paste(page, line, 1640 - line.cols / 2, y);
    y += line_step;
  }
  y = 700;
  for (const auto& text : body_lines()) {
    cv::Mat line = render_line(text, font);
    paste(page, line, 240, y);
    y += line_step;
  }
  return page;
}

// The page skewed by `skew_deg` (content turned counter-clockwise, lines rising
// to the right) and then turned counter-clockwise by `rotation` (0/90/180/270),
// as a scanner would see it. Uncovered areas get `fill`.
inline cv::Mat scan(const cv::Mat& upright, double skew_deg, int rotation, int fill = 255) {
  cv::Mat skewed;
  cv::Point2f centre(upright.cols / 2.0f, upright.rows / 2.0f);
  cv::warpAffine(upright, skewed, cv::getRotationMatrix2D(centre, skew_deg, 1.0), upright.size(),
                 cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(fill));
  cv::Mat turned;
  switch (rotation) {
    case 90:
      cv::rotate(skewed, turned, cv::ROTATE_90_COUNTERCLOCKWISE);
      return turned;
    case 180:
      cv::rotate(skewed, turned, cv::ROTATE_180);
      return turned;
    case 270:
      cv::rotate(skewed, turned, cv::ROTATE_90_CLOCKWISE);
      return turned;
    default:
      return skewed;
  }
}

// Scanner damage: light falling off towards one side, grey paper, salt and
// pepper specks, a dark border strip, Gaussian noise; seeded, so repeatable.
inline cv::Mat degrade(const cv::Mat& page, unsigned seed, bool border = true) {
  std::mt19937 random(seed);
  cv::Mat out;
  page.convertTo(out, CV_32F);
  // Grey paper and light falling off to the right: ink stays proportional.
  for (int r = 0; r < out.rows; ++r) {
    float* row = out.ptr<float>(r);
    for (int c = 0; c < out.cols; ++c) row[c] *= 0.82f - 0.25f * c / out.cols;
  }
  cv::Mat noise(out.size(), CV_32F);
  cv::randn(noise, 0, 8);
  out += noise;
  out.convertTo(out, CV_8UC1);
  std::uniform_int_distribution<int> col(0, out.cols - 1), row(0, out.rows - 1);
  for (int i = 0; i < 4000; ++i) out.at<uchar>(row(random), col(random)) = i % 2 ? 0 : 255;
  if (border) out(cv::Rect(0, 0, out.cols / 30, out.rows)).setTo(20);
  return out;
}

}  // namespace sohoa::testing
