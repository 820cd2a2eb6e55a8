#include "ocr/line_reader.h"

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "text/vntext.h"

namespace sohoa::ocr {
namespace {

// The region widened by a third of its height each side, inside the image.
cv::Rect padded_region(const Box& box, const cv::Mat& grey) {
  int pad = std::max(4, box.h / 3);
  cv::Rect r(box.x - pad, box.y - pad, box.w + 2 * pad, box.h + 2 * pad);
  return r & cv::Rect(0, 0, grey.cols, grey.rows);
}

}  // namespace

LineReader::LineReader(ReaderOptions options)
    : api_(start_tesseract(options, tesseract::PSM_SINGLE_LINE)) {}

LineReader::~LineReader() {
  if (api_) api_->End();
}

Line LineReader::read(const cv::Mat& grey, const Box& box, int dpi, double scale) {
  if (grey.empty() || grey.type() != CV_8UC1) throw OcrError("OCR needs an 8-bit grey image");
  Line line;
  line.box = box;
  cv::Rect inside = cv::Rect(box.x, box.y, box.w, box.h) & cv::Rect(0, 0, grey.cols, grey.rows);
  cv::Rect region = padded_region(box, grey);
  if (inside.width < 2 || inside.height < 2) return line;
  scale = std::clamp(scale, 1.0, 4.0);
  cv::Mat crop;
  cv::resize(grey(region), crop, cv::Size(), scale, scale, cv::INTER_CUBIC);
  // A white margin: Tesseract misreads glyphs that touch the image's edge.
  int margin = static_cast<int>(std::lround(box.h * scale / 2));
  cv::copyMakeBorder(crop, crop, margin, margin, margin, margin, cv::BORDER_CONSTANT, 255);

  api_->SetImage(crop.data, crop.cols, crop.rows, 1, static_cast<int>(crop.step));
  api_->SetSourceResolution(std::max(70, static_cast<int>(std::lround(dpi * scale))));
  if (api_->Recognize(nullptr) != 0) {
    api_->Clear();
    return line;
  }
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (it) {
    do {
      if (it->Empty(tesseract::RIL_WORD)) continue;
      std::string text = text::nfc(take_utf8(it->GetUTF8Text(tesseract::RIL_WORD)));
      if (text.empty()) continue;
      int left = 0, top = 0, right = 0, bottom = 0;
      it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom);
      auto back = [&](int v, int origin) {
        return origin + static_cast<int>(std::lround((v - margin) / scale));
      };
      Box b{back(left, region.x), back(top, region.y), 0, 0};
      b.w = std::max(1, back(right, region.x) - b.x);
      b.h = std::max(1, back(bottom, region.y) - b.y);
      line.words.push_back(Word{std::move(text), b, it->Confidence(tesseract::RIL_WORD)});
    } while (it->Next(tesseract::RIL_WORD));
  }
  api_->Clear();
  for (const Word& w : line.words) line.text += (line.text.empty() ? "" : " ") + w.text;
  return line;
}

}  // namespace sohoa::ocr
