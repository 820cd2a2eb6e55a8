// Certified copies on a PDF built in the test: the copy mark, the signature
// as poppler's pdfsig and qpdf see it, and verify_pdf against every kind of
// tampering. Keys from PEM, encrypted PEM, PKCS#12 and a SoftHSM2 token.
#include "export/certify.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <regex>

#include "export/pdf.h"
#include "tests/support/export_test_util.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace sohoa::exports;
using sohoa::export_test::tool;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::TestPki;
using sohoa::testing::write_file;

const std::string kDocSha = std::string(32, 'a') + std::string(32, '7');

// An A4 page at 300 dpi with one line of words drawn as bars, as a
// searchable PDF from the exporter.
std::string searchable_pdf() {
  cv::Mat image(3508, 2480, CV_8UC1, cv::Scalar(255));
  sohoa::ocr::PageText layout;
  layout.width = image.cols;
  layout.height = image.rows;
  sohoa::ocr::Block block;
  sohoa::ocr::Line line;
  line.words = {{"GIẤY", {300, 800, 200, 60}, 90},
                {"KHAI", {540, 800, 200, 60}, 90},
                {"SINH", {780, 800, 200, 60}, 90}};
  line.text = "GIẤY KHAI SINH";
  line.box = {300, 800, 680, 60};
  for (const auto& w : line.words) {
    cv::rectangle(image, cv::Rect(w.box.x, w.box.y, w.box.w, w.box.h), cv::Scalar(0), cv::FILLED);
  }
  block.lines.push_back(line);
  block.box = line.box;
  layout.blocks.push_back(block);
  PdfInfo info;
  info.title = "GIẤY KHAI SINH 12/GKS";
  SearchablePdf pdf(info);
  pdf.add_page(image, 300, layout);
  pdf.add_page(image, 300, layout);
  return pdf.bytes();
}

SecretSource secrets(std::optional<std::string> passphrase, std::optional<std::string> pin = {}) {
  return [=](const std::string& what) { return what.rfind("PIN", 0) == 0 ? pin : passphrase; };
}

class CertifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(sohoa::testing::make_test_pki(dir_->path()));
    unsigned_ = new std::string(searchable_pdf());
    credentials_ = new SigningCredentials(
        SigningCredentials::load(pki_->unit_pem, pki_->unit_key.string(), {}, {}));
    now_ = std::time(nullptr);
    signed_ = new std::string(certify_pdf(*unsigned_, kDocSha, *credentials_, now_));
  }
  static void TearDownTestSuite() {
    delete credentials_;
    delete signed_;
    delete unsigned_;
    delete pki_;
    delete dir_;
  }

  // pdfsig's report of `bytes`.
  static std::string pdfsig(const std::string& bytes, const std::string& name) {
    fs::path file = dir_->path() / name;
    write_file(file, bytes);
    return run({tool("pdfsig"), file.string()}).out;
  }

  static SignatureCheck verify(const std::string& bytes, bool with_ca = true) {
    return verify_pdf(bytes, with_ca ? std::optional<fs::path>(pki_->ca_pem) : std::nullopt);
  }

  // Offset of the first byte of the page 1 content stream's data.
  static size_t page_content_offset(const std::string& pdf) {
    QPDF q;
    q.processMemoryFile("t.pdf", pdf.data(), pdf.size());
    QPDFObjectHandle contents =
        QPDFPageDocumentHelper(q).getAllPages().front().getObjectHandle().getKey("/Contents");
    if (contents.isArray()) contents = contents.getArrayItem(0);
    std::string head = std::to_string(contents.getObjectID()) + " 0 obj";
    size_t at = pdf.find("\n" + head);
    return pdf.find("stream\n", at) + 7;
  }

  // Offset and length (hex digits) of the DER inside /Contents.
  static std::pair<size_t, size_t> signature_hex(const std::string& pdf) {
    std::smatch m;
    std::regex br(R"(/ByteRange \[0 (\d+) (\d+) (\d+) *\])");
    std::string tail = pdf.substr(pdf.rfind("/ByteRange"));
    EXPECT_TRUE(std::regex_search(tail, m, br));
    size_t start = std::stoul(m[1]) + 1;
    // A DER SEQUENCE with a two-byte length: 30 82 HH LL.
    size_t len = std::stoul(pdf.substr(start + 4, 4), nullptr, 16) + 4;
    return {start, 2 * len};
  }

  static TempDir* dir_;
  static TestPki* pki_;
  static std::string* unsigned_;
  static std::string* signed_;
  static SigningCredentials* credentials_;
  static std::time_t now_;
};

