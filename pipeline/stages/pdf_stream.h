// qpdf helpers shared by the PDF readers (pdf_image, pdf_text): opening a
// file the way ingest means it, and reading a stream within a byte budget so
// that a Flate bomb costs at most the budget, never what it inflates to.
#pragma once

#include <cstddef>
#include <filesystem>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <stdexcept>
#include <string>

namespace sohoa::pipeline {

// A stream whose decoded data is larger than the caller's budget.
class StreamOverBudget : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens `path` with no password, after check_xref_streams. A file encrypted with an owner password
// and an empty user password (e-office "SAO Y" copies) opens and reads as any other. Throws
// std::runtime_error: "encrypted PDF (password)" when a user password is needed, "unreadable PDF:
// ..." when qpdf cannot parse it.
void open_pdf(QPDF& pdf, const std::filesystem::path& path);

// Follows the file's startxref chain (/Prev, /XRefStm) without qpdf and
// inflates each Flate cross-reference stream through a counting sink,
// throwing std::runtime_error when one decodes past what its /Size and /W
// entries can need: qpdf reads a cross-reference stream whole while it
// opens the file, so a bomb there must be refused before. Anything it cannot
// follow is left to qpdf to report.
void check_xref_streams(const std::filesystem::path& path);

// The stream's data with generalized filters (Flate, LZW, ASCII85/Hex)
// decoded, read through a sink that stops at `budget` bytes. Throws
// StreamOverBudget when the data is longer, std::runtime_error when a filter
// is unsupported or the data is damaged. Memory: at most `budget` bytes plus
// the decoder's fixed buffers.
std::string decoded_stream_data(QPDFObjectHandle stream, size_t budget);

// Inflates each object stream of the file once, keeping nothing, and throws
// std::runtime_error when one decodes past 64 MB: qpdf holds an object
// stream whole in memory when it resolves an object stored in it, so a bomb
// there must be refused before any such object is read.
void check_object_streams(QPDF& pdf);

}  // namespace sohoa::pipeline
