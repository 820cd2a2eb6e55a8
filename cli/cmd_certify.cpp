// sohoa certify DOC --cert FILE --key FILE|PKCS11-URI [--chain FILE] [--by NAME] --out FILE.pdf
// An electronic certified copy ("SAO Y"): the document's searchable PDF with
// the copy mark of Decree 30/2020, signed by the copying body's key, and the
// certification recorded. The key's passphrase or the token's PIN comes from
// $SOHOA_KEY_PASSPHRASE / $SOHOA_PIN or a prompt on the terminal, never argv.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "export/certify.h"
#include "export/document.h"
#include "pipeline/stages/load.h"
#include "storage/file_hash.h"

namespace sohoa::cli {
namespace {

namespace fs = std::filesystem;

struct CertifyArgs {
  fs::path db;
  std::string doc;
  fs::path cert;
  std::string key;
  fs::path chain;
  std::string by;
  fs::path out;
};

// Reads one line from the terminal with echo off; nullopt when sohoa does
// not run interactively (stdin not a terminal), as under scripts and tests.
std::optional<std::string> prompt_on_terminal(const std::string& what) {
  if (isatty(STDIN_FILENO) == 0) return std::nullopt;
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return std::nullopt;
  const int fd = fileno(tty);
  termios saved{};
  const bool can_hide = tcgetattr(fd, &saved) == 0;
  std::fprintf(tty, "%s: ", what.c_str());
  std::fflush(tty);
  if (can_hide) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty)) {
    line += static_cast<char>(c);
  }
  if (can_hide) tcsetattr(fd, TCSAFLUSH, &saved);
  std::fprintf(tty, "\n");
  std::fclose(tty);
  return line;
}

// PINs from $SOHOA_PIN, passphrases from $SOHOA_KEY_PASSPHRASE, else asked.
std::optional<std::string> secret_for(const std::string& what) {
  const char* var = what.rfind("PIN", 0) == 0 ? "SOHOA_PIN" : "SOHOA_KEY_PASSPHRASE";
  const char* value = std::getenv(var);
  if (value != nullptr) return std::string(value);
  return prompt_on_terminal(what);
}

std::string default_certifier() {
  for (const char* var : {"SOHOA_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

// The document's searchable PDF, as `export --pdf` makes it.
std::string searchable_pdf(const fs::path& db_path, const storage::StoredDocument& doc) {
  try {
    return exports::DocumentExporter(db_path).pdf(doc).bytes;
  } catch (const exports::NotExportable& e) {
    throw UsageError(e.what());
  } catch (const pipeline::LoadError& e) {
    throw storage::StorageError("document " + std::to_string(doc.id) +
                                ": archived original cannot be read: " + e.what());
  } catch (const exports::ArchiveError& e) {
    throw storage::StorageError(e.what());
  }
}

int run_certify(const CertifyArgs& args) {
  auto db = storage::Database::open(args.db);
  int64_t id = resolve_document(*db, args.doc);
  auto doc = db->document(id);
  if (!doc) throw UsageError("no document " + std::to_string(id));
  if (doc->status == "failed") {
    throw UsageError("document " + std::to_string(id) + " (" + doc->source +
                     "): not certified, it was not read");
  }
  // Credentials first: a wrong PIN should not cost an export.
  exports::SigningCredentials credentials;
  std::string signed_pdf;
  try {
    credentials = exports::SigningCredentials::load(args.cert, args.key, args.chain, secret_for);
    signed_pdf = exports::certify_pdf(searchable_pdf(args.db, *doc), doc->sha256, credentials,
                                      std::time(nullptr));
  } catch (const exports::SigningError& e) {
    throw UsageError(e.what());
  }
  try {
    exports::write_file_atomically(args.out, signed_pdf);
  } catch (const exports::OutputError& e) {
    throw UsageError(e.what());
  }
  storage::Certification record;
  record.doc_id = id;
  record.by = args.by.empty() ? default_certifier() : args.by;
  record.signer = credentials.subject().common_name;
  record.cert_sha256 = credentials.subject().fingerprint;
  record.pdf_sha256 = storage::sha256_of_file(args.out);
  try {
    db->add_certification(record);
  } catch (...) {
    // An unrecorded copy must not be handed out.
    std::error_code ec;
    fs::remove(args.out, ec);
    throw;
  }
  std::cout << id << "\t" << args.out.string() << "\t" << record.signer << "\t"
            << record.cert_sha256 << "\n";
  return kOk;
}

}  // namespace

void add_certify_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<CertifyArgs>();
  CLI::App* cmd = root.add_subcommand(
      "certify",
      "Make an electronic certified copy (SAO Y): the searchable PDF with the copy mark,\n"
      "signed (PAdES) with the copying body's key; prints ID, FILE, signer, certificate SHA-256");
  add_db_option(*cmd, args->db);
  cmd->add_option("DOC", args->doc, "Document id, or a unique prefix of its SHA-256")->required();
  cmd->add_option("--cert", args->cert, "Signing certificate (PEM or DER)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option(
         "--key", args->key,
         "Private key: PEM or PKCS#12 file, or a PKCS#11 URI (pkcs11:token=...;object=...,\n"
         "module from ?module-path= or $SOHOA_PKCS11_MODULE). Passphrase from\n"
         "$SOHOA_KEY_PASSPHRASE, PIN from $SOHOA_PIN, else asked on the terminal")
      ->required();
  cmd->add_option("--chain", args->chain, "Intermediate CA certificates to embed (PEM)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--by", args->by, "Who certifies (default: $SOHOA_USER, else $USER)");
  cmd->add_option("--out", args->out, "The signed PDF to write")->required();
  cmd->callback([args, &action] { action = [args] { return run_certify(*args); }; });
}

}  // namespace sohoa::cli
