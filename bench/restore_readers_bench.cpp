// Which image should Tesseract read: the cleaned grey page or a binarized
// one? Measured on damaged renders with known text (not a Google Benchmark:
// it prints one table). Each page is restored by the three stages, then read
// by Tesseract (vie, one thread) as grey, as Otsu-binarized, and, for scale,
// as scanned and as restored from the known truth (the floor).
//   build/restore_readers_bench [pages]
// Measured (12 pages: 4 orientations, skews to 24°, 6 fonts, 200 dpi, JPEG
// q25, 1-bit, speckle, uneven grey paper, lid shadows): as scanned 71.6%,
// restored grey 0.83%, restored and Otsu-binarized 0.88%, restored from the
// truth 0.83%. So the clean stage hands Tesseract the grey page.
#include <tesseract/baseapi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ocr/cleanup.h"
#include "ocr/skew.h"
#include "ocr/orientation.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/orient.h"
#include "tests/support/restore_render.h"
#include "text/cer.h"
#include "text/vntext.h"

using namespace sohoa;

namespace {

struct Scan {
  cv::Mat image;
  int dpi = 300;
  int rotation = 0;
  double skew = 0;
};

struct Tally {
  const char* name;
  text::CerCount errors;
  double seconds = 0;
};

class Reader {
 public:
  Reader() {
    if (api_.Init(nullptr, "vie", tesseract::OEM_LSTM_ONLY) != 0) std::exit(2);
    api_.SetPageSegMode(tesseract::PSM_AUTO);
  }
  std::string read(const cv::Mat& grey, int dpi) {
    api_.SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
    api_.SetSourceResolution(dpi);
    std::unique_ptr<char[]> text(api_.GetUTF8Text());
    api_.Clear();
    return text ? text::nfc(text.get()) : "";
  }

 private:
  tesseract::TessBaseAPI api_;
};

// Page i of the set: fonts, angles and damage vary with i.
Scan damaged_scan(int i) {
  static const char* fonts[] = {"DejaVu Serif 13", "FreeSerif 13",        "TeX Gyre Termes 13",
                                "DejaVu Sans 11",  "TeX Gyre Pagella 12", "FreeSans 12"};
  static const double skews[] = {3.2, -7.5, 12.0, -1.1, 24.0, -0.4};
  Scan scan;
  scan.rotation = (i % 4) * 90;
  scan.skew = skews[i % 6];
  cv::Mat page = testing::render_page(fonts[i % 6]);
  scan.image = testing::degrade(testing::scan(page, scan.skew, scan.rotation), 100 + i, i % 2 == 0);
  if (i % 3 == 1) {  // 200 dpi
    cv::resize(scan.image, scan.image, cv::Size(), 2.0 / 3, 2.0 / 3, cv::INTER_AREA);
    scan.dpi = 200;
  }
  if (i % 3 == 2) {  // JPEG damage
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", scan.image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 25});
    scan.image = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
  }
  if (i % 4 == 3) {  // 1-bit, as a Group 4 TIFF loads
    cv::threshold(scan.image, scan.image, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  }
  return scan;
}

std::string truth_of(int i) {
  (void)i;
  std::string all;
  for (const auto& line : testing::page_lines()) all += line + "\n";
  return all;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void add(Tally& tally, const std::string& truth, const std::string& text, double seconds) {
  text::CerCount c = text::character_errors(truth, text);
  tally.errors.edits += c.edits;
  tally.errors.truth_chars += c.truth_chars;
  tally.seconds += seconds;
}

}  // namespace

int main(int argc, char** argv) {
  setenv("OMP_THREAD_LIMIT", "1", 1);
  cv::setNumThreads(1);
  int pages = argc > 1 ? std::atoi(argv[1]) : 12;
  Reader reader;
  pipeline::OrientStage orient;
  pipeline::DeskewStage deskew;
  pipeline::CleanStage clean;
  Tally raw{"as scanned", {}, 0}, grey{"restored, grey", {}, 0},
      binary{"restored, binarized (Otsu)", {}, 0}, floor{"restored from truth, grey", {}, 0};
  int orientation_right = 0;
  double skew_error = 0, skew_worst = 0;
  for (int i = 0; i < pages; ++i) {
    Scan scan = damaged_scan(i);
    std::string truth = truth_of(i);

    auto start = std::chrono::steady_clock::now();
    std::string read = reader.read(scan.image, scan.dpi);
    add(raw, truth, read, seconds_since(start));

    start = std::chrono::steady_clock::now();
    pipeline::Page page;
    page.image = scan.image;
    page.dpi = scan.dpi;
    page = clean.run(deskew.run(orient.run(std::move(page))));
    double restore_seconds = seconds_since(start);
    orientation_right += page.rotation == scan.rotation;
    double error = std::abs(page.skew_deg - scan.skew);
    skew_error += error;
    skew_worst = std::max(skew_worst, error);

    start = std::chrono::steady_clock::now();
    read = reader.read(page.image, page.dpi);
    add(grey, truth, read, restore_seconds + seconds_since(start));
    start = std::chrono::steady_clock::now();
    read = reader.read(ocr::binarize(page.image), page.dpi);
    add(binary, truth, read, restore_seconds + seconds_since(start));

    start = std::chrono::steady_clock::now();
    int dpi = scan.dpi;
    cv::Mat known = ocr::turn_upright(scan.image, scan.rotation);
    known = ocr::rotate_and_scale(known, scan.skew, 1.0, ocr::paper_level(known));
    known = ocr::clean_page(known, dpi);
    read = reader.read(known, dpi);
    add(floor, truth, read, seconds_since(start));
    std::fprintf(stderr, "page %d: rotation %d/%d skew %.2f/%.2f\n", i + 1, page.rotation,
                 scan.rotation, page.skew_deg, scan.skew);
  }
  std::printf("%d pages; orientation right %d/%d; skew error mean %.3f° max %.3f°\n", pages,
              orientation_right, pages, skew_error / pages, skew_worst);
  std::printf("%-30s %8s %10s\n", "reader", "CER", "s/page");
  for (const Tally* t : {&raw, &grey, &binary, &floor})
    std::printf("%-30s %7.2f%% %10.2f\n", t->name, 100 * t->errors.rate(), t->seconds / pages);
  return 0;
}
