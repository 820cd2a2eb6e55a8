// OpenSSL's CMS API makes and checks the signature; qpdf reads the PDF's
// objects. The incremental update is written here by hand: qpdf rewrites
// whole files, and a signature must leave the bytes before it untouched.
//
// The pkcs11 engine is OpenSSL's deprecated ENGINE API: it is what Debian
// ships for tokens (libengine-pkcs11-openssl), OpenSSL 3's provider for
// PKCS#11 is not packaged.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "export/pdf_signature.h"

#include <fcntl.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <regex>
#include <sstream>
#include <vector>

namespace sohoa::exports {

namespace {

namespace fs = std::filesystem;
using QOH = QPDFObjectHandle;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo, CMS_ContentInfo_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME, ASN1_TIME_free>>;
using P12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12, PKCS12_free>>;

void free_cert_stack(STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); }
using CertStackPtr = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), free_cert_stack>>;

// OpenSSL's last queued error as text, and the queue emptied.
std::string openssl_error() {
  unsigned long code = ERR_peek_last_error();
  std::string text;
  if (code != 0) {
    const char* reason = ERR_reason_error_string(code);
    text = reason != nullptr ? reason : "error " + std::to_string(code);
  }
  ERR_clear_error();
  return text.empty() ? "unknown OpenSSL error" : text;
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SigningError(path.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

BioPtr memory_bio(const std::string& bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// A PEM or DER certificate; nullptr when `bytes` are neither.
X509Ptr parse_certificate(const std::string& bytes) {
  X509Ptr cert(PEM_read_bio_X509(memory_bio(bytes).get(), nullptr, nullptr, nullptr));
  if (!cert) cert.reset(d2i_X509_bio(memory_bio(bytes).get(), nullptr));
  ERR_clear_error();
  return cert;
}

std::string name_entry(const X509_NAME* name, int nid) {
  int at = X509_NAME_get_index_by_NID(name, nid, -1);
  if (at < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::time_t asn1_time_t(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return timegm(&tm);
}

std::string hex(const unsigned char* data, size_t len) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (size_t i = 0; i < len; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

CertificateSubject describe(X509* cert) {
  CertificateSubject s;
  const X509_NAME* name = X509_get_subject_name(cert);
  s.common_name = name_entry(name, NID_commonName);
  s.organization = name_entry(name, NID_organizationName);
  s.locality = name_entry(name, NID_localityName);
  if (s.locality.empty()) s.locality = name_entry(name, NID_stateOrProvinceName);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &md_len) == 1) s.fingerprint = hex(md, md_len);
  s.not_before = asn1_time_t(X509_get0_notBefore(cert));
  s.not_after = asn1_time_t(X509_get0_notAfter(cert));
  return s;
}

std::string subject_line(X509* cert) {
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  return buf;
}

// --- keys ---

struct PassphraseAsk {
  const SecretSource* source;
  std::string what;
  bool asked = false;
};

// OpenSSL's passphrase callback: asks once, only for an encrypted key.
int passphrase_callback(char* buf, int size, int, void* user) {
  auto* ask = static_cast<PassphraseAsk*>(user);
  if (ask->asked || !*ask->source) return -1;
  ask->asked = true;
  std::optional<std::string> secret = (*ask->source)(ask->what);
  if (!secret || static_cast<int>(secret->size()) >= size) return -1;
  std::memcpy(buf, secret->data(), secret->size());
  return static_cast<int>(secret->size());
}

struct ParsedUri {
  std::string uri;          // without the query part, as libp11 takes it
  std::string module_path;  // from ?module-path=, or empty
};

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

ParsedUri parse_pkcs11_uri(const std::string& uri) {
  ParsedUri p;
  size_t q = uri.find('?');
  p.uri = uri.substr(0, q);
  if (p.uri.find("pin-value") != std::string::npos) {
    throw SigningError("the PKCS#11 URI carries a PIN: give it in $SOHOA_PIN or at the prompt");
  }
  if (q == std::string::npos) return p;
  std::stringstream query(uri.substr(q + 1));
  std::string attr;
  while (std::getline(query, attr, '&')) {
    std::string name = attr.substr(0, attr.find('='));
    std::string value = attr.find('=') == std::string::npos ? "" : attr.substr(attr.find('=') + 1);
    if (name == "pin-value") {
      throw SigningError("the PKCS#11 URI carries a PIN: give it in $SOHOA_PIN or at the prompt");
    }
    if (name == "module-path") p.module_path = percent_decode(value);
  }
  return p;
}

// Sends stderr to /dev/null while alive (certify is single-threaded).
class QuietStderr {
 public:
  QuietStderr() {
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDERR_FILENO);
      close(null);
    }
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, STDERR_FILENO);
      close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

struct EngineHandle {
  ENGINE* engine = nullptr;
  bool initialised = false;
  ~EngineHandle() {
    if (engine == nullptr) return;
    if (initialised) ENGINE_finish(engine);
    ENGINE_free(engine);
  }
};

}  // namespace

struct SigningCredentials::Impl {
  // The key is freed before the engine that backs it.
  std::unique_ptr<EngineHandle> engine;
  KeyPtr key;
  X509Ptr cert;
  CertStackPtr chain{sk_X509_new_null()};
  CertificateSubject subject;
  ~Impl() { key.reset(); }
};

namespace {

KeyPtr load_token_key(SigningCredentials::Impl& impl, const std::string& uri,
                      const SecretSource& secret) {
  ParsedUri parsed = parse_pkcs11_uri(uri);
  std::string module = parsed.module_path;
  if (module.empty()) {
    const char* env = std::getenv("SOHOA_PKCS11_MODULE");
    if (env != nullptr) module = env;
  }
  impl.engine = std::make_unique<EngineHandle>();
  ENGINE* e = ENGINE_by_id("pkcs11");
  if (e == nullptr) {
    ERR_clear_error();
    throw SigningError(
        "OpenSSL's pkcs11 engine is not installed (Debian package libengine-pkcs11-openssl)");
  }
  impl.engine->engine = e;
  if (!module.empty() && ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module.c_str(), 0) != 1) {
    throw SigningError(module + ": PKCS#11 module not accepted: " + openssl_error());
  }
  std::optional<std::string> pin = secret ? secret("PIN of the token") : std::nullopt;
  if (!pin) throw SigningError("no token PIN: set SOHOA_PIN or run on a terminal to be asked");
  if (ENGINE_ctrl_cmd_string(e, "PIN", pin->c_str(), 0) != 1) {
    throw SigningError("the pkcs11 engine refused the PIN: " + openssl_error());
  }
  if (ENGINE_init(e) != 1) {
    throw SigningError("PKCS#11 module " + (module.empty() ? "(default)" : module) +
                       " cannot be loaded: " + openssl_error());
  }
  impl.engine->initialised = true;
  KeyPtr key;
  {
    // libp11 prints its own lines on a failed login; sohoa reports one.
    QuietStderr quiet;
    key.reset(ENGINE_load_private_key(e, parsed.uri.c_str(), nullptr, nullptr));
  }
  if (!key) {
    throw SigningError(parsed.uri +
                       ": no private key on the token (wrong PIN or URI?): " + openssl_error());
  }
  return key;
}

KeyPtr load_file_key(SigningCredentials::Impl& impl, const fs::path& path,
                     const SecretSource& secret) {
  std::string bytes = read_whole(path);
  PassphraseAsk ask{&secret, "passphrase of " + path.string()};
  KeyPtr key(PEM_read_bio_PrivateKey(memory_bio(bytes).get(), nullptr, passphrase_callback, &ask));
  if (key) return key;
  ERR_clear_error();
  P12Ptr p12(d2i_PKCS12_bio(memory_bio(bytes).get(), nullptr));
  if (!p12) {
    throw SigningError(path.string() + (ask.asked ? ": wrong passphrase, or not a private key"
                                                  : ": not a PEM private key or PKCS#12 file"));
  }
  ERR_clear_error();
  EVP_PKEY* pkey = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  // PKCS#12 files are often protected by an empty passphrase: try it first.
  bool ok = PKCS12_parse(p12.get(), "", &pkey, &cert, &ca) == 1;
  if (!ok) {
    ERR_clear_error();
    std::optional<std::string> pass =
        secret ? secret("passphrase of " + path.string()) : std::nullopt;
    if (!pass) {
      throw SigningError(
          path.string() +
          ": PKCS#12 needs a passphrase: set SOHOA_KEY_PASSPHRASE or use a terminal");
    }
    ok = PKCS12_parse(p12.get(), pass->c_str(), &pkey, &cert, &ca) == 1;
  }
  if (!ok || pkey == nullptr) {
    ERR_clear_error();
    throw SigningError(path.string() + ": wrong passphrase, or no key in this PKCS#12 file");
  }
  X509_free(cert);
  // Certificates bundled with the key extend the chain.
  for (int i = 0; ca != nullptr && i < sk_X509_num(ca); ++i) {
    X509* c = sk_X509_value(ca, i);
    X509_up_ref(c);
    sk_X509_push(impl.chain.get(), c);
  }
  sk_X509_pop_free(ca, X509_free);
  return KeyPtr(pkey);
}

void load_chain(SigningCredentials::Impl& impl, const fs::path& chain) {
  std::string bytes = read_whole(chain);
  BioPtr bio = memory_bio(bytes);
  int count = 0;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    sk_X509_push(impl.chain.get(), c);
    ++count;
  }
  ERR_clear_error();
  if (count == 0) throw SigningError(chain.string() + ": no PEM certificate in this file");
}

}  // namespace

