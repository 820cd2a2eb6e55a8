// Station merge: a station's documents, corrections and originals come into
// the district's database once, however often the merge is run.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "storage/file_hash.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::storage::Archive;
using sohoa::storage::Database;
using sohoa::storage::NewDocument;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

NewDocument document(const std::string& sha, const std::string& number,
                     const std::string& status = "ok") {
  NewDocument doc;
  doc.sha256 = sha;
  doc.archive_sha256 = sha;
  doc.source = "scans/" + number + ".png";
  doc.station = "hoa-dong-1";
  doc.unit = "22222";
  doc.issuer_unit = "22222";
  doc.level = "xa";
  doc.digitized_at = "2022-06-30";
  doc.status = status;
  if (status == "failed") {
    doc.error = "truncated file";
    return doc;
  }
  doc.review_reasons = {"signer missing"};
  doc.fields = {{"doc_number", number, 0.9}, {"issued_date", "2022-06-03", 0.8}};
  sohoa::storage::PageRecord page;
  page.page = 1;
  page.width = 2480;
  page.height = 3508;
  page.dpi = 300;
  page.ocr_confidence = 91;
  page.text = "QUYẾT ĐỊNH Số: " + number + " Hòa Đồng";
  doc.pages = {page};
  return doc;
}

// The SHA-256 of the original written for `c` (the archive checks it).
std::string sha_of(char c) {
  sohoa::storage::Sha256 sha;
  sha.update(std::string("original bytes ") + c);
  return sha.hex();
}

class StationMerge : public ::testing::Test {
 protected:
  void SetUp() override {
    station_ = (dir_ / "station.db").string();
    district_ = (dir_ / "district.db").string();
    auto db = Database::open(station_);
    Archive archive = Archive::beside(station_);
    for (char c : {'a', 'b', 'c'}) {
      fs::path original = dir_ / (std::string(1, c) + ".png");
      write_file(original, std::string("original bytes ") + c);
      archive.put(original, sha_of(c));
    }
    int64_t a = db->store_document(document(sha_of('a'), "12/QĐ-UBND"));
    db->add_correction(a, "doc_number", "21/QĐ-UBND", "Lan");
    db->store_document(document(sha_of('b'), "34/GP-UBND"));
    db->store_document(document(sha_of('c'), "", "failed"));
    // The district's database exists before anything is merged into it:
    // only `units import` creates one (SPEC).
    Database::open(district_);
  }

  RunResult merge() {
    return run({sohoa::testing::sohoa_bin(), "merge", station_, "--json", "--db", district_});
  }

  TempDir dir_;
  std::string station_;
  std::string district_;
};

TEST_F(StationMerge, MergingTwiceGivesTheSameCounts) {
  RunResult first = merge();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json counts = json::parse(first.out);
  EXPECT_EQ(counts["new"], 3);
  EXPECT_EQ(counts["present"], 0);

  RunResult second = merge();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  counts = json::parse(second.out);
  EXPECT_EQ(counts["new"], 0);
  EXPECT_EQ(counts["present"], 3);

  auto db = Database::open(district_);
  ASSERT_EQ(db->document_ids().size(), 3u);
  Archive archive = Archive::beside(district_);
  for (char c : {'a', 'b', 'c'}) {
    ASSERT_TRUE(archive.contains(sha_of(c)));
    EXPECT_EQ(read_file(archive.path_of(sha_of(c))), std::string("original bytes ") + c);
  }
}