TempDir* CertifyTest::dir_ = nullptr;
TestPki* CertifyTest::pki_ = nullptr;
std::string* CertifyTest::unsigned_ = nullptr;
std::string* CertifyTest::signed_ = nullptr;
SigningCredentials* CertifyTest::credentials_ = nullptr;
std::time_t CertifyTest::now_ = 0;

TEST(CopyMark, LinesFollowTheDecreeFormInVietnamTime) {
  CopyMark mark{"Ủy ban nhân dân xã Hòa Đồng", "Hòa Đồng", "UBND xã Hòa Đồng", 1798736937};
  // 1798736937 = 2026-12-31T17:08:57Z: already 1 January 2027 in Vietnam.
  std::vector<std::string> want = {
      "SAO Y", "Ủy ban nhân dân xã Hòa Đồng", "Hòa Đồng, ngày 01 tháng 01 năm 2027",
      "Thời gian ký: 2027-01-01T00:08:57+07:00", "Ký số: UBND xã Hòa Đồng"};
  EXPECT_EQ(copy_mark_lines(mark), want);
  mark.place.clear();
  EXPECT_EQ(copy_mark_lines(mark)[2], "Ngày 01 tháng 01 năm 2027");
}

TEST_F(CertifyTest, CredentialsNameTheUnit) {
  const CertificateSubject& s = credentials_->subject();
  EXPECT_EQ(s.common_name, TestPki::kSigner);
  EXPECT_EQ(s.organization, TestPki::kBody);
  EXPECT_EQ(s.locality, TestPki::kPlace);
  EXPECT_TRUE(std::regex_match(s.fingerprint, std::regex("[0-9a-f]{64}")));
  EXPECT_LT(s.not_before, now_ + 1);
  EXPECT_GT(s.not_after, now_ + 9 * 86400);
}

TEST_F(CertifyTest, SignedCopyIsValidForOurVerifierAndPoppler) {
  ASSERT_EQ(signed_->compare(0, 5, "%PDF-"), 0);
  SignatureCheck c = verify(*signed_);
  EXPECT_TRUE(c.is_signed);
  EXPECT_TRUE(c.valid) << c.problem;
  EXPECT_EQ(c.signer, TestPki::kSigner);
  EXPECT_EQ(c.document_sha256, kDocSha);
  EXPECT_EQ(c.cert_fingerprint, credentials_->subject().fingerprint);
  std::tm tm{};
  gmtime_r(&now_, &tm);
  char want[32];
  std::strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
  EXPECT_EQ(c.signed_at, want);

  std::string report = pdfsig(*signed_, "good.pdf");
  EXPECT_NE(report.find("Signature is Valid"), std::string::npos) << report;
  EXPECT_NE(report.find("Total document signed"), std::string::npos) << report;
  EXPECT_NE(report.find("SHA-256"), std::string::npos) << report;
  EXPECT_NE(report.find("ETSI.CAdES.detached"), std::string::npos) << report;
  EXPECT_NE(report.find(std::string("Common Name: ") + TestPki::kSigner), std::string::npos);
}

TEST_F(CertifyTest, CmsCarriesThePadesAttributes) {
  auto [start, len] = signature_hex(*signed_);
  std::string der;
  for (size_t i = 0; i < len; i += 2) {
    der += static_cast<char>(std::stoi(signed_->substr(start + i, 2), nullptr, 16));
  }
  fs::path file = dir_->path() / "sig.der";
  write_file(file, der);
  RunResult cms =
      run({"/usr/bin/openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", file.string()});
  ASSERT_EQ(cms.exit_code, 0) << cms.err;
  for (const char* want :
       {"id-smime-aa-signingCertificateV2", "signingTime", "messageDigest", "contentType",
        "sha256 (2.16.840.1.101.3.4.2.1)", "eContent: <ABSENT>"}) {
    EXPECT_NE(cms.out.find(want), std::string::npos) << want;
  }
  EXPECT_EQ(cms.out.find("smimeCapabilities"), std::string::npos);
  EXPECT_NE(cms.out.find("CN=sohoa test CA"), std::string::npos);  // the certificate is embedded
}

