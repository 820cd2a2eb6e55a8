// Re-creates the restored page images that OCR read, from the archived
// original: restored images are not stored, and the word boxes of the stored
// layout are in their pixels.
#pragma once

#include <memory>
#include <vector>

#include "export/pdf.h"
#include "pipeline/stages/load.h"
#include "pipeline/stages/page.h"
#include "storage/records.h"

namespace sohoa::exports {

// Replays restoration with what ingest recorded instead of measuring again:
// the page is turned by the stored `rotation` and the restoration stages
// that follow orientation run with the stored `skew_deg` preset. The stages
// are deterministic and take a preset skew as measured, so the image equals
// the one OCR saw, without the cost of orientation detection.
class PageReplay {
 public:
  PageReplay();
  ~PageReplay();
  PageReplay(const PageReplay&) = delete;
  PageReplay& operator=(const PageReplay&) = delete;

  struct Result {
    pipeline::Page page;           // as OCR read it
    bool scanned_bilevel = false;  // the page as loaded was black and white only
  };

  // Page `file_page` (1-based) of `scan`, restored as ingest restored the
  // page `record` describes. Throws LoadError.
  Result restore(const pipeline::ScanFile& scan, int file_page, const storage::PageRecord& record);

 private:
  std::vector<std::unique_ptr<pipeline::PageStage>> stages_;
};

}  // namespace sohoa::exports