SigningCredentials SigningCredentials::load(const fs::path& cert, const std::string& key,
                                            const fs::path& chain, const SecretSource& secret) {
  SigningCredentials c;
  c.impl = std::make_shared<Impl>();
  c.impl->cert = parse_certificate(read_whole(cert));
  if (!c.impl->cert) throw SigningError(cert.string() + ": not a PEM or DER certificate");
  c.impl->subject = describe(c.impl->cert.get());
  if (!chain.empty()) load_chain(*c.impl, chain);
  c.impl->key = key.rfind("pkcs11:", 0) == 0 ? load_token_key(*c.impl, key, secret)
                                             : load_file_key(*c.impl, key, secret);
  if (X509_check_private_key(c.impl->cert.get(), c.impl->key.get()) != 1) {
    ERR_clear_error();
    throw SigningError(key + ": this key does not belong to the certificate " + cert.string());
  }
  return c;
}

const CertificateSubject& SigningCredentials::subject() const { return impl->subject; }

// --- signing ---

namespace {

// "D:20261201163000+07'00'": Vietnam time (UTC+7, no daylight saving), as
// Decree 30/2020 asks for the time of signing.
std::string pdf_date_vn(std::time_t t) {
  std::time_t local = t + 7 * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "D:%Y%m%d%H%M%S+07'00'", &tm);
  return buf;
}

