// The separator sheet put between documents scanned as one stack: a QR code
// whose content is SOHOA-SEPARATOR (SPEC "ingest --split separator").
#pragma once

#include <vips/vips8>

namespace sohoa::samples {

constexpr const char* kSeparatorContent = "SOHOA-SEPARATOR";

// A clean upright A4 page at 300 dpi (one band uchar, white paper).
vips::VImage render_separator_sheet();

}  // namespace sohoa::samples
