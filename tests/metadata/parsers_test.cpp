// Field parsers on OCR-damaged lines, table-driven: each row is a line as
// Tesseract may read it and the value the SPEC wants.
#include "metadata/parsers.h"

#include <gtest/gtest.h>

namespace parse = sohoa::metadata::parse;

namespace {

struct Case {
  const char* line;
  const char* expected;  // nullptr: must not parse
};

std::string show(const char* s) { return s ? s : "(none)"; }

// Read, but with a letter or sign where a digit is printed: never a value.
constexpr const char* kDoubt = "(doubt)";

}  // namespace

TEST(DocNumber, ReadsDamagedVariants) {
  const Case cases[] = {
      {"Số: 392/QĐ-UBND", "392/QĐ-UBND"},
      {"Sô: 392/QĐ-UBND", "392/QĐ-UBND"},
      {"S6: 392/QĐ-UBND", "392/QĐ-UBND"},
      {"Số : 392/QĐ-UBND", "392/QĐ-UBND"},
      {"Số 392/QĐ-UBND", "392/QĐ-UBND"},
      {"Số:392/QĐ-UBND", "392/QĐ-UBND"},
      {"SỐ: 392/QĐ-UBND", "392/QĐ-UBND"},
      {"So: 392/QD-UBND", "392/QĐ-UBND"},
      {"Số: 123 / QĐ-UBND", "123/QĐ-UBND"},
      {"Số: 3O2/QĐ-UBND", kDoubt},
      {"Số: l23/QĐ-UBND", kDoubt},
      {"Số: 15/2022/QĐ-UBND", "15/2022/QĐ-UBND"},
      {"Số: 15/2O22/QD-UBND.", kDoubt},
      {"Số: 45/GPXD", "45/GPXD"},
      {"Số: 07/TB-UBND", "07/TB-UBND"},
      {"Số; 88/HĐND", "88/HĐND"},
      {"Số- 290/QĐ-UBND", "290/QĐ-UBND"},  // the colon read as a dash
      {"Số-290/QĐ-UBND", "290/QĐ-UBND"},
      {"Số: 12a/QĐ-UBND", "12a/QĐ-UBND"},
      {"Số: 45A8012345", "45A8012345"},
      {"Số: 134/TB-UBND 50\" Thành Đông, ngày 14", "134/TB-UBND"},
      {"§ố:247/GCNKH", "247/GCNKH"},
      {"Số: 445/T B-UBND", "445/TB-UBND"},
      {"Số: 77GCNKH", "77/GCNKH"},
      {"Số: 88/QĐÐ-UBND", "88/QĐ-UBND"},
      {"Số: 45A8O12345", kDoubt},
      {"Số: #45 /CV-PA83", nullptr},
      {"Số: 4/35/SGDĐT-CTrTT", kDoubt},
      {"Số: 09/2023/QĐ-TTg", "09/2023/QĐ-TTg"},
      {"Số lượng lao động: 3", nullptr},
      {"Số nhà 12", nullptr},
      {"Số điện thoại: 0905123456", nullptr},
      {"Sohoa 12/AB", nullptr},
      {"Về việc cấp giấy phép", nullptr},
      {"Số: /QĐ-UBND", nullptr},
      {"Số: 392", nullptr},
      {"Số: 39", nullptr},
  };
  for (const Case& c : cases) {
    auto got = parse::doc_number(c.line);
    EXPECT_EQ(got ? (got->doubt.empty() ? got->value : kDoubt) : "(none)", show(c.expected))
        << c.line;
  }
}

TEST(DocNumber, QualityDropsWhenUnknownAndLettersForDigitsAreDoubts) {
  EXPECT_DOUBLE_EQ(parse::doc_number("Số: 392/QĐ-UBND")->quality, 1.0);
  EXPECT_FALSE(parse::doc_number("Số: 3O2/QĐ-UBND")->doubt.empty());
  EXPECT_LT(parse::doc_number("Số: 392/XYZW")->quality, 0.8);
  EXPECT_TRUE(parse::known_symbol("392/QĐ-UBND"));
  EXPECT_FALSE(parse::known_symbol("392/QX-UBND"));
}

struct DateCase {
  const char* line;
  const char* place;
  const char* iso;  // nullptr: must not parse
};

