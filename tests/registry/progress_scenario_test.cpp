// Progress over a hand-built scenario: a few hundred register rows across
// the district and commune levels, merged communes, expired results, and
// documents digitized on different dates. The expected figures are worked
// out by hand in the comments below, never by the code under test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "registry/progress_report.h"
#include "registry/register_import.h"
#include "registry/units_import.h"
#include "storage/database.h"
#include "tests/support/test_support.h"

namespace sohoa::registry {
namespace {

using sohoa::testing::TempDir;
using sohoa::testing::write_file;

// Register blocks (all numbers are the block's prefix + "-<i>/QĐ-UBND"):
//  H1 tay-hoa (huyen)   100 rows issued 2022-03-01, no expiry
//     docs: 30 digitized 2022-06-01, 20 (status review) 2023-02-01,
//           10 2025-08-01; one failed doc 2022-05-05 on a row left undigitized
//  H2 tay-hoa            50 rows issued 2023-05-10, valid until 2024-06-30
//     docs: 25 digitized 2023-11-11
//  H3 tay-hoa            40 rows issued 2024-12-31, matched by dossier code only
//     docs: 40 digitized 2025-01-15 (no number, another issuer)
//  H4 tay-hoa            10 rows issued 2025-10-01 (after the report date)
//  X1 hoa-dong (xa)      80 rows issued 2022-09-09, no expiry
//     docs: 20 digitized 2022-12-31 by hoa-dong (one of them first stored with
//           a wrong number, then corrected), 5 more copies of those digitized
//           2024-01-01 (a row counts once), 20 digitized 2025-08-20 issued by
//           the merged commune xa-hoa-thinh (a successor), and one by
//           hoa-my-dong (not in the lineage: unmatched)
//  X2 phu-thu            60 rows issued 20/01/2023, valid until 31/12/2023
//     docs: 30 digitized 2023-06-06
//  X3 xa-tay-hoa         30 rows issued 2025-07-15 (the commune after the merger)
//     docs: 15 digitized 2025-09-30, 5 digitized 2025-10-01
//  unmatched: two documents whose numbers are in no register (digitized
//  2024-04-04 and 2025-10-05) and the hoa-my-dong one above.
// Report date (--as-of) 2025-09-30.
class ProgressScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    import_units(*db, sohoa::testing::units_csv_path());
    write_register();
    auto imported = import_register(*db, register_csv);
    ASSERT_TRUE(imported.rejected.empty());
    ASSERT_EQ(imported.inserted, 370);
    store_documents();
  }

  // A ';' file with a BOM, columns out of the SPEC's order, and both date forms.
  void write_register() {
    std::ostringstream csv;
    csv << "\xEF\xBB\xBF"
           "title;issued_date;doc_number;unit;valid_until;dossier_code\n";
    auto block = [&](const std::string& prefix, int n, const std::string& unit,
                     const std::string& issued, const std::string& until, bool dossier) {
      for (int i = 1; i <= n; ++i) {
        csv << "\"Kết quả; số " << i << "\";" << issued << ";" << prefix << "-" << i << "/QĐ-UBND;"
            << unit << ";" << until << ";"
            << (dossier ? "H46.57-" + prefix + "-" + std::to_string(i) : "") << "\n";
      }
    };
    block("H1", 100, "tay-hoa", "2022-03-01", "", false);
    block("H2", 50, "tay-hoa", "10/05/2023", "2024-06-30", false);
    block("H3", 40, "tay-hoa", "2024-12-31", "", true);
    block("H4", 10, "tay-hoa", "2025-10-01", "", false);
    block("X1", 80, "hoa-dong", "09/09/2022", "", false);
    block("X2", 60, "phu-thu", "20/01/2023", "31/12/2023", false);
    block("X3", 30, "xa-tay-hoa", "2025-07-15", "", false);
    write_file(register_csv, csv.str());
  }

