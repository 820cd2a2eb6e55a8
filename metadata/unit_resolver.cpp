#include "metadata/unit_resolver.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "metadata/parsers.h"
#include "text/vntext.h"

namespace sohoa::metadata {
namespace {

const char* const kAuthorityBody = "ỦY BAN NHÂN DÂN ";

std::string folded(std::string_view s) { return parse::AlignedText(parse::clean(s)).folded(); }

// Letters and digits only: OCR drops and inserts spaces and specks freely.
std::string compact(const std::string& folded_text) {
  std::string out;
  for (char c : folded_text) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// For place names, digits OCR reads for look-alike letters count as those.
std::string compact_place(const std::string& folded_text) {
  std::string out = compact(folded_text);
  for (char& c : out) {
    if (c == '5') c = 's';
    if (c == '0') c = 'o';
  }
  return out;
}

bool valid_at(const storage::Unit& u, std::string_view date) {
  if (!u.valid_from.empty() && date < std::string_view(u.valid_from)) return false;
  if (!u.valid_to.empty() && date > std::string_view(u.valid_to)) return false;
  return true;
}

bool word_boundary(const std::string& s, std::size_t pos) {
  return pos == 0 || pos >= s.size() || !std::isalnum(static_cast<unsigned char>(s[pos]));
}

// OCR damage allowed in a name of `length` folded characters.
int tolerance(std::size_t length) { return std::max<int>(2, static_cast<int>(length) / 8); }

}  // namespace

bool UnitResolver::close_names(std::string_view read, std::string_view name) {
  std::string letters = compact(folded(read));
  return parse::edit_distance(letters, compact(folded(name))) <= tolerance(letters.size());
}

UnitResolver::UnitResolver(std::vector<storage::Unit> units) : units_(std::move(units)) {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    const storage::Unit& u = units_[i];
    entries_.push_back(
        {i, folded(kAuthorityBody + u.name), folded(u.name), folded(bare_name(u.name))});
    std::string name = folded(u.name);
    for (std::size_t b = 0, e; b < name.size(); b = e + 1) {
      e = name.find(' ', b);
      if (e == std::string::npos) e = name.size();
      if (e > b) name_words_.insert(name.substr(b, e - b));
    }
  }
}

bool UnitResolver::names_word(std::string_view word) const {
  return name_words_.count(folded(word)) > 0;
}

std::string UnitResolver::bare_name(std::string_view name) {
  static const char* const kKinds[] = {"Thị trấn ", "Thị xã ", "Thành phố ", "Phường ",
                                       "Xã ",       "Huyện ",  "Quận ",      "Tỉnh "};
  for (const char* kind : kKinds) {
    std::string_view k(kind);
    if (name.substr(0, k.size()) == k) return std::string(name.substr(k.size()));
  }
  return std::string(name);
}

const storage::Unit* UnitResolver::find(std::string_view code) const {
  for (const auto& u : units_) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

std::vector<std::size_t> UnitResolver::named_in_authority(const std::string& text) const {
  // The whole block reads as "ỦY BAN NHÂN DÂN <unit>", maybe damaged.
  std::string letters = compact(text);
  int best = std::numeric_limits<int>::max();
  for (const Entry& e : entries_) {
    best = std::min(best, parse::edit_distance(letters, compact(e.folded_authority)));
  }
  std::vector<std::size_t> named;
  if (best <= tolerance(letters.size())) {
    std::set<std::string> names;
    for (const Entry& e : entries_) {
      if (parse::edit_distance(letters, compact(e.folded_authority)) == best) {
        names.insert(e.folded_name);
      }
    }
    // Two different names equally close: the text does not say which.
    for (const Entry& e : entries_) {
      if (names.count(e.folded_name)) named.push_back(e.unit);
    }
    return named;
  }
  // Another body of a unit ("HỘI ĐỒNG NHÂN DÂN XÃ …", a parent line above):
  // the unit named last and longest is the issuer.
  std::size_t best_end = 0, best_length = 0;
  for (const Entry& e : entries_) {
    const std::string& name = e.folded_name;
    for (std::size_t pos = text.find(name); pos != std::string::npos;
         pos = text.find(name, pos + 1)) {
      std::size_t end = pos + name.size();
      if (!word_boundary(text, pos == 0 ? 0 : pos - 1) || !word_boundary(text, end)) continue;
      bool later = end > best_end || (end == best_end && name.size() > best_length);
      if (later) {
        best_end = end;
        best_length = name.size();
      }
    }
  }
  if (best_length == 0) return named_in_letters(letters);
  std::string winner = text.substr(best_end - best_length, best_length);
  for (const Entry& e : entries_) {
    if (e.folded_name == winner) named.push_back(e.unit);
  }
  return named;
}

// The unit named last (and longest) in the block with spaces lost.
std::vector<std::size_t> UnitResolver::named_in_letters(const std::string& letters) const {
  std::size_t best_end = 0, best_length = 0;
  std::string winner;
  for (const Entry& e : entries_) {
    std::string name = compact(e.folded_name);
    for (std::size_t pos = letters.find(name); pos != std::string::npos;
         pos = letters.find(name, pos + 1)) {
      std::size_t end = pos + name.size();
      if (end > best_end || (end == best_end && name.size() > best_length)) {
        best_end = end;
        best_length = name.size();
        winner = name;
      }
    }
  }
  std::vector<std::size_t> named;
  for (const Entry& e : entries_) {
    if (!winner.empty() && compact(e.folded_name) == winner) named.push_back(e.unit);
  }
  return named;
}

std::vector<std::size_t> UnitResolver::named_by_place(const std::string& text) const {
  std::vector<std::size_t> named;
  if (text.empty()) return named;
  for (const Entry& e : entries_) {
    if (e.folded_bare == text) named.push_back(e.unit);
  }
  return named;
}

UnitMatch UnitResolver::decide(const std::vector<std::size_t>& named, std::string_view date) const {
  UnitMatch m;
  if (named.empty()) return m;
  std::vector<std::size_t> fitting;
  for (std::size_t i : named) {
    m.candidates.push_back(units_[i].code);
    if (date.empty() || valid_at(units_[i], date)) fitting.push_back(i);
  }
  if (fitting.empty()) {
    m.kind = UnitMatch::Kind::kNotValid;
  } else if (fitting.size() == 1) {
    m.kind = UnitMatch::Kind::kResolved;
    m.code = units_[fitting[0]].code;
  } else {
    m.kind = UnitMatch::Kind::kAmbiguous;
  }
  return m;
}

UnitMatch UnitResolver::resolve(std::string_view authority, std::string_view place,
                                std::string_view date) const {
  std::string text = folded(authority);
  std::vector<std::size_t> named =
      text.empty() ? std::vector<std::size_t>{} : named_in_authority(text);
  if (named.empty()) {
    // The SPEC resolves from the authority line; the place stands in only
    // when that line lost its unit name ("ỦY BAN NHÂN DÂN" alone).
    bool unit_line_lost = text.empty() || parse::edit_distance(text, "uy ban nhan dan") <= 3;
    return unit_line_lost ? decide(named_by_place(folded(place)), date) : UnitMatch{};
  }
  UnitMatch m = decide(named, date);
  const storage::Unit& first = units_[named[0]];
  std::string letters = compact(text);
  // In the form it was printed in: the body spelt out or as "UBND".
  for (const char* body : {kAuthorityBody, "UBND "}) {
    int distance = parse::edit_distance(letters, compact(folded(body + first.name)));
    if (distance <= tolerance(letters.size())) {
      m.canonical_authority = text::upper(body + first.name);
      break;
    }
  }
  return m;
}

std::string UnitResolver::canonical_place(std::string_view place) const {
  std::string text = folded(place);
  if (text.empty()) return {};
  // The place may come with a speck or a stray word in front: try the
  // line's endings too.
  std::vector<std::string> endings;
  for (std::size_t pos = 0; pos != std::string::npos; pos = text.find(' ', pos + 1)) {
    endings.push_back(compact_place(text.substr(pos == 0 ? 0 : pos + 1)));
    if (pos == 0 && text[0] == ' ') continue;
  }
  int best = std::numeric_limits<int>::max();
  std::set<std::string> best_names;
  for (const std::string& ending : endings) {
    if (ending.size() < 3) continue;
    for (const Entry& e : entries_) {
      int d = parse::edit_distance(ending, compact_place(e.folded_bare));
      std::string printed = bare_name(units_[e.unit].name);
      if (d < best) {
        best = d;
        best_names = {printed};
      } else if (d == best) {
        best_names.insert(printed);
      }
    }
  }
  bool close = best == 0 || (best == 1 && text.size() >= 6);
  if (!close || best_names.size() != 1) return {};
  return *best_names.begin();
}

}  // namespace sohoa::metadata
