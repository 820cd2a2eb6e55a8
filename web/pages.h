// The server-rendered HTML pages of sohoa serve (Vietnamese UI), and the
// stylesheet and script they load from sohoa itself. Every value from the
// database or the request is HTML-escaped here.
#pragma once

#include <string>
#include <vector>

#include "registry/progress_report.h"
#include "storage/database.h"
#include "web/access.h"

namespace sohoa::web {

std::string login_page();

// The progress dashboard: chart and table per level, table per unit.
std::string dashboard_page(const Caller& caller, const registry::ProgressReport& by_level,
                           const registry::ProgressReport& by_unit);

struct SearchForm {
  std::string q, unit, level, year, type;
};
std::string search_page(const Caller& caller, const SearchForm& form,
                        const std::vector<storage::SearchHit>& hits, const std::string& error,
                        bool searched);

// The page images carry the OCR word boxes (highlighted on hover, and
// where a word of `highlight`, the search that led here, is found).
std::string document_page(const Caller& caller, const storage::StoredDocument& doc,
                          const std::vector<storage::Correction>& corrections,
                          const std::vector<std::string>& review_reasons,
                          const std::string& highlight = "");

// One unit: its progress rows (`report`, by unit) and its register rows
// not digitized at `as_of` (the first ones of `pending.total`).
std::string unit_page(const Caller& caller, const storage::Unit& unit,
                      const registry::ProgressReport& report,
                      const storage::Database::PendingRows& pending, const std::string& as_of);

// `text` for a URL query value (%XX for all but unreserved characters).
std::string url_encode(const std::string& text);

std::string review_page(const Caller& caller,
                        const std::vector<storage::Database::ReviewItem>& items);

std::string upload_page(const Caller& caller);

std::string audit_page(const Caller& caller, const std::vector<storage::AuditEntry>& entries);

// A page saying what went wrong, e.g. for an unknown document.
std::string message_page(const Caller& caller, const std::string& title, const std::string& text);

const std::string& app_css();
const std::string& app_js();

}  // namespace sohoa::web
