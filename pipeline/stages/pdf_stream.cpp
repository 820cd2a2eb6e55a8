#include "pipeline/stages/pdf_stream.h"

#include <fstream>
#include <qpdf/Pipeline.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDFExc.hh>
#include <regex>
#include <set>

namespace sohoa::pipeline {
namespace {

// Collects at most `budget` bytes; the first write past it throws, which
// makes qpdf stop inflating there.
class BudgetSink : public Pipeline {
 public:
  BudgetSink(size_t budget, bool keep)
      : Pipeline("sohoa budget sink", nullptr), budget_(budget), keep_(keep) {}
  void write(unsigned char const* data, size_t len) override {
    if (len > budget_ - seen_) {
      over_ = true;
      throw StreamOverBudget("stream over budget");
    }
    seen_ += len;
    if (keep_) data_.append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}
  bool over() const { return over_; }
  std::string take() { return std::move(data_); }

 private:
  size_t budget_;
  bool keep_;
  size_t seen_ = 0;
  bool over_ = false;
  std::string data_;
};

// The stream's decoded data through a BudgetSink (kept, or only counted).
std::string pipe_within(QPDFObjectHandle stream, size_t budget, bool keep) {
  BudgetSink sink(budget, keep);
  bool filtered = false;
  bool ok = false;
  try {
    ok = stream.pipeStreamData(&sink, &filtered, 0, qpdf_dl_generalized, true);
  } catch (const StreamOverBudget&) {
    throw;
  } catch (const std::exception& e) {
    if (sink.over()) throw StreamOverBudget("stream over budget");
    throw std::runtime_error(std::string("damaged stream: ") + e.what());
  }
  // qpdf may catch the sink's exception itself and report failure.
  if (sink.over()) throw StreamOverBudget("stream over budget");
  if (!ok) throw std::runtime_error("damaged stream data");
  QPDFObjectHandle filter = stream.getDict().getKey("/Filter");
  if (!filtered && (filter.isName() || (filter.isArray() && filter.getArrayNItems() > 0))) {
    throw std::runtime_error("unsupported stream filter");
  }
  return sink.take();
}

std::string read_at(std::ifstream& in, std::streamoff offset, size_t size) {
  std::string out(size, '\0');
  in.clear();
  in.seekg(offset);
  in.read(out.data(), static_cast<std::streamsize>(size));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

// The dictionary that starts at `text`'s first "<<", parsed by qpdf; null
// when there is none.
QPDFObjectHandle dictionary_in(const std::string& text, size_t from) {
  size_t open = text.find("<<", from);
  size_t end = text.find("stream", open == std::string::npos ? 0 : open);
  if (open == std::string::npos) return QPDFObjectHandle::newNull();
  std::string body = text.substr(open, end == std::string::npos ? std::string::npos : end - open);
  size_t close = body.rfind(">>");
  if (close == std::string::npos) return QPDFObjectHandle::newNull();
  try {
    // A scratch document for the references (/Root 1 0 R) a trailer holds.
    QPDF scratch;
    scratch.emptyPDF();
    QPDFObjectHandle dict =
        QPDFObjectHandle::parse(&scratch, body.substr(0, close + 2), "xref check");
    return dict.isDictionary() ? dict : QPDFObjectHandle::newNull();
  } catch (const std::exception&) {
    return QPDFObjectHandle::newNull();
  }
}

int64_t integer_of(QPDFObjectHandle dict, const char* key) {
  QPDFObjectHandle value = dict.getKey(key);
  return value.isInteger() ? value.getIntValue() : -1;
}

// Throws when the Flate cross-reference stream whose object starts at
// `offset` inflates past its entries' size; pushes its /Prev.
void check_xref_stream_at(std::ifstream& in, std::streamoff offset, const std::string& head,
                          QPDFObjectHandle dict, std::vector<int64_t>& next) {
  if (integer_of(dict, "/Prev") >= 0) next.push_back(integer_of(dict, "/Prev"));
  if (dict.getKey("/Filter").isNull()) return;
  std::string filter = dict.getKey("/Filter").isName() ? dict.getKey("/Filter").getName() : "";
  int64_t length = integer_of(dict, "/Length"), size = integer_of(dict, "/Size");
  QPDFObjectHandle w = dict.getKey("/W");
  if (filter != "/FlateDecode" || length < 0 || size < 0 || !w.isArray()) return;
  int64_t row = 1;  // a PNG predictor's tag byte
  for (auto& item : w.getArrayAsVector()) row += item.isInteger() ? item.getIntValue() : 0;
  size_t data = head.find("stream");
  if (data == std::string::npos) return;
  data += 6;
  if (head.compare(data, 2, "\r\n") == 0) {
    data += 2;
  } else if (data < head.size() && (head[data] == '\n' || head[data] == '\r')) {
    ++data;
  }
  const size_t budget = static_cast<size_t>(size) * static_cast<size_t>(row) + 4096;
  BudgetSink sink(budget, false);
  Pl_Flate inflate("xref check", &sink, Pl_Flate::a_inflate);
  in.clear();
  in.seekg(offset + static_cast<std::streamoff>(data));
  std::vector<char> buf(1 << 16);
  int64_t left = length;
  try {
    while (left > 0 && in) {
      in.read(buf.data(), static_cast<std::streamsize>(std::min<int64_t>(left, buf.size())));
      if (in.gcount() <= 0) break;
      inflate.write(reinterpret_cast<unsigned char*>(buf.data()), static_cast<size_t>(in.gcount()));
      left -= in.gcount();
    }
  } catch (const StreamOverBudget&) {
    throw std::runtime_error("cross-reference stream inflates past its " + std::to_string(size) +
                             " entries (a decompression bomb)");
  } catch (const std::exception&) {
    // Damaged data: qpdf's to report or recover from.
  }
}

}  // namespace

void check_xref_streams(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  auto file_size = std::filesystem::file_size(path, ec);
  if (!in || ec) return;
  std::string tail =
      read_at(in, static_cast<std::streamoff>(file_size > 1024 ? file_size - 1024 : 0), 1024);
  size_t at = tail.rfind("startxref");
  if (at == std::string::npos) return;
  std::vector<int64_t> next = {std::atoll(tail.c_str() + at + 9)};
  std::vector<int64_t> seen;
  static const std::regex object_head(R"(^\s*\d+\s+\d+\s+obj)");
  while (!next.empty() && seen.size() < 64) {
    int64_t offset = next.back();
    next.pop_back();
    if (offset <= 0 || static_cast<uintmax_t>(offset) >= file_size ||
        std::find(seen.begin(), seen.end(), offset) != seen.end()) {
      continue;
    }
    seen.push_back(offset);
    std::string head = read_at(in, offset, 8192);
    if (std::regex_search(head, object_head)) {
      QPDFObjectHandle dict = dictionary_in(head, 0);
      if (dict.isDictionary()) check_xref_stream_at(in, offset, head, dict, next);
    } else if (head.compare(head.find_first_not_of(" \r\n\t"), 4, "xref") == 0) {
      // A classic table: its trailer may name a stream (/XRefStm) and /Prev.
      size_t trailer = head.find("trailer");
      if (trailer == std::string::npos) {
        trailer = read_at(in, offset, 1 << 20).find("trailer");
        if (trailer == std::string::npos) continue;
        head = read_at(in, offset + static_cast<std::streamoff>(trailer), 8192);
        trailer = 0;
      }
      QPDFObjectHandle dict = dictionary_in(head, trailer);
      if (!dict.isDictionary()) continue;
      if (integer_of(dict, "/Prev") >= 0) next.push_back(integer_of(dict, "/Prev"));
      if (integer_of(dict, "/XRefStm") >= 0) next.push_back(integer_of(dict, "/XRefStm"));
    }
  }
}

void open_pdf(QPDF& pdf, const std::filesystem::path& path) {
  check_xref_streams(path);
  pdf.setSuppressWarnings(true);
  try {
    // No password given: qpdf tries the empty user password, which is all an
    // owner-password-only file needs.
    pdf.processFile(path.c_str());
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) throw std::runtime_error("encrypted PDF (password)");
    throw std::runtime_error(std::string("unreadable PDF: ") + e.what());
  }
}

std::string decoded_stream_data(QPDFObjectHandle stream, size_t budget) {
  return pipe_within(stream, budget, true);
}

void check_object_streams(QPDF& pdf) {
  constexpr size_t kObjectStreamBudget = 64u << 20;
  std::set<int> numbers;
  for (const auto& [id, entry] : pdf.getXRefTable()) {
    if (entry.getType() == 2) numbers.insert(entry.getObjStreamNumber());
  }
  for (int number : numbers) {
    QPDFObjectHandle stream = pdf.getObjectByID(number, 0);
    if (!stream.isStream()) continue;  // qpdf reports the damage when it is used
    try {
      pipe_within(stream, kObjectStreamBudget, false);
    } catch (const StreamOverBudget&) {
      throw std::runtime_error("object stream " + std::to_string(number) + " inflates past " +
                               std::to_string(kObjectStreamBudget >> 20) +
                               " MB (a decompression bomb)");
    } catch (const std::runtime_error&) {
      // Damaged data is qpdf's to report, or to recover from, when used.
    }
  }
}

}  // namespace sohoa::pipeline
