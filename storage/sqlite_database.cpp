// Database on one SQLite file (WAL, so a station's ingest and a reader or a
// second writer can share it).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "storage/database.h"
#include "storage/file_hash.h"
#include "storage/fold_tokenizer.h"
#include "storage/postgres_database.h"
#include "storage/schema.h"
#include "storage/search_query.h"
#include "storage/search_rank.h"
#include "storage/snippet.h"
#include "storage/sqlite_util.h"
#include "storage/store_rules.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

using sql::Stmt;

constexpr int kBusyTimeoutMs = 10000;
// Search rows written before a store's first compaction (compact_search_if_due).
constexpr int64_t kCompactAfterWrites = 1000;

// Each connection's page cache. Small, because `serve` holds one connection
// per request thread and its memory must stay flat; the OS file cache, shared
// by all, keeps hot pages anyway. Bulk writes (register import, bulk store)
// raise it while they run: their index pages then stay in memory.
constexpr const char* kCacheSize = "PRAGMA cache_size = -8192";        // 8 MiB
constexpr const char* kBulkCacheSize = "PRAGMA cache_size = -131072";  // 128 MiB

// Raises the connection's page cache for one bulk write; lowers it (which
// frees the pages) afterwards.
class BulkCache {
 public:
  explicit BulkCache(sqlite3* db) : db_(db) { sql::exec(db_, kBulkCacheSize); }
  ~BulkCache() { sqlite3_exec(db_, kCacheSize, nullptr, nullptr, nullptr); }
  BulkCache(const BulkCache&) = delete;
  BulkCache& operator=(const BulkCache&) = delete;

 private:
  sqlite3* db_;
};

// A document and a register row match on the same dossier code, or on the
// same number key and issued date when the document's issuing unit is the
// row's unit or one of its successors. Each selects (doc_id, row_id) and ends
// in a WHERE clause that callers may extend.
constexpr const char* kMatchByDossier =
    "SELECT d.id, r.id FROM register_rows r JOIN documents d ON d.dossier_code = r.dossier_code "
    "WHERE r.dossier_code <> ''";
constexpr const char* kMatchByNumber =
    "SELECT d.id, r.id FROM register_rows r JOIN documents d "
    "ON d.number_key = r.number_key AND d.issued_date = r.issued_date "
    "JOIN unit_lineage l ON l.unit = r.unit AND l.descendant = d.issuer_unit "
    "WHERE r.number_key <> ''";
// A register row is digitized from the earliest digitization of a matching
// stored (ok or review) document.
constexpr const char* kEarliestDigitized =
    "SELECT min(d.digitized_at) FROM matches m JOIN documents d ON d.id = m.doc_id "
    "WHERE m.row_id = register_rows.id AND d.status IN ('ok', 'review') AND d.digitized_at <> ''";

