// The samples generator: same seed same bytes, truth consistent with what is
// printed and with the units registry, recorded geometry measurable on the
// images, every format readable with its page count and resolution.
#include <gtest/gtest.h>

// GCC 12 reports false -Wmaybe-uninitialized inside libstdc++'s <regex> when
// built with -fsanitize (SOHOA_SANITIZE).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <vips/vips8>

#include "tests/support/test_support.h"
#include "text/vntext.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::samples_bin;
using sohoa::testing::source_dir;
using sohoa::testing::TempDir;
using vips::VImage;

void init_vips() {
  static bool ready = VIPS_INIT("samples_generator_test") == 0;
  ASSERT_TRUE(ready);
}

// Runs the generator into `dir` with `args`; fails the test on a non-zero exit.
void generate(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {samples_bin(), "--out", dir.string(), "--units",
                                   (source_dir() / "samples/units.csv").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.out.find("sohoa-samples: "), std::string::npos) << r.out;
}

std::vector<fs::path> truth_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().ends_with(".truth.json")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

json load_truth(const fs::path& path) { return json::parse(read_file(path)); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

bool has_line(const std::vector<std::string>& lines, const std::string& wanted) {
  return std::find(lines.begin(), lines.end(), wanted) != lines.end();
}

struct UnitRow {
  std::string level, valid_from, valid_to;
};

std::map<std::string, UnitRow> units_csv() {
  std::map<std::string, UnitRow> units;
  auto lines = lines_of(read_file(source_dir() / "samples/units.csv"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f;
    std::stringstream in(lines[i]);
    std::string field;
    while (std::getline(in, field, ',')) f.push_back(field);
    f.resize(7);
    units[f[0]] = {f[2], f[4], f[5]};
  }
  return units;
}

// Pages of an image file as libvips reads them.
int page_count(const fs::path& file) {
  init_vips();
  VImage image = VImage::new_from_file(file.c_str());
  return image.get_typeof("n-pages") != 0 ? image.get_int("n-pages") : 1;
}

std::vector<double> as_doubles(const VImage& image) {
  VImage d = image.cast(VIPS_FORMAT_DOUBLE);
  std::size_t size = 0;
  auto* data = static_cast<double*>(d.write_to_memory(&size));
  std::vector<double> out(data, data + size / sizeof(double));
  g_free(data);
  return out;
}

// Ink (darkness) of a grey version of the page, as a float image.
VImage ink_of(const VImage& page) {
  VImage grey = page.bands() >= 3 ? page.colourspace(VIPS_INTERPRETATION_B_W)[0] : page[0];
  return 255.0 - grey.cast(VIPS_FORMAT_FLOAT);
}

double row_profile_sharpness(const VImage& ink, double angle) {
  VImage rows;
  ink.rotate(angle).project(&rows);
  auto sums = as_doubles(rows);
  double score = 0.0;
  for (std::size_t i = 1; i < sums.size(); ++i)
    score += (sums[i] - sums[i - 1]) * (sums[i] - sums[i - 1]);
  return score;
}

double sharpest_angle(const VImage& ink, double from, double to, double step) {
  double best_angle = from, best_score = -1.0;
  for (double a = from; a <= to + 1e-9; a += step) {
    double score = row_profile_sharpness(ink, a);
    if (score > best_score) {
      best_score = score;
      best_angle = a;
    }
  }
  return best_angle;
}

// The rotation (vips_rotate degrees, clockwise on screen) that makes the text
// lines of `ink` most horizontal: the row profile is sharpest when lines are
// level. Coarse, then fine.
double levelling_angle(const VImage& ink, double range) {
  VImage small = ink.resize(0.25).copy_memory();
  double coarse = sharpest_angle(small, -range, range, 1.0);
  return sharpest_angle(small, coarse - 1.0, coarse + 1.0, 0.1);
}

TEST(SamplesGenerator, VipsRotatePositiveIsClockwise) {
  // The measurements below rely on this convention of vips_rotate.
  init_vips();
  VImage canvas = VImage::black(400, 400).copy_memory();
  canvas.draw_rect({255}, 50, 198, 300, 4, VImage::option()->set("fill", true));
  VImage turned = canvas.rotate(10.0);
  auto column_top = [&](int x) {
    auto values = as_doubles(turned.extract_area(x, 0, 1, turned.height()));
    for (std::size_t y = 0; y < values.size(); ++y)
      if (values[y] > 128) return static_cast<int>(y);
    return -1;
  };
  int left = column_top(turned.width() / 2 - 100), right = column_top(turned.width() / 2 + 100);
  EXPECT_GT(right, left + 20) << "rotate(+10) should lower the right end of a horizontal rule";
}

TEST(SamplesGenerator, SameSeedGivesIdenticalBytes) {
  TempDir a, b, c;
  std::vector<std::string> args = {"--count", "4",          "--seed", "11",       "--profile",
                                   "hard",    "--register", "",       "--format", "mixed"};
  auto with_register = [&](const TempDir& dir) {
    auto copy = args;
    copy[7] = (dir / "register.csv").string();
    return copy;
  };
  generate(a.path() / "out", with_register(a));
  generate(b.path() / "out", with_register(b));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(a.path() / "out"))
    names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 8u);  // 4 files and 4 truths
  for (const auto& name : names)
    EXPECT_EQ(read_file(a.path() / "out" / name), read_file(b.path() / "out" / name)) << name;
  EXPECT_EQ(read_file(a / "register.csv"), read_file(b / "register.csv"));

  generate(c.path(), {"--count", "1", "--seed", "12", "--profile", "hard", "--format", "mixed"});
  EXPECT_NE(read_file(truth_files(a.path() / "out")[0]), read_file(truth_files(c.path())[0]));
}

