// The load stage: a scanned file in, its pages out, one at a time so that a
// long multi-page file never sits in memory whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "pipeline/stages/page.h"

namespace sohoa::pipeline {

// The file cannot be read as a scan: corrupt, truncated, encrypted, not an
// image, or over the pixel limit. The message says which.
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  // Decompression-bomb guard: pages with more pixels are refused. 120 MP is
  // an A3 page at 600 dpi with room to spare.
  int64_t max_pixels = 120'000'000;
  int pdf_dpi = 300;      // resolution at which PDF pages are rendered
  int assumed_dpi = 300;  // when the file gives none, or an implausible one
};

// True for the file types ingest accepts (by extension, case-insensitive).
bool is_scan_file(const std::filesystem::path& path);

// Why the file, by its first bytes, is neither an image nor a PDF: "empty
// file" or "not an image or PDF (…)"; empty when it starts as a PNG, JPEG,
// TIFF, WebP, GIF or PDF does, or cannot be opened (the loader then says
// why). Reads at most 1 KiB; never throws. Folders' files are sorted by this,
// whatever their names.
std::string why_not_a_scan(const std::filesystem::path& path);

class ScanFile {
 public:
  // Reads the file's header: type, page count, first page's size. Throws
  // LoadError.
  explicit ScanFile(std::filesystem::path path, LoadOptions options = {});

  int page_count() const { return page_count_; }
  const std::string& format() const { return format_; }  // "png", "jpeg", "tiff", "webp", "pdf"

  // Decodes page `number` (1-based) to 8-bit grey. Throws LoadError.
  Page load_page(int number) const;

 private:
  std::filesystem::path path_;
  LoadOptions options_;
  std::string format_;
  int page_count_ = 1;
};

}  // namespace sohoa::pipeline
