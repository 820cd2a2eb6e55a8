// The export re-creates the restored page images from the archived original
// and the recorded rotation and skew; it must give, pixel for pixel, the
// image that OCR read during ingest, or the text layer would sit beside the
// words.
#include "export/render.h"

#include <gtest/gtest.h>

#include "pipeline/stages/chain.h"
#include "pipeline/stages/clean.h"
#include "pipeline/stages/deskew.h"
#include "pipeline/stages/orient.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;

// Ingest's chain up to OCR.
sohoa::pipeline::PageChain restoration_chain() {
  std::vector<std::unique_ptr<sohoa::pipeline::PageStage>> stages;
  stages.push_back(std::make_unique<sohoa::pipeline::OrientStage>());
  stages.push_back(std::make_unique<sohoa::pipeline::DeskewStage>());
  stages.push_back(std::make_unique<sohoa::pipeline::CleanStage>());
  return sohoa::pipeline::PageChain(std::move(stages));
}

TEST(ExportRender, ReplayGivesTheImageOcrReadOnTurnedAndSkewedPages) {
  TempDir dir;
  // Seed 1 of the hard profile: pages turned 0, 270 and 180 degrees, skews
  // of a few degrees, noise, dark borders and grey paper.
  RunResult gen = run({sohoa::testing::samples_bin(), "--out", (dir / "in").string(), "--count",
                       "3", "--seed", "1", "--profile", "hard", "--format", "png", "--units",
                       (sohoa::testing::units_csv_path()).string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;

  sohoa::pipeline::PageChain chain = restoration_chain();
  sohoa::exports::PageReplay replay;
  int turned = 0, skewed = 0, pages = 0;
  for (const auto& entry : fs::directory_iterator(dir / "in")) {
    if (entry.path().extension() == ".json") continue;
    sohoa::pipeline::ScanFile scan(entry.path());
    for (int n = 1; n <= scan.page_count(); ++n) {
      sohoa::pipeline::Page seen = chain.run(scan.load_page(n));
      sohoa::storage::PageRecord record = sohoa::pipeline::page_record(seen);
      turned += record.rotation != 0;
      skewed += record.skew_deg != 0;
      ++pages;

      sohoa::pipeline::Page again = replay.restore(scan, n, record).page;
      ASSERT_EQ(again.image.size(), seen.image.size()) << entry.path() << " page " << n;
      EXPECT_EQ(cv::countNonZero(again.image != seen.image), 0) << entry.path() << " page " << n;
      EXPECT_EQ(again.dpi, seen.dpi);
    }
  }
  EXPECT_EQ(pages, 4);
  EXPECT_GE(turned, 2) << "the sample must exercise the rotation replay";
  EXPECT_GE(skewed, 3) << "the sample must exercise the skew replay";
}

}  // namespace
