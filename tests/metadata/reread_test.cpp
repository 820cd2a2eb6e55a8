// Field re-reads (metadata/reread.h): which regions of a page are read
// again, and what two re-readings of a slot confirm. Layouts built from known
// lines with boxes (tests/support/extract_fixtures.h); the readings are
// given here as the re-read stage would store them (its real-Tesseract test
// is tests/pipeline/reread_stage_test.cpp).
#include "metadata/reread.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "metadata/extract.h"
#include "ocr/layout_json.h"
#include "tests/support/extract_fixtures.h"

namespace {

using namespace sohoa::testing::fixtures;
using sohoa::metadata::Extraction;
using sohoa::metadata::MetadataExtractor;
using sohoa::metadata::reread_regions;
using sohoa::ocr::Box;
using sohoa::ocr::PageText;
using sohoa::ocr::Reread;

// The first word of `page` reading `text`, or nullptr.
sohoa::ocr::Word* word(PageText& page, const std::string& text) {
  for (auto& block : page.blocks) {
    for (auto& line : block.lines) {
      for (auto& w : line.words) {
        if (w.text == text) return &w;
      }
    }
  }
  return nullptr;
}

// The line of `page` holding the word `text`.
sohoa::ocr::Line* line_of(PageText& page, const std::string& text) {
  for (auto& block : page.blocks) {
    for (auto& line : block.lines) {
      for (auto& w : line.words) {
        if (w.text == text) return &line;
      }
    }
  }
  return nullptr;
}

// A re-read over `line`'s box whose readings are `texts` at `confidence`.
Reread reread_over(const sohoa::ocr::Line& line, const std::vector<std::string>& texts,
                   float confidence = 92) {
  Reread r{line.box, {}};
  for (const auto& t : texts)
    r.readings.push_back(make_line(t, line.box.x, line.box.y, confidence));
  return r;
}

bool has_reason(const Extraction& e, const std::string& reason) {
  return std::find(e.review_reasons.begin(), e.review_reasons.end(), reason) !=
         e.review_reasons.end();
}

class Reread_ : public ::testing::Test {
 protected:
  MetadataExtractor extractor{tay_hoa_units()};