TEST(DateLine, ReadsDamagedVariants) {
  const DateCase cases[] = {
      {"Hòa Đồng, ngày 03 tháng 6 năm 2022", "Hòa Đồng", "2022-06-03"},
      {"Hòa Đồng, ngay 03 thang 06 nam 2022", "Hòa Đồng", "2022-06-03"},
      {"Hòa Đồng,ngày 3 tháng 6 năm 2022", "Hòa Đồng", "2022-06-03"},
      {"Hòa Đồng ngày 03 tháng 6 năm 2022", "Hòa Đồng", "2022-06-03"},
      {"Phú Thứ, ngày O3 tháng l2 năm 2O21", "Phú Thứ", kDoubt},
      {"Hà Nội, ngày 12 tháng S năm 2023", "Hà Nội", kDoubt},
      {"Hà Nội, ngày 1§ tháng 5 năm 2023", "Hà Nội", kDoubt},
      {"Tây Hòa, ngày 29 tháng 02 năm 2024", "Tây Hòa", "2024-02-29"},
      {"Tây Hòa, ngày 29 tháng 02 năm 2023", nullptr, nullptr},
      {"Tây Hòa, ngày 31 tháng 4 năm 2023", nullptr, nullptr},
      {"Hòa Thịnh, ngàỵ 15 thảng 7 nãm 2025", "Hòa Thịnh", "2025-07-15"},
      {"Sơn Thành Tây, ngày 1 tháng 10 năm 2020.", "Sơn Thành Tây", "2020-10-01"},
      {"ngày 1 tháng 10 năm 2020", "", "2020-10-01"},
      {"Hòa Mỹ Đông, ngày 05tháng 8 năm 2023", "Hòa Mỹ Đông", "2023-08-05"},
      {"Hòa Tân Tây, ngày 21 tháng 9n ăm 2025", "Hòa Tân Tây", "2025-09-21"},
      {"Sơn Thành, ngày 1 3 Tưng 4 năm n 2026...", "Sơn Thành", "2026-04-13"},
      {"Hòa Phú, ngày IS tháng 3 năm 2022", "Hòa Phú", kDoubt},
      {"Hòa Bình l, ngày 2] tháng 7 năm 2023", "Hòa Bình l", kDoubt},
      {"Sơn Thành Đóng, ngày 09 tháng T2 năm 2021", "Sơn Thành Đóng", kDoubt},
      {"Hòa Đồng, ngày tháng năm 2022", nullptr, nullptr},
      {"Cộng hòa xã hội chủ nghĩa Việt Nam", nullptr, nullptr},
  };
  for (const DateCase& c : cases) {
    auto got = parse::date_line(c.line);
    EXPECT_EQ(got ? (got->doubt.empty() ? got->iso : kDoubt) : "(none)", show(c.iso)) << c.line;
    if (got && !got->doubt.empty()) {
      EXPECT_EQ(got->iso, "") << c.line;
    }
    if (got && c.place) {
      EXPECT_EQ(got->place, c.place) << c.line;
    }
  }
}

TEST(DateLine, SplitAcrossLinesIsDetected) {
  EXPECT_TRUE(parse::starts_date("Hòa Đồng, ngày 03 tháng"));
  EXPECT_FALSE(parse::date_line("Hòa Đồng, ngày 03 tháng"));
  EXPECT_EQ(parse::date_line("Hòa Đồng, ngày 03 tháng 6 năm 2022")->iso, "2022-06-03");
  EXPECT_TRUE(parse::starts_date("Hòa Đồng, ngày"));
  EXPECT_FALSE(parse::starts_date("Người ngay thẳng"));
}

TEST(DateLine, PartialDateIsCompletedOnlyByAnAgreeingDate) {
  auto p = parse::partial_date_line("Hòa Phú, ngày 02 tháng TÌ năm 2021");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->place, "Hòa Phú");
  EXPECT_FALSE(p->month);
  EXPECT_TRUE(parse::agrees(*p, "2021-11-02"));
  EXPECT_FALSE(parse::agrees(*p, "2021-11-03"));
  EXPECT_EQ(parse::dossier_date("H46.21-211102-1106").value_or(""), "2021-11-02");
  EXPECT_EQ(parse::registration_date("Ngày, tháng, năm đăng ký: 05/08/2024").value_or(""),
            "2024-08-05");
}

