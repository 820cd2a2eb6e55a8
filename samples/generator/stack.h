// Stacks: several documents scanned as one file by a sheet feeder, some
// with separator sheets between them, with the true cuts recorded.
#pragma once

#include <optional>
#include <string>

#include "samples/generator/generate.h"

namespace sohoa::samples {

struct StackOptions {
  int stacks = 0;                    // stack files to write
  std::optional<int> documents;      // documents per stack; default 5..30 at random
  std::string separators = "mixed";  // yes | no | mixed (odd-numbered stacks)
};

// Writes PREFIX-NNNN.tif (or .pdf for --format pdf/jpg) stacks with
// PREFIX-NNNN.truth.json: "pages" (count), "separators" (their page
// numbers), "documents" [{first, last, metadata}] and "cuts" (the first page
// of each document). Separator sheets are the sheet `sohoa separator` prints,
// some turned 90/180/270; a stack at 200 dpi has its sheets at 200 dpi.
GenerateSummary generate_stacks(const GenerateOptions& options, const StackOptions& stack);

}  // namespace sohoa::samples
