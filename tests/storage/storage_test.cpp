// The SQLite store: schema, documents, corrections, search and archive, on
// real database files.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>

#include "storage/database.h"
#include "storage/fold_tokenizer.h"
#include "storage/postgres_schema.h"
#include "storage/schema.h"
#include "storage/search_query.h"
#include "storage/snippet.h"
#include "tests/support/test_store.h"
#include "tests/support/test_support.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

using sohoa::testing::store_name;
using sohoa::testing::StoreKind;
using sohoa::testing::TempDir;
using sohoa::testing::TestStore;

NewDocument sample_document(const std::string& sha, const std::string& text) {
  NewDocument d;
  d.sha256 = sha;
  d.source = "scans/" + sha.substr(0, 6) + ".tif";
  d.station = "hoa-dong-1";
  d.unit = "hoa-dong";
  d.issuer_unit = "hoa-dong";
  d.level = "xa";
  d.digitized_at = "2022-06-30";
  d.status = "ok";
  d.fields = {{"doc_type", "QUYẾT ĐỊNH", 0.9},
              {"doc_number", "392/QĐ-UBND", 0.95},
              {"issued_date", "2022-06-03", 0.99},
              {"dossier_code", "H46.57-220603-3392", 1.0}};
  PageRecord page;
  page.page = 1;
  page.width = 2480;
  page.height = 3508;
  page.dpi = 300;
  page.text_dpi = 96;
  page.rotation = 180;
  page.skew_deg = -1.25;
  page.ocr_confidence = 91.0;
  page.text = text;
  page.codes = {"SOHOA-SEPARATOR"};
  page.layout_json = R"({"blocks":[]})";
  page.text_source = "pdf";
  d.pages = {page};
  return d;
}

SearchQuery sq(std::string text, std::string unit = "", std::string level = "", int year = 0,
               std::string type = "", int limit = 20) {
  return {std::move(text), std::move(unit), std::move(level), year, std::move(type), limit, {}};
}

std::string sha_of(char c) { return std::string(64, c); }

std::string field(const StoredDocument& d, const std::string& name) {
  for (const Field& f : d.fields) {
    if (f.name == name) return f.value;
  }
  return "<absent>";
}

std::vector<int64_t> ids_of(const std::vector<SearchHit>& hits) {
  std::vector<int64_t> ids;
  for (const SearchHit& h : hits) ids.push_back(h.id);
  return ids;
}

int user_version(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  sqlite3_step(stmt);
  int version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return version;
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

// The SQLite file's own behaviour: its schema version, a path that cannot
// be opened, a file that is not a database.
class SqliteFileTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::filesystem::path path = dir / "sohoa.db";
  std::unique_ptr<Database> db = Database::open(path);
};

// Everything a store does, on both kinds (tests/support/test_store.h).
class StorageTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    store = TestStore::make(GetParam(), dir.path());
    if (!store) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
    path = store->arg();
    db = Database::open(path);
  }

  TempDir dir;
  std::unique_ptr<TestStore> store;
  std::filesystem::path path;
  std::unique_ptr<Database> db;
};

INSTANTIATE_TEST_SUITE_P(Stores, StorageTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres),
                         [](const auto& info) { return store_name(info.param); });

TEST_F(SqliteFileTest, MigratesAnEmptyFileAndReopensWithoutLoss) {
  const int latest = static_cast<int>(sohoa::storage::migrations().size());
  EXPECT_EQ(user_version(path), latest);
  db->upsert_units(
      {{"hoa-dong", "Xã Hòa Đồng", "xa", "tay-hoa", "", "2025-06-30", "xa-hoa-thinh"}});
  db.reset();
  auto again = Database::open(path);
  EXPECT_EQ(user_version(path), latest);
  auto unit = again->unit("hoa-dong");
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->name, "Xã Hòa Đồng");
  EXPECT_EQ(unit->successor, "xa-hoa-thinh");
  EXPECT_EQ(unit->valid_to, "2025-06-30");
}

TEST_P(StorageTest, CertificationsAreKeptPerDocumentInOrder) {
  int64_t id = db->store_document(sample_document(std::string(64, 'c'), "văn bản"));
  EXPECT_TRUE(db->certifications(id).empty());
  db->add_certification(
      {id, "lan", "", "Ủy ban nhân dân xã Hòa Đồng", std::string(64, 'f'), std::string(64, 'e')});
  db->add_certification({id, "minh", "", "UBND", std::string(64, '1'), std::string(64, '2')});
  auto certs = db->certifications(id);
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0].doc_id, id);
  EXPECT_EQ(certs[0].by, "lan");
  EXPECT_EQ(certs[0].signer, "Ủy ban nhân dân xã Hòa Đồng");
  EXPECT_EQ(certs[0].cert_sha256, std::string(64, 'f'));
  EXPECT_EQ(certs[0].pdf_sha256, std::string(64, 'e'));
  EXPECT_TRUE(
      std::regex_match(certs[0].at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << certs[0].at;
  EXPECT_EQ(certs[1].by, "minh");
  // A certification of no document is refused and leaves nothing behind.
  EXPECT_THROW(db->add_certification({id + 100, "lan", "", "x", "y", "z"}), InputError);
  EXPECT_TRUE(db->certifications(id + 100).empty());
}

TEST_P(StorageTest, UnitsUpsertByCodeAndListInCodeOrder) {
  db->upsert_units({{"b", "Xã B", "xa", "", "", "", ""}, {"a", "Xã A", "xa", "", "", "", ""}});
  db->upsert_units({{"b", "Xã Bê", "huyen", "", "2020-01-01", "", ""}});
  auto units = db->units();
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].code, "a");
  EXPECT_EQ(units[1].name, "Xã Bê");
  EXPECT_EQ(units[1].level, "huyen");
  EXPECT_EQ(units[1].valid_from, "2020-01-01");
  EXPECT_FALSE(db->unit("zzz"));
}

// A store from before the metadata search indexes gets them filled from
// its documents: its metadata matches still rank as such.
TEST_F(SqliteFileTest, MigrationIndexesTheMetadataOfStoredDocuments) {
  NewDocument doc = sample_document(sha_of('a'), "Về việc cấp phép.");
  doc.fields.push_back({"signer", "Nguyễn Văn An", 0.9});
  int64_t id = db->store_document(doc);
  db.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  register_fold_tokenizer(raw);
  const auto& steps = sohoa::storage::migrations();
  auto meta_step = std::find_if(steps.begin(), steps.end(), [](std::string_view step) {
    return step.find("CREATE VIRTUAL TABLE search_meta ") != std::string_view::npos;
  });
  ASSERT_NE(meta_step, steps.end());
  // Back to the schema before that step (the steps after it are run again).
  std::string before =
      "DROP TABLE search_meta; DROP TABLE search_meta_exact; DROP TABLE search_upkeep; "
      "PRAGMA user_version = " +
      std::to_string(meta_step - steps.begin());
  ASSERT_EQ(sqlite3_exec(raw, before.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto again = Database::open(path);
  auto hits = again->search(sq("Nguyễn Văn An"));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, id);
  EXPECT_EQ(hits[0].score, 4.0);  // exact accents in the metadata
  EXPECT_EQ(again->search(sq("nguyen van an"))[0].score, 2.0);
  // Deleting it takes it out of the new indexes too.
  again->delete_document(id, "test", "tester");
  again.reset();
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  register_fold_tokenizer(raw);
  for (const char* q : {"SELECT count(*) FROM search_meta WHERE search_meta MATCH 'nguyen'",
                        "SELECT count(*) FROM search_meta_exact WHERE search_meta_exact MATCH "
                        "'nguyễn'"}) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, q, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 0) << q;
    sqlite3_finalize(st);
  }
  sqlite3_close(raw);
}

// The segments of each FTS5 index of the file at `path` (its %_idx table
// holds one row or more per segment).
std::map<std::string, int> search_segments(const std::filesystem::path& path) {
  std::map<std::string, int> out;
  sqlite3* raw = nullptr;
  sqlite3_open(path.c_str(), &raw);
  for (const char* table : {"search_folded", "search_exact", "search_meta", "search_meta_exact"}) {
    sqlite3_stmt* st = nullptr;
    std::string sql = std::string("SELECT count(DISTINCT segid) FROM ") + table + "_idx";
    sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr);
    out[table] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
  }
  sqlite3_close(raw);
  return out;
}

