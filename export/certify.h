// Electronic certified copies ("bản sao điện tử"): a document's searchable
// PDF with the copy mark of Decree 30/2020 on its first page, signed by the
// copying body's certificate (export/pdf_signature.h).
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "export/pdf_signature.h"

namespace sohoa::exports {

// What the copy mark says. Decree 30/2020 (Annex I) asks an electronic copy
// for the form of copy ("SAO Y"), the copying body, and the time of signing
// (date and time, Vietnam time zone, ISO 8601), at the top right of the
// first page, where the body's digital signature goes.
struct CopyMark {
  std::string body;    // the copying body (the certificate's O, else its CN)
  std::string place;   // the certificate's locality, or empty
  std::string signer;  // the certificate's CN
  std::time_t signed_at = 0;
};

// The mark's lines, top to bottom: "SAO Y", the body, "PLACE, ngày DD tháng
// MM năm YYYY", "Thời gian ký: YYYY-MM-DDTHH:MM:SS+07:00", "Ký số: SIGNER".
std::vector<std::string> copy_mark_lines(const CopyMark& mark);

// `pdf` (a searchable PDF from SearchablePdf) with the mark drawn at the top
// right of page 1 (ink as a stencil, so the scan under it stays visible,
// and the same lines as invisible text for search and copy), and
// `document_sha256` in the XMP metadata (sohoa:sha256, declared as a PDF/A
// extension schema). `rect` receives the mark's frame, where the signature
// field goes. Throws std::runtime_error when `pdf` is not such a file.
std::string mark_copy(const std::string& pdf, const CopyMark& mark,
                      const std::string& document_sha256, SignatureRect& rect);

// The signed copy of `pdf`: marked, then signed at `now` with `credentials`.
// Throws SigningError when the certificate is not valid at `now` or the key
// cannot sign.
std::string certify_pdf(const std::string& pdf, const std::string& document_sha256,
                        const SigningCredentials& credentials, std::time_t now);

}  // namespace sohoa::exports
