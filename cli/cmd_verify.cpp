// sohoa verify FILE.pdf [--ca FILE] [--json]
// Checks an electronic certified copy: the signature covers the whole file
// and matches it, the signer chains to --ca (when given) at the signing
// time, and the copied document is looked up by the SHA-256 in the XMP.
// Exit 0 valid, 4 checked and not valid, 1 not a signed PDF.
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "export/pdf_signature.h"

namespace sohoa::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

struct VerifyArgs {
  fs::path db;
  fs::path file;
  fs::path ca;
  bool json = false;
};

std::string read_input(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path)) throw UsageError(path.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

int run_verify(const VerifyArgs& args) {
  auto db = storage::Database::open(args.db);
  std::string pdf = read_input(args.file);
  std::optional<fs::path> ca;
  if (!args.ca.empty()) ca = args.ca;
  exports::SignatureCheck check;
  try {
    check = exports::verify_pdf(pdf, ca);
  } catch (const exports::SigningError& e) {
    throw UsageError(e.what());
  }
  if (!check.is_signed) {
    report_error(args.file.string() + ": not a signed PDF (" + check.problem + ")");
    return kUsage;
  }
  std::optional<int64_t> document_id;
  if (!check.document_sha256.empty()) {
    if (auto found = db->find_by_sha256(check.document_sha256)) document_id = found->id;
  }
  if (args.json) {
    json out = {{"valid", check.valid},
                {"signer", or_null(check.signer)},
                {"signed_at", or_null(check.signed_at)},
                {"sha256", or_null(check.document_sha256)},
                {"document_id", document_id ? json(*document_id) : json(nullptr)}};
    std::cout << json_line(out) << "\n";
  } else {
    std::cout << args.file.string() << ": " << (check.valid ? "valid" : "NOT VALID") << "\n"
              << "  signer      " << (check.signer.empty() ? "-" : check.signer) << "\n"
              << "  signed at   " << (check.signed_at.empty() ? "-" : check.signed_at) << "\n"
              << "  certificate " << (check.cert_fingerprint.empty() ? "-" : check.cert_fingerprint)
              << "\n"
              << "  document    "
              << (document_id
                      ? std::to_string(*document_id) + " (sha256 " + check.document_sha256 + ")"
                  : check.document_sha256.empty()
                      ? std::string("- (no sohoa hash)")
                      : check.document_sha256 + " (not in this database)")
              << "\n";
  }
  if (!check.valid) {
    report_error(args.file.string() + ": " + check.problem);
    return kInvalid;
  }
  return kOk;
}

}  // namespace

void add_verify_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "Check an electronic certified copy: signature intact over the whole file, signer\n"
      "trusted by --ca, document found by its SHA-256. Exit 0 valid, 4 not valid,\n"
      "1 not a signed PDF");
  add_db_option(*cmd, args->db);
  cmd->add_option("FILE", args->file, "The signed PDF")->required();
  cmd->add_option("--ca", args->ca, "Trusted CA certificates (PEM); the signer must chain to one")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", args->json,
                "One JSON object: {\"valid\",\"signer\",\"signed_at\",\"sha256\",\"document_id\"}");
  cmd->callback([args, &action] { action = [args] { return run_verify(*args); }; });
}

}  // namespace sohoa::cli