  int64_t store(const std::string& issuer, const std::string& level, const std::string& number,
                const std::string& issued, const std::string& digitized,
                const std::string& status = "ok", const std::string& dossier = "") {
    storage::NewDocument d;
    char sha[65];
    std::snprintf(sha, sizeof sha, "%064d", ++count);
    d.sha256 = sha;
    d.source = "scans/" + std::to_string(count) + ".tif";
    d.unit = issuer;
    d.issuer_unit = issuer;
    d.level = level;
    d.digitized_at = digitized;
    d.status = status;
    if (status == "failed") d.error = "unreadable";
    if (!number.empty()) d.fields.push_back({"doc_number", number, 0.9});
    if (!issued.empty()) d.fields.push_back({"issued_date", issued, 0.9});
    if (!dossier.empty()) d.fields.push_back({"dossier_code", dossier, 0.9});
    return db->store_document(d);
  }

  static std::string number(const std::string& prefix, int i) {
    return prefix + "-" + std::to_string(i) + "/QĐ-UBND";
  }

  void store_documents() {
    for (int i = 1; i <= 30; ++i)
      store("tay-hoa", "huyen", number("H1", i), "2022-03-01", "2022-06-01");
    for (int i = 31; i <= 50; ++i) {
      store("tay-hoa", "huyen", number("H1", i), "2022-03-01", "2023-02-01", "review");
    }
    for (int i = 51; i <= 60; ++i)
      store("tay-hoa", "huyen", number("H1", i), "2022-03-01", "2025-08-01");
    store("tay-hoa", "huyen", number("H1", 99), "2022-03-01", "2022-05-05", "failed");
    for (int i = 1; i <= 25; ++i)
      store("tay-hoa", "huyen", number("H2", i), "2023-05-10", "2023-11-11");
    for (int i = 1; i <= 40; ++i) {
      store("xa-tay-hoa", "xa", "", "", "2025-01-15", "ok", "H46.57-H3-" + std::to_string(i));
    }
    // Numbers as OCR reads them: spaces, case and accents differ.
    for (int i = 1; i <= 19; ++i) {
      store("hoa-dong", "xa", " x1-" + std::to_string(i) + " / qd-ubnd", "2022-09-09",
            "2022-12-31");
    }
    int64_t misread = store("hoa-dong", "xa", "X1-2O/QĐ-UBND", "2022-09-09", "2022-12-31");
    db->add_correction(misread, "doc_number", number("X1", 20), "lan");
    for (int i = 1; i <= 5; ++i)
      store("hoa-dong", "xa", number("X1", i), "2022-09-09", "2024-01-01");
    for (int i = 21; i <= 40; ++i)
      store("xa-hoa-thinh", "xa", number("X1", i), "2022-09-09", "2025-08-20");
    unmatched_wrong_unit = store("hoa-my-dong", "xa", number("X1", 41), "2022-09-09", "2023-03-03");
    for (int i = 1; i <= 30; ++i)
      store("phu-thu", "xa", number("X2", i), "2023-01-20", "2023-06-06");
    for (int i = 1; i <= 15; ++i)
      store("xa-tay-hoa", "xa", number("X3", i), "2025-07-15", "2025-09-30");
    for (int i = 16; i <= 20; ++i)
      store("xa-tay-hoa", "xa", number("X3", i), "2025-07-15", "2025-10-01");
    unmatched_number = store("tay-hoa", "huyen", "999/QĐ-UBND", "2024-04-01", "2024-04-04");
    store("tay-hoa", "huyen", "998/QĐ-UBND", "2024-04-01", "2025-10-05");
  }

  ProgressReport report(ProgressOptions options) {
    options.today = "2026-11-27";
    if (options.as_of.empty()) options.as_of = "2025-09-30";
    return compute_progress(*db, options);
  }

  TempDir dir;
  std::filesystem::path db_path = dir / "sohoa.db";
  std::filesystem::path register_csv = dir / "register.csv";
  std::unique_ptr<storage::Database> db = storage::Database::open(db_path);
  int count = 0;
  int64_t unmatched_wrong_unit = 0;
  int64_t unmatched_number = 0;
};

