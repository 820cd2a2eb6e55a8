// sohoa-samples: writes seeded, realistic scans of Vietnamese administrative
// documents with their ground truth, for sohoa's tests and benchmarks.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vips/vips8>

#include "samples/generator/generate.h"
#include "samples/generator/stack.h"

// Under -fsanitize=address (SOHOA_SANITIZE), fontconfig's process-lifetime
// caches, reached through Pango, are reported as leaks and would make every
// run exit non-zero; they are not ours.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

namespace {

using namespace sohoa::samples;

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty() && item != "none") out.push_back(item);
  return out;
}

// The units file of the source tree, when run from elsewhere.
std::string default_units() {
  if (std::filesystem::exists("samples/units.csv")) return "samples/units.csv";
  return SOHOA_SAMPLES_DIR "/units.csv";
}

std::string summary_line(const GenerateOptions& o, const GenerateSummary& s, double seconds) {
  std::string formats;
  for (const auto& [name, count] : s.files_by_format)
    formats += (formats.empty() ? "" : " ") + name + ":" + std::to_string(count);
  char buf[512];
  std::snprintf(buf, sizeof buf, "sohoa-samples: %d documents, %d pages (%s) in %s", s.documents,
                s.pages, formats.c_str(), o.out_dir.c_str());
  std::string line = buf;
  if (o.register_path)
    line += "; register " + *o.register_path + " (" + std::to_string(s.register_rows) + " rows)";
  std::snprintf(buf, sizeof buf, "; %.2f s", seconds);
  return line + buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Writes seeded scans of Vietnamese administrative-procedure results (Decree 30/2020 layout)\n"
      "with their ground truth NAME.truth.json beside each file. The same seed and options give\n"
      "the same bytes."};
  GenerateOptions o;
  std::string profile = "degraded", format = "mixed", degrade;
  std::optional<double> skew;
  std::optional<int> rotation, pages;
  app.add_option("--out", o.out_dir, "Folder to write into (created)")->required();
  app.add_option("--count", o.count, "Number of documents")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Random seed")->capture_default_str();
  app.add_option("--profile", profile,
                 "clean: no degradation; mild: 200 dpi, small skews; degraded: skew up to 5 deg, "
                 "noise, blur, paper, borders...; hard: skew up to 15 deg (some 45), rotations, "
                 "strong noise")
      ->check(CLI::IsMember({"clean", "mild", "degraded", "hard"}))
      ->capture_default_str();
  app.add_option("--format", format,
                 "png|jpg|webp|tif|g4|pdf|mixed, or a comma-separated list used in turn "
                 "(png,g4,pdf). mixed: a random format per document. Documents of several pages "
                 "go to a multi-page file: pdf for jpg, tif for png and webp")
      ->capture_default_str();
  app.add_option("--units", o.units_path, "Units CSV (SPEC format); default samples/units.csv");
  app.add_option(
      "--register", o.register_path,
      "Also write a register CSV: one row per document plus rows for results not scanned");
  app.add_option("--register-extra", o.extra_register_rows,
                 "Register rows for results not scanned (default: half the count, at least 3)");
  app.add_option(
      "--degrade", degrade,
      "Exactly these degradations on every page instead of the profile's random ones, "
      "comma-separated: skew,rotation,noise,speckles,blur,uneven_light,grey_paper,"
      "yellow_paper,dark_border,jpeg_q60,low_dpi (or none); amplitudes follow the profile");
  app.add_option("--skew", skew,
                 "Skew every page by this many degrees (positive: lines rise to the right)")
      ->check(CLI::Range(-45.0, 45.0));
  app.add_option("--rotation", rotation, "Turn every page counter-clockwise by 0, 90, 180 or 270")
      ->check(CLI::IsMember({0, 90, 180, 270}));
  app.add_option("--pages", pages, "Every document has this many pages")->check(CLI::Range(1, 3));
  app.add_flag("--stack", o.stack,
               "Write all documents into one multi-page file PREFIX-stack.EXT (tif, g4 or pdf: "
               "the first --format that holds several pages) with separator sheets (QR code "
               "SOHOA-SEPARATOR) between some of them; PREFIX-stack.truth.json lists the cuts "
               "and each document's truth names its pages FILE#FIRST-LAST");
  app.add_flag("--vary-layout", o.vary_layout,
               "Vary the header as real documents do: column centres and gap, the issuing body "
               "on one line (UBND XÃ ...), urgency marks (KHẨN, THƯỢNG KHẨN, HỎA TỐC) under the "
               "number, letters (V/v), hand-filled number and day, red seals over the signer, "
               "SAO Y / SAO LỤC / TRÍCH SAO copies; recorded in the truth");
  app.add_option("--prefix", o.prefix, "File name prefix: PREFIX-0001.png")->capture_default_str();
  StackOptions stack;
  app.add_option("--stacks", stack.stacks,
                 "Write this many stacks instead of documents: several documents scanned as one "
                 "multi-page file (tif, or pdf), true cuts in the truth file")
      ->check(CLI::Range(0, 10000));
  app.add_option("--stack-docs", stack.documents, "Documents per stack (default 5..30 at random)")
      ->check(CLI::Range(1, 100));
  app.add_option("--separators", stack.separators,
                 "Separator sheets between a stack's documents: yes|no|mixed")
      ->check(CLI::IsMember({"yes", "no", "mixed"}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a success; any other parse error is bad usage (exit 1).
    return app.exit(e) == 0 ? 0 : 1;
  }

  if (VIPS_INIT(argv[0])) {
    std::fprintf(stderr, "sohoa-samples: cannot start libvips\n");
    return 2;
  }
  o.profile = profile == "clean"  ? Profile::kClean
              : profile == "mild" ? Profile::kMild
              : profile == "hard" ? Profile::kHard
                                  : Profile::kDegraded;
  if (format != "mixed") {
    try {
      for (const auto& name : split_list(format)) o.formats.push_back(parse_format(name));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sohoa-samples: --format: %s\n", e.what());
      return 1;
    }
    if (o.formats.empty()) {
      std::fprintf(stderr, "sohoa-samples: --format: no format given\n");
      return 1;
    }
  }
  if (o.units_path.empty()) o.units_path = default_units();
  if (!degrade.empty()) {
    o.degrade = split_list(degrade);
    for (const auto& name : *o.degrade) {
      const auto& known = degradation_names();
      if (std::find(known.begin(), known.end(), name) == known.end() || name == "bilevel") {
        std::fprintf(stderr, "sohoa-samples: --degrade: unknown degradation '%s'\n", name.c_str());
        return 1;
      }
    }
  }
  o.skew_deg = skew;
  o.rotation = rotation;
  o.pages = pages;

  auto start = std::chrono::steady_clock::now();
  try {
    GenerateSummary s = stack.stacks > 0 ? generate_stacks(o, stack) : generate(o);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s\n", summary_line(o, s, seconds).c_str());
  } catch (const vips::VError& e) {
    std::fprintf(stderr, "sohoa-samples: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sohoa-samples: %s\n", e.what());
    return std::string(e.what()).find("cannot write") != std::string::npos ? 2 : 1;
  }
  vips_shutdown();
  return 0;
}
