#include "ocr/tesseract_reader.h"

#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "text/vntext.h"

namespace sohoa::ocr {
namespace {

Box bounding_box(const tesseract::PageIterator& it, tesseract::PageIteratorLevel level) {
  int left = 0, top = 0, right = 0, bottom = 0;
  it.BoundingBox(level, &left, &top, &right, &bottom);
  return Box{left, top, right - left, bottom - top};
}

// Builds the page's text from its layout so that `text` and `blocks` agree:
// one line per text line, a blank line between blocks.
std::string join_blocks(const std::vector<Block>& blocks) {
  std::string out;
  for (const Block& block : blocks) {
    if (!out.empty()) out += '\n';
    for (const Line& line : block.lines) {
      out += line.text;
      out += '\n';
    }
  }
  return out;
}

float mean_word_confidence(const std::vector<Block>& blocks) {
  double sum = 0;
  int count = 0;
  for (const Block& block : blocks) {
    for (const Line& line : block.lines) {
      for (const Word& word : line.words) {
        sum += word.confidence;
        ++count;
      }
    }
  }
  return count == 0 ? 0.0f : static_cast<float>(sum / count);
}

void finish_line(Line& line) {
  line.text.clear();
  for (const Word& word : line.words) {
    if (!line.text.empty()) line.text += ' ';
    line.text += word.text;
  }
}

std::vector<Block> collect_layout(tesseract::ResultIterator& it) {
  std::vector<Block> blocks;
  const auto word_level = tesseract::RIL_WORD;
  do {
    if (it.Empty(word_level)) continue;
    if (blocks.empty() || it.IsAtBeginningOf(tesseract::RIL_BLOCK)) {
      blocks.push_back(Block{bounding_box(it, tesseract::RIL_BLOCK), {}});
    }
    Block& block = blocks.back();
    if (block.lines.empty() || it.IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      block.lines.push_back(Line{{}, bounding_box(it, tesseract::RIL_TEXTLINE), {}});
    }
    std::string word_text = text::nfc(take_utf8(it.GetUTF8Text(word_level)));
    if (word_text.empty()) continue;
    block.lines.back().words.push_back(
        Word{std::move(word_text), bounding_box(it, word_level), it.Confidence(word_level)});
  } while (it.Next(word_level));

  for (Block& block : blocks) {
    std::erase_if(block.lines, [](const Line& l) { return l.words.empty(); });
    for (Line& line : block.lines) finish_line(line);
  }
  std::erase_if(blocks, [](const Block& b) { return b.lines.empty(); });
  return blocks;
}

}  // namespace

void finish_page(PageText& page) {
  page.text = join_blocks(page.blocks);
  page.mean_confidence = mean_word_confidence(page.blocks);
}

std::string best_tessdata_dir(const std::string& language) {
  const char* env = std::getenv("SOHOA_TESSDATA");
  std::filesystem::path dir = env != nullptr && *env != '\0' ? env : kBestTessdataDir;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / (language + ".traineddata"), ec)) return {};
  return dir.string();
}

ReaderOptions reader_options_for_model(const std::string& model) {
  ReaderOptions options;
  if (model == "fast") return options;
  options.tessdata_dir = best_tessdata_dir(options.language);
  if (model == "best" && options.tessdata_dir.empty()) {
    const char* env = std::getenv("SOHOA_TESSDATA");
    throw OcrError(std::string("the best OCR model is not installed (no ") + options.language +
                   ".traineddata in " + (env != nullptr && *env != '\0' ? env : kBestTessdataDir) +
                   "; run scripts/install-deps)");
  }
  if (model != "best" && !model.empty()) throw OcrError("unknown OCR model '" + model + "'");
  return options;
}

bool model_file_present(const ReaderOptions& options) {
  std::error_code ec;
  std::filesystem::path dir = options.tessdata_dir;
  if (dir.empty()) {
    const char* prefix = std::getenv("TESSDATA_PREFIX");
    dir = prefix != nullptr && *prefix != '\0' && std::filesystem::exists(prefix, ec)
              ? prefix
              : kSystemTessdataDir;
  }
  return std::filesystem::is_regular_file(dir / (options.language + ".traineddata"), ec);
}

std::string take_utf8(char* owned) {
  if (owned == nullptr) return {};
  std::string s(owned);
  delete[] owned;
  return s;
}

std::unique_ptr<tesseract::TessBaseAPI> start_tesseract(const ReaderOptions& options, int psm) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const char* datapath = options.tessdata_dir.empty() ? nullptr : options.tessdata_dir.c_str();
  if (api->Init(datapath, options.language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    throw OcrError("Tesseract cannot load language '" + options.language + "' (is tesseract-ocr-" +
                   options.language + " installed?)");
  }
  // Tesseract reports to stderr by default; a library must not print.
  api->SetVariable("debug_file", "/dev/null");
  api->SetPageSegMode(static_cast<tesseract::PageSegMode>(psm));
  return api;
}

TesseractReader::TesseractReader(ReaderOptions options)
    : options_(std::move(options)), api_(start_tesseract(options_, tesseract::PSM_AUTO)) {}

TesseractReader::~TesseractReader() {
  if (api_) api_->End();
}

PageText TesseractReader::read(const cv::Mat& grey, int dpi) {
  if (grey.empty() || grey.type() != CV_8UC1) throw OcrError("OCR needs an 8-bit grey image");
  api_->SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  api_->SetSourceResolution(std::max(dpi, 70));

  tesseract::ETEXT_DESC monitor;
  if (options_.page_time_limit_ms > 0) monitor.set_deadline_msecs(options_.page_time_limit_ms);
  int rc = api_->Recognize(&monitor);
  if (monitor.deadline_exceeded()) {
    api_->Clear();
    throw OcrError("OCR exceeded the page time limit of " +
                   std::to_string(options_.page_time_limit_ms / 1000) + " s");
  }
  if (rc != 0) {
    api_->Clear();
    throw OcrError("Tesseract could not read the page");
  }

  PageText page;
  page.width = grey.cols;
  page.height = grey.rows;
  std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
  if (it) page.blocks = collect_layout(*it);
  finish_page(page);
  api_->Clear();
  return page;
}

std::string TesseractReader::version() { return tesseract::TessBaseAPI::Version(); }

}  // namespace sohoa::ocr