std::string fmt_pt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// Offset of the last cross-reference section, from the file's startxref.
long long last_xref_offset(const std::string& pdf) {
  size_t at = pdf.rfind("startxref");
  if (at == std::string::npos) throw std::runtime_error("the PDF has no startxref");
  return std::stoll(pdf.substr(at + 9, 32));
}

struct UpdateObject {
  int number;
  int generation;
  std::string body;  // between "N G obj\n" and "\nendobj\n"
};

constexpr const char* kByteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]";

// The DER-encoded CMS detached signature of `data`.
std::string cms_sign(const SigningCredentials::Impl& c, const std::string& data,
                     std::time_t signing_time) {
  const unsigned flags = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL;
  CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!cms) throw SigningError("cannot start a CMS signature: " + openssl_error());
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), c.cert.get(), c.key.get(), EVP_sha256(),
                                       CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP | CMS_PARTIAL);
  if (si == nullptr) throw SigningError("cannot add the signer: " + openssl_error());
  // Set here, so OpenSSL does not stamp its own clock.
  TimePtr when(ASN1_TIME_set(nullptr, signing_time));
  if (!when ||
      CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when.get(), -1) != 1) {
    throw SigningError("cannot set the signing time: " + openssl_error());
  }
  for (int i = 0; i < sk_X509_num(c.chain.get()); ++i) {
    if (CMS_add1_cert(cms.get(), sk_X509_value(c.chain.get(), i)) != 1) ERR_clear_error();
  }
  BioPtr in = memory_bio(data);
  if (CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY | CMS_DETACHED) != 1) {
    throw SigningError("the key could not sign: " + openssl_error());
  }
  int len = i2d_CMS_ContentInfo(cms.get(), nullptr);
  if (len <= 0) throw SigningError("cannot encode the signature: " + openssl_error());
  std::string der(static_cast<size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_CMS_ContentInfo(cms.get(), &p);
  return der;
}