TEST_F(CertifyTest, SignatureIsAnIncrementalUpdateOfTheMarkedFile) {
  // The signed bytes start with a complete PDF of their own, untouched.
  size_t first_eof = signed_->find("%%EOF\n");
  ASSERT_NE(first_eof, std::string::npos);
  std::string base = signed_->substr(0, first_eof + 6);
  EXPECT_LT(base.size(), signed_->size());
  write_file(dir_->path() / "base.pdf", base);
  EXPECT_EQ(run({tool("qpdf"), "--check", (dir_->path() / "base.pdf").string()}).exit_code, 0);
  EXPECT_NE(signed_->find("/Prev ", first_eof), std::string::npos);
  EXPECT_EQ(base.find("/ByteRange"), std::string::npos);
  fs::path file = dir_->path() / "check.pdf";
  write_file(file, *signed_);
  RunResult check = run({tool("qpdf"), "--check", file.string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(CertifyTest, TextGivesTheDocumentAndTheCopyMark) {
  fs::path file = dir_->path() / "text.pdf";
  write_file(file, *signed_);
  std::string text = run({tool("pdftotext"), file.string(), "-"}).out;
  for (const std::string& want :
       {std::string("GIẤY KHAI SINH"), std::string("SAO Y"), std::string(TestPki::kBody),
        std::string("Thời gian ký: "), std::string("Ký số: ") + TestPki::kSigner}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << " not in:\n" << text;
  }
  // The mark is on the first page only.
  std::string page2 = text.substr(text.find('\f') + 1);
  EXPECT_EQ(page2.find("SAO Y"), std::string::npos);
  EXPECT_NE(page2.find("GIẤY KHAI SINH"), std::string::npos);
}

TEST_F(CertifyTest, LongBodyNamesWrapAndTheFrameGrows) {
  CopyMark short_mark{"UBND", "", "Nguyễn Văn A", now_};
  CopyMark long_mark{
      "Ủy ban nhân dân thị trấn Phú Thứ, huyện Tây Hòa, tỉnh Phú Yên (bộ phận một cửa)", "Phú Thứ",
      "Nguyễn Văn A", now_};
  SignatureRect small, large;
  mark_copy(*unsigned_, short_mark, kDocSha, small);
  std::string pdf = mark_copy(*unsigned_, long_mark, kDocSha, large);
  EXPECT_GT(large.y2 - large.y1, small.y2 - small.y1 + 8);  // a line more at least
  EXPECT_DOUBLE_EQ(large.x2 - large.x1, small.x2 - small.x1);
  fs::path file = dir_->path() / "long.pdf";
  write_file(file, pdf);
  std::string text = run({tool("pdftotext"), file.string(), "-"}).out;
  EXPECT_NE(text.find(long_mark.body), std::string::npos) << text;
}

TEST_F(CertifyTest, XmpCarriesTheDocumentHashAsDeclaredPdfaProperty) {
  QPDF q;
  q.processMemoryFile("t.pdf", signed_->data(), signed_->size());
  auto data = q.getRoot().getKey("/Metadata").getStreamData(qpdf_dl_all);
  std::string xmp(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  EXPECT_EQ(xmp_document_sha256(xmp), kDocSha);
  EXPECT_NE(xmp.find("<pdfaSchema:prefix>sohoa</pdfaSchema:prefix>"), std::string::npos);
  EXPECT_NE(xmp.find("<pdfaid:part>2</pdfaid:part>"), std::string::npos);
  EXPECT_EQ(xmp_document_sha256("<sohoa:sha256>not-a-hash</sohoa:sha256>"), "");
  // A document cut from a stack: its SHA-256 names its pages.
  const std::string split = kDocSha + "#2-4";
  EXPECT_EQ(xmp_document_sha256("<sohoa:sha256>" + split + "</sohoa:sha256>"), split);
}

TEST_F(CertifyTest, WithoutCaTheSignatureIsCheckedForIntegrityOnly) {
  SignatureCheck c = verify(*signed_, false);
  EXPECT_TRUE(c.valid) << c.problem;
}

TEST_F(CertifyTest, OneByteInThePageContentInvalidates) {
  std::string bad = *signed_;
  size_t at = page_content_offset(bad) + 3;
  bad[at] = static_cast<char>(bad[at] ^ 0x01);
  SignatureCheck c = verify(bad);
  EXPECT_TRUE(c.is_signed);
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.problem.find("does not match"), std::string::npos) << c.problem;
  std::string report = pdfsig(bad, "content.pdf");
  EXPECT_EQ(report.find("Signature is Valid"), std::string::npos) << report;
}

TEST_F(CertifyTest, OneByteInTheSignatureInvalidates) {
  auto [start, len] = signature_hex(*signed_);
  std::string bad = *signed_;
  size_t at = start + len - 40;  // inside the signature value
  bad[at] = bad[at] == '0' ? '1' : '0';
  EXPECT_FALSE(verify(bad).valid);
  EXPECT_EQ(pdfsig(bad, "sig.pdf").find("Signature is Valid"), std::string::npos);
  // Filling the padding after the DER is tampering too.
  std::string padded = *signed_;
  padded[start + len + 10] = '7';
  SignatureCheck c = verify(padded);
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.problem.find("data follows"), std::string::npos) << c.problem;
}

TEST_F(CertifyTest, AlteredByteRangeInvalidates) {
  std::string bad = *signed_;
  size_t at = bad.rfind("/ByteRange [0 ") + 14;  // first digit of the gap start
  bad[at] = bad[at] == '9' ? '8' : static_cast<char>(bad[at] + 1);
  SignatureCheck c = verify(bad);
  EXPECT_TRUE(c.is_signed);
  EXPECT_FALSE(c.valid);
  EXPECT_EQ(pdfsig(bad, "range.pdf").find("Signature is Valid"), std::string::npos);
}

TEST_F(CertifyTest, HostileByteRangesAreInvalidNotFatal) {
  const size_t at = signed_->rfind("/ByteRange [");
  const size_t end = signed_->find(']', at);
  for (const std::string& range :
       {std::string("[0 1 9223372036854775807 9223372036854775807]"), std::string("[0 -5 10 20]"),
        std::string("[0 10 5 20]"), std::string("[0 1 2]"), std::string("[(a) 1 2 3]"),
        std::string("[0 99999999999 1 1]")}) {
    std::string bad = *signed_;
    bad.replace(at + 11, end - at - 10, range);
    SignatureCheck c = verify(bad);
    // qpdf itself may reject integers past 64 bits: then it is no signed PDF.
    EXPECT_TRUE(c.is_signed || range.find("922337") != std::string::npos) << range;
    EXPECT_FALSE(c.valid) << range;
  }
}

TEST_F(CertifyTest, SignatureDictionaryWithoutByteRangeIsTamperedNotUnsigned) {
  std::string bad = *signed_;
  size_t at = bad.rfind("/ByteRange");
  bad.replace(at, 10, "/ByteRangX");
  SignatureCheck c = verify(bad);
  EXPECT_TRUE(c.is_signed);
  EXPECT_FALSE(c.valid);
}

TEST_F(CertifyTest, DataAppendedAfterSigningInvalidates) {
  std::string bad = *signed_ + "% appended\n1 0 obj\n<< >>\nendobj\n";
  SignatureCheck c = verify(bad);
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.problem.find("does not cover the whole file"), std::string::npos) << c.problem;
  std::string report = pdfsig(bad, "appended.pdf");
  EXPECT_EQ(report.find("Total document signed"), std::string::npos) << report;
}

TEST_F(CertifyTest, ForeignCaIsNotTrusted) {
  SignatureCheck c = verify_pdf(*signed_, pki_->foreign_ca_pem);
  EXPECT_TRUE(c.is_signed);
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.problem.find("not trusted"), std::string::npos) << c.problem;
  EXPECT_EQ(c.signer, TestPki::kSigner);  // still says who signed
}