TEST_F(SqliteFileTest, SearchIndexesAreMergedOnceWritesReachTheirThreshold) {
  // One transaction a document, as ingest writes: FTS5 flushes a segment
  // each time and its automerge leaves several.
  auto store = [&](int i) {
    char sha[65];
    std::snprintf(sha, sizeof sha, "%064d", i);
    return db->store_document(sample_document(sha, "chung mục " + std::to_string(i)));
  };
  for (int i = 1; i < 1000; ++i) store(i);
  for (const auto& [table, segments] : search_segments(path)) EXPECT_GT(segments, 1) << table;
  store(1000);  // the 1,000th search row: every index merged into one segment
  for (const auto& [table, segments] : search_segments(path)) EXPECT_EQ(segments, 1) << table;
  int64_t newest = store(1001);
  EXPECT_EQ(search_segments(path)["search_folded"], 2);  // next due at 1,000 more (a quarter: 250)
  // The merged indexes find what they found before, in the same order.
  auto hits = db->search(sq("chung", "", "", 0, "", 0));
  ASSERT_EQ(hits.size(), 1001u);
  EXPECT_EQ(hits.front().id, newest);
  EXPECT_TRUE(std::is_sorted(hits.begin(), hits.end(),
                             [](const SearchHit& a, const SearchHit& b) { return a.id > b.id; }));
  for (int i : {1, 500, 1000, 1001}) {
    auto one = db->search(sq("\"chung mục " + std::to_string(i) + "\""));
    ASSERT_EQ(one.size(), 1u) << i;
    EXPECT_EQ(one[0].id, i);
    auto folded = db->search(sq("muc " + std::to_string(i)));
    ASSERT_EQ(folded.size(), 1u) << i;
    EXPECT_EQ(folded[0].id, i);
    EXPECT_EQ(folded[0].score, 1.0);  // in the page text only
  }
}

// A hit's snippet, and the check that its text holds the query as the
// folded match reads it (the SQLite store leaves out a hit that does not).
TEST(SnippetTest, ShownOnlyWhenEveryWantedPhraseIsInTheText) {
  auto phrases = translate_query("\"phú diễn\" thôn hòa* -xây").phrases;
  EXPECT_FALSE(snippet_if_matched("", "Thôn Phú Yên, diễn tập ở Hòa Đồng", phrases));
  EXPECT_FALSE(snippet_if_matched("Phú Diễn", "Thôn Hậu", phrases));
  auto shown = snippet_if_matched("", "Thôn Phú Diễn, xã Hòa Đồng, xây", phrases);
  ASSERT_TRUE(shown);
  EXPECT_EQ(*shown, "[Thôn] [Phú Diễn], xã [Hòa] Đồng, xây");  // as FTS5 shows it
  EXPECT_EQ(*shown, make_snippet("", "Thôn Phú Diễn, xã Hòa Đồng, xây", phrases));
  auto in_meta = snippet_if_matched("thon phu dien", "hoà", phrases);  // folded, split over both
  ASSERT_TRUE(in_meta);
}

TEST_F(SqliteFileTest, UnopenableDatabaseNamesItsPath) {
  auto bad = dir / "no-such-folder" / "x.db";
  try {
    Database::open(bad);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
  }
}

TEST_F(SqliteFileTest, NotADatabaseIsAStorageError) {
  sohoa::testing::write_file(dir / "junk.db", std::string(4096, 'x'));
  EXPECT_THROW(Database::open(dir / "junk.db"), StorageError);
}

TEST_P(StorageTest, StoresAndReadsBackExactValues) {
  NewDocument doc = sample_document(sha_of('a'), "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG\nQUYẾT ĐỊNH");
  doc.review_reasons = {"low confidence"};
  int64_t id = db->store_document(doc);
  auto stored = db->document(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->sha256, sha_of('a'));
  EXPECT_EQ(stored->source, doc.source);
  EXPECT_EQ(stored->station, "hoa-dong-1");
  EXPECT_EQ(stored->issuer_unit, "hoa-dong");
  EXPECT_EQ(stored->level, "xa");
  EXPECT_EQ(stored->digitized_at, "2022-06-30");
  EXPECT_EQ(stored->status, "ok");
  EXPECT_EQ(stored->archive_sha256, sha_of('a'));
  ASSERT_EQ(stored->fields.size(), 4u);
  EXPECT_EQ(stored->fields[0].name, "doc_type");  // SPEC order
  EXPECT_EQ(stored->fields[1].value, "392/QĐ-UBND");
  EXPECT_DOUBLE_EQ(stored->fields[1].confidence, 0.95);
  EXPECT_EQ(stored->fields[3].name, "dossier_code");
  ASSERT_EQ(stored->pages.size(), 1u);
  const PageRecord& p = stored->pages[0];
  EXPECT_EQ(p.width, 2480);
  EXPECT_EQ(p.height, 3508);
  EXPECT_EQ(p.dpi, 300);
  EXPECT_EQ(p.text_dpi, 96);
  EXPECT_EQ(p.rotation, 180);
  EXPECT_DOUBLE_EQ(p.skew_deg, -1.25);
  EXPECT_DOUBLE_EQ(p.ocr_confidence, 91.0);
  EXPECT_EQ(p.text, doc.pages[0].text);
  EXPECT_EQ(p.codes, std::vector<std::string>{"SOHOA-SEPARATOR"});
  EXPECT_EQ(p.layout_json, R"({"blocks":[]})");
  EXPECT_EQ(p.text_source, "pdf");
  auto existing = db->find_by_sha256(sha_of('a'));
  ASSERT_TRUE(existing);
  EXPECT_EQ(existing->id, id);
  EXPECT_EQ(existing->pages, 1);
  EXPECT_FALSE(db->find_by_sha256(sha_of('b')));
  EXPECT_FALSE(db->document(id + 100));
}

TEST_P(StorageTest, StoredTextIsNfc) {
  // "Hòa" written with a combining grave accent.
  int64_t id = db->store_document(sample_document(sha_of('a'),
                                                  "Ho\xcc\x80"
                                                  "a"));
  EXPECT_EQ(db->document(id)->pages[0].text, "Hòa");
}

TEST_P(StorageTest, DuplicateSha256IsRefused) {
  db->store_document(sample_document(sha_of('a'), "x"));
  EXPECT_THROW(db->store_document(sample_document(sha_of('a'), "y")), StorageError);
  EXPECT_EQ(db->document_ids().size(), 1u);
}

TEST_P(StorageTest, FailedRecordIsReplacedKeepingItsId) {
  NewDocument failed;
  failed.sha256 = sha_of('a');
  failed.source = "scans/broken.tif";
  failed.status = "failed";
  failed.error = "truncated TIFF";
  int64_t other = db->store_document(sample_document(sha_of('b'), "khác"));
  int64_t id = db->store_document(failed);
  auto queue = db->review_queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, id);
  EXPECT_EQ(queue[0].reasons, std::vector<std::string>{"truncated TIFF"});

  int64_t again = db->store_document(sample_document(sha_of('a'), "Hòa Đồng"));
  EXPECT_EQ(again, id);
  EXPECT_NE(again, other);
  EXPECT_EQ(db->document(id)->status, "ok");
  EXPECT_EQ(db->document(id)->error, "");
  EXPECT_TRUE(db->review_queue().empty());
  EXPECT_EQ(ids_of(db->search(sq("hoa dong"))), std::vector<int64_t>{id});
}

