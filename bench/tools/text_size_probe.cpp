// Prints the text-size estimate (ocr/text_size.h) of each image given:
// and the width of its ink edges (ocr::ink_edge_width):
//   text_size_probe IMAGE...   ->  NAME x_height text_dpi letters found edge_px
#include <cstdio>
#include <opencv2/imgcodecs.hpp>

#include "ocr/text_size.h"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    cv::Mat grey = cv::imread(argv[i], cv::IMREAD_GRAYSCALE);
    if (grey.empty()) continue;
    sohoa::ocr::TextSize t = sohoa::ocr::estimate_text_size(grey);
    std::printf("%s %dx%d x_height %.2f text_dpi %d letters %d found %d edge_px %.2f\n", argv[i],
                grey.cols, grey.rows, t.x_height, t.text_dpi, t.letters, t.found,
                sohoa::ocr::ink_edge_width(grey));
  }
  return 0;
}
