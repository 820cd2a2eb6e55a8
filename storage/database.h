// sohoa's records store. The only place that speaks SQL: callers see records
// (records.h), never statements, so a PostgreSQL store can stand behind the
// same interface later.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/records.h"

namespace sohoa::storage {

// The database could not be opened, migrated or written (SPEC exit code 2).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input handed to storage, e.g. a malformed search query (SPEC exit code 1).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A parsed `DOC` argument (SPEC): all digits is an id only; otherwise a
// SHA-256 prefix of at least kMinShaPrefix hex characters, case-insensitive,
// written `sha256:PREFIX` when it is made only of digits.
struct DocRef {
  enum Kind { kInvalid, kId, kShaPrefix } kind = kInvalid;
  int64_t id = 0;
  std::string sha_prefix;  // lower case
  std::string problem;     // why kInvalid, for the user
};
inline constexpr size_t kMinShaPrefix = 8;
DocRef parse_doc_ref(const std::string& ref);

// A file's bytes are not those it was identified by: it was written to while
// being read (Archive::put).
class SourceChanged : public InputError {
 public:
  using InputError::InputError;
};

class Database {
 public:
  // Opens (creating if needed) the SQLite file at `path` in WAL mode and runs
  // pending migrations. Throws StorageError. One Database per thread: it
  // keeps prepared statements; several may share a file (and processes too).
  // A `postgresql://` or `postgres://` URL opens the central PostgreSQL
  // store instead (storage/postgres_database.h), with the same behaviour.
  static std::unique_ptr<Database> open(const std::filesystem::path& path);
  // True when `path` is a file holding a sohoa database (SQLite with sohoa's
  // tables), or a URL reaching a PostgreSQL database with them; false when
  // there is no such file, or it is empty, not SQLite, or SQLite without
  // sohoa's tables. Never creates or changes anything. Throws StorageError
  // when a file cannot be looked into (a full disk, an I/O error, a lock held
  // past the busy timeout). The CLI refuses any command but `units import`
  // otherwise.
  static bool exists(const std::filesystem::path& path);
  virtual ~Database() = default;

  // --- units ---
  // Inserts or updates by code, all in one transaction.
  virtual void upsert_units(const std::vector<Unit>& units) = 0;
  virtual std::vector<Unit> units() = 0;  // ordered by code
  virtual std::optional<Unit> unit(const std::string& code) = 0;
  // The units that took `code` over, directly or through later merges,
  // nearest first (not `code` itself).
  virtual std::vector<std::string> successors_of(const std::string& code) = 0;
  // The units `code` took over, directly or through earlier merges, by code.
  virtual std::vector<std::string> predecessors_of(const std::string& code) = 0;

  // --- documents ---
  struct Existing {
    int64_t id = 0;
    std::string status;  // ok | review | failed
    int pages = 0;
  };
  virtual std::optional<Existing> find_by_sha256(const std::string& sha256) = 0;

  // Stores the document with its pages, fields and search-index rows in one
  // transaction and returns its id. A previous record with the same sha256
  // whose status is `failed` is replaced (same id kept), as is, when there is
  // none, a `failed` record whose sha256 is doc.replaces_failed; any other
  // existing record makes this throw StorageError.
  virtual int64_t store_document(const NewDocument& doc) = 0;
  // store_document for every document `next` yields (it fills its argument
  // and returns false at the end), all in one transaction: for generated or
  // converted stores of millions of documents. Returns how many were stored.
  // Throws as store_document; then nothing is stored.
  virtual int64_t store_documents(const std::function<bool(NewDocument&)>& next) = 0;
  // Runs `work`, whose calls of this store then join one transaction: one
  // commit for many documents (station sync). When `work` throws, nothing
  // it stored is kept, and the exception goes on. The default runs `work`
  // as it is, each call its own transaction (the SQLite store: its
  // originals are files outside any transaction).
  virtual void in_one_transaction(const std::function<void()>& work) { work(); }

  virtual std::optional<StoredDocument> document(int64_t id) = 0;

  // Ids `ref` names under the SPEC's DOC rule (parse_doc_ref): the document
  // with that id, or those whose sha256 starts with the prefix, by id. Empty
  // when none or when `ref` is not a valid DOC.
  virtual std::vector<int64_t> resolve(const std::string& ref) = 0;

  // All document ids, ascending.
  virtual std::vector<int64_t> document_ids() = 0;

  // Takes the document out of search, progress, review and listings: its
  // pages, fields, corrections and matches go; a tombstone (Deletion) stays.
  // The same bytes ingested later are stored again, under a new id (ids of
  // deleted documents are never reused). Returns the tombstone. Throws
  // InputError when there is no such document.
  virtual Deletion delete_document(int64_t id, const std::string& reason,
                                   const std::string& by) = 0;
  // Tombstones, oldest first.
  virtual std::vector<Deletion> deletions() = 0;
  // True when some stored document's original is archived under `sha256`
  // (the archive file of a deleted document may then not be removed).
  virtual bool archive_in_use(const std::string& archive_sha256) = 0;

