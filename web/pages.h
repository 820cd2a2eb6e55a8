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

std::string document_page(const Caller& caller, const storage::StoredDocument& doc,
                          const std::vector<storage::Correction>& corrections,
                          const std::vector<std::string>& review_reasons);

std::string review_page(const Caller& caller,
                        const std::vector<storage::Database::ReviewItem>& items);

std::string upload_page(const Caller& caller);

std::string audit_page(const Caller& caller, const std::vector<storage::AuditEntry>& entries);

// A page saying what went wrong, e.g. for an unknown document.
std::string message_page(const Caller& caller, const std::string& title, const std::string& text);

const std::string& app_css();
const std::string& app_js();

}  // namespace sohoa::web
