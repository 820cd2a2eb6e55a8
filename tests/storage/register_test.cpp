// Register rows in the store and their matching to documents (SPEC
// "Progress: the definition"), on real database files.
#include <gtest/gtest.h>

#include <algorithm>

#include "storage/database.h"
#include "tests/support/test_store.h"
#include "tests/support/test_support.h"

namespace sohoa::storage {
namespace {

using sohoa::testing::store_name;
using sohoa::testing::StoreKind;
using sohoa::testing::TempDir;
using sohoa::testing::TestStore;

std::vector<Unit> tay_hoa_units() {
  return {{"tay-hoa", "Huyện Tây Hòa", "huyen", "phu-yen", "", "2025-06-30", ""},
          {"hoa-dong", "Xã Hòa Đồng", "xa", "tay-hoa", "", "2025-06-30", "xa-hoa-thinh"},
          {"hoa-thinh", "Xã Hòa Thịnh", "xa", "tay-hoa", "", "2025-06-30", "xa-hoa-thinh"},
          {"xa-hoa-thinh", "Xã Hòa Thịnh", "xa", "dak-lak", "2025-07-01", "", ""},
          {"hoa-my-dong", "Xã Hòa Mỹ Đông", "xa", "tay-hoa", "", "2025-06-30", ""}};
}

RegisterRow row(const std::string& unit, const std::string& number, const std::string& date,
                const std::string& dossier = "") {
  RegisterRow r;
  r.unit = unit;
  r.doc_number = number;
  r.issued_date = date;
  r.dossier_code = dossier;
  return r;
}

NewDocument doc(char c, const std::string& issuer, const std::string& number,
                const std::string& date, const std::string& digitized,
                const std::string& status = "ok", const std::string& dossier = "") {
  NewDocument d;
  d.sha256 = std::string(64, c);
  d.source = std::string("scan-") + c + ".tif";
  d.unit = issuer;
  d.issuer_unit = issuer;
  d.level = "xa";
  d.digitized_at = digitized;
  d.status = status;
  if (!number.empty()) d.fields.push_back({"doc_number", number, 1});
  if (!date.empty()) d.fields.push_back({"issued_date", date, 1});
  if (!dossier.empty()) d.fields.push_back({"dossier_code", dossier, 1});
  return d;
}

class RegisterStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    store = TestStore::make(GetParam(), dir.path());
    if (!store) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
    db = Database::open(store->arg());
    db->upsert_units(tay_hoa_units());
  }

  // Digitized date (YYYYMMDD, 0 = none) of each register row, by unit then date.
  std::vector<int> digitized() {
    std::vector<int> out;
    for (const RegisterFact& f : db->register_facts({}).rows) out.push_back(f.digitized);
    return out;
  }

  std::vector<int64_t> unmatched(const std::string& as_of = "") {
    std::vector<int64_t> ids;
    for (const auto& d : db->unmatched_documents(as_of)) ids.push_back(d.id);
    return ids;
  }

  TempDir dir;
  std::unique_ptr<TestStore> store;
  std::unique_ptr<Database> db;
};

INSTANTIATE_TEST_SUITE_P(Stores, RegisterStoreTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& info) { return store_name(info.param); });

TEST_P(RegisterStoreTest, LineageFollowsMergesBothWays) {
  EXPECT_EQ(db->successors_of("hoa-dong"), std::vector<std::string>{"xa-hoa-thinh"});
  EXPECT_TRUE(db->successors_of("xa-hoa-thinh").empty());
  EXPECT_EQ(db->predecessors_of("xa-hoa-thinh"),
            (std::vector<std::string>{"hoa-dong", "hoa-thinh"}));
  db->upsert_units(
      {{"later", "Xã Sau", "xa", "", "2030-01-01", "", ""},
       {"xa-hoa-thinh", "Xã Hòa Thịnh", "xa", "dak-lak", "2025-07-01", "2029-12-31", "later"}});
  EXPECT_EQ(db->successors_of("hoa-dong"), (std::vector<std::string>{"xa-hoa-thinh", "later"}));
  EXPECT_EQ(db->predecessors_of("later"),
            (std::vector<std::string>{"hoa-dong", "hoa-thinh", "xa-hoa-thinh"}));
}