// huyen: 2022 valid H1 100, digitized 30 -> 30.0 (target 40)
//        2023 valid H1 100 + H2 50 = 150, digitized 30 + 20 + 25 = 75 -> 50.0 (60)
//        2024 H2 expired; valid 100 + H3 40 = 140, digitized 50 -> 35.7 (80)
//        2025-09-30 valid 140 (H4 not issued yet), digitized 60 + 40 -> 71.4 (100)
// xa:    2022 valid X1 80, digitized 20 -> 25.0 (35)
//        2023 valid 80 + X2 60 (valid until the very day) = 140, digitized 20 + 30 -> 35.7 (55)
//        2024 X2 expired; valid 80, digitized 20 (copies count once) -> 25.0 (75)
//        2025-09-30 valid 80 + X3 30 = 110, digitized 20 + 20 + 15 = 55 -> 50.0 (95)
TEST_F(ProgressScenario, PerLevelAndYear) {
  EXPECT_EQ(render_csv(report({})),
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "huyen,2022,2022-12-31,100,30,30.0,40.0,false\n"
            "huyen,2023,2023-12-31,150,75,50.0,60.0,false\n"
            "huyen,2024,2024-12-31,140,50,35.7,80.0,false\n"
            "huyen,2025,2025-09-30,140,100,71.4,100.0,false\n"
            "xa,2022,2022-12-31,80,20,25.0,35.0,false\n"
            "xa,2023,2023-12-31,140,50,35.7,55.0,false\n"
            "xa,2024,2024-12-31,80,20,25.0,75.0,false\n"
            "xa,2025,2025-09-30,110,55,50.0,95.0,false\n");
}

TEST_F(ProgressScenario, ReimportingTheRegisterChangesNothing) {
  auto again = import_register(*db, register_csv);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 370);
  EXPECT_EQ(db->register_size(), 370);
  EXPECT_EQ(render_csv(report({})).substr(0, 200), render_csv(report({})).substr(0, 200));
  auto rows = report({}).rows;
  EXPECT_EQ(rows[1].valid, 150);
  EXPECT_EQ(rows[1].digitized, 75);
}

TEST_F(ProgressScenario, TargetsFromAFile) {
  write_file(dir / "targets.csv", "level,year,target_percent\nhuyen,2022,30\nxa,2023,35.7\n");
  ProgressOptions options;
  options.targets = dir / "targets.csv";
  options.level = "huyen";
  options.to = 2023;
  EXPECT_EQ(render_csv(report(options)),
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "huyen,2022,2022-12-31,100,30,30.0,30.0,true\n"
            "huyen,2023,2023-12-31,150,75,50.0,,\n");
  options.level = "xa";
  options.from = 2023;
  EXPECT_EQ(render_csv(report(options)),
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "xa,2023,2023-12-31,140,50,35.7,35.7,true\n");
}

// Quarters of 2025 up to 2025-09-30 (Q4 has not begun):
// huyen Q1 valid 140, digitized H1 50 + H3 40 = 90 -> 64.3; Q2 the same;
//       Q3 100 -> 71.4.  xa Q1/Q2 valid X1 80, digitized 20 -> 25.0; Q3 110/55 -> 50.0.
TEST_F(ProgressScenario, QuartersStopAtTheReportDate) {
  ProgressOptions options;
  options.period = "quarter";
  options.from = 2025;
  EXPECT_EQ(render_csv(report(options)),
            "level,year,period,as_of,valid,digitized,percent,target,met\n"
            "huyen,2025,Q1,2025-03-31,140,90,64.3,100.0,false\n"
            "huyen,2025,Q2,2025-06-30,140,90,64.3,100.0,false\n"
            "huyen,2025,Q3,2025-09-30,140,100,71.4,100.0,false\n"
            "xa,2025,Q1,2025-03-31,80,20,25.0,95.0,false\n"
            "xa,2025,Q2,2025-06-30,80,20,25.0,95.0,false\n"
            "xa,2025,Q3,2025-09-30,110,55,50.0,95.0,false\n");
}

