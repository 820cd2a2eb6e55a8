#include "metadata/lexicon.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "metadata/parsers.h"
#include "text/vntext.h"

namespace sohoa::metadata::lexicon {
namespace {

// The 63 provinces and centrally run cities (names as printed in headers).
const std::vector<std::string>& provinces() {
  static const std::vector<std::string> names = {
      "AN GIANG",       "BẮC GIANG",  "BẮC KẠN",     "BẠC LIÊU",   "BẮC NINH",    "BẾN TRE",
      "BÌNH ĐỊNH",      "BÌNH DƯƠNG", "BÌNH PHƯỚC",  "BÌNH THUẬN", "CÀ MAU",      "CẦN THƠ",
      "CAO BẰNG",       "ĐÀ NẴNG",    "ĐẮK LẮK",     "ĐẮK NÔNG",   "ĐIỆN BIÊN",   "ĐỒNG NAI",
      "ĐỒNG THÁP",      "GIA LAI",    "HÀ GIANG",    "HÀ NAM",     "HÀ NỘI",      "HÀ TĨNH",
      "HẢI DƯƠNG",      "HẢI PHÒNG",  "HẬU GIANG",   "HÒA BÌNH",   "HƯNG YÊN",    "KHÁNH HÒA",
      "KIÊN GIANG",     "KON TUM",    "LAI CHÂU",    "LÂM ĐỒNG",   "LẠNG SƠN",    "LÀO CAI",
      "LONG AN",        "NAM ĐỊNH",   "NGHỆ AN",     "NINH BÌNH",  "NINH THUẬN",  "PHÚ THỌ",
      "PHÚ YÊN",        "QUẢNG BÌNH", "QUẢNG NAM",   "QUẢNG NGÃI", "QUẢNG NINH",  "QUẢNG TRỊ",
      "SÓC TRĂNG",      "SƠN LA",     "TÂY NINH",    "THÁI BÌNH",  "THÁI NGUYÊN", "THANH HÓA",
      "THỪA THIÊN HUẾ", "TIỀN GIANG", "HỒ CHÍ MINH", "TRÀ VINH",   "TUYÊN QUANG", "VĨNH LONG",
      "VĨNH PHÚC",      "YÊN BÁI"};
  return names;
}

// Names of bodies and their parts as Decree 30's Appendix I writes them in
// the issuing-body block.
const std::vector<std::string>& bodies() {
  static const std::vector<std::string> names = {"ỦY BAN NHÂN DÂN",
                                                 "UBND",
                                                 "HỘI ĐỒNG NHÂN DÂN",
                                                 "HĐND",
                                                 "QUỐC HỘI",
                                                 "CHÍNH PHỦ",
                                                 "THỦ TƯỚNG CHÍNH PHỦ",
                                                 "VĂN PHÒNG CHÍNH PHỦ",
                                                 "TÒA ÁN NHÂN DÂN",
                                                 "VIỆN KIỂM SÁT NHÂN DÂN",
                                                 "BỘ TƯ PHÁP",
                                                 "BỘ TÀI CHÍNH",
                                                 "BỘ NỘI VỤ",
                                                 "BỘ Y TẾ",
                                                 "BỘ CÔNG AN",
                                                 "BỘ QUỐC PHÒNG",
                                                 "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
                                                 "BỘ XÂY DỰNG",
                                                 "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
                                                 "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                                                 "TỔNG CỤC THUẾ",
                                                 "CỤC THUẾ",
                                                 "CHI CỤC THUẾ",
                                                 "TỔNG CỤC",
                                                 "CHI CỤC",
                                                 "CỤC",
                                                 "SỞ TƯ PHÁP",
                                                 "SỞ Y TẾ",
                                                 "SỞ TÀI CHÍNH",
                                                 "SỞ NỘI VỤ",
                                                 "SỞ XÂY DỰNG",
                                                 "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                                                 "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
                                                 "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
                                                 "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                                                 "SỞ",
                                                 "PHÒNG",
                                                 "BAN",
                                                 "VĂN PHÒNG",
                                                 "TRƯỜNG",
                                                 "BỆNH VIỆN",
                                                 "BỆNH VIỆN ĐA KHOA",
                                                 "BỆNH VIỆN ĐA KHOA TỈNH",
                                                 "ĐA KHOA",
                                                 "CÔNG AN",
                                                 "HUYỆN",
                                                 "QUẬN",
                                                 "XÃ",
                                                 "PHƯỜNG",
                                                 "THỊ TRẤN",
                                                 "THỊ XÃ",
                                                 "THÀNH PHỐ",
                                                 "TRUNG TÂM",
                                                 "NHÂN DÂN"};
  return names;
}

std::string compact_fold(const std::string& text) {
  std::string f = parse::AlignedText(text).folded(), out;
  for (char c : f) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  for (std::size_t b = 0, e; b < s.size(); b = e + 1) {
    e = s.find(' ', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) words.push_back(s.substr(b, e - b));
  }
  return words;
}

// compact fold -> printed phrase; folds that two phrases share are dropped
// (neither may stand for the other).
const std::map<std::string, std::string>& phrase_table() {
  static const std::map<std::string, std::string> table = [] {
    std::vector<std::string> phrases = bodies();
    for (const auto& p : provinces()) {
      phrases.push_back(p);
      phrases.push_back("TỈNH " + p);
      phrases.push_back("THÀNH PHỐ " + p);
      phrases.push_back("UBND TỈNH " + p);
    }
    std::map<std::string, std::string> t;
    std::set<std::string> clashes;
    for (const auto& p : phrases) {
      std::string key = compact_fold(p);
      auto [it, added] = t.emplace(key, p);
      if (!added && it->second != p) clashes.insert(key);
    }
    for (const auto& k : clashes) t.erase(k);
    return t;
  }();
  return table;
}

}  // namespace

std::vector<CheckedWord> check_body_words(
    const std::vector<std::pair<std::string, double>>& words) {
  const auto& table = phrase_table();
  std::vector<CheckedWord> out;
  for (std::size_t i = 0; i < words.size();) {
    bool matched = false;
    for (std::size_t n = std::min<std::size_t>(6, words.size() - i); n >= 1 && !matched; --n) {
      std::string key;
      double confidence = 1.0;
      for (std::size_t k = i; k < i + n; ++k) {
        key += compact_fold(words[k].first);
        confidence = std::min(confidence, words[k].second);
      }
      auto it = table.find(key);
      if (key.empty() || it == table.end()) continue;
      for (const auto& w : split_words(it->second)) out.push_back({w, true, confidence});
      i += n;
      matched = true;
    }
    if (!matched) {
      out.push_back({words[i].first, false, words[i].second});
      ++i;
    }
  }
  return out;
}

const std::vector<std::string>& document_kinds() {
  static const std::vector<std::string> kinds = {"NGHỊ QUYẾT",
                                                 "QUYẾT ĐỊNH",
                                                 "CHỈ THỊ",
                                                 "QUY CHẾ",
                                                 "QUY ĐỊNH",
                                                 "THÔNG CÁO",
                                                 "THÔNG BÁO",
                                                 "HƯỚNG DẪN",
                                                 "CHƯƠNG TRÌNH",
                                                 "KẾ HOẠCH",
                                                 "PHƯƠNG ÁN",
                                                 "ĐỀ ÁN",
                                                 "DỰ ÁN",
                                                 "BÁO CÁO",
                                                 "BIÊN BẢN",
                                                 "TỜ TRÌNH",
                                                 "HỢP ĐỒNG",
                                                 "CÔNG ĐIỆN",
                                                 "BẢN GHI NHỚ",
                                                 "BẢN THỎA THUẬN",
                                                 "GIẤY ỦY QUYỀN",
                                                 "GIẤY MỜI",
                                                 "GIẤY GIỚI THIỆU",
                                                 "GIẤY NGHỈ PHÉP",
                                                 "PHIẾU GỬI",
                                                 "PHIẾU CHUYỂN",
                                                 "PHIẾU BÁO",
                                                 "THƯ CÔNG",
                                                 "LUẬT",
                                                 "NGHỊ ĐỊNH",
                                                 "THÔNG TƯ",
                                                 "PHÁP LỆNH",
                                                 "ĐƠN"};
  return kinds;
}

bool spelt_like_a_word(const std::string& word) {
  // Folded ("đ" as "d", marks dropped): initial, vowels, final.
  static const std::regex syllable(
      "^(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$");
  static const std::regex consonants("^[bcdfghjklmnpqrstvwxz]+$");
  static const std::regex number("^[0-9]+$");
  std::string f = parse::AlignedText(parse::clean(word)).folded();
  while (!f.empty() && std::string(".,;:").find(f.back()) != std::string::npos) f.pop_back();
  if (f.empty()) return false;
  // A dash or a rule between words spells nothing and misreads nothing.
  if (std::none_of(f.begin(), f.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
    return true;
  }
  for (std::size_t b = 0, e; b <= f.size(); b = e + 1) {
    e = f.find_first_of(".-", b);
    if (e == std::string::npos) e = f.size();
    std::string part = f.substr(b, e - b);
    if (part.empty()) return false;
    if (!std::regex_match(part, syllable) && !std::regex_match(part, consonants) &&
        !std::regex_match(part, number)) {
      return false;
    }
  }
  return true;
}

bool is_family_name(const std::string& word) {
  static const std::set<std::string> names = {
      "NGUYỄN", "TRẦN",   "LÊ",    "PHẠM", "HOÀNG", "HUỲNH", "PHAN",  "VŨ",    "VÕ",     "ĐẶNG",
      "BÙI",    "ĐỖ",     "HỒ",    "NGÔ",  "DƯƠNG", "LÝ",    "ĐÀO",   "ĐOÀN",  "VƯƠNG",  "TRỊNH",
      "TRƯƠNG", "LÂM",    "PHÙNG", "MAI",  "TÔ",    "HÀ",    "TẠ",    "QUÁCH", "LƯƠNG",  "ĐINH",
      "THÁI",   "CAO",    "CHU",   "CHÂU", "LƯU",   "ĐÀM",   "KIỀU",  "VĂN",   "TĂNG",   "TRIỆU",
      "HỨA",    "LỤC",    "KHÚC",  "NÔNG", "LA",    "TỪ",    "THÂN",  "TÔN",   "GIANG",  "ÂU",
      "MẠC",    "LÒ",     "ÔNG",   "DOÃN", "HẠ",    "DIỆP",  "ĐỒNG",  "KHỔNG", "LÃ",     "LẠI",
      "MÃ",     "NGHIÊM", "NINH",  "PHÍ",  "QUAN",  "TỐNG",  "TRÌNH", "VI",    "VIÊN",   "BẠCH",
      "BẾ",     "CÙ",     "CÔNG",  "CUNG", "ĐẬU",   "ĐIỀN",  "ĐƯỜNG", "HẦU",   "HOA",    "KIM",
      "KHA",    "KHƯƠNG", "LĂNG",  "LIÊU", "MẠNH",  "NHÂM",  "ÔN",    "PHÓ",   "PHƯƠNG", "SẦM",
      "TIÊU",   "THẠCH",  "THIỀU", "TIẾT", "UNG",   "HÀN",   "LỮ",    "BÀNH",  "BIỆN",   "CHẾ",
      "CHUNG",  "HỒNG",   "KHUẤT", "LÔ",   "LỘC",   "QUẢN",  "SƠN",   "THÁI",  "YÊN",    "ĐÁI"};
  return names.count(text::upper(parse::clean(word))) > 0;
}

}  // namespace sohoa::metadata::lexicon
