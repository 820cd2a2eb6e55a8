// End to end: `sohoa certify` and `sohoa verify` on a scan made by the
// samples generator and ingested by `sohoa ingest`, keys from files and a
// SoftHSM2 token, checked with poppler's pdfsig; exit codes and JSON per SPEC.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "storage/file_hash.h"
#include "tests/support/export_test_util.h"
#include "tests/support/test_pki.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sohoa::export_test::tool;
using sohoa::testing::read_file;
using sohoa::testing::run;
using sohoa::testing::RunResult;
using sohoa::testing::TempDir;
using sohoa::testing::TestPki;
using sohoa::testing::write_file;

class CertifyE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(sohoa::testing::make_test_pki(dir_->path()));
    db_ = (dir_->path() / "sohoa.db").string();
    sohoa::testing::generate_scans(dir_->path() / "scans", {.seed = 31});
    sohoa::testing::create_database(db_);
    RunResult ingest =
        sohoa({"ingest", (dir_->path() / "scans").string(), "--unit", "tay-hoa", "--json"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    int64_t id = sohoa::testing::first_ingested_id(ingest.out);
    ASSERT_GT(id, 0) << ingest.out;
    id_ = std::to_string(id);
    sha256_ = json::parse(sohoa({"show", id_, "--json"}).out)["sha256"];
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }

  static RunResult sohoa(std::vector<std::string> args, const std::vector<std::string>& env = {},
                         const std::string& db = db_) {
    args.insert(args.begin(), sohoa::testing::sohoa_bin());
    args.push_back("--db");
    args.push_back(db);
    return run(args, env);
  }

  static RunResult certify(const std::string& key, const fs::path& out,
                           const std::vector<std::string>& env = {}) {
    return sohoa({"certify", id_, "--cert", pki_->unit_pem.string(), "--key", key, "--by", "lan",
                  "--out", out.string()},
                 env);
  }

  static RunResult verify(const fs::path& pdf, const fs::path& ca) {
    return sohoa({"verify", pdf.string(), "--ca", ca.string(), "--json"});
  }

  static size_t certification_count() {
    return json::parse(sohoa({"show", id_, "--json"}).out)["certifications"].size();
  }

  static TempDir* dir_;
  static TestPki* pki_;
  static std::string db_;
  static std::string id_;
  static std::string sha256_;
};

TempDir* CertifyE2E::dir_ = nullptr;
TestPki* CertifyE2E::pki_ = nullptr;
std::string CertifyE2E::db_;
std::string CertifyE2E::id_;
std::string CertifyE2E::sha256_;

