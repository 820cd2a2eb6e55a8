// Escaping text for XML and HTML output (ALTO, XMP, the HTML report).
#pragma once

#include <string>
#include <string_view>

namespace sohoa::text {

// `&`, `<`, `>`, `"`, tabs and line breaks as character references: safe in element
// content and in double-quoted attribute values alike.
std::string xml_escape(std::string_view s);

}  // namespace sohoa::text
