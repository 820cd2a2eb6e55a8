// End to end on the real build/sohoa (issue 18, items 9 and 12): what an
// office sees at a terminal while a folder of multi-page scans is ingested
// (the live progress line, read back as it is redrawn on a pseudo-terminal),
// and what `search` shows for a citizen ID number read from a scan.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/pty_process.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::testing::PtyProcess;
using sohoa::testing::ScanRequest;
using sohoa::testing::TempDir;
using Clock = std::chrono::steady_clock;

// One redraw of the live line, with the moment it reached the terminal.
struct Redraw {
  std::string text;
  double at_s = 0;
};

// The "files …" lines among what the terminal showed, split at carriage
// returns and newlines, erase-to-end-of-line codes removed. `arrivals` maps
// an offset of the screen to when the bytes up to it had arrived.
std::vector<Redraw> progress_lines(const std::string& screen,
                                   const std::vector<std::pair<size_t, double>>& arrivals) {
  std::vector<Redraw> lines;
  size_t start = 0;
  for (size_t i = 0; i <= screen.size(); ++i) {
    if (i < screen.size() && screen[i] != '\r' && screen[i] != '\n') continue;
    std::string line = screen.substr(start, i - start);
    for (size_t k; (k = line.find("\x1b[K")) != std::string::npos;) line.erase(k, 3);
    if (line.starts_with("files ")) {
      double at = arrivals.empty() ? 0 : arrivals.back().second;
      for (const auto& [offset, when] : arrivals) {
        if (offset >= i) {
          at = when;
          break;
        }
      }
      lines.push_back({line, at});
    }
    start = i + 1;
  }
  return lines;
}

// "45 s", "4 min", "2 h 05 min" as the fewest seconds it can stand for
// (format_duration rounds to the nearest unit).
double least_seconds(const std::string& shown) {
  std::smatch m;
  if (std::regex_match(shown, m, std::regex(R"((\d+) s)"))) return std::stod(m[1]) - 0.5;
  if (std::regex_match(shown, m, std::regex(R"((\d+) min)"))) return (std::stod(m[1]) - 0.5) * 60;
  if (std::regex_match(shown, m, std::regex(R"((\d+) h (\d+) min)")))
    return std::stod(m[1]) * 3600 + (std::stod(m[2]) - 0.5) * 60;
  ADD_FAILURE() << "not a duration: " << shown;
  return 0;
}

