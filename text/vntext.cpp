#include "text/vntext.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <stdexcept>

namespace sohoa::text {
namespace {

const icu::Normalizer2& nfc_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: NFC normalizer unavailable");
  return *n;
}

const icu::Normalizer2& nfd_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: NFD normalizer unavailable");
  return *n;
}

icu::UnicodeString normalize(const icu::Normalizer2& n, const icu::UnicodeString& s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = n.normalize(s, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU: normalization failed");
  return out;
}

icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Strips combining marks from an NFD string and maps the letters that carry
// their diacritic in the base character (đ, and the Latin-1 stroke letters).
icu::UnicodeString strip_marks(const icu::UnicodeString& decomposed) {
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    switch (c) {
      case 0x0111:
        c = 'd';
        break;  // đ
      case 0x0110:
        c = 'D';
        break;  // Đ
      case 0x0189:
        c = 'D';
        break;  // Ɖ, sometimes produced by OCR for Đ
      default:
        break;
    }
    out.append(c);
  }
  return out;
}

}  // namespace

std::string nfc(std::string_view utf8) {
  return to_utf8(normalize(nfc_normalizer(), from_utf8(utf8)));
}

std::string fold(std::string_view utf8) {
  icu::UnicodeString s = normalize(nfd_normalizer(), from_utf8(utf8));
  s = strip_marks(s);
  s.toLower(icu::Locale::getRoot());
  return to_utf8(normalize(nfc_normalizer(), s));
}

std::string lower(std::string_view utf8) {
  icu::UnicodeString s = from_utf8(utf8);
  s.toLower(icu::Locale::getRoot());
  return to_utf8(normalize(nfc_normalizer(), s));
}

std::string upper(std::string_view utf8) {
  icu::UnicodeString s = from_utf8(utf8);
  s.toUpper(icu::Locale::getRoot());
  return to_utf8(normalize(nfc_normalizer(), s));
}

std::string collapse_spaces(std::string_view utf8) {
  icu::UnicodeString s = from_utf8(utf8);
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || c == 0xFEFF) {
      pending_space = out.length() > 0;
      continue;
    }
    if (pending_space) out.append(static_cast<UChar>(' '));
    pending_space = false;
    out.append(c);
  }
  return to_utf8(out);
}

bool has_accents(std::string_view utf8) { return fold(utf8) != lower(utf8); }

std::size_t length(std::string_view utf8) {
  return static_cast<std::size_t>(from_utf8(utf8).countChar32());
}

}  // namespace sohoa::text