size_t der_size(X509* cert) {
  int n = i2d_X509(cert, nullptr);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

// Bytes reserved for the signature: the certificates it embeds plus room for
// the signed attributes and a signature value of any usual key size.
size_t signature_reserve(const SigningCredentials::Impl& c) {
  size_t n = der_size(c.cert.get());
  for (int i = 0; i < sk_X509_num(c.chain.get()); ++i)
    n += der_size(sk_X509_value(c.chain.get(), i));
  return n + 6144;
}

}  // namespace

std::string sign_pdf(const std::string& pdf, const SigningCredentials& credentials,
                     const SignatureRequest& request) {
  QPDF q;
  q.setSuppressWarnings(true);
  q.processMemoryFile("base.pdf", pdf.data(), pdf.size());
  QOH trailer = q.getTrailer();
  QOH root = trailer.getKey("/Root");
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(q).getAllPages();
  if (pages.empty() || !root.isIndirect()) throw std::runtime_error("the PDF has no pages");
  QOH page = pages.front().getObjectHandle();
  if (root.getKey("/AcroForm").isDictionary()) {
    throw std::runtime_error("the PDF already has a form; sohoa signs its own exports only");
  }
  const int size = trailer.getKey("/Size").getIntValueAsInt();
  const int sig_num = size, widget_num = size + 1, ap_num = size + 2;
  const std::string ref_page = std::to_string(page.getObjectID()) + " 0 R";
  const std::string ref_widget = std::to_string(widget_num) + " 0 R";
  const SignatureRect& r = request.rect;

  std::string sig_dict = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached " +
                         std::string(kByteRangePlaceholder) + " /Contents <";
  const size_t contents_hex = 2 * signature_reserve(*credentials.impl);
  sig_dict += std::string(contents_hex, '0') + "> /M " +
              QOH::newString(pdf_date_vn(request.signing_time)).unparse();
  sig_dict += " /Name " + QOH::newUnicodeString(credentials.subject().common_name).unparse();
  if (!request.reason.empty()) {
    sig_dict += " /Reason " + QOH::newUnicodeString(request.reason).unparse();
  }
  if (!request.location.empty()) {
    sig_dict += " /Location " + QOH::newUnicodeString(request.location).unparse();
  }
  sig_dict += " >>";

  const std::string w = fmt_pt(r.x2 - r.x1), h = fmt_pt(r.y2 - r.y1);
  std::string widget = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (SAO Y) /F 132 /V " +
                       std::to_string(sig_num) + " 0 R /P " + ref_page + " /Rect [" + fmt_pt(r.x1) +
                       " " + fmt_pt(r.y1) + " " + fmt_pt(r.x2) + " " + fmt_pt(r.y2) +
                       "] /AP << /N " + std::to_string(ap_num) + " 0 R >> >>";
  // The mark is drawn in the page; the field's own appearance is empty.
  std::string appearance = "<< /Type /XObject /Subtype /Form /BBox [0 0 " + w + " " + h +
                           "] /Length 0 >>\nstream\n\nendstream";

  // The widget does not exist yet as an object qpdf knows: its references
  // are written as text.
  QOH new_page = QOH::newDictionary(page.getDictAsMap());
  std::string annots;
  if (page.getKey("/Annots").isArray()) {
    for (QOH& a : page.getKey("/Annots").getArrayAsVector()) annots += a.unparse() + " ";
  }
  new_page.removeKey("/Annots");
  std::string page_body = new_page.unparse();
  page_body.insert(page_body.rfind(">>"), "/Annots [" + annots + ref_widget + "] ");

  QOH new_root = QOH::newDictionary(root.getDictAsMap());
  std::string root_body = new_root.unparse();
  root_body.insert(root_body.rfind(">>"),
                   "/AcroForm << /Fields [" + ref_widget + "] /SigFlags 3 >> ");

  std::vector<UpdateObject> objects = {
      {root.getObjectID(), root.getGeneration(), root_body},
      {page.getObjectID(), page.getGeneration(), page_body},
      {sig_num, 0, sig_dict},
      {widget_num, 0, widget},
      {ap_num, 0, appearance},
  };
  std::sort(objects.begin(), objects.end(),
            [](const UpdateObject& a, const UpdateObject& b) { return a.number < b.number; });

  std::string out = pdf;
  if (out.empty() || out.back() != '\n') out += '\n';
  std::vector<std::pair<int, size_t>> offsets;
  for (const UpdateObject& o : objects) {
    offsets.emplace_back(o.number, out.size());
    out += std::to_string(o.number) + " " + std::to_string(o.generation) + " obj\n" + o.body +
           "\nendobj\n";
  }
  const size_t xref_at = out.size();
  out += "xref\n";
  char entry[32];
  for (size_t i = 0; i < objects.size();) {
    size_t j = i;
    while (j + 1 < objects.size() && objects[j + 1].number == objects[j].number + 1) ++j;
    out += std::to_string(objects[i].number) + " " + std::to_string(j - i + 1) + "\n";
    for (size_t k = i; k <= j; ++k) {
      std::snprintf(entry, sizeof entry, "%010zu %05d n\r\n", offsets[k].second,
                    objects[k].generation);
      out += entry;
    }
    i = j + 1;
  }
  QOH new_trailer = QOH::newDictionary();
  new_trailer.replaceKey("/Size", QOH::newInteger(ap_num + 1));
  new_trailer.replaceKey("/Root", root);
  if (trailer.hasKey("/Info")) new_trailer.replaceKey("/Info", trailer.getKey("/Info"));
  if (trailer.hasKey("/ID")) new_trailer.replaceKey("/ID", trailer.getKey("/ID"));
  new_trailer.replaceKey("/Prev", QOH::newInteger(last_xref_offset(pdf)));
  out +=
      "trailer\n" + new_trailer.unparse() + "\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";

  // The signed ranges: everything but the hex string of /Contents.
  const size_t range_at = out.find(kByteRangePlaceholder, pdf.size());
  const size_t gap_start = out.find("/Contents <", range_at) + 10;  // at '<'
  const size_t gap_end = gap_start + contents_hex + 2;              // after '>'
  std::string ranges = "/ByteRange [0 " + std::to_string(gap_start) + " " +
                       std::to_string(gap_end) + " " + std::to_string(out.size() - gap_end) + "]";
  const size_t placeholder_len = std::strlen(kByteRangePlaceholder);
  if (ranges.size() > placeholder_len) throw std::runtime_error("the PDF is too large to sign");
  ranges.insert(ranges.size() - 1, placeholder_len - ranges.size(), ' ');
  out.replace(range_at, placeholder_len, ranges);

  std::string signed_bytes = out.substr(0, gap_start) + out.substr(gap_end);
  std::string der = cms_sign(*credentials.impl, signed_bytes, request.signing_time);
  std::string der_hex = hex(reinterpret_cast<const unsigned char*>(der.data()), der.size());
  if (der_hex.size() > contents_hex) throw SigningError("the signature is larger than reserved");
  out.replace(gap_start + 1, der_hex.size(), der_hex);
  return out;
}

