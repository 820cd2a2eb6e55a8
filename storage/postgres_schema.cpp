#include "storage/postgres_schema.h"

#include <string>

namespace sohoa::storage {

namespace {

// Migration 6's trigger statement for one kind of change: the register
// day tallies of the rows in `changes` (unit, issued_day, valid_day,
// digitized_day, sign: +1 added, -1 taken away) added in, one statement.
// A row is valid from its issue day until the day after its expiry, and
// digitized from the later of issue and digitization until then (the
// conditions of register_tallies): +1 on the first day, -1 on the day it
// stops. `shard`: the writer's (sohoa_tally_shard), so that writers at
// once never wait on one row; sorted so that a statement locks its rows in
// one order.
std::string tally_statement(const std::string& changes, const std::string& shard) {
  return R"sql(
  INSERT INTO register_day_tally AS t (unit, day, shard, valid, digitized)
  SELECT c.unit, e.day, )sql" +
         shard + R"sql(, sum(e.valid * c.sign), sum(e.digitized * c.sign)
  FROM ()sql" +
         changes + R"sql() AS c(unit, issued_day, valid_day, digitized_day, sign)
  CROSS JOIN LATERAL (VALUES
    (c.issued_day, 1, 0),
    (CASE WHEN c.valid_day <> 0 THEN greatest(c.issued_day, c.valid_day + 1) END, -1, 0),
    (CASE WHEN c.digitized_day <> 0 THEN greatest(c.issued_day, c.digitized_day) END, 0, 1),
    (CASE WHEN c.digitized_day <> 0 AND c.valid_day <> 0
      THEN greatest(c.issued_day, c.digitized_day, c.valid_day + 1) END, 0, -1)
  ) AS e(day, valid, digitized)
  WHERE e.day IS NOT NULL
  GROUP BY c.unit, e.day
  HAVING sum(e.valid * c.sign) <> 0 OR sum(e.digitized * c.sign) <> 0
  ORDER BY c.unit, e.day
  ON CONFLICT (unit, day, shard) DO UPDATE
    SET valid = t.valid + excluded.valid, digitized = t.digitized + excluded.digitized;
)sql";
}

// A trigger's body: `statement`, unless the transaction will rebuild the
// tallies from the rows before it commits (a big register import sets
// sohoa.tally_rebuild: one pass over the register instead of updating the
// same tally rows chunk after chunk).
std::string unless_rebuilding(const std::string& statement) {
  return "\n  IF coalesce(current_setting('sohoa.tally_rebuild', true), '') = '' THEN" + statement +
         "  END IF;\n  RETURN NULL;";
}

}  // namespace

std::string register_day_tally_rebuild() {
  return tally_statement("SELECT unit, issued_day, valid_day, digitized_day, 1 FROM register_rows",
                         "0");
}

namespace {

const std::string& register_day_tally_migration() {
  static const std::string sql = [] {
    const std::string added =
        "SELECT unit, issued_day, valid_day, digitized_day, 1 FROM added_rows";
    const std::string removed =
        "SELECT unit, issued_day, valid_day, digitized_day, -1 FROM removed_rows";
    return R"sql(
CREATE TABLE register_day_tally (
  unit TEXT COLLATE "C" NOT NULL,
  day INTEGER NOT NULL,
  shard INTEGER NOT NULL,
  valid BIGINT NOT NULL,
  digitized BIGINT NOT NULL,
  PRIMARY KEY (unit, day, shard)
);
-- The tally shard of this transaction: the first no other transaction
-- holds (a transaction-level advisory lock), kept for the transaction; so
-- a shard is added only where writers overlap, and the tallies stay about
-- one row per unit and day. When all 128 are held, the backend's own.
CREATE FUNCTION sohoa_tally_shard() RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
  s INTEGER := nullif(current_setting('sohoa.tally_shard', true), '')::INTEGER;
BEGIN
  IF s IS NULL THEN
    FOR i IN 0..127 LOOP
      IF pg_try_advisory_xact_lock(1398362220, i) THEN
        s := i;
        EXIT;
      END IF;
    END LOOP;
    s := coalesce(s, pg_backend_pid() % 128);
    PERFORM set_config('sohoa.tally_shard', s::TEXT, true);
  END IF;
  RETURN s;
END $$;
CREATE FUNCTION sohoa_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN)sql" +
           unless_rebuilding(tally_statement(added, "sohoa_tally_shard()")) +
           R"sql(
END $$;
CREATE FUNCTION sohoa_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN)sql" +
           unless_rebuilding(tally_statement(removed, "sohoa_tally_shard()")) +
           R"sql(
END $$;
CREATE FUNCTION sohoa_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN)sql" +
           unless_rebuilding(
               tally_statement(added + " UNION ALL " + removed, "sohoa_tally_shard()")) +
           R"sql(
END $$;
CREATE TRIGGER register_tally_insert AFTER INSERT ON register_rows
  REFERENCING NEW TABLE AS added_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_tally_insert();