TEST_P(RegisterStoreTest, ReimportUpdatesAndNeverDuplicates) {
  auto first = db->upsert_register_rows(
      {row("hoa-dong", "1/QĐ-UBND", "2022-01-05"), row("hoa-dong", "2/QĐ-UBND", "2022-01-06")});
  EXPECT_EQ(first.inserted, 2);
  EXPECT_EQ(first.updated, 0);
  RegisterRow changed = row("hoa-dong", "1/QĐ-UBND", "2022-01-05");
  changed.valid_until = "2023-01-01";
  auto second = db->upsert_register_rows({changed, row("hoa-dong", "3/QĐ-UBND", "2022-01-07")});
  EXPECT_EQ(second.inserted, 1);
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(db->register_size(), 3);
  auto facts = db->register_facts({});
  ASSERT_EQ(facts.rows.size(), 3u);
  EXPECT_EQ(facts.units, std::vector<std::string>{"hoa-dong"});
  EXPECT_EQ(facts.rows[0].issued, 20220105);
  EXPECT_EQ(facts.rows[0].valid_until, 20230101);
  EXPECT_EQ(facts.rows[1].valid_until, 0);
}

TEST_P(RegisterStoreTest, NumberMatchIgnoresSpacesCaseAndAccents) {
  db->upsert_register_rows({row("hoa-dong", "392/QĐ-UBND", "2022-06-03")});
  int64_t wrong_date =
      db->store_document(doc('a', "hoa-dong", "392/QĐ-UBND", "2022-06-04", "2022-07-01"));
  int64_t wrong_unit =
      db->store_document(doc('b', "hoa-my-dong", "392/QĐ-UBND", "2022-06-03", "2022-07-01"));
  EXPECT_EQ(digitized(), std::vector<int>{0});
  db->store_document(doc('c', "hoa-dong", "392 / qd-ubnd", "2022-06-03", "2022-07-02"));
  EXPECT_EQ(digitized(), std::vector<int>{20220702});
  EXPECT_EQ(unmatched(), (std::vector<int64_t>{wrong_date, wrong_unit}));
}

TEST_P(RegisterStoreTest, SuccessorIssuerMatchesButPredecessorDoesNot) {
  db->upsert_register_rows(
      {row("hoa-dong", "5/GP", "2025-05-02"), row("xa-hoa-thinh", "7/GP", "2025-08-01")});
  db->store_document(doc('a', "xa-hoa-thinh", "5/GP", "2025-05-02", "2025-09-01"));
  int64_t pred = db->store_document(doc('b', "hoa-dong", "7/GP", "2025-08-01", "2025-09-01"));
  EXPECT_EQ(digitized(), (std::vector<int>{20250901, 0}));
  EXPECT_EQ(unmatched(), std::vector<int64_t>{pred});
}

TEST_P(RegisterStoreTest, DossierCodeMatchesWhateverTheNumber) {
  db->upsert_register_rows({row("hoa-dong", "9/GP", "2022-03-03", "H46.57-220303-0009")});
  db->store_document(doc('a', "hoa-my-dong", "", "", "2022-04-01", "ok", "H46.57-220303-0009"));
  EXPECT_EQ(digitized(), std::vector<int>{20220401});
  EXPECT_TRUE(unmatched().empty());
}

TEST_P(RegisterStoreTest, RowCountsOnceFromItsEarliestStoredDocument) {
  db->upsert_register_rows({row("hoa-dong", "1/GP", "2022-01-01")});
  db->store_document(doc('a', "hoa-dong", "1/GP", "2022-01-01", "2023-05-05"));
  db->store_document(doc('b', "hoa-dong", "1/GP", "2022-01-01", "2022-09-09", "failed"));
  db->store_document(doc('c', "hoa-dong", "1/GP", "2022-01-01", "2023-02-02", "review"));
  EXPECT_EQ(db->register_facts({}).rows.size(), 1u);
  EXPECT_EQ(digitized(), std::vector<int>{20230202});
}