// "YYYY-MM-DD" in a result column as the number YYYYMMDD; 0 when empty.
int date_number(sqlite3_stmt* stmt, int column) {
  const unsigned char* t = sqlite3_column_text(stmt, column);
  if (t == nullptr || sqlite3_column_bytes(stmt, column) < 10) return 0;
  auto digits = [&](int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  return digits(0, 4) * 10000 + digits(5, 2) * 100 + digits(8, 2);
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::filesystem::path& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StorageError(path.string() + ": cannot open database: " + message);
    }
    try {
      configure();
      register_fold_tokenizer(db_);
      migrate();
    } catch (...) {
      statements_.clear();
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }

  ~SqliteDatabase() override {
    statements_.clear();
    sqlite3_close(db_);
  }

  // --- units ---
  void upsert_units(const std::vector<Unit>& units) override {
    sql::Transaction tx(db_);
    auto upsert = cached(
        "INSERT INTO units(code, name, level, parent, valid_from, valid_to, successor) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(code) DO UPDATE SET "
        "name = excluded.name, level = excluded.level, parent = excluded.parent, "
        "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
        "successor = excluded.successor");
    for (const Unit& u : units) {
      upsert->bind(1, u.code).bind(2, text::nfc(u.name)).bind(3, u.level).bind(4, u.parent);
      upsert->bind(5, u.valid_from).bind(6, u.valid_to).bind(7, u.successor).run();
    }
    rebuild_lineage();
    sql::exec(db_,
              "UPDATE register_rows SET level = "
              "coalesce((SELECT level FROM units WHERE code = register_rows.unit), '')");
    rebuild_matches();
    tx.commit();
  }

  std::vector<std::string> successors_of(const std::string& code) override {
    return successor_chain(successor_links(), code);
  }

  std::vector<std::string> predecessors_of(const std::string& code) override {
    auto q =
        cached("SELECT unit FROM unit_lineage WHERE descendant = ?1 AND unit <> ?1 ORDER BY unit");
    q->bind(1, code);
    std::vector<std::string> out;
    while (q->step()) out.push_back(q->text(0));
    return out;
  }

  std::vector<Unit> units() override {
    auto q = cached(
        "SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
        "ORDER BY code");
    std::vector<Unit> out;
    while (q->step()) out.push_back(unit_from(*q));
    return out;
  }

  std::optional<Unit> unit(const std::string& code) override {
    auto q = cached(
        "SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
        "WHERE code = ?1");
    q->bind(1, code);
    if (!q->step()) return std::nullopt;
    return unit_from(*q);
  }

  // --- documents ---
  std::optional<Existing> find_by_sha256(const std::string& sha256) override {
    auto q = cached(
        "SELECT id, status, (SELECT count(*) FROM pages WHERE doc_id = documents.id) "
        "FROM documents WHERE sha256 = ?1");
    q->bind(1, sha256);
    if (!q->step()) return std::nullopt;
    return Existing{q->integer(0), q->text(1), static_cast<int>(q->integer(2))};
  }

  int64_t store_document(const NewDocument& doc) override {
    sql::Transaction tx(db_);
    int64_t id = store_one(doc);
    tx.commit();
    compact_search_if_due();
    return id;
  }

  int64_t store_documents(const std::function<bool(NewDocument&)>& next) override {
    BulkCache big_cache(db_);
    sql::Transaction tx(db_);
    int64_t stored = 0;
    NewDocument doc;
    while (next(doc)) {
      store_one(doc);
      ++stored;
      doc = NewDocument{};
    }
    tx.commit();
    compact_search_if_due();
    return stored;
  }

  // store_document's work, inside the caller's transaction.
  int64_t store_one(const NewDocument& doc) {
    if (!valid_status(doc.status)) throw InputError("invalid document status: " + doc.status);
    int64_t id = 0;
    auto existing = find_by_sha256(doc.sha256);
    if (!existing && !doc.replaces_failed.empty()) {
      existing = find_by_sha256(doc.replaces_failed);
      if (existing && existing->status != "failed") existing.reset();
    }
    if (existing) {
      if (existing->status != "failed") {
        throw StorageError(path_.string() + ": document " + doc.sha256 + " already stored as id " +
                           std::to_string(existing->id));
      }
      id = existing->id;
      clear_document_content(id);
      write_document_row(doc, id);
    } else {
      id = write_document_row(doc, 0);
    }
    write_pages(id, doc.pages);
    write_fields(id, doc.fields);
    refresh_effective(id);
    return id;
  }

  std::optional<StoredDocument> document(int64_t id) override {
    auto q = cached(
        "SELECT id, sha256, source, station, unit, issuer_unit, level, digitized_at, status, "
        "error, archive_sha256 FROM documents WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    StoredDocument d;
    d.id = q->integer(0);
    d.sha256 = q->text(1);
    d.source = q->text(2);
    d.station = q->text(3);
    d.unit = q->text(4);
    d.issuer_unit = q->text(5);
    d.level = q->text(6);
    d.digitized_at = q->text(7);
    d.status = q->text(8);
    d.error = q->text(9);
    d.archive_sha256 = q->text(10);
    d.fields = effective_fields(id);
    d.pages = read_pages(id);
    return d;
  }

  std::vector<int64_t> resolve(const std::string& ref) override {
    std::vector<int64_t> out;
    DocRef parsed = parse_doc_ref(ref);
    if (parsed.kind == DocRef::kId) {
      auto q = cached("SELECT id FROM documents WHERE id = ?1");
      q->bind(1, parsed.id);
      if (q->step()) out.push_back(q->integer(0));
    } else if (parsed.kind == DocRef::kShaPrefix) {
      auto q = cached("SELECT id FROM documents WHERE sha256 GLOB ?1 || '*' ORDER BY id");
      q->bind(1, parsed.sha_prefix);
      while (q->step()) out.push_back(q->integer(0));
    }
    return out;
  }

  std::vector<int64_t> document_ids() override {
    auto q = cached("SELECT id FROM documents ORDER BY id");
    std::vector<int64_t> out;
    while (q->step()) out.push_back(q->integer(0));
    return out;
  }

  Deletion delete_document(int64_t id, const std::string& reason, const std::string& by) override {
    sql::Transaction tx(db_);
    Deletion gone;
    {
      auto q = cached("SELECT sha256, source, status, doc_number FROM documents WHERE id = ?1");
      q->bind(1, id);
      if (!q->step()) throw InputError("no document with id " + std::to_string(id));
      gone = {id, q->text(0), q->text(1), q->text(2), q->text(3), text::nfc(reason), by, ""};
    }
    std::vector<int64_t> rows = linked("SELECT row_id FROM matches WHERE doc_id = ?1", id);
    remove_search_rows(id);
    // Pages, fields, corrections and matches go with it (ON DELETE CASCADE).
    cached("DELETE FROM documents WHERE id = ?1")->bind(1, id).run();
    for (int64_t row : rows) refresh_row_digitized(row);
    auto tomb = cached(
        "INSERT INTO deletions(doc_id, sha256, source, status, doc_number, reason, by, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
        "RETURNING at");
    tomb->bind(1, id).bind(2, gone.sha256).bind(3, gone.source).bind(4, gone.status);
    tomb->bind(5, gone.doc_number).bind(6, gone.reason).bind(7, by);
    if (tomb->step()) gone.at = tomb->text(0);
    tomb->reset();
    tx.commit();
    return gone;
  }

  std::vector<Deletion> deletions() override {
    auto q = cached(
        "SELECT doc_id, sha256, source, status, doc_number, reason, by, at FROM deletions "
        "ORDER BY id");
    std::vector<Deletion> out;
    while (q->step()) {
      out.push_back({q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5),
                     q->text(6), q->text(7)});
    }
    return out;
  }

  bool archive_in_use(const std::string& archive_sha256) override {
    auto q = cached("SELECT EXISTS (SELECT 1 FROM documents WHERE archive_sha256 = ?1)");
    q->bind(1, archive_sha256);
    q->step();
    return q->integer(0) != 0;
  }

  std::vector<DocumentSummary> list_documents(const ListQuery& query) override {
    auto q = cached(
        "SELECT id, status, doc_number, issued_date, doc_type, issuer_unit, source "
        "FROM documents WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR issuer_unit = ?2) "
        "AND id > ?4 ORDER BY id LIMIT ?3");
    q->bind(1, query.status).bind(2, query.unit);
    q->bind(3, static_cast<int64_t>(query.limit > 0 ? query.limit : -1)).bind(4, query.after_id);
    std::vector<DocumentSummary> out;
    while (q->step()) {
      out.push_back(
          {q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5), q->text(6)});
    }
    return out;
  }

  int64_t count_documents(const ListQuery& query) override {
    auto q = cached(
        "SELECT count(*) FROM documents WHERE (?1 = '' OR status = ?1) "
        "AND (?2 = '' OR issuer_unit = ?2)");
    q->bind(1, query.status).bind(2, query.unit);
    q->step();
    return q->integer(0);
  }

  // --- review ---
  int undo_corrections(int64_t id, const std::string& field, const std::string& by) override {
    sql::Transaction tx(db_);
    require_document(id);
    auto undo = cached(
        "UPDATE corrections SET undone_by = ?3, undone_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
        "WHERE doc_id = ?1 AND field = ?2 AND undone_at = ''");
    undo->bind(1, id).bind(2, field).bind(3, by).run();
    int undone = sqlite3_changes(db_);
    if (undone > 0) refresh_effective(id);
    tx.commit();
    return undone;
  }

  void add_correction(int64_t id, const std::string& field, const std::string& value,
                      const std::string& by) override {
    sql::Transaction tx(db_);
    require_document(id);
    auto insert = cached(
        "INSERT INTO corrections(doc_id, field, value, by, at) "
        "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    insert->bind(1, id).bind(2, field).bind(3, text::nfc(value)).bind(4, by).run();
    refresh_effective(id);
    tx.commit();
  }

  void replace_extraction(int64_t id, const std::vector<Field>& fields,
                          const std::string& issuer_unit, const std::string& level,
                          const std::string& status,
                          const std::vector<std::string>& review_reasons) override {
    if (!valid_status(status)) throw InputError("invalid document status: " + status);
    sql::Transaction tx(db_);
    require_document(id);
    cached("DELETE FROM fields WHERE doc_id = ?1")->bind(1, id).run();
    write_fields(id, fields);
    auto update = cached(
        "UPDATE documents SET issuer_unit = ?2, level = ?3, status = ?4, review_reasons = ?5 "
        "WHERE id = ?1");
    update->bind(1, id).bind(2, issuer_unit).bind(3, level).bind(4, status);
    update->bind(5, json_list(review_reasons)).run();
    refresh_effective(id);
    tx.commit();
    compact_search_if_due();
  }

  std::vector<ReviewItem> review_queue() override {
    bool have_register = register_size() > 0;
    auto q = cached(
        "SELECT id, source, status, error, review_reasons, matched, unit, issuer_unit "
        "FROM documents "
        "WHERE status IN ('review', 'failed') OR (?1 AND status = 'ok' AND matched = 0) "
        "ORDER BY id");
    q->bind(1, have_register ? 1 : 0);
    std::vector<ReviewItem> out;
    while (q->step()) {
      ReviewItem item{q->integer(0), q->text(1), q->text(2), parse_json_list(q->text(4)),
                      q->text(6),    q->text(7)};
      if (item.status == "failed" && item.reasons.empty()) {
        item.reasons.push_back(q->text(3).empty() ? "failed" : q->text(3));
      }
      if (have_register && item.status != "failed" && q->integer(5) == 0) {
        item.reasons.push_back("no register match");
      }
      out.push_back(std::move(item));
    }
    return out;
  }

  // --- register and progress ---
  RegisterCounts upsert_register_rows(const std::function<bool(RegisterRow&)>& next) override {
    BulkCache big_cache(db_);
    sql::Transaction tx(db_);
    RegisterCounts counts;
    RegisterRow row;
    // With no documents stored, new rows have nothing to match.
    bool have_documents = !document_ids_empty();
    bool bulk = register_size() == 0;
    if (bulk) drop_register_indexes();
    while (next(row)) {
      auto [id, is_new] = upsert_register_row(row);
      (is_new ? counts.inserted : counts.updated) += 1;
      if (have_documents || !is_new) rematch_row(id, is_new);
      row = RegisterRow{};
    }
    if (bulk) create_register_indexes();
    tx.commit();
    return counts;
  }

  void drop_register_indexes() {
    for (const auto& [name, create] : register_indexes()) {
      sql::exec(db_, "DROP INDEX IF EXISTS " + std::string(name));
    }
  }

  void create_register_indexes() {
    for (const auto& [name, create] : register_indexes()) sql::exec(db_, create);
  }

  bool document_ids_empty() {
    auto q = cached("SELECT NOT EXISTS (SELECT 1 FROM documents)");
    q->step();
    return q->integer(0) != 0;
  }

  int64_t register_size() override {
    auto q = cached("SELECT count(*) FROM register_rows");
    q->step();
    return q->integer(0);
  }

  RegisterFacts register_facts(const std::vector<std::string>& units) override {
    RegisterFacts facts;
    auto q = cached(
        "SELECT unit, issued_date, valid_until, coalesce(digitized_at, '') FROM register_rows "
        "INDEXED BY register_progress ORDER BY unit");
    std::string current;
    bool first = true;
    bool wanted = false;
    while (q->step()) {
      sqlite3_stmt* raw = q->raw();
      std::string_view unit(reinterpret_cast<const char*>(sqlite3_column_text(raw, 0)),
                            static_cast<size_t>(sqlite3_column_bytes(raw, 0)));
      if (first || unit != current) {
        first = false;
        current = unit;
        wanted = units.empty() || std::find(units.begin(), units.end(), current) != units.end();
        if (wanted) facts.units.push_back(current);
      }
      if (!wanted) continue;
      int index = static_cast<int>(facts.units.size()) - 1;
      facts.rows.push_back({index, date_number(raw, 1), date_number(raw, 2), date_number(raw, 3)});
    }
    return facts;
  }

  PendingRows undigitized_rows(const std::vector<std::string>& units, const std::string& as_of,
                               int limit) override {
    // The conditions compute_progress applies to each register fact.
    const std::string where =
        " FROM register_rows WHERE (?1 = '' OR unit IN (SELECT value FROM json_each(?1))) "
        "AND issued_date <= ?2 AND (valid_until = '' OR valid_until >= ?2) "
        "AND (digitized_at IS NULL OR digitized_at = '' OR substr(digitized_at, 1, 10) > ?2)";
    std::string unit_list = units.empty() ? std::string() : json_list(units);
    PendingRows out;
    {
      auto count = cached("SELECT count(*)" + where);
      count->bind(1, unit_list).bind(2, as_of);
      if (count->step()) out.total = count->integer(0);
    }
    auto q = cached(
        "SELECT unit, doc_number, issued_date, valid_until, dossier_code, procedure_code, "
        "doc_type, title" +
        where + " ORDER BY issued_date DESC, unit, doc_number LIMIT ?3");
    q->bind(1, unit_list).bind(2, as_of).bind(3, static_cast<int64_t>(limit > 0 ? limit : -1));
    while (q->step()) {
      out.rows.push_back({q->text(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5),
                          q->text(6), q->text(7)});
    }
    return out;
  }

  std::vector<UnmatchedDocument> unmatched_documents(const std::string& as_of) override {
    auto q = cached(
        "SELECT id, source, doc_number, issued_date, issuer_unit, level, digitized_at "
        "FROM documents WHERE matched = 0 AND status IN ('ok', 'review') "
        "AND (?1 = '' OR digitized_at <= ?1) ORDER BY id");
    q->bind(1, as_of);
    std::vector<UnmatchedDocument> out;
    while (q->step()) {
      out.push_back(
          {q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5), q->text(6)});
    }
    return out;
  }

  // --- station merge ---
  std::optional<NewDocument> document_as_stored(int64_t id) override {
    Stmt q(db_,
           "SELECT sha256, source, station, unit, issuer_unit, level, digitized_at, status, "
           "error, review_reasons, archive_sha256 FROM documents WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    NewDocument d;
    d.sha256 = q.text(0);
    d.source = q.text(1);
    d.station = q.text(2);
    d.unit = q.text(3);
    d.issuer_unit = q.text(4);
    d.level = q.text(5);
    d.digitized_at = q.text(6);
    d.status = q.text(7);
    d.error = q.text(8);
    d.review_reasons = parse_json_list(q.text(9));
    d.archive_sha256 = q.text(10);
    Stmt fields(db_, "SELECT name, value, confidence FROM fields WHERE doc_id = ?1 ORDER BY name");
    fields.bind(1, id);
    while (fields.step()) d.fields.push_back({fields.text(0), fields.text(1), fields.real(2)});
    d.pages = read_pages(id);
    return d;
  }

  std::vector<Correction> corrections(int64_t id) override {
    Stmt q(db_,
           "SELECT field, value, by, at FROM corrections WHERE doc_id = ?1 AND undone_at = '' "
           "ORDER BY id");
    q.bind(1, id);
    std::vector<Correction> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), "", ""});
    return out;
  }

  std::vector<Correction> correction_history(int64_t id) override {
    Stmt q(db_,
           "SELECT field, value, by, at, undone_by, undone_at FROM corrections WHERE doc_id = ?1 "
           "ORDER BY id");
    q.bind(1, id);
    std::vector<Correction> out;
    while (q.step()) {
      out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    }
    return out;
  }

  int64_t store_document_with_corrections(const NewDocument& doc,
                                          const std::vector<Correction>& corrections) override {
    if (!valid_status(doc.status)) throw InputError("invalid document status: " + doc.status);
    sql::Transaction tx(db_);
    int64_t id = 0;
    auto existing = find_by_sha256(doc.sha256);
    if (!existing && !doc.replaces_failed.empty()) {
      existing = find_by_sha256(doc.replaces_failed);
      if (existing && existing->status != "failed") existing.reset();
    }
    if (existing) {
      if (existing->status != "failed") {
        throw StorageError(path_.string() + ": document " + doc.sha256 + " already stored as id " +
                           std::to_string(existing->id));
      }
      id = existing->id;
      clear_document_content(id);
      write_document_row(doc, id);
    } else {
      id = write_document_row(doc, 0);
    }
    write_pages(id, doc.pages);
    write_fields(id, doc.fields);
    Stmt insert(db_,
                "INSERT INTO corrections(doc_id, field, value, by, at, undone_by, undone_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const Correction& c : corrections) {
      insert.bind(1, id).bind(2, c.field).bind(3, text::nfc(c.value)).bind(4, c.by).bind(5, c.at);
      insert.bind(6, c.undone_by).bind(7, c.undone_at).run();
    }
    refresh_effective(id);
    tx.commit();
    compact_search_if_due();
    return id;
  }

  int import_corrections(int64_t id, const std::vector<Correction>& corrections) override {
    sql::Transaction tx(db_);
    require_document(id);
    int changed = 0;
    for (const Correction& c : corrections) {
      auto insert = cached(
          "INSERT INTO corrections(doc_id, field, value, by, at, undone_by, undone_at) "
          "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM corrections "
          "WHERE doc_id = ?1 AND field = ?2 AND value = ?3 AND by = ?4 AND at = ?5)");
      insert->bind(1, id).bind(2, c.field).bind(3, text::nfc(c.value)).bind(4, c.by);
      insert->bind(5, c.at).bind(6, c.undone_by).bind(7, c.undone_at).run();
      changed += sqlite3_changes(db_);
      if (c.undone_at.empty()) continue;
      auto undo = cached(
          "UPDATE corrections SET undone_by = ?6, undone_at = ?7 WHERE doc_id = ?1 AND "
          "field = ?2 AND value = ?3 AND by = ?4 AND at = ?5 AND undone_at = ''");
      undo->bind(1, id).bind(2, c.field).bind(3, text::nfc(c.value)).bind(4, c.by);
      undo->bind(5, c.at).bind(6, c.undone_by).bind(7, c.undone_at).run();
      changed += sqlite3_changes(db_);
    }
    if (changed > 0) refresh_effective(id);
    tx.commit();
    return changed;
  }

  // --- originals: the archive beside the file ---
  void put_original(const std::filesystem::path& file, const std::string& sha256) override {
    Archive::beside(path_).put(file, sha256);
  }

  void put_original_bytes(const std::string& bytes, const std::string& sha256) override {
    Archive archive = Archive::beside(path_);
    if (archive.contains(sha256)) return;
    // Through a temporary file, so the archive's atomic put does the rest.
    std::filesystem::path temp = path_.string() + ".incoming." + sha256.substr(0, 16);
    {
      std::FILE* f = std::fopen(temp.c_str(), "wb");
      if (f == nullptr) throw StorageError(temp.string() + ": cannot create");
      bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
      ok = std::fclose(f) == 0 && ok;
      if (!ok) throw StorageError(temp.string() + ": cannot write");
    }
    try {
      archive.put(temp, sha256);
    } catch (const SourceChanged&) {
      std::filesystem::remove(temp);
      throw StorageError(path_.string() + ": original bytes do not hash to " + sha256);
    } catch (...) {
      std::filesystem::remove(temp);
      throw;
    }
    std::filesystem::remove(temp);
  }

  bool has_original(const std::string& sha256) override {
    return Archive::beside(path_).contains(sha256);
  }

  std::optional<std::string> original(const std::string& sha256) override {
    std::filesystem::path file = Archive::beside(path_).path_of(sha256);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw StorageError(file.string() + ": cannot read");
    Sha256 hash;
    hash.update(bytes);
    if (hash.hex() != sha256) {
      throw StorageError(file.string() + ": archived original does not hash to its SHA-256");
    }
    return bytes;
  }

  bool remove_original(const std::string& sha256) override {
    return Archive::beside(path_).remove(sha256);
  }

  // --- search ---
  // --- certified copies ---
  void add_certification(const Certification& c) override {
    sql::Transaction tx(db_);
    require_document(c.doc_id);
    auto insert = cached(
        "INSERT INTO certifications(doc_id, by, at, signer, cert_sha256, pdf_sha256) "
        "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?3, ?4, ?5)");
    insert->bind(1, c.doc_id)
        .bind(2, c.by)
        .bind(3, text::nfc(c.signer))
        .bind(4, c.cert_sha256)
        .bind(5, c.pdf_sha256)
        .run();
    tx.commit();
  }

  std::vector<Certification> certifications(int64_t id) override {
    auto q = cached(
        "SELECT doc_id, by, at, signer, cert_sha256, pdf_sha256 FROM certifications "
        "WHERE doc_id = ?1 ORDER BY id");
    q->bind(1, id);
    std::vector<Certification> out;
    while (q->step()) {
      out.push_back({q->integer(0), q->text(1), q->text(2), q->text(3), q->text(4), q->text(5)});
    }
    return out;
  }

  // Hits in the order of storage/search_rank.h. Each tier's matches are
  // walked newest first (FTS5 reads its doclists backwards), skipping what
  // an earlier tier took or the filters refuse, until `limit` hits. A tier
  // is walked only once the earlier ones are exhausted, so a match of an
  // earlier tier met again was taken already, or refused by the filters.
  // Measured on serve_bench's 1M-document store, one connection, load ~12:
  // "quyết định" (every document) took 1.6 s with bm25 over all its
  // matches (FTS5 counts each term's matches for its idf), now 2-4 ms; a
  // full name (one in 16,000) 23 ms, walking AND-ed doclists to 20 hits.
  std::vector<SearchHit> search(const SearchQuery& query) override {
    FtsQuery fts = translate_query(query.text);
    if (fts.blank) return browse(query);
    if (fts.match.empty()) return {};
    struct Tier {
      int tier;
      const char* table;
      const std::string& match;
    };
    std::vector<Tier> tiers;
    if (text::has_accents(query.text)) {
      tiers.push_back({kTierExactInMeta, "search_meta_exact", fts.positive});
      tiers.push_back({kTierExact, "search_exact", fts.positive});
    }
    tiers.push_back({kTierInMeta, "search_meta", fts.positive});
    tiers.push_back({kTierAnywhere, "search_folded", fts.match});
    SearchFilter filter(query);
    size_t limit = query.limit > 0 ? static_cast<size_t>(query.limit) : SIZE_MAX;
    std::vector<std::pair<int, int64_t>> order;  // (tier, id)
    std::unordered_set<int64_t> taken;
    bool has_exclusions = std::any_of(fts.phrases.begin(), fts.phrases.end(),
                                      [](const QueryPhrase& p) { return p.exclude; });
    for (const Tier& t : tiers) {
      if (order.size() >= limit) break;
      bool last = t.tier == kTierAnywhere;
      auto walk = cached(std::string("SELECT rowid FROM ") + t.table + " WHERE " + t.table +
                         " MATCH ?1 ORDER BY rowid DESC");
      walk->bind(1, t.match);
      while (order.size() < limit && walk->step()) {
        int64_t id = walk->integer(0);
        if (taken.count(id) > 0 || !passes(filter, id)) continue;
        // Only the full folded match knows the exclusions. Without any, a
        // tier's match is one of the folded match (the same words, the same
        // tokenizer or one that splits words the same way); hits_for drops
        // what is not, should the tokenizers ever differ on a word.
        if (!last && has_exclusions && !matches_folded(fts.match, id)) continue;
        taken.insert(id);
        order.emplace_back(t.tier, id);
      }
    }
    return hits_for(fts.phrases, order);
  }

  bool matches_folded(const std::string& match, int64_t id) {
    auto q = cached("SELECT 1 FROM search_folded WHERE search_folded MATCH ?1 AND rowid = ?2");
    q->bind(1, match).bind(2, id);
    return q->step();
  }

  // What a search may return beyond matching (filter_sql, in C++).
  struct SearchFilter {
    std::string unit, level, year, type;
    std::unordered_set<std::string> within;
    explicit SearchFilter(const SearchQuery& q)
        : unit(q.unit),
          level(q.level),
          year(q.year > 0 ? std::to_string(q.year) : std::string()),
          type(text::fold(text::collapse_spaces(q.type))),
          within(q.within_units.begin(), q.within_units.end()) {}
  };

  bool passes(const SearchFilter& f, int64_t id) {
    auto q = cached(
        "SELECT issuer_unit, level, issued_date, doc_type_key, status, unit FROM documents "
        "WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return false;
    std::string issuer = q->text(0);
    if (q->text(4) == "failed") return false;
    if (!f.unit.empty() && issuer != f.unit) return false;
    if (!f.level.empty() && q->text(1) != f.level) return false;
    if (!f.year.empty() && q->text(2).substr(0, 4) != f.year) return false;
    if (!f.type.empty() && q->text(3).find(f.type) == std::string::npos) return false;
    if (!f.within.empty() && f.within.count(issuer) == 0 && f.within.count(q->text(5)) == 0) {
      return false;
    }
    return true;
  }

  // The hits of `order` (tier, id), in that order, with snippets. A hit's
  // text is read by rowid and its snippet made in C++ (storage/snippet.h):
  // FTS5's snippet() matched the query again for each hit, most of a
  // search's time (on serve_bench's 1M store, 20 hits of "nguyen van an":
  // 5.6 ms, the walk that found them 1.5 ms). A hit whose text does not
  // hold every wanted phrase as the folded match reads it is left out,
  // should the exact tokenizer ever split a word another way.
  std::vector<SearchHit> hits_for(const std::vector<QueryPhrase>& phrases,
                                  const std::vector<std::pair<int, int64_t>>& order) {
    auto q = cached(
        "SELECT s.meta, s.body, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit "
        "FROM search_folded s JOIN documents d ON d.id = s.rowid WHERE s.rowid = ?1");
    std::unordered_map<int64_t, SearchHit> found;
    for (const auto& key : order) {
      int64_t id = key.second;
      q->bind(1, id);
      if (q->step()) {
        if (auto snippet = snippet_if_matched(q->text(0), q->text(1), phrases)) {
          found[id] = {id, 0.0, q->text(2), q->text(3), q->text(4), q->text(5), *snippet};
        }
      }
      q->reset();
    }
    return in_tier_order(order, std::move(found));
  }

  std::vector<DocumentSummary> documents_of_citizen(const std::string& citizen_id) override {
    bool digits = std::all_of(citizen_id.begin(), citizen_id.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (citizen_id.size() != 9 && citizen_id.size() != 12)) return {};
    // The index narrows to documents mentioning the number; the effective
    // citizen_ids (latest correction, else extraction) decide.
    FtsQuery fts = translate_query(citizen_id);
    auto q = cached(
        "WITH held AS (SELECT d.id, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit, "
        "coalesce((SELECT value FROM corrections c WHERE c.doc_id = d.id AND "
        "c.field = 'citizen_ids' ORDER BY c.id DESC LIMIT 1), (SELECT value FROM fields f "
        "WHERE f.doc_id = d.id AND f.name = 'citizen_ids'), '[]') AS ids FROM documents d "
        "WHERE d.id IN (SELECT rowid FROM search_folded WHERE search_folded MATCH ?1) "
        "AND d.status IN ('ok', 'review')) "
        "SELECT id, doc_number, issued_date, doc_type, issuer_unit FROM held WHERE EXISTS "
        "(SELECT 1 FROM json_each(CASE WHEN json_valid(ids) THEN ids ELSE '[]' END) "
        "WHERE value = ?2) ORDER BY id");
    q->bind(1, fts.match).bind(2, citizen_id);
    std::vector<DocumentSummary> out;
    while (q->step()) {
      DocumentSummary d;
      d.id = q->integer(0);
      d.doc_number = q->text(1);
      d.issued_date = q->text(2);
      d.doc_type = q->text(3);
      d.unit = q->text(4);
      out.push_back(std::move(d));
    }
    return out;
  }

  int64_t data_generation() override {
    auto q = cached("SELECT n FROM data_generation");
    return q->step() ? q->integer(0) : 0;
  }

  // --- users, sessions, API tokens, audit log ---
  void add_user(const User& u) override {
    sql::Transaction tx(db_);
    if (user(u.name)) throw InputError("user '" + u.name + "' already exists");
    auto insert = cached(
        "INSERT INTO users(name, role, unit, password_hash, created_at) "
        "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert->bind(1, u.name).bind(2, u.role).bind(3, u.unit).bind(4, u.password_hash).run();
    tx.commit();
  }

  std::optional<User> user(const std::string& name) override {
    auto q =
        cached("SELECT name, role, unit, password_hash, created_at FROM users WHERE name = ?1");
    q->bind(1, name);
    if (!q->step()) return std::nullopt;
    return User{q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)};
  }

  std::vector<User> users() override {
    auto q = cached("SELECT name, role, unit, password_hash, created_at FROM users ORDER BY name");
    std::vector<User> out;
    while (q->step()) out.push_back({q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)});
    return out;
  }

  bool set_password(const std::string& name, const std::string& password_hash) override {
    sql::Transaction tx(db_);
    cached("UPDATE users SET password_hash = ?2 WHERE name = ?1")
        ->bind(1, name)
        .bind(2, password_hash)
        .run();
    bool changed = sqlite3_changes(db_) > 0;
    // A new password ends the sessions opened with the old one.
    cached("DELETE FROM sessions WHERE user = ?1")->bind(1, name).run();
    tx.commit();
    return changed;
  }

  bool remove_user(const std::string& name) override {
    sql::Transaction tx(db_);
    cached("DELETE FROM sessions WHERE user = ?1")->bind(1, name).run();
    cached("DELETE FROM users WHERE name = ?1")->bind(1, name).run();
    bool removed = sqlite3_changes(db_) > 0;
    tx.commit();
    return removed;
  }

  void add_token(const ApiToken& t) override {
    sql::Transaction tx(db_);
    auto exists = cached("SELECT 1 FROM api_tokens WHERE name = ?1");
    exists->bind(1, t.name);
    if (exists->step()) throw InputError("token '" + t.name + "' already exists");
    auto insert = cached(
        "INSERT INTO api_tokens(name, scope, unit, token_hash, created_at) "
        "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    insert->bind(1, t.name).bind(2, t.scope).bind(3, t.unit).bind(4, t.token_hash).run();
    tx.commit();
  }

  std::optional<ApiToken> token_by_hash(const std::string& token_hash) override {
    auto q = cached(
        "SELECT name, scope, unit, token_hash, created_at FROM api_tokens WHERE token_hash = ?1");
    q->bind(1, token_hash);
    if (!q->step()) return std::nullopt;
    return ApiToken{q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)};
  }

  std::vector<ApiToken> tokens() override {
    auto q =
        cached("SELECT name, scope, unit, token_hash, created_at FROM api_tokens ORDER BY name");
    std::vector<ApiToken> out;
    while (q->step()) out.push_back({q->text(0), q->text(1), q->text(2), q->text(3), q->text(4)});
    return out;
  }

  bool revoke_token(const std::string& name) override {
    cached("DELETE FROM api_tokens WHERE name = ?1")->bind(1, name).run();
    return sqlite3_changes(db_) > 0;
  }

  void add_session(const Session& session) override {
    auto insert =
        cached("INSERT INTO sessions(id_hash, user, csrf, expires_at) VALUES (?1, ?2, ?3, ?4)");
    insert->bind(1, session.id_hash).bind(2, session.user).bind(3, session.csrf);
    insert->bind(4, session.expires_at).run();
  }

  std::optional<Session> session(const std::string& id_hash, int64_t now) override {
    auto q = cached(
        "SELECT id_hash, user, csrf, expires_at FROM sessions "
        "WHERE id_hash = ?1 AND expires_at > ?2");
    q->bind(1, id_hash).bind(2, now);
    if (!q->step()) return std::nullopt;
    return Session{q->text(0), q->text(1), q->text(2), q->integer(3)};
  }

  void remove_session(const std::string& id_hash, int64_t now) override {
    cached("DELETE FROM sessions WHERE id_hash = ?1 OR expires_at <= ?2")
        ->bind(1, id_hash)
        .bind(2, now)
        .run();
  }

  void append_audit(const std::string& user, const std::string& action,
                    const std::string& target) override {
    cached(
        "INSERT INTO audit_log(at, user, action, target) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2, ?3)")
        ->bind(1, user)
        .bind(2, action)
        .bind(3, target)
        .run();
  }

  std::vector<AuditEntry> audit(int limit) override {
    auto q = cached("SELECT at, user, action, target FROM audit_log ORDER BY id DESC LIMIT ?1");
    q->bind(1, limit);
    std::vector<AuditEntry> out;
    while (q->step()) out.push_back({q->text(0), q->text(1), q->text(2), q->text(3)});
    return out;
  }

 private:
  void configure() {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sql::exec(db_, "PRAGMA journal_mode = WAL");
    // A larger page cache keeps bulk imports' index pages in memory.
    sql::exec(db_, std::string("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                               "PRAGMA temp_store = MEMORY; ") +
                       kCacheSize);
  }

  void migrate() {
    sql::Transaction tx(db_);
    auto version = cached("PRAGMA user_version");
    version->step();
    auto applied = static_cast<size_t>(version->integer(0));
    version->reset();
    const auto& steps = migrations();
    if (applied > steps.size()) {
      throw StorageError(path_.string() + ": database schema version " + std::to_string(applied) +
                         " is newer than this program knows (" + std::to_string(steps.size()) +
                         ")");
    }
    for (size_t i = applied; i < steps.size(); ++i) sql::exec(db_, steps[i]);
    if (applied < steps.size()) {
      sql::exec(db_, "PRAGMA user_version = " + std::to_string(steps.size()));
    }
    tx.commit();
  }

  static Unit unit_from(const Stmt& q) {
    return {q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)};
  }

  void require_document(int64_t id) {
    auto q = cached("SELECT 1 FROM documents WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) throw InputError("no document with id " + std::to_string(id));
  }

  // Returns the new id when `id` is 0, else overwrites that row in place
  // (REPLACE would delete it and cascade to its corrections).
  int64_t write_document_row(const NewDocument& doc, int64_t id) {
    auto q = cached(
        id != 0 ? "UPDATE documents SET sha256 = ?2, source = ?3, station = ?4, unit = ?5, "
                  "issuer_unit = ?6, level = ?7, digitized_at = ?8, status = ?9, error = ?10, "
                  "review_reasons = ?11, archive_sha256 = ?12 WHERE id = ?1"
                // Past deleted ids too: an id names one document for good.
                : "INSERT INTO documents(id, sha256, source, station, unit, issuer_unit, level, "
                  "digitized_at, status, error, review_reasons, archive_sha256) "
                  "VALUES (max(coalesce((SELECT max(id) FROM documents), 0), "
                  "coalesce((SELECT max(doc_id) FROM deletions), 0)) + 1, "
                  "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (id != 0) q->bind(1, id);
    q->bind(2, doc.sha256).bind(3, doc.source).bind(4, doc.station).bind(5, doc.unit);
    q->bind(6, doc.issuer_unit).bind(7, doc.level).bind(8, doc.digitized_at).bind(9, doc.status);
    q->bind(10, doc.error).bind(11, json_list(doc.review_reasons));
    q->bind(12, doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256);
    q->run();
    return id != 0 ? id : sqlite3_last_insert_rowid(db_);
  }

  // Removes what a re-stored document writes again; corrections stay.
  void clear_document_content(int64_t id) {
    remove_search_rows(id);
    cached("DELETE FROM pages WHERE doc_id = ?1")->bind(1, id).run();
    cached("DELETE FROM fields WHERE doc_id = ?1")->bind(1, id).run();
    cached("DELETE FROM matches WHERE doc_id = ?1")->bind(1, id).run();
  }

  void write_pages(int64_t id, const std::vector<PageRecord>& pages) {
    auto q = cached(
        "INSERT INTO pages(doc_id, page, width, height, dpi, rotation, skew_deg, "
        "ocr_confidence, text, codes, layout, text_source, text_dpi) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    for (const PageRecord& p : pages) {
      q->bind(1, id).bind(2, p.page).bind(3, p.width).bind(4, p.height).bind(5, p.dpi);
      q->bind(6, p.rotation).bind(7, p.skew_deg).bind(8, p.ocr_confidence);
      q->bind(9, text::nfc(p.text)).bind(10, json_list(p.codes)).bind(11, p.layout_json);
      q->bind(12, std::string_view(p.text_source == "pdf" ? "pdf" : "ocr"));
      q->bind(13, p.text_dpi).run();
    }
  }

  void write_fields(int64_t id, const std::vector<Field>& fields) {
    auto q = cached(
        "INSERT OR REPLACE INTO fields(doc_id, name, value, confidence) "
        "VALUES (?1, ?2, ?3, ?4)");
    for (const Field& f : fields) {
      q->bind(1, id).bind(2, f.name).bind(3, text::nfc(f.value)).bind(4, f.confidence).run();
    }
  }

  std::vector<PageRecord> read_pages(int64_t id) {
    auto q = cached(
        "SELECT page, width, height, dpi, rotation, skew_deg, ocr_confidence, text, codes, "
        "layout, text_source, text_dpi FROM pages WHERE doc_id = ?1 ORDER BY page");
    q->bind(1, id);
    std::vector<PageRecord> out;
    while (q->step()) {
      PageRecord p;
      p.page = static_cast<int>(q->integer(0));
      p.width = static_cast<int>(q->integer(1));
      p.height = static_cast<int>(q->integer(2));
      p.dpi = static_cast<int>(q->integer(3));
      p.rotation = static_cast<int>(q->integer(4));
      p.skew_deg = q->real(5);
      p.ocr_confidence = q->real(6);
      p.text = q->text(7);
      p.codes = parse_json_list(q->text(8));
      p.layout_json = q->text(9);
      p.text_source = q->text(10);
      p.text_dpi = static_cast<int>(q->integer(11));
      out.push_back(std::move(p));
    }
    return out;
  }

  // Extracted values overlaid with each field's latest correction. Latest
  // is by time, then by arrival: a station's older correction merged or
  // synced in later does not override one made here since.
  std::vector<Field> effective_fields(int64_t id) {
    std::map<std::string, Field> by_name;
    auto extracted = cached("SELECT name, value, confidence FROM fields WHERE doc_id = ?1");
    extracted->bind(1, id);
    while (extracted->step()) {
      by_name[extracted->text(0)] = {extracted->text(0), extracted->text(1), extracted->real(2)};
    }
    auto corrected = cached(
        "SELECT field, value FROM corrections WHERE doc_id = ?1 AND undone_at = '' "
        "ORDER BY at, id");
    corrected->bind(1, id);
    while (corrected->step())
      by_name[corrected->text(0)] = {corrected->text(0), corrected->text(1), 1.0};
    std::vector<Field> out;
    for (auto& [name, field] : by_name) out.push_back(std::move(field));
    order_fields(out);
    return out;
  }

  // Recomputes the denormalized metadata and the search rows of a document
  // from its fields and corrections.
  void refresh_effective(int64_t id) {
    std::vector<Field> fields = effective_fields(id);
    std::string number = field_value(fields, "doc_number");
    std::string type = field_value(fields, "doc_type");
    auto update = cached(
        "UPDATE documents SET doc_number = ?2, number_key = ?3, issued_date = ?4, "
        "doc_type = ?5, doc_type_key = ?6, dossier_code = ?7 WHERE id = ?1");
    update->bind(1, id).bind(2, number).bind(3, number_key(number));
    update->bind(4, field_value(fields, "issued_date")).bind(5, type).bind(6, text::fold(type));
    update->bind(7, field_value(fields, "dossier_code")).run();
    write_search_rows(id, fields);
    rematch_document(id);
  }

  // --- matching documents to register rows (SPEC "Progress") ---
  // The units a register row's unit is or became: itself and its successors.
  void rebuild_lineage() {
    sql::exec(db_, "DELETE FROM unit_lineage");
    auto insert = cached("INSERT OR IGNORE INTO unit_lineage(unit, descendant) VALUES (?1, ?2)");
    for (const Unit& u : units()) {
      insert->bind(1, u.code).bind(2, u.code).run();
      for (const std::string& s : successors_of(u.code)) insert->bind(1, u.code).bind(2, s).run();
    }
  }

  std::map<std::string, std::string> successor_links() {
    auto q = cached("SELECT code, successor FROM units WHERE successor <> ''");
    std::map<std::string, std::string> next;
    while (q->step()) next[q->text(0)] = q->text(1);
    return next;
  }

  void rebuild_matches() {
    sql::exec(db_, "DELETE FROM matches");
    sql::exec(db_, std::string("INSERT OR IGNORE INTO matches(doc_id, row_id) ") + kMatchByDossier +
                       "; INSERT OR IGNORE INTO matches(doc_id, row_id) " + kMatchByNumber);
    sql::exec(db_,
              std::string("UPDATE register_rows SET digitized_at = (") + kEarliestDigitized + ")");
    sql::exec(db_,
              "UPDATE documents SET matched = "
              "EXISTS (SELECT 1 FROM matches m WHERE m.doc_id = documents.id)");
  }

  std::vector<int64_t> linked(const char* sql, int64_t id) {
    auto q = cached(sql);
    q->bind(1, id);
    std::vector<int64_t> out;
    while (q->step()) out.push_back(q->integer(0));
    return out;
  }

  void rematch_document(int64_t id) {
    const char* rows_of_doc = "SELECT row_id FROM matches WHERE doc_id = ?1";
    std::vector<int64_t> rows = linked(rows_of_doc, id);
    cached("DELETE FROM matches WHERE doc_id = ?1")->bind(1, id).run();
    for (const char* select : {kMatchByDossier, kMatchByNumber}) {
      cached(std::string("INSERT OR IGNORE INTO matches(doc_id, row_id) ") + select +
             " AND d.id = ?1")
          ->bind(1, id)
          .run();
    }
    for (int64_t row : linked(rows_of_doc, id)) rows.push_back(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int64_t row : rows) refresh_row_digitized(row);
    refresh_document_matched(id);
  }

  void rematch_row(int64_t id, bool is_new) {
    const char* docs_of_row = "SELECT doc_id FROM matches WHERE row_id = ?1";
    std::vector<int64_t> docs;
    if (!is_new) {
      docs = linked(docs_of_row, id);
      cached("DELETE FROM matches WHERE row_id = ?1")->bind(1, id).run();
    }
    int added = 0;
    for (const char* select : {kMatchByDossier, kMatchByNumber}) {
      cached(std::string("INSERT OR IGNORE INTO matches(doc_id, row_id) ") + select +
             " AND r.id = ?1")
          ->bind(1, id)
          .run();
      added += sqlite3_changes(db_);
    }
    if (is_new && added == 0) return;  // the common case of a bulk import: nothing to update
    for (int64_t doc : linked(docs_of_row, id)) docs.push_back(doc);
    refresh_row_digitized(id);
    for (int64_t doc : docs) refresh_document_matched(doc);
  }

  void refresh_row_digitized(int64_t row) {
    cached(std::string("UPDATE register_rows SET digitized_at = (") + kEarliestDigitized +
           ") WHERE id = ?1")
        ->bind(1, row)
        .run();
  }

  void refresh_document_matched(int64_t doc) {
    cached(
        "UPDATE documents SET matched = EXISTS (SELECT 1 FROM matches WHERE doc_id = ?1) "
        "WHERE id = ?1")
        ->bind(1, doc)
        .run();
  }

  // Returns the row's id and whether it is new. Insertion is tried first:
  // a fresh import is all inserts.
  std::pair<int64_t, bool> upsert_register_row(const RegisterRow& row) {
    std::string number = nfc_fast(row.doc_number);
    std::string type = nfc_fast(row.doc_type);
    std::string title = nfc_fast(row.title);
    {
      auto insert = cached(
          "INSERT INTO register_rows(unit, doc_number, issued_date, valid_until, dossier_code, "
          "procedure_code, doc_type, title, number_key, level) VALUES "
          "(?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?4, "
          "coalesce((SELECT level FROM units WHERE code = ?1), '')) "
          "ON CONFLICT (unit, doc_number, issued_date) DO NOTHING");
      insert->bind(1, row.unit).bind(2, number).bind(3, row.issued_date);
      insert->bind(4, number_key(number)).bind(5, row.valid_until).bind(6, row.dossier_code);
      insert->bind(7, row.procedure_code).bind(8, type).bind(9, title).run();
      if (sqlite3_changes(db_) > 0) return {sqlite3_last_insert_rowid(db_), true};
    }
    auto update = cached(
        "UPDATE register_rows SET valid_until = ?4, dossier_code = ?5, procedure_code = ?6, "
        "doc_type = ?7, title = ?8 WHERE unit = ?1 AND doc_number = ?2 AND issued_date = ?3 "
        "RETURNING id");
    update->bind(1, row.unit).bind(2, number).bind(3, row.issued_date);
    update->bind(4, row.valid_until).bind(5, row.dossier_code).bind(6, row.procedure_code);
    update->bind(7, type).bind(8, title);
    if (!update->step()) throw StorageError(path_.string() + ": register row vanished");
    return {update->integer(0), false};
  }

  void remove_search_rows(int64_t id) {
    std::string meta, body;
    {
      auto old = cached("SELECT meta, body FROM search_folded WHERE rowid = ?1");
      old->bind(1, id);
      if (!old->step()) return;
      meta = old->text(0);
      body = old->text(1);
    }
    // A contentless table forgets its text: deleting needs the indexed values.
    auto forget = cached(
        "INSERT INTO search_exact(search_exact, rowid, meta, body) VALUES ('delete', ?1, ?2, ?3)");
    forget->bind(1, id).bind(2, meta).bind(3, body).run();
    for (const char* table : {"search_meta", "search_meta_exact"}) {
      auto forget_meta = cached(std::string("INSERT INTO ") + table + "(" + table +
                                ", rowid, meta) VALUES ('delete', ?1, ?2)");
      forget_meta->bind(1, id).bind(2, meta).run();
    }
    cached("DELETE FROM search_folded WHERE rowid = ?1")->bind(1, id).run();
  }

  void write_search_rows(int64_t id, const std::vector<Field>& fields) {
    remove_search_rows(id);
    std::string meta = search_meta(fields);
    std::string body;
    auto pages = cached("SELECT text FROM pages WHERE doc_id = ?1 ORDER BY page");
    pages->bind(1, id);
    while (pages->step()) {
      if (!body.empty()) body += '\f';
      body += pages->text(0);
    }
    for (const char* table : {"search_folded", "search_exact"}) {
      auto insert =
          cached(std::string("INSERT INTO ") + table + "(rowid, meta, body) VALUES (?1, ?2, ?3)");
      insert->bind(1, id).bind(2, meta).bind(3, body).run();
    }
    for (const char* table : {"search_meta", "search_meta_exact"}) {
      cached(std::string("INSERT INTO ") + table + "(rowid, meta) VALUES (?1, ?2)")
          ->bind(1, id)
          .bind(2, meta)
          .run();
    }
    cached("UPDATE search_upkeep SET written = written + 1")->run();
  }

  // Merges each search index into one segment once the search rows written
  // since the last merge reach a quarter of the documents held then (and at
  // least kCompactAfterWrites): every query seeks each segment of an index,
  // and FTS5's automerge leaves a store written over time with ten or so.
  // A quarter keeps the rewriting to a few times what was written. On
  // serve_bench's 1M-document store the four indexes took 16 s, after
  // which the server answered 288 requests/s against 200 (search p95 221 ->
  // 175 ms). Run after the write that made it due has committed, so a
  // failure (the database busy, the disk full) loses nothing and is tried
  // again after the next write.
  void compact_search_if_due() {
    if (sqlite3_get_autocommit(db_) == 0) return;  // inside a caller's transaction
    int64_t written = 0, indexed = 0;
    {
      auto upkeep = cached("SELECT written, indexed FROM search_upkeep");
      if (!upkeep->step()) return;
      written = upkeep->integer(0);
      indexed = upkeep->integer(1);
    }
    if (written < std::max(kCompactAfterWrites, indexed / 4)) return;
    // One transaction an index, so that another writer (an upload to
    // `serve`, `watch`) waits at most one index's merge (~7 s at 1M
    // documents) rather than all four, within the busy timeout.
    try {
      BulkCache big_cache(db_);
      for (const char* table :
           {"search_folded", "search_exact", "search_meta", "search_meta_exact"}) {
        sql::Transaction tx(db_);
        sql::exec(db_, std::string("INSERT INTO ") + table + "(" + table + ") VALUES ('optimize')");
        tx.commit();
      }
      sql::exec(db_,
                "UPDATE search_upkeep SET written = 0, indexed = (SELECT count(*) FROM documents)");
    } catch (const StorageError&) {
      // Left due: the next write tries again.
    }
  }

  // Filters shared by full-text and browse queries; parameters ?2..?7.
  // ?6 is a JSON list of unit codes or ''.
  static std::string filter_sql() {
    return "(?2 = '' OR d.issuer_unit = ?2) AND (?3 = '' OR d.level = ?3) AND "
           "(?4 = '' OR substr(d.issued_date, 1, 4) = ?4) AND "
           "(?5 = '' OR instr(d.doc_type_key, ?5) > 0) AND d.status <> 'failed' AND "
           "(?6 = '' OR d.issuer_unit IN (SELECT value FROM json_each(?6)) OR "
           "d.unit IN (SELECT value FROM json_each(?6)))";
  }

  static void bind_filters(Stmt& q, const SearchQuery& query) {
    q.bind(2, query.unit).bind(3, query.level);
    q.bind(4, query.year > 0 ? std::to_string(query.year) : std::string());
    q.bind(5, text::fold(text::collapse_spaces(query.type)));
    q.bind(6, query.within_units.empty() ? std::string() : json_list(query.within_units));
    q.bind(7, static_cast<int64_t>(query.limit > 0 ? query.limit : -1));
  }

  // An empty query lists the filtered documents, newest issued first.
  std::vector<SearchHit> browse(const SearchQuery& query) {
    auto q = cached(
        "SELECT d.id, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit, "
        "coalesce((SELECT value FROM fields WHERE doc_id = d.id AND name = 'subject'), '') "
        "FROM documents d WHERE " +
        filter_sql() + " ORDER BY d.issued_date DESC, d.id DESC LIMIT ?7");
    bind_filters(*q, query);
    std::vector<SearchHit> hits;
    while (q->step()) {
      hits.push_back(
          {q->integer(0), 0.0, q->text(1), q->text(2), q->text(3), q->text(4), q->text(5)});
    }
    return hits;
  }

  // Prepared once per connection: ingest and register import run the same
  // few statements millions of times.
  sql::Lease cached(const std::string& text) {
    auto it = statements_.find(text);
    if (it == statements_.end()) {
      it = statements_.emplace(text, std::make_unique<Stmt>(db_, text)).first;
    }
    it->second->reset();
    return sql::Lease(*it->second);
  }

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> statements_;
};

}  // namespace

