#include "pipeline/stages/pdf_stream.h"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDFExc.hh>
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

}  // namespace

void open_pdf(QPDF& pdf, const std::filesystem::path& path) {
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