TEST_F(CertifyE2E, CertifiedCopyVerifiesAndIsRecorded) {
  fs::path out = dir_->path() / "copy.pdf";
  size_t before = certification_count();
  RunResult r = certify(pki_->unit_key.string(), out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> fields;
  std::stringstream line(sohoa::testing::lines_of(r.out).at(0));
  for (std::string f; std::getline(line, f, '\t');) fields.push_back(f);
  ASSERT_EQ(fields.size(), 4u) << r.out;
  EXPECT_EQ(fields[0], id_);
  EXPECT_EQ(fields[1], out.string());
  EXPECT_EQ(fields[2], TestPki::kSigner);

  std::string report = run({tool("pdfsig"), out.string()}).out;
  EXPECT_NE(report.find("Signature is Valid"), std::string::npos) << report;
  EXPECT_NE(report.find("Total document signed"), std::string::npos) << report;
  EXPECT_EQ(run({tool("qpdf"), "--check", out.string()}).exit_code, 0);
  std::string text = run({tool("pdftotext"), out.string(), "-"}).out;
  EXPECT_NE(text.find("SAO Y"), std::string::npos) << text;
  // The document's own text is all there too (the mark's lines may
  // interleave with the words beside them, so word by word).
  std::stringstream stored(sohoa({"show", id_, "--text"}).out);
  int words = 0, found = 0;
  for (std::string w; stored >> w;) {
    ++words;
    found += text.find(w) != std::string::npos;
  }
  EXPECT_GT(words, 30);
  EXPECT_EQ(found, words) << text;

  RunResult v = verify(out, pki_->ca_pem);
  ASSERT_EQ(v.exit_code, 0) << v.err;
  json got = json::parse(v.out);
  std::vector<std::string> keys;
  for (auto& [k, _] : got.items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"document_id", "sha256", "signed_at", "signer", "valid"}));
  EXPECT_EQ(got["valid"], true);
  EXPECT_EQ(got["signer"], TestPki::kSigner);
  EXPECT_EQ(got["sha256"], sha256_);
  EXPECT_EQ(std::to_string(got["document_id"].get<int>()), id_);
  EXPECT_TRUE(std::regex_match(got["signed_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));

  json shown = json::parse(sohoa({"show", id_, "--json"}).out);
  for (const char* key : {"id", "sha256", "source", "metadata", "pages", "certifications"}) {
    EXPECT_TRUE(shown.contains(key)) << key;
  }
  ASSERT_EQ(shown["certifications"].size(), before + 1);
  const json& c = shown["certifications"].back();
  EXPECT_EQ(c["by"], "lan");
  EXPECT_EQ(c["signer"], TestPki::kSigner);
  EXPECT_EQ(c["cert_sha256"], fields[3]);
  EXPECT_EQ(c["pdf_sha256"], sohoa::storage::sha256_of_file(out));
  EXPECT_NE(sohoa({"show", id_}).out.find("certified"), std::string::npos);
}

TEST_F(CertifyE2E, AlteredCopyAndForeignCaExitFour) {
  fs::path out = dir_->path() / "to-alter.pdf";
  ASSERT_EQ(certify(pki_->unit_key.string(), out).exit_code, 0);
  std::string bytes = read_file(out);
  fs::path altered = dir_->path() / "altered.pdf";
  std::string bad = bytes;
  bad[bad.size() / 3] = static_cast<char>(bad[bad.size() / 3] ^ 0x20);
  write_file(altered, bad);
  RunResult v = verify(altered, pki_->ca_pem);
  EXPECT_EQ(v.exit_code, 4) << v.out << v.err;
  EXPECT_EQ(json::parse(v.out)["valid"], false);
  EXPECT_NE(v.err.find("sohoa: " + altered.string()), std::string::npos) << v.err;

  fs::path appended = dir_->path() / "appended.pdf";
  write_file(appended, bytes + "\n%%EOF\n");
  EXPECT_EQ(verify(appended, pki_->ca_pem).exit_code, 4);

  RunResult foreign = verify(out, pki_->foreign_ca_pem);
  EXPECT_EQ(foreign.exit_code, 4);
  EXPECT_EQ(json::parse(foreign.out)["signer"], TestPki::kSigner);
}

TEST_F(CertifyE2E, UnsignedOrUnreadableFilesExitOne) {
  fs::path plain = dir_->path() / "plain.pdf";
  ASSERT_EQ(sohoa({"export", id_, "--pdf", plain.string()}).exit_code, 0);
  RunResult v = verify(plain, pki_->ca_pem);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(v.out, "");
  EXPECT_NE(v.err.find("not a signed PDF"), std::string::npos) << v.err;
  EXPECT_EQ(verify(dir_->path() / "absent.pdf", pki_->ca_pem).exit_code, 1);
  fs::path text = dir_->path() / "note.pdf";
  write_file(text, "%PDF-1.7 this is no PDF");
  EXPECT_EQ(verify(text, pki_->ca_pem).exit_code, 1);
}

TEST_F(CertifyE2E, CopyOfADocumentThisDatabaseDoesNotHold) {
  fs::path out = dir_->path() / "elsewhere.pdf";
  ASSERT_EQ(certify(pki_->unit_key.string(), out).exit_code, 0);
  std::string other = (dir_->path() / "other.db").string();
  ASSERT_EQ(
      sohoa({"units", "import", sohoa::testing::units_csv_path().string()}, {}, other).exit_code,
      0);
  RunResult v = sohoa({"verify", out.string(), "--json"}, {}, other);
  ASSERT_EQ(v.exit_code, 0) << v.err;
  json got = json::parse(v.out);
  EXPECT_TRUE(got["document_id"].is_null());
  EXPECT_EQ(got["sha256"], sha256_);
}

TEST_F(CertifyE2E, SecretsComeFromTheEnvironmentOnly) {
  fs::path out = dir_->path() / "enc.pdf";
  size_t before = certification_count();
  // No passphrase and no terminal: refused, nothing written or recorded.
  RunResult none = certify(pki_->unit_key_encrypted.string(), out);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("sohoa: "), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  RunResult wrong = certify(pki_->unit_key_encrypted.string(), out, {"SOHOA_KEY_PASSPHRASE=wrong"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(certification_count(), before);
  RunResult ok = certify(pki_->unit_key_encrypted.string(), out,
                         {std::string("SOHOA_KEY_PASSPHRASE=") + TestPki::kPassphrase});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(verify(out, pki_->ca_pem).exit_code, 0);
  EXPECT_EQ(certification_count(), before + 1);
}

TEST_F(CertifyE2E, TokenKeyByPkcs11Uri) {
  sohoa::testing::SoftHsmToken token =
      sohoa::testing::make_softhsm_token(dir_->path() / "hsm", pki_->unit_key);
  const std::string conf = "SOFTHSM2_CONF=" + token.conf.string();
  fs::path out = dir_->path() / "token.pdf";
  RunResult no_pin = certify(token.uri, out, {conf});
  EXPECT_EQ(no_pin.exit_code, 1);
  EXPECT_NE(no_pin.err.find("SOHOA_PIN"), std::string::npos) << no_pin.err;
  EXPECT_EQ(certify(token.uri, out, {conf, "SOHOA_PIN=999999"}).exit_code, 1);
  EXPECT_FALSE(fs::exists(out));
  RunResult ok = certify(token.uri, out, {conf, std::string("SOHOA_PIN=") + token.kPin});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(verify(out, pki_->ca_pem).exit_code, 0);
  std::string report = run({tool("pdfsig"), out.string()}).out;
  EXPECT_NE(report.find("Signature is Valid"), std::string::npos) << report;
  // The module may come from the environment instead of the URI.
  fs::path out2 = dir_->path() / "token2.pdf";
  std::string bare_uri = token.uri.substr(0, token.uri.find('?'));
  RunResult env_module = certify(
      bare_uri, out2,
      {conf, "SOHOA_PKCS11_MODULE=" + token.module, std::string("SOHOA_PIN=") + token.kPin});
  EXPECT_EQ(env_module.exit_code, 0) << env_module.err;
  EXPECT_EQ(verify(out2, pki_->ca_pem).exit_code, 0);
}

TEST_F(CertifyE2E, BadRequestsExitOne) {
  fs::path out = dir_->path() / "bad.pdf";
  EXPECT_EQ(sohoa({"certify", "999", "--cert", pki_->unit_pem.string(), "--key",
                   pki_->unit_key.string(), "--out", out.string()})
                .exit_code,
            1);
  EXPECT_EQ(certify(pki_->other_key.string(), out).exit_code, 1);
  EXPECT_EQ(
      sohoa({"certify", id_, "--key", pki_->unit_key.string(), "--out", out.string()}).exit_code,
      1);  // --cert missing
  EXPECT_FALSE(fs::exists(out));
  // A document that was never read has no pages to copy.
  fs::path broken = dir_->path() / "broken" / "cut.png";
  fs::create_directories(broken.parent_path());
  write_file(broken, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  RunResult ingest = sohoa({"ingest", broken.string(), "--unit", "tay-hoa", "--json"});
  ASSERT_EQ(ingest.exit_code, 3) << ingest.err;
  std::string failed_id =
      std::to_string(json::parse(sohoa::testing::lines_of(ingest.out).at(0))["id"].get<int>());
  RunResult r = sohoa({"certify", failed_id, "--cert", pki_->unit_pem.string(), "--key",
                       pki_->unit_key.string(), "--out", out.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("not read"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