// 2023 H1 (2023-06-30): huyen 150 valid, digitized 30 + 20 = 50 -> 33.3;
// xa 140 valid, digitized 20 + 30 = 50 -> 35.7. H2 as the year.
TEST_F(ProgressScenario, Halves) {
  ProgressOptions options;
  options.period = "half";
  options.from = 2023;
  options.to = 2023;
  EXPECT_EQ(render_csv(report(options)),
            "level,year,period,as_of,valid,digitized,percent,target,met\n"
            "huyen,2023,H1,2023-06-30,150,50,33.3,60.0,false\n"
            "huyen,2023,H2,2023-12-31,150,75,50.0,60.0,false\n"
            "xa,2023,H1,2023-06-30,140,50,35.7,55.0,false\n"
            "xa,2023,H2,2023-12-31,140,50,35.7,55.0,false\n");
}

// xa-tay-hoa and its predecessors (phu-thu among them; the district is not
// one): X2 and X3 only. 2022 and 2024 have nothing valid: nulls.
TEST_F(ProgressScenario, UnitKeepsItsPredecessors) {
  ProgressOptions options;
  options.unit = "xa-tay-hoa";
  EXPECT_EQ(render_csv(report(options)),
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "xa,2023,2023-12-31,60,30,50.0,55.0,false\n"
            "xa,2024,2024-12-31,0,0,,75.0,\n"
            "xa,2025,2025-09-30,30,15,50.0,95.0,false\n");
}

TEST_F(ProgressScenario, ByUnit) {
  ProgressOptions options;
  options.by = "unit";
  options.from = 2024;
  EXPECT_EQ(render_csv(report(options)),
            "unit,level,year,as_of,valid,digitized,percent,target,met,unit_name\n"
            "hoa-dong,xa,2024,2024-12-31,80,20,25.0,75.0,false,Xã Hòa Đồng\n"
            "hoa-dong,xa,2025,2025-09-30,80,40,50.0,95.0,false,Xã Hòa Đồng\n"
            "phu-thu,xa,2024,2024-12-31,0,0,,75.0,,Thị trấn Phú Thứ\n"
            "phu-thu,xa,2025,2025-09-30,0,0,,95.0,,Thị trấn Phú Thứ\n"
            "tay-hoa,huyen,2024,2024-12-31,140,50,35.7,80.0,false,Huyện Tây Hòa\n"
            "tay-hoa,huyen,2025,2025-09-30,140,100,71.4,100.0,false,Huyện Tây Hòa\n"
            "xa-tay-hoa,xa,2024,2024-12-31,0,0,,75.0,,Xã Tây Hòa\n"
            "xa-tay-hoa,xa,2025,2025-09-30,30,15,50.0,95.0,false,Xã Tây Hòa\n");
}

TEST_F(ProgressScenario, UnmatchedDocumentsInJsonAndTable) {
  auto json = nlohmann::ordered_json::parse(render_json(report({})));
  EXPECT_EQ(json["as_of"], "2025-09-30");
  EXPECT_EQ(json["unmatched"], 2);  // the third was digitized after the report date
  ASSERT_EQ(json["unmatched_documents"].size(), 2u);
  EXPECT_EQ(json["unmatched_documents"][0]["id"], unmatched_wrong_unit);
  EXPECT_EQ(json["unmatched_documents"][1]["id"], unmatched_number);
  EXPECT_EQ(json["unmatched_documents"][1]["doc_number"], "999/QĐ-UBND");
  const auto& first = json["rows"][0];
  std::vector<std::string> keys;
  for (auto it = first.begin(); it != first.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"level", "year", "as_of", "valid", "digitized",
                                            "percent", "target", "met"}));
  EXPECT_EQ(first["percent"], 30.0);
  EXPECT_EQ(json["rows"][0]["met"], false);

  std::string table = render_table(report({}));
  EXPECT_NE(table.find("huyen  2024  2024-12-31    140         50     35.7    80.0   no"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("unmatched: 2"), std::string::npos);
  EXPECT_NE(table.find("999/QĐ-UBND"), std::string::npos);
  // Later as_of: the document digitized 2025-10-05 is unmatched too.
  ProgressOptions later;
  later.as_of = "31/12/2025";
  EXPECT_EQ(report(later).unmatched.size(), 3u);
}

