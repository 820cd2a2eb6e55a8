#include "export/pdf.h"

#include <lcms2.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <stdexcept>
#include <vector>

#include "export/glyphless_font.h"
#include "text/xml.h"

namespace sohoa::exports {
namespace {

using QOH = QPDFObjectHandle;

constexpr const char* kProducer = "sohoa 0.1.0";

// --- page images ---

struct EncodedImage {
  std::string data;
  PdfImageStats stats;
  bool black_is_1 = false;
  bool png_predictor = false;  // Flate only
};

using PixPtr = std::unique_ptr<PIX, void (*)(PIX*)>;

void destroy_pix(PIX* pix) { pixDestroy(&pix); }

PixPtr grey_pix(const cv::Mat& grey, int dpi) {
  PixPtr pix(pixCreate(grey.cols, grey.rows, 8), destroy_pix);
  if (!pix) throw std::runtime_error("out of memory for a page image");
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < grey.rows; ++y) {
    const uint8_t* row = grey.ptr<uint8_t>(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < grey.cols; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

// Leptonica's 1 bpp convention: a set bit is black.
PixPtr bilevel_pix(const cv::Mat& grey, int dpi) {
  PixPtr pix(pixCreate(grey.cols, grey.rows, 1), destroy_pix);
  if (!pix) throw std::runtime_error("out of memory for a page image");
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < grey.rows; ++y) {
    const uint8_t* row = grey.ptr<uint8_t>(y);
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < grey.cols; ++x) {
      if (row[x] < 128) SET_DATA_BIT(line, x);
    }
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

EncodedImage compress(PIX* pix, int type, int quality) {
  L_COMP_DATA* cid = nullptr;
  if (pixGenerateCIData(pix, type, quality, 0, &cid) != 0 || cid == nullptr) {
    throw std::runtime_error("cannot compress a page image");
  }
  EncodedImage out;
  out.data.assign(reinterpret_cast<const char*>(cid->datacomp), cid->nbytescomp);
  out.black_is_1 = cid->minisblack != 0;
  out.png_predictor = cid->predictor != 0;
  l_CIDataDestroy(&cid);
  out.stats.bilevel = type == L_G4_ENCODE;
  out.stats.jpeg_quality = type == L_JPEG_ENCODE ? quality : 0;
  out.stats.lossless = type == L_FLATE_ENCODE;
  out.stats.bytes = out.data.size();
  return out;
}

EncodedImage encode_page_image(const cv::Mat& grey, int dpi, size_t max_bytes, bool bilevel) {
  if (bilevel || is_bilevel(grey)) return compress(bilevel_pix(grey, dpi).get(), L_G4_ENCODE, 0);
  PixPtr pix = grey_pix(grey, dpi);
  EncodedImage best = compress(pix.get(), L_JPEG_ENCODE, 75);
  if (max_bytes == 0 || best.data.size() <= max_bytes) return best;
  // A clean page saved losslessly (PNG) can be smaller than a good JPEG of
  // it; lossless Flate is then both better and within the original's size.
  EncodedImage flate = compress(pix.get(), L_FLATE_ENCODE, 0);
  if (flate.data.size() <= max_bytes) return flate;
  for (int quality : {60, 45, 30}) {
    best = compress(pix.get(), L_JPEG_ENCODE, quality);
    if (best.data.size() <= max_bytes) return best;
  }
  return flate.data.size() < best.data.size() ? flate : best;
}

QOH image_xobject(QPDF& pdf, const EncodedImage& image, int width, int height) {
  QOH dict = QOH::newDictionary();
  dict.replaceKey("/Type", QOH::newName("/XObject"));
  dict.replaceKey("/Subtype", QOH::newName("/Image"));
  dict.replaceKey("/Width", QOH::newInteger(width));
  dict.replaceKey("/Height", QOH::newInteger(height));
  dict.replaceKey("/ColorSpace", QOH::newName("/DeviceGray"));
  dict.replaceKey("/BitsPerComponent", QOH::newInteger(image.stats.bilevel ? 1 : 8));
  QOH stream = QOH::newStream(&pdf);
  stream.replaceDict(dict);
  if (image.stats.bilevel) {
    QOH parms = QOH::newDictionary();
    parms.replaceKey("/K", QOH::newInteger(-1));
    parms.replaceKey("/Columns", QOH::newInteger(width));
    parms.replaceKey("/Rows", QOH::newInteger(height));
    if (image.black_is_1) parms.replaceKey("/BlackIs1", QOH::newBool(true));
    stream.replaceStreamData(image.data, QOH::newName("/CCITTFaxDecode"), parms);
  } else if (image.stats.lossless) {
    QOH parms = QOH::newNull();
    if (image.png_predictor) {
      parms = QOH::newDictionary();
      parms.replaceKey("/Predictor", QOH::newInteger(14));
      parms.replaceKey("/Colors", QOH::newInteger(1));
      parms.replaceKey("/BitsPerComponent", QOH::newInteger(8));
      parms.replaceKey("/Columns", QOH::newInteger(width));
    }
    stream.replaceStreamData(image.data, QOH::newName("/FlateDecode"), parms);
  } else {
    stream.replaceStreamData(image.data, QOH::newName("/DCTDecode"), QOH::newNull());
  }
  return stream;
}

// --- text layer ---

// UTF-16 code units of UTF-8 text, as big-endian hex: the glyphless font is
// addressed by Identity-H CIDs equal to the code units, and its ToUnicode
// map sends each CID back to the same code unit.
std::string utf16_hex(const std::string& utf8) {
  std::string hex;
  char buf[5];
  auto put = [&](unsigned unit) {
    std::snprintf(buf, sizeof buf, "%04X", unit & 0xFFFF);
    hex += buf;
  };
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    unsigned cp = 0xFFFD;
    int len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 6 && i + 1 < utf8.size()) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      len = 2;
    } else if ((c >> 4) == 14 && i + 2 < utf8.size()) {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      len = 3;
    } else if ((c >> 3) == 30 && i + 3 < utf8.size()) {
      cp = ((c & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) |
           (utf8[i + 3] & 0x3F);
      len = 4;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return hex;
}

// Maps layout pixels onto page points (origin bottom left).
struct PageGeometry {
  double sx = 1;  // points per layout pixel, horizontally
  double sy = 1;
  double height_pt = 0;
  double x(int px) const { return px * sx; }
  double y(int py) const { return height_pt - py * sy; }
};

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// One line of words. Each word but the last carries a trailing space,
// stretched to reach the next word, so copied text has its spaces; the line
// box gives one baseline and size to all words, so readers keep them on one
// line.
void append_line(std::string& content, const ocr::Line& line, const PageGeometry& g) {
  if (line.words.empty() || line.box.h <= 0) return;
  const double size = line.box.h * g.sy;
  const double baseline = g.y(line.box.y + line.box.h);
  content += "/F0 " + fmt(size) + " Tf\n";
  for (size_t i = 0; i < line.words.size(); ++i) {
    const ocr::Word& word = line.words[i];
    const bool last = i + 1 == line.words.size();
    std::string hex = utf16_hex(last ? word.text : word.text + " ");
    const size_t units = hex.size() / 4;
    if (units == 0) continue;
    int width_px = last ? word.box.w : line.words[i + 1].box.x - word.box.x;
    if (width_px <= 0) width_px = std::max(1, word.box.w);
    const double natural = units * 0.5 * size;
    const double scale = 100.0 * width_px * g.sx / natural;
    content += fmt(scale) + " Tz 1 0 0 1 " + fmt(g.x(word.box.x)) + " " + fmt(baseline) + " Tm <" +
               hex + "> Tj\n";
  }
}

std::string page_content(int width_pt_x100, int height_pt_x100, const ocr::PageText& layout,
                         const PageGeometry& g) {
  std::string content = "q " + fmt(width_pt_x100 / 100.0) + " 0 0 " + fmt(height_pt_x100 / 100.0) +
                        " 0 0 cm /Im0 Do Q\n";
  content += "BT 3 Tr\n";
  for (const auto& block : layout.blocks) {
    for (const auto& line : block.lines) append_line(content, line, g);
  }
  content += "ET\n";
  return content;
}

const char* kToUnicode =
    "/CIDInit /ProcSet findresource begin\n"
    "12 dict begin\n"
    "begincmap\n"
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
    "/CMapName /Adobe-Identity-UCS def\n"
    "/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n"
    "endcmap\n"
    "CMapName currentdict /defineresource get exec\n"
    "end\n"
    "end\n";

// Every CID shows glyph 1 (never .notdef, which PDF/A forbids to reference).
std::string cid_to_gid_map() {
  std::string map(2 * 65536, '\0');
  for (size_t i = 1; i < map.size(); i += 2) map[i] = 1;
  return map;
}

QOH glyphless_font_object(QPDF& pdf) {
  QOH file = QOH::newStream(&pdf, glyphless_font());
  file.getDict().replaceKey("/Length1", QOH::newInteger(glyphless_font().size()));
  QOH descriptor = pdf.makeIndirectObject(QOH::parse(
      "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 500 1000]"
      " /ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>"));
  descriptor.replaceKey("/FontFile2", file);
  QOH cid_font = pdf.makeIndirectObject(
      QOH::parse("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont"
                 " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                 " /DW 500 >>"));
  cid_font.replaceKey("/FontDescriptor", descriptor);
  cid_font.replaceKey("/CIDToGIDMap", QOH::newStream(&pdf, cid_to_gid_map()));
  QOH font = pdf.makeIndirectObject(QOH::parse(
      "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H >>"));
  font.replaceKey("/DescendantFonts", QOH::newArray({cid_font}));
  font.replaceKey("/ToUnicode", QOH::newStream(&pdf, kToUnicode));
  return font;
}

// --- document metadata ---

bool is_iso_date(const std::string& d) { return d.size() == 10 && d[4] == '-' && d[7] == '-'; }

// "2022-06-03" -> "D:20220603000000+00'00'" (info) and
// "2022-06-03T00:00:00+00:00" (XMP): the same instant, as PDF/A requires.
std::string pdf_date(const std::string& iso) {
  return "D:" + iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "000000+00'00'";
}
std::string xmp_date(const std::string& iso) { return iso + "T00:00:00+00:00"; }

std::string xmp_packet(const PdfInfo& info) {
  std::string x =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "  <rdf:Description rdf:about=\"\"\n"
      "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      "   <pdfaid:part>2</pdfaid:part>\n"
      "   <pdfaid:conformance>B</pdfaid:conformance>\n"
      "   <dc:format>application/pdf</dc:format>\n";
  if (!info.title.empty()) {
    x += "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + text::xml_escape(info.title) +
         "</rdf:li></rdf:Alt></dc:title>\n";
  }
  if (!info.author.empty()) {
    x += "   <dc:creator><rdf:Seq><rdf:li>" + text::xml_escape(info.author) +
         "</rdf:li></rdf:Seq></dc:creator>\n";
  }
  if (!info.subject.empty()) {
    x += "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
         text::xml_escape(info.subject) + "</rdf:li></rdf:Alt></dc:description>\n";
  }
  if (!info.language.empty()) {
    x += "   <dc:language><rdf:Bag><rdf:li>" + text::xml_escape(info.language) +
         "</rdf:li></rdf:Bag></dc:language>\n";
  }
  if (is_iso_date(info.creation_date)) {
    x += "   <xmp:CreateDate>" + xmp_date(info.creation_date) + "</xmp:CreateDate>\n";
  }
  x += "   <xmp:CreatorTool>" + std::string(kProducer) + "</xmp:CreatorTool>\n";
  x += "   <pdf:Producer>" + std::string(kProducer) + "</pdf:Producer>\n";
  x += "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
  return x;
}

QOH info_dictionary(QPDF& pdf, const PdfInfo& info) {
  QOH dict = QOH::newDictionary();
  if (!info.title.empty()) dict.replaceKey("/Title", QOH::newUnicodeString(info.title));
  if (!info.author.empty()) dict.replaceKey("/Author", QOH::newUnicodeString(info.author));
  if (!info.subject.empty()) dict.replaceKey("/Subject", QOH::newUnicodeString(info.subject));
  if (is_iso_date(info.creation_date)) {
    dict.replaceKey("/CreationDate", QOH::newString(pdf_date(info.creation_date)));
  }
  dict.replaceKey("/Creator", QOH::newString(kProducer));
  dict.replaceKey("/Producer", QOH::newString(kProducer));
  return pdf.makeIndirectObject(dict);
}

std::string srgb_icc_profile() {
  cmsHPROFILE profile = cmsCreate_sRGBProfile();
  if (profile == nullptr) throw std::runtime_error("cannot create the sRGB colour profile");
  cmsUInt32Number size = 0;
  std::string bytes;
  if (cmsSaveProfileToMem(profile, nullptr, &size) && size > 0) {
    bytes.resize(size);
    if (!cmsSaveProfileToMem(profile, bytes.data(), &size)) bytes.clear();
  }
  cmsCloseProfile(profile);
  if (bytes.size() < 128) throw std::runtime_error("cannot write the sRGB colour profile");
  // lcms stamps the profile's header with the current time; a fixed date
  // (2000-01-01) and no profile ID keep one document's PDF the same bytes
  // whenever it is exported.
  const unsigned char fixed_date[12] = {0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
  std::copy(std::begin(fixed_date), std::end(fixed_date), bytes.begin() + 24);
  std::fill(bytes.begin() + 84, bytes.begin() + 100, '\0');
  return bytes;
}

QOH output_intent(QPDF& pdf) {
  QOH profile = QOH::newStream(&pdf, srgb_icc_profile());
  profile.getDict().replaceKey("/N", QOH::newInteger(3));
  QOH intent = QOH::parse(
      "<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1)"
      " /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) >>");
  intent.replaceKey("/DestOutputProfile", profile);
  return pdf.makeIndirectObject(intent);
}

}  // namespace

bool is_bilevel(const cv::Mat& grey) {
  if (grey.empty()) return false;
  cv::Mat mid;
  cv::inRange(grey, cv::Scalar(1), cv::Scalar(254), mid);
  // A few grey pixels (a resampled edge, a stray mark) do not make a grey page.
  return cv::countNonZero(mid) <= static_cast<int>(grey.total() / 200);
}

struct SearchablePdf::Impl {
  QPDF pdf;
  QOH font;
  int pages = 0;
};

SearchablePdf::SearchablePdf(const PdfInfo& info) : impl_(std::make_unique<Impl>()) {
  QPDF& pdf = impl_->pdf;
  pdf.emptyPDF();
  impl_->font = glyphless_font_object(pdf);
  pdf.getTrailer().replaceKey("/Info", info_dictionary(pdf, info));
  QOH root = pdf.getRoot();
  QOH metadata = QOH::newStream(&pdf, xmp_packet(info));
  metadata.getDict().replaceKey("/Type", QOH::newName("/Metadata"));
  metadata.getDict().replaceKey("/Subtype", QOH::newName("/XML"));
  root.replaceKey("/Metadata", metadata);
  root.replaceKey("/OutputIntents", QOH::newArray({output_intent(pdf)}));
  if (!info.language.empty()) root.replaceKey("/Lang", QOH::newString(info.language));
}

SearchablePdf::~SearchablePdf() = default;

int SearchablePdf::page_count() const { return impl_->pages; }

PdfImageStats SearchablePdf::add_page(const cv::Mat& grey, int dpi, const ocr::PageText& layout,
                                      size_t max_image_bytes, bool scanned_bilevel) {
  if (grey.empty() || grey.type() != CV_8UC1) throw std::runtime_error("page image is not grey");
  if (dpi <= 0) dpi = 300;
  QPDF& pdf = impl_->pdf;
  EncodedImage image = encode_page_image(grey, dpi, max_image_bytes, scanned_bilevel);

  // Sizes in hundredths of a point, so the media box and the image agree.
  const int width_x100 = static_cast<int>(std::lround(grey.cols * 7200.0 / dpi));
  const int height_x100 = static_cast<int>(std::lround(grey.rows * 7200.0 / dpi));
  PageGeometry g;
  g.height_pt = height_x100 / 100.0;
  g.sx = width_x100 / 100.0 / (layout.width > 0 ? layout.width : grey.cols);
  g.sy = height_x100 / 100.0 / (layout.height > 0 ? layout.height : grey.rows);

  QOH xobjects = QOH::newDictionary();
  xobjects.replaceKey("/Im0", image_xobject(pdf, image, grey.cols, grey.rows));
  QOH resources = QOH::newDictionary();
  resources.replaceKey("/XObject", xobjects);
  QOH fonts = QOH::newDictionary();
  fonts.replaceKey("/F0", impl_->font);
  resources.replaceKey("/Font", fonts);

  QOH page = QOH::newDictionary();
  page.replaceKey("/Type", QOH::newName("/Page"));
  page.replaceKey("/MediaBox", QOH::newArray({QOH::newInteger(0), QOH::newInteger(0),
                                              QOH::newReal(width_x100 / 100.0, 2),
                                              QOH::newReal(height_x100 / 100.0, 2)}));
  page.replaceKey("/Resources", resources);
  page.replaceKey("/Contents",
                  QOH::newStream(&pdf, page_content(width_x100, height_x100, layout, g)));
  pdf.addPage(pdf.makeIndirectObject(page), false);
  ++impl_->pages;
  return image.stats;
}

std::string SearchablePdf::bytes() {
  QPDFWriter writer(impl_->pdf);
  writer.setOutputMemory();
  writer.setMinimumPDFVersion("1.7");
  // Same document, same bytes: the file ID comes from the content.
  writer.setDeterministicID(true);
  writer.setStreamDataMode(qpdf_s_compress);
  writer.write();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace sohoa::exports
