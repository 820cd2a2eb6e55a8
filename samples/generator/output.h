// Writing scanned pages in the formats sohoa ingests.
#pragma once

#include <string>
#include <vector>
#include <vips/vips8>

namespace sohoa::samples {

enum class Format { kPng, kJpg, kWebp, kTif, kG4, kPdf };

const std::vector<std::string>& format_names();  // png jpg webp tif g4 pdf
Format parse_format(const std::string& name);
std::string extension(Format format);  // "png", "jpg", "webp", "tif" (also g4), "pdf"
bool holds_several_pages(Format format);
bool keeps_colour(Format format);
bool stores_jpeg(Format format);

// Writes all pages of one document to `path`. Pages must share dpi and bands;
// pages of different sizes are centred on the largest size (a scanner's fixed
// bed). jpeg_quality applies to jpg and pdf; `noisy` pages get a faster
// lossless compression (deflate takes about a second on a noisy page).
void write_document(const std::string& path, Format format, const std::vector<vips::VImage>& pages,
                    int dpi, int jpeg_quality, bool noisy);

// A PDF whose pages are each one embedded JPEG (DCTDecode) at `dpi`.
std::string scanned_pdf(const std::vector<std::string>& jpegs, const std::vector<int>& widths,
                        const std::vector<int>& heights, const std::vector<bool>& colour, int dpi);

}  // namespace sohoa::samples
