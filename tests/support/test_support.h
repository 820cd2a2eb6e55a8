// Helpers shared by the test programs: temporary folders and running the
// built programs as a user would.
#pragma once

#include <filesystem>
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

}  // namespace sohoa::testing

namespace sohoa::testing {

// Hostile twins of a JPEG's bytes (issue 19): the first `keep` bytes with an
// EOI marker appended, so the file still looks complete to a quick check.
std::string jpeg_cut_keeping_eoi(const std::string& jpeg, size_t keep);
// The same JPEG with its frame header (SOF0/SOF2) claiming width x height.
// Throws std::runtime_error when it has no such header.
std::string jpeg_claiming_size(std::string jpeg, int width, int height);

}  // namespace sohoa::testing