// Item 18.9: the page total of the live line is the whole run's from its
// first redraw and never changes; done pages never go back and end at the
// total; no time left is shown before it can be measured (two pages done),
// and none overshoots the time that was really left by more than 3×.
TEST(IngestTerminal, ProgressLineKnowsThePageTotalFromTheStartAndItsEtaHolds) {
  TempDir dir;
  fs::path scans = dir.path() / "scans";
  // Different page counts and kinds: 3 + 2 (TIFF), 2 + 1 (PDF), 1 (PNG).
  int true_pages = 0;
  struct Batch {
    const char* format;
    int pages;
    int count;
    const char* prefix;
  };
  for (const Batch& b :
       {Batch{"tif", 3, 1, "tri"}, Batch{"tif", 2, 1, "duo"}, Batch{"pdf", 2, 1, "pdfa"},
        Batch{"pdf", 1, 1, "pdfb"}, Batch{"png", 1, 1, "one"}}) {
    ScanRequest request;
    request.format = b.format;
    request.pages = b.pages;
    request.count = b.count;
    request.prefix = b.prefix;
    request.seed = 7 + static_cast<unsigned>(true_pages);
    sohoa::testing::generate_scans(scans, request);
    true_pages += b.pages * b.count;
  }
  std::string db = (dir.path() / "t.db").string();
  sohoa::testing::create_database(db);

  PtyProcess ingest({sohoa::testing::sohoa_bin(), "ingest", scans.string(), "--unit", "hoa-dong",
                     "--jobs", "2", "--db", db});
  Clock::time_point started = Clock::now();
  std::vector<std::pair<size_t, double>> arrivals;
  auto seconds_since_start = [&] {
    return std::chrono::duration<double>(Clock::now() - started).count();
  };
  bool finished = false;
  while (!finished && seconds_since_start() < 240) {
    finished = ingest.wait_for("ingested: ", std::chrono::milliseconds(50));
    arrivals.emplace_back(ingest.screen().size(), seconds_since_start());
  }
  ASSERT_TRUE(finished) << ingest.screen();
  double ended_s = arrivals.back().second;
  ASSERT_EQ(ingest.wait_exit(std::chrono::seconds(30)), 0) << ingest.screen();

  std::vector<Redraw> lines = progress_lines(ingest.screen(), arrivals);
  ASSERT_GE(lines.size(), 2u) << ingest.screen();
  std::regex shape(
      R"(files (\d+)/5 · pages (\d+)(?:/(~?)(\d+))?(?: · ([\d.]+) pages/min · (.+) left)?)");
  int last_done = -1;
  bool eta_seen = false;
  for (const Redraw& line : lines) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line.text, m, shape)) << line.text;
    int done = std::stoi(m[2]);
    // Without "/M" the line says all pages are done.
    int total = m[4].matched ? std::stoi(m[4]) : done;
    EXPECT_EQ(total, true_pages) << line.text;
    EXPECT_FALSE(m[3].matched && m[3].length() > 0) << "a guessed total: " << line.text;
    EXPECT_GE(done, last_done) << line.text;
    last_done = done;
    if (m[6].matched) {
      eta_seen = true;
      EXPECT_GE(done, 2) << "time left before it can be measured: " << line.text;
      double really_left = ended_s - line.at_s;
      EXPECT_LE(least_seconds(m[6]), 3 * really_left + 5)
          << line.text << " (really " << really_left << " s left)";
    }
  }
  EXPECT_EQ(last_done, true_pages) << lines.back().text;
  EXPECT_TRUE(eta_seen) << "no time left shown in " << lines.size() << " redraws";
  EXPECT_NE(ingest.screen().find(", " + std::to_string(true_pages) + " pages"), std::string::npos)
      << ingest.screen();
}

// Item 18.12: a search that finds a citizen ID shows the number in its
// snippet, not the JSON array the IDs are kept in.
TEST(IngestTerminal, CitizenIdSearchSnippetShowsTheNumbersNotJson) {
  TempDir dir;
  fs::path scans = dir.path() / "scans";
  ScanRequest request;
  request.count = 6;
  request.seed = 3;
  std::vector<fs::path> generated = sohoa::testing::generate_scans(scans, request);
  // A scan whose truth carries 12-digit CCCD numbers, two (a marriage
  // certificate, as in the issue) when one has them.
  fs::path scan;
  std::string cccd;
  size_t most = 0;
  for (const fs::path& s : generated) {
    fs::path truth = s;
    truth.replace_extension(".truth.json");
    json ids = json::parse(sohoa::testing::read_file(truth))["metadata"]["citizen_ids"];
    if (!ids.is_array() || ids.size() <= most) continue;
    std::string number = ids[0].get<std::string>();
    if (number.size() != 12) continue;
    most = ids.size();
    cccd = number;
    scan = s;
  }
  ASSERT_FALSE(cccd.empty()) << "no generated scan carries a CCCD number";
  fs::path one = dir.path() / "one";
  fs::create_directories(one);
  fs::copy_file(scan, one / scan.filename());

  std::string db = (dir.path() / "t.db").string();
  sohoa::testing::create_database(db);
  auto ingested = sohoa::testing::sohoa_on(db, {"ingest", one.string(), "--unit", "hoa-dong"});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;

  auto text = sohoa::testing::sohoa_on(db, {"search", cccd});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(cccd), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find('"'), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("[\""), std::string::npos) << text.out;

  auto as_json = sohoa::testing::sohoa_on(db, {"search", cccd, "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  std::vector<json> hits = sohoa::testing::json_lines(as_json.out);
  ASSERT_EQ(hits.size(), 1u) << as_json.out;
  std::string snippet = hits[0].value("snippet", "");
  // The match is marked [like this] in snippets; nothing else of JSON.
  EXPECT_NE(snippet.find("[" + cccd + "]"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find('"'), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("[["), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("],"), std::string::npos) << snippet;
}

}  // namespace
