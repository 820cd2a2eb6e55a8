// Who is asking and what they may do (SPEC "Web app and API" roles): the
// rules in one place, so routes ask instead of deciding.
#pragma once

#include <string>
#include <vector>

#include "storage/records.h"

namespace sohoa::web {

struct Caller {
  bool is_token = false;
  std::string name;  // user or token name
  std::string role;  // admin | supervisor | clerk | viewer, or reader | writer for tokens
  std::string unit;  // the unit a clerk or a unit-bound token is limited to; empty = all
  std::vector<std::string> units;  // `unit` and its predecessors; empty = every unit
  std::string csrf;                // sessions only
};

// True when the caller may see documents issued by, or scanned at, a unit
// of its own (every unit when it is not limited).
bool can_see(const Caller& caller, const std::string& issuer_unit, const std::string& unit);
bool can_see(const Caller& caller, const storage::StoredDocument& doc);
// Whether a unit code is among the caller's (always, when not limited).
bool has_unit(const Caller& caller, const std::string& unit);

bool can_correct(const Caller& caller);  // admin, supervisor, clerk
bool can_ingest(const Caller& caller);   // admin, clerk, writer token
bool is_admin(const Caller& caller);

}  // namespace sohoa::web