TEST_P(RegisterStoreTest, RowsArrivingLaterMatchStoredDocuments) {
  int64_t id = db->store_document(doc('a', "hoa-dong", "3/QĐ", "2022-02-02", "2022-03-03"));
  EXPECT_EQ(unmatched(), std::vector<int64_t>{id});
  EXPECT_EQ(unmatched("2022-03-02"), std::vector<int64_t>{});
  db->upsert_register_rows({row("hoa-dong", "3/QĐ", "2022-02-02")});
  EXPECT_EQ(digitized(), std::vector<int>{20220303});
  EXPECT_TRUE(unmatched().empty());
  // A re-import that gives the row another dossier code keeps the number match.
  db->upsert_register_rows({row("hoa-dong", "3/QĐ", "2022-02-02", "X-1")});
  EXPECT_EQ(digitized(), std::vector<int>{20220303});
}

TEST_P(RegisterStoreTest, CorrectionsMakeAndBreakMatches) {
  db->upsert_register_rows({row("hoa-dong", "12/QĐ-UBND", "2022-06-03")});
  int64_t id = db->store_document(doc('a', "hoa-dong", "17/QĐ-UBND", "2022-06-03", "2022-08-08"));
  EXPECT_EQ(digitized(), std::vector<int>{0});
  db->add_correction(id, "doc_number", "12/QĐ-UBND", "lan");
  EXPECT_EQ(digitized(), std::vector<int>{20220808});
  // Re-extraction with the wrong number again: the correction still wins.
  db->replace_extraction(id, {{"doc_number", "17/QĐ-UBND", 1}, {"issued_date", "2022-06-03", 1}},
                         "hoa-dong", "xa", "ok", {});
  EXPECT_EQ(digitized(), std::vector<int>{20220808});
  db->add_correction(id, "issued_date", "2022-06-04", "lan");
  EXPECT_EQ(digitized(), std::vector<int>{0});
  EXPECT_EQ(unmatched(), std::vector<int64_t>{id});
}

TEST_P(RegisterStoreTest, StatusChangeToFailedUncounts) {
  db->upsert_register_rows({row("hoa-dong", "12/QĐ", "2022-06-03")});
  int64_t id = db->store_document(doc('a', "hoa-dong", "12/QĐ", "2022-06-03", "2022-08-08"));
  EXPECT_EQ(digitized(), std::vector<int>{20220808});
  db->replace_extraction(id, {{"doc_number", "12/QĐ", 1}, {"issued_date", "2022-06-03", 1}},
                         "hoa-dong", "xa", "failed", {});
  EXPECT_EQ(digitized(), std::vector<int>{0});
}

TEST_P(RegisterStoreTest, NewSuccessorLinkRematchesEverything) {
  db->upsert_register_rows({row("hoa-my-dong", "4/GP", "2024-04-04")});
  db->upsert_units({{"xa-hoa-my", "Xã Hòa Mỹ", "xa", "dak-lak", "2025-07-01", "", ""}});
  db->store_document(doc('a', "xa-hoa-my", "4/GP", "2024-04-04", "2025-10-10"));
  EXPECT_EQ(digitized(), std::vector<int>{0});
  db->upsert_units(
      {{"hoa-my-dong", "Xã Hòa Mỹ Đông", "xa", "tay-hoa", "", "2025-06-30", "xa-hoa-my"}});
  EXPECT_EQ(digitized(), std::vector<int>{20251010});
}

