// Database on a central PostgreSQL server (libpqxx). Behaves as the SQLite
// store (storage/sqlite_database.cpp) does, statement for statement where the
// two dialects allow; where they differ (ids from a sequence, tsvector
// search, originals in a table) the outside is kept the same.
#include "storage/postgres_database.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <tuple>
#include <unordered_map>

#include "storage/file_hash.h"
#include "storage/fold_tokenizer.h"
#include "storage/postgres_schema.h"
#include "storage/search_query.h"
#include "storage/search_rank.h"
#include "storage/snippet.h"
#include "storage/store_rules.h"
#include "text/vntext.h"

namespace sohoa::storage {
namespace {

// Any value the migration lock is known by; only sohoa takes it.
constexpr int64_t kMigrationLock = 0x50686f61;  // "Phoa"
// A tsvector position is at most 16383; later words share the last one.
constexpr int kMaxPosition = 16383;
// Meta and body are one vector; the gap keeps a phrase from spanning both.
constexpr int kBodyGap = 10;
constexpr size_t kPoolSize = 8;
constexpr size_t kFactsBatch = 50000;
constexpr size_t kRegisterChunk = 1000;
// From this many chunks on, an import rebuilds the day tallies from the
// register (about a second a million rows) rather than have each chunk's
// trigger update them (each update of a tally row in one transaction walks
// the versions the earlier ones left).
constexpr size_t kTallyRebuildChunks = 20;
// LIMIT NULL is no limit: a query's limit 0 means all.
constexpr const char* kLimit7 = "LIMIT CASE WHEN $7 > 0 THEN $7 END";

// How many documents search ranks at once (PostgresDatabase::search): all
// holding the words when at most this many do, else the newest this many.
// SOHOA_PG_SEARCH_WINDOW changes it (0: one query per tier only), so that
// tests cross the boundary on a few documents and benches compare.
int64_t search_window() {
  const char* v = std::getenv("SOHOA_PG_SEARCH_WINDOW");
  return v != nullptr && *v != '\0' ? std::max<int64_t>(0, std::atoll(v)) : 2000;
}

constexpr const char* kNowMs =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
constexpr const char* kNowS =
    "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

// --- the process's connection pool ---
class Pool {
 public:
  static Pool& instance() {
    static Pool pool;
    return pool;
  }

  // A pooled connection when `reuse` and one is idle, else a new one.
  std::unique_ptr<pqxx::connection> acquire(const std::string& url, bool reuse = true) {
    if (reuse) {
      std::lock_guard<std::mutex> lock(mutex_);
      auto& idle = idle_[url];
      while (!idle.empty()) {
        std::unique_ptr<pqxx::connection> c = std::move(idle.back());
        idle.pop_back();
        if (c->is_open()) return c;
      }
    }
    return std::make_unique<pqxx::connection>(url);
  }

