// How search orders its hits, the same in every store, so that the SQLite
// and PostgreSQL stores return the same hits in the same order with the
// same scores. SPEC "search" fixes only that exact-accent matches of an
// accented query come first; the rest is this file's choice.
//
// A hit falls in the first of these tiers it satisfies, and within a tier
// the newest document (highest id) comes first:
//   0. every wanted word with its exact accents, all in the metadata;
//   1. every wanted word with its exact accents (tiers 0 and 1 only for an
//      accented query);
//   2. every wanted word (folded) in the metadata: type, number, subject,
//      signer, recipients, citizen ids...;
//   3. the rest of the matches.
// Every predicate is answered by the full-text index, so a store finds the
// best `limit` hits by walking each tier's matches newest first and
// stopping when it has enough: the work grows with the limit, not with the
// number of matches, and the result is exact (no candidate cap).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/records.h"

namespace sohoa::storage {

inline constexpr int kSearchTiers = 4;
inline constexpr int kTierExactInMeta = 0;
inline constexpr int kTierExact = 1;
inline constexpr int kTierInMeta = 2;
inline constexpr int kTierAnywhere = 3;

// SearchHit::score of a tier: 4 (exact accents in the metadata) down to 1.
inline double tier_score(int tier) { return static_cast<double>(kSearchTiers - tier); }

// The hits of `order` ((tier, id), best first) that `found` holds, in that
// order, each scored by its tier; ids `found` lacks are left out.
inline std::vector<SearchHit> in_tier_order(const std::vector<std::pair<int, int64_t>>& order,
                                            std::unordered_map<int64_t, SearchHit> found) {
  std::vector<SearchHit> hits;
  for (const auto& [tier, id] : order) {
    auto it = found.find(id);
    if (it == found.end()) continue;
    it->second.score = tier_score(tier);
    hits.push_back(std::move(it->second));
  }
  return hits;
}

}  // namespace sohoa::storage