TEST_P(StorageTest, ResolvesIdsAndUniqueShaPrefixes) {
  int64_t a = db->store_document(sample_document("ab12cdef" + std::string(56, '0'), "x"));
  int64_t b = db->store_document(sample_document("ab34cdef" + std::string(56, '0'), "y"));
  EXPECT_EQ(db->resolve(std::to_string(a)), std::vector<int64_t>{a});
  EXPECT_EQ(db->resolve("AB34CDEF"), std::vector<int64_t>{b});
  EXPECT_EQ(db->resolve("sha256:ab34cdef0"), std::vector<int64_t>{b});
  // Fewer than 8 hex characters is no DOC, however many documents it begins.
  EXPECT_TRUE(db->resolve("ab").empty());
  EXPECT_TRUE(db->resolve("ab3").empty());
  EXPECT_TRUE(db->resolve("ffffffff").empty());
  EXPECT_TRUE(db->resolve("").empty());
  EXPECT_TRUE(db->resolve("x'; DROP TABLE documents; --").empty());
}

// SPEC: an all-digit DOC is an id only, never a SHA-256 prefix; a prefix of
// digits only is written sha256:PREFIX.
TEST_P(StorageTest, AllDigitDocIsAnIdOnly) {
  int64_t a = db->store_document(sample_document("17000000" + std::string(56, 'a'), "x"));
  ASSERT_EQ(a, 1);
  EXPECT_TRUE(db->resolve("17").empty());
  EXPECT_TRUE(db->resolve("17000000").empty());
  EXPECT_TRUE(db->resolve("0").empty());
  EXPECT_EQ(db->resolve("1"), std::vector<int64_t>{a});
  EXPECT_EQ(db->resolve("sha256:17000000"), std::vector<int64_t>{a});
  EXPECT_TRUE(db->resolve("sha256:17").empty());
  EXPECT_EQ(storage::parse_doc_ref("sha256:1700").kind, storage::DocRef::kInvalid);
  EXPECT_EQ(storage::parse_doc_ref("1234567890123456789").kind, storage::DocRef::kInvalid);
  EXPECT_EQ(storage::parse_doc_ref("abcdefg1").kind, storage::DocRef::kInvalid);
}

TEST_P(StorageTest, FoldedQueryFindsAccentedText) {
  int64_t id = db->store_document(
      sample_document(sha_of('a'), "QUYẾT ĐỊNH\nVề việc cấp phép\nỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG"));
  db->store_document(sample_document(sha_of('b'), "Giấy phép xây dựng tại Sơn Thành"));
  EXPECT_EQ(ids_of(db->search(sq("quyet dinh hoa dong"))), std::vector<int64_t>{id});
  EXPECT_EQ(ids_of(db->search(sq("QUYẾT ĐỊNH Hòa Đồng"))), std::vector<int64_t>{id});
}

TEST_P(StorageTest, AccentedQueryRanksExactAccentsFirst) {
  // "hoa" alone appears more often in b, so plain BM25 prefers b.
  int64_t exact = db->store_document(
      sample_document(sha_of('a'), "Xã Hòa Đồng. Một hai ba bốn năm sáu bảy tám."));
  int64_t folded = db->store_document(sample_document(sha_of('b'), "hoa đồng hoa dong hoa"));
  EXPECT_EQ(ids_of(db->search(sq("hoa dong"))), (std::vector<int64_t>{folded, exact}));
  EXPECT_EQ(ids_of(db->search(sq("Hòa Đồng"))), (std::vector<int64_t>{exact, folded}));
  auto hits = db->search(sq("Hòa Đồng"));
  EXPECT_GT(hits[0].score, 0.0);
}

// Ranking (storage/search_rank.h): among equal matches the newest comes
// first (it was the oldest, by id, when bm25 tied); words in the metadata
// outrank words repeated in the body, however often.
TEST_P(StorageTest, EqualMatchesComeNewestFirst) {
  int64_t older = db->store_document(sample_document(sha_of('a'), "thôn Phú Diễn"));
  int64_t newer = db->store_document(sample_document(sha_of('b'), "thôn Phú Diễn"));
  EXPECT_EQ(ids_of(db->search(sq("phu dien"))), (std::vector<int64_t>{newer, older}));
  auto hits = db->search(sq("Phú Diễn"));
  EXPECT_EQ(ids_of(hits), (std::vector<int64_t>{newer, older}));
  EXPECT_EQ(hits[0].score, 3.0);  // exact accents, in the body
}

TEST_P(StorageTest, MetadataMatchOutranksRepeatsInTheBody) {
  NewDocument in_meta = sample_document(sha_of('a'), "Về việc cấp phép.");
  in_meta.fields.push_back({"signer", "Nguyễn Văn An", 0.9});
  int64_t meta = db->store_document(in_meta);
  int64_t body = db->store_document(sample_document(
      sha_of('b'), "Nguyễn Văn An, Nguyễn Văn An, Nguyễn Văn An; Nguyễn Văn An, Nguyễn Văn An."));
  auto hits = db->search(sq("nguyen van an"));
  EXPECT_EQ(ids_of(hits), (std::vector<int64_t>{meta, body}));
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].score, 2.0);
  EXPECT_EQ(hits[1].score, 1.0);
  EXPECT_EQ(ids_of(db->search(sq("Nguyễn Văn An"))), (std::vector<int64_t>{meta, body}));
  EXPECT_EQ(db->search(sq("Nguyễn Văn An"))[0].score, 4.0);
}

// A word in most documents never pushes out the few exact-accent matches,
// however old: "Hòa" in one old document, "hoa" folded in 150 newer ones.
TEST_P(StorageTest, RareExactMatchStaysFirstAmongManyFoldedMatches) {
  int64_t exact = db->store_document(sample_document(sha_of('a'), "thôn Hòa Thịnh"));
  int64_t made = 0;
  db->store_documents([&](NewDocument& d) {
    if (made == 150) return false;
    ++made;
    d = sample_document(std::string(60, 'b') + std::to_string(1000 + made),
                        made % 2 == 0 ? "bông hoa thôn" : "hóa đơn thôn hỏa");
    return true;
  });
  auto hits = db->search(sq("Hòa"));
  ASSERT_EQ(hits.size(), 20u);
  EXPECT_EQ(hits[0].id, exact);
  EXPECT_EQ(hits[1].id, exact + 150);  // then the newest folded match
  SearchQuery with_year = sq("thôn hòa", "", "", 2022, "", 5);
  EXPECT_EQ(db->search(with_year)[0].id, exact);
  EXPECT_EQ(ids_of(db->search(sq("Hòa -thinh"))).size(), 20u);
  EXPECT_NE(db->search(sq("Hòa -thinh"))[0].id, exact);
}

TEST_P(StorageTest, SnippetShowsTheOriginalAccentedWords) {
  db->store_document(sample_document(sha_of('a'),
                                     "Căn cứ Luật Tổ chức chính quyền địa phương; "
                                     "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG quyết định"));
  auto hits = db->search(sq("hoa dong"));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].snippet.find("HÒA"), std::string::npos) << hits[0].snippet;
  EXPECT_NE(hits[0].snippet.find("ĐỒNG"), std::string::npos) << hits[0].snippet;
  EXPECT_EQ(hits[0].doc_number, "392/QĐ-UBND");
  EXPECT_EQ(hits[0].issued_date, "2022-06-03");
  EXPECT_EQ(hits[0].doc_type, "QUYẾT ĐỊNH");
  EXPECT_EQ(hits[0].unit, "hoa-dong");
}

TEST_P(StorageTest, PhrasePrefixAndExclusion) {
  int64_t a = db->store_document(sample_document(sha_of('a'), "cấp giấy phép xây dựng nhà ở"));
  int64_t b = db->store_document(sample_document(sha_of('b'), "xây dựng giấy phép cấp lại"));
  EXPECT_EQ(ids_of(db->search(sq("\"giay phep xay dung\""))), std::vector<int64_t>{a});
  EXPECT_EQ(db->search(sq("giay phep")).size(), 2u);
  EXPECT_EQ(ids_of(db->search(sq("giay -nha"))), std::vector<int64_t>{b});
  EXPECT_EQ(ids_of(db->search(sq("giay -\"nha o\""))), std::vector<int64_t>{b});
  EXPECT_EQ(db->search(sq("xay*")).size(), 2u);
  EXPECT_EQ(ids_of(db->search(sq("la*"))), std::vector<int64_t>{b});
  EXPECT_TRUE(db->search(sq("la")).empty());
}

