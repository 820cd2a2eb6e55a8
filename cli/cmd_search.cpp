// sohoa search QUERY: full-text search, accent- and case-insensitive.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "text/vntext.h"

namespace sohoa::cli {
namespace {

struct SearchArgs {
  std::filesystem::path db;
  storage::SearchQuery query;
  bool json = false;
};

nlohmann::ordered_json hit_json(const storage::SearchHit& h) {
  auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
  };
  return {{"id", h.id},
          {"score", h.score},
          {"doc_number", or_null(h.doc_number)},
          {"issued_date", or_null(h.issued_date)},
          {"doc_type", or_null(h.doc_type)},
          {"unit", or_null(h.unit)},
          {"snippet", text::collapse_spaces(h.snippet)}};
}

void print_hit(const storage::SearchHit& h) {
  auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  std::cout << h.id << "\t" << dash(h.doc_number) << "\t" << dash(h.issued_date) << "\t"
            << dash(h.doc_type) << "\t" << dash(h.unit) << "\n    "
            << text::collapse_spaces(h.snippet) << "\n";
}

// How many documents the query finds in all, counted up to a cap (a broad
// query over a large store need not be read whole to say "more").
constexpr int kCountCap = 10000;

std::string shown_of_total(storage::Database& db, const SearchArgs& args, size_t shown) {
  storage::SearchQuery all = args.query;
  all.limit = kCountCap + 1;
  size_t total = db.search(all).size();
  if (total <= shown) return {};
  std::string of = total > static_cast<size_t>(kCountCap) ? "more than " + std::to_string(kCountCap)
                                                          : std::to_string(total);
  return std::to_string(shown) + " of " + of + " shown (raise --limit, or narrow the query)";
}

int run_search(const SearchArgs& args) {
  auto db = storage::Database::open(args.db);
  std::vector<storage::SearchHit> hits = db->search(args.query);
  if (!args.json && !hits.empty()) std::cout << "id\tnumber\tissued\ttype\tunit\n";
  for (const auto& h : hits) {
    if (args.json) {
      std::cout << json_line(hit_json(h)) << "\n";
    } else {
      print_hit(h);
    }
  }
  if (!args.json && hits.empty()) std::cerr << "sohoa: no documents found\n";
  if (args.query.limit > 0 && hits.size() == static_cast<size_t>(args.query.limit)) {
    // On stderr, so that piped lines stay data.
    std::string more = shown_of_total(*db, args, hits.size());
    if (!more.empty()) std::cerr << "sohoa: " << more << "\n";
  }
  return kOk;
}

bool is_one_of(const std::string& arg, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (arg == n) return true;
  }
  return false;
}

}  // namespace

void protect_search_query(std::vector<std::string>& args) {
  if (args.empty() || args[0] != "search") return;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return;
    if (is_one_of(arg, {"--db", "--unit", "--level", "--year", "--type", "--limit"})) {
      ++i;  // its value, whatever it looks like
      continue;
    }
    if (arg.size() < 3 || arg[0] != '-' || arg.starts_with("--")) continue;
    // "-hoa": CLI11 would read -h -o -a and print help; it is a query
    // excluding the word "hoa". After "--" it stays one positional.
    std::string query = arg;
    args.erase(args.begin() + static_cast<long>(i));
    args.push_back("--");
    args.push_back(query);
    return;
  }
}

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
