#include "pipeline/stages/reread.h"

#include "metadata/reread.h"

namespace sohoa::pipeline {

RereadStage::RereadStage(const ocr::ReaderOptions& reader) {
  readings_.push_back({std::make_unique<ocr::LineReader>(reader), 2.0});
  // A second model reads with other weights: its errors are not the first's.
  ocr::ReaderOptions other = reader;
  other.tessdata_dir = reader.tessdata_dir.empty() ? ocr::best_tessdata_dir(reader.language) : "";
  if (other.tessdata_dir == reader.tessdata_dir) {
    readings_.push_back({std::make_unique<ocr::LineReader>(reader), 3.0});
  } else {
    readings_.push_back({std::make_unique<ocr::LineReader>(other), 2.0});
  }
}

Page RereadStage::run(Page page) {
  if (page.image.empty()) return page;
  for (const ocr::Box& box : metadata::reread_regions(page.text)) {
    ocr::Reread r{box, {}};
    for (auto& reading : readings_) {
      r.readings.push_back(reading.reader->read(page.image, box, page.dpi, reading.scale));
    }
    page.text.rereads.push_back(std::move(r));
  }
  return page;
}

}  // namespace sohoa::pipeline
