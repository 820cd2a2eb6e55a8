// sohoa serve [--listen ADDR:PORT]: the web app and JSON API on this
// database, until SIGINT or SIGTERM.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/command.h"
#include "web/server.h"

namespace sohoa::cli {
namespace {

struct ServeArgs {
  std::filesystem::path db;
  std::string listen = "127.0.0.1:8080";
  int session_minutes = 480;
  int max_upload_mb = 200;
  int max_upload_files = 50;
  int jobs = 1;
};

web::ServeOptions serve_options(const ServeArgs& args) {
  web::ServeOptions o;
  o.db_path = args.db;
  size_t colon = args.listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == args.listen.size()) {
    throw UsageError("--listen '" + args.listen + "': expected ADDR:PORT, e.g. 127.0.0.1:8080");
  }
  o.host = args.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  std::string port = args.listen.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    throw UsageError("--listen '" + args.listen + "': the port must be 0 to 65535");
  }
  o.port = std::stoi(port);
  o.session_minutes = args.session_minutes;
  o.max_upload_bytes = static_cast<size_t>(args.max_upload_mb) << 20;
  o.max_upload_files = args.max_upload_files;
  o.ingest_jobs = args.jobs;
  return o;
}

int run_serve(const ServeArgs& args) {
  web::ServeOptions options = serve_options(args);
  if (!std::filesystem::exists(args.db)) {
    throw storage::StorageError(args.db.string() +
                                ": no sohoa database here; create one with sohoa units import "
                                "FILE.csv");
  }
  // Signals are taken by one thread, which stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  web::WebServer server(options);
  if (!server.bind()) {
    throw UsageError("--listen " + args.listen +
                     ": cannot listen there (in use, or no such "
                     "address)");
  }
  std::atomic<bool> signalled{false};
  std::thread watcher([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    signalled = true;
    server.stop();
  });
  std::cout << "listening on http://" << options.host << ":" << server.port() << std::endl;
  server.run();
  // Stopped by a signal, the watcher has returned; wake it otherwise.
  if (!signalled) pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  return kOk;
}

}  // namespace

void add_serve_command(CLI::App& root, Action& action) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd =
      root.add_subcommand("serve", "The web app and JSON API (/api/v1) on this database");
  cmd->footer(
      "Pages: /login, / (progress), /search, /documents/ID, /review, /upload. API under /api/v1\n"
      "(description at /api/v1/openapi.json). Make the first admin with\n"
      "  sohoa users add NAME --role admin   (the password is read from stdin)\n"
      "Serve plain HTTP on loopback and put a TLS reverse proxy in front "
      "(deploy/nginx-sohoa.conf).\n"
      "--listen 127.0.0.1:0 takes any free port; the first line printed says which.");
  add_db_option(*cmd, args->db);
  cmd->add_option("--listen", args->listen, "ADDR:PORT to listen on")->capture_default_str();
  cmd->add_option("--session-minutes", args->session_minutes, "How long a sign-in lasts")
      ->check(CLI::Range(5, 7 * 24 * 60))
      ->capture_default_str();
  cmd->add_option("--max-upload-mb", args->max_upload_mb, "Largest upload (all files), in MiB")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--max-upload-files", args->max_upload_files, "Most files in one upload")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--jobs", args->jobs, "OCR engines for uploaded scans")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return run_serve(*args); }; });
}

}  // namespace sohoa::cli
