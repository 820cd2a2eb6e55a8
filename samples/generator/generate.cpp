#include "samples/generator/generate.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "samples/generator/document.h"
#include "samples/generator/layout.h"
#include "samples/generator/separator.h"

namespace sohoa::samples {
namespace {

using json = nlohmann::ordered_json;

// Sub-streams of a document's random source.
enum Stream : std::uint64_t {
  kCompose = 1,
  kFont,
  kFormat,
  kDocumentScan,
  kSeparator,
  kPageScan = 100,
  kSeparatorScan = 200
};
constexpr std::uint64_t kStack = 2'000'000;
constexpr std::uint64_t kRegisterOnly = 1'000'000;

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json metadata_json(const Metadata& m) {
  // A letter has no doc_type; a number and day written by hand are null
  // (SPEC: what cannot be read with certainty is null, for review).
  return json{{"doc_type", m.doc_type.empty() ? json(nullptr) : json(m.doc_type)},
              {"doc_number", m.hand_filled ? json(nullptr) : json(m.doc_number)},
              {"issued_date", m.hand_filled ? json(nullptr) : json(m.issued_date.iso())},
              {"place", m.place},
              {"authority", m.authority},
              {"subject", optional_string(m.subject)},
              {"signer", m.signer},
              {"signer_role", m.signer_role},
              {"citizen_ids", m.citizen_ids},
              {"dossier_code", optional_string(m.dossier_code)},
              {"urgency", optional_string(m.urgency)},
              {"secrecy", nullptr},
              {"recipients", m.recipients},
              {"copy_mark", optional_string(m.copy_mark)}};
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string register_line(const RegisterRow& r) {
  return csv_field(r.unit) + "," + csv_field(r.doc_number) + "," + r.issued_date.iso() + "," +
         (r.valid_until.valid() ? r.valid_until.iso() : "") + "," + csv_field(r.dossier_code) +
         "," + csv_field(r.procedure_code) + "," + csv_field(r.doc_type) + "," +
         csv_field(r.title) + "\n";
}

Format choose_format(Random& rng, const std::vector<Format>& cycle, int index, std::size_t pages) {
  if (!cycle.empty()) {
    const Format* wanted = &cycle[static_cast<std::size_t>(index - 1) % cycle.size()];
    if (pages == 1 || holds_several_pages(*wanted)) return *wanted;
    // A document is one file: several pages go where several pages fit,
    // JPEG scans into a PDF of JPEGs, the rest into a multi-page TIFF.
    return *wanted == Format::kJpg ? Format::kPdf : Format::kTif;
  }
  if (pages == 1) return static_cast<Format>(rng.between(0, 5));
  return rng.pick(std::vector<Format>{Format::kTif, Format::kG4, Format::kPdf});
}

std::string format_key(Format f) { return format_names()[static_cast<std::size_t>(f)]; }

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error(path.string() + ": cannot write");
}

ScanRequest scan_request(const GenerateOptions& options, Format format) {
  ScanRequest request;
  request.profile = options.profile;
  request.forced = options.degrade;
  request.skew_deg = options.skew_deg;
  request.rotation = options.rotation;
  request.colour_allowed = keeps_colour(format);
  request.bilevel = format == Format::kG4;
  request.jpeg = stores_jpeg(format);
  return request;
}

// A stack is one multi-page file: the first listed format that holds
// several pages (jpg scans go to a pdf), else a random one.
Format stack_format(Random& rng, const std::vector<Format>& formats) {
  if (formats.empty())
    return rng.pick(std::vector<Format>{Format::kTif, Format::kG4, Format::kPdf});
  return choose_format(rng, {formats[0]}, 1, 2);
}

// The pages of a stack being assembled, and where each document lies in it.
struct Stack {
  std::string file;
  Format format = Format::kPdf;
  DocumentScan scan;
  std::vector<vips::VImage> pages;
  json documents = json::array();
  std::vector<int> separator_pages;
  bool noisy = false;
};

}  // namespace

GenerateSummary generate(const GenerateOptions& options) {
  auto units = load_units(options.units_path);
  std::filesystem::create_directories(options.out_dir);
  Random run(options.seed);
  ComposeOptions compose;
  compose.pages = options.pages;
  compose.vary_layout = options.vary_layout;
  std::set<std::string> used_numbers;
  GenerateSummary summary;
  std::string register_csv =
      "unit,doc_number,issued_date,valid_until,dossier_code,procedure_code,doc_type,title\n";
  auto out_dir = std::filesystem::path(options.out_dir);

  std::optional<Stack> stack;
  Random stack_rng = run.fork(kStack);
  if (options.stack) {
    stack.emplace();
    stack->format = stack_format(stack_rng, options.formats);
    stack->file = options.prefix + "-stack." + extension(stack->format);
    // One scanner session: the same resolution and paper for every sheet.
    stack->scan = plan_document_scan(stack_rng, scan_request(options, stack->format));
  }

  for (int index = 1; index <= options.count; ++index) {
    Random doc_rng = run.fork(static_cast<std::uint64_t>(index));
    Document doc = compose_document(doc_rng.fork(kCompose), units, compose, used_numbers);
    Random font_rng = doc_rng.fork(kFont);
    auto pages = render_document(doc, font_rng.pick(font_families()));

    Random format_rng = doc_rng.fork(kFormat);
    Format format =
        stack ? stack->format : choose_format(format_rng, options.formats, index, pages.size());
    ScanRequest request = scan_request(options, format);
    Random doc_scan_rng = doc_rng.fork(kDocumentScan);
    DocumentScan doc_scan = stack ? stack->scan : plan_document_scan(doc_scan_rng, request);

    char name_buf[64];
    std::snprintf(name_buf, sizeof name_buf, "%s-%04d", options.prefix.c_str(), index);
    std::string name = name_buf;
    std::string file = name + "." + extension(format);

    json truth_pages = json::array();
    bool noisy = false;
    std::vector<vips::VImage> scans;
    for (std::size_t p = 0; p < pages.size(); ++p) {
      Random page_rng = doc_rng.fork(kPageScan + p);
      PageScan page_scan = plan_page_scan(page_rng, request);
      noisy = noisy || page_scan.noise_sigma > 0.0;
      const auto& seal = pages[p].seal;
      scans.push_back(
          scan_page(pages[p].image, doc_scan, page_scan, page_rng, seal ? &*seal : nullptr));
      json truth_page{{"text", joined_lines(pages[p].lines)},
                      {"rotation", page_scan.rotation},
                      {"skew_deg", page_scan.skew_deg},
                      {"dpi", doc_scan.dpi},
                      {"degradations", recorded_degradations(doc_scan, page_scan)}};
      if (seal) {
        // Where the seal's ring lies on the upright, unskewed page, in
        // pixels at the page's dpi.
        double k = doc_scan.dpi / 300.0;
        truth_page["seal"] = json{{"x", std::lround(pages[p].seal_x * k)},
                                  {"y", std::lround(pages[p].seal_y * k)},
                                  {"radius", std::lround(pages[p].seal_radius * k)}};
      }
      truth_pages.push_back(truth_page);
    }
    if (stack) {
      int first = static_cast<int>(stack->pages.size()) + 1;
      stack->pages.insert(stack->pages.end(), scans.begin(), scans.end());
      int last = static_cast<int>(stack->pages.size());
      file = stack->file + "#" + std::to_string(first) + "-" + std::to_string(last);
      stack->documents.push_back(
          json{{"truth", name + ".truth.json"}, {"first", first}, {"last", last}});
      stack->noisy = stack->noisy || noisy;
      Random separator_rng = doc_rng.fork(kSeparator);
      if (index < options.count && separator_rng.chance(0.5)) {
        Random sheet_rng = doc_rng.fork(kSeparatorScan);
        PageScan sheet_scan = plan_page_scan(sheet_rng, request);
        stack->pages.push_back(
            scan_page(render_separator_sheet(), stack->scan, sheet_scan, sheet_rng));
        stack->separator_pages.push_back(static_cast<int>(stack->pages.size()));
      }
    } else {
      write_document((out_dir / file).string(), format, scans, doc_scan.dpi,
                     doc_scan.jpeg_q60 ? 60 : 85, noisy);
    }

    json truth{{"file", file},
               {"unit", doc.unit->code},
               {"level", doc.unit->level},
               {"metadata", metadata_json(doc.metadata)},
               {"pages", truth_pages}};
    write_text(out_dir / (name + ".truth.json"), truth.dump(2) + "\n");

    register_csv += register_line(doc.register_row);
    ++summary.register_rows;
    ++summary.documents;
    summary.pages += static_cast<int>(pages.size());
    if (!stack) ++summary.files_by_format[format == Format::kG4 ? "g4" : format_key(format)];
  }

  if (stack && !stack->pages.empty()) {
    write_document((out_dir / stack->file).string(), stack->format, stack->pages, stack->scan.dpi,
                   stack->scan.jpeg_q60 ? 60 : 85, stack->noisy);
    json truth{{"file", stack->file},
               {"pages", stack->pages.size()},
               {"separator_content", kSeparatorContent},
               {"separator_pages", stack->separator_pages},
               {"documents", stack->documents}};
    write_text(out_dir / (options.prefix + "-stack.truth.json"), truth.dump(2) + "\n");
    ++summary
          .files_by_format["stack " + (stack->format == Format::kG4 ? std::string("g4")
                                                                    : format_key(stack->format))];
    summary.pages += static_cast<int>(stack->separator_pages.size());
  }

  if (options.register_path) {
    int extra = options.extra_register_rows >= 0 ? options.extra_register_rows
                                                 : std::max(3, options.count / 2);
    for (int k = 1; k <= extra; ++k) {
      Document unscanned =
          compose_document(run.fork(kRegisterOnly + static_cast<std::uint64_t>(k)).fork(kCompose),
                           units, compose, used_numbers);
      register_csv += register_line(unscanned.register_row);
      ++summary.register_rows;
    }
    auto parent = std::filesystem::path(*options.register_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    write_text(*options.register_path, register_csv);
  }
  return summary;
}

}  // namespace sohoa::samples
