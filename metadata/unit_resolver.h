// Which registered administrative unit issued a document, from its
// authority block (and place) at its date. Names recur across the 2025
// reorganization ("Xã Hòa Thịnh" before and after, "Tây Hòa" district then
// commune), so a name alone may be ambiguous: the date decides, and without
// a usable date the resolver says "ambiguous" rather than guess.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"

namespace sohoa::metadata {

struct UnitMatch {
  enum class Kind {
    kResolved,   // one unit named and valid at the date
    kAmbiguous,  // several units fit (no date, or the date does not decide)
    kNotValid,   // a unit is named but none of that name is valid at the date
    kUnknown,    // no registered unit named
  };
  Kind kind = Kind::kUnknown;
  std::string code;                     // when resolved
  std::vector<std::string> candidates;  // codes of the units named
  // "ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG" (or "UBND XÃ HÒA ĐỒNG", as the block
  // printed it): the authority as the matched unit prints it; empty unless
  // the block read as that name (or close to it).
  std::string canonical_authority;
};

class UnitResolver {
 public:
  explicit UnitResolver(std::vector<storage::Unit> units);

  // `authority`: the issuing-body block as read; `place`: the place of the
  // date line; `date`: ISO or empty when unknown.
  UnitMatch resolve(std::string_view authority, std::string_view place,
                    std::string_view date) const;

  // "Hòa Đồng" for a place read as "Hoa Dong" or "Hòa Đông": the printed
  // name of a registered unit whose name folds close to `place`; empty when
  // none is close enough.
  std::string canonical_place(std::string_view place) const;

  // True when `word` (any case and marks) is a word of a registered unit's
  // name: "KRÔNG" for Huyện Krông Pắc, however unlike a Vietnamese syllable.
  bool names_word(std::string_view word) const;

  const storage::Unit* find(std::string_view code) const;
  const std::vector<storage::Unit>& units() const { return units_; }

  // True when `read` (an OCR reading) is `name` with no more damage than a
  // unit's name is allowed: spaces, specks, marks and case aside, one
  // character in eight (two at least) differs.
  static bool close_names(std::string_view read, std::string_view name);

  // "Xã Hòa Đồng" -> "Hòa Đồng".
  static std::string bare_name(std::string_view name);

 private:
  struct Entry {
    std::size_t unit;              // index in units_
    std::string folded_authority;  // "uy ban nhan dan xa hoa dong"
    std::string folded_name;       // "xa hoa dong"
    std::string folded_bare;       // "hoa dong"
  };
  std::vector<std::size_t> named_in_authority(const std::string& folded) const;
  std::vector<std::size_t> named_in_letters(const std::string& letters) const;
  std::vector<std::size_t> named_by_place(const std::string& folded) const;
  UnitMatch decide(const std::vector<std::size_t>& named, std::string_view date) const;

  std::vector<storage::Unit> units_;
  std::vector<Entry> entries_;
  std::set<std::string> name_words_;  // folded words of the units' names
};

}  // namespace sohoa::metadata