TEST(SamplesGenerator, EveryFormatIsDeterministic) {
  for (const std::string format : {"png", "jpg", "webp", "tif", "g4", "pdf"}) {
    TempDir a, b;
    std::vector<std::string> args = {"--count",  "1",    "--seed",    "3",
                                     "--format", format, "--degrade", "noise,speckles,dark_border"};
    generate(a.path(), args);
    generate(b.path(), args);
    for (const auto& e : fs::directory_iterator(a.path()))
      EXPECT_EQ(read_file(e.path()), read_file(b.path() / e.path().filename())) << format;
  }
}

TEST(SamplesGenerator, TruthHasExactlyTheSpecKeys) {
  TempDir dir;
  generate(dir.path(), {"--count", "4", "--seed", "5", "--profile", "degraded"});
  const std::set<std::string> top = {"file", "unit", "level", "metadata", "pages"};
  const std::set<std::string> metadata = {
      "doc_type", "doc_number", "issued_date", "place",       "authority",
      "subject",  "signer",     "signer_role", "citizen_ids", "dossier_code",
      "urgency",  "secrecy",    "recipients",  "copy_mark"};
  const std::set<std::string> page = {"text", "rotation", "skew_deg", "dpi", "degradations"};
  auto keys = [](const json& j) {
    std::set<std::string> k;
    for (const auto& [key, value] : j.items()) k.insert(key);
    return k;
  };
  auto files = truth_files(dir.path());
  ASSERT_EQ(files.size(), 4u);
  for (const auto& f : files) {
    json t = load_truth(f);
    EXPECT_EQ(keys(t), top) << f;
    EXPECT_EQ(keys(t["metadata"]), metadata) << f;
    ASSERT_FALSE(t["pages"].empty());
    for (const auto& p : t["pages"]) {
      EXPECT_EQ(keys(p), page) << f;
      EXPECT_TRUE(p["skew_deg"].is_number()) << f;
      EXPECT_TRUE(p["dpi"] == 300 || p["dpi"] == 200) << f;
    }
    EXPECT_TRUE(fs::exists(dir / t["file"].get<std::string>())) << f;
    EXPECT_EQ(f.filename().string(),
              fs::path(t["file"].get<std::string>()).stem().string() + ".truth.json");
  }
}

