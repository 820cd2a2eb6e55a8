// A page stage that misbehaves on purpose, so ingest's failure paths can be
// driven directly (as OCRmyPDF's tests do with fault-injecting plugins)
// instead of only through real files that happen to break a library.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "pipeline/stages/page.h"

namespace sohoa::testing {

struct Faults {
  int throw_on_page = 0;  // page number whose run() throws (0: none)
  std::string throw_message = "injected fault";
  bool empty_text = false;                 // every page comes out with no words at all
  int delay_ms = 0;                        // each page takes this long
  std::atomic<int>* pages_seen = nullptr;  // counts run() calls when set
  std::function<void(int page)> on_page;   // called first in run(), when set
};

// Stands in for recognize: writes `text` (one line "TRANG N", or nothing)
// and nothing else, as the stage contract asks of recognize.
class FaultStage : public pipeline::PageStage {
 public:
  explicit FaultStage(Faults faults) : faults_(std::move(faults)) {}
  const char* name() const override { return "fault"; }
  pipeline::Page run(pipeline::Page page) override {
    if (faults_.pages_seen) ++*faults_.pages_seen;
    if (faults_.on_page) faults_.on_page(page.number);
    if (faults_.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(faults_.delay_ms));
    if (page.number == faults_.throw_on_page) throw std::runtime_error(faults_.throw_message);
    page.text = {};
    if (!faults_.empty_text) page.text.text = "TRANG " + std::to_string(page.number);
    page.text.width = page.image.cols;
    page.text.height = page.image.rows;
    return page;
  }

 private:
  Faults faults_;
};

}  // namespace sohoa::testing
