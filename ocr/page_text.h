// What OCR learned from one page: its words with boxes, grouped into lines
// and blocks as Tesseract's layout analysis found them.
#pragma once

#include <string>
#include <vector>

namespace sohoa::ocr {

// Pixel rectangle in the coordinates of the image that was read.
struct Box {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;
};

struct Word {
  std::string text;  // NFC
  Box box;
  float confidence = 0;  // 0..100
};

struct Line {
  std::string text;  // NFC, words joined by one space
  Box box;
  std::vector<Word> words;
};

struct Block {
  Box box;
  std::vector<Line> lines;
};

// A region of the page read again on its own, after the page was read (a
// field re-read: a number, date or code line whose digits the page's reading
// left unsure). Each reading is independent (another scale or model); the
// metadata extractor decides what they confirm.
struct Reread {
  Box box;  // the region, in the page's pixels
  std::vector<Line> readings;
};

struct PageText {
  int width = 0;  // size of the image that was read
  int height = 0;
  std::vector<Block> blocks;
  std::string text;             // NFC; lines end with '\n', blocks separated by a blank line
  float mean_confidence = 0;    // mean word confidence, 0..100; 0 when no words
  std::vector<Reread> rereads;  // empty unless the re-read stage ran (pipeline/stages/reread.h)
};

}  // namespace sohoa::ocr
