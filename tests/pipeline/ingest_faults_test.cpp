// Ingest's failure paths, driven directly with a fault-injecting stage chain
// (tests/support/fault_stage.h) instead of Tesseract: a stage that throws
// mid-file, one that reads nothing, one that is slow while a stop is asked
// for, and a chain that cannot be made at all.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <atomic>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <vips/vips8>

#include "pipeline/ingest.h"
#include "registry/units_import.h"
#include "storage/database.h"
#include "storage/file_hash.h"
#include "tests/support/fault_stage.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using sohoa::pipeline::FileOutcome;
using sohoa::pipeline::IngestOptions;
using sohoa::pipeline::PageChain;
using sohoa::testing::Faults;
using sohoa::testing::FaultStage;
using sohoa::testing::TempDir;

namespace {

// A white page with one dark bar whose position differs per `seed`, so
// every file has its own bytes (identity is the SHA-256).
vips::VImage page_image(int seed) {
  vips::VImage page = (vips::VImage::black(300, 400) + 255).cast(VIPS_FORMAT_UCHAR);
  vips::VImage bar = vips::VImage::black(120, 20).cast(VIPS_FORMAT_UCHAR);
  return page.insert(bar, 40 + seed % 100, 60 + seed % 200);
}

// A TIFF of `pages` pages.
void write_tiff(const fs::path& path, int pages, int seed) {
  std::vector<vips::VImage> images;
  for (int p = 0; p < pages; ++p) images.push_back(page_image(seed * 7 + p));
  vips::VImage stacked = vips::VImage::arrayjoin(images, vips::VImage::option()->set("across", 1));
  stacked.set("page-height", 400);
  stacked.write_to_file(path.c_str());
}

PageChain fault_chain(const Faults& faults) {
  std::vector<std::unique_ptr<sohoa::pipeline::PageStage>> stages;
  stages.push_back(std::make_unique<FaultStage>(faults));
  return PageChain(std::move(stages));
}

class IngestFaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { VIPS_INIT("ingest_faults_test"); }

  void SetUp() override {
    db_path = dir / "sohoa.db";
    auto db = sohoa::storage::Database::open(db_path);
    sohoa::registry::import_units(*db, sohoa::testing::units_csv_path());
    fs::create_directories(dir / "in");
  }

  IngestOptions options(const Faults& faults) {
    IngestOptions o;
    o.inputs = {dir / "in"};
    o.db_path = db_path;
    o.unit = "hoa-dong";
    o.digitized_at = "2026-12-01";
    o.jobs = 2;
    o.make_chain = [faults] { return fault_chain(faults); };
    return o;
  }

  // Outcomes by file name.
  std::map<std::string, FileOutcome> run(const IngestOptions& o,
                                         sohoa::pipeline::IngestSummary* summary = nullptr) {
    std::map<std::string, FileOutcome> by_name;
    auto s = sohoa::pipeline::ingest(
        o, [&](const FileOutcome& out) { by_name[fs::path(out.file).filename()] = out; });
    if (summary) *summary = s;
    return by_name;
  }

  TempDir dir;
  fs::path db_path;
};

TEST_F(IngestFaults, StageThrowingMidFileFailsThatFileOnlyWithPageAndMessage) {
  write_tiff(dir / "in" / "a.tif", 3, 1);
  write_tiff(dir / "in" / "b.tif", 1, 2);
  Faults faults;
  faults.throw_on_page = 2;
  faults.throw_message = "stage broke here";
  sohoa::pipeline::IngestSummary summary;
  auto out = run(options(faults), &summary);

  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out["a.tif"].status, "failed");
  EXPECT_EQ(out["a.tif"].error, "page 2: stage broke here");
  ASSERT_TRUE(out["a.tif"].id.has_value());  // recorded, so review --queue shows it
  EXPECT_NE(out["b.tif"].status, "failed");
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.ok, 1);

  auto db = sohoa::storage::Database::open(db_path);
  auto failed = db->document(*out["a.tif"].id);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->status, "failed");
  EXPECT_TRUE(failed->pages.empty());  // nothing stored half
  EXPECT_EQ(db->document(*out["b.tif"].id)->pages.size(), 1u);
}

