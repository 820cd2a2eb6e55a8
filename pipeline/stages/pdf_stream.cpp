#include "pipeline/stages/pdf_stream.h"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDFExc.hh>

namespace sohoa::pipeline {
namespace {

// Collects at most `budget` bytes; the first write past it throws, which
// makes qpdf stop inflating there.
class BudgetSink : public Pipeline {
 public:
  explicit BudgetSink(size_t budget) : Pipeline("sohoa budget sink", nullptr), budget_(budget) {}
  void write(unsigned char const* data, size_t len) override {
    if (len > budget_ - data_.size()) {
      over_ = true;
      throw StreamOverBudget("stream over budget");
    }
    data_.append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}
  bool over() const { return over_; }
  std::string take() { return std::move(data_); }

 private:
  size_t budget_;
  bool over_ = false;
  std::string data_;
};

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
  BudgetSink sink(budget);
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

}  // namespace sohoa::pipeline
