// The values storage keeps and returns. Plain data; no SQL here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sohoa::storage {

// An administrative unit (SPEC "Units").
struct Unit {
  std::string code;
  std::string name;   // "Xã Hòa Đồng"
  std::string level;  // tinh | huyen | xa
  std::string parent;
  std::string valid_from;  // ISO date or empty (always)
  std::string valid_to;    // ISO date or empty (still valid)
  std::string successor;   // code or empty
};

// One extracted or corrected metadata field. `value` is text; citizen_ids and
// recipients are JSON arrays of strings.
struct Field {
  std::string name;
  std::string value;
  double confidence = 1.0;
};

// Names of the SPEC's metadata fields, in the SPEC's order.
inline const std::vector<std::string>& metadata_field_names() {
  static const std::vector<std::string> names = {
      "doc_type", "doc_number", "issued_date", "place",       "authority",
      "subject",  "signer",     "signer_role", "citizen_ids", "dossier_code",
      "urgency",  "secrecy",    "recipients",  "copy_mark"};
  return names;
}

struct PageRecord {
  int page = 0;  // 1-based
  int width = 0;
  int height = 0;
  int dpi = 0;
  int text_dpi = 0;     // resolution judged from the text's size (SPEC); 0: not measured
  int rotation = 0;     // 0, 90, 180, 270 (SPEC)
  double skew_deg = 0;  // SPEC sign convention
  double ocr_confidence = 0;
  std::string text;                 // NFC
  std::vector<std::string> codes;   // QR/barcode contents
  std::string layout_json;          // OCR words/lines/blocks as JSON (for export, re-extraction)
  std::string text_source = "ocr";  // ocr | pdf (read from the PDF's text layer)
};

// What ingest hands to storage for one document.
struct NewDocument {
  std::string sha256;  // hex, lower case; for split stacks: file hash + "#FIRST-LAST"
  std::string source;
  std::string station;
  std::string unit;                         // the scanning station's unit
  std::string issuer_unit;                  // resolved issuing unit
  std::string level;                        // issuing unit's level
  std::string digitized_at;                 // ISO date
  std::string status;                       // ok | review | failed
  std::string error;                        // empty unless failed
  std::vector<std::string> review_reasons;  // why status is review, e.g. "doc_number missing"
  std::string archive_sha256;  // hash of the archived original file (== sha256 unless split)
  // sha256 of a `failed` record this document takes the place of (same id),
  // e.g. the record of its file when it could not be read; empty = none.
  std::string replaces_failed;
  std::vector<Field> fields;
  std::vector<PageRecord> pages;
};

// A person's correction of one metadata field, kept with who and when
// (`at`: UTC, ISO 8601 with milliseconds). An undone correction stays on
// record with who undid it and when; `undone_at` is empty while it is in
// force.
struct Correction {
  std::string field;
  std::string value;
  std::string by;
  std::string at;
  std::string undone_by;
  std::string undone_at;
};

// One electronic certified copy made of a document (`sohoa certify`): who
// made it, when (`at`: UTC, ISO 8601 with milliseconds), whose certificate
// signed it (`signer`: its CN; `cert_sha256`: SHA-256 of the DER
// certificate) and the SHA-256 of the signed PDF written.
struct Certification {
  int64_t doc_id = 0;
  std::string by;
  std::string at;
  std::string signer;
  std::string cert_sha256;
  std::string pdf_sha256;
};

// What is kept of a deleted document (its tombstone). `at`: UTC, ISO 8601.
struct Deletion {
  int64_t doc_id = 0;
  std::string sha256;
  std::string source;
  std::string status;  // what it was: ok | review | failed
  std::string doc_number;
  std::string reason;
  std::string by;
  std::string at;
};

// One line of a document listing (`sohoa list`).
struct DocumentSummary {
  int64_t id = 0;
  std::string status;  // ok | review | failed
  std::string doc_number;
  std::string issued_date;
  std::string doc_type;
  std::string unit;  // issuing unit
  std::string source;
};