  struct ListQuery {
    std::string status;  // ok | review | failed; empty = any
    std::string unit;    // issuing unit; empty = any
    int limit = 0;       // 0 = all
    int64_t after_id = 0;
  };
  // Documents by id, filtered.
  virtual std::vector<DocumentSummary> list_documents(const ListQuery& query) = 0;
  // How many documents the query's filters select (ignoring limit).
  virtual int64_t count_documents(const ListQuery& query) = 0;

  // --- review and re-extraction ---
  // Records a person's correction of one metadata field (kept with who and
  // when; it wins over extracted values from then on, also after
  // re-extraction) and refreshes the document's search-index rows.
  virtual void add_correction(int64_t id, const std::string& field, const std::string& value,
                              const std::string& by) = 0;

  // Replaces a document's extracted fields (corrections are untouched and
  // still win), its issuing unit, level, status and review reasons, and
  // refreshes its search-index rows, in one transaction.
  virtual void replace_extraction(int64_t id, const std::vector<Field>& fields,
                                  const std::string& issuer_unit, const std::string& level,
                                  const std::string& status,
                                  const std::vector<std::string>& review_reasons) = 0;

  // Undoes the person's corrections of `field` (they stay on record, marked
  // undone by `by`), so the value read from the page is back, and refreshes
  // the search-index rows. Returns how many corrections were undone (0: the
  // field had none). Throws InputError when there is no such document.
  virtual int undo_corrections(int64_t id, const std::string& field, const std::string& by) = 0;

  struct ReviewItem {
    int64_t id = 0;
    std::string source;
    std::string status;
    std::vector<std::string> reasons;  // why a person should look
    std::string unit;                  // scanning unit
    std::string issuer_unit;
  };
  // Documents whose status is `review` or `failed`, with their reasons, and,
  // once a register has been imported, `ok` documents matching no register
  // row (reason "no register match"); by id.
  virtual std::vector<ReviewItem> review_queue() = 0;

  // --- register and progress ---
  struct RegisterCounts {
    int64_t inserted = 0;
    int64_t updated = 0;
  };
  // Inserts or updates (by unit, doc_number, issued_date) every row `next`
  // yields, in one transaction, and matches them to documents. Rows must be
  // valid (their unit known). `next` fills its argument and returns false at
  // the end, so millions of rows need not be held in memory.
  virtual RegisterCounts upsert_register_rows(const std::function<bool(RegisterRow&)>& next) = 0;
  RegisterCounts upsert_register_rows(const std::vector<RegisterRow>& rows);
  virtual int64_t register_size() = 0;

  // What progress counts, for every register row whose unit is in `units`
  // (all rows when empty).
  virtual RegisterFacts register_facts(const std::vector<std::string>& units) = 0;
  // Progress counts per register unit, computed where the rows are (over
  // millions of rows the PostgreSQL store sums them in SQL). `units`: only
  // these (all when empty). Each unit's code and earliest issued date come
  // first, by code; `days_for` gets them and returns the days to count at
  // (YYYYMMDD numbers, ascending). Then, for each day, `valid` counts the
  // unit's rows issued by then and not expired before it, and `digitized`
  // those of them with a matching ok/review document digitized by then, as
  // register_facts' rows would (SPEC "Progress": a row counts once). The
  // default sums register_facts.
  using TallyDays = std::function<std::vector<int>(const std::vector<RegisterTally>&)>;
  virtual std::vector<RegisterTally> register_tallies(const std::vector<std::string>& units,
                                                      const TallyDays& days_for);
  // Register rows of `units` (every unit when empty) that progress counts
  // as valid but not digitized at `as_of` (ISO): issued by then, not expired
  // before it, and no matching ok/review document digitized by then. The
  // first `limit` (0 = all) by issued date, newest first, then by unit and
  // number; `total` counts them all.
  struct PendingRows {
    int64_t total = 0;
    std::vector<RegisterRow> rows;
  };
  virtual PendingRows undigitized_rows(const std::vector<std::string>& units,
                                       const std::string& as_of, int limit) = 0;
  // ok/review documents matching no register row, digitized on or before
  // `as_of` (ISO; empty = any), by id.
  virtual std::vector<UnmatchedDocument> unmatched_documents(const std::string& as_of) = 0;

  // --- station merge ---
  // A stored document as ingest handed it over: extracted (not corrected)
  // fields, review reasons, pages. nullopt when there is no such id.
  virtual std::optional<NewDocument> document_as_stored(int64_t id) = 0;
  // The document's corrections in force (not undone), oldest first.
  virtual std::vector<Correction> corrections(int64_t id) = 0;
  // Every correction of the document, undone ones too (marked), oldest
  // first: what a station hands on, so that an undo travels as well.
  virtual std::vector<Correction> correction_history(int64_t id) = 0;
  // store_document, plus `corrections` kept with their who and when (and
  // undone ones as undone), all in one transaction.
  virtual int64_t store_document_with_corrections(const NewDocument& doc,
                                                  const std::vector<Correction>& corrections) = 0;
  // Adds to document `id` those of `corrections` it does not hold yet (same
  // field, value, who and when), with their who and when; one it holds in
  // force that `corrections` has undone is marked undone as there (an undo
  // made here stays: nothing is put back in force). Refreshes the document;
  // returns how many were added or undone (station sync). Throws InputError
  // when there is no such document.
  virtual int import_corrections(int64_t id, const std::vector<Correction>& corrections) = 0;

