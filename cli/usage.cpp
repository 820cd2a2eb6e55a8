// Helpers for usage errors a new user meets: "did you mean", unknown units.
#include <algorithm>
#include <cstdlib>

#include "cli/command.h"

namespace sohoa::cli {
namespace {

// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  // Up to one typo in four letters, at least one, at most three.
  size_t allowed = std::clamp<size_t>(word.size() / 4, 1, 3);
  std::string best;
  size_t best_distance = allowed + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string default_person() {
  for (const char* var : {"SOHOA_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

void require_known_unit(storage::Database& db, const std::string& code) {
  if (db.unit(code)) return;
  std::vector<storage::Unit> units = db.units();
  if (units.empty()) {
    throw UsageError("unknown unit '" + code +
                     "': this database has no units registry yet (sohoa units import UNITS.csv)");
  }
  std::vector<std::string> codes;
  for (const auto& u : units) codes.push_back(u.code);
  std::string near = closest_match(code, codes);
  throw UsageError("unknown unit '" + code + "'" +
                   (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                   "; see `sohoa units list`");
}

}  // namespace sohoa::cli