// Checks one document's truth against its own printed lines and the units.
void check_document(const json& t, const std::map<std::string, UnitRow>& units) {
  const json& m = t["metadata"];
  std::string where = t["file"];
  auto first = lines_of(t["pages"][0]["text"]);
  auto last = lines_of(t["pages"].back()["text"]);
  std::string all_text;
  for (const auto& p : t["pages"]) all_text += p["text"].get<std::string>() + "\n";

  // Every string NFC, without the letters the OCR model cannot read.
  for (const std::string& s : {all_text, m.dump()}) {
    EXPECT_EQ(sohoa::text::nfc(s), s) << where;
    EXPECT_EQ(s.find("ỵ"), std::string::npos) << where;
    EXPECT_EQ(s.find("Ỵ"), std::string::npos) << where;
  }

  // Issue date and place: as printed in "<place>, ngày DD tháng M năm YYYY".
  static const std::regex date_line(R"(^(.+), ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})$)");
  int date_lines = 0;
  for (const auto& line : first) {
    std::smatch match;
    if (!std::regex_match(line, match, date_line)) continue;
    ++date_lines;
    char iso[16];
    std::snprintf(iso, sizeof iso, "%s-%02d-%s", match[4].str().c_str(), std::stoi(match[3]),
                  match[2].str().c_str());
    EXPECT_EQ(m["issued_date"], iso) << where;
    EXPECT_EQ(m["place"], match[1].str()) << where;
  }
  EXPECT_EQ(date_lines, 1) << where;

  EXPECT_TRUE(has_line(first, "Số: " + m["doc_number"].get<std::string>())) << where;
  EXPECT_EQ(m["doc_number"].get<std::string>().find(' '), std::string::npos) << where;
  EXPECT_TRUE(has_line(first, m["doc_type"])) << where;
  // The authority is consecutive printed lines joined by one space.
  std::string authority = m["authority"];
  bool found = false;
  for (std::size_t i = 0; i < first.size() && !found; ++i) {
    std::string joined = first[i];
    for (std::size_t j = i + 1; j <= first.size() && !found; ++j) {
      if (joined == authority) found = true;
      if (j < first.size()) joined += " " + first[j];
    }
  }
  EXPECT_TRUE(found) << where << ": " << authority;
  if (!m["subject"].is_null()) {
    std::string flat = sohoa::text::collapse_spaces(t["pages"][0]["text"].get<std::string>());
    EXPECT_NE(flat.find(m["subject"].get<std::string>()), std::string::npos) << where;
  }

  // Signer block closes the last page: role, then the name.
  ASSERT_GE(last.size(), 2u);
  EXPECT_EQ(last.back(), m["signer"]) << where;
  // SPEC: signer_role is every role line, "TM."/"KT." kept.
  const bool deputy = m["signer_role"] == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH";
  EXPECT_TRUE(deputy || m["signer_role"] == "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH") << where;
  const std::size_t roles = deputy ? 3 : 2;
  ASSERT_GT(last.size(), roles);
  std::string printed_roles;
  for (std::size_t i = last.size() - 1 - roles; i + 1 < last.size(); ++i) {
    printed_roles += (printed_roles.empty() ? "" : " ") + last[i];
  }
  EXPECT_EQ(printed_roles, m["signer_role"]) << where;

  ASSERT_FALSE(m["citizen_ids"].empty()) << where;
  static const std::regex cccd(R"(054\d{9})"), cmnd(R"(\d{9})");
  for (const auto& id : m["citizen_ids"]) {
    std::string s = id;
    EXPECT_TRUE(std::regex_match(s, cccd) || std::regex_match(s, cmnd)) << where << ": " << s;
    EXPECT_NE(all_text.find(s), std::string::npos) << where;
  }
  if (!m["dossier_code"].is_null()) {
    std::string code = m["dossier_code"];
    static const std::regex dossier(R"(H\d{2}\.\d{2}-(\d{2})(\d{2})(\d{2})-\d{4})");
    std::smatch match;
    ASSERT_TRUE(std::regex_match(code, match, dossier)) << where << ": " << code;
    std::string iso = m["issued_date"];
    EXPECT_EQ("20" + match[1].str() + "-" + match[2].str() + "-" + match[3].str(), iso) << where;
    EXPECT_NE(all_text.find("Mã hồ sơ: " + code), std::string::npos) << where;
  } else {
    EXPECT_EQ(all_text.find("Mã hồ sơ:"), std::string::npos) << where;
  }

  // The issuing unit exists, was valid on the issue date, and gives the level.
  auto unit = units.find(t["unit"]);
  ASSERT_NE(unit, units.end()) << where;
  std::string date = m["issued_date"];
  EXPECT_TRUE(unit->second.valid_from.empty() || unit->second.valid_from <= date) << where;
  EXPECT_TRUE(unit->second.valid_to.empty() || date <= unit->second.valid_to) << where;
  EXPECT_EQ(t["level"], unit->second.level) << where;

  // Continuation pages have no header.
  for (std::size_t p = 1; p < t["pages"].size(); ++p)
    EXPECT_EQ(t["pages"][p]["text"].get<std::string>().find("CỘNG HÒA XÃ HỘI"), std::string::npos);
}

TEST(SamplesGenerator, TruthAgreesWithPrintedTextAndUnits) {
  TempDir dir;
  generate(dir.path(), {"--count", "40", "--seed", "21", "--profile", "clean", "--format", "tif"});
  auto units = units_csv();
  std::set<std::string> types, levels;
  int after_reorganization = 0, district_before = 0, several_pages = 0;
  for (const auto& f : truth_files(dir.path())) {
    json t = load_truth(f);
    check_document(t, units);
    types.insert(t["metadata"]["doc_type"].get<std::string>());
    levels.insert(t["level"].get<std::string>());
    std::string date = t["metadata"]["issued_date"];
    if (date >= "2025-07-01") {
      ++after_reorganization;
      EXPECT_TRUE(t["unit"].get<std::string>().starts_with("xa-") || t["unit"] == "dak-lak") << f;
    }
    if (t["level"] == "huyen") {
      ++district_before;
      EXPECT_LT(date, "2025-07-01");
    }
    if (t["pages"].size() > 1) ++several_pages;
    EXPECT_GE(date, "2021-01-01");
    EXPECT_LE(date, "2026-12-31");
  }
  EXPECT_EQ(types.size(), 6u) << "every document type appears";
  EXPECT_GT(after_reorganization, 0);
  EXPECT_GT(district_before, 0);
  EXPECT_GT(several_pages, 0);
  EXPECT_TRUE(levels.count("xa"));
}

