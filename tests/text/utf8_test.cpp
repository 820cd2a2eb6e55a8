// Bytes that should be UTF-8 but may not be: file names and office exports.
#include "text/utf8.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sohoa::text {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8, ValidTextComesBackUnchanged) {
  EXPECT_TRUE(is_valid_utf8("Quyết định số 12/QĐ-UBND"));
  EXPECT_EQ(valid_utf8("Hòa Đồng"), "Hòa Đồng");
  EXPECT_EQ(first_invalid_utf8("Hòa"), std::string::npos);
}

TEST(Utf8, EachInvalidByteBecomesOneReplacementCharacter) {
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a" + kFffd + "b");
  // A lead byte cut short, an overlong "/", a surrogate: one U+FFFD per byte.
  EXPECT_EQ(valid_utf8("x\xE1\x80"), "x" + kFffd + kFffd);
  EXPECT_EQ(valid_utf8("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(first_invalid_utf8("ab\xD0"
                               "c"),
            2u);
}

TEST(Utf8, OneLineEscapesControlCharacters) {
  EXPECT_EQ(one_line("two\nlines\r\tand\x1b[31m"), "two\\nlines\\r\\tand\\x1b[31m");
  EXPECT_EQ(one_line("bad\xFFname"), "bad" + kFffd + "name");
}

TEST(Utf8, ConvertsWindows1258AndRefusesUnknownEncodings) {
  // Windows-1258 writes tone marks as combining characters.
  EXPECT_EQ(to_utf8("Q\xD0 Quy\xEA\xECt", "windows-1258"), "QĐ Quyê\xCC\x81t");
  EXPECT_EQ(to_utf8("caf\xE9", "latin1"), "café");
  EXPECT_TRUE(is_known_encoding("cp1258"));
  EXPECT_FALSE(is_known_encoding("klingon-8"));
  EXPECT_THROW(to_utf8("x", "klingon-8"), std::invalid_argument);
  // Bytes that are not valid in the named encoding are an error, not U+FFFD.
  EXPECT_THROW(to_utf8("a\xFF"
                       "b",
                       "utf-8"),
               std::runtime_error);
}

}  // namespace
}  // namespace sohoa::text
