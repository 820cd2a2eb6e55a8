// sohoa search QUERY: full-text search, accent- and case-insensitive.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "text/vntext.h"
#include "web/records_json.h"

namespace sohoa::cli {
namespace {

struct SearchArgs {
  std::filesystem::path db;
  storage::SearchQuery query;
  bool json = false;
};

void print_hit(const storage::SearchHit& h) {
  auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  std::cout << h.id << "\t" << dash(h.doc_number) << "\t" << dash(h.issued_date) << "\t"
            << dash(h.doc_type) << "\t" << dash(h.unit) << "\n    "
            << text::collapse_spaces(h.snippet) << "\n";
}

int run_search(const SearchArgs& args) {
  auto db = storage::Database::open(args.db);
  std::vector<storage::SearchHit> hits = db->search(args.query);
  for (const auto& h : hits) {
    if (args.json) {
      std::cout << web::search_hit_json(h).dump() << "\n";
    } else {
      print_hit(h);
    }
  }
  if (!args.json && hits.empty()) std::cerr << "no documents found\n";
  return kOk;
}

}  // namespace

void add_search_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* cmd = root.add_subcommand("search", "Find documents by words, numbers, names or IDs");
  cmd->footer(
      "Searches OCR text and metadata, ignoring case and accents: 'quyet dinh hoa dong' finds\n"
      "'Quyết định ... Hòa Đồng'; an accented query ranks exact-accent matches first.\n"
      "Syntax: words (all must occur), \"a phrase\", prefix*, -excluded.\n"
      "Example: sohoa search \"giay phep xay dung\" --year 2022 --unit hoa-dong");
  add_db_option(*cmd, args->db);
  cmd->add_option("QUERY", args->query.text, "What to look for (may be empty with filters)")
      ->required();
  cmd->add_option("--unit", args->query.unit, "Only documents issued by this unit code");
  cmd->add_option("--level", args->query.level, "Only this administrative level: tinh|huyen|xa")
      ->check(CLI::IsMember({"tinh", "huyen", "xa"}));
  cmd->add_option("--year", args->query.year, "Only documents issued in this year")
      ->check(CLI::Range(1900, 2200));
  cmd->add_option("--type", args->query.type,
                  "Only documents whose type contains this text (accents ignored)");
  cmd->add_option("--limit", args->query.limit, "At most this many hits")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_flag(
      "--json", args->json,
      "One JSON line per hit: id, score, doc_number, issued_date, doc_type, unit, snippet");
  cmd->callback([args, &action] { action = [args] { return run_search(*args); }; });
}

}  // namespace sohoa::cli