// The PostgreSQL store ranks at most SOHOA_PG_SEARCH_WINDOW documents at
// once: all that hold the words when so few do, else the newest, merging in
// older ones of a better tier; above either, one query per tier (window 0
// alone). Every window, from one document to all, must give the hits and
// scores one query per tier gives, whatever the limit; and those are the
// ranking of storage/search_rank.h (the SQLite store, the same checks).
TEST_P(StorageTest, SearchWindowGivesTheSameHitsAsOneQueryPerTier) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 12; ++i) {
    std::string text = i % 2 == 0 ? "giấy phép thôn Hòa" : "giay phep thôn hoa";
    if (i % 3 == 0) text += " xây dựng";
    if (i == 5) text += " Bình";
    NewDocument d = sample_document(std::string(62, 'c') + std::to_string(10 + i), text);
    if (i == 1) d.fields.push_back({"subject", "Cấp giấy phép xây dựng", 0.9});
    if (i == 3) d.fields.push_back({"signer", "giay phep", 0.9});
    ids.push_back(db->store_document(d));
  }
  struct Scoped {
    ~Scoped() { unsetenv("SOHOA_PG_SEARCH_WINDOW"); }
  } scoped;
  auto with_window = [&](int window, const SearchQuery& q) {
    setenv("SOHOA_PG_SEARCH_WINDOW", std::to_string(window).c_str(), 1);
    return Database::open(path)->search(q);
  };
  // The old metadata match first, however many newer exact-accent matches.
  auto hits = with_window(4, sq("giấy phép", "", "", 0, "", 3));
  EXPECT_EQ(ids_of(hits), (std::vector<int64_t>{ids[1], ids[10], ids[8]}));
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].score, 4.0);
  EXPECT_EQ(hits[2].score, 3.0);
  EXPECT_EQ(ids_of(with_window(4, sq("giay phep", "", "", 0, "", 3))),
            (std::vector<int64_t>{ids[3], ids[1], ids[11]}));
  hits = with_window(2, sq("Bình giấy"));
  EXPECT_EQ(ids_of(hits), std::vector<int64_t>{ids[5]});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].score, 1.0);
  for (const char* text :
       {"giấy phép", "giay phep", "Hòa", "hoa", "giấy phép -xây", "xây dựng", "\"giấy phép\" thôn",
        "gi* phép", "phe*", "gi* -xây", "Bình giấy", "binh", "khiếu nại", "quyết định hoa"}) {
    for (int limit : {0, 1, 2, 3, 4, 5, 7, 12, 20}) {
      SearchQuery q = sq(text, "", "", 0, "", limit);
      std::vector<SearchHit> by_tier = with_window(0, q);
      for (int window : {1, 2, 3, 4, 5, 6, 11, 12, 13, 2000}) {
        std::vector<SearchHit> got = with_window(window, q);
        ASSERT_EQ(ids_of(got), ids_of(by_tier))
            << text << " limit " << limit << " window " << window;
        for (size_t k = 0; k < got.size(); ++k) {
          EXPECT_EQ(got[k].score, by_tier[k].score)
              << text << " limit " << limit << " window " << window << " hit " << k;
        }
      }
    }
  }
}

TEST_P(StorageTest, AnyQueryIsSafe) {
  db->store_document(sample_document(sha_of('a'), "Quyết định NEAR AND OR NOT 2022"));
  for (const std::string q : {"\"\"",
                              "*",
                              "-",
                              "- -",
                              "NEAR(",
                              "NEAR(a b)",
                              "AND",
                              "OR",
                              "NOT",
                              ")",
                              "(",
                              "a AND",
                              "\xf0\x9f\x98\x80",
                              "quyết \xf0\x9f\x98\x80",
                              "'; DROP TABLE documents; --",
                              "^",
                              ":",
                              "col:quyet",
                              "{meta}: x",
                              "a\"b\"",
                              "\xff\xfe",
                              "**",
                              "-*",
                              "\"quyet\"*",
                              "+",
                              "2022-"}) {
    EXPECT_NO_THROW(db->search(sq(q))) << q;
  }
  EXPECT_EQ(db->search(sq("NEAR(")).size(), 1u);
  EXPECT_EQ(db->search(sq("AND")).size(), 1u);
  EXPECT_EQ(db->search(sq(")")).size(), 0u);
  EXPECT_EQ(db->search(sq("\xf0\x9f\x98\x80")).size(), 0u);
  EXPECT_EQ(db->search(sq("quyết \xf0\x9f\x98\x80")).size(), 1u);
}

TEST_P(StorageTest, MalformedQueriesAreInputErrors) {
  EXPECT_THROW(db->search(sq("\"quyet dinh")), InputError);
  EXPECT_THROW(db->search(sq("a \"b\" \"")), InputError);
  EXPECT_THROW(db->search(sq("-quyet")), InputError);
  EXPECT_THROW(db->search(sq("-quyet -\"hoa dong\"")), InputError);
}

TEST_P(StorageTest, EmptyQueryListsFilteredDocumentsNewestIssuedFirst) {
  auto make = [&](char c, const std::string& date, const std::string& unit,
                  const std::string& level, const std::string& type) {
    NewDocument d = sample_document(sha_of(c), "văn bản");
    d.issuer_unit = unit;
    d.level = level;
    d.fields = {{"doc_type", type, 1}, {"issued_date", date, 1}};
    return db->store_document(d);
  };
  int64_t a = make('a', "2021-03-01", "hoa-dong", "xa", "QUYẾT ĐỊNH");
  int64_t b = make('b', "2022-05-01", "hoa-dong", "xa", "GIẤY PHÉP XÂY DỰNG");
  int64_t c = make('c', "2022-01-01", "tay-hoa", "huyen", "QUYẾT ĐỊNH");
  EXPECT_EQ(ids_of(db->search(sq(""))), (std::vector<int64_t>{b, c, a}));
  EXPECT_EQ(ids_of(db->search(sq("   "))), (std::vector<int64_t>{b, c, a}));
  EXPECT_EQ(ids_of(db->search(sq("", "hoa-dong"))), (std::vector<int64_t>{b, a}));
  EXPECT_EQ(ids_of(db->search(sq("", "", "huyen"))), std::vector<int64_t>{c});
  EXPECT_EQ(ids_of(db->search(sq("", "", "", 2022))), (std::vector<int64_t>{b, c}));
  EXPECT_EQ(ids_of(db->search(sq("", "", "", 0, "quyet"))), (std::vector<int64_t>{c, a}));
  EXPECT_EQ(ids_of(db->search(sq("", "", "", 0, "Xây"))), std::vector<int64_t>{b});
  EXPECT_EQ(ids_of(db->search(sq("", "", "", 0, "", 1))), std::vector<int64_t>{b});
  EXPECT_EQ(ids_of(db->search(sq("van ban", "hoa-dong", "xa", 2021, "định"))),
            std::vector<int64_t>{a});
}

TEST_P(StorageTest, SearchFindsMetadata) {
  int64_t id = db->store_document(sample_document(sha_of('a'), "không có số"));
  EXPECT_EQ(ids_of(db->search(sq("392"))), std::vector<int64_t>{id});
  EXPECT_EQ(ids_of(db->search(sq("H46.57-220603-3392"))), std::vector<int64_t>{id});
}

// Issue 18: a CCCD snippet showed the stored JSON list, brackets and quotes.
TEST_P(StorageTest, CitizenIdSnippetShowsTheNumbersNotJson) {
  NewDocument d = sample_document(sha_of('c'), "không có số");
  d.fields.push_back({"citizen_ids", R"(["054091580039","054197575507"])", 1.0});
  int64_t id = db->store_document(d);
  std::vector<SearchHit> hits = db->search(sq("054091580039"));
  ASSERT_EQ(ids_of(hits), std::vector<int64_t>{id});
  EXPECT_NE(hits[0].snippet.find("[054091580039] 054197575507"), std::string::npos)
      << hits[0].snippet;
  EXPECT_EQ(hits[0].snippet.find('"'), std::string::npos) << hits[0].snippet;
}