// Rows on each boundary: issued on the day counted, expiring on it (still
// valid) and the day before it (not), digitized on it and after it.
TEST_P(RegisterStoreTest, TalliesCountEachDayAsProgressDefinesIt) {
  auto expiring = [](RegisterRow r, const std::string& until) {
    r.valid_until = until;
    return r;
  };
  db->upsert_register_rows({row("hoa-dong", "1/GP", "2022-01-01"),
                            expiring(row("hoa-dong", "2/GP", "2022-06-30"), "2022-12-30"),
                            expiring(row("hoa-dong", "3/GP", "2022-12-31"), "2023-06-30"),
                            row("hoa-dong", "4/GP", "2023-03-01"),
                            expiring(row("tay-hoa", "5/GP", "2021-05-05"), "2022-12-31")});
  db->store_document(doc('a', "hoa-dong", "1/GP", "2022-01-01", "2022-06-30"));
  db->store_document(doc('b', "hoa-dong", "2/GP", "2022-06-30", "2022-12-30T08:00:00Z"));
  db->store_document(doc('c', "hoa-dong", "4/GP", "2023-03-01", "2024-01-02"));
  db->store_document(doc('d', "tay-hoa", "5/GP", "2021-05-05", "2022-12-31"));
  // A failed document counts for nothing.
  db->store_document(doc('e', "hoa-dong", "3/GP", "2022-12-31", "2022-12-31", "failed"));
  const std::vector<int> days = {20211231, 20220630, 20221230, 20221231, 20231231, 20241231};
  std::vector<std::string> seen;
  auto days_for = [&](const std::vector<RegisterTally>& units) {
    for (const RegisterTally& u : units) {
      seen.push_back(u.unit + "@" + std::to_string(u.first_issued));
    }
    return days;
  };
  auto tallies = db->register_tallies({}, days_for);
  EXPECT_EQ(seen, (std::vector<std::string>{"hoa-dong@20220101", "tay-hoa@20210505"}));
  ASSERT_EQ(tallies.size(), 2u);
  EXPECT_EQ(tallies[0].unit, "hoa-dong");
  EXPECT_EQ(tallies[0].valid, (std::vector<int64_t>{0, 2, 2, 2, 2, 2}));
  EXPECT_EQ(tallies[0].digitized, (std::vector<int64_t>{0, 1, 2, 1, 1, 2}));
  EXPECT_EQ(tallies[1].unit, "tay-hoa");
  EXPECT_EQ(tallies[1].valid, (std::vector<int64_t>{1, 1, 1, 1, 0, 0}));
  EXPECT_EQ(tallies[1].digitized, (std::vector<int64_t>{0, 0, 0, 1, 0, 0}));

  // The store's own sums equal those of its register facts (the default).
  auto from_facts = db->Database::register_tallies({}, days_for);
  ASSERT_EQ(from_facts.size(), tallies.size());
  for (size_t i = 0; i < tallies.size(); ++i) {
    EXPECT_EQ(from_facts[i].first_issued, tallies[i].first_issued);
    EXPECT_EQ(from_facts[i].valid, tallies[i].valid);
    EXPECT_EQ(from_facts[i].digitized, tallies[i].digitized);
  }

  seen.clear();
  auto one = db->register_tallies({"tay-hoa"}, days_for);
  EXPECT_EQ(seen, std::vector<std::string>{"tay-hoa@20210505"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].valid, tallies[1].valid);
  // No days asked: the units only, nothing counted.
  auto none = db->register_tallies(
      {}, [](const std::vector<RegisterTally>&) { return std::vector<int>{}; });
  ASSERT_EQ(none.size(), 2u);
  EXPECT_TRUE(none[0].valid.empty());
}