TEST_F(CertifyTest, SignatureOutsideTheCertificateValidityIsInvalid) {
  const CertificateSubject& s = credentials_->subject();
  for (std::time_t when : {s.not_before - 86400, s.not_after + 86400}) {
    SignatureRequest request;
    request.signing_time = when;
    request.rect = {400, 700, 580, 780};
    CopyMark mark{"b", "", "s", when};
    std::string marked = mark_copy(*unsigned_, mark, kDocSha, request.rect);
    std::string bad = sign_pdf(marked, *credentials_, request);
    SignatureCheck c = verify(bad);
    EXPECT_FALSE(c.valid);
    EXPECT_NE(c.problem.find(when < s.not_before ? "not yet valid" : "expired"), std::string::npos)
        << c.problem;
    // certify itself refuses to sign then.
    EXPECT_THROW(certify_pdf(*unsigned_, kDocSha, *credentials_, when), SigningError);
  }
}

TEST_F(CertifyTest, UnsignedAndBrokenFilesAreNotSignedPdfs) {
  EXPECT_FALSE(verify(*unsigned_).is_signed);
  EXPECT_FALSE(verify("").is_signed);
  EXPECT_FALSE(verify("not a pdf at all").is_signed);
  // A copy cut off inside its signature is never valid.
  auto [start, len] = signature_hex(*signed_);
  SignatureCheck cut = verify(signed_->substr(0, start + len / 2));
  EXPECT_FALSE(cut.valid);
}

