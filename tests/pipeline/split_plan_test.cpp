// Where a stack is cut: separator sheets and Decree 30 opening pages, from
// the pages' codes and OCR layout only.
#include <gtest/gtest.h>

#include "pipeline/documents.h"
#include "pipeline/split.h"

namespace {

using sohoa::pipeline::Page;
using sohoa::pipeline::plan_split;
using sohoa::pipeline::SplitMode;
using sohoa::pipeline::StackPart;

// A page whose OCR found `head` lines in its top third and `body` below.
Page page(int number, const std::vector<std::string>& head,
          const std::vector<std::string>& body = {"Điều 1. Cấp giấy phép xây dựng cho ông"},
          std::vector<std::string> codes = {}) {
  Page p;
  p.number = number;
  p.codes = std::move(codes);
  p.text.width = 2480;
  p.text.height = 3508;
  sohoa::ocr::Block block;
  int y = 150;
  for (const auto& t : head) {
    block.lines.push_back({t, {200, y, 2000, 50}, {}});
    y += 70;
  }
  y = 1400;
  for (const auto& t : body) {
    block.lines.push_back({t, {200, y, 2000, 50}, {}});
    y += 70;
  }
  p.text.blocks.push_back(block);
  return p;
}

const std::vector<std::string> kOpening = {"ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                           "XÃ HÒA ĐỒNG Độc lập - Tự do - Hạnh phúc",
                                           "Số: 392/QĐ-UBND Hòa Đồng, ngày 03 tháng 6 năm 2022"};
const std::vector<std::string> kContinuation = {
    "2. Chủ đầu tư phải thực hiện đúng giấy phép được cấp;", "3. Thời hạn khởi công công trình"};
Page opening(int n) { return page(n, kOpening); }
Page continuation(int n) { return page(n, kContinuation); }
Page separator(int n, const char* code = "SOHOA-SEPARATOR") {
  return page(n, {"SOHOA - TRANG PHAN CACH"}, {}, {code});
}

std::vector<std::pair<int, int>> ranges(const std::vector<StackPart>& parts) {
  std::vector<std::pair<int, int>> out;
  for (const auto& p : parts) out.emplace_back(p.first, p.last);
  return out;
}

using Ranges = std::vector<std::pair<int, int>>;

TEST(OpeningEvidence, ReadsTheThreeMarks) {
  auto e = sohoa::pipeline::opening_evidence(opening(1).text);
  EXPECT_TRUE(e.national_name);
  EXPECT_TRUE(e.motto);
  EXPECT_TRUE(e.number_line);
  EXPECT_EQ(e.score(), 3);
  EXPECT_EQ(sohoa::pipeline::opening_evidence(continuation(2).text).score(), 0);
  // OCR breaks: spaces lost, "0" for "o", accents lost.
  auto broken = sohoa::pipeline::opening_evidence(
      page(1, {"CONGHOA XA HOI CHU NGHIA VIETNAM", "Doc lap -Tu do- Hanh phuc", "S0: 12/GP"}).text);
  EXPECT_EQ(broken.score(), 3);
  // The marks count at the head only: a body citing the national name does not open.
  auto body = sohoa::pipeline::opening_evidence(
      page(2, kContinuation,
           {"Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
            "Độc lập - Tự do - Hạnh phúc", "Số: 5/QĐ"})
          .text);
  EXPECT_EQ(body.score(), 0);
  // "Số" without a colon is a word of the text, not the number line.
  EXPECT_FALSE(
      sohoa::pipeline::opening_evidence(page(2, {"Số nhà 12 đường Trần Phú"}).text).number_line);
}

TEST(Split, NoneKeepsTheFileWhole) {
  auto parts =
      plan_split({opening(1), continuation(2), opening(3), separator(4)}, SplitMode::kNone);
  EXPECT_EQ(ranges(parts), (Ranges{{1, 4}}));
}

TEST(Split, SeparatorCutsAndDropsTheSheets) {
  std::vector<Page> stack = {separator(1),    opening(2),   continuation(3), separator(4, "PATCHT"),
                             opening(5),      separator(6), separator(7),    opening(8),
                             continuation(9), opening(10),  separator(11)};
  auto parts = plan_split(stack, SplitMode::kSeparator);
  // Openings do not cut in separator mode: 8-10 stays one document.
  EXPECT_EQ(ranges(parts), (Ranges{{2, 3}, {5, 5}, {8, 10}}));
  for (const auto& p : parts) EXPECT_TRUE(p.review_reasons.empty());
  EXPECT_EQ(sohoa::pipeline::separator_pages(stack), (std::vector<int>{1, 4, 6, 7, 11}));
  EXPECT_TRUE(plan_split({separator(1), separator(2)}, SplitMode::kSeparator).empty());
}

TEST(Split, AutoCutsBeforeEveryOpening) {
  std::vector<Page> stack = {opening(1),      continuation(2), continuation(3), opening(4),
                             opening(5),      continuation(6), separator(7),    continuation(8),
                             continuation(9), opening(10)};
  auto parts = plan_split(stack, SplitMode::kAuto);
  EXPECT_EQ(ranges(parts), (Ranges{{1, 3}, {4, 4}, {5, 6}, {8, 9}, {10, 10}}));
  for (const auto& p : parts) EXPECT_TRUE(p.review_reasons.empty()) << p.first;
  EXPECT_EQ(sohoa::pipeline::part_suffix(parts[2]), "#5-6");
}

TEST(Split, WeakHeadersGoToReview) {
  // Page 3: the motto and number read, the national name lost: cut, but checked.
  // Page 5: only the national name read: not cut, the document is checked.
  std::vector<Page> stack = {
      opening(1),
      continuation(2),
      page(3, {"ỦY BAN NHÂN DÂN ~~ ~~~ ~~", "Độc lập - Tự do - Hạnh phúc", "Số: 15/GP"}),
      continuation(4),
      page(5, {"CỘNG HÒA XÃ H~~ ~~ ~~~"}),
      opening(6)};
  auto parts = plan_split(stack, SplitMode::kAuto);
  EXPECT_EQ(ranges(parts), (Ranges{{1, 2}, {3, 5}, {6, 6}}));
  EXPECT_TRUE(parts[0].review_reasons.empty());
  ASSERT_EQ(parts[1].review_reasons.size(), 2u);
  EXPECT_NE(parts[1].review_reasons[0].find("page 3"), std::string::npos);
  EXPECT_NE(parts[1].review_reasons[1].find("page 5"), std::string::npos);
  EXPECT_TRUE(parts[2].review_reasons.empty());
}

TEST(Split, ModesByName) {
  EXPECT_EQ(sohoa::pipeline::parse_split_mode("auto"), SplitMode::kAuto);
  EXPECT_EQ(sohoa::pipeline::parse_split_mode("separator"), SplitMode::kSeparator);
  EXPECT_EQ(sohoa::pipeline::parse_split_mode("none"), SplitMode::kNone);
  EXPECT_THROW(sohoa::pipeline::parse_split_mode("pages"), std::invalid_argument);
}

}  // namespace

namespace {

TEST(StackIdentity, PartRangesAndCompleteness) {
  using sohoa::pipeline::part_range;
  using sohoa::pipeline::StoredPart;
  EXPECT_EQ(part_range("ab12#3-5"), (std::pair<int, int>{3, 5}));
  EXPECT_FALSE(part_range("ab12").has_value());
  std::vector<StoredPart> parts = {{1, "h#1-2", 1, 2}, {2, "h#4-6", 4, 6}};
  EXPECT_FALSE(sohoa::pipeline::stack_complete(parts, 8));
  parts.push_back({3, "h#8-8", 8, 8});
  EXPECT_TRUE(sohoa::pipeline::stack_complete(parts, 8));
  EXPECT_FALSE(sohoa::pipeline::stack_complete({}, 8));
}

}  // namespace
