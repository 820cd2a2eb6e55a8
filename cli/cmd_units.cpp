// sohoa units import|list: the registry of administrative units.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "registry/units_import.h"

namespace sohoa::cli {
namespace {

struct UnitsArgs {
  std::filesystem::path db;
  std::filesystem::path file;
  bool json = false;
};

nlohmann::ordered_json unit_json(const storage::Unit& u) {
  auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
  };
  nlohmann::ordered_json j;
  j["code"] = u.code;
  j["name"] = u.name;
  j["level"] = u.level;
  j["parent"] = or_null(u.parent);
  j["valid_from"] = or_null(u.valid_from);
  j["valid_to"] = or_null(u.valid_to);
  j["successor"] = or_null(u.successor);
  return j;
}

int run_import(const UnitsArgs& args) {
  if (!std::filesystem::is_regular_file(args.file)) {
    throw UsageError(args.file.string() + ": no such file");
  }
  auto db = storage::Database::open(args.db);
  size_t count = registry::import_units(*db, args.file);
  std::cout << "imported " << count << " units from " << args.file.string() << "\n";
  return kOk;
}

int run_list(const UnitsArgs& args) {
  auto db = storage::Database::open(args.db);
  std::vector<storage::Unit> units = db->units();
  if (!args.json && !units.empty()) {
    std::cout << "code\tlevel\tname\tvalid_from\tvalid_to\tsuccessor\n";
  }
  if (units.empty()) std::cerr << "sohoa: no units (sohoa units import UNITS.csv)\n";
  for (const storage::Unit& u : units) {
    if (args.json) {
      std::cout << json_line(unit_json(u)) << "\n";
      continue;
    }
    auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    std::cout << u.code << "\t" << u.level << "\t" << u.name << "\t" << dash(u.valid_from) << "\t"
              << dash(u.valid_to) << "\t" << (u.successor.empty() ? "" : "-> ") << u.successor
              << "\n";
  }
  return kOk;
}

}  // namespace

void add_units_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<UnitsArgs>();
  CLI::App* cmd = root.add_subcommand("units", "The registry of administrative units");
  cmd->require_subcommand(1);

  CLI::App* import_cmd = cmd->add_subcommand(
      "import",
      "Import units from a CSV with header code,name,level,parent,valid_from,valid_to,successor\n"
      "(same code updates the unit; the whole file or nothing)");
  add_db_option(*import_cmd, args->db);
  allow_missing_database(*import_cmd);
  import_cmd->add_option("FILE", args->file, "Units CSV")->required();
  import_cmd->callback([args, &action] { action = [args] { return run_import(*args); }; });

  CLI::App* list = cmd->add_subcommand("list", "List the units, by code");
  add_db_option(*list, args->db);
  list->add_flag("--json", args->json, "One JSON object per line, with the CSV's keys");
  list->callback([args, &action] { action = [args] { return run_list(*args); }; });
}

}  // namespace sohoa::cli