TEST_F(CertifyTest, KeysFromEncryptedPemAndPkcs12NeedTheirPassphrase) {
  auto enc = SigningCredentials::load(pki_->unit_pem, pki_->unit_key_encrypted.string(), {},
                                      secrets(TestPki::kPassphrase));
  EXPECT_EQ(enc.subject().fingerprint, credentials_->subject().fingerprint);
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, pki_->unit_key_encrypted.string(), {},
                                        secrets("wrong")),
               SigningError);
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, pki_->unit_key_encrypted.string(), {},
                                        secrets(std::nullopt)),
               SigningError);
  auto p12 = SigningCredentials::load(pki_->unit_pem, pki_->unit_p12.string(), {},
                                      secrets(TestPki::kPassphrase));
  EXPECT_TRUE(verify(certify_pdf(*unsigned_, kDocSha, p12, std::time(nullptr))).valid);
  EXPECT_THROW(
      SigningCredentials::load(pki_->unit_pem, pki_->unit_p12.string(), {}, secrets("wrong")),
      SigningError);
}

TEST_F(CertifyTest, BadKeysAndCertificatesAreRefused) {
  // A key that is not the certificate's.
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, pki_->other_key.string(), {}, {}),
               SigningError);
  // A key file given as the certificate, a certificate given as the key.
  EXPECT_THROW(SigningCredentials::load(pki_->unit_key, pki_->unit_key.string(), {}, {}),
               SigningError);
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, pki_->unit_pem.string(), {}, {}),
               SigningError);
  fs::path empty = dir_->path() / "empty.pem";
  write_file(empty, "");
  EXPECT_THROW(SigningCredentials::load(empty, pki_->unit_key.string(), {}, {}), SigningError);
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, (dir_->path() / "absent").string(), {}, {}),
               SigningError);
  // A chain file without certificates.
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, pki_->unit_key.string(), empty, {}),
               SigningError);
  // A PIN in the URI would sit in argv: refused before any token is touched.
  try {
    SigningCredentials::load(pki_->unit_pem, "pkcs11:token=unit;object=k?pin-value=1234", {}, {});
    FAIL() << "pin-value accepted";
  } catch (const SigningError& e) {
    EXPECT_NE(std::string(e.what()).find("SOHOA_PIN"), std::string::npos);
  }
}

TEST_F(CertifyTest, ChainCertificatesAreEmbedded) {
  auto with_chain =
      SigningCredentials::load(pki_->unit_pem, pki_->unit_key.string(), pki_->ca_pem, {});
  std::string pdf = certify_pdf(*unsigned_, kDocSha, with_chain, std::time(nullptr));
  EXPECT_TRUE(verify(pdf).valid);
  // Two certificates embedded: the signature is larger by the CA's.
  EXPECT_GT(signature_hex(pdf).second, signature_hex(*signed_).second + 400);
}

TEST_F(CertifyTest, Pkcs11TokenSignsWithPinFromTheSecretSource) {
  sohoa::testing::SoftHsmToken token =
      sohoa::testing::make_softhsm_token(dir_->path() / "hsm", pki_->unit_key);
  setenv("SOFTHSM2_CONF", token.conf.c_str(), 1);
  // Refusals first: once logged in, the engine keeps the token's session for
  // the rest of the process.
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, token.uri, {}, secrets(std::nullopt)),
               SigningError);
  EXPECT_THROW(SigningCredentials::load(pki_->unit_pem, token.uri, {},
                                        secrets(std::nullopt, std::string("000000"))),
               SigningError);
  auto hsm = SigningCredentials::load(
      pki_->unit_pem, token.uri, {},
      secrets(std::nullopt, std::string(sohoa::testing::SoftHsmToken::kPin)));
  std::string pdf = certify_pdf(*unsigned_, kDocSha, hsm, std::time(nullptr));
  SignatureCheck c = verify(pdf);
  EXPECT_TRUE(c.valid) << c.problem;
  EXPECT_EQ(c.cert_fingerprint, credentials_->subject().fingerprint);
  EXPECT_NE(pdfsig(pdf, "hsm.pdf").find("Signature is Valid"), std::string::npos);
}

}  // namespace