// --- verification ---

namespace {

struct FoundSignature {
  std::vector<long long> byte_range;
  bool cades = false;
};

// The signature dictionary covering the most of the file: the last one.
std::optional<FoundSignature> find_signature(QPDF& q) {
  std::optional<FoundSignature> best;
  long long best_end = -1;
  bool signature_field = false;
  for (QOH& o : q.getAllObjects()) {
    if (!o.isDictionary()) continue;
    signature_field = signature_field || o.getKey("/Type").isNameAndEquals("/Sig") ||
                      o.getKey("/FT").isNameAndEquals("/Sig");
    if (!o.hasKey("/ByteRange") || !o.hasKey("/Contents")) continue;
    FoundSignature f;
    QOH br = o.getKey("/ByteRange");
    if (br.isArray()) {
      for (QOH& v : br.getArrayAsVector()) {
        f.byte_range.push_back(v.isInteger() ? v.getIntValue() : -1);
      }
    }
    f.cades = o.getKey("/SubFilter").isNameAndEquals("/ETSI.CAdES.detached");
    long long end = 0;
    if (f.byte_range.size() == 4 &&
        __builtin_add_overflow(f.byte_range[2], f.byte_range[3], &end)) {
      end = 0;
    }
    if (end > best_end) {
      best_end = end;
      best = f;
    }
  }
  // A signature field whose dictionary lost its ByteRange or Contents was
  // signed once: it is tampered with, not unsigned.
  if (!best && signature_field) best = FoundSignature{};
  return best;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the DER element at the start of `der`, or 0 when malformed.
size_t der_element_length(const std::string& der) {
  if (der.size() < 2) return 0;
  auto b = [&](size_t i) { return static_cast<unsigned char>(der[i]); };
  if (b(1) < 0x80) return 2 + b(1);
  size_t n = b(1) & 0x7F;
  if (n == 0 || n > 4 || der.size() < 2 + n) return 0;
  size_t len = 0;
  for (size_t i = 0; i < n; ++i) len = (len << 8) | b(2 + i);
  return 2 + n + len;
}

std::string iso_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::time_t> cms_signing_time(CMS_SignerInfo* si) {
  int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return std::nullopt;
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, at), 0);
  if (value == nullptr) return std::nullopt;
  const ASN1_TIME* t = nullptr;
  if (value->type == V_ASN1_UTCTIME) t = value->value.utctime;
  if (value->type == V_ASN1_GENERALIZEDTIME) t = value->value.generalizedtime;
  if (t == nullptr) return std::nullopt;
  return asn1_time_t(t);
}

