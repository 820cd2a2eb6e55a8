// The separator sheet a station puts between documents of a stack: an A4
// page bearing a large QR code and two Code 128 barcodes, all holding
// SOHOA-SEPARATOR, readable at any orientation and down to 200 dpi.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>

namespace sohoa::exports {

// The content of every code on the sheet.
inline constexpr const char* kSeparatorContent = "SOHOA-SEPARATOR";

// The sheet as an upright grey A4 page (CV_8UC1, 0 ink, 255 paper) at `dpi`.
cv::Mat render_separator_sheet(int dpi = 300);

// Writes the sheet as a one-page A4 PDF (one 1-bit 300 dpi image). Throws
// std::runtime_error naming the file when it cannot be written.
void write_separator_pdf(const std::filesystem::path& out);

}  // namespace sohoa::exports