// Any list field (recipients too) is indexed as its items, not as JSON.
TEST_P(StorageTest, RecipientsSnippetShowsTheNamesNotJson) {
  NewDocument d = sample_document(sha_of('r'), "không có số");
  d.fields.push_back({"recipients", R"(["Hai bên kết hôn;","Lưu: VT."])", 1.0});
  int64_t id = db->store_document(d);
  std::vector<SearchHit> hits = db->search(sq("hôn"));
  ASSERT_EQ(ids_of(hits), std::vector<int64_t>{id});
  EXPECT_NE(hits[0].snippet.find("Hai bên kết [hôn]; Lưu: VT."), std::string::npos)
      << hits[0].snippet;
  EXPECT_EQ(hits[0].snippet.find('"'), std::string::npos) << hits[0].snippet;
}

TEST_P(StorageTest, DeletedDocumentLeavesATombstoneAndItsIdIsNeverReused) {
  int64_t first = db->store_document(sample_document(sha_of('a'), "một"));
  int64_t second = db->store_document(sample_document(sha_of('b'), "hai"));
  db->add_correction(second, "doc_number", "7/QĐ", "lan");
  Deletion gone = db->delete_document(second, "quét nhầm", "lan");
  EXPECT_EQ(gone.doc_id, second);
  EXPECT_EQ(gone.sha256, sha_of('b'));
  EXPECT_EQ(gone.reason, "quét nhầm");
  EXPECT_EQ(gone.by, "lan");
  EXPECT_EQ(gone.at.size(), 24u);
  EXPECT_FALSE(db->document(second));
  EXPECT_FALSE(db->find_by_sha256(sha_of('b')));
  EXPECT_TRUE(db->search(sq("hai")).empty());
  EXPECT_EQ(db->corrections(second).size(), 0u);
  EXPECT_THROW(db->delete_document(second, "again", "lan"), InputError);
  ASSERT_EQ(db->deletions().size(), 1u);
  // The same bytes again: stored anew, under an id never given before.
  int64_t again = db->store_document(sample_document(sha_of('b'), "hai"));
  EXPECT_GT(again, second);
  EXPECT_EQ(db->document_ids(), (std::vector<int64_t>{first, again}));
  EXPECT_FALSE(db->archive_in_use(sha_of('z')));
  EXPECT_TRUE(db->archive_in_use(sha_of('a')));
}

TEST_P(StorageTest, UndoneCorrectionsLeaveTheExtractedValueAndStayOnRecord) {
  int64_t id = db->store_document(sample_document(sha_of('a'), "văn bản"));
  db->add_correction(id, "doc_number", "1/QĐ", "lan");
  db->add_correction(id, "doc_number", "2/QĐ", "minh");
  db->add_correction(id, "signer", "Lê Văn A", "lan");
  EXPECT_EQ(db->undo_corrections(id, "doc_number", "lan"), 2);
  EXPECT_EQ(field(*db->document(id), "doc_number"), "392/QĐ-UBND");
  EXPECT_EQ(field(*db->document(id), "signer"), "Lê Văn A");
  ASSERT_EQ(db->corrections(id).size(), 1u);
  EXPECT_EQ(db->undo_corrections(id, "doc_number", "lan"), 0);
  EXPECT_EQ(ids_of(db->search(sq("392/QĐ-UBND"))), std::vector<int64_t>{id});
  EXPECT_THROW(db->undo_corrections(999, "doc_number", "lan"), InputError);
}

TEST_P(StorageTest, ListsDocumentsFilteredAndPaged) {
  int64_t a = db->store_document(sample_document(sha_of('a'), "một"));
  NewDocument review = sample_document(sha_of('b'), "hai");
  review.status = "review";
  review.issuer_unit = "hoa-phu";
  int64_t b = db->store_document(review);
  EXPECT_EQ(db->list_documents({}).size(), 2u);
  EXPECT_EQ(db->count_documents({"review", "", 0, 0}), 1);
  auto only = db->list_documents({"", "hoa-phu", 0, 0});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].id, b);
  EXPECT_EQ(only[0].doc_number, "392/QĐ-UBND");
  auto page = db->list_documents({"", "", 1, a});
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, b);
}

TEST_F(SqliteFileTest, ExistsOnlyForASohoaDatabaseAndNeverCreates) {
  EXPECT_TRUE(Database::exists(path));
  EXPECT_FALSE(Database::exists(dir / "none.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));
  sohoa::testing::write_file(dir / "empty.db", "");
  EXPECT_FALSE(Database::exists(dir / "empty.db"));
  sohoa::testing::write_file(dir / "text.db", "not sqlite at all, just text");
  EXPECT_FALSE(Database::exists(dir / "text.db"));
}

TEST_P(StorageTest, CorrectionsWinAndSurviveReExtraction) {
  int64_t id = db->store_document(sample_document(sha_of('a'), "nội dung"));
  db->add_correction(id, "doc_number", "393/QĐ-UBND", "lan");
  db->add_correction(id, "doc_number", "394/QĐ-UBND", "minh");  // latest wins
  db->add_correction(id, "signer", "Đặng Minh Bình", "lan");
  auto d = db->document(id);
  EXPECT_EQ(field(*d, "doc_number"), "394/QĐ-UBND");
  EXPECT_EQ(field(*d, "signer"), "Đặng Minh Bình");
  EXPECT_EQ(ids_of(db->search(sq("394"))), std::vector<int64_t>{id});
  EXPECT_TRUE(db->search(sq("392")).empty());
  EXPECT_EQ(ids_of(db->search(sq("dang minh binh"))), std::vector<int64_t>{id});

  db->replace_extraction(id, {{"doc_number", "999/QĐ-UBND", 0.5}, {"place", "Hòa Đồng", 0.8}},
                         "tay-hoa", "huyen", "review", {"signer missing"});
  d = db->document(id);
  EXPECT_EQ(field(*d, "doc_number"), "394/QĐ-UBND");
  EXPECT_EQ(field(*d, "place"), "Hòa Đồng");
  EXPECT_EQ(field(*d, "doc_type"), "<absent>");
  EXPECT_EQ(d->issuer_unit, "tay-hoa");
  EXPECT_EQ(d->level, "huyen");
  EXPECT_EQ(d->status, "review");
  EXPECT_TRUE(db->search(sq("999")).empty());
  EXPECT_EQ(ids_of(db->search(sq("394"))), std::vector<int64_t>{id});
  EXPECT_EQ(ids_of(db->search(sq("", "tay-hoa"))), std::vector<int64_t>{id});
  EXPECT_THROW(db->add_correction(id + 1, "doc_number", "1", "x"), InputError);
}

TEST_P(StorageTest, ReviewQueueListsReviewAndFailedWithReasons) {
  NewDocument review = sample_document(sha_of('a'), "x");
  review.status = "review";
  review.review_reasons = {"doc_number missing", "low OCR confidence"};
  int64_t id = db->store_document(review);
  db->store_document(sample_document(sha_of('b'), "y"));
  auto queue = db->review_queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, id);
  EXPECT_EQ(queue[0].status, "review");
  EXPECT_EQ(queue[0].reasons, review.review_reasons);

  // Re-assessed after a correction: the queue gives the reasons that remain.
  db->replace_extraction(id, {}, "hoa-dong", "xa", "review", {"low OCR confidence"});
  queue = db->review_queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].reasons, std::vector<std::string>{"low OCR confidence"});
  EXPECT_EQ(db->document_as_stored(id)->review_reasons,
            std::vector<std::string>{"low OCR confidence"});
  db->replace_extraction(id, {}, "hoa-dong", "xa", "ok", {});
  EXPECT_TRUE(db->review_queue().empty());
}

TEST_P(StorageTest, TwoConnectionsCanWrite) {
  auto second = Database::open(path);
  db->store_document(sample_document(sha_of('a'), "một"));
  second->store_document(sample_document(sha_of('b'), "hai"));
  EXPECT_EQ(db->document_ids().size(), 2u);
}

