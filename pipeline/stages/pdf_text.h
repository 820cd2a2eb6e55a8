// Born-digital PDF pages (a law downloaded from the web, an e-office copy)
// carry their text: reading it is exact and far faster than OCR of a
// rendering. SPEC: "A PDF page that carries real text (Unicode-mapped fonts,
// no page-filling image) is read from its text; a scanned page, even with an
// old text layer, is read by OCR." As OCRmyPDF's --skip-text.
#pragma once

#include <filesystem>
#include <optional>

#include "ocr/page_text.h"

namespace sohoa::pipeline {

// What the page's content streams show, found by walking them (forms
// included) with qpdf, without rendering.
struct PdfPageContent {
  bool page_filling_image = false;  // an image drawn over half the page or more
  double image_dpi = 0;             // the largest such image's pixels per inch across, as drawn
  bool visible_text = false;        // text shown in a visible rendering mode
  bool unmapped_font = false;       // text shown in a font with no Unicode mapping
  int text_operators = 0;           // Tj, TJ, ', " operators met
  bool too_complex = false;         // more form calls than walked (10,000): not walked further
};

// Walks page `index` (0-based). Throws std::runtime_error when the PDF cannot
// be read or the page's content inflates past 64 MB (a decompression bomb;
// memory stays within that budget).
PdfPageContent pdf_page_content(const std::filesystem::path& pdf, int index);

// True when `content` is a page to read from its text: visible text, every
// font Unicode-mapped, no page-filling image, and not so many text operators
// that collecting the words would cost more than a page image.
bool is_text_page(const PdfPageContent& content);

// True when `utf8` reads as Unicode text, not glyph codes or a legacy
// Vietnamese 8-bit encoding (TCVN3/VNI) shown through a Latin-1 font: at most
// 3% of its non-space characters are U+FFFD, controls, private-use, or
// Latin-1 symbols and letters Vietnamese does not use.
bool is_sane_text(const std::string& utf8);

// The words of page `index` from its text layer (poppler), in reading order,
// grouped into lines and blocks, with boxes in pixels of the page rendered
// `width` x `height`; confidence 100. nullopt when `content` (the page's, from
// pdf_page_content) is not a text page or the text is not sane
// (is_text_page, is_sane_text): it is then read by OCR. Throws
// std::runtime_error when poppler cannot open the page.
std::optional<ocr::PageText> pdf_page_text(const std::filesystem::path& pdf, int index,
                                           const PdfPageContent& content, int width, int height);

}  // namespace sohoa::pipeline