  void release(const std::string& url, std::unique_ptr<pqxx::connection> c) {
    if (!c || !c->is_open()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    auto& idle = idle_[url];
    if (idle.size() < kPoolSize) idle.push_back(std::move(c));
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<pqxx::connection>>> idle_;
};

std::string txt(const pqxx::field& f) {
  return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}
int64_t num(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }
double dbl(const pqxx::field& f) { return f.is_null() ? 0.0 : f.as<double>(); }

// "YYYY-MM-DD" as the number YYYYMMDD; 0 when shorter.
int date_number(const pqxx::field& f) {
  if (f.is_null() || f.size() < 10) return 0;
  const char* t = f.c_str();
  auto digits = [&](int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  return digits(0, 4) * 10000 + digits(5, 2) * 100 + digits(8, 2);
}

// A lexeme as tsvector and tsquery input write it.
std::string quoted_lexeme(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string exact_token(std::string_view word) { return text::lower(text::nfc(word)); }

using TokenFn = std::string (*)(std::string_view);

// The words of `text` by the fold tokenizer's rule, each made a lexeme by
// `token`, with positions from `first`. Returns the position after the last.
int add_positions(std::string_view text, TokenFn token, int first,
                  std::map<std::string, std::vector<int>>& lexemes) {
  int pos = first;
  for (const TokenSpan& span : word_spans(text)) {
    std::string lexeme = token(text.substr(span.begin, span.end - span.begin));
    if (lexeme.empty()) continue;
    auto& positions = lexemes[lexeme];
    int p = std::min(pos, kMaxPosition);
    if (positions.empty() || positions.back() != p) positions.push_back(p);
    ++pos;
  }
  return pos;
}

// A tsvector literal of meta (weight A) and body (weight B), built here so
// the words are exactly those the SQLite tokenizer sees, folded (or only
// lower-cased, for exact-accent ranking) by the same code.
std::string tsvector_literal(const std::string& meta, const std::string& body, TokenFn token) {
  std::map<std::string, std::vector<int>> a, b;
  int next = add_positions(meta, token, 1, a);
  add_positions(body, token, next + kBodyGap, b);
  std::map<std::string, std::string> entries;
  for (const auto& [lexemes, weight] : {std::pair{&a, 'A'}, std::pair{&b, 'B'}}) {
    for (const auto& [lexeme, positions] : *lexemes) {
      std::string& entry = entries[lexeme];
      // PostgreSQL keeps at most 256 positions per lexeme.
      for (size_t i = 0; i < positions.size() && i < 256; ++i) {
        entry += entry.empty() ? ':' : ',';
        entry += std::to_string(positions[i]);
        entry += weight;
      }
    }
  }
  std::string out;
  for (const auto& [lexeme, positions] : entries) {
    if (!out.empty()) out += ' ';
    out += quoted_lexeme(lexeme) + positions;
  }
  return out;
}

// The query's terms as a tsquery literal: words followed by <-> in a
// phrase, a trailing prefix as :*, terms ANDed, exclusions as & !(...).
// Only the wanted terms when `positive_only`.
std::string tsquery_literal(const std::vector<QueryPhrase>& phrases, TokenFn token,
                            bool positive_only) {
  std::string wanted, unwanted;
  for (const QueryPhrase& p : phrases) {
    if (p.exclude && positive_only) continue;
    std::string phrase;
    for (size_t i = 0; i < p.words.size(); ++i) {
      std::string lexeme = token(p.words[i]);
      if (lexeme.empty()) continue;
      if (!phrase.empty()) phrase += " <-> ";
      phrase += quoted_lexeme(lexeme);
      if (p.prefix && i + 1 == p.words.size()) phrase += ":*";
    }
    if (phrase.empty()) continue;
    std::string& into = p.exclude ? unwanted : wanted;
    if (!into.empty()) into += " & ";
    into += (p.exclude ? "!(" : "(") + phrase + ")";
  }
  if (wanted.empty()) return {};
  return unwanted.empty() ? wanted : "(" + wanted + ") & " + unwanted;
}

class PostgresDatabase;

// A transaction on the store's connection, or the one already open: a
// method calling another joins its caller's transaction.
class Tx {
 public:
  explicit Tx(PostgresDatabase& db);
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit();

 private:
  PostgresDatabase& db_;
  bool owner_ = false;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const std::string& url) : url_(url), name_(redacted_url(url)) {
    // An idle pooled connection the server has closed meanwhile is only
    // found out when used: then a new one is made.
    for (int attempt = 0;; ++attempt) {
      try {
        conn_ = Pool::instance().acquire(url_, attempt == 0);
        migrate();
        return;
      } catch (const pqxx::broken_connection& e) {
        tx_.reset();
        conn_.reset();
        if (attempt > 0) {
          throw StorageError(name_ + ": cannot open database: " + first_line(e.what()));
        }
      } catch (const pqxx::failure& e) {
        throw StorageError(name_ + ": cannot open database: " + first_line(e.what()));
      }
    }
  }

  ~PostgresDatabase() override {
    tx_.reset();
    Pool::instance().release(url_, std::move(conn_));
  }

  // --- units ---
  void upsert_units(const std::vector<Unit>& units) override {
    guard([&] {
      Tx tx(*this);
      for (const Unit& u : units) {
        x("INSERT INTO units(code, name, level, parent, valid_from, valid_to, successor) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET "
          "name = excluded.name, level = excluded.level, parent = excluded.parent, "
          "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
          "successor = excluded.successor",
          u.code, text::nfc(u.name), u.level, u.parent, u.valid_from, u.valid_to, u.successor);
      }
      rebuild_lineage();
      x("UPDATE register_rows SET level = "
        "coalesce((SELECT level FROM units WHERE code = register_rows.unit), '')");
      rebuild_matches();
      tx.commit();
    });
  }

  std::vector<std::string> successors_of(const std::string& code) override {
    return guard([&] { return successor_chain(successor_links(), code); });
  }

  std::vector<std::string> predecessors_of(const std::string& code) override {
    return guard([&] {
      std::vector<std::string> out;
      for (const auto& r : x("SELECT unit FROM unit_lineage WHERE descendant = $1 AND unit <> $1 "
                             "ORDER BY unit COLLATE \"C\"",
                             code)) {
        out.push_back(txt(r[0]));
      }
      return out;
    });
  }

  std::vector<Unit> units() override {
    return guard([&] {
      std::vector<Unit> out;
      for (const auto& r :
           x("SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
             "ORDER BY code COLLATE \"C\"")) {
        out.push_back(unit_from(r));
      }
      return out;
    });
  }

  std::optional<Unit> unit(const std::string& code) override {
    return guard([&]() -> std::optional<Unit> {
      auto r =
          x("SELECT code, name, level, parent, valid_from, valid_to, successor FROM units "
            "WHERE code = $1",
            code);
      if (r.empty()) return std::nullopt;
      return unit_from(r[0]);
    });
  }

  // --- documents ---
  std::optional<Existing> find_by_sha256(const std::string& sha256) override {
    return guard([&]() -> std::optional<Existing> {
      auto r =
          x("SELECT id, status, (SELECT count(*) FROM pages WHERE doc_id = documents.id) "
            "FROM documents WHERE sha256 = $1",
            sha256);
      if (r.empty()) return std::nullopt;
      return Existing{num(r[0][0]), txt(r[0][1]), static_cast<int>(num(r[0][2]))};
    });
  }

  int64_t store_document(const NewDocument& doc) override {
    return store_document_with_corrections(doc, {});
  }

  int64_t store_documents(const std::function<bool(NewDocument&)>& next) override {
    return guard([&] {
      Tx tx(*this);
      int64_t stored = 0;
      NewDocument doc;
      while (next(doc)) {
        store_document_with_corrections(doc, {});
        ++stored;
        doc = NewDocument{};
      }
      tx.commit();
      return stored;
    });
  }

  void in_one_transaction(const std::function<void()>& work) override {
    guard([&] {
      Tx tx(*this);
      work();
      tx.commit();
    });
  }

  std::optional<StoredDocument> document(int64_t id) override {
    return guard([&]() -> std::optional<StoredDocument> {
      Tx tx(*this);
      auto r =
          x("SELECT id, sha256, source, station, unit, issuer_unit, level, digitized_at, status, "
            "error, archive_sha256 FROM documents WHERE id = $1",
            id);
      if (r.empty()) return std::nullopt;
      StoredDocument d;
      d.id = num(r[0][0]);
      d.sha256 = txt(r[0][1]);
      d.source = txt(r[0][2]);
      d.station = txt(r[0][3]);
      d.unit = txt(r[0][4]);
      d.issuer_unit = txt(r[0][5]);
      d.level = txt(r[0][6]);
      d.digitized_at = txt(r[0][7]);
      d.status = txt(r[0][8]);
      d.error = txt(r[0][9]);
      d.archive_sha256 = txt(r[0][10]);
      d.fields = effective_fields(id);
      d.pages = read_pages(id);
      return d;
    });
  }

  std::vector<int64_t> resolve(const std::string& ref) override {
    return guard([&] {
      std::vector<int64_t> out;
      DocRef parsed = parse_doc_ref(ref);
      if (parsed.kind == DocRef::kId) {
        for (const auto& r : x("SELECT id FROM documents WHERE id = $1", parsed.id)) {
          out.push_back(num(r[0]));
        }
      } else if (parsed.kind == DocRef::kShaPrefix) {
        // The prefix is hex only (parse_doc_ref), so LIKE sees no wildcard.
        for (const auto& r : x("SELECT id FROM documents WHERE sha256 LIKE $1 ORDER BY id",
                               parsed.sha_prefix + "%")) {
          out.push_back(num(r[0]));
        }
      }
      return out;
    });
  }

  std::vector<int64_t> document_ids() override {
    return guard([&] {
      std::vector<int64_t> out;
      for (const auto& r : x("SELECT id FROM documents ORDER BY id")) out.push_back(num(r[0]));
      return out;
    });
  }

  Deletion delete_document(int64_t id, const std::string& reason, const std::string& by) override {
    return guard([&] {
      Tx tx(*this);
      auto r = x(
          "SELECT sha256, source, status, doc_number FROM documents WHERE id = $1 FOR UPDATE", id);
      if (r.empty()) throw InputError("no document with id " + std::to_string(id));
      Deletion gone{id,           txt(r[0][0]),      txt(r[0][1]), txt(r[0][2]),
                    txt(r[0][3]), text::nfc(reason), by,           ""};
      std::vector<int64_t> rows = linked("SELECT row_id FROM matches WHERE doc_id = $1", id);
      // Pages, fields, corrections, matches and search rows go with it.
      x("DELETE FROM documents WHERE id = $1", id);
      for (int64_t row : rows) refresh_row_digitized(row);
      auto at = x(std::string("INSERT INTO deletions(doc_id, sha256, source, status, doc_number, "
                              "reason, \"by\", at) VALUES ($1, $2, $3, $4, $5, $6, $7, ") +
                      kNowMs + ") RETURNING at",
                  id, gone.sha256, gone.source, gone.status, gone.doc_number, gone.reason, by);
      gone.at = txt(at[0][0]);
      tx.commit();
      return gone;
    });
  }

  std::vector<Deletion> deletions() override {
    return guard([&] {
      std::vector<Deletion> out;
      for (const auto& r : x("SELECT doc_id, sha256, source, status, doc_number, reason, \"by\", "
                             "at FROM deletions ORDER BY id")) {
        out.push_back({num(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5]), txt(r[6]),
                       txt(r[7])});
      }
      return out;
    });
  }

  bool archive_in_use(const std::string& archive_sha256) override {
    return guard([&] {
      auto r =
          x("SELECT EXISTS (SELECT 1 FROM documents WHERE archive_sha256 = $1)", archive_sha256);
      return r[0][0].as<bool>();
    });
  }

  std::vector<DocumentSummary> list_documents(const ListQuery& query) override {
    return guard([&] {
      std::vector<DocumentSummary> out;
      auto r =
          x("SELECT id, status, doc_number, issued_date, doc_type, issuer_unit, source "
            "FROM documents WHERE ($1 = '' OR status = $1) AND ($2 = '' OR issuer_unit = $2) "
            "AND id > $4 ORDER BY id LIMIT CASE WHEN $3 > 0 THEN $3 END",
            query.status, query.unit, static_cast<int64_t>(query.limit), query.after_id);
      for (const auto& row : r) {
        out.push_back({num(row[0]), txt(row[1]), txt(row[2]), txt(row[3]), txt(row[4]), txt(row[5]),
                       txt(row[6])});
      }
      return out;
    });
  }

  int64_t count_documents(const ListQuery& query) override {
    return guard([&] {
      auto r =
          x("SELECT count(*) FROM documents WHERE ($1 = '' OR status = $1) "
            "AND ($2 = '' OR issuer_unit = $2)",
            query.status, query.unit);
      return num(r[0][0]);
    });
  }

  // --- review ---
  int undo_corrections(int64_t id, const std::string& field, const std::string& by) override {
    return guard([&] {
      Tx tx(*this);
      require_document(id);
      auto r = x(std::string("UPDATE corrections SET undone_by = $3, undone_at = ") + kNowMs +
                     " WHERE doc_id = $1 AND field = $2 AND undone_at = ''",
                 id, field, by);
      int undone = static_cast<int>(r.affected_rows());
      if (undone > 0) refresh_effective(id);
      tx.commit();
      return undone;
    });
  }

  void add_correction(int64_t id, const std::string& field, const std::string& value,
                      const std::string& by) override {
    guard([&] {
      Tx tx(*this);
      require_document(id);
      x(std::string("INSERT INTO corrections(doc_id, field, value, \"by\", at) "
                    "VALUES ($1, $2, $3, $4, ") +
            kNowMs + ")",
        id, field, text::nfc(value), by);
      refresh_effective(id);
      tx.commit();
    });
  }

  void replace_extraction(int64_t id, const std::vector<Field>& fields,
                          const std::string& issuer_unit, const std::string& level,
                          const std::string& status,
                          const std::vector<std::string>& review_reasons) override {
    if (!valid_status(status)) throw InputError("invalid document status: " + status);
    guard([&] {
      Tx tx(*this);
      require_document(id);
      x("DELETE FROM fields WHERE doc_id = $1", id);
      write_fields(id, fields);
      x("UPDATE documents SET issuer_unit = $2, level = $3, status = $4, review_reasons = $5 "
        "WHERE id = $1",
        id, issuer_unit, level, status, json_list(review_reasons));
      refresh_effective(id);
      tx.commit();
    });
  }

  std::vector<ReviewItem> review_queue() override {
    return guard([&] {
      Tx tx(*this);
      bool have_register = register_size() > 0;
      std::vector<ReviewItem> out;
      for (const auto& r :
           x("SELECT id, source, status, error, review_reasons, matched, unit, issuer_unit "
             "FROM documents WHERE status IN ('review', 'failed') "
             "OR ($1 AND status = 'ok' AND NOT matched) ORDER BY id",
             have_register)) {
        ReviewItem item{num(r[0]), txt(r[1]), txt(r[2]), parse_json_list(txt(r[4])),
                        txt(r[6]), txt(r[7])};
        if (item.status == "failed" && item.reasons.empty()) {
          item.reasons.push_back(txt(r[3]).empty() ? "failed" : txt(r[3]));
        }
        if (have_register && item.status != "failed" && !r[5].as<bool>()) {
          item.reasons.push_back("no register match");
        }
        out.push_back(std::move(item));
      }
      return out;
    });
  }

  // --- register and progress ---
  RegisterCounts upsert_register_rows(const std::function<bool(RegisterRow&)>& next) override {
    return guard([&] {
      Tx tx(*this);
      RegisterCounts counts;
      RegisterRow row;
      bool have_documents = !x("SELECT 1 FROM documents LIMIT 1").empty();
      std::vector<RegisterRow> chunk;
      size_t chunks = 0;
      auto flush = [&] {
        // A big import rebuilds the day tallies once at the end instead.
        if (++chunks == kTallyRebuildChunks) {
          x("SELECT set_config('sohoa.tally_rebuild', '1', true)");
        }
        upsert_register_chunk(chunk, have_documents, counts);
        chunk.clear();
      };
      while (next(row)) {
        chunk.push_back(std::move(row));
        row = RegisterRow{};
        if (chunk.size() >= kRegisterChunk) flush();
      }
      flush();
      if (chunks >= kTallyRebuildChunks) {
        // Writers wait (readers do not) so that none adds to a tally row
        // the rebuild counts anew.
        x("LOCK TABLE register_day_tally IN EXCLUSIVE MODE");
        x("DELETE FROM register_day_tally");
        x(register_day_tally_rebuild());
        x("SELECT set_config('sohoa.tally_rebuild', '', true)");
      }
      tx.commit();
      return counts;
    });
  }

  int64_t register_size() override {
    return guard([&] { return num(x("SELECT count(*) FROM register_rows")[0][0]); });
  }

  RegisterFacts register_facts(const std::vector<std::string>& units) override {
    return guard([&] {
      Tx tx(*this);
      RegisterFacts facts;
      // A cursor: a province's register is millions of rows.
      x("DECLARE facts NO SCROLL CURSOR FOR SELECT unit, issued_date, valid_until, "
        "coalesce(digitized_at, '') FROM register_rows "
        "ORDER BY unit COLLATE \"C\", issued_date, valid_until, digitized_at");
      std::string current;
      bool first = true;
      bool wanted = false;
      for (;;) {
        pqxx::result batch = x("FETCH " + std::to_string(kFactsBatch) + " FROM facts");
        for (const auto& r : batch) {
          std::string_view unit(r[0].c_str(), r[0].size());
          if (first || unit != current) {
            first = false;
            current = unit;
            wanted = units.empty() || std::find(units.begin(), units.end(), current) != units.end();
            if (wanted) facts.units.push_back(current);
          }
          if (!wanted) continue;
          int index = static_cast<int>(facts.units.size()) - 1;
          facts.rows.push_back({index, date_number(r[1]), date_number(r[2]), date_number(r[3])});
        }
        if (batch.size() < kFactsBatch) break;
      }
      x("CLOSE facts");
      return facts;
    });
  }

  std::vector<RegisterTally> register_tallies(const std::vector<std::string>& units,
                                              const TallyDays& days_for) override {
    return guard([&] {
      Tx tx(*this);
      // JIT compiling the one scan costs more than it saves (~130 ms).
      x("SELECT set_config('jit', 'off', true)");
      std::vector<RegisterTally> out = register_units(units);
      std::vector<int> days = days_for(out);
      for (RegisterTally& t : out) {
        t.valid.assign(days.size(), 0);
        t.digitized.assign(days.size(), 0);
      }
      if (!days.empty() && !out.empty()) count_at_days(units, days, out);
      tx.commit();
      return out;
    });
  }

  PendingRows undigitized_rows(const std::vector<std::string>& units, const std::string& as_of,
                               int limit) override {
    // The conditions compute_progress applies to each register fact.
    const std::string where =
        " FROM register_rows WHERE ($1 = '' OR unit IN (SELECT "
        "jsonb_array_elements_text($1::jsonb))) "
        "AND issued_date <= $2 AND (valid_until = '' OR valid_until >= $2) "
        "AND (digitized_at IS NULL OR digitized_at = '' OR substr(digitized_at, 1, 10) > $2)";
    std::string unit_list = units.empty() ? std::string() : json_list(units);
    return guard([&] {
      Tx tx(*this);
      PendingRows out;
      out.total = num(x("SELECT count(*)" + where, unit_list, as_of)[0][0]);
      // LIMIT ALL is NULL in a parameter.
      std::optional<int64_t> cap;
      if (limit > 0) cap = limit;
      for (const auto& r : x("SELECT unit, doc_number, issued_date, valid_until, dossier_code, "
                             "procedure_code, doc_type, title" +
                                 where +
                                 " ORDER BY issued_date COLLATE \"C\" DESC, unit COLLATE \"C\", "
                                 "doc_number COLLATE \"C\" LIMIT $3",
                             unit_list, as_of, cap)) {
        out.rows.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5]),
                            txt(r[6]), txt(r[7])});
      }
      tx.commit();
      return out;
    });
  }