TEST_F(ProgressScenario, CorrectionBreakingAMatchLowersTheCount) {
  // X2-1 was the only document of its row: correcting its date unmatches it.
  auto ids = db->search({"", "phu-thu", "", 0, "", 1, {}});
  ASSERT_EQ(ids.size(), 1u);
  db->add_correction(ids[0].id, "issued_date", "2023-01-21", "lan");
  ProgressOptions options;
  options.level = "xa";
  options.from = 2023;
  options.to = 2023;
  EXPECT_EQ(render_csv(report(options)),
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "xa,2023,2023-12-31,140,49,35.0,55.0,false\n");
}

TEST_F(ProgressScenario, HtmlIsOneSelfContainedPage) {
  ProgressOptions by_level, by_unit;
  by_unit.by = "unit";
  std::string html = render_html(report(by_level), report(by_unit));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("Cấp huyện"), std::string::npos);
  EXPECT_NE(html.find("Cấp xã"), std::string::npos);
  size_t charts = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 2u);  // one per level
  EXPECT_NE(html.find("71.4%"), std::string::npos);
  EXPECT_NE(html.find("<td>xa-tay-hoa</td><td>Xã Tây Hòa</td>"), std::string::npos);
  // Headers in Vietnamese; counts printed, not only in tooltips; the year
  // not yet over (as of 2025-09-30) marked as counted so far.
  EXPECT_NE(html.find("<th>Đã số hóa (digitized)</th>"), std::string::npos);
  EXPECT_NE(html.find(">100/140</text>"), std::string::npos);
  EXPECT_NE(html.find("2025*"), std::string::npos);
  EXPECT_NE(html.find("(đến 30/09, chưa hết kỳ)"), std::string::npos);
  // --by level: the per-level table instead of the per-unit one.
  std::string per_level = render_html(report(by_level), report(by_unit), false);
  EXPECT_NE(per_level, html);
  EXPECT_EQ(per_level.find("<td>xa-tay-hoa</td>"), std::string::npos);
  EXPECT_NE(per_level.find("<h2>Theo cấp (per level)</h2>"), std::string::npos);
  EXPECT_NE(per_level.find("<td>Cấp huyện (huyen)</td><td>2025</td>"), std::string::npos);
  // Nothing fetched: the only URL is the SVG namespace.
  std::string rest = html;
  for (size_t at = rest.find("http"); at != std::string::npos; at = rest.find("http", at + 1)) {
    EXPECT_EQ(rest.compare(at, 26, "http://www.w3.org/2000/svg"), 0) << rest.substr(at, 60);
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST_F(ProgressScenario, CommandLine) {
  auto r = sohoa::testing::run({sohoa::testing::sohoa_bin(), "progress", "--db", db_path.string(),
                                "--as-of", "2025-09-30", "--level", "xa", "--from", "2024",
                                "--format", "csv"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "level,year,as_of,valid,digitized,percent,target,met\n"
            "xa,2024,2024-12-31,80,20,25.0,75.0,false\n"
            "xa,2025,2025-09-30,110,55,50.0,95.0,false\n");
  auto html =
      sohoa::testing::run({sohoa::testing::sohoa_bin(), "progress", "--db", db_path.string(),
                           "--format", "html", "--out", (dir / "p.html").string()});
  EXPECT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(sohoa::testing::read_file(dir / "p.html").find("<svg"), std::string::npos);
  auto bad = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "progress", "--db", db_path.string(), "--unit", "nowhere"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("nowhere"), std::string::npos);
  auto period = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "progress", "--db", db_path.string(), "--period", "month"});
  EXPECT_EQ(period.exit_code, 1);
}

}  // namespace
}  // namespace sohoa::registry