TEST(SamplesGenerator, ForcedPageCountHasNoHeaderAfterThefirstPage) {
  TempDir dir;
  generate(dir.path(), {"--count", "3", "--seed", "4", "--pages", "3", "--profile", "clean",
                        "--format", "pdf"});
  auto units = units_csv();
  for (const auto& f : truth_files(dir.path())) {
    json t = load_truth(f);
    ASSERT_EQ(t["pages"].size(), 3u) << f;
    check_document(t, units);
    EXPECT_EQ(page_count(dir / t["file"].get<std::string>()), 3) << f;
  }
}

TEST(SamplesGenerator, RegisterCoversEveryDocumentAndMore) {
  TempDir dir;
  generate(dir.path() / "scans", {"--count", "8", "--seed", "9", "--register",
                                  (dir / "register.csv").string(), "--register-extra", "5"});
  auto lines = lines_of(read_file(dir / "register.csv"));
  ASSERT_EQ(lines.size(), 1u + 8u + 5u);
  EXPECT_EQ(lines[0],
            "unit,doc_number,issued_date,valid_until,dossier_code,procedure_code,doc_type,title");
  for (const auto& f : truth_files(dir.path() / "scans")) {
    json t = load_truth(f);
    std::string key = t["unit"].get<std::string>() + "," +
                      t["metadata"]["doc_number"].get<std::string>() + "," +
                      t["metadata"]["issued_date"].get<std::string>() + ",";
    auto row = std::find_if(lines.begin(), lines.end(),
                            [&](const std::string& l) { return l.starts_with(key); });
    ASSERT_NE(row, lines.end()) << key;
    if (!t["metadata"]["dossier_code"].is_null()) {
      std::string code = t["metadata"]["dossier_code"].get<std::string>();
      EXPECT_NE(row->find(',' + code + ','), std::string::npos);
    }
  }
}

struct Quarters {
  double top, bottom, left, right;
};

Quarters ink_quarters(const VImage& ink) {
  int w = ink.width(), h = ink.height();
  return {ink.extract_area(0, 0, w, h / 4).avg(), ink.extract_area(0, h - h / 4, w, h / 4).avg(),
          ink.extract_area(0, 0, w / 4, h).avg(), ink.extract_area(w - w / 4, 0, w / 4, h).avg()};
}

TEST(SamplesGenerator, RecordedRotationMatchesTheImage) {
  init_vips();
  for (int rotation : {0, 90, 180, 270}) {
    TempDir dir;
    generate(dir.path(), {"--count", "1", "--seed", "8", "--pages", "1", "--profile", "clean",
                          "--format", "png", "--rotation", std::to_string(rotation)});
    json t = load_truth(truth_files(dir.path())[0]);
    ASSERT_EQ(t["pages"][0]["rotation"], rotation);
    VImage page = VImage::new_from_file((dir / t["file"].get<std::string>()).c_str());
    Quarters q = ink_quarters(ink_of(page));
    // The header (the page's top) is where the ink is; the bottom quarter of
    // a one-page document is nearly empty.
    switch (rotation) {
      case 0:
        EXPECT_GT(q.top, 2 * q.bottom);
        EXPECT_LT(page.width(), page.height());
        break;
      case 90:
        EXPECT_GT(q.left, 2 * q.right);
        EXPECT_GT(page.width(), page.height());
        break;
      case 180:
        EXPECT_GT(q.bottom, 2 * q.top);
        EXPECT_LT(page.width(), page.height());
        break;
      case 270:
        EXPECT_GT(q.right, 2 * q.left);
        EXPECT_GT(page.width(), page.height());
        break;
    }
  }
}

TEST(SamplesGenerator, RecordedSkewMatchesTheSlopeOfTheLines) {
  init_vips();
  struct Case {
    double skew;
    int rotation;
  };
  for (Case c : {Case{4.0, 0}, Case{-4.0, 0}, Case{2.5, 90}, Case{-6.0, 180}}) {
    TempDir dir;
    generate(dir.path(),
             {"--count", "1", "--seed", "8", "--pages", "1", "--profile", "clean", "--format",
              "png", "--skew", std::to_string(c.skew), "--rotation", std::to_string(c.rotation)});
    json t = load_truth(truth_files(dir.path())[0]);
    ASSERT_DOUBLE_EQ(t["pages"][0]["skew_deg"].get<double>(), c.skew);
    VImage page = VImage::new_from_file((dir / t["file"].get<std::string>()).c_str());
    // Turn upright (clockwise by the rotation), then find the clockwise turn
    // that levels the lines: content turned counter-clockwise by `skew`
    // (lines rising to the right) needs a clockwise turn of `skew`.
    VImage upright = c.rotation == 90    ? page.rot(VIPS_ANGLE_D90)
                     : c.rotation == 180 ? page.rot(VIPS_ANGLE_D180)
                                         : page;
    double angle = levelling_angle(ink_of(upright), 8.0);
    EXPECT_NEAR(angle, c.skew, 0.3) << "skew " << c.skew << " rotation " << c.rotation;
  }
}

