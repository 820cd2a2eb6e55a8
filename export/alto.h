// ALTO v4 (4.2) XML from the stored OCR layout: pages, text blocks, lines and
// words with their pixel boxes and confidences, in the coordinates of the
// restored page image that OCR read.
#pragma once

#include <string>
#include <vector>

#include "ocr/page_text.h"

namespace sohoa::exports {

struct AltoSource {
  std::string file_name;  // the original scan's name, for sourceImageInformation
  std::string software_version = "0.1.0";
};

// One <Page> per element of `pages`, numbered from 1.
std::string alto_xml(const std::vector<ocr::PageText>& pages, const AltoSource& source);

}  // namespace sohoa::exports