// Damages the original kept under `sha` in either store: flips its bytes.
void damage_original(const TestStore& store, const std::string& sha) {
  if (store.kind() == StoreKind::kSqlite) {
    sohoa::testing::write_file(Archive::beside(store.arg()).path_of(sha), "flipped bytes");
  } else {
    sohoa::testing::postgres_exec(
        store.arg(),
        "UPDATE originals SET bytes = 'flipped bytes'::bytea WHERE sha256 = '" + sha + "'");
  }
}

TEST_P(StorageTest, SearchWithinUnitsTakesIssuingOrScanningUnit) {
  NewDocument a = sample_document(sha_of('a'), "giấy phép một");
  NewDocument b = sample_document(sha_of('b'), "giấy phép hai");
  b.issuer_unit = "tay-hoa";
  b.unit = "son-thanh";
  NewDocument c = sample_document(sha_of('c'), "giấy phép ba");
  c.issuer_unit = "phu-thu";
  c.unit = "hoa-dong";
  int64_t ia = db->store_document(a), ib = db->store_document(b), ic = db->store_document(c);
  SearchQuery q = sq("giay phep");
  q.within_units = {"hoa-dong", "xa-hoa-thinh"};
  auto ids = ids_of(db->search(q));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<int64_t>{ia, ic}));
  q.text.clear();
  q.within_units = {"son-thanh"};
  EXPECT_EQ(ids_of(db->search(q)), std::vector<int64_t>{ib});
  q.within_units = {"tay-hoa"};
  q.level = "huyen";
  EXPECT_TRUE(db->search(q).empty());
  q.level = "xa";
  q.limit = 0;
  EXPECT_EQ(ids_of(db->search(q)), std::vector<int64_t>{ib});
}

TEST_P(StorageTest, OriginalsComeBackByteForByteAndHashChecked) {
  std::string bytes = "%PDF-1.7 \x00\x01\xff\xfe";
  bytes += std::string(300000, '\x80');
  sohoa::testing::write_file(dir / "scan.pdf", bytes);
  std::string sha = sha256_hex(bytes);
  EXPECT_FALSE(db->has_original(sha));
  EXPECT_FALSE(db->original(sha));
  db->put_original(dir / "scan.pdf", sha);
  db->put_original(dir / "scan.pdf", sha);  // idempotent
  EXPECT_TRUE(db->has_original(sha));
  EXPECT_EQ(db->original(sha), bytes);

  // Bytes that are not those the hash names are refused and nothing is kept.
  std::string other = sha256_hex("other");
  EXPECT_THROW(db->put_original(dir / "scan.pdf", other), SourceChanged);
  EXPECT_THROW(db->put_original_bytes(bytes, other), StorageError);
  EXPECT_FALSE(db->has_original(other));
  EXPECT_THROW(db->put_original(dir / "missing.pdf", sha256_hex("x")), StorageError);

  // A damaged copy is never returned as the original, and a new put repairs it.
  damage_original(*store, sha);
  EXPECT_FALSE(db->has_original(sha));
  EXPECT_THROW(db->original(sha), StorageError);
  db->put_original_bytes(bytes, sha);
  EXPECT_EQ(db->original(sha), bytes);

  EXPECT_TRUE(db->remove_original(sha));
  EXPECT_FALSE(db->remove_original(sha));
  EXPECT_FALSE(db->original(sha));
}

TEST_P(StorageTest, ImportedCorrectionsAreAddedOnceAndTheLatestInTimeWins) {
  int64_t id = db->store_document(sample_document(sha_of('a'), "nội dung"));
  // Made here (now, 2026 or later) and at a station earlier, synced in after.
  db->add_correction(id, "doc_number", "500/QĐ-UBND", "central");
  std::vector<Correction> station = {
      {"doc_number", "400/QĐ-UBND", "station", "2024-01-02T03:04:05.006Z", "", ""},
      {"signer", "Lê Văn Tám", "station", "2024-01-02T03:04:06.000Z", "", ""}};
  EXPECT_EQ(db->import_corrections(id, station), 2);
  EXPECT_EQ(db->import_corrections(id, station), 0);
  auto d = db->document(id);
  EXPECT_EQ(field(*d, "doc_number"), "500/QĐ-UBND");
  EXPECT_EQ(field(*d, "signer"), "Lê Văn Tám");
  EXPECT_EQ(db->corrections(id).size(), 3u);
  EXPECT_EQ(ids_of(db->search(sq("le van tam"))), std::vector<int64_t>{id});
  EXPECT_THROW(db->import_corrections(id + 7, station), InputError);
}

TEST(PostgresStoreTest, UnreachableServerIsAStorageErrorNamingItWithoutThePassword) {
  try {
    Database::open("postgresql://sohoa:secret-word@127.0.0.1:1/central");
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("127.0.0.1:1/central"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret-word"), std::string::npos) << what;
  }
  EXPECT_FALSE(Database::exists("postgresql://sohoa@127.0.0.1:1/central"));
}

TEST(PostgresStoreTest, ExistsOnlyOnceMigratedAndNeverCreates) {
  TempDir dir;
  auto store = TestStore::make(StoreKind::kPostgres, dir.path());
  if (!store) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
  const std::string tables =
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()";
  EXPECT_FALSE(Database::exists(store->arg()));
  EXPECT_EQ(sohoa::testing::postgres_exec(store->arg(), tables), "0");
  Database::open(store->arg())->upsert_units({{"a", "Xã Á", "xa", "", "", "", ""}});
  EXPECT_TRUE(Database::exists(store->arg()));
  EXPECT_EQ(sohoa::testing::postgres_exec(store->arg(), "SELECT version FROM sohoa_schema"),
            std::to_string(postgres_migrations().size()));
  // Reopened, nothing is lost; a schema newer than this program is refused.
  EXPECT_EQ(Database::open(store->arg())->unit("a")->name, "Xã Á");
  sohoa::testing::postgres_exec(store->arg(), "UPDATE sohoa_schema SET version = 999");
  EXPECT_THROW(Database::open(store->arg()), StorageError);
}

// Migration 6 fills the day tallies from a register already there: a store
// taken back to version 5 (tallies gone), reopened, counts as before.
TEST(PostgresStoreTest, DayTallyMigrationBackfillsFromTheRegister) {
  TempDir dir;
  auto store = TestStore::make(StoreKind::kPostgres, dir.path());
  if (!store) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
  auto db = Database::open(store->arg());
  db->upsert_units({{"hoa-dong", "Xã Hòa Đồng", "xa", "", "", "", ""}});
  RegisterRow expiring{"hoa-dong", "1/GP", "2022-01-01", "2023-06-30", "", "", "", ""};
  RegisterRow kept{"hoa-dong", "2/GP", "2022-06-03", "", "", "", "", ""};
  db->upsert_register_rows({expiring, kept});
  NewDocument d;
  d.sha256 = std::string(64, 'a');
  d.issuer_unit = "hoa-dong";
  d.digitized_at = "2022-12-01";
  d.status = "ok";
  d.fields = {{"doc_number", "2/GP", 1}, {"issued_date", "2022-06-03", 1}};
  db->store_document(d);
  auto days_for = [](const std::vector<RegisterTally>&) {
    return std::vector<int>{20211231, 20221231, 20231231};
  };
  auto before = db->register_tallies({}, days_for);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].valid, (std::vector<int64_t>{0, 2, 1}));
  EXPECT_EQ(before[0].digitized, (std::vector<int64_t>{0, 1, 1}));
  db.reset();
  sohoa::testing::postgres_exec(
      store->arg(),
      "DROP TABLE register_day_tally; DROP FUNCTION sohoa_tally_insert, sohoa_tally_delete, "
      "sohoa_tally_shard, "
      "sohoa_tally_update CASCADE; UPDATE sohoa_schema SET version = 5");
  db = Database::open(store->arg());
  auto after = db->register_tallies({}, days_for);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].valid, before[0].valid);
  EXPECT_EQ(after[0].digitized, before[0].digitized);
}