  // A decision whose number word OCR read at confidence 29.
  PageText unsure_number() {
    Header h;
    h.number = "Số: 699/QĐ-UBND";
    PageText page = decision(h);
    word(page, "699/QĐ-UBND")->confidence = 29;
    return page;
  }
};

TEST_F(Reread_, RegionsAreTheUnsureSlotsOnly) {
  PageText page = unsure_number();
  // A sure page: only the number is unsure.
  std::vector<Box> regions = reread_regions(page);
  ASSERT_EQ(regions.size(), 1u);
  const auto* number = line_of(page, "699/QĐ-UBND");
  EXPECT_EQ(regions[0].y, number->box.y);
  EXPECT_EQ(regions[0].x, number->box.x);  // from "Số:"
  EXPECT_EQ(regions[0].w, number->box.w);

  // The date's month and a citizen id's digits read unsurely: each is a
  // region; for the id, its digits alone.
  word(page, "6")->confidence = 50;
  word(page, "054080123456,")->confidence = 70;
  regions = reread_regions(page);
  ASSERT_EQ(regions.size(), 3u);
  const auto* id = word(page, "054080123456,");
  EXPECT_EQ(regions[2].x, id->box.x);
  EXPECT_EQ(regions[2].w, id->box.w);
  EXPECT_EQ(reread_regions(page, 2).size(), 2u);  // the limit holds

  // Lines that look like slots but are not: a birth date, a land parcel's
  // "số", a cited decree in a "Căn cứ" line, each read unsurely.
  PageBuilder b;
  b.at("Ngày, tháng, năm sinh: 23/06/2024", kLeft, 600, 50);
  b.at("Thửa đất số 793, tờ bản đồ số 32", kLeft, 700, 50);
  b.at("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020", kLeft, 800, 50);
  EXPECT_TRUE(reread_regions(b.build()).empty());
  EXPECT_TRUE(reread_regions(PageText{}).empty());

  // A household business's registration number has no slash; one OCR read
  // with a sign for a digit ("45A§610481") is read again.
  for (const auto& [line, region] : std::vector<std::pair<std::string, bool>>{
           {"Số: 45A§610481", true}, {"Số: 45A8610481", false}, {"Số- 290/QĐ-UBND", true}}) {
    PageBuilder h;
    h.at(line, kLeft, 300, line == "Số- 290/QĐ-UBND" ? 60 : 95);
    EXPECT_EQ(reread_regions(h.build()).size(), region ? 1u : 0u) << line;
  }
}

TEST_F(Reread_, UnsureNumberStaysNullWithoutRereads) {
  Extraction e = extractor.extract({unsure_number()}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_number"), "(absent)");
  EXPECT_TRUE(has_reason(e, "doc_number not read: digits read with low confidence"));
}

TEST_F(Reread_, TwoAgreeingReadingsConfirmTheNumber) {
  PageText page = unsure_number();
  page.rereads.push_back(
      reread_over(*line_of(page, "699/QĐ-UBND"), {"Số: 699/QĐ-UBND", "Số: 699/QĐ-UBND"}));
  Extraction e = extractor.extract({page}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_number"), "699/QĐ-UBND");
  EXPECT_FALSE(has_reason(e, "doc_number not read: digits read with low confidence"));
  // The readings survive the stored layout, so reextract sees them too.
  PageText back = sohoa::ocr::layout_from_json(sohoa::ocr::layout_to_json(page));
  ASSERT_EQ(back.rereads.size(), 1u);
  EXPECT_EQ(back.rereads[0].readings[1].text, "Số: 699/QĐ-UBND");
  EXPECT_EQ(value(extractor.extract({back}, "hoa-dong"), "doc_number"), "699/QĐ-UBND");
  // A layout stored before re-reads has no such key, and one without
  // re-reads gets none.
  EXPECT_EQ(sohoa::ocr::layout_to_json(unsure_number()).find("rereads"), std::string::npos);
}

TEST_F(Reread_, DisagreeingOrSingleOrUnsureReadingsConfirmNothing) {
  const auto cases = std::vector<std::pair<std::vector<std::string>, float>>{
      {{"Số: 692/QĐ-UBND", "Số: 602/QĐ-UBND"}, 92},  // the models disagree
      {{"Số: 699/QĐ-UBND"}, 95},                     // one reading is no agreement
      {{"Số: 699/QĐ-UBND", "Số: 6S9/QĐ-UBND"}, 92},  // a letter where a digit is
      {{"Số: 690/QĐ-UBND", "Số: 690/QĐ-UBND"}, 40},  // agree on another value, unsure
  };
  for (const auto& [texts, confidence] : cases) {
    PageText page = unsure_number();
    page.rereads.push_back(reread_over(*line_of(page, "699/QĐ-UBND"), texts, confidence));
    Extraction e = extractor.extract({page}, "hoa-dong");
    EXPECT_EQ(value(e, "doc_number"), "(absent)") << texts.front();
    EXPECT_TRUE(has_reason(e, "doc_number not read: digits read with low confidence"))
        << texts.front();
  }
  // Two sure readings agreeing on a value the unsure reading did not give
  // are taken: the own reading was the unsure one.
  PageText page = unsure_number();
  page.rereads.push_back(
      reread_over(*line_of(page, "699/QĐ-UBND"), {"Số: 690/QĐ-UBND", "Số: 690/QĐ-UBND"}));
  EXPECT_EQ(value(extractor.extract({page}, "hoa-dong"), "doc_number"), "690/QĐ-UBND");
}

// A number written by hand stays null, whatever its re-reads say.
TEST_F(Reread_, HandwrittenDigitsAreNeverConfirmed) {
  PageText page = decision({});
  for (auto& block : page.blocks) {
    for (auto& line : block.lines) {
      std::vector<sohoa::ocr::Word> words;
      for (auto w : line.words) {
        if (w.text == "392/QĐ-UBND") {
          sohoa::ocr::Word hand = w, symbol = w;
          hand.text = "4595";
          hand.box = {w.box.x, w.box.y - 40, 120, 110};
          symbol.text = "/QĐ-UBND";
          symbol.box.x = w.box.x + 130;
          words.push_back(hand);
          words.push_back(symbol);
          continue;
        }
        words.push_back(w);
      }
      line.words = words;
    }
  }
  page.rereads.push_back(
      reread_over(*line_of(page, "4595"), {"Số: 1595/QĐ-UBND", "Số: 1595/QĐ-UBND"}, 96));
  Extraction e = extractor.extract({page}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_number"), "(absent)");
  EXPECT_TRUE(has_reason(e, "doc_number not read: digits unlike the printed text (handwritten?)"));
}

// A citizen id is a citizen's key: the re-reads confirm the page's reading,
// never replace it.
TEST_F(Reread_, CitizenIdNeedsThreeReadingsThatAgree) {
  auto page_with = [&](const std::vector<std::string>& texts) {
    PageText page = decision({});
    auto* id = word(page, "054080123456,");
    id->confidence = 62;
    Reread r{id->box, {}};
    for (const auto& t : texts) r.readings.push_back(make_line(t, id->box.x, id->box.y, 94));
    page.rereads.push_back(r);
    return extractor.extract({page}, "hoa-dong");
  };
  EXPECT_EQ(value(page_with({"054080123456,", "054080123456"}), "citizen_ids"),
            "[\"054080123456\"]");
  Extraction other = page_with({"054080123458", "054080123458"});
  EXPECT_EQ(value(other, "citizen_ids"), "(absent)");
  EXPECT_TRUE(has_reason(other, "citizen_ids not read: digits read with low confidence"));
  EXPECT_EQ(value(page_with({"054080123456"}), "citizen_ids"), "(absent)");
}

// "I8" in a code stands for 18 only: a reading with it votes for 18 beside
// a reading that has 18; S (5 or 8) never votes, and two repaired readings
// are not enough.
TEST_F(Reread_, DossierCodeLookAlikeThatStandsForOneDigit) {
  auto code_with = [&](const std::vector<std::string>& texts) {
    Header h;
    PageBuilder b = header_page(h);
    body_and_footer(b, 900, {"CHỦ TỊCH"}, "Đặng Minh Bình", false);
    b.at("Mã hồ sơ: H46.I8-220603-1434", kLeft + 118, 1140, 60);
    PageText page = b.build();
    page.rereads.push_back(reread_over(*line_of(page, "H46.I8-220603-1434"), texts));
    return extractor.extract({page}, "hoa-dong");
  };
  EXPECT_EQ(value(code_with({}), "dossier_code"), "(absent)");
  EXPECT_EQ(value(code_with({"Mã hồ sơ: H46.I8-220603-1434", "Mã hồ sơ: H46.18-220603-1434"}),
                  "dossier_code"),
            "H46.18-220603-1434");
  EXPECT_EQ(value(code_with({"Mã hồ sơ: H46.I8-220603-1434", "Mã hồ sơ: H46.l8-220603-1434"}),
                  "dossier_code"),
            "(absent)");
  EXPECT_EQ(value(code_with({"Mã hồ sơ: H46.1S-220603-1434", "Mã hồ sơ: H46.18-220603-1434"}),
                  "dossier_code"),
            "(absent)");
  // The crop may lose the keyword's first words: "sơ: H46.18-…".
  EXPECT_EQ(
      value(code_with({"sơ: H46.18-220603-1434", "Mã hồ sơ: H46.18-220603-1434"}), "dossier_code"),
      "H46.18-220603-1434");
}

// "ngày T7": one re-reading says 17, the other cannot read the day. The
// dossier code, read surely, carries 250317: two printed sources agree. A
// code of another day confirms nothing.
TEST_F(Reread_, OneSureReadingOfTheDateThatTheDossierCodeConfirms) {
  auto dated = [&](const std::string& code) {
    Header h;
    h.date = "Hòa Đồng, ngày T7 tháng 3 năm 2025";
    PageBuilder b = header_page(h);
    body_and_footer(b, 900, {"CHỦ TỊCH"}, "Đặng Minh Bình", false);
    b.at("Mã hồ sơ: " + code, kLeft + 118, 1140);
    PageText page = b.build();
    page.rereads.push_back(reread_over(
        *line_of(page, "T7"),
        {"Hòa Đồng, ngày T7 tháng 3 năm 2025", "Hòa Đồng, ngày 17 tháng 3 năm 2025"}, 90));
    return extractor.extract({page}, "hoa-dong");
  };
  EXPECT_EQ(value(dated("H46.12-250317-1234"), "issued_date"), "2025-03-17");
  EXPECT_EQ(value(dated("H46.12-250318-1234"), "issued_date"), "(absent)");
}

}  // namespace

// The two models' readings must give one value; one of them, unrepaired,
// must be sure of its digits; a reading with I, l, |, ! for 1 or O for 0
// beside the digits votes for the digit, repaired (never S: 5 or 8).
// (Seeds 301-304: "I79/TB-UBND" at 0.56 beside "179/TB-UBND" at 0.92.)
TEST_F(Reread_, OneSureReadingAndAConsistentOneConfirmTheNumber) {
  struct Reading {
    const char* text;
    float confidence;
  };
  struct Case {
    Reading a, b;
    const char* want;
  };
  const Case cases[] = {
      {{"Số: I79/QĐ-UBND", 56}, {"Số: 179/QĐ-UBND", 92}, "179/QĐ-UBND"},
      {{"Số: l79/QĐ-UBND", 30}, {"Số: 179/QĐ-UBND", 80}, "179/QĐ-UBND"},
      {{"Số: 179/QĐ-UBND", 34}, {"Số: 179/QĐ-UBND", 90}, "179/QĐ-UBND"},
      {{"Số: I79/QĐ-UBND", 92}, {"Số: I79/QĐ-UBND", 92}, "(absent)"},  // both repaired
      {{"Số: I79/QĐ-UBND", 90}, {"Số: 179/QĐ-UBND", 50}, "(absent)"},  // no sure one
      {{"Số: S79/QĐ-UBND", 56}, {"Số: 579/QĐ-UBND", 92}, "(absent)"},  // S: 5 or 8
      {{"Số: I79/QĐ-UBND", 56}, {"Số: 178/QĐ-UBND", 92}, "(absent)"},  // disagree
      {{"Số: 179/QĐ-UBND", 40}, {"Số: 179/QĐ-UBND", 45}, "(absent)"},  // neither sure
  };
  for (const auto& c : cases) {
    Header h;
    h.number = "Số: I79/QĐ-UBND";
    PageText page = decision(h);
    const auto* line = line_of(page, "I79/QĐ-UBND");
    Reread r{line->box, {}};
    for (const Reading& reading : {c.a, c.b}) {
      r.readings.push_back(make_line(reading.text, line->box.x, line->box.y, reading.confidence));
    }
    page.rereads.push_back(r);
    Extraction e = extractor.extract({page}, "hoa-dong");
    EXPECT_EQ(value(e, "doc_number"), c.want) << c.a.text << " / " << c.b.text;
    if (std::string(c.want) == "(absent)") {
      EXPECT_TRUE(has_reason(e, "doc_number not read: letter in a digit position")) << c.a.text;
    }
  }
}

// A number or dossier code the page read surely, over which a re-reading
// (sure or not) gives another value, is null: two readings of the same ink
// disagree. (Held-out h3-0006: a hand-filled "456854071" at 0.69 re-read
// as "4548854071"; h2-0009: a code's 9 read as 0 at 0.79.) A re-reading
// that gives the same value, or none, leaves it.
TEST_F(Reread_, ASureValueThatARereadingContradictsIsNull) {
  auto number_with = [&](const std::vector<std::string>& texts, float confidence) {
    Header h;
    h.number = "Số: 699/QĐ-UBND";
    PageText page = decision(h);
    page.rereads.push_back(reread_over(*line_of(page, "699/QĐ-UBND"), texts, confidence));
    return extractor.extract({page}, "hoa-dong");
  };
  Extraction other = number_with({"Số: 698/QĐ-UBND", "Số: 699/QĐ-UBND"}, 40);
  EXPECT_EQ(value(other, "doc_number"), "(absent)");
  EXPECT_TRUE(has_reason(other, "doc_number not read: a second reading gives another number"));
  EXPECT_EQ(value(number_with({"Số: 699/QĐ-UBND", "Số: 699/QĐ-UBND"}, 40), "doc_number"),
            "699/QĐ-UBND");
  EXPECT_EQ(value(number_with({"Số: ..", "~~~"}, 40), "doc_number"), "699/QĐ-UBND");

  auto code_with = [&](const std::vector<std::string>& texts) {
    Header h;
    PageBuilder b = header_page(h);
    body_and_footer(b, 900, {"CHỦ TỊCH"}, "Đặng Minh Bình", false);
    b.at("Mã hồ sơ: H46.18-220603-1434", kLeft + 118, 1140, 95);
    PageText page = b.build();
    page.rereads.push_back(reread_over(*line_of(page, "H46.18-220603-1434"), texts, 38));
    return extractor.extract({page}, "hoa-dong");
  };
  Extraction code = code_with({"Mã hồ sơ: H46.18-220603-9434"});
  EXPECT_EQ(value(code, "dossier_code"), "(absent)");
  EXPECT_TRUE(has_reason(code, "dossier_code not read: a second reading gives another code"));
  EXPECT_EQ(value(code_with({"Mã hồ sơ: H46.18-220603-1434"}), "dossier_code"),
            "H46.18-220603-1434");
}