// A scanner still writing the file while ingest reads it: the archive must
// never hold the new bytes under the old SHA-256 (export --original would
// refuse forever). The file is failed, with no archived copy, and the next
// ingest stores the finished bytes.
TEST_F(IngestFaults, FileChangedWhileBeingIngestedIsFailedNeverArchivedUnderTheOldHash) {
  fs::path file = dir / "in" / "a.tif";
  write_tiff(file, 1, 4);
  std::string before = sohoa::storage::sha256_of_file(file);
  Faults changing;
  changing.on_page = [file](int) {
    std::ofstream(file, std::ios::binary | std::ios::app) << "more bytes from the scanner";
  };
  auto out = run(options(changing));
  ASSERT_EQ(out["a.tif"].status, "failed");
  EXPECT_EQ(out["a.tif"].error,
            "file changed while it was being ingested; ingest it again once it is complete");
  ASSERT_TRUE(out["a.tif"].id.has_value());  // recorded, so review --queue shows it
  auto archive = sohoa::storage::Archive::beside(db_path);
  EXPECT_FALSE(fs::exists(archive.path_of(before)));
  EXPECT_FALSE(archive.contains(before));

  std::string after = sohoa::storage::sha256_of_file(file);
  ASSERT_NE(after, before);
  auto again = run(options(Faults{}));
  EXPECT_NE(again["a.tif"].status, "failed") << again["a.tif"].error;
  EXPECT_TRUE(archive.contains(after));
  EXPECT_EQ(sohoa::testing::read_file(archive.path_of(after)), sohoa::testing::read_file(file));
}

// contains() reads the copy: a damaged archived file is not "there", and the
// next put replaces it with the right bytes.
TEST_F(IngestFaults, DamagedArchiveCopyIsNotContainedAndIsReplaced) {
  fs::path file = dir / "in" / "a.tif";
  write_tiff(file, 1, 5);
  std::string sha = sohoa::storage::sha256_of_file(file);
  auto archive = sohoa::storage::Archive::beside(db_path);
  archive.put(file, sha);
  ASSERT_TRUE(archive.contains(sha));
  sohoa::testing::write_file(archive.path_of(sha), "damaged");
  EXPECT_FALSE(archive.contains(sha));
  archive.put(file, sha);
  EXPECT_TRUE(archive.contains(sha));
  EXPECT_EQ(sohoa::testing::read_file(archive.path_of(sha)), sohoa::testing::read_file(file));
}