TEST(SamplesGenerator, UnskewedPageIsLevel) {
  init_vips();
  TempDir dir;
  generate(dir.path(), {"--count", "1", "--seed", "8", "--profile", "clean", "--format", "png"});
  json t = load_truth(truth_files(dir.path())[0]);
  EXPECT_EQ(t["pages"][0]["skew_deg"], 0.0);
  EXPECT_TRUE(t["pages"][0]["degradations"].empty());
  VImage page = VImage::new_from_file((dir / t["file"].get<std::string>()).c_str());
  EXPECT_NEAR(levelling_angle(ink_of(page), 3.0), 0.0, 0.3);
}

// The resolution a PDF page's image is drawn at: its pixel width over the
// page width in inches.
std::vector<double> pdf_image_dpis(const std::string& pdf) {
  std::vector<double> dpis;
  static const std::regex media(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])");
  static const std::regex width(R"(/Subtype /Image /Width (\d+))");
  std::vector<double> page_widths, image_widths;
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), media); it != std::sregex_iterator();
       ++it)
    page_widths.push_back(std::stod((*it)[1]));
  for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), width); it != std::sregex_iterator();
       ++it)
    image_widths.push_back(std::stod((*it)[1]));
  for (std::size_t i = 0; i < std::min(page_widths.size(), image_widths.size()); ++i)
    dpis.push_back(image_widths[i] / (page_widths[i] / 72.0));
  return dpis;
}

void check_loads(const fs::path& dir, const std::string& format) {
  for (const auto& f : truth_files(dir)) {
    json t = load_truth(f);
    fs::path file = dir / t["file"].get<std::string>();
    std::string where = format + " " + file.filename().string();
    ASSERT_EQ(page_count(file), static_cast<int>(t["pages"].size())) << where;
    int dpi = t["pages"][0]["dpi"];
    std::string ext = file.extension();
    if (ext == ".pdf") {
      auto dpis = pdf_image_dpis(read_file(file));
      ASSERT_EQ(dpis.size(), t["pages"].size()) << where;
      for (double d : dpis) EXPECT_NEAR(d, dpi, 0.5) << where;
      VImage first = VImage::new_from_file(file.c_str(), VImage::option()->set("dpi", double(dpi)));
      EXPECT_GT(first.width(), 1000) << where;
    } else {
      VImage image = VImage::new_from_file(file.c_str());
      EXPECT_GT(image.width(), 1000) << where;
      // WebP stores no resolution.
      if (ext != ".webp") {
        EXPECT_NEAR(image.xres() * 25.4, dpi, 0.5) << where;
      }
      if (format == "g4") {
        auto values = as_doubles(image.extract_area(0, 0, image.width(), 64)[0]);
        for (double v : values) ASSERT_TRUE(v == 0 || v == 255) << where;
        EXPECT_TRUE(t["pages"][0]["degradations"].dump().find("bilevel") != std::string::npos);
      }
    }
  }
}

TEST(SamplesGenerator, EveryFormatLoadsWithItsPageCountAndDpi) {
  init_vips();
  for (const std::string format : {"png", "jpg", "webp", "tif", "g4", "pdf"}) {
    for (const std::string pages : {"1", "2"}) {
      TempDir dir;
      generate(dir.path(), {"--count", "1", "--seed", "6", "--format", format, "--pages", pages,
                            "--degrade", pages == "2" ? "low_dpi,skew" : "noise"});
      check_loads(dir.path(), format);
      json t = load_truth(truth_files(dir.path())[0]);
      EXPECT_EQ(t["pages"][0]["dpi"], pages == "2" ? 200 : 300);
    }
  }
}

TEST(SamplesGenerator, NoiseIsRecordedAndVisible) {
  init_vips();
  TempDir clean, noisy;
  generate(clean.path(), {"--count", "1", "--seed", "2", "--format", "png", "--profile", "clean"});
  generate(noisy.path(), {"--count", "1", "--seed", "2", "--format", "png", "--degrade", "noise"});
  json t = load_truth(truth_files(noisy.path())[0]);
  EXPECT_EQ(t["pages"][0]["degradations"], json::array({"noise"}));
  auto deviation = [](const fs::path& file) {
    VImage page = VImage::new_from_file(file.c_str());
    // A blank stretch of paper near the bottom of a one-page document.
    return page.extract_area(page.width() / 2 - 200, page.height() - 300, 400, 200).deviate();
  };
  EXPECT_LT(deviation(clean / "doc-0001.png"), 0.5);
  EXPECT_GT(deviation(noisy / "doc-0001.png"), 2.0);
}

