// OCR layout as JSON, stored with each page so that metadata can be
// re-extracted and exports built without reading the page again.
#pragma once

#include <string>

#include "ocr/page_text.h"

namespace sohoa::ocr {

// {"width":W,"height":H,"confidence":C,"blocks":[{"box":[x,y,w,h],"lines":[{"box":[…],
//   "words":[{"text":"…","box":[…],"conf":C}]}]}]}
std::string layout_to_json(const ocr::PageText& page);

// The inverse; `text` and line texts are rebuilt from the words. Throws
// std::runtime_error on malformed JSON.
ocr::PageText layout_from_json(const std::string& json);

}  // namespace sohoa::ocr