// Under memory pressure Leptonica printed raw lines naming no file and the
// page came out empty, stored as `review`. Its messages now go into the
// page's error and the page is failed.
TEST_F(IngestFaults, PageWhoseImagesCouldNotBeAllocatedIsFailedWithLeptonicasWords) {
  write_tiff(dir / "in" / "a.tif", 1, 6);
  Faults starved;
  starved.empty_text = true;
  starved.on_page = [](int) {
    // Leptonica's allocator, failing for this one call, as when memory runs out.
    setPixMemoryManager([](size_t) -> void* { return nullptr; }, free);
    PIX* pix = pixCreate(200, 200, 8);
    setPixMemoryManager(malloc, free);
    pixDestroy(&pix);
  };
  IngestOptions o = options(starved);
  o.jobs = 1;  // the allocator is the process's
  auto out = run(o);
  ASSERT_EQ(out["a.tif"].status, "failed");
  const std::string& error = out["a.tif"].error;
  EXPECT_TRUE(error.starts_with("page 1: out of memory (Leptonica: Error in pixCreate")) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

// OpenCV's own message for an allocation it could not make ("OpenCV(4.x)
// FILE:LINE: error: (-4:Insufficient memory) Failed to allocate ..." and a
// newline) is what a stage's cv::Exception says: it becomes the page's one
// line error, and the page is failed, not stored with empty text.
TEST_F(IngestFaults, OpenCvOutOfMemoryFailsThePageOnOneLine) {
  write_tiff(dir / "in" / "a.tif", 2, 8);
  Faults starved;
  starved.on_page = [](int page) {
    if (page == 2)
      cv::error(cv::Error::StsNoMem, "Failed to allocate 8709120 bytes", "resize", "resize.cpp",
                3712);
  };
  IngestOptions o = options(starved);
  auto out = run(o);
  ASSERT_EQ(out["a.tif"].status, "failed");
  const std::string& error = out["a.tif"].error;
  EXPECT_TRUE(error.starts_with("page 2: OpenCV(")) << error;
  EXPECT_NE(error.find("Insufficient memory"), std::string::npos) << error;
  EXPECT_NE(error.find("Failed to allocate 8709120 bytes"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_FALSE(error.ends_with(" ")) << error;
}

TEST_F(IngestFaults, FailedFileIsReadAgainByTheNextIngest) {
  write_tiff(dir / "in" / "a.tif", 2, 3);
  Faults broken;
  broken.throw_on_page = 1;
  EXPECT_EQ(run(options(broken))["a.tif"].status, "failed");
  auto again = run(options(Faults{}));
  EXPECT_NE(again["a.tif"].status, "failed");
  EXPECT_EQ(again["a.tif"].pages, 2);
}

TEST_F(IngestFaults, EmptyTextIsStoredForReviewNeverAsRead) {
  write_tiff(dir / "in" / "blank.tif", 2, 4);
  Faults faults;
  faults.empty_text = true;
  auto out = run(options(faults));
  ASSERT_EQ(out["blank.tif"].status, "review");
  auto db = sohoa::storage::Database::open(db_path);
  auto doc = db->document(*out["blank.tif"].id);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->status, "review");
  ASSERT_EQ(doc->pages.size(), 2u);
  EXPECT_EQ(doc->pages[0].text, "");
  auto queue = db->review_queue();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].id, *out["blank.tif"].id);
  EXPECT_NE(std::find(queue[0].reasons.begin(), queue[0].reasons.end(), "doc_number missing"),
            queue[0].reasons.end());
}

TEST_F(IngestFaults, StopAskedDuringSlowPagesFinishesFilesInHandAndRerunDoesTheRest) {
  for (int i = 0; i < 6; ++i)
    write_tiff(dir / "in" / ("f" + std::to_string(i) + ".tif"), 1, 10 + i);
  std::atomic<int> seen{0};
  std::atomic<bool> stop{false};
  Faults slow;
  slow.delay_ms = 150;
  slow.pages_seen = &seen;
  IngestOptions o = options(slow);
  o.jobs = 1;
  o.stop = &stop;
  std::map<std::string, FileOutcome> first;
  sohoa::pipeline::ingest(o, [&](const FileOutcome& out) {
    first[fs::path(out.file).filename()] = out;
    stop = true;  // asked as soon as the first file is stored
  });
  ASSERT_GE(first.size(), 1u);
  ASSERT_LT(first.size(), 6u);
  for (const auto& [name, outcome] : first) EXPECT_NE(outcome.status, "failed") << name;

  Faults quick;
  auto second = run(options(quick));
  ASSERT_EQ(second.size(), 6u);
  int duplicates = 0;
  for (const auto& [name, outcome] : second) duplicates += outcome.status == "duplicate";
  EXPECT_EQ(duplicates, static_cast<int>(first.size()));
}

TEST_F(IngestFaults, ChainThatCannotStartFailsEveryPageWithItsReason) {
  write_tiff(dir / "in" / "a.tif", 1, 20);
  write_tiff(dir / "in" / "b.tif", 2, 21);
  IngestOptions o = options(Faults{});
  o.make_chain = []() -> PageChain { throw std::runtime_error("no OCR model here"); };
  sohoa::pipeline::IngestSummary summary;
  auto out = run(o, &summary);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out["a.tif"].status, "failed");
  EXPECT_EQ(out["a.tif"].error, "page 1: no OCR model here");
  EXPECT_EQ(out["b.tif"].status, "failed");
  EXPECT_EQ(summary.failed, 2);
}

}  // namespace
