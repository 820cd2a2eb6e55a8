#include "export/document.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "export/alto.h"
#include "export/render.h"
#include "ocr/layout_json.h"
#include "storage/file_hash.h"
#include "storage/postgres_database.h"
#include "text/vntext.h"

namespace sohoa::exports {
namespace fs = std::filesystem;

namespace {

std::string field(const storage::StoredDocument& doc, const std::string& name) {
  for (const auto& f : doc.fields) {
    if (f.name == name) return f.value;
  }
  return {};
}

void require_pages(const storage::StoredDocument& doc) {
  if (doc.status == "failed" || doc.pages.empty()) {
    throw NotExportable("document " + std::to_string(doc.id) +
                        " has no pages to export (it was not read: " +
                        (doc.error.empty() ? doc.status : doc.error) + ")");
  }
}

ocr::PageText page_layout(const storage::StoredDocument& doc, const storage::PageRecord& p) {
  if (p.layout_json.empty()) {
    throw NotExportable("document " + std::to_string(doc.id) + " page " + std::to_string(p.page) +
                        " has no stored OCR layout");
  }
  return ocr::layout_from_json(p.layout_json);
}

// A temporary name in the same folder, so the final rename stays atomic.
fs::path temp_beside(const fs::path& out) {
  // Appended, not "." + name: GCC 12 -O3 warns falsely on that (PR 105651).
  std::string name = ".";
  name += out.filename().string();
  name += ".tmp" + std::to_string(::getpid());
  return out.parent_path() / name;
}

std::string ascii_slug(const std::string& s) {
  std::string folded = text::fold(s);
  std::string out;
  for (char c : folded) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      out += static_cast<char>(std::toupper(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// Unit codes are already ASCII; keep them as they are, minus path characters.
std::string safe_code(const std::string& code) {
  std::string out;
  for (char c : code) {
    auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) != 0 || c == '-' || c == '_' ? c : '-';
  }
  return out;
}

}  // namespace

PdfInfo pdf_info(const storage::StoredDocument& doc) {
  PdfInfo info;
  std::string type = field(doc, "doc_type");
  std::string number = field(doc, "doc_number");
  info.title = type.empty() || number.empty() ? type + number : type + " " + number;
  if (info.title.empty()) info.title = "Document " + std::to_string(doc.id);
  info.author = field(doc, "authority");
  info.subject = field(doc, "subject");
  info.creation_date = field(doc, "issued_date");
  if (info.creation_date.empty()) info.creation_date = doc.digitized_at;
  return info;
}

std::string export_base_name(const storage::StoredDocument& doc) {
  std::string unit = safe_code(doc.issuer_unit.empty() ? doc.unit : doc.issuer_unit);
  std::string date = field(doc, "issued_date");
  std::string year = date.size() >= 4 ? date.substr(0, 4) : "undated";
  std::string number = ascii_slug(field(doc, "doc_number"));
  if (number.empty()) number = "id" + std::to_string(doc.id);
  return (unit.empty() ? "unit" : unit) + "_" + year + "_" + number;
}

int first_file_page(const storage::StoredDocument& doc) {
  size_t hash = doc.sha256.find('#');
  if (hash == std::string::npos) return 1;
  try {
    return std::max(1, std::stoi(doc.sha256.substr(hash + 1)));
  } catch (const std::exception&) {
    return 1;
  }
}

void write_file_atomically(const fs::path& out, const std::string& bytes) {
  if (out.empty()) throw OutputError("no output file given");
  fs::path tmp = temp_beside(out);
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file)
      throw OutputError(out.string() + ": cannot write here (folder missing or read-only)");
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.flush();
    if (!file) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw OutputError(out.string() + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw OutputError(out.string() + ": cannot write: " + ec.message());
  }
}

DocumentExporter::DocumentExporter(fs::path db_path) : db_path_(std::move(db_path)) {}

DocumentExporter::~DocumentExporter() {
  std::error_code ec;
  if (!fetched_.empty()) fs::remove(fetched_, ec);
}

fs::path DocumentExporter::fetched_original(const storage::StoredDocument& doc,
                                            const std::string& sha) const {
  if (!fetched_.empty() && fetched_sha_ == sha) return fetched_;
  std::optional<std::string> bytes;
  try {
    bytes = storage::Database::open(db_path_)->original(sha);
  } catch (const storage::StorageError& e) {
    throw ArchiveError("document " + std::to_string(doc.id) + ": " + e.what());
  }
  if (!bytes) {
    throw ArchiveError("document " + std::to_string(doc.id) + ": archived original " + sha +
                       " is missing from the store");
  }
  std::error_code ec;
  if (!fetched_.empty()) fs::remove(fetched_, ec);
  fetched_.clear();
  std::string name = (fs::temp_directory_path() / "sohoa-original.XXXXXX").string();
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw OutputError(name + ": cannot create a temporary file");
  fetched_ = name;
  fetched_sha_ = sha;
  for (size_t done = 0; done < bytes->size();) {
    ssize_t n = ::write(fd, bytes->data() + done, bytes->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw OutputError(name + ": cannot write (disk full?)");
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw OutputError(name + ": cannot write (disk full?)");
  return fetched_;
}

fs::path DocumentExporter::archived_path(const storage::StoredDocument& doc) const {
  const std::string& sha = doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256;
  if (storage::is_postgres_url(db_path_.string())) return fetched_original(doc, sha);
  fs::path path = storage::Archive::beside(db_path_).path_of(sha);
  if (!fs::is_regular_file(path)) {
    throw ArchiveError("document " + std::to_string(doc.id) + ": archived original " +
                       path.string() + " is missing");
  }
  return path;
}

fs::path DocumentExporter::verified_original(const storage::StoredDocument& doc) const {
  fs::path path = archived_path(doc);
  const std::string& sha = doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256;
  if (storage::sha256_of_file(path) != sha) {
    throw ArchiveError("document " + std::to_string(doc.id) + ": archived original " +
                       path.string() + " does not hash to its recorded SHA-256");
  }
  return path;
}

void DocumentExporter::write_original(const storage::StoredDocument& doc,
                                      const fs::path& out) const {
  fs::path source = archived_path(doc);
  const std::string& sha = doc.archive_sha256.empty() ? doc.sha256 : doc.archive_sha256;
  fs::path tmp = temp_beside(out);
  std::error_code ec;
  fs::copy_file(source, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) throw OutputError(out.string() + ": cannot write: " + ec.message());
  if (storage::sha256_of_file(tmp) != sha) {
    fs::remove(tmp, ec);
    throw ArchiveError("document " + std::to_string(doc.id) + ": archived original " +
                       source.string() + " does not hash to its recorded SHA-256");
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw OutputError(out.string() + ": cannot write: " + ec.message());
  }
}

PdfExport DocumentExporter::pdf(const storage::StoredDocument& doc) const {
  require_pages(doc);
  fs::path original = verified_original(doc);
  pipeline::ScanFile scan(original);
  // Grey pages may not grow beyond their share of the original file.
  const size_t page_budget = fs::file_size(original) / std::max(1, scan.page_count());
  const int first = first_file_page(doc);
  PageReplay replay;
  SearchablePdf out(pdf_info(doc));
  PdfExport result;
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    const storage::PageRecord& record = doc.pages[i];
    ocr::PageText layout = page_layout(doc, record);
    PageReplay::Result restored = replay.restore(scan, first + static_cast<int>(i), record);
    result.images.push_back(out.add_page(restored.page.image, restored.page.dpi, layout,
                                         page_budget, restored.scanned_bilevel));
  }
  result.bytes = out.bytes();
  return result;
}

std::string DocumentExporter::alto(const storage::StoredDocument& doc) const {
  require_pages(doc);
  std::vector<ocr::PageText> pages;
  for (const auto& record : doc.pages) pages.push_back(page_layout(doc, record));
  AltoSource source;
  source.file_name = fs::path(doc.source).filename().string();
  return alto_xml(pages, source);
}

}  // namespace sohoa::exports
