// The parts of ingest and watch that need no OCR: the progress line, the
// settle bookkeeping of the hot folder, filing away, the bounded queue.
#include <gtest/gtest.h>

#include <thread>

#include "pipeline/progress_line.h"
#include "pipeline/queue.h"
#include "pipeline/watch.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sohoa::pipeline::IngestProgress;
using sohoa::testing::TempDir;
using sohoa::testing::write_file;

TEST(ProgressLine, ShowsFilesPagesRateAndTimeLeft) {
  IngestProgress p;
  p.files_total = 40;
  p.files_done = 12;
  p.pages_done = 30;
  p.pages_expected = 100;
  p.elapsed_s = 120;  // 15 pages/min, 70 pages left
  EXPECT_EQ(sohoa::pipeline::format_progress(p),
            "files 12/40 · pages 30/100 · 15.0 pages/min · 5 min left");
}

TEST(ProgressLine, NoRateBeforeTheFirstPage) {
  IngestProgress p;
  p.files_total = 3;
  p.pages_expected = 3;
  EXPECT_EQ(sohoa::pipeline::format_progress(p), "files 0/3 · pages 0/3");
}

// Issue 18: the page total was a guess shown as a count, and the first rate
// counted the engines' start-up as page time.
TEST(ProgressLine, AGuessedTotalIsMarkedAndNeverBelowWhatIsDone) {
  IngestProgress p;
  p.files_total = 12;
  p.files_done = 1;
  p.pages_done = 16;
  p.pages_expected = 12;  // files not opened yet were guessed at one page
  p.pages_estimated = true;
  EXPECT_EQ(sohoa::pipeline::format_progress(p), "files 1/12 · pages 16/~16");
}

TEST(ProgressLine, RateIsMeasuredFromTheFirstPage) {
  IngestProgress p;
  p.files_total = 10;
  p.files_done = 2;
  p.pages_done = 5;
  p.pages_expected = 10;
  p.first_page_s = 20;  // 20 s of start-up before the first page
  p.elapsed_s = 28;     // then 4 pages in 8 s: 30 pages/min, 5 left
  EXPECT_EQ(sohoa::pipeline::format_progress(p),
            "files 2/10 · pages 5/10 · 30.0 pages/min · 10 s left");
  p.pages_done = 1;  // one page says nothing about the rate yet
  p.elapsed_s = 21;
  EXPECT_EQ(sohoa::pipeline::format_progress(p), "files 2/10 · pages 1/10");
}

TEST(ProgressLine, WholeLinesWhenNotRedrawnInPlace) {
  std::ostringstream out;
  sohoa::pipeline::ProgressLine line(out, false);
  IngestProgress p;
  p.files_total = 2;
  p.pages_expected = 2;
  line.update(p);  // nothing done yet: nothing to say
  p.files_done = 1;
  p.pages_done = 1;
  line.update(p);
  line.update(p);  // too soon
  p.files_done = 2;
  p.pages_done = 2;
  line.update(p);  // the end is always said
  line.update(p);  // once
  line.clear();
  EXPECT_EQ(out.str(), "sohoa: files 1/2 · pages 1/2\nsohoa: files 2/2 · pages 2\n");
}

TEST(ProgressLine, Durations) {
  EXPECT_EQ(sohoa::pipeline::format_duration(42), "42 s");
  EXPECT_EQ(sohoa::pipeline::format_duration(89), "1 min");
  EXPECT_EQ(sohoa::pipeline::format_duration(2 * 3600 + 5 * 60), "2 h 05 min");
}

TEST(ProgressLine, RedrawsInPlaceAndClears) {
  std::ostringstream out;
  {
    sohoa::pipeline::ProgressLine line(out);
    IngestProgress p;
    p.files_total = 2;
    p.pages_expected = 2;
    line.update(p);
    line.update(p);  // too soon: not redrawn
  }
  EXPECT_EQ(out.str(), "\rfiles 0/2 · pages 0/2\x1b[K\r\x1b[K");
}

