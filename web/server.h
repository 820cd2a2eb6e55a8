// sohoa serve: the web app and JSON API over one database (SPEC "Web app and
// API"). HTTP with cpp-httplib on a pool of threads, each with its own
// database connection; TLS is the reverse proxy's job (deploy/).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace sohoa::web {

struct ServeOptions {
  std::filesystem::path db_path;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see WebServer::port)
  int session_minutes = 8 * 60;
  std::size_t max_upload_bytes = 200u << 20;  // one ingest request, all files
  int max_upload_files = 50;
  int ingest_jobs = 1;   // OCR engines for uploads; the office machine serves too
  int threads = 24;      // request threads (keep-alive connections each hold one)
  int search_slots = 0;  // searches computed at once (web/work_gate.h); 0 = two a core
};

class WebServer {
 public:
  // Checks that the database opens. Throws storage::StorageError.
  explicit WebServer(ServeOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds the address; false when it cannot (in use, bad address). After a
  // successful bind, port() is the port bound.
  bool bind();
  int port() const;
  // Serves until stop(); returns when stopped.
  void run();
  // Thread- and signal-safe enough to call from a signal-watching thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sohoa::web