// Two writers whose documents match register rows of one unit, digitized
// the same day, touch the same day tally; each transaction takes its own
// shard of it, so neither waits for the other's commit (a wait here would
// be a lock timeout: the first transaction is still open).
TEST(PostgresStoreTest, WritersOfOneUnitAndDayAtOnceDoNotWaitOnTheTallies) {
  TempDir dir;
  auto store = TestStore::make(StoreKind::kPostgres, dir.path());
  if (!store) GTEST_SKIP() << "SOHOA_TEST_POSTGRES is not set: no PostgreSQL server to test on";
  auto first = Database::open(store->arg());
  first->upsert_units({{"hoa-dong", "Xã Hòa Đồng", "xa", "", "", "", ""}});
  first->upsert_register_rows({{"hoa-dong", "1/GP", "2022-01-01", "", "", "", "", ""},
                               {"hoa-dong", "2/GP", "2022-01-01", "", "", "", "", ""}});
  auto second = Database::open(store->arg() + "%20-clock_timeout%3D3000");
  auto document = [](char c, const std::string& number) {
    NewDocument d;
    d.sha256 = std::string(64, c);
    d.issuer_unit = "hoa-dong";
    d.digitized_at = "2022-12-01";
    d.status = "ok";
    d.fields = {{"doc_number", number, 1}, {"issued_date", "2022-01-01", 1}};
    return d;
  };
  first->in_one_transaction([&] {
    first->store_document(document('a', "1/GP"));
    EXPECT_NO_THROW(second->store_document(document('b', "2/GP")));
  });
  auto days_for = [](const std::vector<RegisterTally>&) { return std::vector<int>{20221231}; };
  auto tallies = first->register_tallies({}, days_for);
  ASSERT_EQ(tallies.size(), 1u);
  EXPECT_EQ(tallies[0].digitized, std::vector<int64_t>{2});
}

TEST(ArchiveTest, PutIsIdempotentAndKeepsTheBytes) {
  TempDir dir;
  std::string bytes = "scan bytes \x01\x02\xff";
  bytes += std::string(200000, 'z');
  sohoa::testing::write_file(dir / "scan.tif", bytes);
  std::string sha = sha256_hex(bytes);
  Archive archive = Archive::beside(dir / "sohoa.db");
  EXPECT_FALSE(archive.contains(sha));
  auto stored = archive.put(dir / "scan.tif", sha);
  EXPECT_EQ(stored, dir / "sohoa.db.files" / sha.substr(0, 2) / sha);
  EXPECT_TRUE(archive.contains(sha));
  EXPECT_EQ(sha256_hex(sohoa::testing::read_file(stored)), sha);
  EXPECT_EQ(archive.put(dir / "scan.tif", sha), stored);
  size_t files = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir / "sohoa.db.files")) {
    files += e.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);  // no temp file left behind
  EXPECT_THROW(archive.put(dir / "missing.tif", sha256_hex("other")), StorageError);
}

// The pid of a process that has ended (and been reaped).
pid_t dead_pid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(ArchiveTest, PutRemovesTempFilesOfDeadWritersOnly) {
  TempDir dir;
  sohoa::testing::write_file(dir / "scan.png", "png bytes");
  std::string sha = sha256_hex("png bytes");
  Archive archive = Archive::beside(dir / "sohoa.db");
  std::filesystem::path folder = archive.path_of(sha).parent_path();
  std::filesystem::create_directories(folder);
  // Left by a copy killed half-way, by a copy still running, and by another hash.
  std::string other = sha256_hex("other bytes");
  auto dead = folder / (sha + ".tmp." + std::to_string(dead_pid()) + ".7");
  auto alive = folder / (sha + ".tmp." + std::to_string(::getpid()) + ".8");
  auto unrelated = folder / (other + ".tmp." + std::to_string(dead_pid()) + ".9");
  for (const auto& p : {dead, alive, unrelated}) sohoa::testing::write_file(p, "half");

  archive.put(dir / "scan.png", sha);
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_TRUE(std::filesystem::exists(alive));
  EXPECT_TRUE(std::filesystem::exists(unrelated));
  // Also when the file is already archived: the rerun of a batch finds it so.
  auto again = folder / (sha + ".tmp." + std::to_string(dead_pid()) + ".10");
  sohoa::testing::write_file(again, "half");
  archive.put(dir / "scan.png", sha);
  EXPECT_FALSE(std::filesystem::exists(again));
  EXPECT_EQ(sohoa::testing::read_file(archive.path_of(sha)), "png bytes");
}