TEST(IsoDate, AcceptsIsoAndVietnameseForms) {
  EXPECT_EQ(parse::iso_date("2022-06-03").value_or(""), "2022-06-03");
  EXPECT_EQ(parse::iso_date("3/6/2022").value_or(""), "2022-06-03");
  EXPECT_FALSE(parse::iso_date("2022-02-30"));
  EXPECT_FALSE(parse::iso_date("yesterday"));
}

TEST(CitizenIds, ReadsNearKeywords) {
  struct IdCase {
    const char* line;
    const char* next;
    std::vector<std::string> ids;
  };
  const IdCase cases[] = {
      {"Số định danh cá nhân: 054236051354", "", {"054236051354"}},
      {"Số CCCD: 054236051354", "", {"054236051354"}},
      {"CCCD số 054236051354, cấp ngày 12/03/2021", "", {"054236051354"}},
      {"Số CMND: 221234567", "", {"221234567"}},
      {"Số định danh cá nhân: O54236O5l354", "", {}},  // digits unsure: never guessed
      {"Số định danh cá nhân: 054 236 051 354", "", {"054236051354"}},
      {"SỐ định danh cá nhân/CCCD: 054201 241781, cư trú", "", {"054201241781"}},
      {"Số định danh cá nhân:", "054236051354", {"054236051354"}},
      // OCR glued the number to the second keyword (a degraded scan).
      {"Số định danh cá nhân/CCCD::054191827101", "", {"054191827101"}},
      {"Căn cước công dân số 054236051354 và 054199001122", "", {"054236051354", "054199001122"}},
      {"Số định danh cá nhân: 05423605135", "", {}},
      {"Điện thoại: 054236051354", "", {}},
      {"Số định danh cá nhân: 0905123456", "", {}},
  };
  for (const IdCase& c : cases) {
    EXPECT_EQ(parse::citizen_ids(c.line, c.next), c.ids) << c.line;
  }
}

TEST(DossierCode, ReadsDamagedVariants) {
  const Case cases[] = {
      {"Mã hồ sơ: H46.57-220603-3392", "H46.57-220603-3392"},
      {"Ma ho so: H46.57-220603-3392", "H46.57-220603-3392"},
      {"Mã hồ sơ H46.57-22O6O3-3392", kDoubt},
      {"Mã hồ sơ: H46.57 - 220603 - 3392", "H46.57-220603-3392"},
      {"Mã hồ sơ: H46..22-210310-9168", "H46.22-210310-9168"},
      {"Mã hồ sơ: H46.21-230601-1 106", "H46.21-230601-1106"},
      {"Mã hồ sơ: H46. 16-21 1202-0172", "H46.16-211202-0172"},
      {"Mã hồ sơ: H46. I 8-23 1024-6008", kDoubt},
      {"Mã hồ sơ- H46.23-22 1220-0940", "H46.23-221220-0940"},
      // The province's dot read as a space (seeds 301-304): the dot; with
      // no space there, or a digit short, it is not in the national form.
      {"Mã hồ sơ: H46 12-230221-9904", "H46.12-230221-9904"},
      {"Mã hồ sơ: H4612-230221-9904", kDoubt},
      {"Mã hồ sơ: H46 1-230221-9904", kDoubt},
      {"Mã hồ sơ: H46 I2-230221-9904", kDoubt},
      {"Mã hồ sơ: H46.57-220603-3392 Ngày nhận: 03/06/2022", "H46.57-220603-3392"},
      {"Mã hồ sơ:", nullptr},
      {"Hồ sơ gồm có", nullptr},
  };
  for (const Case& c : cases) {
    auto got = parse::dossier_code(c.line);
    EXPECT_EQ(got ? (got->doubt.empty() ? got->value : kDoubt) : "(none)", show(c.expected))
        << c.line;
  }
}

