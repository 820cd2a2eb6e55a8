#include "export/certify.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>
#include <stdexcept>
#include <vips/vips8>

#include "text/xml.h"

namespace sohoa::exports {

namespace {

using QOH = QPDFObjectHandle;
using vips::VImage;

// Decree 30/2020 sets the copy information in Times New Roman, 10 pt;
// TeX Gyre Termes is its free metric twin with Vietnamese glyphs.
constexpr const char* kMarkFont = "TeX Gyre Termes 10";
constexpr double kFontPt = 10;
constexpr double kLinePt = 13;    // line pitch
constexpr double kPaddingPt = 5;  // between the frame and the text
constexpr double kMarginPt = 14;  // from the page's top and right edges
constexpr double kMarkWidthPt = 215;
constexpr int kRenderDpi = 300;

void init_vips_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("sohoa") != 0) throw std::runtime_error("libvips failed to start");
  });
}

double px_to_pt(int px) { return px * 72.0 / kRenderDpi; }
int pt_to_px(double pt) { return static_cast<int>(std::lround(pt * kRenderDpi / 72.0)); }

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::tm vietnam_time(std::time_t t) {
  std::time_t local = t + 7 * 3600;  // UTC+7 all year
  std::tm tm{};
  gmtime_r(&local, &tm);
  return tm;
}

// The mark's ink, 0..255, at kRenderDpi, lines centred. A line too long
// for the width wraps and its slot grows.
struct Ink {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;
  std::vector<int> slot_top;  // per line, pixels from the top
  std::vector<int> slot_height;
};

Ink render_lines(const std::vector<std::string>& lines) {
  init_vips_once();
  Ink ink;
  ink.width = pt_to_px(kMarkWidthPt - 2 * kPaddingPt);
  const int pitch = pt_to_px(kLinePt);
  std::vector<VImage> rendered;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string markup = text::xml_escape(lines[i]);
    if (i == 0) markup = "<b>" + markup + "</b>";
    rendered.push_back(VImage::text(
        markup.c_str(),
        VImage::option()->set("font", kMarkFont)->set("dpi", kRenderDpi)->set("width", ink.width)));
    ink.slot_top.push_back(ink.height);
    ink.slot_height.push_back(std::max(pitch, rendered.back().height() + pitch / 4));
    ink.height += ink.slot_height.back();
  }
  ink.pixels.assign(static_cast<size_t>(ink.width) * ink.height, 0);
  for (size_t i = 0; i < rendered.size(); ++i) {
    VImage line = rendered[i].cast(VIPS_FORMAT_UCHAR);
    size_t size = 0;
    auto* data = static_cast<unsigned char*>(line.write_to_memory(&size));
    const int w = std::min(line.width(), ink.width), h = line.height();
    const int x0 = (ink.width - w) / 2;
    // Each line's ink sits in the middle of its slot, whatever its
    // diacritics, so the lines keep an even pitch.
    const int y0 = ink.slot_top[i] + (ink.slot_height[i] - h) / 2;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        ink.pixels[static_cast<size_t>(y0 + y) * ink.width + x0 + x] =
            data[static_cast<size_t>(y) * line.width() + x];
      }
    }
    g_free(data);
  }
  return ink;
}

// A 1-bit stencil mask of the ink: 0 bits paint (the ImageMask default).
std::string stencil_bits(const Ink& ink) {
  const int row_bytes = (ink.width + 7) / 8;
  std::string bits(static_cast<size_t>(row_bytes) * ink.height, '\xFF');
  for (int y = 0; y < ink.height; ++y) {
    for (int x = 0; x < ink.width; ++x) {
      if (ink.pixels[static_cast<size_t>(y) * ink.width + x] >= 128) {
        bits[static_cast<size_t>(y) * row_bytes + x / 8] &= static_cast<char>(~(0x80 >> (x % 8)));
      }
    }
  }
  return bits;
}

// UTF-16BE hex of UTF-8 text, as the glyphless font of the text layer reads
// it (Identity-H CIDs equal to UTF-16 code units).
std::string utf16_hex(const std::string& utf8) {
  std::string units = QUtil::utf8_to_utf16(utf8).substr(2);  // without the BOM
  std::string out;
  for (unsigned char c : units) {
    char buf[3];
    std::snprintf(buf, sizeof buf, "%02X", c);
    out += buf;
  }
  return out;
}

