#include "ocr/cleanup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "ocr/tesseract_reader.h"
#include "ocr/text_size.h"
#include "pipeline/stages/clean.h"
#include "tests/support/restore_render.h"

using namespace sohoa;
namespace render = sohoa::testing;

namespace {

const cv::Mat& upright_page() {
  static const cv::Mat page = render::render_page();
  return page;
}

// The lowest mark of a rendered letter: the dot below of "ệ", "ộ", "ị".
cv::Rect dot_below(const cv::Mat& letter) {
  cv::Mat ink, labels, stats, centroids;
  cv::threshold(letter, ink, 128, 255, cv::THRESH_BINARY_INV);
  int count = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  int lowest = 1;
  for (int i = 2; i < count; ++i)
    if (stats.at<int>(i, cv::CC_STAT_TOP) > stats.at<int>(lowest, cv::CC_STAT_TOP)) lowest = i;
  return {stats.at<int>(lowest, cv::CC_STAT_LEFT), stats.at<int>(lowest, cv::CC_STAT_TOP),
          stats.at<int>(lowest, cv::CC_STAT_WIDTH), stats.at<int>(lowest, cv::CC_STAT_HEIGHT)};
}

int ink_pixels(const cv::Mat& grey, cv::Rect box) {
  cv::Mat ink;
  cv::threshold(grey(box), ink, 128, 255, cv::THRESH_BINARY_INV);
  return cv::countNonZero(ink);
}

double median_of(const cv::Mat& grey, const cv::Mat& mask) {
  std::vector<uchar> values;
  for (int r = 0; r < grey.rows; r += 3)
    for (int c = 0; c < grey.cols; c += 3)
      if (mask.at<uchar>(r, c)) values.push_back(grey.at<uchar>(r, c));
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace

// The dot below is the smallest mark of Vietnamese text; specks of about its
// size around it must go while it stays.
TEST(RemoveSpeckles, KeepsTheDotBelowAndRemovesIsolatedSpecks) {
  for (const char* font : {"DejaVu Serif 13", "DejaVu Serif 10", "DejaVu Sans 9"}) {
    for (const char* letter : {"ệ", "ộ", "ị"}) {
      cv::Mat glyph = render::render_line(letter, font);
      cv::Mat page(400, 400, CV_8UC1, cv::Scalar(255));
      render::paste(page, glyph, 180, 180);
      cv::Rect dot = dot_below(glyph) + cv::Point(180, 180);
      int dot_ink = ink_pixels(page, dot);
      ASSERT_GT(dot_ink, 3) << font << " " << letter;
      // Specks of 1, 2×2 and 3×3 pixels, well away from the letter.
      const cv::Rect specks[] = {
          {40, 40, 1, 1}, {300, 60, 2, 2}, {60, 320, 3, 3}, {330, 330, 3, 2}};
      for (const cv::Rect& s : specks) page(s).setTo(0);
      cv::Mat clean = ocr::remove_speckles(page, 300);
      EXPECT_GE(ink_pixels(clean, dot), dot_ink * 3 / 4) << font << " " << letter;
      for (const cv::Rect& s : specks) EXPECT_EQ(ink_pixels(clean, s), 0) << font << " " << s;
    }
  }
}

TEST(RemoveSpeckles, KeepsEveryMarkOfATextLine) {
  cv::Mat line = render::render_line("Tiến độ số hóa: Nguyễn Thị Ngọc Diệp, Hội đồng");
  cv::Mat page(line.rows + 40, line.cols + 40, CV_8UC1, cv::Scalar(255));
  render::paste(page, line, 20, 20);
  auto marks = [](const cv::Mat& grey) {
    cv::Mat ink, labels;
    cv::threshold(grey, ink, 128, 255, cv::THRESH_BINARY_INV);
    return cv::connectedComponents(ink, labels, 8) - 1;
  };
  EXPECT_EQ(marks(ocr::remove_speckles(page, 300)), marks(page));
}

TEST(RemoveDarkBorders, PaintsEdgeShadowsAndKeepsText) {
  cv::Mat page = upright_page().clone();
  page(cv::Rect(0, 0, 90, page.rows)).setTo(15);               // left lid shadow
  page(cv::Rect(0, page.rows - 60, page.cols, 60)).setTo(40);  // bottom edge
  cv::Mat clean = ocr::remove_dark_borders(page);
  EXPECT_GT(cv::mean(clean(cv::Rect(0, 0, 90, page.rows)))[0], 240);
  EXPECT_GT(cv::mean(clean(cv::Rect(0, page.rows - 60, page.cols, 60)))[0], 240);
  cv::Rect text(200, 250, 2100, 2400);
  EXPECT_EQ(ink_pixels(clean, text), ink_pixels(upright_page(), text));
}

TEST(FlattenBackground, MakesUnevenGreyPaperWhiteAndKeepsInkDark) {
  cv::Mat scanned = render::degrade(upright_page(), 3, false);
  cv::Mat flat = ocr::flatten_background(scanned);
  cv::Mat paper, ink;
  cv::threshold(upright_page(), paper, 254, 255, cv::THRESH_BINARY);
  cv::threshold(upright_page(), ink, 40, 255, cv::THRESH_BINARY_INV);
  cv::Mat left = cv::Mat::zeros(paper.size(), CV_8UC1), right = left.clone();
  left(cv::Rect(0, 0, paper.cols / 3, paper.rows)).setTo(255);
  right(cv::Rect(2 * paper.cols / 3, 0, paper.cols / 3, paper.rows)).setTo(255);
  EXPECT_LT(median_of(scanned, paper & right), 180);  // the damage is real
  EXPECT_GE(median_of(flat, paper & left), 245);
  EXPECT_GE(median_of(flat, paper & right), 245);
  EXPECT_LE(median_of(flat, ink), 60);
}

TEST(ScaleToDpi, ScalesOnlyPagesBelowTarget) {
  cv::Mat at200(2339, 1654, CV_8UC1, cv::Scalar(255));
  cv::Mat scaled = ocr::scale_to_dpi(at200, 200);
  EXPECT_EQ(scaled.cols, 2481);
  EXPECT_EQ(scaled.rows, 3509);
  EXPECT_EQ(ocr::scale_to_dpi(at200, 300).size(), at200.size());
  EXPECT_EQ(ocr::scale_to_dpi(at200, 400).size(), at200.size());
}

TEST(CleanStage, CleansA200DpiPageAtItsScale) {
  pipeline::CleanStage stage;
  EXPECT_STREQ(stage.name(), "clean");
  pipeline::Page page;
  cv::resize(render::degrade(upright_page(), 5), page.image, cv::Size(), 2.0 / 3, 2.0 / 3,
             cv::INTER_AREA);
  page.dpi = 200;
  const cv::Size size = page.image.size();
  page = stage.run(std::move(page));
  EXPECT_EQ(page.dpi, 200);  // the deskew stage scales; cleaning keeps the size
  EXPECT_EQ(page.image.size(), size);
  cv::Mat paper;
  cv::resize(upright_page(), paper, page.image.size(), 0, 0, cv::INTER_NEAREST);
  cv::threshold(paper, paper, 254, 255, cv::THRESH_BINARY);
  EXPECT_GE(median_of(page.image, paper), 245);
}

namespace {

// A form's line at the reading scale (220 dpi): a label, then a dotted
// leader to the margin; below it a sentence with a period, an ellipsis and
// a run of "i" (dots evenly spaced on one level, but each over its stem).
struct FormLines {
  cv::Mat page;
  cv::Rect label, leader, sentence;
};

FormLines form_lines() {
  FormLines f;
  cv::Mat label = render::render_line("Địa chỉ (4)", "DejaVu Serif 13", 220);
  cv::Mat leader =
      render::render_line("........................................", "DejaVu Serif 13", 220);
  cv::Mat sentence =
      render::render_line("Xem tiếp... Hết. iiiiiiii ịịịịịị", "DejaVu Serif 13", 220);
  f.page = cv::Mat(label.rows * 2 + sentence.rows + 160, label.cols + leader.cols + 140, CV_8UC1,
                   cv::Scalar(255));
  // The leader sits on the label's baseline: both lines end their ink at the
  // bottom of the dots' row, since the label has no descender.
  f.label = cv::Rect(60, 60, label.cols, label.rows);
  f.leader =
      cv::Rect(60 + label.cols + 10, 60 + label.rows - leader.rows, leader.cols, leader.rows);
  f.sentence = cv::Rect(60, 60 + label.rows + 60, sentence.cols, sentence.rows);
  render::paste(f.page, label, f.label.x, f.label.y);
  render::paste(f.page, leader, f.leader.x, f.leader.y);
  render::paste(f.page, sentence, f.sentence.x, f.sentence.y);
  return f;
}

}  // namespace

TEST(RemoveDotLeaders, WhitensTheLeaderAndKeepsWordsPeriodsEllipsesAndIDots) {
  FormLines f = form_lines();
  ASSERT_GT(ink_pixels(f.page, f.leader), 100);
  cv::Mat out = ocr::remove_dot_leaders(f.page, 220);
  EXPECT_EQ(ink_pixels(out, f.leader), 0);
  EXPECT_EQ(cv::countNonZero(out(f.label) != f.page(f.label)), 0);
  EXPECT_EQ(cv::countNonZero(out(f.sentence) != f.page(f.sentence)), 0);
  // At 300 dpi the same marks are larger; sized by dpi they are found again.
  cv::Mat big;
  cv::resize(f.page, big, cv::Size(), 300.0 / 220, 300.0 / 220, cv::INTER_CUBIC);
  cv::Mat big_out = ocr::remove_dot_leaders(big, 300);
  EXPECT_LT(cv::countNonZero(big_out != big), cv::countNonZero(out != f.page) * 3);
  EXPECT_GT(cv::countNonZero(big_out != big), 100);
  EXPECT_EQ(cv::countNonZero(out(f.leader) < 230), 0);
}

// A web screenshot's form line (73 dpi) brought to the reading scale by a
// bicubic 3× upscale, as the deskew stage does: the dots' soft rims are
// several pixels wide, and go with the dots, leaving no ghost dots.
TEST(RemoveDotLeaders, LeavesNoGhostsOfUpscaledDots) {
  cv::Mat label = render::render_line("Địa chỉ (4)", "DejaVu Serif 13", 73);
  cv::Mat leader = render::render_line("..............................", "DejaVu Serif 13", 73);
  cv::Mat small(label.rows + 40, label.cols + leader.cols + 44, CV_8UC1, cv::Scalar(255));
  render::paste(small, label, 20, 20);
  render::paste(small, leader, 24 + label.cols, 20 + label.rows - leader.rows);
  cv::Mat page;
  cv::resize(small, page, cv::Size(), 3, 3, cv::INTER_CUBIC);
  const cv::Rect dots((24 + label.cols) * 3, (20 + label.rows - leader.rows) * 3, leader.cols * 3,
                      leader.rows * 3);
  ASSERT_GT(cv::countNonZero(page(dots) < 128), 50);
  cv::Mat out = ocr::remove_dot_leaders(page, 220);
  EXPECT_EQ(cv::countNonZero(out(dots) < 240), 0);
}

// A leader typed as ellipses ("……"), broken where the print faded: pieces of
// three evenly spaced dots with gaps of one to three missing dots between
// them. Whitened whole; the label and a lone ellipsis after a word stay.
TEST(RemoveDotLeaders, WhitensALeaderOfEllipsesBrokenByGaps) {
  cv::Mat label = render::render_line("Kính gửi: Toà án nhân dân (2)", "DejaVu Serif 13", 220);
  cv::Mat piece = render::render_line("…", "DejaVu Serif 13", 220);
  cv::Mat tail = render::render_line("Hết…", "DejaVu Serif 13", 220);
  cv::Mat page(label.rows + tail.rows + 140, label.cols + 5 * piece.cols + 300, CV_8UC1,
               cv::Scalar(255));
  const cv::Rect label_box(40, 40, label.cols, label.rows);
  render::paste(page, label, label_box.x, label_box.y);
  int x = label_box.br().x + 6;
  const int dot_y = label_box.br().y - piece.rows;
  // px between pieces: one to three dots missing at the ellipsis' 13 px pitch,
  // so no piece of three dots reaches the next by itself.
  const int gaps[] = {24, 36, 24, 30, 0};
  for (int gap : gaps) {
    render::paste(page, piece, x, dot_y);
    x += piece.cols + gap;
  }
  const cv::Rect leader_box(label_box.br().x + 6, dot_y, x - label_box.br().x - 6, piece.rows);
  const cv::Rect tail_box(40, label_box.br().y + 60, tail.cols, tail.rows);
  render::paste(page, tail, tail_box.x, tail_box.y);
  ASSERT_GT(ink_pixels(page, leader_box), 60);
  const cv::Mat out = ocr::remove_dot_leaders(page, 220);
  EXPECT_EQ(ink_pixels(out, leader_box), 0);
  EXPECT_EQ(cv::countNonZero(out(label_box) != page(label_box)), 0);
  EXPECT_EQ(cv::countNonZero(out(tail_box) != page(tail_box)), 0);
}

// Six dots in a row, but unevenly spaced or of mixed sizes (a seal's
// texture, a signature's dots): not a leader.
TEST(RemoveDotLeaders, KeepsUnevenRowsOfDots) {
  cv::Mat page(200, 600, CV_8UC1, cv::Scalar(255));
  const int uneven[] = {40, 48, 70, 76, 101, 109, 140};
  for (int x : uneven) cv::rectangle(page, cv::Rect(x, 100, 4, 4), cv::Scalar(0), cv::FILLED);
  const int sizes[] = {2, 6, 2, 6, 2, 6, 2};
  for (int i = 0; i < 7; ++i)
    cv::rectangle(page, cv::Rect(300 + 12 * i, 106 - sizes[i], sizes[i], sizes[i]), cv::Scalar(0),
                  cv::FILLED);
  EXPECT_EQ(cv::countNonZero(ocr::remove_dot_leaders(page, 220) != page), 0);
  EXPECT_THROW(ocr::remove_dot_leaders(cv::Mat(), 220), std::invalid_argument);
  EXPECT_THROW(ocr::remove_dot_leaders(cv::Mat(10, 10, CV_8UC3), 220), std::invalid_argument);
}

// A form of labels each followed by a dotted leader to the margin, as the
// fill-in blanks of a Vietnamese application form: Tesseract drops lines
// that end in a long leader. Cleaned (leaders whitened) every label reads.
TEST(RemoveDotLeaders, EveryLabelOfAFormReads) {
  const std::vector<std::string> labels = {
      "Họ và tên người khởi kiện (3)", "Địa chỉ (4)",  "Địa chỉ (7):",
      "Họ và tên người bị kiện: (8):", "Địa chỉ (9):", "Địa chỉ (11)"};
  const std::string leader(90, '.');
  cv::Mat page(1200, 1800, CV_8UC1, cv::Scalar(255));
  int y = 120;
  for (const std::string& label : labels) {
    cv::Mat line = render::render_line(label + " " + leader, "DejaVu Serif 13", 220);
    render::paste(page, line, 120, y);
    y += line.rows + 40;
  }
  ocr::TesseractReader reader;
  const std::string cleaned = reader.read(ocr::clean_page(page, 220), 220).text;
  for (const std::string& label : labels)
    EXPECT_NE(cleaned.find(label), std::string::npos) << label;
  // The same page with its leaders: most of these lines are lost.
  const std::string kept = reader.read(ocr::remove_speckles(page, 220), 220).text;
  std::size_t read = 0;
  for (const std::string& label : labels) read += kept.find(label) != std::string::npos;
  EXPECT_LE(read, labels.size() / 2) << kept;
}

namespace {

// A line of text at the reading scale (220 dpi) with a printed rule (3 px,
// 0.2 x-height) under it, drawn through its descenders and dots below and
// running on past the words on both sides, as a signature's or a form's
// underline does.
struct Underlined {
  cv::Mat text;  // the line alone
  cv::Mat page;  // the line and its rule
  cv::Rect rule;
};

Underlined underlined(const std::string& words) {
  Underlined u;
  cv::Mat line = render::render_line(words, "DejaVu Serif 13", 220);
  u.text = cv::Mat(line.rows + 120, line.cols + 400, CV_8UC1, cv::Scalar(255));
  render::paste(u.text, line, 200, 60);
  // The baseline: the lowest row that many letters reach.
  cv::Mat ink;
  cv::threshold(u.text, ink, 160, 255, cv::THRESH_BINARY_INV);
  int most = 0, baseline = 0;
  for (int r = 0; r < ink.rows; ++r) most = std::max(most, cv::countNonZero(ink.row(r)));
  for (int r = 0; r < ink.rows; ++r)
    if (cv::countNonZero(ink.row(r)) > most / 3) baseline = r;
  u.rule = cv::Rect(60, baseline + 4, u.text.cols - 120, 3);
  u.page = u.text.clone();
  u.page(u.rule).setTo(0);
  return u;
}

}  // namespace

TEST(RemoveRules, WhitensAnUnderlineAndKeepsTheLettersCrossingIt) {
  const Underlined u = underlined("Người ký: Nguyễn Thị Ngọc Diệp, phụ trách quy hoạch");
  const cv::Mat clean = ocr::remove_rules(u.page, 220);
  cv::Mat text_ink;
  cv::threshold(u.text, text_ink, 160, 255, cv::THRESH_BINARY_INV);
  ASSERT_GT(cv::countNonZero(text_ink(u.rule)), 20) << "the rule crosses no letter";
  // Every pixel of the letters is as it was, where they cross the rule too.
  for (int r = 0; r < u.page.rows; ++r) {
    for (int c = 0; c < u.page.cols; ++c) {
      if (text_ink.at<uchar>(r, c)) {
        ASSERT_EQ(clean.at<uchar>(r, c), u.page.at<uchar>(r, c)) << r << "," << c;
      }
    }
  }
  // The rule is gone wherever no letter touches it (4 px either side, 2
  // above and below).
  const int near = 4;
  int clear = 0;
  for (int c = u.rule.x; c < u.rule.br().x; ++c) {
    const cv::Rect around = cv::Rect(c - near, u.rule.y - 2, 2 * near + 1, u.rule.height + 4) &
                            cv::Rect(0, 0, u.page.cols, u.page.rows);
    if (cv::countNonZero(text_ink(around)) > 0) continue;
    ++clear;
    for (int r = u.rule.y; r < u.rule.br().y; ++r) ASSERT_EQ(clean.at<uchar>(r, c), 255) << c;
  }
  EXPECT_GT(clear, u.rule.width * 3 / 4) << clear;
  // The line reads as written once the rule is gone.
  ocr::TesseractReader reader;
  EXPECT_EQ(reader.read(clean, 220).text, "Người ký: Nguyễn Thị Ngọc Diệp, phụ trách quy hoạch\n");
}

TEST(RemoveRules, KeepsBarsShortRulesAndText) {
  // A bar thicker than a rule (half an x-height: shading, a heading's band)
  // and a rule shorter than kRuleXHeights x-heights (a dash, a short
  // underline) stay, and so does text: nothing changes.
  const double x_height = ocr::kXHeightAt300Dpi * 220 / 300;
  cv::Mat page(300, 1400, CV_8UC1, cv::Scalar(255));
  page(cv::Rect(50, 40, 1300, static_cast<int>(x_height / 2) + 1)).setTo(0);
  page(cv::Rect(50, 120, static_cast<int>(ocr::kRuleXHeights * x_height) - 4, 3)).setTo(0);
  render::paste(page, render::render_line("Độc lập - Tự do - Hạnh phúc", "DejaVu Serif 13", 220),
                50, 180);
  const cv::Mat clean = ocr::remove_rules(page, 220);
  EXPECT_EQ(cv::countNonZero(clean != page), 0);
}
