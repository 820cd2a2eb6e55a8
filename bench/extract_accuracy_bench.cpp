// Extraction accuracy on generated degraded scans, read by the real page
// chain (restoration + Tesseract vie), and on the real development pages
// (bench/data/real/NAME.layout.json: their OCR layouts as `sohoa ingest`
// stored them; truth in tests/data/real/NAME.fields.json). Per field:
// exact (the value, or rightly null), missing (printed, extracted null) and
// silently wrong (a non-null value that differs from the truth: the worst
// outcome, since register matching trusts it). Lists (citizen_ids,
// recipients) compare as lists. Exit 0 when every target is met: the
// generated targets of issue 14 and zero silently wrong values on real pages.
//
//   extract_accuracy_bench [DIR] [--per-batch N] [--held-out] [--seed N]
//                          [--reread] [--verbose] [--real-only]
//                          [--real-layouts DIR]
//
// --held-out generates (and reads) the held-out set of issue 14 instead:
// seeds 501-504 with varied layouts, 10 documents per batch unless
// --per-batch says otherwise, in build/extract-accuracy-heldout by default.
// --seed N (implies --held-out) generates another held-out set the same way
// from seeds N to N+3, in build/extract-accuracy-seedN by default: a set
// fresh to a change, since a rule tuned on the set it is reported on proves
// nothing (seeds 701-704 and on are kept for that).
// --reread runs the field re-read stage again on the cached pages (their
// restored images are kept beside the layouts), for a changed stage, without
// reading the pages again.
// --real-only skips the generated set; --real-layouts reads the real pages'
// layouts from DIR instead of bench/data/real (bench/tools/real_layouts
// writes them from the images as `sohoa ingest` reads them).
// DIR defaults to build/extract-accuracy; when it holds no scans it is
// filled by sohoa-samples with N (default 15) documents of each of four
// degraded batches (bench/extract_accuracy.h), and OCR layouts are cached
// there: the first run reads every page (minutes), later runs only extract.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "bench/extract_accuracy.h"
#include "metadata/extract.h"
#include "text/vntext.h"

