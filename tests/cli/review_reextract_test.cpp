// Review and re-extraction through the real program and a real SQLite file:
// a document stored with its OCR layout but no readable number waits in the
// queue; a person's correction settles it, is searchable at once, and
// survives `reextract`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "metadata/review.h"
#include "ocr/layout_json.h"
#include "storage/database.h"
#include "tests/support/extract_fixtures.h"
#include "tests/support/test_support.h"

namespace fx = sohoa::testing::fixtures;
using nlohmann::json;
using sohoa::testing::run;
using sohoa::testing::sohoa_bin;

namespace {

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = (dir_ / "sohoa.db").string();
    auto db = sohoa::storage::Database::open(db_path_);
    db->upsert_units(fx::tay_hoa_units());
    fx::Header h;
    h.number = "";  // the number did not survive the scan
    id_ = store(*db, fx::decision(h), "a1");
  }

  // Stores one page the way ingest does: extraction, layout, status.
  int64_t store(sohoa::storage::Database& db, const sohoa::ocr::PageText& page,
                const std::string& sha) {
    sohoa::metadata::MetadataExtractor extractor(db.units());
    sohoa::metadata::Extraction e = extractor.extract({page}, "hoa-dong");
    sohoa::storage::NewDocument doc;
    doc.sha256 = sha;
    doc.source = "scans/" + sha + ".png";
    doc.unit = "hoa-dong";
    doc.issuer_unit = e.issuer_unit;
    doc.level = "xa";
    doc.digitized_at = "2022-06-30";
    doc.review_reasons = e.review_reasons;
    doc.status = e.review_reasons.empty() ? "ok" : "review";
    doc.fields = e.fields;
    sohoa::storage::PageRecord p;
    p.page = 1;
    p.width = page.width;
    p.height = page.height;
    p.dpi = 300;
    p.layout_json = sohoa::ocr::layout_to_json(page);
    doc.pages.push_back(p);
    return db.store_document(doc);
  }

  sohoa::testing::RunResult sohoa(std::vector<std::string> args) {
    args.insert(args.begin(), sohoa_bin());
    args.push_back("--db");
    args.push_back(db_path_);
    return run(args);
  }

  json show(int64_t id) {
    auto r = sohoa({"show", std::to_string(id), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  sohoa::testing::TempDir dir_;
  std::string db_path_;
  int64_t id_ = 0;
};

}  // namespace

TEST_F(Review, QueueListsTheDocumentWithItsReason) {
  auto r = sohoa({"review", "--queue", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = sohoa::testing::lines_of(r.out);
  ASSERT_EQ(lines.size(), 1u);
  json item = json::parse(lines[0]);
  EXPECT_EQ(item["id"], id_);
  EXPECT_EQ(item["status"], "review");
  EXPECT_EQ(item["reasons"], json::array({"doc_number missing"}));
}

TEST_F(Review, CorrectionSettlesReviewIsSearchableAndSurvivesReextract) {
  auto r = sohoa({"review", std::to_string(id_), "--set", "doc_number=392 / QĐ-UBND", "--set",
                  "issued_date=03/06/2022", "--by", "Lan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = show(id_);
  EXPECT_EQ(doc["metadata"]["doc_number"], "392/QĐ-UBND");
  EXPECT_EQ(doc["metadata"]["issued_date"], "2022-06-03");
  EXPECT_EQ(doc["status"], "ok");
  EXPECT_EQ(doc["issuer_unit"], "hoa-dong");

  auto found = sohoa({"search", "392/QĐ-UBND", "--json"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  ASSERT_FALSE(found.out.empty());
  EXPECT_EQ(json::parse(sohoa::testing::lines_of(found.out)[0])["id"], id_);

  auto queue = sohoa({"review", "--queue", "--json"});
  EXPECT_EQ(queue.out, "");

  auto again = sohoa({"reextract", "--all", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json line = json::parse(sohoa::testing::lines_of(again.out).at(0));
  EXPECT_EQ(line["status"], "ok");
  doc = show(id_);
  EXPECT_EQ(doc["metadata"]["doc_number"], "392/QĐ-UBND");
  EXPECT_EQ(doc["metadata"]["authority"], "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG");
  EXPECT_EQ(doc["status"], "ok");
}

TEST_F(Review, QueueShowsOnlyTheReasonsACorrectionLeaves) {
  auto db = sohoa::storage::Database::open(db_path_);
  fx::Header h;
  h.number = "";
  h.date = "";
  int64_t id = store(*db, fx::decision(h), "b2");
  auto reasons_in_queue = [&] {
    auto r = sohoa({"review", "--queue", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& line : sohoa::testing::lines_of(r.out)) {
      json item = json::parse(line);
      if (item["id"] == id) return item["reasons"];
    }
    return json();
  };
  // Without its date line the date is not guessed from other dates (SPEC).
  // Without the number and date lines the header's end is a guess that
  // falls under the title: doc_type is missing (before, the signer's "TM.
  // ỦY BAN NHÂN DÂN" was taken for the title, silently wrong).
  EXPECT_EQ(reasons_in_queue(),
            json::array({"doc_number missing", "issued_date missing", "doc_type missing"}));

  auto r = sohoa({"review", std::to_string(id), "--set", "doc_number=17/QĐ-UBND"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(show(id)["status"], "review");
  EXPECT_EQ(reasons_in_queue(), json::array({"issued_date missing", "doc_type missing"}));
}

TEST_F(Review, CorrectedAuthorityMovesTheIssuer) {
  auto r = sohoa({"review", std::to_string(id_), "--set", "doc_number=392/QĐ-UBND", "--set",
                  "authority=ỦY BAN NHÂN DÂN XÃ HÒA THỊNH"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = show(id_);
  EXPECT_EQ(doc["issuer_unit"], "hoa-thinh");  // dated 2022: the commune before the merger
  EXPECT_EQ(doc["status"], "ok");
}

TEST_F(Review, BadSettingsChangeNothing) {
  const std::vector<std::vector<std::string>> bad = {
      {"review", std::to_string(id_), "--set", "issued_date=2022-02-30"},
      {"review", std::to_string(id_), "--set", "colour=blue"},
      {"review", std::to_string(id_), "--set", "citizen_ids=12345"},
      {"review", std::to_string(id_), "--set", "doc_number"},
      {"review", std::to_string(id_), "--set", "doc_number=1/QĐ", "--set", "issued_date=x"},
      {"review", std::to_string(id_)},
      {"review"},
      {"review", "999", "--set", "doc_number=1/QĐ"},
      {"reextract"},
  };
  for (const auto& args : bad) {
    auto r = sohoa(args);
    EXPECT_EQ(r.exit_code, 1) << args.back() << ": " << r.out;
    EXPECT_FALSE(r.err.empty());
  }
  json doc = show(id_);
  EXPECT_TRUE(doc["metadata"]["doc_number"].is_null());
  EXPECT_EQ(doc["status"], "review");
}

TEST_F(Review, CitizenIdsAcceptAList) {
  EXPECT_EQ(sohoa::metadata::normalize_correction("citizen_ids", "054236051354, 221234567"),
            R"(["054236051354","221234567"])");
  EXPECT_EQ(sohoa::metadata::normalize_correction("citizen_ids", R"(["054236051354"])"),
            R"(["054236051354"])");
  EXPECT_EQ(sohoa::metadata::normalize_correction("signer", "  Lê  Văn   Nam "), "Lê Văn Nam");
  auto r = sohoa({"review", std::to_string(id_), "--set", "citizen_ids=054236051354"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(show(id_)["metadata"]["citizen_ids"], json::array({"054236051354"}));
}
