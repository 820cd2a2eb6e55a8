// Rules both stores apply to records the same way (SQLite and PostgreSQL),
// so that either stores and returns exactly the same values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "storage/records.h"

namespace sohoa::storage {

// `items` as a JSON array of strings.
std::string json_list(const std::vector<std::string>& items);
// The strings of a JSON array; empty when `text` is not one.
std::vector<std::string> parse_json_list(const std::string& text);

// The key a document number is compared by: no spaces, no case, no accents.
std::string number_key(const std::string& number);

// NFC, skipping ICU for the many values that are plain ASCII.
std::string nfc_fast(const std::string& s);

bool valid_status(const std::string& status);

// Metadata fields first in the SPEC's order, any other name after, by name.
void order_fields(std::vector<Field>& fields);

// The value of field `name`, empty when absent.
std::string field_value(const std::vector<Field>& fields, const std::string& name);

// The metadata text the search index holds for a document: non-empty
// values one per line, a list (a JSON array of strings: citizen_ids,
// recipients) as its items, so a snippet shows numbers and names, not JSON.
std::string search_meta(const std::vector<Field>& fields);

// The successors of unit `code`, nearest first, following `next` (a unit's
// code to its successor's); stops at a cycle in the registry rather than
// loop.
std::vector<std::string> successor_chain(const std::map<std::string, std::string>& next,
                                         const std::string& code);

}  // namespace sohoa::storage
