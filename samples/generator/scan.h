// How a page was "scanned": the degradations applied to a clean rendering,
// chosen from a profile (or forced), and applying them.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <vips/vips8>

#include "samples/generator/random.h"

namespace sohoa::samples {

// clean: none; mild: 200 dpi and small skews (small files for the quick start);
// degraded: what a careful office scan shows; hard: large skews, rotations,
// strong noise.
enum class Profile { kClean, kMild, kDegraded, kHard };

// Names recorded in the truth's "degradations" (and accepted by --degrade).
const std::vector<std::string>& degradation_names();

// Choices that hold for every page of a document (one scanner session).
struct DocumentScan {
  int dpi = 300;
  bool low_dpi = false;
  bool jpeg_q60 = false;
  bool bilevel = false;  // written as 1-bit (Group 4 TIFF)
  int paper = 255;       // paper grey level
  bool yellow = false;   // yellowish paper, written in colour
  bool grey_paper = false;
  bool colour = false;  // the format keeps colour: a red seal stays red
};

struct PageScan {
  int rotation = 0;       // counter-clockwise from upright: 0, 90, 180, 270
  double skew_deg = 0.0;  // positive when text lines rise to the right
  double noise_sigma = 0.0;
  bool speckles = false;
  double blur_sigma = 0.0;
  bool uneven_light = false;
  bool dark_border = false;
};

struct ScanRequest {
  Profile profile = Profile::kDegraded;
  std::optional<std::vector<std::string>> forced;  // exactly these degradations
  std::optional<double> skew_deg;
  std::optional<int> rotation;
  bool colour_allowed = true;  // the output format keeps colour
  bool bilevel = false;        // the output format is 1-bit
  bool jpeg = false;           // the output format stores JPEG
};

DocumentScan plan_document_scan(Random& rng, const ScanRequest& request);
PageScan plan_page_scan(Random& rng, const ScanRequest& request);

// The truth's list of degradations for a page.
std::vector<std::string> recorded_degradations(const DocumentScan& doc, const PageScan& page);

// Applies the scan to a clean upright 300 dpi page (one band uchar, white
// paper); the result is uchar, one band (three for yellow paper), at the
// document's dpi. Deterministic for a given rng state. `seal`, when given,
// is a red seal's ink (one band, page-sized) printed over the page: red on
// a colour format (three bands), its grey elsewhere; it draws nothing from
// `rng`.
vips::VImage scan_page(const vips::VImage& clean, const DocumentScan& doc, const PageScan& page,
                       Random& rng, const vips::VImage* seal = nullptr);

}  // namespace sohoa::samples