namespace {

using nlohmann::json;
using sohoa::metadata::Extraction;

struct Target {
  const char* field;
  double percent;  // exact, generated pages; 0 = reported only
};

const Target kTargets[] = {{"doc_number", 99}, {"issued_date", 99}, {"doc_type", 99},
                           {"authority", 99},  {"issuer_unit", 99}, {"place", 97},
                           {"signer", 97},     {"citizen_ids", 97}, {"dossier_code", 97},
                           {"signer_role", 0}, {"subject", 0},      {"urgency", 0},
                           {"secrecy", 0},     {"recipients", 0},   {"copy_mark", 0}};

std::string normal(const std::string& s) {
  return sohoa::text::nfc(sohoa::text::collapse_spaces(s));
}

bool is_list(const std::string& field) { return field == "citizen_ids" || field == "recipients"; }

// The truth as one comparable string: "" for null or an empty list.
std::string truth_value(const json& metadata, const std::string& field) {
  if (!metadata.contains(field) || metadata.at(field).is_null()) return "";
  const json& v = metadata.at(field);
  if (v.is_array()) {
    json out = json::array();
    for (const auto& item : v) out.push_back(normal(item.get<std::string>()));
    return out.empty() ? "" : out.dump();
  }
  return normal(v.get<std::string>());
}

std::string extracted(const Extraction& e, const std::string& field) {
  const auto* f = e.field(field);
  if (!f) return "";
  if (!is_list(field)) return normal(f->value);
  json list = json::parse(f->value, nullptr, false);
  if (!list.is_array() || list.empty()) return "";
  json out = json::array();
  for (const auto& item : list) out.push_back(normal(item.get<std::string>()));
  if (field == "citizen_ids") std::sort(out.begin(), out.end());
  return out.dump();
}

std::string sorted_ids(const std::string& dumped) {
  if (dumped.empty()) return dumped;
  json list = json::parse(dumped);
  std::sort(list.begin(), list.end());
  return list.dump();
}

// " (review: a; b)", or "" when the extraction needs no review.
std::string reasons_of(const Extraction& e) {
  if (e.review_reasons.empty()) return {};
  std::string out = " (review: ";
  for (std::size_t i = 0; i < e.review_reasons.size(); ++i)
    out += (i ? "; " : "") + e.review_reasons[i];
  return out + ")";
}

struct Tally {
  int exact = 0, missing = 0, wrong = 0, total = 0;
};

enum class Outcome { kExact, kMissing, kWrong };

Outcome judge(const std::string& want, const std::string& got) {
  if (got == want) return Outcome::kExact;
  return got.empty() ? Outcome::kMissing : Outcome::kWrong;
}

void count(Tally& t, Outcome o) {
  ++t.total;
  t.exact += o == Outcome::kExact;
  t.missing += o == Outcome::kMissing;
  t.wrong += o == Outcome::kWrong;
}

void print_table(const char* title, const std::map<std::string, Tally>& tallies, bool generated,
                 bool& met) {
  std::printf("%s\n", title);
  std::printf("%-14s %6s %8s %8s %8s  %s\n", "field", "docs", "exact", "missing", "wrong",
              "target");
  for (const Target& t : kTargets) {
    auto it = tallies.find(t.field);
    if (it == tallies.end()) continue;
    const Tally& y = it->second;
    double n = std::max(1, y.total);
    std::string target = "-";
    if (generated && t.percent > 0) {
      bool ok = 100.0 * y.exact / n >= t.percent;
      met = met && ok;
      target = std::string(ok ? ">= " : "MISSED ") + std::to_string(int(t.percent)) + "% exact";
    } else if (!generated) {
      bool ok = y.wrong == 0;
      met = met && ok;
      target = ok ? "0 wrong" : "MISSED 0 wrong";
    }
    std::printf("%-14s %6d %7.1f%% %7.1f%% %7.1f%%  %s\n", t.field, y.total, 100.0 * y.exact / n,
                100.0 * y.missing / n, 100.0 * y.wrong / n, target.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  fs::path program_dir = fs::absolute(argv[0]).parent_path();
  int per_batch = 15;
  bool per_batch_given = false;
  std::string dir_arg;
  bool verbose = false, real_only = false, held_out = false, reread = false;
  int seed = 0;  // 0: the held-out set's own seeds
  fs::path real_layouts = fs::path(SOHOA_SOURCE_DIR) / "bench" / "data" / "real";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--per-batch" && i + 1 < argc) {
      per_batch = std::atoi(argv[++i]);
      per_batch_given = true;
    } else if (a == "--verbose")
      verbose = true;
    else if (a == "--real-only")
      real_only = true;
    else if (a == "--held-out")
      held_out = true;
    else if (a == "--seed" && i + 1 < argc) {
      held_out = true;
      seed = std::atoi(argv[++i]);
      if (seed <= 0) {
        std::cerr << "extract_accuracy_bench: --seed wants a positive number\n";
        return 1;
      }
    } else if (a == "--reread")
      reread = true;
    else if (a == "--real-layouts" && i + 1 < argc)
      real_layouts = argv[++i];
    else if (a == "--help" || a == "-h") {
      std::cout << "usage: extract_accuracy_bench [DIR] [--per-batch N] [--held-out] [--seed N]\n"
                   "                              [--reread] [--verbose] [--real-only]\n"
                   "                              [--real-layouts DIR]\n"
                   "Per-field exact / missing / silently wrong on generated and real pages\n"
                   "(the options are explained at the top of bench/extract_accuracy_bench.cpp).\n";
      return 0;
    } else if (a.rfind("-", 0) == 0) {
      std::cerr << "extract_accuracy_bench: unknown option " << a << " (--help)\n";
      return 1;
    } else
      dir_arg = a;
  }
  fs::path units_csv = fs::path(SOHOA_SOURCE_DIR) / "samples" / "units.csv";
  if (held_out && !per_batch_given) per_batch = 10;
  fs::path dir = !dir_arg.empty() ? fs::path(dir_arg)
                 : seed > 0       ? program_dir / ("extract-accuracy-seed" + std::to_string(seed))
                 : held_out       ? program_dir / "extract-accuracy-heldout"
                                  : program_dir / "extract-accuracy";
  int first_seed = seed > 0 ? seed : sohoa::bench::kHeldOutSeed;
  if (!real_only &&
      !sohoa::bench::ensure_samples(dir, per_batch, program_dir, units_csv, held_out, first_seed)) {
    return 2;
  }
  std::vector<sohoa::bench::Sample> samples;
  std::unique_ptr<sohoa::pipeline::RereadStage> stage;
  if (reread) stage = std::make_unique<sohoa::pipeline::RereadStage>();
  if (!real_only) samples = sohoa::bench::load_samples(dir, stage.get());
  sohoa::metadata::MetadataExtractor extractor(sohoa::bench::read_units_csv(units_csv));

  std::map<std::string, Tally> generated;
  int documents = 0, pages = 0, silent_wrong_unit = 0, in_review = 0;
  double extract_ms = 0;
  for (const auto& s : samples) {
    ++documents;
    pages += static_cast<int>(s.pages.size());
    const json& metadata = s.truth.at("metadata");
    // The station is some other unit, so a fallback never passes for a match.
    auto t0 = std::chrono::steady_clock::now();
    Extraction e = extractor.extract(s.pages, "dak-lak");
    extract_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    bool review = !e.review_reasons.empty();
    in_review += review;
    for (const Target& t : kTargets) {
      std::string f = t.field;
      std::string want =
          f == "issuer_unit" ? s.truth.at("unit").get<std::string>() : truth_value(metadata, f);
      std::string got = f == "issuer_unit" ? e.issuer_unit : extracted(e, f);
      if (f == "citizen_ids") want = sorted_ids(want);
      Outcome o = judge(want, got);
      count(generated[f], o);
      if (o != Outcome::kExact && verbose) {
        std::fprintf(stderr, "%s %-12s want [%s] got [%s]%s\n", s.name.c_str(), f.c_str(),
                     want.c_str(), got.c_str(), reasons_of(e).c_str());
      }
    }
    if (e.issuer_unit != s.truth.at("unit").get<std::string>() && !review) ++silent_wrong_unit;
  }
  if (documents == 0 && !real_only) return 2;

  // Real pages: the station is a unit they do not name.
  std::map<std::string, Tally> real;
  int real_docs = 0, real_review = 0;
  fs::path real_truth = fs::path(SOHOA_SOURCE_DIR) / "tests" / "data" / "real";
  std::vector<fs::path> layouts;
  if (fs::is_directory(real_layouts)) {
    for (const auto& entry : fs::directory_iterator(real_layouts)) layouts.push_back(entry.path());
  }
  std::sort(layouts.begin(), layouts.end());
  for (const auto& layout : layouts) {
    std::string file = layout.filename().string();
    std::string stem = file.substr(0, file.size() - std::string(".layout.json").size());
    fs::path truth_file = real_truth / (stem + ".fields.json");
    if (!fs::exists(truth_file)) continue;
    json truth = json::parse(sohoa::bench::slurp(truth_file));
    Extraction e = extractor.extract(sohoa::bench::cached_layout(layout), "dak-lak");
    ++real_docs;
    bool review = !e.review_reasons.empty();
    real_review += review;
    for (const Target& t : kTargets) {
      std::string f = t.field;
      if (f == "issuer_unit") continue;
      std::string want = truth_value(truth.at("metadata"), f);
      std::string got = extracted(e, f);
      if (f == "citizen_ids") want = sorted_ids(want);
      Outcome o = judge(want, got);
      count(real[f], o);
      if (o != Outcome::kExact && verbose) {
        std::fprintf(stderr, "real %s %-12s want [%s] got [%s]%s\n", stem.c_str(), f.c_str(),
                     want.c_str(), got.c_str(), reasons_of(e).c_str());
      }
    }
  }

  bool met = true;
  if (!real_only) {
    std::printf("extraction accuracy: %d generated documents, %d pages, degraded scans in %s\n",
                documents, pages, dir.string().c_str());
    print_table("generated (exact = value or rightly null; wrong = non-null and not the truth)",
                generated, true, met);
    std::printf("%-14s %6d %7.1f%%\n", "in review", in_review, 100.0 * in_review / documents);
    std::printf("wrong unit, not in review: %d (target 0)\n", silent_wrong_unit);
    std::printf("extraction time: %.2f ms per page (target < 20)\n",
                extract_ms / std::max(1, pages));
    met = met && silent_wrong_unit == 0 && extract_ms / std::max(1, pages) < 20;
  }
  if (real_docs > 0) {
    std::printf("\n");
    print_table(
        ("real pages: " + std::to_string(real_docs) + " documents (" + real_layouts.string() + ")")
            .c_str(),
        real, false, met);
    std::printf("%-14s %6d %7.1f%%\n", "in review", real_review, 100.0 * real_review / real_docs);
  }
  std::printf("targets %s\n", met ? "met" : "NOT met");
  return met ? 0 : 1;
}