std::string document_sha256_of(QPDF& q) {
  QOH metadata = q.getRoot().getKey("/Metadata");
  if (!metadata.isStream()) return "";
  try {
    std::shared_ptr<Buffer> data = metadata.getStreamData(qpdf_dl_all);
    return xmp_document_sha256(
        std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize()));
  } catch (const std::exception&) {
    return "";
  }
}

SignatureCheck invalid(SignatureCheck c, const std::string& why) {
  c.valid = false;
  c.problem = why;
  return c;
}

StorePtr trust_store(const fs::path& ca, std::time_t at) {
  StorePtr store(X509_STORE_new());
  std::string bytes = read_whole(ca);
  BioPtr bio = memory_bio(bytes);
  int count = 0;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), c);
    X509_free(c);
    ++count;
  }
  ERR_clear_error();
  if (count == 0) throw SigningError(ca.string() + ": no PEM certificate in this file");
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_time(param, at);
  // Units' certificates carry document-signing usages, not S/MIME ones.
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  return store;
}

}  // namespace

std::string xmp_document_sha256(const std::string& xmp) {
  static const std::regex sha(R"(<sohoa:sha256>([0-9a-f]{64}(#\d+-\d+)?)</sohoa:sha256>)");
  std::smatch m;
  return std::regex_search(xmp, m, sha) ? m[1].str() : "";
}