// The PostgreSQL store keeps progress in day tallies its triggers move on
// every register write; after each kind of write they must still count
// what the register facts do (the default register_tallies), day by day.
TEST_P(RegisterStoreTest, TalliesFollowEveryWriteThatMovesProgress) {
  const std::vector<int> days = {20211231, 20220101, 20220602, 20220603, 20220630, 20221231,
                                 20230630, 20231231, 20241231, 20251231, 20261231};
  auto days_for = [&](const std::vector<RegisterTally>&) { return days; };
  int step = 0;
  auto same_as_facts = [&](int64_t digitized_at_end) {
    ++step;
    auto kept = db->register_tallies({}, days_for);
    auto facts = db->Database::register_tallies({}, days_for);
    ASSERT_EQ(kept.size(), facts.size()) << "step " << step;
    int64_t total = 0;
    for (size_t i = 0; i < kept.size(); ++i) {
      EXPECT_EQ(kept[i].unit, facts[i].unit) << "step " << step;
      EXPECT_EQ(kept[i].first_issued, facts[i].first_issued) << "step " << step;
      EXPECT_EQ(kept[i].valid, facts[i].valid) << "step " << step << " " << kept[i].unit;
      EXPECT_EQ(kept[i].digitized, facts[i].digitized) << "step " << step << " " << kept[i].unit;
      total += kept[i].digitized.back();
    }
    EXPECT_EQ(total, digitized_at_end) << "step " << step;
  };
  auto expiring = [](RegisterRow r, const std::string& until) {
    r.valid_until = until;
    return r;
  };
  db->upsert_register_rows({row("hoa-dong", "1/GP", "2022-01-01"),
                            expiring(row("hoa-dong", "2/GP", "2022-06-03"), "2026-06-03"),
                            expiring(row("hoa-dong", "3/GP", "2022-06-03"), "2022-06-02"),
                            row("hoa-thinh", "4/GP", "2023-03-01", "D-4"),
                            row("hoa-my-dong", "5/GP", "2024-04-04"),
                            expiring(row("tay-hoa", "6/GP", "2021-05-05"), "2027-12-31")});
  same_as_facts(0);
  int64_t a = db->store_document(doc('a', "hoa-dong", "1/GP", "2022-01-01", "2022-06-30"));
  int64_t b = db->store_document(doc('b', "hoa-dong", "2/GP", "2022-06-03", "2021-01-01"));
  // Matching an already-matched row again changes nothing.
  db->store_document(doc('c', "hoa-dong", "1/GP", "2022-01-01", "2023-01-01"));
  int64_t d = db->store_document(doc('d', "xa-hoa-thinh", "", "", "2025-10-10", "ok", "D-4"));
  int64_t e = db->store_document(doc('e', "tay-hoa", "9/GP", "2021-05-05", "2022-12-31"));
  same_as_facts(2);                                    // rows 1 and 4 (2 has expired)
  db->add_correction(e, "doc_number", "6/GP", "lan");  // makes a match
  same_as_facts(3);
  db->add_correction(b, "issued_date", "2022-06-04", "lan");  // breaks one
  same_as_facts(3);
  EXPECT_EQ(db->undo_corrections(b, "issued_date", "lan"), 1);
  same_as_facts(3);
  db->replace_extraction(d, {}, "xa-hoa-thinh", "xa", "failed", {});
  same_as_facts(2);
  db->delete_document(a, "scanned twice", "lan");  // doc c still matches row 1
  same_as_facts(2);
  // Re-imported with another expiry, and new rows (doc e's 9/GP was
  // corrected away: no match).
  db->upsert_register_rows({expiring(row("hoa-dong", "2/GP", "2022-06-03"), "2023-06-30"),
                            row("hoa-dong", "7/GP", "2025-01-01"),
                            row("tay-hoa", "9/GP", "2021-05-05")});
  same_as_facts(2);
  // A successor link rematches everything; a units import rewrites levels.
  db->upsert_units({{"xa-hoa-my", "Xã Hòa Mỹ", "xa", "dak-lak", "2025-07-01", "", ""}});
  db->store_document(doc('f', "xa-hoa-my", "5/GP", "2024-04-04", "2025-11-11"));
  same_as_facts(2);
  db->upsert_units(
      {{"hoa-my-dong", "Xã Hòa Mỹ Đông", "xa", "tay-hoa", "", "2025-06-30", "xa-hoa-my"}});
  same_as_facts(3);
  db->upsert_units({{"tay-hoa", "Huyện Tây Hòa", "huyen", "phu-yen", "", "2025-06-30", ""}});
  same_as_facts(3);
}

// An import of more than 20,000 rows makes the PostgreSQL store rebuild its
// day tallies from the register once, at the end: the same counts.
TEST_P(RegisterStoreTest, ABigImportCountsAsRowByRowWrites) {
  db->upsert_register_rows({row("hoa-dong", "1/GP", "2022-01-01")});
  db->store_document(doc('a', "hoa-dong", "1/GP", "2022-01-01", "2022-06-30"));
  db->store_document(doc('b', "hoa-thinh", "78/GP", "2023-02-03", "2023-12-01"));
  db->store_document(doc('c', "hoa-dong", "20002/GP", "2024-12-31", "2025-01-01"));
  int64_t n = 0;
  db->upsert_register_rows([&](RegisterRow& r) {
    if (n == 21000) return false;
    ++n;
    auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    std::string date = std::to_string(2021 + n % 5) + "-" + two(1 + n % 12) + "-" + two(1 + n % 28);
    r = row(n % 3 == 0 ? "hoa-thinh" : "hoa-dong", std::to_string(n) + "/GP", date);
    if (n % 4 == 0) r.valid_until = std::to_string(2022 + n % 4) + "-06-30";
    if (n == 78) r.issued_date = "2023-02-03";
    if (n == 20002) r.issued_date = "2024-12-31";
    return true;
  });
  const std::vector<int> days = {20211231, 20221231, 20230630, 20231231, 20241231, 20251231};
  auto days_for = [&](const std::vector<RegisterTally>&) { return days; };
  auto kept = db->register_tallies({}, days_for);
  auto facts = db->Database::register_tallies({}, days_for);
  ASSERT_EQ(kept.size(), 2u);
  ASSERT_EQ(facts.size(), 2u);
  for (size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i].valid, facts[i].valid);
    EXPECT_EQ(kept[i].digitized, facts[i].digitized);
  }
  EXPECT_EQ(kept[0].digitized.back() + kept[1].digitized.back(), 3);
  // Writes after it move the rebuilt tallies on as before.
  db->store_document(doc('d', "hoa-dong", "2/GP", "2022-03-03", "2025-05-05"));
  EXPECT_EQ(db->register_tallies({}, days_for)[0].digitized,
            db->Database::register_tallies({}, days_for)[0].digitized);
}

