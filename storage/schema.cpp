#include "storage/schema.h"

namespace sohoa::storage {

// Never edit a released migration: append a new one. Dates are ISO text;
// documents carry their effective metadata (corrections over extraction)
// denormalized, so search filters and register matching need no joins.
const std::vector<std::string_view>& migrations() {
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
  id INTEGER PRIMARY KEY,
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
  dossier_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_number ON documents(number_key, issued_date);
CREATE INDEX documents_dossier ON documents(dossier_code) WHERE dossier_code <> '';
CREATE INDEX documents_issued ON documents(issued_date);
CREATE TABLE pages (
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  page INTEGER NOT NULL,
  width INTEGER NOT NULL, height INTEGER NOT NULL, dpi INTEGER NOT NULL,
  rotation INTEGER NOT NULL, skew_deg REAL NOT NULL, ocr_confidence REAL NOT NULL,
  text TEXT NOT NULL,
  codes TEXT NOT NULL DEFAULT '[]',
  layout TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (doc_id, page)
) WITHOUT ROWID;
CREATE TABLE fields (
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY (doc_id, name)
) WITHOUT ROWID;
CREATE TABLE corrections (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  by TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX corrections_doc ON corrections(doc_id, field, id);
CREATE TABLE register_rows (
  id INTEGER PRIMARY KEY,
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
  ON register_rows(level, issued_date, valid_until, digitized_at, unit);
CREATE TABLE matches (
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  row_id INTEGER NOT NULL REFERENCES register_rows(id) ON DELETE CASCADE,
  PRIMARY KEY (doc_id, row_id)
) WITHOUT ROWID;
CREATE INDEX matches_row ON matches(row_id);
CREATE VIRTUAL TABLE search_folded USING fts5(meta, body, tokenize = 'sohoa_fold');
CREATE VIRTUAL TABLE search_exact USING fts5(meta, body, content = '',
  tokenize = 'unicode61 remove_diacritics 0');
)sql",
      // Register matching: which units a register row's unit became
      // (itself included), whether a document matches any row, and a
      // covering index for progress scans.
      R"sql(
CREATE TABLE unit_lineage (
  unit TEXT NOT NULL,
  descendant TEXT NOT NULL,
  PRIMARY KEY (unit, descendant)
) WITHOUT ROWID;
ALTER TABLE documents ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;
CREATE INDEX documents_unmatched ON documents(id)
  WHERE matched = 0 AND status IN ('ok', 'review');
DROP INDEX register_progress;
CREATE INDEX register_progress
  ON register_rows(unit, issued_date, valid_until, digitized_at);
)sql",
      // Electronic certified copies: who signed which document when, with
      // which certificate. Keys are never stored.
      R"sql(
CREATE TABLE certifications (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  signer TEXT NOT NULL,
  cert_sha256 TEXT NOT NULL,
  pdf_sha256 TEXT NOT NULL
);
CREATE INDEX certifications_doc ON certifications(doc_id);
)sql",
      // Where each page's text came from: OCR, or a born-digital PDF's own
      // text layer.
      R"sql(
ALTER TABLE pages ADD COLUMN text_source TEXT NOT NULL DEFAULT 'ocr'
  CHECK (text_source IN ('ocr', 'pdf'));
)sql",
      // The resolution a page's text implies (SPEC pages[].text_dpi); 0
      // for pages stored before it was measured, or whose text had no size.
      R"sql(
ALTER TABLE pages ADD COLUMN text_dpi INTEGER NOT NULL DEFAULT 0;
)sql",
      // Deleting documents and undoing corrections (issue 18): a deleted
      // document leaves a tombstone (its SHA-256, who, when, why) so its ids
      // are never handed out again; an undone correction is kept, marked,
      // for the record of who changed what.
      R"sql(
CREATE TABLE deletions (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  doc_number TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  by TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX deletions_sha256 ON deletions(sha256);
ALTER TABLE corrections ADD COLUMN undone_by TEXT NOT NULL DEFAULT '';
ALTER TABLE corrections ADD COLUMN undone_at TEXT NOT NULL DEFAULT '';
)sql",
      // sohoa serve: people, their browser sessions, other systems' API
      // tokens (only hashes of secrets are kept) and the audit log of writes.
      R"sql(
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'clerk', 'viewer')),
  unit TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires_at INTEGER NOT NULL
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
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT ''
);
)sql",
      // A number every write to what search, documents and progress show
      // moves on, from any connection or process: the web server's caches
      // are valid while it stays the same (Database::data_generation).
      R"sql(
CREATE TABLE data_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO data_generation(id, n) VALUES (1, 0);
CREATE TRIGGER units_insert_generation AFTER INSERT ON units
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER units_update_generation AFTER UPDATE ON units
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER units_delete_generation AFTER DELETE ON units
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_insert_generation AFTER INSERT ON documents
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_update_generation AFTER UPDATE ON documents
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER documents_delete_generation AFTER DELETE ON documents
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER register_rows_insert_generation AFTER INSERT ON register_rows
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER register_rows_update_generation AFTER UPDATE ON register_rows
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER register_rows_delete_generation AFTER DELETE ON register_rows
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER corrections_insert_generation AFTER INSERT ON corrections
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER corrections_update_generation AFTER UPDATE ON corrections
  BEGIN UPDATE data_generation SET n = n + 1; END;
CREATE TRIGGER corrections_delete_generation AFTER DELETE ON corrections
  BEGIN UPDATE data_generation SET n = n + 1; END;
)sql",
      // The metadata alone, folded and exact, so that search finds "every
      // word in the metadata" from a doclist of metadata matches instead of
      // checking the column of every match of a word common in page text
      // (storage/search_rank.h).
      R"sql(
CREATE VIRTUAL TABLE search_meta USING fts5(meta, content = '', tokenize = 'sohoa_fold');
CREATE VIRTUAL TABLE search_meta_exact USING fts5(meta, content = '',
  tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO search_meta(rowid, meta) SELECT rowid, meta FROM search_folded;
INSERT INTO search_meta_exact(rowid, meta) SELECT rowid, meta FROM search_folded;
)sql",
      // Search rows written since the search indexes were last merged into
      // one segment each, and the documents they held then
      // (compact_search_if_due): a store written over time holds its index
      // in many segments, each of which every query seeks.
      R"sql(
CREATE TABLE search_upkeep (written INTEGER NOT NULL, indexed INTEGER NOT NULL);
INSERT INTO search_upkeep(written, indexed) SELECT count(*), 0 FROM documents;
)sql",
  };
  return steps;
}

const std::vector<std::pair<std::string_view, std::string_view>>& register_indexes() {
  static const std::vector<std::pair<std::string_view, std::string_view>> indexes = {
      {"register_number", "CREATE INDEX register_number ON register_rows(number_key, issued_date)"},
      {"register_dossier",
       "CREATE INDEX register_dossier ON register_rows(dossier_code) WHERE dossier_code <> ''"},
      {"register_progress",
       "CREATE INDEX register_progress "
       "ON register_rows(unit, issued_date, valid_until, digitized_at)"},
  };
  return indexes;
}

}  // namespace sohoa::storage