CREATE TRIGGER register_tally_delete AFTER DELETE ON register_rows
  REFERENCING OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_tally_delete();
CREATE TRIGGER register_tally_update AFTER UPDATE
  ON register_rows REFERENCING NEW TABLE AS added_rows OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_tally_update();
)sql" + register_day_tally_rebuild();
  }();
  return sql;
}

}  // namespace

// Never edit a released migration: append a new one. The tables mirror the
// SQLite schema (storage/schema.cpp) at its latest version; the full-text
// index is a table of tsvectors made from words folded in C++ (the same
// folding as the SQLite tokenizer), and originals are kept in the store.
// "by" and "user" are reserved words in PostgreSQL, hence quoted.
const std::vector<std::string_view>& postgres_migrations() {
  static const std::vector<std::string_view> steps = {
      R"sql(
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('tinh', 'huyen', 'xa')),
  parent TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL DEFAULT '',
  valid_to TEXT NOT NULL DEFAULT '',
  successor TEXT NOT NULL DEFAULT ''
);
CREATE TABLE documents (
  id BIGSERIAL PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL DEFAULT '',
  station TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  issuer_unit TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT '',
  digitized_at TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ok', 'review', 'failed')),
  error TEXT NOT NULL DEFAULT '',
  review_reasons TEXT NOT NULL DEFAULT '[]',
  archive_sha256 TEXT NOT NULL DEFAULT '',
  doc_number TEXT NOT NULL DEFAULT '',
  number_key TEXT NOT NULL DEFAULT '',
  issued_date TEXT NOT NULL DEFAULT '',
  doc_type TEXT NOT NULL DEFAULT '',
  doc_type_key TEXT NOT NULL DEFAULT '',
  dossier_code TEXT NOT NULL DEFAULT '',
  matched BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX documents_sha256_prefix ON documents(sha256 text_pattern_ops);
CREATE INDEX documents_number ON documents(number_key, issued_date);
CREATE INDEX documents_dossier ON documents(dossier_code) WHERE dossier_code <> '';
CREATE INDEX documents_issued ON documents(issued_date);
CREATE INDEX documents_issuer ON documents(issuer_unit);
CREATE INDEX documents_archive ON documents(archive_sha256);
CREATE INDEX documents_unmatched ON documents(id)
  WHERE NOT matched AND status IN ('ok', 'review');
CREATE TABLE pages (
  doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page INTEGER NOT NULL,
  width INTEGER NOT NULL, height INTEGER NOT NULL, dpi INTEGER NOT NULL,
  rotation INTEGER NOT NULL, skew_deg DOUBLE PRECISION NOT NULL,
  ocr_confidence DOUBLE PRECISION NOT NULL,
  text TEXT NOT NULL,
  codes TEXT NOT NULL DEFAULT '[]',
  layout TEXT NOT NULL DEFAULT '',
  text_source TEXT NOT NULL DEFAULT 'ocr' CHECK (text_source IN ('ocr', 'pdf')),
  text_dpi INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_id, page)
);
CREATE TABLE fields (
  doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (doc_id, name)
);
CREATE TABLE corrections (
  id BIGSERIAL PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  "by" TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  undone_by TEXT NOT NULL DEFAULT '',
  undone_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrections_doc ON corrections(doc_id, field, id);
CREATE TABLE register_rows (
  id BIGSERIAL PRIMARY KEY,
  unit TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  issued_date TEXT NOT NULL,
  valid_until TEXT NOT NULL DEFAULT '',
  dossier_code TEXT NOT NULL DEFAULT '',
  procedure_code TEXT NOT NULL DEFAULT '',
  doc_type TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  number_key TEXT NOT NULL,
  level TEXT NOT NULL DEFAULT '',
  digitized_at TEXT,
  UNIQUE (unit, doc_number, issued_date)
);
CREATE INDEX register_number ON register_rows(number_key, issued_date);
CREATE INDEX register_dossier ON register_rows(dossier_code) WHERE dossier_code <> '';
CREATE INDEX register_progress
  ON register_rows(unit COLLATE "C", issued_date, valid_until, digitized_at);
CREATE TABLE matches (
  doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  row_id BIGINT NOT NULL REFERENCES register_rows(id) ON DELETE CASCADE,
  PRIMARY KEY (doc_id, row_id)
);
CREATE INDEX matches_row ON matches(row_id);
CREATE TABLE unit_lineage (
  unit TEXT NOT NULL,
  descendant TEXT NOT NULL,
  PRIMARY KEY (unit, descendant)
);
CREATE TABLE certifications (
  id BIGSERIAL PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  "by" TEXT NOT NULL,
  at TEXT NOT NULL,
  signer TEXT NOT NULL,
  cert_sha256 TEXT NOT NULL,
  pdf_sha256 TEXT NOT NULL
);
CREATE INDEX certifications_doc ON certifications(doc_id);
CREATE TABLE deletions (
  id BIGSERIAL PRIMARY KEY,
  doc_id BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  doc_number TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  "by" TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX deletions_sha256 ON deletions(sha256);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'clerk', 'viewer')),
  unit TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  "user" TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE api_tokens (
  name TEXT PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('reader', 'writer')),
  unit TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  "user" TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT ''
);
CREATE TABLE search_index (
  doc_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  meta TEXT NOT NULL,
  body TEXT NOT NULL,
  folded TSVECTOR NOT NULL,
  exact TSVECTOR NOT NULL
);
CREATE INDEX search_folded ON search_index USING gin(folded);
CREATE INDEX search_exact ON search_index USING gin(exact);
CREATE TABLE originals (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  bytes BYTEA NOT NULL
);
)sql",
      // A number every committed write to what search, documents and
      // progress show moves on (Database::data_generation). Sharded by
      // backend so that stations syncing at once do not queue on one row;
      // the sum only moves when a writer commits, so a reader never caches
      // uncommitted data under a new number.
      R"sql(