TEST(Signer, PrefixesAndNames) {
  EXPECT_EQ(parse::strip_signing_prefix("KT. CHỦ TỊCH"), "CHỦ TỊCH");
  EXPECT_EQ(parse::strip_signing_prefix("TM. ỦY BAN NHÂN DÂN"), "ỦY BAN NHÂN DÂN");
  EXPECT_EQ(parse::strip_signing_prefix("TM ỦY BAN NHÂN DÂN"), "TM ỦY BAN NHÂN DÂN");
  EXPECT_EQ(parse::strip_signing_prefix("TUQ. CHỦ TỊCH"), "CHỦ TỊCH");
  EXPECT_EQ(parse::strip_signing_prefix("PHÓ CHỦ TỊCH"), "PHÓ CHỦ TỊCH");
  EXPECT_TRUE(parse::has_signing_prefix("KT, CHỦ TỊCH"));
  EXPECT_FALSE(parse::has_signing_prefix("CHỦ TỊCH"));
  EXPECT_TRUE(parse::looks_like_person_name("Đặng Minh Bình"));
  EXPECT_TRUE(parse::looks_like_person_name("Nguyễn Văn A"));
  EXPECT_FALSE(parse::looks_like_person_name("CHỦ TỊCH"));
  EXPECT_FALSE(parse::looks_like_person_name("(Đã ký)"));
  EXPECT_FALSE(parse::looks_like_person_name("Nơi nhận:"));
  EXPECT_FALSE(parse::looks_like_person_name("Bình"));
  EXPECT_TRUE(parse::is_capitals("ỦY BAN NHÂN DÂN"));
  EXPECT_TRUE(parse::is_capitals("XÃ HÒA ĐỒNG"));
  EXPECT_FALSE(parse::is_capitals("Xã Hòa Đồng"));
}

TEST(AlignedText, FoldKeepsOneBytePerCodePoint) {
  parse::AlignedText t("Hòa Đồng, ngày");
  EXPECT_EQ(t.folded(), "hoa dong, ngay");
  EXPECT_EQ(t.original(0, 8), "Hòa Đồng");
}

TEST(Signer, RanksAndTitlesAreNotPartOfTheName) {
  EXPECT_EQ(parse::without_rank("Trung tá Ngô Văn Công"), "Ngô Văn Công");
  EXPECT_EQ(parse::without_rank("Thượng tá Lê Văn Tám"), "Lê Văn Tám");
  EXPECT_EQ(parse::without_rank("Đại úy  Trần Thị Mai"), "Trần Thị Mai");
  EXPECT_EQ(parse::without_rank("TS. Nguyễn Văn An"), "Nguyễn Văn An");
  EXPECT_EQ(parse::without_rank("PGS.TS. Hồ Đình Tùng"), "Hồ Đình Tùng");
  EXPECT_EQ(parse::without_rank("ThS. BS. Hạ Bá Chân"), "Hạ Bá Chân");
  EXPECT_EQ(parse::without_rank("Hạ Bá Chân"), "Hạ Bá Chân");
  EXPECT_EQ(parse::without_rank("Tạ Văn Bình"), "Tạ Văn Bình");  // "Tạ" is a surname
  EXPECT_EQ(parse::without_rank("Trung Văn Tá"), "Trung Văn Tá");
}

TEST(Marks, UrgencySecrecyAndCopyMarksAlone) {
  EXPECT_EQ(parse::urgency_mark("KHẨN"), "KHẨN");
  EXPECT_EQ(parse::urgency_mark("THƯỢNG KHẨN"), "THƯỢNG KHẨN");
  EXPECT_EQ(parse::urgency_mark("HỎA TỐC"), "HỎA TỐC");
  EXPECT_EQ(parse::urgency_mark("HOẢ TỐC"), "HỎA TỐC");
  EXPECT_EQ(parse::urgency_mark("Khẩn trương thực hiện"), "");
  EXPECT_EQ(parse::urgency_mark("KHẨN TRƯƠNG"), "");
  EXPECT_EQ(parse::secrecy_mark("MẬT"), "MẬT");
  EXPECT_EQ(parse::secrecy_mark("TỐI MẬT"), "TỐI MẬT");
  EXPECT_EQ(parse::secrecy_mark("TUYỆT MẬT"), "TUYỆT MẬT");
  EXPECT_EQ(parse::secrecy_mark("MẶT"), "");  // a different word, not a lost accent
  EXPECT_EQ(parse::copy_mark("SAO Y"), "SAO Y");
  EXPECT_EQ(parse::copy_mark("BẢN SAO Y"), "SAO Y");
  EXPECT_EQ(parse::copy_mark("SAOY"), "SAO Y");  // OCR lost the space
  EXPECT_EQ(parse::copy_mark("SAOL"), "");
  EXPECT_EQ(parse::copy_mark("SAO LỤC"), "SAO LỤC");
  EXPECT_EQ(parse::copy_mark("TRÍCH SAO"), "TRÍCH SAO");
  EXPECT_EQ(parse::copy_mark("Sao y bản chính"), "");
  EXPECT_EQ(parse::copy_mark("SAO CHÉP TÀI LIỆU"), "");
}
