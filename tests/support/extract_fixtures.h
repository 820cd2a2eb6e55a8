// Synthetic OCR layouts in the Decree 30/2020 positions the samples
// generator uses (A4 at 300 dpi), for extraction and review tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "metadata/extract.h"
#include "ocr/page_text.h"
#include "storage/records.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"

namespace sohoa::testing::fixtures {

using metadata::Extraction;
using ocr::PageText;

constexpr int kWidth = 2480;
constexpr int kHeight = 3508;
constexpr int kLeftCentre = 740;
constexpr int kRightCentre = 1740;
constexpr int kBodyCentre = 1317;
constexpr int kLeft = 354;

inline std::vector<storage::Unit> tay_hoa_units() {
  std::ifstream in(sohoa::testing::units_csv_path());
  std::string line;
  std::getline(in, line);
  std::vector<storage::Unit> units;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (line.back() == ',') f.emplace_back();
    units.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6]});
  }
  return units;
}

// Words laid out left to right from x, each as wide as its letters.
inline ocr::Line make_line(const std::string& text, int x, int y, float confidence = 95) {
  const int height = 50, char_width = 26, space = 16;
  ocr::Line line;
  line.text = text;
  std::stringstream ss(text);
  std::string word;
  int at = x;
  while (ss >> word) {
    int w = static_cast<int>(text::length(word)) * char_width;
    line.words.push_back({word, {at, y, w, height}, confidence});
    at += w + space;
  }
  line.box = {x, y, at - space - x, height};
  return line;
}

inline int width_of(const std::string& text) { return make_line(text, 0, 0).box.w; }

class PageBuilder {
 public:
  PageBuilder() {
    page_.width = kWidth;
    page_.height = kHeight;
  }
  PageBuilder& centred(const std::string& text, int centre, int y, float confidence = 95) {
    return at(text, centre - width_of(text) / 2, y, confidence);
  }
  PageBuilder& at(const std::string& text, int x, int y, float confidence = 95) {
    page_.blocks.push_back({{}, {make_line(text, x, y, confidence)}});
    return *this;
  }
  // Two columns read by Tesseract as one line.
  PageBuilder& row(const std::string& left, const std::string& right, int y) {
    auto l = make_line(left, kLeftCentre - width_of(left) / 2, y);
    auto r = make_line(right, kRightCentre - width_of(right) / 2, y);
    l.text += " " + r.text;
    l.words.insert(l.words.end(), r.words.begin(), r.words.end());
    l.box.w = r.box.x + r.box.w - l.box.x;
    page_.blocks.push_back({{}, {l}});
    return *this;
  }
  PageText build() const { return page_; }

 private:
  PageText page_;
};

struct Header {
  std::string parent;
  std::vector<std::string> authority = {"ỦY BAN NHÂN DÂN", "XÃ HÒA ĐỒNG"};
  std::string number = "Số: 392/QĐ-UBND";
  std::string date = "Hòa Đồng, ngày 03 tháng 6 năm 2022";
  std::string title = "QUYẾT ĐỊNH";
  std::string subject = "Về việc cấp giấy phép xây dựng";
};

inline PageBuilder header_page(const Header& h) {
  PageBuilder b;
  int y = 210;
  if (!h.parent.empty()) {
    b.row(h.parent, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", y);
    y += 75;
    b.row(h.authority[0], "Độc lập - Tự do - Hạnh phúc", y);
    y += 75;
    for (std::size_t i = 1; i < h.authority.size(); ++i, y += 75) {
      b.centred(h.authority[i], kLeftCentre, y);
    }
  } else {
    b.row(h.authority[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", y);
    y += 75;
    b.row(h.authority.size() > 1 ? h.authority[1] : "", "Độc lập - Tự do - Hạnh phúc", y);
    y += 75;
  }
  y += 40;
  if (!h.number.empty()) b.centred(h.number, kLeftCentre, y);
  if (!h.date.empty()) b.centred(h.date, kRightCentre, y);
  y += 160;
  b.centred(h.title, kBodyCentre, y);
  if (!h.subject.empty()) b.centred(h.subject, kBodyCentre, y + 80);
  return b;
}

inline void body_and_footer(PageBuilder& b, int y, const std::vector<std::string>& roles,
                            const std::string& signer, bool dossier = true) {
  b.at("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", kLeft + 118, y);
  b.at("Điều 1. Cấp phép cho ông Nguyễn Văn Nam, sinh ngày 12/03/1980, Số định danh cá", kLeft,
       y + 80);
  b.at("nhân/CCCD: 054080123456, nơi cư trú: thôn Phú Diễn, xã Hòa Đồng.", kLeft, y + 160);
  if (dossier) b.at("Mã hồ sơ: H46.12-220603-1234", kLeft + 118, y + 240);
  int fy = y + 400;
  b.at("Nơi nhận:", kLeft - 120, fy);
  b.at("- Như Điều 3;", kLeft - 120, fy + 70);
  b.at("- Lưu: VT.", kLeft - 120, fy + 140);
  for (std::size_t i = 0; i < roles.size(); ++i) b.centred(roles[i], kRightCentre, fy + 80 * i);
  b.centred(signer, kRightCentre, fy + 80 * static_cast<int>(roles.size()) + 240);
}

inline std::string value(const Extraction& e, const std::string& name) {
  const auto* f = e.field(name);
  return f ? f->value : "(absent)";
}

inline PageText decision(const Header& h = {}, bool dossier = true) {
  PageBuilder b = header_page(h);
  body_and_footer(b, 900, {"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}, "Đặng Minh Bình", dossier);
  return b.build();
}
}  // namespace sohoa::testing::fixtures