CREATE TABLE data_generation (shard INTEGER PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO data_generation(shard, n) SELECT s, 0 FROM generate_series(0, 15) AS s;
CREATE FUNCTION sohoa_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_generation SET n = n + 1 WHERE shard = pg_backend_pid() % 16;
  RETURN NULL;
END $$;
CREATE TRIGGER units_generation AFTER INSERT OR UPDATE OR DELETE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_bump_generation();
CREATE TRIGGER documents_generation AFTER INSERT OR UPDATE OR DELETE ON documents
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_bump_generation();
CREATE TRIGGER register_rows_generation AFTER INSERT OR UPDATE OR DELETE ON register_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_bump_generation();
CREATE TRIGGER corrections_generation AFTER INSERT OR UPDATE OR DELETE ON corrections
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_bump_generation();
)sql",
      // Progress summed in SQL (register_tallies): each register row's
      // dates as YYYYMMDD numbers (0: none), kept by the server, and an
      // index holding all that progress reads of a row.
      R"sql(
CREATE FUNCTION sohoa_day(d TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN d ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
    THEN (substr(d, 1, 4) || substr(d, 6, 2) || substr(d, 9, 2))::INTEGER ELSE 0 END
$$;
ALTER TABLE register_rows
  ADD COLUMN issued_day INTEGER GENERATED ALWAYS AS (coalesce(sohoa_day(issued_date), 0)) STORED,
  ADD COLUMN valid_day INTEGER GENERATED ALWAYS AS (coalesce(sohoa_day(valid_until), 0)) STORED,
  ADD COLUMN digitized_day INTEGER
    GENERATED ALWAYS AS (coalesce(sohoa_day(digitized_at), 0)) STORED;
CREATE INDEX register_tally
  ON register_rows(unit COLLATE "C", issued_day, valid_day, digitized_day);
)sql",
      // The metadata (weight A) alone, so that search finds "every word in
      // the metadata" from an index of metadata words instead of checking
      // every match of a word common in page text (storage/search_rank.h).
      R"sql(
CREATE INDEX search_meta_folded ON search_index USING gin(ts_filter(folded, '{a}'));
CREATE INDEX search_meta_exact ON search_index USING gin(ts_filter(exact, '{a}'));
)sql",
      // The generation moves once per transaction, not once per statement:
      // a transaction of 10,000 documents updated its shard row 30,000
      // times, and each update walked the row's versions made before it
      // (none can be pruned while the transaction runs). The shard is the
      // first one no other transaction holds (SKIP LOCKED), so stations
      // syncing at once do not wait for each other's commits; only when
      // all 128 are held does a writer wait, on its backend's own.
      R"sql(
INSERT INTO data_generation(shard, n) SELECT s, 0 FROM generate_series(16, 127) AS s;
CREATE OR REPLACE FUNCTION sohoa_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('sohoa.generation_moved', true), '') = '' THEN
    UPDATE data_generation SET n = n + 1 WHERE shard = (
      SELECT shard FROM data_generation ORDER BY (shard + 128 - pg_backend_pid() % 128) % 128
      LIMIT 1 FOR UPDATE SKIP LOCKED);
    IF NOT FOUND THEN
      UPDATE data_generation SET n = n + 1 WHERE shard = pg_backend_pid() % 128;
    END IF;
    PERFORM set_config('sohoa.generation_moved', '1', true);
  END IF;
  RETURN NULL;
END $$;
)sql",
      // Progress from day tallies (register_day_tally) kept by triggers in
      // the transaction of each register write (import, match, unmatch), so
      // that progress reads a row per unit and day that something starts or
      // stops counting, however many rows and documents there are, instead
      // of every register row. Backfilled from the rows.
      register_day_tally_migration(),
  };
  return steps;
}

}  // namespace sohoa::storage
