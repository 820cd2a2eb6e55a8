#include <gtest/gtest.h>

#include "text/vntext.h"

using namespace sohoa::text;

TEST(Fold, RemovesTonesAndFoldsD) {
  EXPECT_EQ(fold("Quyết Định"), "quyet dinh");
  EXPECT_EQ(fold("ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG"), "uy ban nhan dan xa hoa dong");
  EXPECT_EQ(fold("đ Đ"), "d d");
  EXPECT_EQ(fold("Thị trấn Phú Thứ, ngày 03/6/2022"), "thi tran phu thu, ngay 03/6/2022");
}

TEST(Fold, DecomposedInputFoldsLikeComposed) {
  // "ế" written as e + circumflex + acute (NFD), as some scanners' software emits.
  EXPECT_EQ(fold("quy\x65\xCC\x82\xCC\x81t"), "quyet");
}

TEST(Nfc, ComposesDecomposedText) {
  EXPECT_EQ(nfc("quy\x65\xCC\x82\xCC\x81t"), "quyết");
  EXPECT_EQ(nfc("Hòa"), "Hòa");
}

TEST(Case, LowerAndUpperKeepAccents) {
  EXPECT_EQ(lower("QUYẾT ĐỊNH"), "quyết định");
  EXPECT_EQ(upper("quyết định"), "QUYẾT ĐỊNH");
}

TEST(Spaces, CollapsesRuns) {
  EXPECT_EQ(collapse_spaces("  Số:\t 392 /QĐ-UBND \n"), "Số: 392 /QĐ-UBND");
  EXPECT_EQ(collapse_spaces(""), "");
}

TEST(Accents, Detects) {
  EXPECT_TRUE(has_accents("quyết"));
  EXPECT_TRUE(has_accents("đi"));
  EXPECT_FALSE(has_accents("quyet DINH"));
  EXPECT_EQ(length("Đồng"), 4u);
}