Database::RegisterCounts Database::upsert_register_rows(const std::vector<RegisterRow>& rows) {
  size_t next = 0;
  return upsert_register_rows([&](RegisterRow& row) {
    if (next >= rows.size()) return false;
    row = rows[next++];
    return true;
  });
}

std::vector<RegisterTally> Database::register_tallies(const std::vector<std::string>& units,
                                                      const TallyDays& days_for) {
  RegisterFacts facts = register_facts(units);
  std::vector<RegisterTally> out(facts.units.size());
  for (size_t i = 0; i < out.size(); ++i) out[i].unit = facts.units[i];
  for (const RegisterFact& f : facts.rows) {
    int& first = out[static_cast<size_t>(f.unit)].first_issued;
    if (first == 0 || f.issued < first) first = f.issued;
  }
  std::vector<int> days = days_for(out);
  for (RegisterTally& t : out) {
    t.valid.assign(days.size(), 0);
    t.digitized.assign(days.size(), 0);
  }
  for (const RegisterFact& f : facts.rows) {
    RegisterTally& t = out[static_cast<size_t>(f.unit)];
    for (size_t p = 0; p < days.size(); ++p) {
      int day = days[p];
      if (f.issued > day || (f.valid_until != 0 && f.valid_until < day)) continue;
      ++t.valid[p];
      if (f.digitized != 0 && f.digitized <= day) ++t.digitized[p];
    }
  }
  return out;
}

