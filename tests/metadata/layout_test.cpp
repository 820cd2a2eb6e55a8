// Layout-aware extraction over OCR layouts built from known lines with
// boxes, in the Decree 30/2020 positions the samples generator uses (A4 at
// 300 dpi), and unit resolution across the 2025 reorganization.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "metadata/extract.h"
#include "tests/support/extract_fixtures.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"

using sohoa::metadata::Extraction;
using sohoa::metadata::MetadataExtractor;
using sohoa::metadata::UnitMatch;
using sohoa::metadata::UnitResolver;
using sohoa::ocr::PageText;

namespace {

using namespace sohoa::testing::fixtures;

class Extract : public ::testing::Test {
 protected:
  MetadataExtractor extractor{tay_hoa_units()};
};

}  // namespace

TEST_F(Extract, DecisionAllFields) {
  Extraction e = extractor.extract({decision()}, "hoa-phu");
  EXPECT_EQ(value(e, "doc_type"), "QUYẾT ĐỊNH");
  EXPECT_EQ(value(e, "doc_number"), "392/QĐ-UBND");
  EXPECT_EQ(value(e, "issued_date"), "2022-06-03");
  EXPECT_EQ(value(e, "place"), "Hòa Đồng");
  EXPECT_EQ(value(e, "authority"), "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
  EXPECT_EQ(value(e, "subject"), "Về việc cấp giấy phép xây dựng");
  EXPECT_EQ(value(e, "signer"), "Đặng Minh Bình");
  EXPECT_EQ(value(e, "signer_role"), "CHỦ TỊCH");
  EXPECT_EQ(value(e, "citizen_ids"), R"(["054080123456"])");
  EXPECT_EQ(value(e, "dossier_code"), "H46.12-220603-1234");
  EXPECT_EQ(e.issuer_unit, "hoa-dong");
  EXPECT_TRUE(e.review_reasons.empty()) << e.review_reasons.front();
  for (const auto& f : e.fields) {
    EXPECT_GT(f.confidence, 0.5) << f.name;
    EXPECT_LE(f.confidence, 1.0) << f.name;
  }
}

TEST_F(Extract, ParentLineIsNotPartOfAuthority) {
  Header h;
  h.parent = "UBND HUYỆN TÂY HÒA";
  Extraction e = extractor.extract({decision(h)}, "hoa-phu");
  EXPECT_EQ(value(e, "authority"), "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
  EXPECT_EQ(e.issuer_unit, "hoa-dong");
}

TEST_F(Extract, DeputySignerRole) {
  PageBuilder b = header_page({});
  body_and_footer(b, 900, {"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}, "Lê Thị Hoa");
  Extraction e = extractor.extract({b.build()}, "hoa-dong");
  EXPECT_EQ(value(e, "signer_role"), "PHÓ CHỦ TỊCH");
  EXPECT_EQ(value(e, "signer"), "Lê Thị Hoa");
}

TEST_F(Extract, OcrDamageIsRepaired) {
  Header h;
  h.authority = {"UY BAN NHAN DAN", "XA HOA DONG"};
  h.number = "Sô 392 / QD-UBND";
  h.date = "Hoa Dong, ngay O3 thang 6 nam 2O22";
  h.title = "QUYET DINH";
  Extraction e = extractor.extract({decision(h)}, "hoa-phu");
  EXPECT_EQ(value(e, "doc_number"), "392/QĐ-UBND");
  EXPECT_EQ(value(e, "issued_date"), "2022-06-03");
  EXPECT_EQ(value(e, "place"), "Hòa Đồng");
  EXPECT_EQ(value(e, "authority"), "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
  EXPECT_EQ(value(e, "doc_type"), "QUYẾT ĐỊNH");
  EXPECT_EQ(e.issuer_unit, "hoa-dong");
}

TEST_F(Extract, DateSplitAcrossLines) {
  Header h;
  h.date = "Hòa Đồng, ngày 03 tháng";
  PageBuilder b = header_page(h);
  b.centred("6 năm 2022", kRightCentre, 475);
  body_and_footer(b, 900, {"CHỦ TỊCH"}, "Đặng Minh Bình");
  Extraction e = extractor.extract({b.build()}, "hoa-dong");
  EXPECT_EQ(value(e, "issued_date"), "2022-06-03");
  EXPECT_EQ(value(e, "place"), "Hòa Đồng");
}

TEST_F(Extract, MissingNumberGoesToReview) {
  Header h;
  h.number = "";
  Extraction e = extractor.extract({decision(h)}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_number"), "(absent)");
  ASSERT_FALSE(e.review_reasons.empty());
  EXPECT_EQ(e.review_reasons.front(), "doc_number missing");
  EXPECT_EQ(value(e, "authority"), "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
}

TEST_F(Extract, LowConfidenceGoesToReview) {
  PageBuilder b = header_page({});
  b.centred("Số: 392/QĐ-UBND", kLeftCentre, 1800, 20);  // ignored: not in the header
  PageText page = b.build();
  for (auto& block : page.blocks) {
    for (auto& line : block.lines) {
      if (line.text.rfind("Số:", 0) == 0) {
        for (auto& w : line.words) w.confidence = 30;
      }
    }
  }
  Extraction e = extractor.extract({page}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_number"), "392/QĐ-UBND");
  EXPECT_NE(
      std::find(e.review_reasons.begin(), e.review_reasons.end(), "doc_number low confidence"),
      e.review_reasons.end());
}

TEST_F(Extract, SignerOnSecondPageAndTwoIds) {
  Header h;
  h.title = "GIẤY CHỨNG NHẬN KẾT HÔN";
  h.subject = "";
  h.number = "Số: 15/GCNKH";
  PageBuilder first = header_page(h);
  first.at("Họ, chữ đệm, tên chồng: NGUYỄN VĂN NAM", kLeft, 700);
  first.at("Số định danh cá nhân/CCCD: 054090123456", kLeft, 780);
  first.at("Họ, chữ đệm, tên vợ: LÊ THỊ HOA", kLeft, 860);
  first.at("Số CMND: 221123456", kLeft, 940);
  PageBuilder second;
  second.centred("2", kBodyCentre, 130);
  second.at("Ngày, tháng, năm đăng ký: 03/06/2022", kLeft, 300);
  second.centred("TM. ỦY BAN NHÂN DÂN", kRightCentre, 500);
  second.centred("CHỦ TỊCH", kRightCentre, 580);
  second.centred("Trần Quốc Tuấn", kRightCentre, 820);
  Extraction e = extractor.extract({first.build(), second.build()}, "hoa-dong");
  EXPECT_EQ(value(e, "doc_type"), "GIẤY CHỨNG NHẬN KẾT HÔN");
  EXPECT_EQ(value(e, "doc_number"), "15/GCNKH");
  EXPECT_EQ(value(e, "subject"), "(absent)");
  EXPECT_EQ(value(e, "citizen_ids"), R"(["054090123456","221123456"])");
  EXPECT_EQ(value(e, "signer"), "Trần Quốc Tuấn");
  EXPECT_EQ(value(e, "signer_role"), "CHỦ TỊCH");
  EXPECT_EQ(value(e, "dossier_code"), "(absent)");
}

TEST_F(Extract, EmptyDocumentNeedsReview) {
  Extraction e = extractor.extract({}, "hoa-dong");
  EXPECT_TRUE(e.fields.empty());
  EXPECT_EQ(e.issuer_unit, "hoa-dong");
  EXPECT_EQ(e.review_reasons.size(), 4u);
}

// --- issuing unit at the document's date ---

struct UnitCase {
  std::vector<std::string> authority;
  std::string date;  // the date line; empty: none printed
  std::string station;
  std::string issuer;
  std::string reason;  // expected issuer review reason, empty: none
};

TEST_F(Extract, IssuerDependsOnDate) {
  const UnitCase cases[] = {
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA THỊNH"},
       "Hòa Thịnh, ngày 30 tháng 6 năm 2025",
       "hoa-dong",
       "hoa-thinh",
       ""},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA THỊNH"},
       "Hòa Thịnh, ngày 01 tháng 7 năm 2025",
       "hoa-dong",
       "xa-hoa-thinh",
       ""},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA THỊNH"}, "", "xa-hoa-thinh", "xa-hoa-thinh", "issuer ambiguous"},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA THỊNH"}, "", "hoa-phu", "hoa-phu", "issuer ambiguous"},
      {{"ỦY BAN NHÂN DÂN", "HUYỆN TÂY HÒA"},
       "Tây Hòa, ngày 12 tháng 3 năm 2024",
       "hoa-dong",
       "tay-hoa",
       ""},
      {{"ỦY BAN NHÂN DÂN", "XÃ TÂY HÒA"},
       "Tây Hòa, ngày 12 tháng 8 năm 2025",
       "hoa-dong",
       "xa-tay-hoa",
       ""},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA ĐỒNG"},
       "Hòa Đồng, ngày 12 tháng 9 năm 2025",
       "xa-hoa-thinh",
       "xa-hoa-thinh",
       "issuer not valid at issued_date"},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA MỸ ĐÔNG"},
       "Hòa Mỹ Đông, ngày 02 tháng 1 năm 2024",
       "hoa-dong",
       "hoa-my-dong",
       ""},
      {{"ỦY BAN NHÂN DÂN", "XÃ HÒA MỸ"},
       "Hòa Mỹ, ngày 02 tháng 10 năm 2025",
       "hoa-dong",
       "xa-hoa-my",
       ""},
      {{"ỦY BAN NHÂN DÂN", "THỊ TRẤN PHÚ THỨ"},
       "Phú Thứ, ngày 02 tháng 10 năm 2023",
       "hoa-dong",
       "phu-thu",
       ""},
      {{"CÔNG TY TNHH AN PHÚ"}, "Phú Thứ, ngày 02 tháng 10 năm 2023", "hoa-dong", "hoa-dong", ""},
  };
  for (const UnitCase& c : cases) {
    Header h;
    h.authority = c.authority;
    h.date = c.date;
    // Without a date line, no dossier code either: its date would stand in.
    Extraction e = extractor.extract({decision(h, !c.date.empty())}, c.station);
    std::string label = c.authority.back() + " / " + c.date;
    EXPECT_EQ(e.issuer_unit, c.issuer) << label;
    bool has_reason = std::find(e.review_reasons.begin(), e.review_reasons.end(), c.reason) !=
                      e.review_reasons.end();
    if (!c.reason.empty()) {
      EXPECT_TRUE(has_reason) << label;
    } else {
      for (const auto& r : e.review_reasons)
        EXPECT_EQ(r.rfind("issuer", 0), std::string::npos) << label;
    }
  }
}

TEST(UnitResolverTest, PlaceAloneDecidesWhenAuthorityIsUnreadable) {
  UnitResolver r(tay_hoa_units());
  UnitMatch m = r.resolve("ỦY BAN NHÂN DÂN", "Tây Hòa", "2024-05-02");
  EXPECT_EQ(m.kind, UnitMatch::Kind::kResolved);
  EXPECT_EQ(m.code, "tay-hoa");
  m = r.resolve("", "Tây Hòa", "2025-07-02");
  EXPECT_EQ(m.code, "xa-tay-hoa");
  m = r.resolve("", "Tây Hòa", "");
  EXPECT_EQ(m.kind, UnitMatch::Kind::kAmbiguous);
  EXPECT_EQ(r.canonical_place("Hoa Dong"), "Hòa Đồng");
  EXPECT_EQ(r.canonical_place("Hòa Đông"), "Hòa Đồng");
  EXPECT_EQ(r.canonical_place("Hà Nội"), "");
  EXPECT_EQ(r.canonical_place("50\" Thành Đông"), "Sơn Thành Đông");
  EXPECT_EQ(r.canonical_place("Hòa Bình 1"), "Hòa Bình 1");
  EXPECT_EQ(UnitResolver::bare_name("Thị trấn Phú Thứ"), "Phú Thứ");
}

TEST(UnitResolverTest, DamagedAuthorityStillNamesTheUnit) {
  UnitResolver r(tay_hoa_units());
  UnitMatch m = r.resolve("UY BAN NHAN DAN XA HOA MY DONG", "", "2023-01-05");
  EXPECT_EQ(m.code, "hoa-my-dong");
  EXPECT_EQ(m.canonical_authority, "ỦY BAN NHÂN DÂN XÃ HÒA MỸ ĐÔNG");
  m = r.resolve("ỦY BAN NHÂN DÂN XÃ HÒA MỸ TÂV", "", "2023-01-05");
  EXPECT_EQ(m.code, "hoa-my-tay");
  m = r.resolve("ỦY BAN NHẬN DÂN _ \"XÃSƠNTHÀNH", "", "2025-08-05");
  EXPECT_EQ(m.code, "xa-son-thanh");
  EXPECT_EQ(m.canonical_authority, "ỦY BAN NHÂN DÂN XÃ SƠN THÀNH");
  m = r.resolve("HỘI ĐỒNG NHÂN DÂN XÃ SƠN THÀNH ĐÔNG", "", "2023-01-05");
  EXPECT_EQ(m.code, "son-thanh-dong");
  EXPECT_EQ(m.canonical_authority, "");
}
