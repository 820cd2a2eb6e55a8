// Database on one SQLite file (WAL, so a station's ingest and a reader or a
// second writer can share it).
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "storage/fold_tokenizer.h"
#include "storage/schema.h"
#include "storage/search_query.h"
#include "storage/sqlite_util.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

using sql::Stmt;

constexpr int kBusyTimeoutMs = 10000;

std::string json_list(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> parse_json_list(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// The key a document number is compared by: no spaces, no case, no accents.
std::string number_key(const std::string& number) {
  std::string folded = text::fold(number);
  std::string out;
  for (char c : folded) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

bool valid_status(const std::string& status) {
  return status == "ok" || status == "review" || status == "failed";
}

// Metadata fields first in the SPEC's order, any other name after, by name.
void order_fields(std::vector<Field>& fields) {
  const auto& names = metadata_field_names();
  auto rank = [&](const Field& f) {
    auto it = std::find(names.begin(), names.end(), f.name);
    return static_cast<size_t>(it - names.begin());
  };
  std::stable_sort(fields.begin(), fields.end(), [&](const Field& a, const Field& b) {
    size_t ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : a.name < b.name;
  });
}

std::string field_value(const std::vector<Field>& fields, const std::string& name) {
  for (const Field& f : fields) {
    if (f.name == name) return f.value;
  }
  return {};
}

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::filesystem::path& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
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
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }

  ~SqliteDatabase() override { sqlite3_close(db_); }

  // --- units ---
  void upsert_units(const std::vector<Unit>& units) override {
    sql::Transaction tx(db_);
    Stmt upsert(db_,
                "INSERT INTO units(code, name, level, parent, valid_from, valid_to, successor) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(code) DO UPDATE SET "
                "name = excluded.name, level = excluded.level, parent = excluded.parent, "
                "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
                "successor = excluded.successor");
    for (const Unit& u : units) {
      upsert.bind(1, u.code).bind(2, text::nfc(u.name)).bind(3, u.level).bind(4, u.parent);
      upsert.bind(5, u.valid_from).bind(6, u.valid_to).bind(7, u.successor).run();
    }
    tx.commit();
  }

  std::vector<Unit> units() override {
    Stmt q(db_,
           "SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
           "ORDER BY code");
    std::vector<Unit> out;
    while (q.step()) out.push_back(unit_from(q));
    return out;
  }

  std::optional<Unit> unit(const std::string& code) override {
    Stmt q(db_,
           "SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
           "WHERE code = ?1");
    q.bind(1, code);
    if (!q.step()) return std::nullopt;
    return unit_from(q);
  }

  // --- documents ---
  std::optional<Existing> find_by_sha256(const std::string& sha256) override {
    Stmt q(db_,
           "SELECT id, status, (SELECT count(*) FROM pages WHERE doc_id = documents.id) "
           "FROM documents WHERE sha256 = ?1");
    q.bind(1, sha256);
    if (!q.step()) return std::nullopt;
    return Existing{q.integer(0), q.text(1), static_cast<int>(q.integer(2))};
  }

  int64_t store_document(const NewDocument& doc) override {
    if (!valid_status(doc.status)) throw InputError("invalid document status: " + doc.status);
    sql::Transaction tx(db_);
    int64_t id = 0;
    if (auto existing = find_by_sha256(doc.sha256)) {
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
    tx.commit();
    return id;
  }

  std::optional<StoredDocument> document(int64_t id) override {
    Stmt q(db_,
           "SELECT id, sha256, source, station, unit, issuer_unit, level, digitized_at, status, "
           "error, archive_sha256 FROM documents WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    StoredDocument d;
    d.id = q.integer(0);
    d.sha256 = q.text(1);
    d.source = q.text(2);
    d.station = q.text(3);
    d.unit = q.text(4);
    d.issuer_unit = q.text(5);
    d.level = q.text(6);
    d.digitized_at = q.text(7);
    d.status = q.text(8);
    d.error = q.text(9);
    d.archive_sha256 = q.text(10);
    d.fields = effective_fields(id);
    d.pages = read_pages(id);
    return d;
  }

  std::vector<int64_t> resolve(const std::string& ref) override {
    std::vector<int64_t> out;
    if (ref.empty()) return out;
    bool digits = std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; });
    bool hex =
        std::all_of(ref.begin(), ref.end(), [](char c) { return std::isxdigit(uint8_t(c)); });
    if (digits && ref.size() <= 18) {
      Stmt q(db_, "SELECT id FROM documents WHERE id = ?1");
      q.bind(1, static_cast<int64_t>(std::stoll(ref)));
      if (q.step()) out.push_back(q.integer(0));
    }
    if (hex) {
      std::string lower = ref;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      Stmt q(db_, "SELECT id FROM documents WHERE sha256 GLOB ?1 || '*' ORDER BY id");
      q.bind(1, lower);
      while (q.step()) {
        if (std::find(out.begin(), out.end(), q.integer(0)) == out.end()) {
          out.push_back(q.integer(0));
        }
      }
    }
    return out;
  }

  std::vector<int64_t> document_ids() override {
    Stmt q(db_, "SELECT id FROM documents ORDER BY id");
    std::vector<int64_t> out;
    while (q.step()) out.push_back(q.integer(0));
    return out;
  }

  // --- review ---
  void add_correction(int64_t id, const std::string& field, const std::string& value,
                      const std::string& by) override {
    sql::Transaction tx(db_);
    require_document(id);
    Stmt insert(db_,
                "INSERT INTO corrections(doc_id, field, value, by, at) "
                "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    insert.bind(1, id).bind(2, field).bind(3, text::nfc(value)).bind(4, by).run();
    refresh_effective(id);
    tx.commit();
  }

  void replace_extraction(int64_t id, const std::vector<Field>& fields,
                          const std::string& issuer_unit, const std::string& level,
                          const std::string& status) override {
    if (!valid_status(status)) throw InputError("invalid document status: " + status);
    sql::Transaction tx(db_);
    require_document(id);
    Stmt(db_, "DELETE FROM fields WHERE doc_id = ?1").bind(1, id).run();
    write_fields(id, fields);
    Stmt update(db_,
                "UPDATE documents SET issuer_unit = ?2, level = ?3, status = ?4 WHERE id = ?1");
    update.bind(1, id).bind(2, issuer_unit).bind(3, level).bind(4, status).run();
    refresh_effective(id);
    tx.commit();
  }

  std::vector<ReviewItem> review_queue() override {
    Stmt q(db_,
           "SELECT id, source, status, error, review_reasons FROM documents "
           "WHERE status IN ('review', 'failed') ORDER BY id");
    std::vector<ReviewItem> out;
    while (q.step()) {
      ReviewItem item{q.integer(0), q.text(1), q.text(2), parse_json_list(q.text(4))};
      if (item.status == "failed" && item.reasons.empty()) {
        item.reasons.push_back(q.text(3).empty() ? "failed" : q.text(3));
      }
      out.push_back(std::move(item));
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
    Stmt q(db_, "SELECT field, value, by, at FROM corrections WHERE doc_id = ?1 ORDER BY id");
    q.bind(1, id);
    std::vector<Correction> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
    return out;
  }

  int64_t store_document_with_corrections(const NewDocument& doc,
                                          const std::vector<Correction>& corrections) override {
    if (!valid_status(doc.status)) throw InputError("invalid document status: " + doc.status);
    sql::Transaction tx(db_);
    int64_t id = 0;
    if (auto existing = find_by_sha256(doc.sha256)) {
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
    Stmt insert(db_, "INSERT INTO corrections(doc_id, field, value, by, at) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const Correction& c : corrections) {
      insert.bind(1, id).bind(2, c.field).bind(3, text::nfc(c.value)).bind(4, c.by).bind(5, c.at);
      insert.run();
    }
    refresh_effective(id);
    tx.commit();
    return id;
  }

  // --- search ---
  std::vector<SearchHit> search(const SearchQuery& query) override {
    FtsQuery fts = translate_query(query.text);
    if (fts.blank) return browse(query);
    if (fts.match.empty()) return {};
    bool accented = text::has_accents(query.text);
    std::string sql =
        "SELECT d.id, bm25(search_folded, 2.0, 1.0) AS rank, "
        "snippet(search_folded, -1, '[', ']', '…', 12), d.doc_number, d.issued_date, "
        "d.doc_type, d.issuer_unit, " +
        std::string(accented
                        ? "d.id IN (SELECT rowid FROM search_exact WHERE search_exact MATCH ?8)"
                        : "0") +
        " AS exact FROM search_folded JOIN documents d ON d.id = search_folded.rowid "
        "WHERE search_folded MATCH ?1 AND " +
        filter_sql() + " ORDER BY exact DESC, rank, d.id LIMIT ?7";
    Stmt q(db_, sql);
    q.bind(1, fts.match);
    bind_filters(q, query);
    if (accented) q.bind(8, fts.positive);
    std::vector<SearchHit> hits;
    while (q.step()) {
      hits.push_back(
          {q.integer(0), -q.real(1), q.text(3), q.text(4), q.text(5), q.text(6), q.text(2)});
    }
    return hits;
  }

 private:
  void configure() {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sql::exec(db_, "PRAGMA journal_mode = WAL");
    sql::exec(db_, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
  }

  void migrate() {
    sql::Transaction tx(db_);
    Stmt version(db_, "PRAGMA user_version");
    version.step();
    auto applied = static_cast<size_t>(version.integer(0));
    version.reset();
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
    Stmt q(db_, "SELECT 1 FROM documents WHERE id = ?1");
    q.bind(1, id);
    if (!q.step()) throw InputError("no document with id " + std::to_string(id));
  }

  // Returns the new id when `id` is 0, else overwrites that row in place
  // (REPLACE would delete it and cascade to its corrections).
  int64_t write_document_row(const NewDocument& doc, int64_t id) {
    Stmt q(db_, id != 0
                    ? "UPDATE documents SET sha256 = ?2, source = ?3, station = ?4, unit = ?5, "
                      "issuer_unit = ?6, level = ?7, digitized_at = ?8, status = ?9, error = ?10, "
                      "review_reasons = ?11, archive_sha256 = ?12 WHERE id = ?1"
                    : "INSERT INTO documents(sha256, source, station, unit, issuer_unit, level, "
                      "digitized_at, status, error, review_reasons, archive_sha256) "
                      "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (id != 0) q.bind(1, id);
    q.bind(2, doc.sha256).bind(3, doc.source).bind(4, doc.station).bind(5, doc.unit);
    q.bind(6, doc.issuer_unit).bind(7, doc.level).bind(8, doc.digitized_at).bind(9, doc.status);
    q.bind(10, doc.error).bind(11, json_list(doc.review_reasons));
    q.bind(12, doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256);
    q.run();
    return id != 0 ? id : sqlite3_last_insert_rowid(db_);
  }

  // Removes what a re-stored document writes again; corrections stay.
  void clear_document_content(int64_t id) {
    remove_search_rows(id);
    Stmt(db_, "DELETE FROM pages WHERE doc_id = ?1").bind(1, id).run();
    Stmt(db_, "DELETE FROM fields WHERE doc_id = ?1").bind(1, id).run();
    Stmt(db_, "DELETE FROM matches WHERE doc_id = ?1").bind(1, id).run();
  }

  void write_pages(int64_t id, const std::vector<PageRecord>& pages) {
    Stmt q(db_,
           "INSERT INTO pages(doc_id, page, width, height, dpi, rotation, skew_deg, "
           "ocr_confidence, text, codes, layout) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
           "?10, ?11)");
    for (const PageRecord& p : pages) {
      q.bind(1, id).bind(2, p.page).bind(3, p.width).bind(4, p.height).bind(5, p.dpi);
      q.bind(6, p.rotation).bind(7, p.skew_deg).bind(8, p.ocr_confidence);
      q.bind(9, text::nfc(p.text)).bind(10, json_list(p.codes)).bind(11, p.layout_json).run();
    }
  }

  void write_fields(int64_t id, const std::vector<Field>& fields) {
    Stmt q(db_,
           "INSERT OR REPLACE INTO fields(doc_id, name, value, confidence) "
           "VALUES (?1, ?2, ?3, ?4)");
    for (const Field& f : fields) {
      q.bind(1, id).bind(2, f.name).bind(3, text::nfc(f.value)).bind(4, f.confidence).run();
    }
  }

  std::vector<PageRecord> read_pages(int64_t id) {
    Stmt q(db_,
           "SELECT page, width, height, dpi, rotation, skew_deg, ocr_confidence, text, codes, "
           "layout FROM pages WHERE doc_id = ?1 ORDER BY page");
    q.bind(1, id);
    std::vector<PageRecord> out;
    while (q.step()) {
      PageRecord p;
      p.page = static_cast<int>(q.integer(0));
      p.width = static_cast<int>(q.integer(1));
      p.height = static_cast<int>(q.integer(2));
      p.dpi = static_cast<int>(q.integer(3));
      p.rotation = static_cast<int>(q.integer(4));
      p.skew_deg = q.real(5);
      p.ocr_confidence = q.real(6);
      p.text = q.text(7);
      p.codes = parse_json_list(q.text(8));
      p.layout_json = q.text(9);
      out.push_back(std::move(p));
    }
    return out;
  }

  // Extracted values overlaid with each field's latest correction.
  std::vector<Field> effective_fields(int64_t id) {
    std::map<std::string, Field> by_name;
    Stmt extracted(db_, "SELECT name, value, confidence FROM fields WHERE doc_id = ?1");
    extracted.bind(1, id);
    while (extracted.step()) {
      by_name[extracted.text(0)] = {extracted.text(0), extracted.text(1), extracted.real(2)};
    }
    Stmt corrected(db_, "SELECT field, value FROM corrections WHERE doc_id = ?1 ORDER BY id");
    corrected.bind(1, id);
    while (corrected.step())
      by_name[corrected.text(0)] = {corrected.text(0), corrected.text(1), 1.0};
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
    Stmt update(db_,
                "UPDATE documents SET doc_number = ?2, number_key = ?3, issued_date = ?4, "
                "doc_type = ?5, doc_type_key = ?6, dossier_code = ?7 WHERE id = ?1");
    update.bind(1, id).bind(2, number).bind(3, number_key(number));
    update.bind(4, field_value(fields, "issued_date")).bind(5, type).bind(6, text::fold(type));
    update.bind(7, field_value(fields, "dossier_code")).run();
    write_search_rows(id, fields);
  }

  void remove_search_rows(int64_t id) {
    Stmt old(db_, "SELECT meta, body FROM search_folded WHERE rowid = ?1");
    old.bind(1, id);
    if (!old.step()) return;
    // A contentless table forgets its text: deleting needs the indexed values.
    Stmt forget(db_,
                "INSERT INTO search_exact(search_exact, rowid, meta, body) "
                "VALUES ('delete', ?1, ?2, ?3)");
    forget.bind(1, id).bind(2, old.text(0)).bind(3, old.text(1)).run();
    Stmt(db_, "DELETE FROM search_folded WHERE rowid = ?1").bind(1, id).run();
  }

  void write_search_rows(int64_t id, const std::vector<Field>& fields) {
    remove_search_rows(id);
    std::string meta;
    for (const Field& f : fields) {
      if (f.value.empty()) continue;
      if (!meta.empty()) meta += '\n';
      meta += f.value;
    }
    std::string body;
    Stmt pages(db_, "SELECT text FROM pages WHERE doc_id = ?1 ORDER BY page");
    pages.bind(1, id);
    while (pages.step()) {
      if (!body.empty()) body += '\f';
      body += pages.text(0);
    }
    for (const char* table : {"search_folded", "search_exact"}) {
      Stmt insert(db_,
                  std::string("INSERT INTO ") + table + "(rowid, meta, body) VALUES (?1, ?2, ?3)");
      insert.bind(1, id).bind(2, meta).bind(3, body).run();
    }
  }

  // Filters shared by full-text and browse queries; parameters ?2..?7.
  static std::string filter_sql() {
    return "(?2 = '' OR d.issuer_unit = ?2) AND (?3 = '' OR d.level = ?3) AND "
           "(?4 = '' OR substr(d.issued_date, 1, 4) = ?4) AND "
           "(?5 = '' OR instr(d.doc_type_key, ?5) > 0) AND d.status <> 'failed'";
  }

  static void bind_filters(Stmt& q, const SearchQuery& query) {
    q.bind(2, query.unit).bind(3, query.level);
    q.bind(4, query.year > 0 ? std::to_string(query.year) : std::string());
    q.bind(5, text::fold(text::collapse_spaces(query.type)));
    q.bind(7, static_cast<int64_t>(query.limit > 0 ? query.limit : -1));
  }

  // An empty query lists the filtered documents, newest issued first.
  std::vector<SearchHit> browse(const SearchQuery& query) {
    Stmt q(db_,
           "SELECT d.id, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit, "
           "coalesce((SELECT value FROM fields WHERE doc_id = d.id AND name = 'subject'), '') "
           "FROM documents d WHERE " +
               filter_sql() + " ORDER BY d.issued_date DESC, d.id DESC LIMIT ?7");
    bind_filters(q, query);
    std::vector<SearchHit> hits;
    while (q.step()) {
      hits.push_back({q.integer(0), 0.0, q.text(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    }
    return hits;
  }

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Database> Database::open(const std::filesystem::path& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace sohoa::storage
