#include "pipeline/stages/pdf_text.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>
#include <qpdf/QPDFMatrix.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <vector>

#include "pipeline/stages/pdf_stream.h"
#include "text/vntext.h"

namespace sohoa::pipeline {
namespace {

constexpr size_t kContentBudget = 64u << 20;  // decoded content bytes per page, forms included
constexpr int kMaxFormDepth = 8;
constexpr int kMaxFormCalls = 10'000;
constexpr int kMaxTextOperators = 200'000;  // a dense page of text has a few thousand

std::string name_of(QPDFObjectHandle h) { return h.isName() ? h.getName() : ""; }

// A font whose codes can be turned into Unicode: a ToUnicode CMap, a
// predefined Unicode CMap, or, for simple fonts, an encoding through glyph
// names (a named or differences encoding, or a non-symbolic font).
bool maps_to_unicode(QPDFObjectHandle font) {
  if (!font.isDictionary()) return false;
  if (font.getKey("/ToUnicode").isStream()) return true;
  std::string subtype = name_of(font.getKey("/Subtype"));
  QPDFObjectHandle encoding = font.getKey("/Encoding");
  if (subtype == "/Type0") return name_of(encoding).rfind("/Uni", 0) == 0;
  if (subtype == "/Type3") return false;
  if (encoding.isName() || encoding.isDictionary()) return true;
  QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
  if (!descriptor.isDictionary()) return true;  // one of the standard 14 fonts
  QPDFObjectHandle flags = descriptor.getKey("/Flags");
  return !(flags.isInteger() && (flags.getIntValue() & 4));  // bit 3: symbolic
}

struct GraphicsState {
  QPDFMatrix ctm;
  int render_mode = 0;
};

struct WalkBudget {
  size_t bytes_left = kContentBudget;
  int form_calls = 0;
};

// Follows q/Q/cm/Tr through one content stream, looking at what Do, inline
// images, Tf and the text-showing operators draw; forms are walked by a
// nested walker with their own resources.
class ContentWalker : public QPDFObjectHandle::ParserCallbacks {
 public:
  ContentWalker(QPDF& pdf, QPDFObjectHandle resources, QPDFObjectHandle::Rectangle page_box,
                GraphicsState state, int depth, WalkBudget& budget, PdfPageContent& found)
      : pdf_(pdf),
        resources_(resources),
        page_box_(page_box),
        depth_(depth),
        budget_(budget),
        found_(found) {
    stack_.push_back(state);
  }

  void walk(QPDFObjectHandle stream) {
    std::string data;
    try {
      data = decoded_stream_data(stream, budget_.bytes_left);
    } catch (const StreamOverBudget&) {
      throw std::runtime_error("page content inflates past " +
                               std::to_string(kContentBudget >> 20) + " MB (a decompression bomb)");
    }
    budget_.bytes_left -= data.size();
    QPDFObjectHandle::newStream(&pdf_, data).parseAsContents(this);
  }

  void handleObject(QPDFObjectHandle object) override {
    if (object.isOperator()) {
      run(object.getOperatorValue());
      operands_.clear();
    } else if (object.isInlineImage()) {
      note_image(0);  // inline images are small by the standard's advice
    } else {
      operands_.push_back(object);
    }
  }
  void handleEOF() override {}

 private:
  double number(size_t i) {
    return i < operands_.size() && operands_[i].isNumber() ? operands_[i].getNumericValue() : 0;
  }

  void run(const std::string& op) {
    GraphicsState& gs = stack_.back();
    if (op == "q") {
      stack_.push_back(gs);
    } else if (op == "Q") {
      if (stack_.size() > 1) stack_.pop_back();
    } else if (op == "cm" && operands_.size() == 6) {
      gs.ctm.concat(QPDFMatrix(number(0), number(1), number(2), number(3), number(4), number(5)));
    } else if (op == "Tr" && operands_.size() == 1) {
      gs.render_mode = static_cast<int>(number(0));
    } else if (op == "Tf" && !operands_.empty()) {
      QPDFObjectHandle fonts =
          resources_.isDictionary() ? resources_.getKey("/Font") : QPDFObjectHandle::newNull();
      QPDFObjectHandle font =
          fonts.isDictionary() ? fonts.getKey(name_of(operands_[0])) : QPDFObjectHandle::newNull();
      if (!maps_to_unicode(font)) found_.unmapped_font = true;
    } else if (op == "Tj" || op == "TJ" || op == "'" || op == "\"") {
      ++found_.text_operators;
      // Modes 3 and 7 draw nothing: the mark of an OCR layer over a scan.
      if (gs.render_mode != 3 && gs.render_mode != 7) found_.visible_text = true;
    } else if (op == "Do" && !operands_.empty()) {
      draw_xobject(name_of(operands_[0]));
    }
  }