// The order of storage/search_rank.h as one SQL sort over every match of
// the SQLite file at `path`: tier by tier (exact accents in the metadata,
// exact accents, every word in the metadata, the rest), newest first. Both
// stores must return exactly this, hit for hit and score for score.
std::vector<SearchHit> reference_search(const std::filesystem::path& path, const SearchQuery& q) {
  FtsQuery fts = translate_query(q.text);
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  register_fold_tokenizer(db);
  bool accented = text::has_accents(q.text);
  std::string sql =
      "SELECT d.id, CASE WHEN " +
      std::string(accented ? "d.id IN (SELECT rowid FROM search_exact WHERE search_exact "
                             "MATCH ?8) THEN 0 WHEN d.id IN (SELECT rowid FROM search_exact "
                             "WHERE search_exact MATCH ?9) THEN 1 WHEN "
                           : "") +
      "d.id IN (SELECT rowid FROM search_folded WHERE search_folded MATCH ?10) THEN 2 ELSE 3 "
      "END AS tier, snippet(search_folded, -1, '[', ']', '…', 12), d.doc_number, "
      "d.issued_date, d.doc_type, d.issuer_unit "
      "FROM search_folded JOIN documents d ON d.id = search_folded.rowid "
      "WHERE search_folded MATCH ?1 AND (?2 = '' OR d.issuer_unit = ?2) AND (?3 = '' OR "
      "d.level = ?3) AND (?4 = '' OR substr(d.issued_date, 1, 4) = ?4) AND (?5 = '' OR "
      "instr(d.doc_type_key, ?5) > 0) AND d.status <> 'failed' AND (?6 = '' OR d.issuer_unit IN "
      "(SELECT value FROM json_each(?6)) OR d.unit IN (SELECT value FROM json_each(?6))) "
      "ORDER BY tier, d.id DESC LIMIT ?7";
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  auto bind = [&](int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  std::string within;
  for (const auto& u : q.within_units) within += (within.empty() ? "[\"" : ",\"") + u + "\"";
  if (!within.empty()) within += "]";
  bind(1, fts.match);
  bind(2, q.unit);
  bind(3, q.level);
  bind(4, q.year > 0 ? std::to_string(q.year) : "");
  bind(5, text::fold(text::collapse_spaces(q.type)));
  bind(6, within);
  sqlite3_bind_int64(st, 7, q.limit > 0 ? q.limit : -1);
  if (accented) bind(8, fts.positive_meta);
  if (accented) bind(9, fts.positive);
  bind(10, fts.meta_match);
  std::vector<SearchHit> hits;
  auto col = [&](int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    hits.push_back({sqlite3_column_int64(st, 0), 4.0 - sqlite3_column_double(st, 1), col(3), col(4),
                    col(5), col(6), col(2)});
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return hits;
}

// The walk tier by tier, newest first, stopping at the limit, returns what
// sorting every match would; the PostgreSQL store returns it too, scores
// included.
TEST_P(StorageTest, SearchRanksExactlyAsTheFullSqlSort) {
  auto reference_path = dir / "reference.db";
  auto reference = Database::open(reference_path);
  std::vector<Unit> unit_rows = {{"hoa-dong", "Xã Hòa Đồng", "xa", "", "", "", ""},
                                 {"hoa-phu", "Xã Hòa Phú", "xa", "", "", "", ""},
                                 {"tay-hoa", "Huyện Tây Hòa", "huyen", "", "", "", ""}};
  db->upsert_units(unit_rows);
  reference->upsert_units(unit_rows);
  // Few words, so many documents tie on rank and every query matches many.
  const std::vector<std::string> words = {"quyết", "quyet", "định",   "dinh", "Hòa", "Hoa",
                                          "Đồng",  "dong",  "giấy",   "phép", "xây", "dựng",
                                          "khai",  "sinh",  "Nguyễn", "Văn",  "An"};
  const std::vector<std::string> units = {"hoa-dong", "hoa-phu", "tay-hoa"};
  const std::vector<std::string> types = {"QUYẾT ĐỊNH", "GIẤY PHÉP XÂY DỰNG", "GIẤY KHAI SINH"};
  std::vector<NewDocument> corpus;
  std::mt19937 rng(5);
  for (int made = 1; made <= 400; ++made) {
    NewDocument d;
    std::string text;
    for (int w = 0, n = 3 + static_cast<int>(rng() % (made % 7 == 0 ? 40 : 8)); w < n; ++w) {
      text += words[rng() % words.size()] + (w % 9 == 8 ? "\n" : " ");
    }
    d = sample_document(std::string(60, 'a') + std::to_string(1000 + made), text);
    d.issuer_unit = units[rng() % units.size()];
    d.unit = units[rng() % units.size()];
    d.level = d.issuer_unit == "tay-hoa" ? "huyen" : "xa";
    d.status = made % 13 == 0 ? "failed" : made % 5 == 0 ? "review" : "ok";
    d.fields[0].value = types[rng() % types.size()];
    d.fields[1].value = std::to_string(made % 50) + "/QĐ-UBND";
    d.fields[2].value = std::to_string(2020 + made % 4) + "-03-0" + std::to_string(1 + made % 9);
    d.fields.pop_back();  // no dossier code
    corpus.push_back(d);
  }
  for (Database* store : {db.get(), reference.get()}) {
    size_t next = 0;
    int64_t stored = store->store_documents([&](NewDocument& d) {
      if (next == corpus.size()) return false;
      d = corpus[next++];
      return true;
    });
    ASSERT_EQ(stored, 400);
  }
  ASSERT_EQ(db->document_ids().size(), 400u);
  int compared = 0;
  for (std::string text : {"quyet", "quyet dinh", "Quyết định", "hoa dong", "Hòa Đồng", "giay -xay",
                           "\"khai sinh\"", "nguyen van an", "dinh*", "Văn An", "12/QĐ-UBND",
                           "Giấy -Hòa", "Hòa*", "\"Quyết định\"", "giấy phép"}) {
    for (int limit : {1, 5, 0}) {
      for (int filter = 0; filter < 6; ++filter) {
        SearchQuery q = sq(text, "", "", 0, "", limit);
        if (filter == 1) q.unit = "hoa-phu";
        if (filter == 2) q.level = "huyen";
        if (filter == 3) q.year = 2021;
        if (filter == 4) q.type = "giay";
        if (filter == 5) q.within_units = {"hoa-dong"};
        auto got = db->search(q);
        auto want = reference_search(reference_path, q);
        ASSERT_EQ(got.size(), want.size()) << text << " limit " << limit << " filter " << filter;
        for (size_t i = 0; i < got.size(); ++i) {
          EXPECT_EQ(got[i].id, want[i].id) << text << " #" << i << " filter " << filter;
          EXPECT_EQ(got[i].score, want[i].score) << text << " #" << i;
          EXPECT_EQ(got[i].snippet, want[i].snippet) << text << " #" << i;
          EXPECT_EQ(got[i].doc_number, want[i].doc_number);
          EXPECT_EQ(got[i].issued_date, want[i].issued_date);
          EXPECT_EQ(got[i].doc_type, want[i].doc_type);
          EXPECT_EQ(got[i].unit, want[i].unit);
        }
        compared += static_cast<int>(got.size());
      }
    }
  }
  EXPECT_GT(compared, 5000);  // the comparison saw many hits, not empty lists
}

TEST_P(StorageTest, DataGenerationMovesOnWritesOnly) {
  auto other = Database::open(path);
  int64_t g0 = db->data_generation();
  db->search(sq("quyet"));
  db->document_ids();
  other->add_user({"u", "viewer", "", "$argon2id$x", ""});
  other->append_audit("u", "login", "");
  EXPECT_EQ(db->data_generation(), g0);  // reads, users and the audit log change nothing shown
  int64_t id = other->store_document(sample_document(sha_of('a'), "Quyết định"));
  int64_t g1 = db->data_generation();
  EXPECT_GT(g1, g0);  // seen from another connection
  other->add_correction(id, "place", "Hòa Đồng", "chi");
  int64_t g2 = db->data_generation();
  EXPECT_GT(g2, g1);
  other->upsert_register_rows(
      std::vector<RegisterRow>{{"hoa-dong", "1/QĐ", "2022-01-01", "", "", "", "", ""}});
  EXPECT_GT(db->data_generation(), g2);
  int64_t g3 = db->data_generation();
  other->delete_document(id, "wrong scan", "an");
  EXPECT_GT(db->data_generation(), g3);
}

TEST_P(StorageTest, StoreDocumentsIsAllOrNothing) {
  int n = 0;
  EXPECT_THROW(db->store_documents([&](NewDocument& d) {
    if (n == 3) return false;
    d = sample_document(sha_of(static_cast<char>('a' + n)), "x");
    if (++n == 3) d.status = "bogus";
    return true;
  }),
               InputError);
  EXPECT_TRUE(db->document_ids().empty());
  n = 0;
  EXPECT_THROW(db->store_documents([&](NewDocument& d) {
    if (n == 2) return false;
    ++n;
    d = sample_document(sha_of('z'), "same bytes twice");
    return true;
  }),
               StorageError);
  EXPECT_TRUE(db->document_ids().empty());
  n = 0;
  EXPECT_EQ(db->store_documents([&](NewDocument& d) {
    if (n == 2) return false;
    d = sample_document(sha_of(static_cast<char>('p' + n++)), "x");
    return true;
  }),
            2);
  EXPECT_EQ(db->document_ids().size(), 2u);
}

TEST_P(StorageTest, UndigitizedRowsAreThoseProgressCountsAsMissing) {
  db->upsert_units({{"hoa-dong", "Xã Hòa Đồng", "xa", "", "", "", ""},
                    {"hoa-phu", "Xã Hòa Phú", "xa", "", "", "", ""}});
  db->upsert_register_rows(std::vector<RegisterRow>{
      {"hoa-dong", "1/QĐ-UBND", "2022-01-10", "", "", "", "", ""},
      {"hoa-dong", "2/QĐ-UBND", "2022-03-01", "2022-04-01", "", "", "", ""},  // expired
      {"hoa-dong", "3/QĐ-UBND", "2023-05-01", "", "", "", "", ""},            // not yet issued
      {"hoa-phu", "4/QĐ-UBND", "2022-06-01", "", "", "", "", ""},
      {"hoa-dong", "392/QĐ-UBND", "2022-06-03", "", "", "", "", ""},  // scanned 2022-06-30
      {"hoa-dong", "6/QĐ-UBND", "2022-06-03", "", "", "", "", ""}});
  db->store_document(sample_document(sha_of('a'), "Quyết định"));

  auto all = db->undigitized_rows({"hoa-dong"}, "2022-12-31", 0);
  EXPECT_EQ(all.total, 2);
  ASSERT_EQ(all.rows.size(), 2u);
  EXPECT_EQ(all.rows[0].doc_number, "6/QĐ-UBND");  // newest issued first
  EXPECT_EQ(all.rows[1].doc_number, "1/QĐ-UBND");
  // Before the scan, 392 was still missing; a limit keeps the total.
  auto before = db->undigitized_rows({"hoa-dong"}, "2022-06-15", 1);
  EXPECT_EQ(before.total, 3);
  ASSERT_EQ(before.rows.size(), 1u);
  EXPECT_EQ(before.rows[0].doc_number, "392/QĐ-UBND");
  auto every_unit = db->undigitized_rows({}, "2022-12-31", 0);
  EXPECT_EQ(every_unit.total, 3);
  EXPECT_EQ(db->undigitized_rows({"hoa-phu"}, "2022-05-31", 0).total, 0);
}

}  // namespace
}  // namespace sohoa::storage
