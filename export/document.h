// Archival outputs of one stored document: a searchable PDF, ALTO XML, or the
// original bytes. Files are written whole or not at all (temp file, rename).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "export/pdf.h"
#include "storage/database.h"

namespace sohoa::exports {

// The output file cannot be written (SPEC: bad usage, exit 1).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The document cannot be exported as asked: it was never read (failed), or
// has no layout (SPEC: bad input, exit 1).
class NotExportable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The archived original is missing or its bytes no longer hash to the
// recorded SHA-256 (exit 2: the store is damaged).
class ArchiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PdfExport {
  std::string bytes;
  std::vector<PdfImageStats> images;  // one per page
};

class DocumentExporter {
 public:
  // `db_path` a SQLite file (originals in its archive beside it) or a
  // PostgreSQL URL (originals in the store: each is fetched, hash-checked,
  // into a private temporary file removed with the exporter).
  explicit DocumentExporter(std::filesystem::path db_path);
  ~DocumentExporter();
  DocumentExporter(const DocumentExporter&) = delete;
  DocumentExporter& operator=(const DocumentExporter&) = delete;

  PdfExport pdf(const storage::StoredDocument& doc) const;
  std::string alto(const storage::StoredDocument& doc) const;

  // The archived original, its bytes checked against the recorded SHA-256.
  std::filesystem::path verified_original(const storage::StoredDocument& doc) const;

  // Copies the verified original to `out`; the copy itself is hashed before
  // it takes the name `out`.
  void write_original(const storage::StoredDocument& doc, const std::filesystem::path& out) const;

 private:
  std::filesystem::path archived_path(const storage::StoredDocument& doc) const;
  std::filesystem::path fetched_original(const storage::StoredDocument& doc,
                                         const std::string& sha) const;
  std::filesystem::path db_path_;
  mutable std::filesystem::path fetched_;  // the last original fetched from a central store
  mutable std::string fetched_sha_;
};

// Writes `bytes` to `out` through a temporary file beside it. Throws
// OutputError naming the file.
void write_file_atomically(const std::filesystem::path& out, const std::string& bytes);

// The PDF's title, author, subject and date from the document's metadata:
// title = doc_type + " " + doc_number, author = authority, date = issued_date.
PdfInfo pdf_info(const storage::StoredDocument& doc);

// "UNIT_YEAR_NUMBER" for batch exports, ASCII only: "22222_2022_392-QD-UBND".
// A missing year is "undated", a missing number "id<ID>".
std::string export_base_name(const storage::StoredDocument& doc);

// Pages of the scanned file that the document's pages are: 1..N, or
// FIRST..LAST for a document cut from a stack (sha256 "…#FIRST-LAST").
int first_file_page(const storage::StoredDocument& doc);

}  // namespace sohoa::exports