  void draw_xobject(const std::string& name) {
    QPDFObjectHandle xobjects =
        resources_.isDictionary() ? resources_.getKey("/XObject") : QPDFObjectHandle::newNull();
    if (!xobjects.isDictionary()) return;
    QPDFObjectHandle xobject = xobjects.getKey(name);
    if (!xobject.isStream()) return;
    std::string subtype = name_of(xobject.getDict().getKey("/Subtype"));
    if (subtype == "/Image") {
      QPDFObjectHandle width = xobject.getDict().getKey("/Width");
      note_image(width.isInteger() ? width.getIntValueAsInt() : 0);
    } else if (subtype == "/Form" && depth_ < kMaxFormDepth) {
      if (++budget_.form_calls > kMaxFormCalls) {
        // Legitimate in drawings that repeat a symbol; the renderer copes,
        // the text is then not worth the walk.
        found_.too_complex = true;
        return;
      }
      QPDFObjectHandle dict = xobject.getDict();
      GraphicsState state = stack_.back();
      if (dict.getKey("/Matrix").isMatrix()) {
        state.ctm.concat(QPDFMatrix(dict.getKey("/Matrix").getArrayAsMatrix()));
      }
      QPDFObjectHandle resources =
          dict.getKey("/Resources").isDictionary() ? dict.getKey("/Resources") : resources_;
      ContentWalker(pdf_, resources, page_box_, state, depth_ + 1, budget_, found_).walk(xobject);
    }
  }

  // An image is the unit square under the CTM; `width_px` its samples
  // across (0: unknown).
  void note_image(int width_px) {
    auto r = stack_.back().ctm.transformRectangle(QPDFObjectHandle::Rectangle(0, 0, 1, 1));
    double w = std::min(r.urx, page_box_.urx) - std::max(r.llx, page_box_.llx);
    double h = std::min(r.ury, page_box_.ury) - std::max(r.lly, page_box_.lly);
    double page_area = (page_box_.urx - page_box_.llx) * (page_box_.ury - page_box_.lly);
    if (w > 0 && h > 0 && page_area > 0 && w * h >= 0.5 * page_area) {
      found_.page_filling_image = true;
      double drawn_in = (r.urx - r.llx) / 72.0;
      if (width_px > 0 && drawn_in > 0) {
        found_.image_dpi = std::max(found_.image_dpi, width_px / drawn_in);
      }
    }
  }