  std::vector<UnmatchedDocument> unmatched_documents(const std::string& as_of) override {
    return guard([&] {
      std::vector<UnmatchedDocument> out;
      for (const auto& r :
           x("SELECT id, source, doc_number, issued_date, issuer_unit, level, digitized_at "
             "FROM documents WHERE NOT matched AND status IN ('ok', 'review') "
             "AND ($1 = '' OR digitized_at <= $1) ORDER BY id",
             as_of)) {
        out.push_back(
            {num(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5]), txt(r[6])});
      }
      return out;
    });
  }

  // --- station merge ---
  std::optional<NewDocument> document_as_stored(int64_t id) override {
    return guard([&]() -> std::optional<NewDocument> {
      Tx tx(*this);
      auto r =
          x("SELECT sha256, source, station, unit, issuer_unit, level, digitized_at, status, "
            "error, review_reasons, archive_sha256 FROM documents WHERE id = $1",
            id);
      if (r.empty()) return std::nullopt;
      NewDocument d;
      d.sha256 = txt(r[0][0]);
      d.source = txt(r[0][1]);
      d.station = txt(r[0][2]);
      d.unit = txt(r[0][3]);
      d.issuer_unit = txt(r[0][4]);
      d.level = txt(r[0][5]);
      d.digitized_at = txt(r[0][6]);
      d.status = txt(r[0][7]);
      d.error = txt(r[0][8]);
      d.review_reasons = parse_json_list(txt(r[0][9]));
      d.archive_sha256 = txt(r[0][10]);
      for (const auto& f : x("SELECT name, value, confidence FROM fields WHERE doc_id = $1 "
                             "ORDER BY name COLLATE \"C\"",
                             id)) {
        d.fields.push_back({txt(f[0]), txt(f[1]), dbl(f[2])});
      }
      d.pages = read_pages(id);
      return d;
    });
  }

  std::vector<Correction> corrections(int64_t id) override {
    return guard([&] {
      std::vector<Correction> out;
      for (const auto& r : x("SELECT field, value, \"by\", at FROM corrections "
                             "WHERE doc_id = $1 AND undone_at = '' ORDER BY id",
                             id)) {
        out.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), "", ""});
      }
      return out;
    });
  }

  std::vector<Correction> correction_history(int64_t id) override {
    return guard([&] {
      std::vector<Correction> out;
      for (const auto& r : x("SELECT field, value, \"by\", at, undone_by, undone_at "
                             "FROM corrections WHERE doc_id = $1 ORDER BY id",
                             id)) {
        out.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5])});
      }
      return out;
    });
  }

  int64_t store_document_with_corrections(const NewDocument& doc,
                                          const std::vector<Correction>& corrections) override {
    if (!valid_status(doc.status)) throw InputError("invalid document status: " + doc.status);
    return guard([&] {
      Tx tx(*this);
      int64_t id = doc.replaces_failed.empty() ? insert_new_document(doc, corrections) : 0;
      if (id != 0) {
        tx.commit();
        return id;
      }
      auto existing = find_by_sha256(doc.sha256);
      if (!existing && !doc.replaces_failed.empty()) {
        existing = find_by_sha256(doc.replaces_failed);
        if (existing && existing->status != "failed") existing.reset();
      }
      if (existing) {
        if (existing->status != "failed") {
          throw StorageError(name_ + ": document " + doc.sha256 + " already stored as id " +
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
      write_corrections(id, corrections);
      refresh_effective(id);
      tx.commit();
      return id;
    });
  }

  int import_corrections(int64_t id, const std::vector<Correction>& corrections) override {
    return guard([&] {
      Tx tx(*this);
      require_document(id);
      int changed = 0;
      for (const Correction& c : corrections) {
        std::string value = text::nfc(c.value);
        auto r =
            x("INSERT INTO corrections(doc_id, field, value, \"by\", at, undone_by, undone_at) "
              "SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM "
              "corrections WHERE doc_id = $1 AND field = $2 AND value = $3 AND "
              "\"by\" = $4 AND at = $5)",
              id, c.field, value, c.by, c.at, c.undone_by, c.undone_at);
        changed += static_cast<int>(r.affected_rows());
        if (c.undone_at.empty()) continue;
        auto u =
            x("UPDATE corrections SET undone_by = $6, undone_at = $7 WHERE doc_id = $1 AND "
              "field = $2 AND value = $3 AND \"by\" = $4 AND at = $5 AND undone_at = ''",
              id, c.field, value, c.by, c.at, c.undone_by, c.undone_at);
        changed += static_cast<int>(u.affected_rows());
      }
      if (changed > 0) refresh_effective(id);
      tx.commit();
      return changed;
    });
  }

  // --- certified copies ---
  void add_certification(const Certification& c) override {
    guard([&] {
      Tx tx(*this);
      require_document(c.doc_id);
      x(std::string("INSERT INTO certifications(doc_id, \"by\", at, signer, cert_sha256, "
                    "pdf_sha256) VALUES ($1, $2, ") +
            kNowMs + ", $3, $4, $5)",
        c.doc_id, c.by, text::nfc(c.signer), c.cert_sha256, c.pdf_sha256);
      tx.commit();
    });
  }

  std::vector<Certification> certifications(int64_t id) override {
    return guard([&] {
      std::vector<Certification> out;
      for (const auto& r : x("SELECT doc_id, \"by\", at, signer, cert_sha256, pdf_sha256 "
                             "FROM certifications WHERE doc_id = $1 ORDER BY id",
                             id)) {
        out.push_back({num(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5])});
      }
      return out;
    });
  }

  // --- search ---
  // Hits in the order of storage/search_rank.h, as the SQLite store finds
  // them. Cheapest first, each exact or declining:
  //   1. the tiers over the newest search_window_ documents only, taken
  //      when they fill the limit and no older document can come before
  //      them (search_newest): common words, a few milliseconds;
  //   2. few documents hold all the words (the GIN index yields at most
  //      search_window_): rank just those (search_candidates);
  //   3. one query per tier, newest first, leaving out what an earlier tier
  //      took; a tier is asked only while hits are missing (search_by_tier).
  // Planned for the words at hand each time (x_planned): a GIN index for a
  // rare word, the ids backwards for a common one.
  std::vector<SearchHit> search(const SearchQuery& query) override {
    FtsQuery fts = translate_query(query.text);
    if (fts.blank) return guard([&] { return browse(query); });
    if (fts.match.empty()) return {};
    SearchTerms terms;
    terms.folded = tsquery_literal(fts.phrases, fold_token, false);
    if (terms.folded.empty()) return {};
    terms.exact = tsquery_literal(fts.phrases, exact_token, true);
    terms.wanted = tsquery_literal(fts.phrases, fold_token, true);
    terms.accented = text::has_accents(query.text) && !terms.exact.empty();
    terms.prefix = std::any_of(fts.phrases.begin(), fts.phrases.end(),
                               [](const QueryPhrase& p) { return p.prefix && !p.exclude; });
    return guard([&] {
      std::optional<TierOrder> order = search_newest(terms, query);
      if (!order) order = search_candidates(terms, query);
      if (!order) order = search_by_tier(terms, query, "");
      return hits_for(*order, fts.phrases);
    });
  }

  // The tsqueries of a search: `folded` every term folded with the
  // exclusions (what a hit must match), `wanted` and `exact` the wanted
  // terms folded and with their accents; `accented`: tiers 0 and 1 apply;
  // `prefix`: a wanted term ends in * (the planner misjudges those).
  struct SearchTerms {
    std::string folded, wanted, exact;
    bool accented = false;
    bool prefix = false;
  };
  using TierOrder = std::vector<std::pair<int, int64_t>>;  // (tier, id), best first

  // A ranking statement run with the parameters every one takes: $1 the
  // folded match, $2..$6 the filters, $7 the limit, $8 the wanted terms
  // folded, $9 with their accents (only when `terms.accented`).
  pqxx::result ranked(const std::string& sql, const SearchTerms& terms, const SearchQuery& query) {
    if (terms.accented) {
      return x_planned(sql, terms.folded, query.unit, query.level, year_of(query), type_of(query),
                       within_of(query), limit_of(query), terms.wanted, terms.exact);
    }
    return x_planned(sql, terms.folded, query.unit, query.level, year_of(query), type_of(query),
                     within_of(query), limit_of(query), terms.wanted);
  }

  // A match's tier (storage/search_rank.h) as SQL, for a row `s` that
  // matches $1.
  static std::string tier_sql(const SearchTerms& terms) {
    std::string sql = "CASE ";
    if (terms.accented) {
      sql +=
          "WHEN ts_filter(s.exact, '{a}') @@ $9::tsquery THEN 0 "
          "WHEN s.exact @@ $9::tsquery THEN 1 ";
    }
    return sql + "WHEN ts_filter(s.folded, '{a}') @@ $8::tsquery THEN 2 ELSE 3 END";
  }

  // The matches of $1 passing the filters and `where`, best first, at most
  // the limit: ranked in full, so only for a set the index keeps small.
  pqxx::result ranked_matches(const SearchTerms& terms, const SearchQuery& query,
                              const std::string& from, const std::string& where) {
    return ranked("SELECT d.id, " + tier_sql(terms) + " AS tier FROM " + from +
                      " JOIN documents d ON d.id = s.doc_id WHERE s.folded @@ $1::tsquery AND " +
                      filter_sql() + where + " ORDER BY tier, d.id DESC " + kLimit7,
                  terms, query);
  }

  static TierOrder tier_order(const pqxx::result& r) {
    TierOrder order;
    for (const auto& row : r) order.emplace_back(static_cast<int>(num(row[1])), num(row[0]));
    return order;
  }

  // Step 2: when at most search_window_ documents hold all the words, rank
  // them all; else nothing (the count stops one past the window).
  std::optional<TierOrder> search_candidates(const SearchTerms& terms, const SearchQuery& query) {
    if (search_window_ <= 0) return std::nullopt;
    int64_t held =
        num(x_planned("SELECT count(*) FROM (SELECT 1 FROM search_index s WHERE "
                      "s.folded @@ $1::tsquery LIMIT $2) c",
                      terms.folded, search_window_ + 1)[0][0]);
    if (held > search_window_) return std::nullopt;
    if (held == 0) return TierOrder{};
    return tier_order(ranked_matches(terms, query, "search_index s", ""));
  }

  // Step 1: the limit's best among the newest search_window_ documents, one
  // query per tier bounded to them (each walks at most those rows).
  // An older document only comes before the last of them if it is in a
  // better tier (same tier: older comes after), so those are asked (few:
  // they are in the metadata or have the exact accents, where the newest
  // had too few) and merged in. Nothing when the newest hold fewer hits
  // than the limit.
  std::optional<TierOrder> search_newest(const SearchTerms& terms, const SearchQuery& query) {
    if (search_window_ <= 0 || query.limit <= 0) return std::nullopt;
    // The window as a range of ids, so that the planner walks those rows
    // by the primary key rather than the index's many matches.
    int64_t window_start =
        num(x("SELECT coalesce(min(doc_id), 0) FROM (SELECT doc_id FROM search_index "
              "ORDER BY doc_id DESC LIMIT $1) w",
              search_window_)[0][0]);
    std::string since = std::to_string(window_start);
    // A prefix ("quy*") is estimated at a few thousand documents when it
    // may be in nearly all, and the GIN index then gathers every one of
    // them (~115 ms on 200,000) to keep a few in the window: walking the
    // window's rows by the primary key costs at most search_window_ checks.
    auto in_window = [&] { return search_by_tier(terms, query, " AND s.doc_id >= " + since); };
    TierOrder order = terms.prefix ? walking_ids(in_window) : in_window();
    if (static_cast<int64_t>(order.size()) < query.limit) return std::nullopt;
    std::string better = better_tier_sql(terms, order.back().first);
    if (better.empty()) return order;
    // The older documents of a better tier, found from the better tier's
    // own index (metadata words, exact accents: few) before the whole
    // match is checked; the fence (OFFSET 0) keeps the planner from
    // starting at the folded match's index, which for a prefix or a common
    // word gathers nearly every document (~35-50 ms on 200,000).
    TierOrder older = tier_order(ranked_matches(terms, query,
                                                "(SELECT * FROM search_index s WHERE s.doc_id < " +
                                                    since + " AND (" + better + ") OFFSET 0) s",
                                                ""));
    if (older.empty()) return order;
    order.insert(order.end(), older.begin(), older.end());
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    order.resize(static_cast<size_t>(query.limit));
    return order;
  }

  // SQL true for a match of a tier better than `tier`; empty when none is.
  static std::string better_tier_sql(const SearchTerms& terms, int tier) {
    if (!terms.accented)
      return tier > kTierInMeta ? "ts_filter(s.folded, '{a}') @@ $8::tsquery" : "";
    switch (tier) {
      case kTierExactInMeta:
        return "";
      case kTierExact:
        return "ts_filter(s.exact, '{a}') @@ $9::tsquery";
      case kTierInMeta:
        return "s.exact @@ $9::tsquery";
      default:
        return "s.exact @@ $9::tsquery OR ts_filter(s.folded, '{a}') @@ $8::tsquery";
    }
  }

  // Step 3: one query per tier of storage/search_rank.h, among the
  // documents `where` (SQL on `s`) keeps.
  TierOrder search_by_tier(const SearchTerms& terms, const SearchQuery& query,
                           const std::string& where) {
    struct Tier {
      int tier;
      const char* where;  // $1: `tsquery`
      std::string tsquery;
      const char* check;  // $9: the whole folded match, for all but the last tier
    };
    std::vector<Tier> tiers;
    const char* checked = " AND s.folded @@ $9::tsquery";  // the exclusions
    if (terms.accented) {
      tiers.push_back(
          {kTierExactInMeta, "ts_filter(s.exact, '{a}') @@ $1::tsquery", terms.exact, checked});
      tiers.push_back({kTierExact, "s.exact @@ $1::tsquery", terms.exact, checked});
    }
    tiers.push_back(
        {kTierInMeta, "ts_filter(s.folded, '{a}') @@ $1::tsquery", terms.wanted, checked});
    tiers.push_back({kTierAnywhere, "s.folded @@ $1::tsquery", terms.folded, ""});
    TierOrder order;
    std::string taken;  // bigint[] literal of their ids
    for (const Tier& t : tiers) {
      int64_t missing = query.limit > 0 ? query.limit - static_cast<int64_t>(order.size()) : 0;
      if (query.limit > 0 && missing <= 0) break;
      std::string sql = std::string(
                            "SELECT d.id FROM search_index s JOIN documents d ON d.id = s.doc_id "
                            "WHERE ") +
                        t.where + t.check + " AND " + filter_sql() + where +
                        " AND NOT (d.id = ANY($8::bigint[])) ORDER BY d.id DESC " + kLimit7;
      std::string ids = "{" + taken + "}";
      pqxx::result r = *t.check != '\0'
                           ? x_planned(sql, t.tsquery, query.unit, query.level, year_of(query),
                                       type_of(query), within_of(query), missing, ids, terms.folded)
                           : x_planned(sql, t.tsquery, query.unit, query.level, year_of(query),
                                       type_of(query), within_of(query), missing, ids);
      for (const auto& row : r) {
        order.emplace_back(t.tier, num(row[0]));
        taken += (taken.empty() ? "" : ",") + std::to_string(order.back().second);
      }
    }
    return order;
  }

  // The hits of `order` (tier, id), in that order, with snippets.
  std::vector<SearchHit> hits_for(const std::vector<std::pair<int, int64_t>>& order,
                                  const std::vector<QueryPhrase>& phrases) {
    if (order.empty()) return {};
    std::string ids;
    for (const auto& key : order) ids += (ids.empty() ? "" : ",") + std::to_string(key.second);
    auto r =
        x("SELECT d.id, s.meta, s.body, d.doc_number, d.issued_date, d.doc_type, "
          "d.issuer_unit FROM search_index s JOIN documents d ON d.id = s.doc_id "
          "WHERE d.id = ANY($1::bigint[])",
          "{" + ids + "}");
    std::unordered_map<int64_t, SearchHit> found;
    for (const auto& row : r) {
      int64_t id = num(row[0]);
      found[id] = {id,
                   0.0,
                   txt(row[3]),
                   txt(row[4]),
                   txt(row[5]),
                   txt(row[6]),
                   make_snippet(txt(row[1]), txt(row[2]), phrases)};
    }
    return in_tier_order(order, std::move(found));
  }

  // `run` with x_planned's statements planned without bitmap scans, so
  // without the GIN indexes (they give only bitmaps): by the ids instead.
  // Outside a transaction of the caller's only (inside one, as planned).
  TierOrder walking_ids(const std::function<TierOrder()>& run) {
    if (tx_) return run();
    pqxx::work work(*conn_);
    work.exec("SET LOCAL enable_bitmapscan = off");
    walking_ = &work;
    struct Restore {
      pqxx::work*& slot;
      ~Restore() { slot = nullptr; }
    } restore{walking_};
    TierOrder result = run();
    work.commit();
    return result;
  }

  // A statement planned for its values each time, not prepared: the plan
  // of a search depends on its words (GIN index for a rare one, the ids
  // backwards for a common one), which a generic plan cannot know.
  template <typename... Args>
  pqxx::result x_planned(const std::string& sql, Args&&... args) {
    if (tx_) return tx_->exec_params(sql, std::forward<Args>(args)...);
    if (walking_) return walking_->exec_params(sql, std::forward<Args>(args)...);
    pqxx::nontransaction once(*conn_);
    return once.exec_params(sql, std::forward<Args>(args)...);
  }

  std::vector<DocumentSummary> documents_of_citizen(const std::string& citizen_id) override {
    bool digits = std::all_of(citizen_id.begin(), citizen_id.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (citizen_id.size() != 9 && citizen_id.size() != 12)) return {};
    return guard([&] {
      // The index narrows to documents mentioning the number; the effective
      // citizen_ids (latest correction, else extraction) decide.
      auto r =
          x("SELECT d.id, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit, "
            "coalesce((SELECT value FROM corrections c WHERE c.doc_id = d.id AND "
            "c.field = 'citizen_ids' ORDER BY c.id DESC LIMIT 1), (SELECT value FROM fields f "
            "WHERE f.doc_id = d.id AND f.name = 'citizen_ids'), '[]') AS ids "
            "FROM documents d JOIN search_index s ON s.doc_id = d.id "
            "WHERE s.folded @@ $1::tsquery AND d.status IN ('ok', 'review') ORDER BY d.id",
            quoted_lexeme(citizen_id));
      std::vector<DocumentSummary> out;
      for (const auto& row : r) {
        std::vector<std::string> ids = parse_json_list(txt(row[5]));
        if (std::find(ids.begin(), ids.end(), citizen_id) == ids.end()) continue;
        DocumentSummary d;
        d.id = num(row[0]);
        d.doc_number = txt(row[1]);
        d.issued_date = txt(row[2]);
        d.doc_type = txt(row[3]);
        d.unit = txt(row[4]);
        out.push_back(std::move(d));
      }
      return out;
    });
  }

  int64_t data_generation() override {
    return guard([&] { return num(x("SELECT sum(n)::bigint FROM data_generation")[0][0]); });
  }

  // --- users, sessions, API tokens, audit log ---
  void add_user(const User& u) override {
    guard([&] {
      Tx tx(*this);
      if (!x("SELECT 1 FROM users WHERE name = $1", u.name).empty()) {
        throw InputError("user '" + u.name + "' already exists");
      }
      x(std::string("INSERT INTO users(name, role, unit, password_hash, created_at) "
                    "VALUES ($1, $2, $3, $4, ") +
            kNowS + ")",
        u.name, u.role, u.unit, u.password_hash);
      tx.commit();
    });
  }

  std::optional<User> user(const std::string& name) override {
    return guard([&]() -> std::optional<User> {
      auto r =
          x("SELECT name, role, unit, password_hash, created_at FROM users WHERE name = $1", name);
      if (r.empty()) return std::nullopt;
      return User{txt(r[0][0]), txt(r[0][1]), txt(r[0][2]), txt(r[0][3]), txt(r[0][4])};
    });
  }

  std::vector<User> users() override {
    return guard([&] {
      std::vector<User> out;
      for (const auto& r : x("SELECT name, role, unit, password_hash, created_at FROM users "
                             "ORDER BY name COLLATE \"C\"")) {
        out.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4])});
      }
      return out;
    });
  }

  bool set_password(const std::string& name, const std::string& password_hash) override {
    return guard([&] {
      Tx tx(*this);
      auto r = x("UPDATE users SET password_hash = $2 WHERE name = $1", name, password_hash);
      bool changed = r.affected_rows() > 0;
      // A new password ends the sessions opened with the old one.
      x("DELETE FROM sessions WHERE \"user\" = $1", name);
      tx.commit();
      return changed;
    });
  }

  bool remove_user(const std::string& name) override {
    return guard([&] {
      Tx tx(*this);
      x("DELETE FROM sessions WHERE \"user\" = $1", name);
      bool removed = x("DELETE FROM users WHERE name = $1", name).affected_rows() > 0;
      tx.commit();
      return removed;
    });
  }

  void add_token(const ApiToken& t) override {
    guard([&] {
      Tx tx(*this);
      if (!x("SELECT 1 FROM api_tokens WHERE name = $1", t.name).empty()) {
        throw InputError("token '" + t.name + "' already exists");
      }
      x(std::string("INSERT INTO api_tokens(name, scope, unit, token_hash, created_at) "
                    "VALUES ($1, $2, $3, $4, ") +
            kNowS + ")",
        t.name, t.scope, t.unit, t.token_hash);
      tx.commit();
    });
  }

  std::optional<ApiToken> token_by_hash(const std::string& token_hash) override {
    return guard([&]() -> std::optional<ApiToken> {
      auto r = x(
          "SELECT name, scope, unit, token_hash, created_at FROM api_tokens WHERE token_hash = $1",
          token_hash);
      if (r.empty()) return std::nullopt;
      return ApiToken{txt(r[0][0]), txt(r[0][1]), txt(r[0][2]), txt(r[0][3]), txt(r[0][4])};
    });
  }

  std::vector<ApiToken> tokens() override {
    return guard([&] {
      std::vector<ApiToken> out;
      for (const auto& r : x("SELECT name, scope, unit, token_hash, created_at FROM api_tokens "
                             "ORDER BY name COLLATE \"C\"")) {
        out.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4])});
      }
      return out;
    });
  }

  bool revoke_token(const std::string& name) override {
    return guard([&] {
      Tx tx(*this);
      bool gone = x("DELETE FROM api_tokens WHERE name = $1", name).affected_rows() > 0;
      tx.commit();
      return gone;
    });
  }

  void add_session(const Session& session) override {
    guard([&] {
      Tx tx(*this);
      x("INSERT INTO sessions(id_hash, \"user\", csrf, expires_at) VALUES ($1, $2, $3, $4)",
        session.id_hash, session.user, session.csrf, session.expires_at);
      tx.commit();
    });
  }

  std::optional<Session> session(const std::string& id_hash, int64_t now) override {
    return guard([&]() -> std::optional<Session> {
      auto r =
          x("SELECT id_hash, \"user\", csrf, expires_at FROM sessions "
            "WHERE id_hash = $1 AND expires_at > $2",
            id_hash, now);
      if (r.empty()) return std::nullopt;
      return Session{txt(r[0][0]), txt(r[0][1]), txt(r[0][2]), num(r[0][3])};
    });
  }

  void remove_session(const std::string& id_hash, int64_t now) override {
    guard([&] {
      Tx tx(*this);
      x("DELETE FROM sessions WHERE id_hash = $1 OR expires_at <= $2", id_hash, now);
      tx.commit();
    });
  }

  void append_audit(const std::string& user, const std::string& action,
                    const std::string& target) override {
    guard([&] {
      Tx tx(*this);
      x(std::string("INSERT INTO audit_log(at, \"user\", action, target) VALUES (") + kNowMs +
            ", $1, $2, $3)",
        user, action, target);
      tx.commit();
    });
  }

  std::vector<AuditEntry> audit(int limit) override {
    return guard([&] {
      std::vector<AuditEntry> out;
      for (const auto& r : x("SELECT at, \"user\", action, target FROM audit_log "
                             "ORDER BY id DESC LIMIT $1",
                             static_cast<int64_t>(limit))) {
        out.push_back({txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3])});
      }
      return out;
    });
  }

  // --- originals, kept in the store ---
  void put_original(const std::filesystem::path& file, const std::string& sha256) override {
    std::string bytes = read_whole(file);
    Sha256 hash;
    hash.update(bytes);
    if (hash.hex() != sha256) {
      throw SourceChanged(file.string() +
                          ": file changed while it was being ingested (its bytes no longer have "
                          "the SHA-256 read before); ingest it again once it is complete");
    }
    put_original_bytes(bytes, sha256);
  }

  void put_original_bytes(const std::string& bytes, const std::string& sha256) override {
    Sha256 hash;
    hash.update(bytes);
    if (hash.hex() != sha256) {
      throw StorageError(name_ + ": original bytes do not hash to " + sha256);
    }
    guard([&] {
      Tx tx(*this);
      // A damaged copy is replaced, not trusted; an intact one stays.
      x("INSERT INTO originals(sha256, size, bytes) VALUES ($1, $2, $3) "
        "ON CONFLICT (sha256) DO UPDATE SET size = excluded.size, bytes = excluded.bytes "
        "WHERE encode(sha256(originals.bytes), 'hex') <> excluded.sha256",
        sha256, static_cast<int64_t>(bytes.size()), pqxx::binarystring(bytes.data(), bytes.size()));
      tx.commit();
    });
  }

  bool has_original(const std::string& sha256) override {
    return guard([&] {
      auto r = x("SELECT encode(sha256(bytes), 'hex') = sha256 FROM originals WHERE sha256 = $1",
                 sha256);
      return !r.empty() && r[0][0].as<bool>();
    });
  }

  std::optional<std::string> original(const std::string& sha256) override {
    std::optional<std::string> bytes = guard([&]() -> std::optional<std::string> {
      auto r = x("SELECT bytes FROM originals WHERE sha256 = $1", sha256);
      if (r.empty()) return std::nullopt;
      return pqxx::binarystring(r[0][0]).str();
    });
    if (!bytes) return bytes;
    Sha256 hash;
    hash.update(*bytes);
    if (hash.hex() != sha256) {
      throw StorageError(name_ + ": original " + sha256 + " does not hash to its SHA-256");
    }
    return bytes;
  }

  bool remove_original(const std::string& sha256) override {
    return guard([&] {
      Tx tx(*this);
      bool gone = x("DELETE FROM originals WHERE sha256 = $1", sha256).affected_rows() > 0;
      tx.commit();
      return gone;
    });
  }

 private:
  friend class Tx;

  static std::string first_line(const std::string& message) {
    std::string line = message.substr(0, message.find('\n'));
    return line.empty() ? message : line;
  }

  // Runs `f`, turning libpqxx's errors into the store's (SPEC exit 2).
  template <typename F>
  auto guard(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const pqxx::broken_connection& e) {
      tx_.reset();
      throw StorageError(name_ + ": connection lost: " + first_line(e.what()));
    } catch (const pqxx::failure& e) {
      throw StorageError(name_ + ": " + first_line(e.what()));
    } catch (const pqxx::usage_error& e) {
      throw StorageError(name_ + ": " + first_line(e.what()));
    }
  }

  // Runs one statement in the open transaction, else on its own
  // (autocommit). Statements are prepared once per connection, named by a
  // hash of their text, so pooled connections keep them across stores: a
  // document's store is some twenty statements, parsed and planned once.
  template <typename... Args>
  pqxx::result x(const std::string& sql, Args&&... args) {
    bool cursor =
        sql.starts_with("DECLARE") || sql.starts_with("FETCH") || sql.starts_with("CLOSE");
    if (cursor) return tx_->exec(sql);
    std::string name = "sohoa_" + std::to_string(std::hash<std::string>{}(sql));
    conn_->prepare(name, sql);
    if (tx_) return tx_->exec_prepared(name, std::forward<Args>(args)...);
    pqxx::nontransaction once(*conn_);
    return once.exec_prepared(name, std::forward<Args>(args)...);
  }

  void migrate() {
    Tx tx(*this);
    x("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
    tx_->exec("CREATE TABLE IF NOT EXISTS sohoa_schema (version INTEGER NOT NULL)");
    auto r = x("SELECT version FROM sohoa_schema");
    size_t applied = r.empty() ? 0 : static_cast<size_t>(num(r[0][0]));
    const auto& steps = postgres_migrations();
    if (applied > steps.size()) {
      throw StorageError(name_ + ": database schema version " + std::to_string(applied) +
                         " is newer than this program knows (" + std::to_string(steps.size()) +
                         ")");
    }
    for (size_t i = applied; i < steps.size(); ++i) tx_->exec(std::string(steps[i]));
    if (r.empty()) {
      x("INSERT INTO sohoa_schema(version) VALUES ($1)", static_cast<int64_t>(steps.size()));
    } else if (applied < steps.size()) {
      x("UPDATE sohoa_schema SET version = $1", static_cast<int64_t>(steps.size()));
    }
    tx.commit();
  }

  static std::string read_whole(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw StorageError(file.string() + ": cannot open: " + std::strerror(errno));
    }
    std::string out;
    char buffer[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(fd);
        throw StorageError(file.string() + ": cannot read: " + std::strerror(err));
      }
      if (n == 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  static Unit unit_from(const pqxx::row& r) {
    return {txt(r[0]), txt(r[1]), txt(r[2]), txt(r[3]), txt(r[4]), txt(r[5]), txt(r[6])};
  }

  void require_document(int64_t id) {
    if (x("SELECT 1 FROM documents WHERE id = $1", id).empty()) {
      throw InputError("no document with id " + std::to_string(id));
    }
  }

  int64_t write_document_row(const NewDocument& doc, int64_t id) {
    std::string archive = doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256;
    if (id != 0) {
      x("UPDATE documents SET sha256 = $2, source = $3, station = $4, unit = $5, "
        "issuer_unit = $6, level = $7, digitized_at = $8, status = $9, error = $10, "
        "review_reasons = $11, archive_sha256 = $12 WHERE id = $1",
        id, doc.sha256, doc.source, doc.station, doc.unit, doc.issuer_unit, doc.level,
        doc.digitized_at, doc.status, doc.error, json_list(doc.review_reasons), archive);
      return id;
    }
    // The sequence never hands out an id twice: ids of deleted documents
    // are not reused.
    auto r =
        x("INSERT INTO documents(sha256, source, station, unit, issuer_unit, level, "
          "digitized_at, status, error, review_reasons, archive_sha256) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
          doc.sha256, doc.source, doc.station, doc.unit, doc.issuer_unit, doc.level,
          doc.digitized_at, doc.status, doc.error, json_list(doc.review_reasons), archive);
    return num(r[0][0]);
  }

  // A document whose sha256 is not stored yet, in some eight statements
  // instead of twenty (station sync sends thousands): the effective fields
  // are worked out here as effective_fields would read them back, the row
  // goes in with them, and there are no earlier matches to undo. Returns 0,
  // having written nothing, when the sha256 is stored already.
  int64_t insert_new_document(const NewDocument& doc, const std::vector<Correction>& corrections) {
    std::vector<Field> fields = effective_of(doc.fields, corrections);
    std::string number = field_value(fields, "doc_number");
    std::string type = field_value(fields, "doc_type");
    std::string archive = doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256;
    auto r =
        x("INSERT INTO documents(sha256, source, station, unit, issuer_unit, level, "
          "digitized_at, status, error, review_reasons, archive_sha256, doc_number, number_key, "
          "issued_date, doc_type, doc_type_key, dossier_code) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
          "ON CONFLICT (sha256) DO NOTHING RETURNING id",
          doc.sha256, doc.source, doc.station, doc.unit, doc.issuer_unit, doc.level,
          doc.digitized_at, doc.status, doc.error, json_list(doc.review_reasons), archive, number,
          number_key(number), field_value(fields, "issued_date"), type, text::fold(type),
          field_value(fields, "dossier_code"));
    if (r.empty()) return 0;
    int64_t id = num(r[0][0]);
    write_pages(id, doc.pages);
    write_fields(id, doc.fields);
    write_corrections(id, corrections);
    write_search_rows(id, fields);
    std::vector<int64_t> rows;
    for (const auto& m : x(std::string("INSERT INTO matches(doc_id, row_id) ") + kMatchByDossier +
                               " AND d.id = $1 UNION " + kMatchByNumber +
                               " AND d.id = $1 ON CONFLICT DO NOTHING RETURNING row_id",
                           id)) {
      rows.push_back(num(m[0]));
    }
    for (int64_t row : rows) refresh_row_digitized(row);
    if (!rows.empty()) refresh_document_matched(id);
    return id;
  }

  // Extracted values as stored (the last of a name wins) overlaid with each
  // field's latest correction by time, then by arrival: effective_fields
  // without reading them back.
  static std::vector<Field> effective_of(const std::vector<Field>& extracted,
                                         const std::vector<Correction>& corrections) {
    std::map<std::string, Field> by_name;
    for (const Field& f : extracted) by_name[f.name] = {f.name, text::nfc(f.value), f.confidence};
    std::vector<const Correction*> in_force;
    for (const Correction& c : corrections) {
      if (c.undone_at.empty()) in_force.push_back(&c);
    }
    std::stable_sort(in_force.begin(), in_force.end(),
                     [](const Correction* a, const Correction* b) { return a->at < b->at; });
    for (const Correction* c : in_force) by_name[c->field] = {c->field, text::nfc(c->value), 1.0};
    std::vector<Field> out;
    for (auto& [name, field] : by_name) out.push_back(std::move(field));
    order_fields(out);
    return out;
  }

  // Rows of one table in one statement, as a JSON array the server reads
  // with json_to_recordset. nullopt when they do not make JSON (text that
  // is not UTF-8, a confidence not finite): then one statement per row, and
  // the server's refusal, as before.
  template <typename Row>
  static std::optional<std::string> json_rows(const std::vector<Row>& rows,
                                              nlohmann::json (*one)(const Row&)) {
    nlohmann::json array = nlohmann::json::array();
    for (const Row& r : rows) array.push_back(one(r));
    try {
      return array.dump();
    } catch (const nlohmann::json::exception&) {
      return std::nullopt;
    }
  }

  void write_corrections(int64_t id, const std::vector<Correction>& corrections) {
    for (const Correction& c : corrections) {
      x("INSERT INTO corrections(doc_id, field, value, \"by\", at, undone_by, undone_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        id, c.field, text::nfc(c.value), c.by, c.at, c.undone_by, c.undone_at);
    }
  }

  void clear_document_content(int64_t id) {
    x("DELETE FROM search_index WHERE doc_id = $1", id);
    x("DELETE FROM pages WHERE doc_id = $1", id);
    x("DELETE FROM fields WHERE doc_id = $1", id);
    x("DELETE FROM matches WHERE doc_id = $1", id);
  }

  void write_pages(int64_t id, const std::vector<PageRecord>& pages) {
    if (pages.size() > 1) {
      auto rows = json_rows<PageRecord>(pages, [](const PageRecord& p) {
        return nlohmann::json{{"page", p.page},
                              {"width", p.width},
                              {"height", p.height},
                              {"dpi", p.dpi},
                              {"rotation", p.rotation},
                              {"skew_deg", p.skew_deg},
                              {"ocr_confidence", p.ocr_confidence},
                              {"text", text::nfc(p.text)},
                              {"codes", json_list(p.codes)},
                              {"layout", p.layout_json},
                              {"text_source", p.text_source == "pdf" ? "pdf" : "ocr"},
                              {"text_dpi", p.text_dpi}};
      });
      if (rows && finite_all(pages)) {
        x("INSERT INTO pages(doc_id, page, width, height, dpi, rotation, skew_deg, "
          "ocr_confidence, text, codes, layout, text_source, text_dpi) SELECT $1, page, width, "
          "height, dpi, rotation, skew_deg, ocr_confidence, text, codes, layout, text_source, "
          "text_dpi FROM json_to_recordset($2::json) AS t(page INTEGER, width INTEGER, "
          "height INTEGER, dpi INTEGER, rotation INTEGER, skew_deg DOUBLE PRECISION, "
          "ocr_confidence DOUBLE PRECISION, text TEXT, codes TEXT, layout TEXT, "
          "text_source TEXT, text_dpi INTEGER)",
          id, *rows);
        return;
      }
    }
    for (const PageRecord& p : pages) {
      x("INSERT INTO pages(doc_id, page, width, height, dpi, rotation, skew_deg, "
        "ocr_confidence, text, codes, layout, text_source, text_dpi) VALUES ($1, $2, $3, $4, $5, "
        "$6, $7, $8, $9, $10, $11, $12, $13)",
        id, p.page, p.width, p.height, p.dpi, p.rotation, p.skew_deg, p.ocr_confidence,
        text::nfc(p.text), json_list(p.codes), p.layout_json,
        std::string(p.text_source == "pdf" ? "pdf" : "ocr"), p.text_dpi);
    }
  }

  static bool finite_all(const std::vector<PageRecord>& pages) {
    return std::all_of(pages.begin(), pages.end(), [](const PageRecord& p) {
      return std::isfinite(p.skew_deg) && std::isfinite(p.ocr_confidence);
    });
  }

  void write_fields(int64_t id, const std::vector<Field>& fields) {
    // One statement; a name given twice keeps its last value, as one
    // upsert per field did.
    std::map<std::string, size_t> last;
    for (size_t i = 0; i < fields.size(); ++i) last[fields[i].name] = i;
    std::vector<Field> unique;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (last[fields[i].name] == i) unique.push_back(fields[i]);
    }
    bool finite = std::all_of(unique.begin(), unique.end(),
                              [](const Field& f) { return std::isfinite(f.confidence); });
    auto rows = json_rows<Field>(unique, [](const Field& f) {
      return nlohmann::json{{"name", f.name}, {"value", text::nfc(f.value)}, {"c", f.confidence}};
    });
    if (unique.size() > 1 && finite && rows) {
      x("INSERT INTO fields(doc_id, name, value, confidence) SELECT $1, name, value, c "
        "FROM json_to_recordset($2::json) AS t(name TEXT, value TEXT, c DOUBLE PRECISION) "
        "ON CONFLICT (doc_id, name) DO UPDATE SET value = excluded.value, "
        "confidence = excluded.confidence",
        id, *rows);
      return;
    }
    for (const Field& f : fields) {
      x("INSERT INTO fields(doc_id, name, value, confidence) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (doc_id, name) DO UPDATE SET value = excluded.value, "
        "confidence = excluded.confidence",
        id, f.name, text::nfc(f.value), f.confidence);
    }
  }

  std::vector<PageRecord> read_pages(int64_t id) {
    std::vector<PageRecord> out;
    for (const auto& r :
         x("SELECT page, width, height, dpi, rotation, skew_deg, ocr_confidence, text, codes, "
           "layout, text_source, text_dpi FROM pages WHERE doc_id = $1 ORDER BY page",
           id)) {
      PageRecord p;
      p.page = static_cast<int>(num(r[0]));
      p.width = static_cast<int>(num(r[1]));
      p.height = static_cast<int>(num(r[2]));
      p.dpi = static_cast<int>(num(r[3]));
      p.rotation = static_cast<int>(num(r[4]));
      p.skew_deg = dbl(r[5]);
      p.ocr_confidence = dbl(r[6]);
      p.text = txt(r[7]);
      p.codes = parse_json_list(txt(r[8]));
      p.layout_json = txt(r[9]);
      p.text_source = txt(r[10]);
      p.text_dpi = static_cast<int>(num(r[11]));
      out.push_back(std::move(p));
    }
    return out;
  }

  // Extracted values overlaid with each field's latest correction. Latest
  // is by time, then by arrival: a station's older correction synced in
  // later does not override one made here since.
  std::vector<Field> effective_fields(int64_t id) {
    std::map<std::string, Field> by_name;
    for (const auto& r : x("SELECT name, value, confidence FROM fields WHERE doc_id = $1", id)) {
      by_name[txt(r[0])] = {txt(r[0]), txt(r[1]), dbl(r[2])};
    }
    for (const auto& r : x("SELECT field, value FROM corrections WHERE doc_id = $1 AND "
                           "undone_at = '' ORDER BY at COLLATE \"C\", id",
                           id)) {
      by_name[txt(r[0])] = {txt(r[0]), txt(r[1]), 1.0};
    }
    std::vector<Field> out;
    for (auto& [name, field] : by_name) out.push_back(std::move(field));
    order_fields(out);
    return out;
  }

  void refresh_effective(int64_t id) {
    std::vector<Field> fields = effective_fields(id);
    std::string number = field_value(fields, "doc_number");
    std::string type = field_value(fields, "doc_type");
    x("UPDATE documents SET doc_number = $2, number_key = $3, issued_date = $4, "
      "doc_type = $5, doc_type_key = $6, dossier_code = $7 WHERE id = $1",
      id, number, number_key(number), field_value(fields, "issued_date"), type, text::fold(type),
      field_value(fields, "dossier_code"));
    write_search_rows(id, fields);
    rematch_document(id);
  }

  void write_search_rows(int64_t id, const std::vector<Field>& fields) {
    std::string meta = search_meta(fields);
    std::string body;
    for (const auto& r : x("SELECT text FROM pages WHERE doc_id = $1 ORDER BY page", id)) {
      if (!body.empty()) body += '\f';
      body += txt(r[0]);
    }
    x("INSERT INTO search_index(doc_id, meta, body, folded, exact) "
      "VALUES ($1, $2, $3, $4::tsvector, $5::tsvector) ON CONFLICT (doc_id) DO UPDATE SET "
      "meta = excluded.meta, body = excluded.body, folded = excluded.folded, "
      "exact = excluded.exact",
      id, meta, body, tsvector_literal(meta, body, fold_token),
      tsvector_literal(meta, body, exact_token));
  }

  // --- progress summed in SQL (register_tallies) ---
  // The register's units (of `units`, when not empty), by code, with their
  // earliest issued date: one index probe per unit, not a scan.
  std::vector<RegisterTally> register_units(const std::vector<std::string>& units) {
    std::vector<RegisterTally> out;
    for (const auto& r : x("WITH RECURSIVE u(unit) AS ("
                           "SELECT min(unit COLLATE \"C\") FROM register_rows UNION ALL "
                           "SELECT (SELECT min(r.unit COLLATE \"C\") FROM register_rows r "
                           "WHERE r.unit COLLATE \"C\" > u.unit) FROM u WHERE u.unit IS NOT NULL) "
                           "SELECT unit, (SELECT min(r.issued_day) FROM register_rows r "
                           "WHERE r.unit COLLATE \"C\" = u.unit) FROM u WHERE unit IS NOT NULL")) {
      std::string unit = txt(r[0]);
      if (!units.empty() && std::find(units.begin(), units.end(), unit) == units.end()) continue;
      RegisterTally t;
      t.unit = std::move(unit);
      t.first_issued = static_cast<int>(num(r[1]));
      out.push_back(std::move(t));
    }
    return out;
  }

  // Adds to `out` each unit's valid and digitized rows at each of `days`.
  // A row counts from its issue day until the day after its expiry, and is
  // digitized from the later of issue and digitization until then; the
  // triggers of register_day_tally keep, per unit and day, how many rows
  // start (+) and stop (-) counting then (postgres_schema.cpp). The counts
  // at each day are running sums of those, bucketed by the days here: a
  // read of one row per unit and day something changes, however many
  // register rows and documents there are.
  void count_at_days(const std::vector<std::string>& units, const std::vector<int>& days,
                     std::vector<RegisterTally>& out) {
    std::string day_array = "{";
    for (size_t i = 0; i < days.size(); ++i) {
      day_array += (i ? "," : "") + std::to_string(days[i]);
    }
    day_array += "}";
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < out.size(); ++i) index[out[i].unit] = i;
    std::vector<std::vector<int64_t>> valid(out.size(), std::vector<int64_t>(days.size() + 1, 0));
    std::vector<std::vector<int64_t>> digitized = valid;
    auto r =
        x("SELECT unit, width_bucket(day - 1, $1::integer[]), sum(valid), sum(digitized) "
          "FROM register_day_tally WHERE ($2 = '' OR unit IN "
          "(SELECT jsonb_array_elements_text($2::jsonb))) GROUP BY 1, 2",
          day_array, units.empty() ? std::string() : json_list(units));
    for (const auto& row : r) {
      auto it = index.find(txt(row[0]));
      if (it == index.end()) continue;  // a unit added since its list was read
      size_t b = static_cast<size_t>(num(row[1]));
      valid[it->second][b] += num(row[2]);
      digitized[it->second][b] += num(row[3]);
    }
    for (size_t u = 0; u < out.size(); ++u) {
      int64_t v = 0, d = 0;
      for (size_t p = 0; p < days.size(); ++p) {
        v += valid[u][p];
        d += digitized[u][p];
        out[u].valid[p] = v;
        out[u].digitized[p] = d;
      }
    }
  }

  // --- matching documents to register rows (SPEC "Progress") ---
  void rebuild_lineage() {
    x("DELETE FROM unit_lineage");
    for (const Unit& u : units()) {
      x("INSERT INTO unit_lineage(unit, descendant) VALUES ($1, $1) ON CONFLICT DO NOTHING",
        u.code);
      for (const std::string& s : successors_of(u.code)) {
        x("INSERT INTO unit_lineage(unit, descendant) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          u.code, s);
      }
    }
  }

  std::map<std::string, std::string> successor_links() {
    std::map<std::string, std::string> next;
    for (const auto& r : x("SELECT code, successor FROM units WHERE successor <> ''")) {
      next[txt(r[0])] = txt(r[1]);
    }
    return next;
  }

  static constexpr const char* kMatchByDossier =
      "SELECT d.id, r.id FROM register_rows r JOIN documents d "
      "ON d.dossier_code = r.dossier_code WHERE r.dossier_code <> ''";
  static constexpr const char* kMatchByNumber =
      "SELECT d.id, r.id FROM register_rows r JOIN documents d "
      "ON d.number_key = r.number_key AND d.issued_date = r.issued_date "
      "JOIN unit_lineage l ON l.unit = r.unit AND l.descendant = d.issuer_unit "
      "WHERE r.number_key <> ''";
  static constexpr const char* kEarliestDigitized =
      "SELECT min(d.digitized_at COLLATE \"C\") FROM matches m JOIN documents d "
      "ON d.id = m.doc_id WHERE m.row_id = register_rows.id AND d.status IN ('ok', 'review') "
      "AND d.digitized_at <> ''";

  void rebuild_matches() {
    x("DELETE FROM matches");
    x(std::string("INSERT INTO matches(doc_id, row_id) ") + kMatchByDossier +
      " ON CONFLICT DO NOTHING");
    x(std::string("INSERT INTO matches(doc_id, row_id) ") + kMatchByNumber +
      " ON CONFLICT DO NOTHING");
    x(std::string("UPDATE register_rows SET digitized_at = (") + kEarliestDigitized + ")");
    x("UPDATE documents SET matched = "
      "EXISTS (SELECT 1 FROM matches m WHERE m.doc_id = documents.id)");
  }

  std::vector<int64_t> linked(const char* sql, int64_t id) {
    std::vector<int64_t> out;
    for (const auto& r : x(sql, id)) out.push_back(num(r[0]));
    return out;
  }

  void rematch_document(int64_t id) {
    const char* rows_of_doc = "SELECT row_id FROM matches WHERE doc_id = $1";
    std::vector<int64_t> rows = linked(rows_of_doc, id);
    x("DELETE FROM matches WHERE doc_id = $1", id);
    for (const char* select : {kMatchByDossier, kMatchByNumber}) {
      x(std::string("INSERT INTO matches(doc_id, row_id) ") + select +
            " AND d.id = $1 ON CONFLICT DO NOTHING",
        id);
    }
    for (int64_t row : linked(rows_of_doc, id)) rows.push_back(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int64_t row : rows) refresh_row_digitized(row);
    refresh_document_matched(id);
  }

  void rematch_row(int64_t id, bool is_new) {
    const char* docs_of_row = "SELECT doc_id FROM matches WHERE row_id = $1";
    std::vector<int64_t> docs;
    if (!is_new) {
      docs = linked(docs_of_row, id);
      x("DELETE FROM matches WHERE row_id = $1", id);
    }
    size_t added = 0;
    for (const char* select : {kMatchByDossier, kMatchByNumber}) {
      added += x(std::string("INSERT INTO matches(doc_id, row_id) ") + select +
                     " AND r.id = $1 ON CONFLICT DO NOTHING",
                 id)
                   .affected_rows();
    }
    if (is_new && added == 0) return;
    for (int64_t doc : linked(docs_of_row, id)) docs.push_back(doc);
    refresh_row_digitized(id);
    for (int64_t doc : docs) refresh_document_matched(doc);
  }

  void refresh_row_digitized(int64_t row) {
    x(std::string("UPDATE register_rows SET digitized_at = (") + kEarliestDigitized +
          ") WHERE id = $1",
      row);
  }

  void refresh_document_matched(int64_t doc) {
    x("UPDATE documents SET matched = EXISTS (SELECT 1 FROM matches WHERE doc_id = $1) "
      "WHERE id = $1",
      doc);
  }

  // Rows of `chunk` as upsert_register_row would store them one after
  // another, with one statement inserting all those that are new: a
  // province's register is a million rows. A row whose key is there already
  // (before, or earlier in the chunk) is updated on its own, in order.
  void upsert_register_chunk(const std::vector<RegisterRow>& chunk, bool have_documents,
                             RegisterCounts& counts) {
    if (chunk.empty()) return;
    nlohmann::json array = nlohmann::json::array();
    for (const RegisterRow& r : chunk) {
      std::string number = nfc_fast(r.doc_number);
      array.push_back({{"u", r.unit},
                       {"n", number},
                       {"d", r.issued_date},
                       {"k", number_key(number)},
                       {"v", r.valid_until},
                       {"dc", r.dossier_code},
                       {"pc", r.procedure_code},
                       {"t", nfc_fast(r.doc_type)},
                       {"ti", nfc_fast(r.title)},
                       {"i", array.size()}});
    }
    std::string rows;
    try {
      rows = array.dump();
    } catch (const nlohmann::json::exception&) {
      rows.clear();  // not UTF-8: row by row, and the server's refusal
    }
    // key -> index of the row of the chunk that inserted it
    std::map<std::tuple<std::string, std::string, std::string>, size_t> inserted;
    std::unordered_map<size_t, int64_t> ids;  // row of the chunk -> its new id
    if (!rows.empty()) {
      std::map<std::tuple<std::string, std::string, std::string>, size_t> first;
      for (size_t i = 0; i < chunk.size(); ++i) {
        first.emplace(
            std::tuple{chunk[i].unit, array[i]["n"].get<std::string>(), chunk[i].issued_date}, i);
      }
      for (const auto& r :
           x("INSERT INTO register_rows(unit, doc_number, issued_date, valid_until, dossier_code, "
             "procedure_code, doc_type, title, number_key, level) SELECT u, n, d, v, dc, pc, t, "
             "ti, k, coalesce((SELECT level FROM units WHERE code = u), '') "
             "FROM json_to_recordset($1::json) AS j(u TEXT, n TEXT, d TEXT, k TEXT, v TEXT, "
             "dc TEXT, pc TEXT, t TEXT, ti TEXT, i BIGINT) ORDER BY i "
             "ON CONFLICT (unit, doc_number, issued_date) DO NOTHING "
             "RETURNING unit, doc_number, issued_date, id",
             rows)) {
        auto key = std::tuple{txt(r[0]), txt(r[1]), txt(r[2])};
        auto it = first.find(key);
        if (it == first.end()) throw StorageError(name_ + ": register row changed on its way");
        inserted[key] = it->second;
        ids[it->second] = num(r[3]);
      }
    }
    for (size_t i = 0; i < chunk.size(); ++i) {
      auto it = rows.empty()
                    ? inserted.end()
                    : inserted.find(std::tuple{chunk[i].unit, array[i]["n"].get<std::string>(),
                                               chunk[i].issued_date});
      if (it != inserted.end() && it->second == i) {
        ++counts.inserted;
        if (have_documents) rematch_row(ids[i], true);
        continue;
      }
      auto [id, is_new] = upsert_register_row(chunk[i]);
      (is_new ? counts.inserted : counts.updated) += 1;
      if (have_documents || !is_new) rematch_row(id, is_new);
    }
  }

  std::pair<int64_t, bool> upsert_register_row(const RegisterRow& row) {
    std::string number = nfc_fast(row.doc_number);
    std::string type = nfc_fast(row.doc_type);
    std::string title = nfc_fast(row.title);
    auto inserted =
        x("INSERT INTO register_rows(unit, doc_number, issued_date, valid_until, dossier_code, "
          "procedure_code, doc_type, title, number_key, level) VALUES "
          "($1, $2, $3, $5, $6, $7, $8, $9, $4, "
          "coalesce((SELECT level FROM units WHERE code = $1), '')) "
          "ON CONFLICT (unit, doc_number, issued_date) DO NOTHING RETURNING id",
          row.unit, number, row.issued_date, number_key(number), row.valid_until, row.dossier_code,
          row.procedure_code, type, title);
    if (!inserted.empty()) return {num(inserted[0][0]), true};
    auto updated =
        x("UPDATE register_rows SET valid_until = $4, dossier_code = $5, procedure_code = $6, "
          "doc_type = $7, title = $8 WHERE unit = $1 AND doc_number = $2 AND issued_date = $3 "
          "RETURNING id",
          row.unit, number, row.issued_date, row.valid_until, row.dossier_code, row.procedure_code,
          type, title);
    if (updated.empty()) throw StorageError(name_ + ": register row vanished");
    return {num(updated[0][0]), false};
  }

  // Filters shared by full-text and browse queries; parameters $2..$6.
  // $6 is a JSON list of unit codes or ''.
  static std::string filter_sql() {
    return "($2 = '' OR d.issuer_unit = $2) AND ($3 = '' OR d.level = $3) AND "
           "($4 = '' OR substr(d.issued_date, 1, 4) = $4) AND "
           "($5 = '' OR strpos(d.doc_type_key, $5) > 0) AND d.status <> 'failed' AND "
           "($6 = '' OR d.issuer_unit IN (SELECT jsonb_array_elements_text($6::jsonb)) OR "
           "d.unit IN (SELECT jsonb_array_elements_text($6::jsonb)))";
  }
  static std::string year_of(const SearchQuery& q) {
    return q.year > 0 ? std::to_string(q.year) : std::string();
  }
  static std::string type_of(const SearchQuery& q) {
    return text::fold(text::collapse_spaces(q.type));
  }
  static std::string within_of(const SearchQuery& q) {
    return q.within_units.empty() ? std::string() : json_list(q.within_units);
  }
  // 0: no limit (see kLimit).
  static int64_t limit_of(const SearchQuery& q) { return q.limit > 0 ? q.limit : 0; }

  std::vector<SearchHit> browse(const SearchQuery& query) {
    auto r =
        x("SELECT d.id, d.doc_number, d.issued_date, d.doc_type, d.issuer_unit, "
          "coalesce((SELECT value FROM fields WHERE doc_id = d.id AND name = 'subject'), '') "
          "FROM documents d WHERE $1 = '' AND " +
              filter_sql() + " ORDER BY d.issued_date COLLATE \"C\" DESC, d.id DESC " + kLimit7,
          std::string(), query.unit, query.level, year_of(query), type_of(query), within_of(query),
          limit_of(query));
    std::vector<SearchHit> hits;
    for (const auto& row : r) {
      hits.push_back(
          {num(row[0]), 0.0, txt(row[1]), txt(row[2]), txt(row[3]), txt(row[4]), txt(row[5])});
    }
    return hits;
  }

  std::string url_;
  std::string name_;
  int64_t search_window_ = search_window();
  pqxx::work* walking_ = nullptr;  // set while walking_ids runs
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;
};

Tx::Tx(PostgresDatabase& db) : db_(db) {
  if (!db_.tx_) {
    db_.tx_ = std::make_unique<pqxx::work>(*db_.conn_);
    owner_ = true;
  }
}

Tx::~Tx() {
  if (owner_) db_.tx_.reset();  // aborts unless committed
}

void Tx::commit() {
  if (!owner_ || !db_.tx_) return;
  db_.tx_->commit();
  db_.tx_.reset();
}

}  // namespace

bool is_postgres_url(std::string_view db_arg) {
  return db_arg.starts_with("postgresql://") || db_arg.starts_with("postgres://");
}

std::string redacted_url(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

std::unique_ptr<Database> open_postgres(const std::string& url) {
  return std::make_unique<PostgresDatabase>(url);
}

bool postgres_exists(const std::string& url) {
  try {
    pqxx::connection c(url);
    pqxx::nontransaction n(c);
    auto r = n.exec(
        "SELECT to_regclass('sohoa_schema') IS NOT NULL AND to_regclass('documents') IS NOT NULL");
    return !r.empty() && r[0][0].as<bool>();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace sohoa::storage