TEST(SamplesGenerator, BadInputsAreUsageErrors) {
  TempDir dir;
  auto bad_units = dir / "units.csv";
  sohoa::testing::write_file(
      bad_units, "code,name,level,parent,valid_from,valid_to,successor\nx,Xã X,thon,,,,\n");
  auto r = run({samples_bin(), "--out", (dir / "o").string(), "--units", bad_units.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad_units.string() + ": line 2"), std::string::npos) << r.err;

  r = run({samples_bin(), "--out", (dir / "o").string(), "--degrade", "coffee"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("coffee"), std::string::npos) << r.err;

  r = run({samples_bin(), "--out", (dir / "o").string(), "--format", "bmp"});
  EXPECT_EQ(r.exit_code, 1);
  r = run({samples_bin()});
  EXPECT_EQ(r.exit_code, 1);
}

}  // namespace

TEST(SamplesGenerator, FormatListIsUsedInTurn) {
  TempDir dir;
  generate(dir.path(), {"--count", "3", "--seed", "2", "--pages", "1", "--profile", "mild",
                        "--format", "png,g4"});
  auto files = truth_files(dir.path());
  ASSERT_EQ(files.size(), 3u);
  std::vector<std::string> names;
  for (const auto& f : files) {
    json t = load_truth(f);
    names.push_back(t["file"]);
    for (const auto& p : t["pages"]) {
      // mild: office scans at 200 dpi, skews of at most 2.5 degrees.
      EXPECT_EQ(p["dpi"], 200);
      EXPECT_LE(std::abs(p["skew_deg"].get<double>()), 2.5);
      EXPECT_EQ(p["rotation"], 0);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"doc-0001.png", "doc-0002.tif", "doc-0003.png"}));
  EXPECT_NE(load_truth(files[1])["pages"][0]["degradations"].dump().find("bilevel"),
            std::string::npos);
}

TEST(SamplesGenerator, CommittedQuickStartSetIsConsistent) {
  init_vips();
  fs::path scans = source_dir() / "samples/scans";
  auto files = truth_files(scans);
  ASSERT_GE(files.size(), 6u);
  auto units = units_csv();
  auto register_lines = lines_of(read_file(source_dir() / "samples/register.csv"));
  EXPECT_GT(register_lines.size(), files.size() + 1) << "some results are not scanned";
  std::uintmax_t total = 0;
  for (const auto& f : files) {
    json t = load_truth(f);
    check_document(t, units);
    fs::path file = scans / t["file"].get<std::string>();
    EXPECT_LT(fs::file_size(file), 300u * 1024u) << file;
    total += fs::file_size(file) + fs::file_size(f);
    std::string key = t["unit"].get<std::string>() + "," +
                      t["metadata"]["doc_number"].get<std::string>() + "," +
                      t["metadata"]["issued_date"].get<std::string>() + ",";
    EXPECT_TRUE(std::any_of(register_lines.begin(), register_lines.end(),
                            [&](const std::string& l) { return l.starts_with(key); }))
        << key;
  }
  check_loads(scans, "committed");
  EXPECT_LT(total, 3u * 1024u * 1024u);
}

TEST(SamplesGenerator, StackRecordsItsCutsAndSeparatorSheets) {
  init_vips();
  TempDir dir;
  generate(dir.path(),
           {"--count", "5", "--seed", "3", "--stack", "--format", "pdf", "--profile", "clean"});
  json stack = load_truth(dir / "doc-stack.truth.json");
  ASSERT_EQ(stack["file"], "doc-stack.pdf");
  EXPECT_EQ(stack["separator_content"], "SOHOA-SEPARATOR");
  int pages = stack["pages"];
  EXPECT_EQ(page_count(dir / "doc-stack.pdf"), pages);
  ASSERT_EQ(stack["documents"].size(), 5u);
  ASSERT_FALSE(stack["separator_pages"].empty());

  // Documents and separator sheets tile the file in order, without gaps.
  std::set<int> separators(stack["separator_pages"].begin(), stack["separator_pages"].end());
  int next = 1;
  auto units = units_csv();
  for (const auto& d : stack["documents"]) {
    while (separators.count(next)) ++next;
    int first = d["first"], last = d["last"];
    EXPECT_EQ(first, next);
    json t = load_truth(dir / d["truth"].get<std::string>());
    EXPECT_EQ(t["file"], "doc-stack.pdf#" + std::to_string(first) + "-" + std::to_string(last));
    EXPECT_EQ(static_cast<int>(t["pages"].size()), last - first + 1);
    check_document(t, units);
    next = last + 1;
  }
  EXPECT_EQ(next - 1, pages);

  // A separator sheet is mostly its large QR code in the middle of the page.
  auto middle_ink = [&](int page) {
    VImage image = VImage::new_from_file((dir / "doc-stack.pdf").c_str(),
                                         VImage::option()->set("page", page - 1));
    VImage ink = ink_of(image);
    return ink.extract_area(ink.width() / 2 - 100, ink.height() / 2 - 100, 200, 200).avg();
  };
  for (int page : separators) EXPECT_GT(middle_ink(page), 60.0) << page;
  EXPECT_LT(middle_ink(stack["documents"][0]["first"]), 60.0);
}

