#include "samples/generator/stack.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "export/separator_sheet.h"
#include "samples/generator/document.h"
#include "samples/generator/layout.h"

namespace sohoa::samples {
namespace {

using json = nlohmann::ordered_json;

enum Stream : std::uint64_t { kPlan = 1, kScan, kSeparator, kDocument = 1000 };

vips::VImage separator_page() {
  cv::Mat sheet = exports::render_separator_sheet(300);
  VipsImage* image = vips_image_new_from_memory_copy(sheet.data, sheet.total(), sheet.cols,
                                                     sheet.rows, 1, VIPS_FORMAT_UCHAR);
  if (image == nullptr) throw std::runtime_error("cannot make the separator sheet image");
  return vips::VImage(image, vips::STEAL);
}

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

}  // namespace

GenerateSummary generate_stacks(const GenerateOptions& options, const StackOptions& stack) {
  auto units = load_units(options.units_path);
  std::filesystem::create_directories(options.out_dir);
  Random run(options.seed);
  ComposeOptions compose;
  compose.pages = options.pages;
  std::set<std::string> used_numbers;
  GenerateSummary summary;
  const vips::VImage sheet = separator_page();
  // A sheet feeder writes a multi-page TIFF, or a PDF when asked for pdf/jpg.
  bool pdf = std::any_of(options.formats.begin(), options.formats.end(),
                         [](Format f) { return f == Format::kPdf || f == Format::kJpg; });
  Format format = pdf ? Format::kPdf : Format::kTif;

  for (int index = 1; index <= stack.stacks; ++index) {
    Random stack_rng = run.fork(static_cast<std::uint64_t>(index));
    Random plan = stack_rng.fork(kPlan);
    int count = stack.documents ? *stack.documents : plan.between(5, 30);
    // mixed: odd stacks with separator sheets, even ones without.
    bool separators = stack.separators == "yes" || (stack.separators == "mixed" && index % 2 == 1);

    ScanRequest request;
    request.profile = options.profile;
    request.forced = options.degrade;
    request.skew_deg = options.skew_deg;
    request.rotation = options.rotation;
    request.colour_allowed = false;  // one grey session for the whole stack
    request.jpeg = format == Format::kPdf;
    Random scan_rng = stack_rng.fork(kScan);
    DocumentScan session = plan_document_scan(scan_rng, request);

    std::vector<vips::VImage> scans;
    json documents = json::array(), seps = json::array(), cuts = json::array();
    auto add_separator = [&](int k) {
      Random sep_rng = stack_rng.fork(kSeparator + static_cast<std::uint64_t>(k));
      PageScan ps = plan_page_scan(sep_rng, request);
      // Sheets go in whichever way up the operator picked them.
      if (sep_rng.chance(0.4)) ps.rotation = sep_rng.pick(std::vector<int>{90, 180, 270});
      scans.push_back(scan_page(sheet, session, ps, sep_rng));
      seps.push_back(static_cast<int>(scans.size()));
    };
    for (int d = 0; d < count; ++d) {
      if (separators && d > 0) add_separator(d);
      Random doc_rng = stack_rng.fork(kDocument + static_cast<std::uint64_t>(d));
      Document doc = compose_document(doc_rng.fork(1), units, compose, used_numbers);
      Random font_rng = doc_rng.fork(2);
      auto pages = render_document(doc, font_rng.pick(font_families()));
      int first = static_cast<int>(scans.size()) + 1;
      json texts = json::array();
      for (std::size_t p = 0; p < pages.size(); ++p) {
        Random page_rng = doc_rng.fork(100 + p);
        PageScan ps = plan_page_scan(page_rng, request);
        scans.push_back(scan_page(pages[p].image, session, ps, page_rng));
        texts.push_back(json{{"rotation", ps.rotation}, {"skew_deg", ps.skew_deg}});
      }
      int last = static_cast<int>(scans.size());
      cuts.push_back(first);
      const Metadata& m = doc.metadata;
      documents.push_back(
          json{{"first", first},
               {"last", last},
               {"unit", doc.unit->code},
               {"metadata",
                {{"doc_type", m.doc_type.empty() ? json(nullptr) : json(m.doc_type)},
                 {"doc_number", m.hand_filled ? json(nullptr) : json(m.doc_number)},
                 {"issued_date", m.hand_filled ? json(nullptr) : json(m.issued_date.iso())},
                 {"dossier_code", optional_string(m.dossier_code)}}},
               {"pages", texts}});
      ++summary.documents;
    }
    char name_buf[64];
    std::snprintf(name_buf, sizeof name_buf, "%s-%04d", options.prefix.c_str(), index);
    std::string name = name_buf;
    std::string file = name + "." + extension(format);
    auto out_dir = std::filesystem::path(options.out_dir);
    write_document((out_dir / file).string(), format, scans, session.dpi,
                   session.jpeg_q60 ? 60 : 85, true);
    json truth{{"file", file},       {"pages", scans.size()}, {"dpi", session.dpi},
               {"separators", seps}, {"cuts", cuts},          {"documents", documents}};
    std::ofstream out(out_dir / (name + ".truth.json"), std::ios::binary);
    out << truth.dump(2) << "\n";
    if (!out)
      throw std::runtime_error((out_dir / (name + ".truth.json")).string() + ": cannot write");
    summary.pages += static_cast<int>(scans.size());
    ++summary.files_by_format[extension(format)];
  }
  return summary;
}

}  // namespace sohoa::samples
