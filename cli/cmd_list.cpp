// sohoa list [--status S] [--unit CODE] [--limit N] [--json]: page through
// the stored documents.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"

namespace sohoa::cli {
namespace {

using json = nlohmann::ordered_json;

struct ListArgs {
  std::filesystem::path db;
  std::string status;
  std::string unit;
  int limit = 0;
  int64_t after = 0;
  bool json = false;
};

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json summary_json(const storage::DocumentSummary& d) {
  return {{"id", d.id},
          {"status", d.status},
          {"doc_number", or_null(d.doc_number)},
          {"issued_date", or_null(d.issued_date)},
          {"doc_type", or_null(d.doc_type)},
          {"unit", or_null(d.unit)},
          {"source", d.source}};
}

std::string dash(const std::string& s) { return s.empty() ? std::string("-") : s; }

int run_list(const ListArgs& args) {
  auto db = storage::Database::open(args.db);
  if (!args.unit.empty()) require_known_unit(*db, args.unit);
  storage::Database::ListQuery query{args.status, args.unit, args.limit, args.after};
  std::vector<storage::DocumentSummary> docs = db->list_documents(query);
  if (!args.json && !docs.empty()) {
    std::cout << "id\tstatus\tnumber\tissued\ttype\tunit\tsource\n";
  }
  for (const auto& d : docs) {
    if (args.json) {
      std::cout << json_line(summary_json(d)) << "\n";
      continue;
    }
    std::cout << d.id << "\t" << d.status << "\t" << dash(d.doc_number) << "\t"
              << dash(d.issued_date) << "\t" << dash(d.doc_type) << "\t" << dash(d.unit) << "\t"
              << printable(d.source) << "\n";
  }
  int64_t total = db->count_documents({args.status, args.unit, 0, 0});
  if (docs.empty()) {
    std::cerr << "sohoa: no documents" << (args.after > 0 ? " after that id" : "") << "\n";
  } else if (static_cast<int64_t>(docs.size()) < total) {
    // On stderr, so that piped lines stay data.
    std::cerr << "sohoa: " << docs.size() << " of " << total << " shown; next page: --after "
              << docs.back().id << "\n";
  }
  return kOk;
}

}  // namespace

void add_list_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ListArgs>();
  CLI::App* cmd = root.add_subcommand("list", "List stored documents, by id");
  cmd->footer(
      "One line per document: id, status, number, issued date, type, issuing unit, source\n"
      "(tab-separated, with a header line). --limit N --after ID pages through them.\n"
      "Example: sohoa list --status review --unit hoa-dong");
  add_db_option(*cmd, args->db);
  cmd->add_option("--status", args->status, "Only documents of this status: ok, review or failed")
      ->check(CLI::IsMember({"ok", "review", "failed"}));
  cmd->add_option("--unit", args->unit, "Only documents issued by this unit code");
  cmd->add_option("--limit", args->limit, "At most this many documents (default: all)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--after", args->after, "Only documents with an id above this one (paging)");
  cmd->add_flag("--json", args->json,
                "One JSON line per document: id, status, doc_number, issued_date, doc_type, unit, "
                "source");
  cmd->callback([args, &action] { action = [args] { return run_list(*args); }; });
}

}  // namespace sohoa::cli
