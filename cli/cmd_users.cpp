// sohoa users (add NAME --role ROLE [--unit CODE] | list [--json] |
//              passwd NAME | remove NAME): who may sign in to `sohoa serve`.
// Passwords come from standard input only, never from argv.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "web/auth.h"

namespace sohoa::cli {
namespace {

struct UsersArgs {
  std::filesystem::path db;
  std::string name;
  std::string role;
  std::string unit;
  bool json = false;
};

std::string read_line_from_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) throw UsageError("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// On a terminal: asked twice with echo off. Otherwise: the first line.
std::string read_new_password() {
  bool tty = isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "Password: " << std::flush;
  }
  std::string first, second;
  try {
    first = read_line_from_stdin();
    if (tty) {
      std::cerr << "\nAgain: " << std::flush;
      second = read_line_from_stdin();
      std::cerr << "\n";
    }
  } catch (...) {
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    throw;
  }
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (first != second) throw UsageError("the two passwords differ");
  }
  if (auto problem = web::password_problem(first)) throw UsageError(*problem);
  return first;
}

void check_user_fields(storage::Database& db, const UsersArgs& args) {
  if (!web::is_valid_name(args.name)) {
    throw UsageError("user name '" + args.name + "': use 1 to 64 of A-Z a-z 0-9 . _ @ -");
  }
  if (args.role == "clerk" && args.unit.empty()) throw UsageError("a clerk needs --unit CODE");
  if (args.role != "clerk" && !args.unit.empty()) {
    throw UsageError("--unit is for clerks only (role " + args.role + " sees every unit)");
  }
  if (!args.unit.empty() && !db.unit(args.unit)) {
    throw UsageError("unknown unit '" + args.unit +
                     "': import the units registry first (sohoa units import FILE.csv)");
  }
}

int add_user(const UsersArgs& args) {
  auto db = storage::Database::open(args.db);
  check_user_fields(*db, args);
  if (db->user(args.name)) throw UsageError("user '" + args.name + "' already exists");
  std::string password = read_new_password();
  db->add_user({args.name, args.role, args.unit, web::hash_password(password), ""});
  db->append_audit(cli_actor(), "users.add", args.name + " " + args.role);
  std::cout << "user " << args.name << " added (" << args.role
            << (args.unit.empty() ? "" : ", unit " + args.unit) << ")\n";
  return kOk;
}

int list_users(const UsersArgs& args) {
  auto db = storage::Database::open(args.db);
  auto all = db->users();
  // A header line, as every text listing has (it pastes into a spreadsheet).
  if (!args.json && !all.empty()) std::cout << "name\trole\tunit\tcreated_at\n";
  for (const auto& u : all) {
    if (args.json) {
      nlohmann::ordered_json line = {{"name", u.name},
                                     {"role", u.role},
                                     {"unit", u.unit.empty() ? nlohmann::ordered_json(nullptr)
                                                             : nlohmann::ordered_json(u.unit)},
                                     {"created_at", u.created_at}};
      std::cout << json_line(line) << "\n";
    } else {
      std::cout << u.name << "\t" << u.role << "\t" << (u.unit.empty() ? "-" : u.unit) << "\t"
                << u.created_at << "\n";
    }
  }
  return kOk;
}

int change_password(const UsersArgs& args) {
  auto db = storage::Database::open(args.db);
  if (!db->user(args.name)) throw UsageError("no user '" + args.name + "'");
  std::string password = read_new_password();
  db->set_password(args.name, web::hash_password(password));
  db->append_audit(cli_actor(), "users.passwd", args.name);
  std::cout << "password of " << args.name << " changed; its sessions are closed\n";
  return kOk;
}

int remove_user(const UsersArgs& args) {
  auto db = storage::Database::open(args.db);
  if (!db->remove_user(args.name)) throw UsageError("no user '" + args.name + "'");
  db->append_audit(cli_actor(), "users.remove", args.name);
  std::cout << "user " << args.name << " removed\n";
  return kOk;
}

}  // namespace

void add_users_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<UsersArgs>();
  CLI::App* cmd = root.add_subcommand("users", "People who may sign in to `sohoa serve`");
  cmd->require_subcommand(1);
  cmd->footer(
      "Roles: admin (everything, users, audit log), supervisor (reads and corrects every unit),\n"
      "clerk (its --unit and that unit's predecessors: reads, ingests, corrects), viewer (reads\n"
      "every unit). Passwords are read from standard input (asked twice on a terminal) and kept\n"
      "only as Argon2id hashes. Example: echo 'a long secret' | sohoa users add lan --role clerk "
      "--unit xa-hoa-thinh");

  CLI::App* add = cmd->add_subcommand("add", "Add a user; the password is read from stdin");
  add_db_option(*add, args->db);
  add->add_option("NAME", args->name, "User name (A-Z a-z 0-9 . _ @ -)")->required();
  add->add_option("--role", args->role, "admin|supervisor|clerk|viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "supervisor", "clerk", "viewer"}));
  add->add_option("--unit", args->unit, "A clerk's unit code (required for clerks)");
  add->callback([args, &action] { action = [args] { return add_user(*args); }; });

  CLI::App* list = cmd->add_subcommand("list", "List users: name, role, unit, created");
  add_db_option(*list, args->db);
  list->add_flag("--json", args->json, "One JSON line per user: name, role, unit, created_at");
  list->callback([args, &action] { action = [args] { return list_users(*args); }; });

  CLI::App* passwd = cmd->add_subcommand("passwd", "Set a new password, read from stdin");
  add_db_option(*passwd, args->db);
  passwd->add_option("NAME", args->name, "User name")->required();
  passwd->callback([args, &action] { action = [args] { return change_password(*args); }; });

  CLI::App* remove = cmd->add_subcommand("remove", "Remove a user and close its sessions");
  add_db_option(*remove, args->db);
  remove->add_option("NAME", args->name, "User name")->required();
  remove->callback([args, &action] { action = [args] { return remove_user(*args); }; });
}

}  // namespace sohoa::cli
