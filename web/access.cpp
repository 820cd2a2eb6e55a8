#include "web/access.h"

#include <algorithm>

namespace sohoa::web {

bool has_unit(const Caller& caller, const std::string& unit) {
  return caller.units.empty() ||
         std::find(caller.units.begin(), caller.units.end(), unit) != caller.units.end();
}

bool can_see(const Caller& caller, const std::string& issuer_unit, const std::string& unit) {
  if (caller.units.empty()) return true;
  return (!issuer_unit.empty() && has_unit(caller, issuer_unit)) ||
         (!unit.empty() && has_unit(caller, unit));
}

bool can_see(const Caller& caller, const storage::StoredDocument& doc) {
  return can_see(caller, doc.issuer_unit, doc.unit);
}

bool can_correct(const Caller& caller) {
  return !caller.is_token &&
         (caller.role == "admin" || caller.role == "supervisor" || caller.role == "clerk");
}

bool can_ingest(const Caller& caller) {
  return caller.is_token ? caller.role == "writer"
                         : caller.role == "admin" || caller.role == "clerk";
}

bool is_admin(const Caller& caller) { return !caller.is_token && caller.role == "admin"; }

}  // namespace sohoa::web
