// PAdES baseline signatures of PDF files: a CMS detached signature (SHA-256,
// ESS signing-certificate-v2, signing time, the signer's certificate and
// chain embedded) over the file's ByteRange, in an incremental update that
// adds a signature field to the first page. Keys come from a PEM or PKCS#12
// file or from a PKCS#11 token (OpenSSL's pkcs11 engine); sohoa never keeps
// them. Verification checks that the signature covers the whole file, that
// the digest and signature match, and optionally that the certificate chains
// to a given CA at the signing time.
#pragma once

#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace sohoa::exports {

// The certificate, key or chain cannot be used (unreadable file, wrong
// passphrase or PIN, key not matching the certificate, certificate outside
// its validity): bad input, exit 1.
class SigningError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Who a certificate names, as the copy mark and the records show it.
struct CertificateSubject {
  std::string common_name;   // CN
  std::string organization;  // O, or empty
  std::string locality;      // L, else ST, or empty
  std::string fingerprint;   // SHA-256 of the DER certificate, lowercase hex
  std::time_t not_before = 0;
  std::time_t not_after = 0;
};

// Asks for a secret (key passphrase, token PIN) named by `what`; returns
// nullopt when there is none to give. Secrets never come from argv.
using SecretSource = std::function<std::optional<std::string>(const std::string& what)>;

// The signer's certificate, its private key and the chain to embed.
class SigningCredentials {
 public:
  // `cert`: PEM or DER certificate file. `key`: a PEM private key file (may
  // be encrypted), a PKCS#12 file, or an RFC 7512 "pkcs11:" URI (the PKCS#11
  // module from the URI's module-path attribute, else $SOHOA_PKCS11_MODULE,
  // else the engine's default). `chain`: PEM file of intermediate
  // certificates, or empty. A URI carrying pin-value is refused: PINs do not
  // belong on a command line. Throws SigningError naming the file.
  static SigningCredentials load(const std::filesystem::path& cert, const std::string& key,
                                 const std::filesystem::path& chain, const SecretSource& secret);

  const CertificateSubject& subject() const;

  struct Impl;
  std::shared_ptr<Impl> impl;
};

// Where the signature field sits on the first page, in PDF points.
struct SignatureRect {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
};

struct SignatureRequest {
  std::time_t signing_time = 0;  // into the CMS signing-time attribute and /M
  std::string reason;            // /Reason, e.g. "SAO Y"
  std::string location;          // /Location, or empty
  SignatureRect rect;            // the field's widget on page 1
};

// Appends to `pdf` (a file with a classic xref table, as QPDFWriter writes
// it without object streams) an incremental update with a signature field
// and its signature, and returns the signed file. The signature is made with
// `credentials` over every byte but its own /Contents. Throws SigningError
// when the key cannot sign, std::runtime_error when `pdf` cannot be parsed.
std::string sign_pdf(const std::string& pdf, const SigningCredentials& credentials,
                     const SignatureRequest& request);

struct SignatureCheck {
  bool is_signed = false;        // a PDF holding a signature dictionary
  bool valid = false;            // intact, covers the whole file, and trusted if a CA was given
  std::string problem;           // why not valid (one line), empty when valid
  std::string signer;            // the signing certificate's CN (its subject line if none)
  std::string signed_at;         // ISO 8601 UTC "2026-12-01T09:30:00Z", from the CMS signing time
  std::string cert_fingerprint;  // SHA-256 of the signer's certificate
  std::string document_sha256;   // the sohoa document's SHA-256 from the XMP, or empty
};

// Checks the last signature in `pdf`. `ca`: PEM file of trusted
// certificates; when given, the signer must chain to one of them, with every
// certificate valid at the signing time. Without it, only integrity and the
// signer certificate's validity at the signing time are checked. Throws
// SigningError when `ca` cannot be read; never throws for a bad `pdf`.
SignatureCheck verify_pdf(const std::string& pdf, const std::optional<std::filesystem::path>& ca);

// The sohoa document SHA-256 that certify writes into the XMP metadata
// (sohoa:sha256), or empty when `xmp` has none.
std::string xmp_document_sha256(const std::string& xmp);

}  // namespace sohoa::exports