std::unique_ptr<Database> Database::open(const std::filesystem::path& path) {
  if (is_postgres_url(path.string())) return open_postgres(path.string());
  return std::make_unique<SqliteDatabase>(path);
}

bool Database::exists(const std::filesystem::path& path) {
  if (is_postgres_url(path.string())) return postgres_exists(path.string());
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) == 0) {
    return false;
  }
  sqlite3* db = nullptr;
  bool found = false;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    sqlite3_stmt* q = nullptr;
    rc = sqlite3_prepare_v2(
        db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'", -1, &q,
        nullptr);
    if (rc == SQLITE_OK) {
      int step = sqlite3_step(q);
      found = step == SQLITE_ROW;
      if (step != SQLITE_ROW && step != SQLITE_DONE) rc = step;
    }
    sqlite3_finalize(q);
  }
  // Not an SQLite file, or one without sohoa's tables: false. A file that
  // could not be looked into (a full disk cannot hold the WAL index, I/O
  // errors, a lock held too long) must not be called "not a database".
  std::string problem;
  if (rc != SQLITE_OK && rc != SQLITE_NOTADB)
    problem = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  sqlite3_close(db);
  if (!problem.empty()) throw StorageError(path.string() + ": cannot be read: " + problem);
  return found;
}

}  // namespace sohoa::storage