// The page's glyphless text-layer font, by its resource name.
std::string glyphless_font_name(QPDFPageObjectHelper& page) {
  QOH fonts = page.getObjectHandle().getKey("/Resources").getKey("/Font");
  if (fonts.isDictionary()) {
    for (auto& [name, font] : fonts.getDictAsMap()) {
      if (font.getKey("/BaseFont").isNameAndEquals("/GlyphLessFont")) return name;
    }
  }
  throw std::runtime_error("page 1 has no text layer font: not a sohoa searchable PDF");
}

constexpr const char* kSohoaNs = "https://sohoa.vn/ns/copy/1.0/";

// XMP holding the document's SHA-256, and the PDF/A extension schema that
// declares the property (PDF/A admits only declared custom properties).
std::string xmp_additions(const std::string& document_sha256) {
  return std::string(
             "  <rdf:Description rdf:about=\"\"\n"
             "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
             "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
             "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
             "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
             "    <pdfaSchema:schema>sohoa certified copy</pdfaSchema:schema>\n"
             "    <pdfaSchema:namespaceURI>") +
         kSohoaNs +
         "</pdfaSchema:namespaceURI>\n"
         "    <pdfaSchema:prefix>sohoa</pdfaSchema:prefix>\n"
         "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
         "     <pdfaProperty:name>sha256</pdfaProperty:name>\n"
         "     <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
         "     <pdfaProperty:category>external</pdfaProperty:category>\n"
         "     <pdfaProperty:description>SHA-256 of the sohoa document this PDF copies"
         "</pdfaProperty:description>\n"
         "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
         "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
         "  </rdf:Description>\n"
         "  <rdf:Description rdf:about=\"\" xmlns:sohoa=\"" +
         kSohoaNs + "\">\n   <sohoa:sha256>" + text::xml_escape(document_sha256) +
         "</sohoa:sha256>\n  </rdf:Description>\n";
}

void add_document_hash(QPDF& q, const std::string& document_sha256) {
  QOH metadata = q.getRoot().getKey("/Metadata");
  if (!metadata.isStream()) throw std::runtime_error("the PDF has no XMP metadata");
  std::shared_ptr<Buffer> data = metadata.getStreamData(qpdf_dl_all);
  std::string xmp(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  size_t end = xmp.rfind(" </rdf:RDF>");
  if (end == std::string::npos) throw std::runtime_error("the PDF's XMP has no rdf:RDF");
  xmp.insert(end, xmp_additions(document_sha256));
  metadata.replaceStreamData(xmp, QOH::newNull(), QOH::newNull());
}

// Draws the mark on `page`; returns its frame.
SignatureRect draw_mark(QPDF& q, QPDFPageObjectHelper& page,
                        const std::vector<std::string>& lines) {
  QPDFObjectHandle::Rectangle box = page.getMediaBox().getArrayAsRectangle();
  Ink ink = render_lines(lines);
  const double ink_w = px_to_pt(ink.width), ink_h = px_to_pt(ink.height);
  SignatureRect frame;
  frame.x2 = box.urx - kMarginPt;
  frame.y2 = box.ury - kMarginPt;
  frame.x1 = std::max(box.llx, frame.x2 - ink_w - 2 * kPaddingPt);
  frame.y1 = std::max(box.lly, frame.y2 - ink_h - 2 * kPaddingPt);
  const double ink_x = frame.x1 + kPaddingPt, ink_y = frame.y2 - kPaddingPt - ink_h;

  QOH mask = QOH::newStream(&q, stencil_bits(ink));
  mask.getDict().replaceKey("/Type", QOH::newName("/XObject"));
  mask.getDict().replaceKey("/Subtype", QOH::newName("/Image"));
  mask.getDict().replaceKey("/Width", QOH::newInteger(ink.width));
  mask.getDict().replaceKey("/Height", QOH::newInteger(ink.height));
  mask.getDict().replaceKey("/ImageMask", QOH::newBool(true));
  mask.getDict().replaceKey("/BitsPerComponent", QOH::newInteger(1));
  QOH resources = page.getObjectHandle().getKey("/Resources");
  QOH xobjects = resources.getKey("/XObject");
  if (!xobjects.isDictionary()) {
    xobjects = QOH::newDictionary();
    resources.replaceKey("/XObject", xobjects);
  }
  xobjects.replaceKey("/SohoaCopyMark", mask);

  const std::string font = glyphless_font_name(page);
  // Dark blue: the mark stays legible where it lies over the black scan.
  std::string content = "q 0 0 0.55 rg\nq " + fmt(ink_w) + " 0 0 " + fmt(ink_h) + " " + fmt(ink_x) +
                        " " + fmt(ink_y) + " cm /SohoaCopyMark Do Q\n";
  content += "0 0 0.55 RG 0.8 w " + fmt(frame.x1) + " " + fmt(frame.y1) + " " +
             fmt(frame.x2 - frame.x1) + " " + fmt(frame.y2 - frame.y1) + " re S\n";
  // The same lines as invisible text, one per slot, squeezed to the mark's
  // width (the glyphless font's glyphs are half an em wide), for search and
  // copy.
  content += "BT 3 Tr " + font + " " + fmt(kFontPt) + " Tf\n";
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string hex = utf16_hex(lines[i]);
    const double natural = static_cast<double>(hex.size() / 4) * 0.5 * kFontPt;
    const double scale = natural > ink_w ? 100.0 * ink_w / natural : 100.0;
    const double baseline = ink_y + ink_h - px_to_pt(ink.slot_top[i]) -
                            0.5 * px_to_pt(ink.slot_height[i]) - 0.35 * kFontPt;
    content +=
        fmt(scale) + " Tz 1 0 0 1 " + fmt(ink_x) + " " + fmt(baseline) + " Tm <" + hex + "> Tj\n";
  }
  content += "ET\nQ\n";
  page.addPageContents(QOH::newStream(&q, content), false);
  return frame;
}

