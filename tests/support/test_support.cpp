#include "tests/support/test_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sohoa::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("sohoa-test-" + std::to_string(rd()));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
  if (std::getenv("SOHOA_KEEP_TEST_FILES") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

int spawn_to_files(const std::vector<std::string>& argv, const std::filesystem::path& out,
                   const std::filesystem::path& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
              const std::string* input) {
  TempDir capture;
  auto out_path = capture / "out";
  auto err_path = capture / "err";
  auto in_path = capture / "in";
  if (input != nullptr) write_file(in_path, *input);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input != nullptr ? in_path.c_str() : "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& extra : env) env_strings.push_back(extra);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  int status = 0;
  waitpid(pid, &status, 0);

  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

std::string sohoa_bin() { return SOHOA_BIN; }
std::string samples_bin() { return SOHOA_SAMPLES_BIN; }
std::filesystem::path source_dir() { return SOHOA_SOURCE_DIR; }
std::filesystem::path units_csv_path() { return source_dir() / "samples" / "units.csv"; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> rows;
  for (const auto& line : lines_of(out)) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

std::vector<std::filesystem::path> generate_scans(const std::filesystem::path& out,
                                                  const ScanRequest& request) {
  RunResult gen =
      run({samples_bin(), "--out", out.string(), "--count", std::to_string(request.count), "--seed",
           std::to_string(request.seed), "--profile", request.profile, "--format", request.format,
           "--pages", std::to_string(request.pages), "--prefix", request.prefix, "--units",
           units_csv_path().string()});
  if (gen.exit_code != 0) throw std::runtime_error("sohoa-samples: " + gen.err);
  std::vector<std::filesystem::path> scans;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    std::string name = e.path().filename().string();
    if (name.starts_with(request.prefix + "-") && !name.ends_with(".json")) {
      scans.push_back(e.path());
    }
  }
  std::sort(scans.begin(), scans.end());
  if (scans.empty()) throw std::runtime_error("sohoa-samples wrote no scan into " + out.string());
  return scans;
}

RunResult sohoa_on(const std::string& db, std::vector<std::string> args,
                   const std::vector<std::string>& env, const std::string* input) {
  args.insert(args.begin(), sohoa_bin());
  args.push_back("--db");
  args.push_back(db);
  return run(args, env, input);
}

void create_database(const std::string& db, bool with_register) {
  RunResult units = sohoa_on(db, {"units", "import", units_csv_path().string()});
  if (units.exit_code != 0) throw std::runtime_error("units import: " + units.err);
  if (!with_register) return;
  RunResult reg =
      sohoa_on(db, {"register", "import", (source_dir() / "samples" / "register.csv").string()});
  if (reg.exit_code != 0) throw std::runtime_error("register import: " + reg.err);
}

int64_t first_ingested_id(const std::string& ingest_json) {
  for (const auto& row : json_lines(ingest_json)) {
    if (row["status"] != "skipped" && row["id"].is_number_integer())
      return row["id"].get<int64_t>();
  }
  return -1;
}

}  // namespace sohoa::testing

namespace sohoa::testing {

std::string jpeg_cut_keeping_eoi(const std::string& jpeg, size_t keep) {
  return jpeg.substr(0, std::min(keep, jpeg.size())) + "\xFF\xD9";
}

std::string jpeg_claiming_size(std::string jpeg, int width, int height) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(jpeg[k]); };
    if (b(i) != 0xFF || (b(i + 1) != 0xC0 && b(i + 1) != 0xC2)) continue;
    // FF Cn, length (2), precision (1), height (2), width (2)
    jpeg[i + 5] = static_cast<char>(height >> 8);
    jpeg[i + 6] = static_cast<char>(height & 0xFF);
    jpeg[i + 7] = static_cast<char>(width >> 8);
    jpeg[i + 8] = static_cast<char>(width & 0xFF);
    return jpeg;
  }
  throw std::runtime_error("no JPEG frame header");
}

}  // namespace sohoa::testing