SignatureCheck verify_pdf(const std::string& pdf, const std::optional<fs::path>& ca) {
  SignatureCheck check;
  QPDF q;
  std::optional<FoundSignature> found;
  try {
    q.setSuppressWarnings(true);
    q.processMemoryFile("signed.pdf", pdf.data(), pdf.size());
    found = find_signature(q);
  } catch (const std::exception& e) {
    return invalid(check, std::string("not a readable PDF: ") + e.what());
  }
  if (!found) return invalid(check, "the PDF holds no signature");
  check.is_signed = true;
  check.document_sha256 = document_sha256_of(q);

  const std::vector<long long>& br = found->byte_range;
  const long long size = static_cast<long long>(pdf.size());
  // Each bound is checked against the size before any sum, so hostile
  // values cannot overflow.
  if (br.size() != 4 || br[0] != 0 || br[1] <= 0 || br[1] >= size || br[2] <= br[1] + 1 ||
      br[2] > size || br[3] < 0 || br[3] > size - br[2]) {
    return invalid(check, "the signature's ByteRange is malformed");
  }
  if (br[2] + br[3] != size) {
    return invalid(check, "the signature does not cover the whole file (" +
                              std::to_string(size - br[2] - br[3]) + " bytes added after it)");
  }
  if (pdf[br[1]] != '<' || pdf[br[2] - 1] != '>') {
    return invalid(check, "the signature's ByteRange does not frame its /Contents");
  }
  std::string der;
  for (long long i = br[1] + 1; i + 1 < br[2] - 1; i += 2) {
    int hi = hex_value(pdf[i]), lo = hex_value(pdf[i + 1]);
    if (hi < 0 || lo < 0) return invalid(check, "the signature's /Contents is not hex");
    der += static_cast<char>(hi * 16 + lo);
  }
  size_t der_len = der_element_length(der);
  if (der_len == 0 || der_len > der.size()) return invalid(check, "the signature is cut off");
  if (std::any_of(der.begin() + static_cast<long>(der_len), der.end(),
                  [](char c) { return c != '\0'; })) {
    return invalid(check, "data follows the signature inside /Contents");
  }
  der.resize(der_len);

  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  STACK_OF(CMS_SignerInfo)* infos = cms ? CMS_get0_SignerInfos(cms.get()) : nullptr;
  if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
    ERR_clear_error();
    return invalid(check, "the signature is not a CMS signature with one signer");
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  X509* signer = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &signer, nullptr, nullptr);
  if (signer == nullptr) {
    ERR_clear_error();
    return invalid(check, "the signature does not embed its signer's certificate");
  }
  CertificateSubject subject = describe(signer);
  check.signer = subject.common_name.empty() ? subject_line(signer) : subject.common_name;
  check.cert_fingerprint = subject.fingerprint;
  std::optional<std::time_t> when = cms_signing_time(si);
  std::time_t at = when ? *when : std::time(nullptr);
  if (when) check.signed_at = iso_utc(*when);
  if (at < subject.not_before) {
    return invalid(check, "the certificate was not yet valid at the signing time");
  }
  if (at > subject.not_after)
    return invalid(check, "the certificate had expired at the signing time");

  StorePtr store = ca ? trust_store(*ca, at) : nullptr;
  unsigned flags = CMS_BINARY;
  if (!ca) flags |= CMS_NO_SIGNER_CERT_VERIFY;
  // OpenSSL checks the ESS signing-certificate-v2 binding on the verified
  // chain, so only when there is a CA to build it.
  if (found->cades && ca) flags |= CMS_CADES;
  std::string content = pdf.substr(0, static_cast<size_t>(br[1])) +
                        pdf.substr(static_cast<size_t>(br[2]), static_cast<size_t>(br[3]));
  BioPtr data = memory_bio(content);
  if (CMS_verify(cms.get(), nullptr, store.get(), data.get(), nullptr, flags) != 1) {
    std::string why = openssl_error();
    if (why.find("certificate verify error") != std::string::npos) {
      return invalid(check, "the signer's certificate is not trusted by " +
                                (ca ? ca->string() : std::string("the CA")) + ": " + why);
    }
    return invalid(check, "the signature does not match the file: " + why);
  }
  check.valid = true;
  return check;
}

}  // namespace sohoa::exports
