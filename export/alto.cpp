#include "export/alto.h"

#include <cstdio>

#include "text/xml.h"

namespace sohoa::exports {
namespace {

std::string box_attrs(const ocr::Box& b) {
  return " HPOS=\"" + std::to_string(b.x) + "\" VPOS=\"" + std::to_string(b.y) + "\" WIDTH=\"" +
         std::to_string(b.w) + "\" HEIGHT=\"" + std::to_string(b.h) + "\"";
}

// ALTO confidences run from 0 to 1; OCR gives 0..100.
std::string confidence(double percent) {
  if (percent < 0) percent = 0;
  if (percent > 100) percent = 100;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", percent / 100.0);
  return buf;
}

std::string description(const AltoSource& source) {
  std::string x = "  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n";
  if (!source.file_name.empty()) {
    x += "    <sourceImageInformation>\n      <fileName>" + text::xml_escape(source.file_name) +
         "</fileName>\n    </sourceImageInformation>\n";
  }
  x += "    <Processing ID=\"OCR_0\">\n"
       "      <processingCategory>contentGeneration</processingCategory>\n"
       "      <processingStepSettings>Tesseract LSTM, language vie; page restored"
       " (upright, deskewed) before recognition</processingStepSettings>\n"
       "      <processingSoftware>\n"
       "        <softwareName>sohoa</softwareName>\n"
       "        <softwareVersion>" +
       text::xml_escape(source.software_version) +
       "</softwareVersion>\n"
       "      </processingSoftware>\n"
       "    </Processing>\n"
       "  </Description>\n";
  return x;
}

// A <SP/> between words, spanning the gap, so readers rebuild the spaces.
std::string space_between(const ocr::Word& left, const ocr::Word& right, const ocr::Box& line) {
  int gap_x = left.box.x + left.box.w;
  int gap_w = right.box.x - gap_x;
  if (gap_w < 0) gap_w = 0;
  return "          <SP HPOS=\"" + std::to_string(gap_x) + "\" VPOS=\"" + std::to_string(line.y) +
         "\" WIDTH=\"" + std::to_string(gap_w) + "\"/>\n";
}

void append_line(std::string& x, const ocr::Line& line, const std::string& id) {
  x += "        <TextLine ID=\"" + id + "\"" + box_attrs(line.box) + ">\n";
  for (size_t w = 0; w < line.words.size(); ++w) {
    const ocr::Word& word = line.words[w];
    if (w > 0) x += space_between(line.words[w - 1], word, line.box);
    x += "          <String ID=\"" + id + "_" + std::to_string(w + 1) + "\" CONTENT=\"" +
         text::xml_escape(word.text) + "\"" + box_attrs(word.box) + " WC=\"" +
         confidence(word.confidence) + "\"/>\n";
  }
  x += "        </TextLine>\n";
}

void append_page(std::string& x, const ocr::PageText& page, int number) {
  const std::string pid = "p" + std::to_string(number);
  x += "    <Page ID=\"" + pid + "\" PHYSICAL_IMG_NR=\"" + std::to_string(number) + "\" WIDTH=\"" +
       std::to_string(page.width) + "\" HEIGHT=\"" + std::to_string(page.height) + "\" PC=\"" +
       confidence(page.mean_confidence) + "\">\n";
  x += "      <PrintSpace" + box_attrs(ocr::Box{0, 0, page.width, page.height}) + ">\n";
  for (size_t b = 0; b < page.blocks.size(); ++b) {
    const ocr::Block& block = page.blocks[b];
    const std::string bid = pid + "_b" + std::to_string(b + 1);
    // An element-only block needs at least one line; OCR never gives an
    // empty one, but a hand-edited layout might.
    if (block.lines.empty()) continue;
    x += "      <TextBlock ID=\"" + bid + "\"" + box_attrs(block.box) + ">\n";
    for (size_t l = 0; l < block.lines.size(); ++l) {
      append_line(x, block.lines[l], bid + "_l" + std::to_string(l + 1));
    }
    x += "      </TextBlock>\n";
  }
  x += "      </PrintSpace>\n    </Page>\n";
}

}  // namespace

std::string alto_xml(const std::vector<ocr::PageText>& pages, const AltoSource& source) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\""
      " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
      " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
      " xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v4#"
      " http://www.loc.gov/alto/v4/alto-4-2.xsd\">\n";
  x += description(source);
  x += "  <Layout>\n";
  for (size_t p = 0; p < pages.size(); ++p) append_page(x, pages[p], static_cast<int>(p + 1));
  x += "  </Layout>\n</alto>\n";
  return x;
}

}  // namespace sohoa::exports
