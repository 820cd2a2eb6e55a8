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

TEST(HotFolder, ListsScansDirectlyInTheFolderOnly) {
  TempDir dir;
  write_file(dir / "b.png", "x");
  write_file(dir / "a.PDF", "x");
  write_file(dir / ".partial.png", "x");
  write_file(dir / "notes.txt", "x");
  fs::create_directories(dir.path() / "done");
  write_file(dir.path() / "done" / "c.png", "x");
  EXPECT_EQ(sohoa::pipeline::hot_folder_files(dir.path()),
            (std::vector<fs::path>{dir / "a.PDF", dir / "b.png"}));
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
