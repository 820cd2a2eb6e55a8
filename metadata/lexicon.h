// Closed vocabularies of Decree 30/2020/NĐ-CP headers that OCR text can be
// checked against: the names of public bodies and of the provinces that
// make up an issuing-body block ("UBND TỈNH TUYÊN QUANG / SỞ TƯ PHÁP"),
// and the kinds of administrative document (its Article 7) that open a
// title. A word that spells a lexicon phrase apart from its tone marks and
// spaces is a reading of that phrase; any other word is only as sure as OCR
// was of it.
#pragma once

#include <string>
#include <vector>

namespace sohoa::metadata::lexicon {

struct CheckedWord {
  std::string text;       // printed form: the lexicon's spelling when `known`
  bool known = false;     // part of a lexicon phrase
  double confidence = 0;  // OCR confidence 0..1 of the word(s) it came from
};

// Words of an issuing-body block as read, each with its OCR confidence
// (0..1). Every run of one to six words whose fold (marks, case and spaces
// dropped: "KHOATỈNH" = "KHOA TỈNH") equals that of one body-name phrase is
// replaced by the phrase's words, marked known. Longest phrase first; a
// single word is matched only when its fold names one phrase (no "TỈNH" for
// "TĨNH": Hà Tĩnh).
std::vector<CheckedWord> check_body_words(const std::vector<std::pair<std::string, double>>& words);

// True when `word` (as printed, any case, with a word's own "." or "-"
// inside or after it) is spelt as Vietnamese prints the words of a body's
// name: every part between dots and dashes a Vietnamese syllable (an
// initial consonant, one to three vowels, a final consonant: "NGHIÊM",
// "QUỐC", "UY"), a number ("1"), or an abbreviation of consonants only
// ("TP", "THCS", "HCM"). False for a misreading such as "LIBND" (UBND),
// vowels among a cluster no syllable closes with.
bool spelt_like_a_word(const std::string& word);

// The kinds of document of Decree 30 (Art. 7) and the titles of civil-status
// and licensing papers, in capitals: "QUYẾT ĐỊNH", "HỢP ĐỒNG", "LUẬT", …
const std::vector<std::string>& document_kinds();

// True when `word` (as printed, any case) is a Vietnamese family name: a
// full name opens with one ("Hồ Đình Tùng"; not "Hỗ …", not "Bá Chân" with
// its family name lost under a seal).
bool is_family_name(const std::string& word);

}  // namespace sohoa::metadata::lexicon