TEST_F(StationMerge, KeepsCorrectionsWithWhoAndWhenAndTheExtractedValues) {
  ASSERT_EQ(merge().exit_code, 0);
  auto station = Database::open(station_);
  auto district = Database::open(district_);
  auto here = district->find_by_sha256(sha_of('a'));
  ASSERT_TRUE(here);
  auto there = station->find_by_sha256(sha_of('a'));
  auto corrections = district->corrections(here->id);
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0].field, "doc_number");
  EXPECT_EQ(corrections[0].value, "21/QĐ-UBND");
  EXPECT_EQ(corrections[0].by, "Lan");
  EXPECT_EQ(corrections[0].at, station->corrections(there->id)[0].at);

  auto doc = district->document(here->id);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, "ok");
  EXPECT_EQ(doc->station, "hoa-dong-1");
  ASSERT_EQ(doc->pages.size(), 1u);
  EXPECT_EQ(doc->pages[0].text, "QUYẾT ĐỊNH Số: 12/QĐ-UBND Hòa Đồng");
  // The correction still wins; the extracted value is kept underneath.
  auto stored = district->document_as_stored(here->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->review_reasons, std::vector<std::string>{"signer missing"});
  for (const auto& f : doc->fields) {
    if (f.name == "doc_number") {
      EXPECT_EQ(f.value, "21/QĐ-UBND");
    }
  }
  for (const auto& f : stored->fields) {
    if (f.name == "doc_number") {
      EXPECT_EQ(f.value, "12/QĐ-UBND");
    }
  }
  // Searchable here by the corrected number.
  sohoa::storage::SearchQuery q;
  q.text = "21/QĐ-UBND";
  EXPECT_EQ(district->search(q).size(), 1u);
}

TEST_F(StationMerge, ReplacesAFailedRecordHereButKeepsWhatIsStoredHere) {
  {
    auto district = Database::open(district_);
    district->store_document(document(sha_of('a'), "", "failed"));
    NewDocument own = document(sha_of('b'), "34/GP-UBND");
    own.station = "district-desk";
    district->store_document(own);
  }
  RunResult r = merge();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json counts = json::parse(r.out);
  EXPECT_EQ(counts["new"], 2);  // a (was failed here) and c
  EXPECT_EQ(counts["present"], 1);
  auto district = Database::open(district_);
  EXPECT_EQ(district->find_by_sha256(sha_of('a'))->status, "ok");
  auto b = district->document(district->find_by_sha256(sha_of('b'))->id);
  EXPECT_EQ(b->station, "district-desk");
}

// A document deleted centrally stays deleted when a station that still holds
// it is merged again (the tombstone wins); ingesting the bytes here again is
// how it comes back, and then it is simply present.
TEST_F(StationMerge, ADocumentDeletedHereStaysDeletedWhenTheStationStillHasIt) {
  ASSERT_EQ(merge().exit_code, 0);
  int64_t b_id = 0;
  {
    auto district = Database::open(district_);
    b_id = district->find_by_sha256(sha_of('b'))->id;
  }
  RunResult del = run({sohoa::testing::sohoa_bin(), "delete", std::to_string(b_id), "--reason",
                       "scanned twice", "--by", "lan", "--db", district_});
  ASSERT_EQ(del.exit_code, 0) << del.err;

  RunResult again = merge();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json counts = json::parse(again.out);
  EXPECT_EQ(counts["new"], 0);
  EXPECT_EQ(counts["present"], 2);
  EXPECT_EQ(counts["deleted"], 1);
  {
    auto district = Database::open(district_);
    EXPECT_FALSE(district->find_by_sha256(sha_of('b')));
    EXPECT_EQ(district->document_ids().size(), 2u);
    sohoa::storage::SearchQuery q;
    q.text = "34/GP-UBND";
    EXPECT_TRUE(district->search(q).empty());
  }
  RunResult text = run({sohoa::testing::sohoa_bin(), "merge", station_, "--db", district_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("0 new, 2 already present, 1 deleted here"), std::string::npos)
      << text.out;

  // Stored here again (as a new ingest of the same bytes would): present.
  Database::open(district_)->store_document(document(sha_of('b'), "34/GP-UBND"));
  counts = json::parse(merge().out);
  EXPECT_EQ(counts["present"], 3);
  EXPECT_EQ(counts["deleted"], 0);
}

// SPEC: a path with no sohoa database behind it is exit 2, naming it.
TEST_F(StationMerge, MissingStationFileIsFatalAndNamed) {
  RunResult r =
      run({sohoa::testing::sohoa_bin(), "merge", (dir_ / "nope.db").string(), "--db", district_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.db"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "nope.db"));
}

}  // namespace