std::string write_classic(QPDF& q) {
  QPDFWriter writer(q);
  writer.setOutputMemory();
  writer.setMinimumPDFVersion("1.7");
  // A classic xref table: the signature's incremental update extends it.
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.setStreamDataMode(qpdf_s_compress);
  writer.setDeterministicID(true);
  writer.write();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

std::string iso_date(std::time_t t) {
  std::tm tm = vietnam_time(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::vector<std::string> copy_mark_lines(const CopyMark& mark) {
  std::tm tm = vietnam_time(mark.signed_at);
  char date[64], time[64];
  std::snprintf(date, sizeof date, "ngày %02d tháng %02d năm %04d", tm.tm_mday, tm.tm_mon + 1,
                tm.tm_year + 1900);
  std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
  std::string dated =
      mark.place.empty() ? "N" + std::string(date).substr(1) : mark.place + ", " + date;
  return {"SAO Y", mark.body, dated, std::string("Thời gian ký: ") + time, "Ký số: " + mark.signer};
}

std::string mark_copy(const std::string& pdf, const CopyMark& mark,
                      const std::string& document_sha256, SignatureRect& rect) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("export.pdf", pdf.data(), pdf.size());
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(q).getAllPages();
  if (pages.empty()) throw std::runtime_error("the PDF has no pages");
  rect = draw_mark(q, pages.front(), copy_mark_lines(mark));
  add_document_hash(q, document_sha256);
  return write_classic(q);
}

std::string certify_pdf(const std::string& pdf, const std::string& document_sha256,
                        const SigningCredentials& credentials, std::time_t now) {
  const CertificateSubject& who = credentials.subject();
  if (now < who.not_before) {
    throw SigningError("the certificate of " + who.common_name + " is not valid before " +
                       iso_date(who.not_before));
  }
  if (now > who.not_after) {
    throw SigningError("the certificate of " + who.common_name + " expired on " +
                       iso_date(who.not_after));
  }
  CopyMark mark;
  mark.body = who.organization.empty() ? who.common_name : who.organization;
  mark.place = who.locality;
  mark.signer = who.common_name;
  mark.signed_at = now;
  SignatureRequest request;
  request.signing_time = now;
  request.reason = "SAO Y";
  request.location = who.locality;
  std::string marked = mark_copy(pdf, mark, document_sha256, request.rect);
  return sign_pdf(marked, credentials, request);
}

}  // namespace sohoa::exports
