// sohoa tokens (add NAME --scope reader|writer [--unit CODE] | list [--json] |
//               revoke NAME): API keys for other systems. A token is printed
// once, when made; only its SHA-256 is kept.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "web/auth.h"

namespace sohoa::cli {
namespace {

struct TokensArgs {
  std::filesystem::path db;
  std::string name;
  std::string scope;
  std::string unit;
  bool json = false;
};

int add_token(const TokensArgs& args) {
  if (!web::is_valid_name(args.name)) {
    throw UsageError("token name '" + args.name + "': use 1 to 64 of A-Z a-z 0-9 . _ @ -");
  }
  auto db = storage::Database::open(args.db);
  if (!args.unit.empty() && !db->unit(args.unit)) {
    throw UsageError("unknown unit '" + args.unit +
                     "': import the units registry first (sohoa units import FILE.csv)");
  }
  std::string token = "sohoa_" + web::random_hex(32);
  db->add_token({args.name, args.scope, args.unit, web::sha256_hex(token), ""});
  db->append_audit(cli_actor(), "tokens.add", args.name + " " + args.scope);
  std::cerr << "token " << args.name << " (" << args.scope
            << (args.unit.empty() ? "" : ", unit " + args.unit)
            << "): keep it now, it is not shown again\n";
  std::cout << token << "\n";
  return kOk;
}

int list_tokens(const TokensArgs& args) {
  auto db = storage::Database::open(args.db);
  auto all = db->tokens();
  // A header line, as every text listing has (it pastes into a spreadsheet).
  if (!args.json && !all.empty()) std::cout << "name\tscope\tunit\tcreated_at\n";
  for (const auto& t : all) {
    if (args.json) {
      nlohmann::ordered_json line = {{"name", t.name},
                                     {"scope", t.scope},
                                     {"unit", t.unit.empty() ? nlohmann::ordered_json(nullptr)
                                                             : nlohmann::ordered_json(t.unit)},
                                     {"created_at", t.created_at}};
      std::cout << json_line(line) << "\n";
    } else {
      std::cout << t.name << "\t" << t.scope << "\t" << (t.unit.empty() ? "-" : t.unit) << "\t"
                << t.created_at << "\n";
    }
  }
  return kOk;
}

int revoke_token(const TokensArgs& args) {
  auto db = storage::Database::open(args.db);
  if (!db->revoke_token(args.name)) throw UsageError("no token '" + args.name + "'");
  db->append_audit(cli_actor(), "tokens.revoke", args.name);
  std::cout << "token " << args.name << " revoked\n";
  return kOk;
}

}  // namespace

void add_tokens_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<TokensArgs>();
  CLI::App* cmd = root.add_subcommand("tokens", "API tokens for other systems (sohoa serve)");
  cmd->require_subcommand(1);
  cmd->footer(
      "A reader token may search, read documents and ask what is held for a citizen; a writer\n"
      "may also ingest. --unit limits a token to that unit and its predecessors. The token is\n"
      "printed once on standard output; send it as 'Authorization: Bearer TOKEN'.");

  CLI::App* add = cmd->add_subcommand("add", "Make a token and print it once");
  add_db_option(*add, args->db);
  add->add_option("NAME", args->name, "Token name, e.g. the system using it")->required();
  add->add_option("--scope", args->scope, "reader|writer")
      ->required()
      ->check(CLI::IsMember({"reader", "writer"}));
  add->add_option("--unit", args->unit, "Limit the token to this unit and its predecessors");
  add->callback([args, &action] { action = [args] { return add_token(*args); }; });

  CLI::App* list = cmd->add_subcommand("list", "List tokens (never their values)");
  add_db_option(*list, args->db);
  list->add_flag("--json", args->json, "One JSON line per token: name, scope, unit, created_at");
  list->callback([args, &action] { action = [args] { return list_tokens(*args); }; });

  CLI::App* revoke = cmd->add_subcommand("revoke", "Revoke a token: it no longer opens the API");
  add_db_option(*revoke, args->db);
  revoke->add_option("NAME", args->name, "Token name")->required();
  revoke->callback([args, &action] { action = [args] { return revoke_token(*args); }; });
}

}  // namespace sohoa::cli