  QPDF& pdf_;
  QPDFObjectHandle resources_;
  QPDFObjectHandle::Rectangle page_box_;
  int depth_;
  WalkBudget& budget_;
  PdfPageContent& found_;
  std::vector<GraphicsState> stack_;
  std::vector<QPDFObjectHandle> operands_;
};

QPDFObjectHandle::Rectangle normalized(QPDFObjectHandle::Rectangle r) {
  return QPDFObjectHandle::Rectangle(std::min(r.llx, r.urx), std::min(r.lly, r.ury),
                                     std::max(r.llx, r.urx), std::max(r.lly, r.ury));
}

bool is_vietnamese_latin1(UChar32 c) {
  static const std::u32string letters = U"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";
  return letters.find(static_cast<char32_t>(c)) != std::u32string::npos;
}

bool is_suspect(UChar32 c) {
  if (c == 0xFFFD || c < 0) return true;
  if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  if (c >= 0xE000 && c <= 0xF8FF) return true;  // private use: glyph codes
  if (c >= 0x80 && c <= 0xFF) return !is_vietnamese_latin1(c) && c != 0xA0;
  return false;
}

void quiet_poppler_once() {
  static std::once_flag once;
  // Damage is reported through the page's error or by falling back to OCR;
  // poppler's own lines on stderr would name no file.
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

struct PlacedWord {
  std::string text;
  ocr::Box box;
};

ocr::Box united(const ocr::Box& a, const ocr::Box& b) {
  int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

// A word continues the current line when it lies to the right of the line's
// last word and overlaps it vertically by half the smaller height.
bool continues_line(const ocr::Box& last, const ocr::Box& word) {
  int overlap = std::min(last.y + last.h, word.y + word.h) - std::max(last.y, word.y);
  return word.x >= last.x + last.w / 2 && overlap * 2 >= std::min(last.h, word.h);
}

// Lines in reading order into blocks: a new block where the gap above a line
// is more than its height, as between paragraphs set apart.
ocr::PageText assemble(const std::vector<PlacedWord>& words, int width, int height) {
  ocr::PageText page;
  page.width = width;
  page.height = height;
  std::vector<ocr::Line> lines;
  for (const PlacedWord& w : words) {
    ocr::Word word{w.text, w.box, 100.0f};
    if (lines.empty() || !continues_line(lines.back().words.back().box, w.box)) {
      lines.push_back(ocr::Line{w.text, w.box, {word}});
    } else {
      ocr::Line& line = lines.back();
      line.text += " " + w.text;
      line.box = united(line.box, w.box);
      line.words.push_back(word);
    }
  }
  for (ocr::Line& line : lines) {
    bool new_block = page.blocks.empty();
    if (!new_block) {
      const ocr::Box& above = page.blocks.back().lines.back().box;
      int gap = line.box.y - (above.y + above.h);
      new_block = gap > line.box.h || gap < -above.h * 2;
    }
    if (new_block) page.blocks.push_back(ocr::Block{line.box, {}});
    page.blocks.back().box = united(page.blocks.back().box, line.box);
    page.blocks.back().lines.push_back(std::move(line));
  }
  for (const ocr::Block& block : page.blocks) {
    if (!page.text.empty()) page.text += "\n";
    for (const ocr::Line& line : block.lines) page.text += line.text + "\n";
  }
  page.mean_confidence = words.empty() ? 0.0f : 100.0f;
  return page;
}

std::vector<PlacedWord> poppler_words(const std::filesystem::path& path, int index, int width,
                                      int height) {
  quiet_poppler_once();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (!doc || doc->is_locked()) throw std::runtime_error("unreadable PDF text layer");
  std::unique_ptr<poppler::page> page(doc->create_page(index));
  if (!page) throw std::runtime_error("unreadable PDF text layer");
  // text_list() gives boxes in points on the page as displayed (its /Rotate
  // applied), from the top-left corner.
  poppler::rectf rect = page->page_rect(poppler::crop_box);
  double page_w = rect.width(), page_h = rect.height();
  auto orientation = page->orientation();
  if (orientation == poppler::page::landscape || orientation == poppler::page::seascape) {
    std::swap(page_w, page_h);
  }
  if (page_w <= 0 || page_h <= 0) return {};
  double sx = width / page_w, sy = height / page_h;
  std::vector<PlacedWord> words;
  for (const poppler::text_box& box : page->text_list()) {
    poppler::byte_array utf8 = box.text().to_utf8();
    std::string text = sohoa::text::nfc(std::string(utf8.begin(), utf8.end()));
    // Words are separated by spaces in the page text; a box is one word.
    text.erase(std::remove_if(text.begin(), text.end(),
                              [](char c) { return c == ' ' || c == '\n' || c == '\t'; }),
               text.end());
    if (text.empty()) continue;
    poppler::rectf b = box.bbox();
    int x0 = std::clamp(static_cast<int>(std::floor(b.left() * sx)), 0, width);
    int y0 = std::clamp(static_cast<int>(std::floor(b.top() * sy)), 0, height);
    int x1 = std::clamp(static_cast<int>(std::ceil(b.right() * sx)), 0, width);
    int y1 = std::clamp(static_cast<int>(std::ceil(b.bottom() * sy)), 0, height);
    words.push_back(
        {std::move(text), ocr::Box{x0, y0, std::max(1, x1 - x0), std::max(1, y1 - y0)}});
  }
  return words;
}

}  // namespace

PdfPageContent pdf_page_content(const std::filesystem::path& path, int index) {
  QPDF pdf;
  open_pdf(pdf, path);
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  if (index < 0 || index >= static_cast<int>(pages.size())) {
    throw std::runtime_error("page " + std::to_string(index + 1) + " does not exist");
  }
  QPDFPageObjectHelper& page = pages[static_cast<size_t>(index)];
  PdfPageContent found;
  WalkBudget budget;
  auto box = normalized(page.getCropBox().getArrayAsRectangle());
  QPDFObjectHandle resources = page.getAttribute("/Resources", false);
  QPDFObjectHandle contents = page.getObjectHandle().getKey("/Contents");
  std::vector<QPDFObjectHandle> streams;
  if (contents.isStream()) streams.push_back(contents);
  if (contents.isArray()) streams = contents.getArrayAsVector();
  // One walker over the streams in turn: the graphics state carries over
  // from one to the next, as the content is one stream cut in pieces.
  ContentWalker walker(pdf, resources, box, GraphicsState{}, 0, budget, found);
  for (QPDFObjectHandle& stream : streams) {
    if (stream.isStream()) walker.walk(stream);
  }
  return found;
}

bool is_text_page(const PdfPageContent& content) {
  return content.visible_text && !content.unmapped_font && !content.page_filling_image &&
         !content.too_complex && content.text_operators <= kMaxTextOperators;
}

bool is_sane_text(const std::string& utf8) {
  int32_t i = 0, length = static_cast<int32_t>(utf8.size());
  size_t counted = 0, suspect = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, length, c);
    if (c == ' ' || c == '\n') continue;
    ++counted;
    if (is_suspect(c)) ++suspect;
  }
  return counted > 0 && suspect * 100 <= counted * 3;
}

std::optional<ocr::PageText> pdf_page_text(const std::filesystem::path& pdf, int index,
                                           const PdfPageContent& content, int width, int height) {
  if (!is_text_page(content)) return std::nullopt;
  std::vector<PlacedWord> words = poppler_words(pdf, index, width, height);
  ocr::PageText text = assemble(words, width, height);
  if (!is_sane_text(text.text)) return std::nullopt;
  return text;
}

}  // namespace sohoa::pipeline
