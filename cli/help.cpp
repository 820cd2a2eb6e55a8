// Help and usage errors in a clerk's words: no parser jargon ("INT:INT in
// [1 - 256]", "Excludes:"), every error one line with the `sohoa:` prefix,
// and "did you mean" for a mistyped command.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <regex>

#include "cli/command.h"

namespace sohoa::cli {
namespace {

// What to call an option's value in help: the choices, or a word that says
// what is expected.
std::string value_label(const CLI::Option* opt) {
  std::string type = opt->get_type_name();
  auto open = type.find(":{");
  if (open != std::string::npos && type.back() == '}') {
    std::string choices = type.substr(open + 2, type.size() - open - 3);
    std::replace(choices.begin(), choices.end(), ',', '|');
    return choices;
  }
  static const std::map<std::string, std::string> labels = {
      {"db", "PATH"},         {"by", "NAME"},          {"digitized-at", "DATE"},
      {"as-of", "DATE"},      {"year", "YYYY"},        {"from", "YYYY"},
      {"to", "YYYY"},         {"out", "FILE"},         {"pdf", "OUT.pdf"},
      {"alto", "OUT.xml"},    {"original", "OUT"},     {"targets", "FILE.csv"},
      {"set", "FIELD=VALUE"}, {"undo", "FIELD"},       {"reason", "TEXT"},
      {"limit", "N"},         {"jobs", "N"},           {"after", "ID"},
      {"settle", "SECONDS"},  {"listen", "ADDR:PORT"}, {"encoding", "NAME"},
      {"cert", "FILE"},       {"key", "FILE"},         {"chain", "FILE"},
      {"unit", "CODE"},       {"station", "NAME"},     {"level", "tinh|huyen|xa"}};
  const auto& names = opt->get_lnames();
  if (names.empty()) return "VALUE";
  auto it = labels.find(names.front());
  if (it != labels.end()) return it->second;
  std::string label = names.front();
  for (char& c : label) c = c == '-' ? '_' : static_cast<char>(std::toupper(uint8_t(c)));
  return label;
}

class PlainFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    // Flags and positionals: their name says it all.
    if (opt->get_type_name().empty() || opt->get_type_size() == 0 || opt->get_lnames().empty()) {
      return "";
    }
    std::string out = " " + value_label(opt);
    if (opt->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    return out;
  }
  std::string make_option_desc(const CLI::Option* opt) const override {
    std::string desc = opt->get_description();
    std::string def = opt->get_default_str();
    if (!def.empty() && desc.find("default") == std::string::npos) {
      desc += " (default " + def + ")";
    }
    if (opt->get_required() && opt->get_lnames().empty() == false) desc += " (required)";
    return desc;
  }
};

// The parsed subcommands, outermost first: "units import".
std::string command_path(CLI::App& app, CLI::App** deepest) {
  std::string path;
  CLI::App* current = &app;
  for (;;) {
    auto subs = current->get_subcommands();
    if (subs.empty()) break;
    current = subs.front();
    path += (path.empty() ? "" : " ") + current->get_name();
  }
  *deepest = current;
  return path;
}

std::string rewrite(const std::string& message) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex(R"(^(\S+): Value (.*) not in range (\S+) to (\S+)$)"),
       "$1: '$2' is not a number from $3 to $4"},
      {std::regex(R"(^(\S+): (.*) not in \{(.*)\}$)"), "$1: '$2' is not one of {$3}"},
      {std::regex(R"(^(\S+) excludes (\S+)$)"), "$1 and $2 cannot be used together"},
      {std::regex(R"(^Could not convert: (\S+) = (.*)$)"), "$1: '$2' is not a number"},
      {std::regex(R"(^The following arguments? (was|were) not expected: (.*)$)"),
       "unexpected argument: $2"},
      {std::regex(R"(^(\S+): \d+ required \S+ missing$)"), "$1 needs a value"},
      {std::regex(R"(^(\S+) is required$)"), "$1 is required"},
  };
  for (const auto& [pattern, replacement] : rules) {
    if (std::regex_search(message, pattern))
      return std::regex_replace(message, pattern, replacement);
  }
  return message;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

}  // namespace

std::shared_ptr<CLI::Formatter> plain_formatter() { return std::make_shared<PlainFormatter>(); }

int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  CLI::App* deepest = nullptr;
  std::string path = command_path(app, &deepest);
  // --help, --version: printed as asked.
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  std::string name = path.empty() ? "sohoa" : "sohoa " + path;
  // "sohoa ingset": an unknown word where a command was expected.
  std::vector<std::string> rest = deepest->remaining();
  std::string word;
  if (!rest.empty() && !rest.front().starts_with("-")) {
    word = rest.front();
  } else if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    std::smatch m;
    std::string what = e.what();
    static const std::regex first_extra(R"(not expected: (\S+))");
    if (std::regex_search(what, m, first_extra) && !m[1].str().starts_with("-")) word = m[1];
  }
  std::vector<std::string> names = subcommand_names(*deepest);
  if (!word.empty() && !names.empty()) {
    std::string near = closest_match(word, names);
    report_error("'" + word + "' is not a " + (path.empty() ? "" : path + " ") + "command" +
                 (near.empty() ? "" : " (did you mean '" + near + "'?)") + "; see " + name +
                 " --help");
    return kUsage;
  }
  // A command with its subcommand missing ("sohoa", "sohoa units"): its help.
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
      std::string(e.what()).find("subcommand") != std::string::npos) {
    std::string parent = name.substr(0, name.rfind(' '));
    std::cout << (path.empty() ? deepest->help() : deepest->help(parent));
    return path.empty() ? kOk : kUsage;
  }
  std::string message = rewrite(e.what());
  report_error((path.empty() ? "" : path + ": ") + message + " (see " + name + " --help)");
  return kUsage;
}

}  // namespace sohoa::cli
