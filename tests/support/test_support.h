// Helpers shared by the test programs: temporary folders and running the
// built programs as a user would.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sohoa::testing {

// A fresh folder under the system temp dir, removed when the object dies
// (kept when SOHOA_KEEP_TEST_FILES is set, for debugging).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] a program path) with no shell, stdin from /dev/null
// (or holding `input` when given), extra environment entries "NAME=VALUE"
// added; captures stdout and stderr.
// Starts `argv` (argv[0] a path) in the background with stdin from
// /dev/null and stdout and stderr written to `out` and `err` (truncated);
// returns its pid for the caller to signal and wait for. Throws
// std::runtime_error when it cannot be started.
int spawn_to_files(const std::vector<std::string>& argv, const std::filesystem::path& out,
                   const std::filesystem::path& err);

RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
              const std::string* input = nullptr);

// build/sohoa and build/sohoa-samples, and the source tree.
std::string sohoa_bin();
std::string samples_bin();
std::filesystem::path source_dir();

// The Tây Hòa units registry shipped in samples/ (a copy of
// ../shared/data/units-tay-hoa.csv), so tests run from any clone.
std::filesystem::path units_csv_path();

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);

// Lines of `text` (without their '\n').
std::vector<std::string> lines_of(const std::string& text);

// The objects of NDJSON output (one per line). Throws nlohmann's parse_error
// on a line that is not JSON.
std::vector<nlohmann::json> json_lines(const std::string& out);

// --- the fixtures most end-to-end tests share: scans made at test time, a
// database with the units registry, build/sohoa run on it ---

// What to ask build/sohoa-samples for (see its --help).
struct ScanRequest {
  int count = 1;
  unsigned seed = 1;
  std::string profile = "clean";  // clean | mild | degraded | hard
  std::string format = "png";     // png | jpg | webp | tif | g4 | pdf | a list
  int pages = 1;                  // 1-3 pages per document
  std::string prefix = "doc";     // files PREFIX-0001.EXT
};

// Generates the scans into `out` (created), each with its truth JSON beside;
// returns the scans (not the truth files), sorted by name. Throws
// std::runtime_error with the generator's stderr when it fails.
std::vector<std::filesystem::path> generate_scans(const std::filesystem::path& out,
                                                  const ScanRequest& request = {});

// Runs build/sohoa with `args`, then `--db db`; environment and stdin as run().
RunResult sohoa_on(const std::string& db, std::vector<std::string> args,
                   const std::vector<std::string>& env = {}, const std::string* input = nullptr);

// A new database at `db` holding the bundled units registry (only `units
// import` creates one, SPEC), and the bundled register when `with_register`.
// Throws std::runtime_error with sohoa's stderr when either fails.
void create_database(const std::string& db, bool with_register = false);

// The id of the first line of `sohoa ingest --json` output that stored or
// found a document (not `skipped`, such as truth files beside the scans);
// -1 when there is none.
int64_t first_ingested_id(const std::string& ingest_json);

}  // namespace sohoa::testing

namespace sohoa::testing {

// Hostile twins of a JPEG's bytes (issue 19): the first `keep` bytes with an
// EOI marker appended, so the file still looks complete to a quick check.
std::string jpeg_cut_keeping_eoi(const std::string& jpeg, size_t keep);
// The same JPEG with its frame header (SOF0/SOF2) claiming width x height.
// Throws std::runtime_error when it has no such header.
std::string jpeg_claiming_size(std::string jpeg, int width, int height);

}  // namespace sohoa::testing