  // --- originals (SPEC: a SQLite store keeps them beside its file, in the
  // Archive; a PostgreSQL store in itself) ---
  // Keeps the bytes of `file` as the original of hash `sha256`, unless an
  // intact copy is kept already. Throws SourceChanged (nothing kept) when
  // the bytes read do not have `sha256`, StorageError when it cannot read
  // or write.
  virtual void put_original(const std::filesystem::path& file, const std::string& sha256) = 0;
  // The same for bytes in hand; StorageError when they do not hash to `sha256`.
  virtual void put_original_bytes(const std::string& bytes, const std::string& sha256) = 0;
  // True when an original is kept under `sha256` whose bytes have that hash.
  virtual bool has_original(const std::string& sha256) = 0;
  // The original's bytes, checked against `sha256`; nullopt when none is
  // kept. Throws StorageError when the kept bytes do not hash to it.
  virtual std::optional<std::string> original(const std::string& sha256) = 0;
  // Removes the original kept under `sha256`; false when there was none.
  virtual bool remove_original(const std::string& sha256) = 0;

  // --- certified copies ---
  // Records `c` (its `at` is set to now); throws InputError when there is no
  // document `c.doc_id`.
  virtual void add_certification(const Certification& c) = 0;
  // The document's certifications, oldest first.
  virtual std::vector<Certification> certifications(int64_t id) = 0;

  // --- search ---
  // Throws InputError for malformed query syntax (e.g. an unbalanced quote).
  virtual std::vector<SearchHit> search(const SearchQuery& query) = 0;

  // ok/review documents whose effective citizen_ids hold `citizen_id`
  // exactly (a 9- or 12-digit number; anything else finds nothing), by id.
  virtual std::vector<DocumentSummary> documents_of_citizen(const std::string& citizen_id) = 0;

  // A number that changes whenever units, documents, corrections or the
  // register change, by any connection or process (and stays the same
  // otherwise): a cache of search results or progress is valid while it does.
  virtual int64_t data_generation() = 0;

  // --- users, sessions, API tokens, audit log (sohoa serve) ---
  // Throws InputError when a user of that name exists.
  virtual void add_user(const User& user) = 0;
  virtual std::optional<User> user(const std::string& name) = 0;
  virtual std::vector<User> users() = 0;  // by name
  // False when there is no such user.
  virtual bool set_password(const std::string& name, const std::string& password_hash) = 0;
  // Removes the user and its sessions; false when there is no such user.
  virtual bool remove_user(const std::string& name) = 0;

  // Throws InputError when a token of that name exists.
  virtual void add_token(const ApiToken& token) = 0;
  virtual std::optional<ApiToken> token_by_hash(const std::string& token_hash) = 0;
  virtual std::vector<ApiToken> tokens() = 0;  // by name
  // False when there is no such token.
  virtual bool revoke_token(const std::string& name) = 0;

  virtual void add_session(const Session& session) = 0;
  // The session with that hash whose expiry is after `now` (Unix seconds).
  virtual std::optional<Session> session(const std::string& id_hash, int64_t now) = 0;
  // Removes that session, and every session expired at `now`.
  virtual void remove_session(const std::string& id_hash, int64_t now) = 0;

  // Appends one entry stamped with the current UTC time.
  virtual void append_audit(const std::string& user, const std::string& action,
                            const std::string& target) = 0;
  // The latest `limit` entries, newest first.
  virtual std::vector<AuditEntry> audit(int limit) = 0;
};

// The content-addressed archive of original files beside the database:
// `<db>.files/ab/abcdef…` (SHA-256 hex).
class Archive {
 public:
  explicit Archive(std::filesystem::path dir) : dir_(std::move(dir)) {}
  static Archive beside(const std::filesystem::path& db_path);

  // Copies `file` in under `sha256` unless a copy whose bytes have that hash
  // is already there; atomic (temp file, fsync, rename), hashing the bytes
  // as they are copied. Removes temp files of `sha256` left by processes that
  // died while copying. Throws SourceChanged (nothing stored) when the bytes
  // copied do not have `sha256`, StorageError when it cannot read or write.
  std::filesystem::path put(const std::filesystem::path& file, const std::string& sha256) const;
  std::filesystem::path path_of(const std::string& sha256) const;
  // True when the archive holds a file under `sha256` whose bytes have that
  // SHA-256 (it reads the file: a damaged copy is not contained).
  bool contains(const std::string& sha256) const;
  // Removes the file archived under `sha256`; false when there was none.
  // Throws StorageError when it cannot be removed.
  bool remove(const std::string& sha256) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace sohoa::storage
