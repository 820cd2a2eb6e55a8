// Escaping text for XML and HTML output (ALTO, XMP, the HTML report, the web
// app's pages): one escape serves both.
#pragma once

#include <string>
#include <string_view>

namespace sohoa::text {

// `&`, `<`, `>`, `"`, `'`, tabs and line breaks as character references, so
// the result is safe in element content and in single- or double-quoted
// attribute values alike, in XML 1.0 and in HTML (an attribute keeps its
// tabs and line breaks instead of having them normalized to spaces). Other
// C0 control characters, which XML 1.0 cannot carry at all, become U+FFFD.
// Other bytes pass unchanged (UTF-8 stays as it is).
std::string xml_escape(std::string_view s);

}  // namespace sohoa::text
