// Test certificates and a SoftHSM2 token, made with the real tools at test
// time (openssl, softhsm2-util, pkcs11-tool). A missing tool throws, so the
// test fails loudly: CI installs them through scripts/install-deps.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace sohoa::testing {

struct TestPki {
  std::filesystem::path ca_pem;              // "sohoa test CA", EC P-256
  std::filesystem::path foreign_ca_pem;      // another CA, trusted by nobody here
  std::filesystem::path unit_pem;            // the unit's certificate, issued by ca_pem, 10 days
  std::filesystem::path unit_key;            // its RSA key, PEM, unencrypted
  std::filesystem::path unit_key_encrypted;  // the same key, AES-256 under kPassphrase
  std::filesystem::path unit_p12;            // key + certificate, PKCS#12 under kPassphrase
  std::filesystem::path other_key;           // a key that belongs to no certificate
  static constexpr const char* kPassphrase = "mật khẩu 2026";
  static constexpr const char* kBody = "Ủy ban nhân dân xã Hòa Đồng";
  static constexpr const char* kSigner = "UBND xã Hòa Đồng";
  static constexpr const char* kPlace = "Hòa Đồng";
};

inline void run_tool(const std::vector<std::string>& argv,
                     const std::vector<std::string>& env = {}) {
  RunResult r = run(argv, env);
  if (r.exit_code != 0) {
    throw std::runtime_error(argv[0] + " failed (exit " + std::to_string(r.exit_code) +
                             "; install it with scripts/install-deps): " + r.err);
  }
}

inline TestPki make_test_pki(const std::filesystem::path& dir) {
  const std::string openssl = "/usr/bin/openssl";
  auto p = [&](const std::string& name) { return (dir / name).string(); };
  TestPki pki;
  auto make_ca = [&](const std::string& name, const std::string& cn) {
    run_tool({openssl,
              "req",
              "-x509",
              "-newkey",
              "ec",
              "-pkeyopt",
              "ec_paramgen_curve:P-256",
              "-nodes",
              "-keyout",
              p(name + ".key"),
              "-out",
              p(name + ".pem"),
              "-days",
              "30",
              "-subj",
              "/CN=" + cn,
              "-addext",
              "basicConstraints=critical,CA:TRUE",
              "-addext",
              "keyUsage=critical,keyCertSign,cRLSign"});
  };
  make_ca("ca", "sohoa test CA");
  make_ca("foreign-ca", "foreign test CA");
  run_tool({openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("unit.key"), "-out",
            p("unit.csr"), "-utf8", "-subj",
            std::string("/C=VN/L=") + TestPki::kPlace + "/O=" + TestPki::kBody +
                "/CN=" + TestPki::kSigner});
  run_tool({openssl, "x509", "-req", "-in", p("unit.csr"), "-CA", p("ca.pem"), "-CAkey",
            p("ca.key"), "-set_serial", "2", "-days", "10", "-out", p("unit.pem")});
  const std::vector<std::string> pass_env = {std::string("TEST_PASS=") + TestPki::kPassphrase};
  run_tool({openssl, "pkey", "-in", p("unit.key"), "-aes256", "-passout", "env:TEST_PASS", "-out",
            p("unit-enc.key")},
           pass_env);
  run_tool({openssl, "pkcs12", "-export", "-inkey", p("unit.key"), "-in", p("unit.pem"), "-passout",
            "env:TEST_PASS", "-out", p("unit.p12")},
           pass_env);
  run_tool({openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
            p("other.key")});
  pki.ca_pem = p("ca.pem");
  pki.foreign_ca_pem = p("foreign-ca.pem");
  pki.unit_pem = p("unit.pem");
  pki.unit_key = p("unit.key");
  pki.unit_key_encrypted = p("unit-enc.key");
  pki.unit_p12 = p("unit.p12");
  pki.other_key = p("other.key");
  return pki;
}

// A SoftHSM2 token in `dir` holding `key_pem` (label "unitkey").
struct SoftHsmToken {
  std::filesystem::path conf;  // for SOFTHSM2_CONF
  std::string module;          // the PKCS#11 module
  std::string uri;             // RFC 7512 URI of the key, module-path included
  static constexpr const char* kPin = "246810";
};

inline std::string softhsm_module() {
  for (const char* m :
       {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}) {
    if (std::filesystem::exists(m)) return m;
  }
  throw std::runtime_error("libsofthsm2.so not found: install softhsm2 (scripts/install-deps)");
}

inline SoftHsmToken make_softhsm_token(const std::filesystem::path& dir,
                                       const std::filesystem::path& key_pem) {
  SoftHsmToken t;
  std::filesystem::create_directories(dir / "tokens");
  t.conf = dir / "softhsm2.conf";
  write_file(t.conf, "directories.tokendir = " + (dir / "tokens").string() +
                         "\nobjectstore.backend = file\nlog.level = ERROR\n");
  t.module = softhsm_module();
  const std::vector<std::string> env = {"SOFTHSM2_CONF=" + t.conf.string()};
  run_tool({"/usr/bin/softhsm2-util", "--init-token", "--free", "--label", "unit", "--so-pin",
            "13579", "--pin", SoftHsmToken::kPin},
           env);
  const std::string der = (dir / "key.p8").string();
  run_tool({"/usr/bin/openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key_pem.string(), "-outform",
            "DER", "-out", der});
  run_tool({"/usr/bin/pkcs11-tool", "--module", t.module, "--token-label", "unit", "--login",
            "--pin", SoftHsmToken::kPin, "--write-object", der, "--type", "privkey", "--id", "01",
            "--label", "unitkey"},
           env);
  t.uri = "pkcs11:token=unit;object=unitkey;type=private?module-path=" + t.module;
  return t;
}

}  // namespace sohoa::testing