TEST(SettleTracker, TakesAFileOnlyOnceItStoppedGrowing) {
  TempDir dir;
  fs::path file = dir / "scan.png";
  write_file(file, "abc");
  sohoa::pipeline::SettleTracker tracker(1000ms);
  auto t0 = sohoa::pipeline::SettleTracker::Clock::now();
  tracker.observe({file}, t0);
  EXPECT_TRUE(tracker.settled(t0 + 900ms).empty());
  write_file(file, "abcdef");  // grew: the clock starts again
  tracker.observe({file}, t0 + 900ms);
  EXPECT_TRUE(tracker.settled(t0 + 1500ms).empty());
  tracker.observe({file}, t0 + 1500ms);
  EXPECT_EQ(tracker.settled(t0 + 1900ms), std::vector<fs::path>{file});
  tracker.observe({}, t0 + 2000ms);  // gone
  EXPECT_TRUE(tracker.settled(t0 + 5000ms).empty());
}

// Non-scans are listed too: watch files them away to failed/ (issue 18).
TEST(HotFolder, ListsFilesDirectlyInTheFolderUnlessRecursive) {
  TempDir dir;
  write_file(dir / "b.png", "x");
  write_file(dir / "a.PDF", "x");
  write_file(dir / ".partial.png", "x");
  write_file(dir / "notes.txt", "x");
  fs::create_directories(dir.path() / "done");
  write_file(dir.path() / "done" / "c.png", "x");
  fs::create_directories(dir.path() / "failed");
  write_file(dir.path() / "failed" / "d.png", "x");
  fs::create_directories(dir.path() / "desk 2" / "done");
  write_file(dir.path() / "desk 2" / "e.png", "x");
  write_file(dir.path() / "desk 2" / "done" / "f.png", "x");
  fs::create_directories(dir.path() / ".hidden");
  write_file(dir.path() / ".hidden" / "g.png", "x");
  EXPECT_EQ(sohoa::pipeline::hot_folder_files(dir.path()),
            (std::vector<fs::path>{dir / "a.PDF", dir / "b.png", dir / "notes.txt"}));
  // Only the top done/ and failed/ are the filed ones.
  EXPECT_EQ(
      sohoa::pipeline::hot_folder_files(dir.path(), true),
      (std::vector<fs::path>{dir / "a.PDF", dir / "b.png", dir.path() / "desk 2" / "done" / "f.png",
                             dir.path() / "desk 2" / "e.png", dir / "notes.txt"}));
}

TEST(HotFolder, MoveIntoNeverOverwrites) {
  TempDir dir;
  write_file(dir / "scan.png", "first");
  auto first = sohoa::pipeline::move_into(dir / "scan.png", dir / "done");
  write_file(dir / "scan.png", "second");
  auto second = sohoa::pipeline::move_into(dir / "scan.png", dir / "done");
  EXPECT_EQ(first, dir / "done" / "scan.png");
  EXPECT_EQ(second, dir / "done" / "scan-2.png");
  EXPECT_EQ(sohoa::testing::read_file(first), "first");
  EXPECT_EQ(sohoa::testing::read_file(second), "second");
}

TEST(BoundedQueue, ProducerWaitsWhileFullAndCloseReleasesEveryone) {
  sohoa::pipeline::BoundedQueue<int> queue(2);
  EXPECT_TRUE(queue.push(1));
  EXPECT_TRUE(queue.push(2));
  std::atomic<bool> third_pushed{false};
  std::thread producer([&] {
    queue.push(3);
    third_pushed = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(third_pushed);
  EXPECT_EQ(queue.pop(), 1);
  producer.join();
  EXPECT_TRUE(third_pushed);
  queue.close();
  EXPECT_FALSE(queue.push(4));
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_EQ(queue.pop(), 3);
  EXPECT_EQ(queue.pop(), std::nullopt);
}

}  // namespace
