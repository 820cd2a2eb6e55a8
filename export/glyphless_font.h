// The font program of the PDF text layer.
#pragma once

#include <string>

namespace sohoa::exports {

// TrueType bytes of a font whose only glyph (GID 1) is blank and 500/1000 em
// wide, so text drawn with it can be scaled onto any word box.
std::string glyphless_font();

}  // namespace sohoa::exports