struct StoredDocument {
  int64_t id = 0;
  std::string sha256;
  std::string source;
  std::string station;
  std::string unit;
  std::string issuer_unit;
  std::string level;
  std::string digitized_at;
  std::string status;
  std::string error;
  std::string archive_sha256;
  std::vector<Field> fields;  // effective values: a correction wins over extraction
  std::vector<PageRecord> pages;
};

struct SearchQuery {
  std::string text;   // user syntax: words, "phrases", word*, -word
  std::string unit;   // issuing unit code, empty = any
  std::string level;  // empty = any
  int year = 0;       // year of issued_date, 0 = any
  std::string type;   // folded substring of doc_type, empty = any
  int limit = 20;
  // Only documents issued by, or scanned at, one of these units (a clerk's
  // unit and its predecessors); empty = any.
  std::vector<std::string> within_units;
};

struct SearchHit {
  int64_t id = 0;
  double score = 0;  // higher is better
  std::string doc_number;
  std::string issued_date;
  std::string doc_type;
  std::string unit;  // issuing unit
  std::string snippet;
};

// One row of the register of results issued (SPEC "Register"), dates ISO.
// Keyed by (unit, doc_number, issued_date).
struct RegisterRow {
  std::string unit;
  std::string doc_number;
  std::string issued_date;
  std::string valid_until;  // empty = no expiry
  std::string dossier_code;
  std::string procedure_code;
  std::string doc_type;
  std::string title;
};

// What progress counts of one register row. Dates are YYYYMMDD numbers so
// comparisons are cheap over millions of rows; 0 = none.
struct RegisterFact {
  int unit = 0;  // index into RegisterFacts::units
  int issued = 0;
  int valid_until = 0;  // 0: no expiry
  int digitized = 0;    // earliest digitized_at of a matching ok/review document; 0: none
};

struct RegisterFacts {
  std::vector<std::string> units;  // codes, as found in the register
  std::vector<RegisterFact> rows;
};

// Progress counts of one register unit (Database::register_tallies).
struct RegisterTally {
  std::string unit;
  int first_issued = 0;            // earliest issued date, YYYYMMDD
  std::vector<int64_t> valid;      // per day asked for
  std::vector<int64_t> digitized;  // per day asked for, of those valid
};

// A stored ok/review document that matches no register row.
struct UnmatchedDocument {
  int64_t id = 0;
  std::string source;
  std::string doc_number;
  std::string issued_date;
  std::string issuer_unit;
  std::string level;
  std::string digitized_at;
};

// A person who signs in to `sohoa serve` (SPEC "Web app and API").
struct User {
  std::string name;
  std::string role;           // admin | supervisor | clerk | viewer
  std::string unit;           // clerk's unit; empty for the other roles
  std::string password_hash;  // Argon2id string (libsodium crypto_pwhash_str)
  std::string created_at;     // UTC, ISO 8601
};

// Another system's key to the API. Only a hash of the token is kept.
struct ApiToken {
  std::string name;
  std::string scope;       // reader | writer
  std::string unit;        // limits it like a clerk; empty = every unit
  std::string token_hash;  // SHA-256 hex of the token
  std::string created_at;  // UTC, ISO 8601
};

// A signed-in browser session, found by the SHA-256 of its cookie value.
struct Session {
  std::string id_hash;
  std::string user;
  std::string csrf;        // the value state-changing requests must echo
  int64_t expires_at = 0;  // Unix seconds
};

// One write, as the audit log keeps it.
struct AuditEntry {
  std::string at;  // UTC, ISO 8601 with milliseconds
  std::string user;
  std::string action;  // e.g. "correct", "ingest", "users.add"
  std::string target;  // e.g. "document 7 doc_number", "scan.png"
};

}  // namespace sohoa::storage
