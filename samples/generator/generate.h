// A run of the generator: documents, their scans, truth files and register.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samples/generator/output.h"
#include "samples/generator/scan.h"

namespace sohoa::samples {

struct GenerateOptions {
  std::string out_dir;
  int count = 10;
  std::uint64_t seed = 1;
  Profile profile = Profile::kDegraded;
  // Formats used in turn, document by document; empty = a random one each.
  std::vector<Format> formats;
  std::string units_path;
  std::optional<std::string> register_path;
  int extra_register_rows = -1;  // -1: half the count, at least 3
  std::optional<std::vector<std::string>> degrade;
  std::optional<double> skew_deg;
  std::optional<int> rotation;
  std::optional<int> pages;
  std::string prefix = "doc";
  // All documents in one multi-page file PREFIX-stack.EXT, some separated by
  // separator sheets; PREFIX-stack.truth.json records the cuts.
  bool stack = false;
  // ComposeOptions::vary_layout: header columns, body lines, urgency marks.
  bool vary_layout = false;
};

struct GenerateSummary {
  int documents = 0;
  int pages = 0;
  int register_rows = 0;
  std::map<std::string, int> files_by_format;
};

// Throws std::runtime_error (bad units file, cannot write) with a message
// naming the file concerned.
GenerateSummary generate(const GenerateOptions& options);

}  // namespace sohoa::samples
