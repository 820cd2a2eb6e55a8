// text::xml_escape is the one escape for XML (ALTO, XMP) and HTML (the
// progress report, the web app): what it produces, read back by a real
// parser (libxml2's xmllint, in XML and in HTML mode), is the original text,
// in element content and in single- and double-quoted attributes.
#include "text/xml.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace {

using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::text::xml_escape;

// What xmllint reads for the XPath `expr` in `markup` (its trailing newline
// removed). `html` parses it as HTML instead of XML.
std::string parsed(const std::string& markup, const std::string& expr, bool html) {
  TempDir dir;
  sohoa::testing::write_file(dir / "in", markup);
  std::vector<std::string> argv = {"/usr/bin/xmllint", "--nonet"};
  if (html) argv.push_back("--html");
  argv.insert(argv.end(), {"--xpath", expr, (dir / "in").string()});
  RunResult r = sohoa::testing::run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << markup;  // well-formed: no parser complaint
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

// libxml2's HTML parser reads Latin-1 unless the page says otherwise, as
// sohoa's pages do.
const std::string kHead =
    "<!doctype html><html><head><meta http-equiv=\"Content-Type\" "
    "content=\"text/html; charset=utf-8\"></head>";

// Quotes of both kinds, markup, an entity look-alike, tabs, line breaks and
// Vietnamese text: a file name or a field a person typed.
const std::string kHostile = "Quyết định 'số' \"392\" <b>&amp; x</b>\tcột\nhai\r\ndòng";

TEST(XmlEscape, EscapesEachSpecialCharacter) {
  EXPECT_EQ(xml_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(xml_escape("x\ty\nz\r"), "x&#9;y&#10;z&#13;");
  EXPECT_EQ(xml_escape("Hòa Đồng"), "Hòa Đồng");
  EXPECT_EQ(xml_escape(""), "");
}

TEST(XmlEscape, OtherControlCharactersBecomeReplacementCharacters) {
  // XML 1.0 has no way to carry U+0001 or U+001B, not even as a reference.
  EXPECT_EQ(xml_escape(std::string("a\x01"
                                   "b\x1b"
                                   "c",
                                   5)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(XmlEscape, XmlParserReadsBackTheOriginalEverywhere) {
  std::string e = xml_escape(kHostile);
  std::string doc = "<r s='" + e + "' d=\"" + e + "\">" + e + "</r>";
  EXPECT_EQ(parsed(doc, "string(/r/@s)", false), kHostile);
  EXPECT_EQ(parsed(doc, "string(/r/@d)", false), kHostile);
  EXPECT_EQ(parsed(doc, "string(/r)", false), kHostile);
}

TEST(XmlEscape, HtmlParserReadsBackTheOriginalEverywhere) {
  std::string e = xml_escape(kHostile);
  std::string doc = kHead + "<body><p title='" + e + "' data-x=\"" + e + "\">" + e +
                    "</p><input value='" + e + "'></body></html>";
  EXPECT_EQ(parsed(doc, "string(//p/@title)", true), kHostile);
  EXPECT_EQ(parsed(doc, "string(//p/@data-x)", true), kHostile);
  EXPECT_EQ(parsed(doc, "string(//input/@value)", true), kHostile);
  EXPECT_EQ(parsed(doc, "string(//p)", true), kHostile);
}

// Unescaped, a single quote would end a single-quoted attribute and let the
// rest become attributes of its own (the attack the escape stops).
TEST(XmlEscape, AQuoteCannotAddAnAttribute) {
  std::string e = xml_escape("x' onmouseover='alert(1)");
  std::string doc = kHead + "<body><p title='" + e + "'>t</p></body></html>";
  EXPECT_EQ(parsed(doc, "count(//p/@*)", true), "1");
  EXPECT_EQ(parsed(doc, "string(//p/@title)", true), "x' onmouseover='alert(1)");
}

}  // namespace
