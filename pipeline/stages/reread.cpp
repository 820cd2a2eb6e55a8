#include "pipeline/stages/reread.h"

#include "metadata/reread.h"

namespace sohoa::pipeline {

RereadStage::RereadStage(const ocr::ReaderOptions& reader) {
  engines_.push_back({reader, nullptr});
  readings_.push_back({0, 2.0});
  // A second model reads with other weights: its errors are not the first's.
  ocr::ReaderOptions other = reader;
  other.tessdata_dir = reader.tessdata_dir.empty() ? ocr::best_tessdata_dir(reader.language) : "";
  if (other.tessdata_dir == reader.tessdata_dir) {
    readings_.push_back({0, 3.0});  // the same engine, larger
  } else {
    engines_.push_back({other, nullptr});
    readings_.push_back({1, 2.0});
  }
  // Fail early, load late: a model file not where Tesseract looks is tried now.
  for (Engine& e : engines_) {
    if (!ocr::model_file_present(e.options))
      e.reader = std::make_unique<ocr::LineReader>(e.options);
  }
}

int RereadStage::engines_loaded() const {
  int n = 0;
  for (const Engine& e : engines_) n += e.reader != nullptr;
  return n;
}

ocr::LineReader& RereadStage::engine(size_t index) {
  Engine& e = engines_[index];
  if (!e.reader) e.reader = std::make_unique<ocr::LineReader>(e.options);
  return *e.reader;
}

Page RereadStage::run(Page page) {
  if (page.image.empty()) return page;
  for (const ocr::Box& box : metadata::reread_regions(page.text)) {
    ocr::Reread r{box, {}};
    for (const Reading& reading : readings_) {
      r.readings.push_back(engine(reading.engine).read(page.image, box, page.dpi, reading.scale));
    }
    page.text.rereads.push_back(std::move(r));
  }
  return page;
}

}  // namespace sohoa::pipeline