// The PostgreSQL store inserts a register many rows per statement: a key
// given twice in one import, or already there, is still an update, in order.
TEST_P(RegisterStoreTest, AKeyRepeatedInOneImportIsInsertedOnceThenUpdated) {
  db->store_document(doc('a', "hoa-dong", "2/GP", "2022-02-02", "2022-03-03"));
  auto titled = [](RegisterRow r, const std::string& title) {
    r.title = title;
    return r;
  };
  auto counts = db->upsert_register_rows({titled(row("hoa-dong", "1/GP", "2022-01-01"), "first"),
                                          titled(row("hoa-dong", "2/GP", "2022-02-02"), "two"),
                                          titled(row("hoa-dong", "1/GP", "2022-01-01"), "again")});
  EXPECT_EQ(counts.inserted, 2);
  EXPECT_EQ(counts.updated, 1);
  counts = db->upsert_register_rows({titled(row("hoa-dong", "2/GP", "2022-02-02"), "later"),
                                     titled(row("hoa-dong", "3/GP", "2022-03-03"), "three")});
  EXPECT_EQ(counts.inserted, 1);
  EXPECT_EQ(counts.updated, 1);
  EXPECT_EQ(db->register_size(), 3);
  auto pending = db->undigitized_rows({}, "2022-12-31", 0);
  ASSERT_EQ(pending.total, 2);  // 2/GP is digitized by document a
  EXPECT_EQ(pending.rows[0].doc_number, "3/GP");
  EXPECT_EQ(pending.rows[0].title, "three");
  EXPECT_EQ(pending.rows[1].doc_number, "1/GP");
  EXPECT_EQ(pending.rows[1].title, "again");
  EXPECT_EQ(digitized(), (std::vector<int>{0, 20220303, 0}));
}

TEST_P(RegisterStoreTest, FactsFilterByUnit) {
  db->upsert_register_rows({row("hoa-dong", "1", "2022-01-01"), row("hoa-thinh", "1", "2022-01-01"),
                            row("tay-hoa", "1", "2022-01-01")});
  auto facts = db->register_facts({"tay-hoa", "hoa-dong"});
  EXPECT_EQ(facts.units, (std::vector<std::string>{"hoa-dong", "tay-hoa"}));
  ASSERT_EQ(facts.rows.size(), 2u);
  EXPECT_EQ(facts.rows[0].unit, 0);
  EXPECT_EQ(facts.rows[1].unit, 1);
}

TEST_P(RegisterStoreTest, ReviewQueueAddsUnmatchedOkDocumentsOnceARegisterExists) {
  int64_t id = db->store_document(doc('a', "hoa-dong", "8/GP", "2022-02-02", "2022-03-03"));
  EXPECT_TRUE(db->review_queue().empty());
  db->upsert_register_rows({row("hoa-dong", "9/GP", "2022-02-02")});
  auto queue = db->review_queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, id);
  EXPECT_EQ(queue[0].status, "ok");
  EXPECT_EQ(queue[0].reasons, std::vector<std::string>{"no register match"});
  db->add_correction(id, "doc_number", "9/GP", "lan");
  EXPECT_TRUE(db->review_queue().empty());
}

}  // namespace
}  // namespace sohoa::storage