// --vary-layout draws from a sub-stream of its own: the same seed gives the
// same documents (number, date, signer, file) with or without it; with it,
// some headers carry an urgency mark and some a one-line "UBND XÃ …" body,
// both recorded in the truth and printed in the page text; some are letters
// (no title, "V/v …" under the number: doc_type null) and some have the
// number and the day filled in by hand (printed, but null in the truth);
// some are copies (SAO Y, SAO LỤC, TRÍCH SAO) under the original's signer.
TEST(SamplesGenerator, VariedLayoutIsRecordedAndChangesNothingElse) {
  TempDir plain, varied;
  generate(plain.path(), {"--count", "12", "--seed", "7", "--profile", "clean"});
  generate(varied.path(), {"--count", "12", "--seed", "7", "--profile", "clean", "--vary-layout"});
  auto a = truth_files(plain.path()), b = truth_files(varied.path());
  ASSERT_EQ(a.size(), 12u);
  ASSERT_EQ(b.size(), 12u);
  int marks = 0, one_line = 0, letters = 0, hands = 0, copies = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    json p = load_truth(a[i]), v = load_truth(b[i]);
    std::string text = v["pages"][0]["text"].get<std::string>();
    auto lines = lines_of(text);
    auto printed = [&](const std::string& line) {
      return std::find(lines.begin(), lines.end(), line) != lines.end();
    };
    bool letter = v["metadata"]["doc_type"].is_null();
    bool hand = v["metadata"]["doc_number"].is_null();
    if (letter) {
      ++letters;
      std::string subject = v["metadata"]["subject"].get<std::string>();
      EXPECT_EQ(subject.rfind("V/v ", 0), 0u) << b[i];
      EXPECT_EQ(subject.substr(4),
                p["metadata"]["subject"].get<std::string>().substr(std::string("Về việc ").size()));
      EXPECT_FALSE(printed(p["metadata"]["doc_type"].get<std::string>())) << b[i];
    }
    if (hand) {
      ++hands;
      EXPECT_TRUE(v["metadata"]["issued_date"].is_null()) << b[i];
      // Still on the page: the clerk wrote it.
      EXPECT_TRUE(printed("Số: " + p["metadata"]["doc_number"].get<std::string>())) << b[i];
    }
    for (const char* key : {"doc_number", "issued_date", "signer", "doc_type", "dossier_code"}) {
      std::string k = key;
      if ((letter && k == "doc_type") || (hand && (k == "doc_number" || k == "issued_date"))) {
        continue;
      }
      EXPECT_EQ(p["metadata"][key], v["metadata"][key]) << b[i] << " " << key;
    }
    EXPECT_EQ(p["file"], v["file"]);
    EXPECT_TRUE(p["metadata"]["urgency"].is_null());
    if (!v["metadata"]["urgency"].is_null()) {
      ++marks;
      std::string mark = v["metadata"]["urgency"].get<std::string>();
      EXPECT_TRUE(mark == "KHẨN" || mark == "THƯỢNG KHẨN" || mark == "HỎA TỐC") << mark;
      EXPECT_TRUE(printed(mark)) << b[i];
    }
    std::string authority = v["metadata"]["authority"].get<std::string>();
    if (authority.rfind("UBND ", 0) == 0 && authority.find("ỦY BAN") == std::string::npos) {
      ++one_line;
      EXPECT_TRUE(printed(authority)) << b[i];
    }
    // A copy carries Decree 30's copy form after the original's signer:
    // the mark alone on its line, the copy's own number ("N/SY-UBND"), and
    // the copy's signer closing the page; the truth names the mark.
    EXPECT_TRUE(p["metadata"]["copy_mark"].is_null());
    // (The form goes to a page of its own when the last has no room.)
    std::vector<std::string> last;
    for (const auto& page : v["pages"]) {
      for (const auto& line : lines_of(page["text"].get<std::string>())) last.push_back(line);
    }
    auto signer_at = std::find(last.begin(), last.end(), v["metadata"]["signer"]);
    ASSERT_NE(signer_at, last.end()) << b[i];
    if (v["metadata"]["copy_mark"].is_null()) {
      EXPECT_EQ(signer_at + 1, last.end()) << b[i];
      continue;
    }
    ++copies;
    std::string mark = v["metadata"]["copy_mark"];
    static const std::map<std::string, std::string> codes = {
        {"SAO Y", "SY"}, {"SAO LỤC", "SL"}, {"TRÍCH SAO", "TS"}};
    ASSERT_EQ(codes.count(mark), 1u) << mark;
    std::vector<std::string> after(signer_at + 1, last.end());
    EXPECT_TRUE(has_line(after, mark)) << b[i];
    static const std::regex number(R"(Số: \d+/([A-Z]+)-UBND)");
    int numbers = 0;
    for (const auto& line : after) {
      std::smatch match;
      if (!std::regex_match(line, match, number)) continue;
      ++numbers;
      EXPECT_EQ(match[1].str(), codes.at(mark)) << b[i];
    }
    EXPECT_EQ(numbers, 1) << b[i];
    EXPECT_TRUE(has_line(after, "TL. CHỦ TỊCH")) << b[i];
    EXPECT_NE(after.back(), v["metadata"]["signer"]) << b[i];
  }
  EXPECT_GE(copies, 1);
  EXPECT_GE(marks, 1);
  EXPECT_GE(one_line, 1);
  EXPECT_GE(letters, 1);
  EXPECT_GE(hands, 1);
}

