// Stage: reads the QR codes and barcodes printed on a page into `page.codes`
// (ZXing), whatever the page's orientation. Separator sheets and dossier
// codes on documents are found from these contents.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "pipeline/stages/page.h"
#include "storage/records.h"

namespace sohoa::pipeline {

// The contents of the codes found on a grey (CV_8UC1) image, in the order
// ZXing reports them, duplicates removed; none for an empty image. Pages of any orientation are
// read; large scans are read at about 150 dpi.
std::vector<std::string> read_codes(const cv::Mat& grey);

class CodesStage : public PageStage {
 public:
  const char* name() const override { return "codes"; }
  bool applies_to_text_pages() const override { return true; }
  Page run(Page page) override;
};

// Contents that mark a separator sheet: SOHOA-SEPARATOR or PATCHT (the patch
// code convention of other scanning software), compared after trimming
// spaces, case-insensitively.
bool is_separator_code(const std::string& content);
bool has_separator_code(const std::vector<std::string>& codes);

// The first dossier code (H46.57-220603-3392 style: a letter, digits with
// dots, '-', six-digit yymmdd, '-', four or more digits) held in `codes`, or
// empty.
std::string dossier_code_in(const std::vector<std::string>& codes);

// Where the text gave no dossier_code and a page's code holds one, sets it
// (confidence 1.0: the code is read exactly or not at all). True when set.
bool dossier_code_from_codes(std::vector<storage::Field>& fields,
                             const std::vector<std::string>& codes);

}  // namespace sohoa::pipeline
