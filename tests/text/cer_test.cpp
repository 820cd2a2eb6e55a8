#include "text/cer.h"

#include <gtest/gtest.h>

using namespace sohoa::text;

TEST(EditDistance, CountsCodePointsNotBytes) {
  EXPECT_EQ(edit_distance("Hòa Đồng", "Hòa Đồng"), 0u);
  EXPECT_EQ(edit_distance("Hòa Đồng", "Hoa Đồng"), 1u);  // ò is two bytes, one edit
  EXPECT_EQ(edit_distance("ệ", "e"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(EditDistance, ComparesNfcForms) {
  EXPECT_EQ(edit_distance("quy\x65\xCC\x82\xCC\x81t", "quyết"), 0u);
}

TEST(CharacterErrorRate, PerfectReadingIsZero) {
  EXPECT_DOUBLE_EQ(
      character_error_rate("Số: 392/QĐ-UBND\nQUYẾT ĐỊNH\n", "Số: 392/QĐ-UBND\nQUYẾT ĐỊNH"), 0.0);
}

TEST(CharacterErrorRate, NothingReadIsOne) {
  EXPECT_DOUBLE_EQ(character_error_rate("QUYẾT ĐỊNH", ""), 1.0);
  EXPECT_DOUBLE_EQ(character_error_rate("", ""), 0.0);
}

TEST(CharacterErrorRate, CountsSubstitutionsOverTruthLength) {
  // 10 code points in the truth, one tone mark lost.
  CerCount count = character_errors("QUYẾT ĐỊNH", "QUYÊT ĐỊNH");
  EXPECT_EQ(count.truth_chars, 10u);
  EXPECT_EQ(count.edits, 1u);
  EXPECT_DOUBLE_EQ(count.rate(), 0.1);
}

TEST(CharacterErrorRate, IgnoresSpaceRunsAndBlankLines) {
  EXPECT_DOUBLE_EQ(character_error_rate("Độc lập - Tự do", "\n\n  Độc   lập - Tự do  \n\n"), 0.0);
}

TEST(CharacterErrorRate, BlockOrderDoesNotMatter) {
  const char* truth = "ỦY BAN NHÂN DÂN\nXÃ HÒA ĐỒNG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n";
  const char* swapped = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nỦY BAN NHÂN DÂN\nXÃ HÒA ĐỒNG\n";
  EXPECT_DOUBLE_EQ(character_error_rate(truth, swapped), 0.0);
}

TEST(CharacterErrorRate, ColumnsReadAcrossIntoOneLineStillMatch) {
  const char* truth = "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n";
  const char* merged = "ỦY BAN NHÂN DÂN     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n";
  EXPECT_DOUBLE_EQ(character_error_rate(truth, merged), 0.0);
}

TEST(CharacterErrorRate, ExtraAndMissingLinesCountFully) {
  // Truth 11 + 4 code points; the OCR lost "Ngày" and added "xyz".
  CerCount count = character_errors("XÃ HÒA ĐỒNG\nNgày", "XÃ HÒA ĐỒNG\nxyz");
  EXPECT_EQ(count.truth_chars, 15u);
  EXPECT_EQ(count.edits, 4u);  // "Ngày" vs "xyz": 4 edits whether matched or not
}

TEST(CharacterErrorRate, GarbageCountsAsInsertions) {
  CerCount count = character_errors("abc", "abc\n~~~~");
  EXPECT_EQ(count.edits, 4u);
  EXPECT_DOUBLE_EQ(count.rate(), 4.0 / 3);
}