// Pixels of a colour page as (r, g, b) rows.
struct Rgb {
  int width = 0, height = 0;
  std::vector<double> v;
  double at(int x, int y, int band) const {
    return v[(static_cast<std::size_t>(y) * width + x) * 3 + band];
  }
  bool red(int x, int y) const {
    return at(x, y, 0) > 150 && at(x, y, 0) - at(x, y, 1) > 80 && at(x, y, 0) - at(x, y, 2) > 80;
  }
  bool black(int x, int y) const {
    return at(x, y, 0) < 90 && at(x, y, 1) < 90 && at(x, y, 2) < 90;
  }
};

// --vary-layout stamps a red seal over the signer block on some results:
// on a colour scan its ring is red, every red pixel lies on the ring the
// truth records, the print under it shows through (translucent ink), and
// it sits over the signature's rows, below the role lines' top and above
// the foot of the signer's name; pages without a seal have no red at all.
TEST(SamplesGenerator, SealIsRedOverTheSignerBlock) {
  init_vips();
  TempDir dir;
  generate(dir.path(), {"--count", "12", "--seed", "7", "--profile", "clean", "--format", "png",
                        "--pages", "1", "--vary-layout"});
  int sealed = 0, plain = 0;
  for (const auto& f : truth_files(dir.path())) {
    json t = load_truth(f);
    // A copy's form may take a page of its own (then a TIFF): its first
    // page is the original's.
    std::string file = (dir / t["file"].get<std::string>()).string();
    if (t["pages"].size() > 1) continue;
    VImage page = VImage::new_from_file(file.c_str());
    const json& p = t["pages"][0];
    if (page.bands() == 1) {
      EXPECT_FALSE(p.contains("seal")) << f;  // a grey page is red nowhere
      ++plain;
      continue;
    }
    ASSERT_EQ(page.bands(), 3) << f;
    Rgb rgb{page.width(), page.height(), as_doubles(page)};
    int red = 0, red_outside = 0, black_inside = 0;
    int cx = p.contains("seal") ? p["seal"]["x"].get<int>() : 0;
    int cy = p.contains("seal") ? p["seal"]["y"].get<int>() : 0;
    int r = p.contains("seal") ? p["seal"]["radius"].get<int>() : 0;
    for (int y = 0; y < rgb.height; ++y) {
      for (int x = 0; x < rgb.width; ++x) {
        bool inside = std::hypot(x - cx, y - cy) <= r + 3;
        if (rgb.red(x, y)) ++(inside ? red : red_outside);
        if (inside && rgb.black(x, y)) ++black_inside;
      }
    }
    if (!p.contains("seal")) {
      EXPECT_EQ(red + red_outside, 0) << f;
      ++plain;
      continue;
    }
    ++sealed;
    EXPECT_EQ(red_outside, 0) << f;
    // The outer ring alone is 2πr × 9 px.
    EXPECT_GT(red, static_cast<int>(2 * M_PI * r * 9 * 0.8)) << f;
    EXPECT_GT(black_inside, 1000) << f << ": no print under the seal";
    // In the right column, over the rows between the role lines and the
    // signer's name: the name's row is below the centre.
    EXPECT_GT(cx - r, rgb.width / 2 - 200) << f;
    EXPECT_LT(cy + r, rgb.height) << f;
    auto lines = lines_of(p["text"].get<std::string>());
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines.back(), t["metadata"]["signer"]) << f;
  }
  EXPECT_GE(sealed, 2);
  EXPECT_GE(plain, 2);
}
