#include "web/server.h"

#include <httplib.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "export/document.h"
#include "export/render.h"
#include "metadata/review.h"
#include "pipeline/ingest.h"
#include "pipeline/reassess.h"
#include "registry/csv_input.h"
#include "registry/progress_report.h"
#include "storage/database.h"
#include "web/access.h"
#include "web/auth.h"
#include "web/openapi.h"
#include "web/pages.h"
#include "web/records_json.h"
#include "web/result_cache.h"
#include "web/work_gate.h"

namespace sohoa::web {
namespace {

namespace fs = std::filesystem;
using httplib::Request;
using httplib::Response;

constexpr const char* kCookie = "sohoa_session";
constexpr int kMaxCachedHits = 100;
constexpr int kMaxFailedLogins = 5;
constexpr auto kFailureWindow = std::chrono::seconds(60);

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A reply with a status: thrown by route code, turned into {"error"} (API)
// or a page (HTML) in one place.
struct HttpError {
  int status;
  std::string message;
};

[[noreturn]] void fail(int status, std::string message) {
  throw HttpError{status, std::move(message)};
}

void send_json(Response& res, const json& body, int status = 200) {
  res.status = status;
  // Sources that are not UTF-8 print with U+FFFD (SPEC), as on the CLI.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void send_error(Response& res, int status, const std::string& message) {
  send_json(res, json{{"error", message}}, status);
}

void send_html(Response& res, const std::string& html, int status = 200) {
  res.status = status;
  res.set_content(html, "text/html; charset=utf-8");
}

std::string cookie_value(const Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<int64_t> parse_id(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(text);
}

int parse_int_param(const Request& req, const std::string& name, int fallback, int lo, int hi) {
  if (!req.has_param(name.c_str()) || req.get_param_value(name.c_str()).empty()) return fallback;
  auto v = parse_id(req.get_param_value(name.c_str()));
  if (!v || *v < lo || *v > hi) {
    fail(400, name + ": expected a whole number from " + std::to_string(lo) + " to " +
                  std::to_string(hi));
  }
  return static_cast<int>(*v);
}

std::string param(const Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// "scan (1).PNG" -> "001-scan__1_.PNG" (for index 1): the name a saved upload gets, with no
// path, no hidden-file dot and nothing a shell or a file system minds.
std::string safe_file_name(const std::string& name, size_t index) {
  std::string base =
      name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
  std::string out;
  for (char c : base) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 && byte < 0xC0) continue;  // one '_' per UTF-8 character
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.size() > 100) out = out.substr(out.size() - 100);
  if (out.empty()) out = "upload";
  char prefix[16];
  snprintf(prefix, sizeof prefix, "%03zu-", index);
  return prefix + out;
}

class LoginLimiter {
 public:
  // True when `user` has had kMaxFailedLogins failures in the last minute.
  bool blocked(const std::string& user) {
    std::lock_guard lock(mutex_);
    auto& times = prune(user);
    return static_cast<int>(times.size()) >= kMaxFailedLogins;
  }
  void failed(const std::string& user) {
    std::lock_guard lock(mutex_);
    prune(user).push_back(std::chrono::steady_clock::now());
  }
  void succeeded(const std::string& user) {
    std::lock_guard lock(mutex_);
    failures_.erase(user);
  }

 private:
  std::deque<std::chrono::steady_clock::time_point>& prune(const std::string& user) {
    auto& times = failures_[user];
    auto cutoff = std::chrono::steady_clock::now() - kFailureWindow;
    while (!times.empty() && times.front() < cutoff) times.pop_front();
    if (failures_.size() > 100000) failures_.clear();  // a flood of made-up names
    return failures_[user];
  }
  std::mutex mutex_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

// How far each upload's OCR has got, for the page that polls while the
// POST is still running (the client names its upload with X-Upload-Id).
// Only the caller that uploaded sees it; finished uploads are forgotten
// after kUploadMemory, and at most kMaxUploads are remembered.
class UploadTracker {
 public:
  static bool valid_id(const std::string& id) {
    return id.size() >= 16 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char ch) {
             return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
           });
  }

  void begin(const std::string& id, const std::string& owner, size_t files) {
    std::lock_guard lock(mutex_);
    prune();
    if (uploads_.count(id) != 0) fail(400, "X-Upload-Id: this upload id is in use");
    uploads_[id] = {owner, files, json::array(), false, std::chrono::steady_clock::now()};
  }
  void add(const std::string& id, const json& result) {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find(id);
    if (it != uploads_.end()) it->second.results.push_back(result);
  }
  void finish(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find(id);
    if (it == uploads_.end()) return;
    it->second.finished = true;
    it->second.at = std::chrono::steady_clock::now();
  }
  // {"files","done","finished","results"}; 404 for an unknown id or
  // another caller's upload.
  json status(const std::string& id, const std::string& owner) {
    std::lock_guard lock(mutex_);
    auto it = uploads_.find(id);
    if (it == uploads_.end() || it->second.owner != owner) fail(404, "no upload " + id);
    const Upload& u = it->second;
    return json{{"files", u.files},
                {"done", u.results.size()},
                {"finished", u.finished},
                {"results", u.results}};
  }

 private:
  static constexpr auto kUploadMemory = std::chrono::minutes(10);
  static constexpr size_t kMaxUploads = 200;
  struct Upload {
    std::string owner;
    size_t files = 0;
    json results;
    bool finished = false;
    std::chrono::steady_clock::time_point at;
  };
  void prune() {
    auto now = std::chrono::steady_clock::now();
    for (auto it = uploads_.begin(); it != uploads_.end();) {
      bool old = it->second.finished && now - it->second.at > kUploadMemory;
      it = old ? uploads_.erase(it) : std::next(it);
    }
    if (uploads_.size() >= kMaxUploads) fail(503, "too many uploads at once: try again later");
  }
  std::mutex mutex_;
  std::map<std::string, Upload> uploads_;
};

}  // namespace

struct WebServer::Impl {
  ServeOptions options;
  httplib::Server http;
  int bound_port = 0;
  LoginLimiter limiter;
  std::mutex ingest_mutex;  // one upload ingests at a time: OCR fills the cores
  std::string dummy_hash;   // verified against for unknown users, so timing tells nothing
  // Answers kept while the database is unchanged: a broad search ranks
  // every document, and progress counts every register row.
  ResultCache<std::vector<storage::SearchHit>> search_cache{512};
  ResultCache<registry::ProgressReport> progress_cache{64};
  ResultCache<storage::Database::PendingRows> pending_cache{64};
  UploadTracker uploads;
  WorkGate search_gate;

  // Two searches a core, measured (serve_bench 1M, idle machine): one a
  // core served 235 requests/s with search p95 180 ms and a citizen id's
  // p50 112 ms; two a core 371/s and p95 118 ms; four 344/s and 150 ms.
  static int slots_or_cores(int slots) {
    if (slots > 0) return slots;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) * 2);
  }

  explicit Impl(ServeOptions o)
      : options(std::move(o)), search_gate(slots_or_cores(options.search_slots)) {
    storage::Database::open(options.db_path);  // fail now, not on the first request
    dummy_hash = hash_password(random_hex(16));
    routes();
  }

  // One connection per request thread: a Database is not shared by threads.
  storage::Database& db() {
    thread_local std::unique_ptr<storage::Database> conn;
    thread_local std::string conn_path;
    if (!conn || conn_path != options.db_path.string()) {
      conn = storage::Database::open(options.db_path);
      conn_path = options.db_path.string();
    }
    return *conn;
  }

  // --- who is asking ---
  void limit_to_unit(Caller& c) {
    if (c.unit.empty()) return;
    c.units = db().predecessors_of(c.unit);
    c.units.insert(c.units.begin(), c.unit);
  }

  std::optional<Caller> caller_of(const Request& req) {
    std::string auth = req.get_header_value("Authorization");
    if (!auth.empty()) {
      if (auth.rfind("Bearer ", 0) != 0) return std::nullopt;
      auto token = db().token_by_hash(sha256_hex(auth.substr(7)));
      if (!token) return std::nullopt;
      Caller c{true, token->name, token->scope, token->unit, {}, ""};
      limit_to_unit(c);
      return c;
    }
    std::string sid = cookie_value(req, kCookie);
    if (sid.empty()) return std::nullopt;
    auto session = db().session(sha256_hex(sid), unix_now());
    if (!session) return std::nullopt;
    auto user = db().user(session->user);
    if (!user) return std::nullopt;
    Caller c{false, user->name,   user->role, user->role == "clerk" ? user->unit : "",
             {},    session->csrf};
    limit_to_unit(c);
    return c;
  }

  Caller require_caller(const Request& req) {
    auto c = caller_of(req);
    if (!c) fail(401, "sign in first, or send Authorization: Bearer TOKEN");
    return *c;
  }

  // A state-changing request: a session must echo its CSRF token.
  Caller require_writer(const Request& req) {
    Caller c = require_caller(req);
    if (!c.is_token && !same_secret(req.get_header_value("X-CSRF-Token"), c.csrf)) {
      fail(403, "missing or wrong X-CSRF-Token header");
    }
    return c;
  }

  // The document, or 404 when there is none or the caller may not see it.
  storage::StoredDocument visible_document(const Caller& c, const std::string& id_text) {
    auto id = parse_id(id_text);
    std::optional<storage::StoredDocument> doc;
    if (id) doc = db().document(*id);
    if (!doc || !can_see(c, *doc)) fail(404, "no document " + id_text);
    return *doc;
  }

  // --- routes ---
  using Route = std::function<void(const Request&, Response&)>;

  // API routes answer errors as {"error": TEXT}.
  Route api(Route body) {
    return [this, body](const Request& req, Response& res) {
      try {
        body(req, res);
      } catch (const HttpError& e) {
        send_error(res, e.status, e.message);
      } catch (const storage::InputError& e) {
        send_error(res, 400, e.what());
      } catch (const storage::StorageError& e) {
        std::cerr << "sohoa: " << e.what() << std::endl;
        send_error(res, 500, "database error");
      }
    };
  }

  // Pages send a person without a session to /login.
  Route page(std::function<void(const Caller&, const Request&, Response&)> body) {
    return [this, body](const Request& req, Response& res) {
      std::optional<Caller> c;
      try {
        c = caller_of(req);
        if (!c || c->is_token) {
          res.status = 303;
          res.set_header("Location", "/login");
          return;
        }
        body(*c, req, res);
      } catch (const HttpError& e) {
        send_html(res, message_page(*c, e.status == 404 ? "Không tìm thấy" : "Lỗi", e.message),
                  e.status);
      } catch (const storage::InputError& e) {
        send_html(res, message_page(*c, "Lỗi", e.what()), 400);
      }
    };
  }

  void routes() {
    http.Post("/api/v1/login", api([this](const Request& req, Response& res) { login(req, res); }));
    http.Post("/api/v1/logout",
              api([this](const Request& req, Response& res) { logout(req, res); }));
    http.Get("/api/v1/search", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               json hits = json::array();
               for (const auto& h : search(c, req)) hits.push_back(search_hit_json(h));
               send_json(res, json{{"hits", hits}});
             }));
    http.Get(R"(/api/v1/documents/([^/]+))", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               send_json(res, document_json(db(), visible_document(c, req.matches[1])));
             }));
    http.Get(R"(/api/v1/documents/([^/]+)/(pdf|alto|original))",
             api([this](const Request& req, Response& res) { export_document(req, res); }));
    http.Get(R"(/api/v1/citizens/([^/]+)/documents)",
             api([this](const Request& req, Response& res) { citizen_documents(req, res); }));
    http.Post(R"(/api/v1/documents/([^/]+)/corrections)",
              api([this](const Request& req, Response& res) { correct(req, res); }));
    http.Post("/api/v1/ingest",
              api([this](const Request& req, Response& res) { ingest_upload(req, res); }));
    http.Get("/api/v1/progress", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               res.set_content(registry::render_json(progress(c, req, "")),
                               "application/json; charset=utf-8");
             }));
    http.Get("/api/v1/register/pending", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               send_json(res, pending_json(pending(c, req, param(req, "unit"))));
             }));
    http.Get(R"(/api/v1/uploads/([0-9a-f]{16,64}))", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               send_json(res, uploads.status(req.matches[1], c.name));
             }));
    http.Get("/api/v1/audit", api([this](const Request& req, Response& res) {
               Caller c = require_caller(req);
               if (!is_admin(c)) fail(404, "not found");
               int limit = parse_int_param(req, "limit", 100, 1, 10000);
               json entries = json::array();
               for (const auto& e : db().audit(limit)) {
                 entries.push_back(
                     {{"at", e.at}, {"user", e.user}, {"action", e.action}, {"target", e.target}});
               }
               send_json(res, json{{"entries", entries}});
             }));
    http.Get("/api/v1/openapi.json", api([this](const Request& req, Response& res) {
               require_caller(req);
               res.set_content(openapi_json(), "application/json; charset=utf-8");
             }));
    http.Get(R"(/api/v1/documents/([^/]+)/pages/(\d+)\.png)",
             api([this](const Request& req, Response& res) { page_image(req, res); }));
    auto unknown_api = api([this](const Request& req, Response&) {
      require_caller(req);
      fail(404, "no such API route");
    });
    http.Get(R"(/api/.*)", unknown_api);
    http.Post(R"(/api/.*)", unknown_api);

    http.Get("/static/app.css", [](const Request&, Response& res) {
      res.set_header("Cache-Control", "max-age=3600");
      res.set_content(app_css(), "text/css; charset=utf-8");
    });
    http.Get("/static/app.js", [](const Request&, Response& res) {
      res.set_header("Cache-Control", "max-age=3600");
      res.set_content(app_js(), "text/javascript; charset=utf-8");
    });
    http.Get("/login", [](const Request&, Response& res) { send_html(res, login_page()); });
    http.Get("/", page([this](const Caller& c, const Request& req, Response& res) {
               send_html(res,
                         dashboard_page(c, progress(c, req, "level"), progress(c, req, "unit")));
             }));
    http.Get(R"(/units/([^/]+))", page([this](const Caller& c, const Request& req, Response& res) {
               std::string unit = req.matches[1];
               Pending p = pending(c, req, unit);
               registry::ProgressReport report = progress(c, req, "unit", unit);
               send_html(res, unit_page(c, *p.unit, report, *p.rows, p.as_of));
             }));
    http.Get("/search", page([this](const Caller& c, const Request& req, Response& res) {
               SearchForm form{param(req, "q"), param(req, "unit"), param(req, "level"),
                               param(req, "year"), param(req, "type")};
               bool searched = req.has_param("q");
               std::vector<storage::SearchHit> hits;
               std::string error;
               if (searched) {
                 try {
                   hits = search(c, req);
                 } catch (const HttpError& e) {
                   error = e.message;
                 } catch (const storage::InputError& e) {
                   error = e.what();
                 }
               }
               send_html(res, search_page(c, form, hits, error, searched));
             }));
    http.Get(
        R"(/documents/([^/]+))", page([this](const Caller& c, const Request& req, Response& res) {
          storage::StoredDocument doc = visible_document(c, req.matches[1]);
          // The queue is scanned only for documents in it: an ok page stays cheap.
          std::vector<std::string> reasons;
          if (doc.status != "ok") {
            for (const auto& item : db().review_queue()) {
              if (item.id == doc.id) reasons = item.reasons;
            }
          }
          send_html(res, document_page(c, doc, db().corrections(doc.id), reasons, param(req, "q")));
        }));
    http.Get("/review", page([this](const Caller& c, const Request&, Response& res) {
               std::vector<storage::Database::ReviewItem> items;
               for (auto& item : db().review_queue()) {
                 if (can_see(c, item.issuer_unit, item.unit)) items.push_back(std::move(item));
               }
               send_html(res, review_page(c, items));
             }));
    http.Get("/upload", page([](const Caller& c, const Request&, Response& res) {
               send_html(res, upload_page(c));
             }));
    http.Get("/audit", page([this](const Caller& c, const Request&, Response& res) {
               if (!is_admin(c)) fail(404, "Không có trang này.");
               send_html(res, audit_page(c, db().audit(500)));
             }));

    http.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
      std::string what = "unknown error";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      std::cerr << "sohoa: " << req.method << " " << req.path << ": " << what << std::endl;
      send_error(res, 500, "internal error");
    });
    http.set_error_handler([](const Request& req, Response& res) {
      if (!res.body.empty()) return;
      if (req.path.rfind("/api/", 0) == 0) {
        send_error(res, res.status, res.status == 413 ? "request too large" : "not found");
      } else {
        res.set_content(res.status == 404 ? "Không tìm thấy trang này." : "Lỗi.",
                        "text/plain; charset=utf-8");
      }
    });
    http.set_payload_max_length(options.max_upload_bytes + (1u << 20));
    int threads = options.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_keep_alive_max_count(1000);
    // A reply is written as headers then body: without this, Nagle's
    // algorithm and the client's delayed ACK hold the body back ~40 ms.
    http.set_tcp_nodelay(true);
    http.set_read_timeout(30, 0);
    http.set_write_timeout(30, 0);
  }

  // --- handlers ---
  void login(const Request& req, Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("user") || !body.contains("password") ||
        !body["user"].is_string() || !body["password"].is_string()) {
      fail(400, "expected JSON {\"user\": TEXT, \"password\": TEXT}");
    }
    std::string name = body["user"], password = body["password"];
    if (limiter.blocked(name)) {
      res.set_header("Retry-After", "60");
      fail(429, "too many failed sign-ins for this user: wait a minute");
    }
    auto user = is_valid_name(name) ? db().user(name) : std::nullopt;
    bool ok = user ? verify_password(user->password_hash, password)
                   : (verify_password(dummy_hash, password), false);
    if (!ok) {
      limiter.failed(name);
      db().append_audit(is_valid_name(name) ? name : "?", "login.failed", "");
      fail(401, "wrong user name or password");
    }
    limiter.succeeded(name);
    std::string sid = random_hex(32), csrf = random_hex(16);
    int64_t ttl = int64_t{options.session_minutes} * 60;
    db().add_session({sha256_hex(sid), user->name, csrf, unix_now() + ttl});
    db().append_audit(user->name, "login", "");
    bool https = req.get_header_value("X-Forwarded-Proto") == "https";
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + sid +
                                     "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                     std::to_string(ttl) + (https ? "; Secure" : ""));
    send_json(res, json{{"user", user->name},
                        {"role", user->role},
                        {"unit", user->role == "clerk" ? json(user->unit) : json(nullptr)},
                        {"csrf", csrf}});
  }

  void logout(const Request& req, Response& res) {
    Caller c = require_writer(req);
    if (c.is_token) fail(400, "a token has no session to end");
    db().remove_session(sha256_hex(cookie_value(req, kCookie)), unix_now());
    db().append_audit(c.name, "logout", "");
    res.set_header("Set-Cookie",
                   std::string(kCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    send_json(res, json{{"ok", true}});
  }

  std::vector<storage::SearchHit> search(const Caller& c, const Request& req) {
    storage::SearchQuery q;
    q.text = param(req, "q");
    q.unit = param(req, "unit");
    q.level = param(req, "level");
    if (!q.level.empty() && q.level != "tinh" && q.level != "huyen" && q.level != "xa") {
      fail(400, "level: expected tinh, huyen or xa");
    }
    q.year = parse_int_param(req, "year", 0, 1900, 2200);
    q.type = param(req, "type");
    q.limit = parse_int_param(req, "limit", 20, 1, 1000);
    q.within_units = c.units;
    std::string key = q.text + '\x1f' + q.unit + '\x1f' + q.level + '\x1f' +
                      std::to_string(q.year) + '\x1f' + q.type + '\x1f' + std::to_string(q.limit);
    for (const auto& u : q.within_units) key += '\x1f' + u;
    // Long result lists are not kept: at most 512 x kMaxCachedHits hits stay.
    auto compute = [&] {
      WorkGate::Pass pass(search_gate);
      return db().search(q);
    };
    if (q.limit > kMaxCachedHits) return compute();
    return *search_cache.get(key, db().data_generation(), compute);
  }

  // Register rows of a unit (with its predecessors) not digitized yet.
  struct Pending {
    std::optional<storage::Unit> unit;
    std::string as_of;
    std::shared_ptr<const storage::Database::PendingRows> rows;
  };
  Pending pending(const Caller& c, const Request& req, const std::string& unit) {
    Pending p;
    if (unit.empty()) fail(400, "unit: give a unit code");
    p.unit = db().unit(unit);
    if (!p.unit || !has_unit(c, unit)) fail(404, "no unit " + unit);
    std::string as_of = param(req, "as_of");
    if (as_of.empty()) {
      p.as_of = registry::today_iso();
    } else {
      auto iso = registry::parse_date(as_of);
      if (!iso) fail(400, "as_of: expected a date (YYYY-MM-DD)");
      p.as_of = *iso;
    }
    int limit = parse_int_param(req, "limit", 200, 1, 10000);
    std::vector<std::string> units = db().predecessors_of(unit);
    units.push_back(unit);
    std::string key = unit + '\x1f' + p.as_of + '\x1f' + std::to_string(limit);
    p.rows = pending_cache.get(key, db().data_generation(),
                               [&] { return db().undigitized_rows(units, p.as_of, limit); });
    return p;
  }

  static json pending_json(const Pending& p) {
    auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json rows = json::array();
    for (const auto& r : p.rows->rows) {
      rows.push_back({{"unit", r.unit},
                      {"doc_number", r.doc_number},
                      {"issued_date", r.issued_date},
                      {"valid_until", or_null(r.valid_until)},
                      {"dossier_code", or_null(r.dossier_code)},
                      {"procedure_code", or_null(r.procedure_code)},
                      {"doc_type", or_null(r.doc_type)},
                      {"title", or_null(r.title)}});
    }
    return json{
        {"unit", p.unit->code}, {"as_of", p.as_of}, {"total", p.rows->total}, {"rows", rows}};
  }

  registry::ProgressReport progress(const Caller& c, const Request& req, const std::string& by,
                                    const std::string& only_unit = "") {
    registry::ProgressOptions o;
    o.by = by.empty() ? (param(req, "by").empty() ? "level" : param(req, "by")) : by;
    if (o.by != "level" && o.by != "unit") fail(400, "by: expected level or unit");
    o.period = param(req, "period").empty() ? "year" : param(req, "period");
    if (o.period != "year" && o.period != "half" && o.period != "quarter") {
      fail(400, "period: expected year, half or quarter");
    }
    o.from = parse_int_param(req, "from", 0, 1900, 2200);
    o.to = parse_int_param(req, "to", 0, 1900, 2200);
    o.as_of = param(req, "as_of");
    o.level = param(req, "level");
    o.unit = only_unit.empty() ? param(req, "unit") : only_unit;
    if (!c.units.empty()) {
      if (o.unit.empty()) o.unit = c.unit;
      if (!has_unit(c, o.unit)) fail(404, "no unit " + o.unit);
    }
    return *cached_progress(o);
  }

  std::shared_ptr<const registry::ProgressReport> cached_progress(
      const registry::ProgressOptions& o) {
    std::string key = o.by + '\x1f' + o.period + '\x1f' + std::to_string(o.from) + '\x1f' +
                      std::to_string(o.to) + '\x1f' + o.as_of + '\x1f' + o.level + '\x1f' + o.unit +
                      '\x1f' + registry::today_iso();
    return progress_cache.get(key, db().data_generation(),
                              [&] { return registry::compute_progress(db(), o); });
  }

  // The whole-store dashboard's two reports (what "/" shows a supervisor,
  // viewer or admin), computed once at start so that the first visitors do
  // not wait for a count of every register row (~1 s at 1M rows). Requests
  // arriving meanwhile wait for this computation rather than repeat it.
  void warm_dashboard() {
    try {
      for (const char* by : {"level", "unit"}) {
        registry::ProgressOptions o;
        o.by = by;
        o.period = "year";
        cached_progress(o);
      }
    } catch (const std::exception& e) {
      std::cerr << "sohoa: dashboard: " << e.what() << std::endl;
    }
  }

  void export_document(const Request& req, Response& res) {
    Caller c = require_caller(req);
    storage::StoredDocument doc = visible_document(c, req.matches[1]);
    std::string kind = req.matches[2];
    exports::DocumentExporter exporter(options.db_path);
    std::string name = exports::export_base_name(doc);
    try {
      if (kind == "pdf") {
        res.set_content(exporter.pdf(doc).bytes, "application/pdf");
        name += ".pdf";
      } else if (kind == "alto") {
        res.set_content(exporter.alto(doc), "application/xml; charset=utf-8");
        name += ".xml";
      } else {
        fs::path original = exporter.verified_original(doc);
        std::ifstream in(original, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        std::string source = doc.source.substr(0, doc.source.find('#'));
        name += fs::path(source).extension().string();
        res.set_content(bytes.str(), "application/octet-stream");
      }
    } catch (const exports::NotExportable& e) {
      fail(409, e.what());
    } catch (const exports::ArchiveError& e) {
      std::cerr << "sohoa: " << e.what() << std::endl;
      fail(500, "the archived original is missing or damaged");
    } catch (const pipeline::LoadError& e) {
      std::cerr << "sohoa: document " << doc.id << ": " << e.what() << std::endl;
      fail(500, "the archived original cannot be read");
    }
    res.set_header("Content-Disposition",
                   "attachment; filename=\"" + safe_file_name(name, 0).substr(4) + "\"");
  }

  void citizen_documents(const Request& req, Response& res) {
    Caller c = require_caller(req);
    std::string id = req.matches[1];
    bool digits = !id.empty() && std::all_of(id.begin(), id.end(), ::isdigit);
    if (!digits || (id.size() != 9 && id.size() != 12)) {
      fail(400, "a citizen id is 12 digits (CCCD) or 9 digits (CMND)");
    }
    json docs = json::array();
    for (const auto& d : db().documents_of_citizen(id)) {
      if (!c.units.empty()) {
        auto full = db().document(d.id);
        if (!full || !can_see(c, *full)) continue;
      }
      auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
      docs.push_back({{"id", d.id},
                      {"doc_number", or_null(d.doc_number)},
                      {"issued_date", or_null(d.issued_date)},
                      {"doc_type", or_null(d.doc_type)},
                      {"unit", or_null(d.unit)}});
    }
    send_json(res, json{{"documents", docs}});
  }

  void correct(const Request& req, Response& res) {
    Caller c = require_writer(req);
    if (!can_correct(c)) fail(403, "your role may not correct documents");
    auto id = parse_id(req.matches[1]);
    std::optional<storage::StoredDocument> doc;
    if (id) doc = db().document(*id);
    if (!doc || !can_see(c, *doc))
      fail(403, "you may not correct document " + req.matches[1].str());
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("field") || !body["field"].is_string() ||
        !body.contains("value") || !body["value"].is_string()) {
      fail(400, "expected JSON {\"field\": TEXT, \"value\": TEXT}");
    }
    std::string field = body["field"], value;
    try {
      value = metadata::normalize_correction(field, body["value"].get<std::string>());
    } catch (const std::invalid_argument& e) {
      fail(400, e.what());
    }
    db().add_correction(doc->id, field, value, c.name);
    // A correction may settle what sent the document to review: decide
    // again, as `review --set` does.
    pipeline::refresh_status(db(), doc->id);
    db().append_audit(c.name, "correct", "document " + std::to_string(doc->id) + " " + field);
    send_json(res, document_json(db(), *db().document(doc->id)));
  }

  // The unit an upload is ingested for: a limited caller's own unit,
  // otherwise the form's `unit` field, which must name a known unit.
  std::string upload_unit(const Caller& c, const Request& req) {
    std::string asked = req.has_file("unit") ? req.get_file_value("unit").content : "";
    if (!c.unit.empty()) {
      if (!asked.empty() && asked != c.unit)
        fail(403, "you may ingest for unit " + c.unit + " only");
      return c.unit;
    }
    if (asked.empty()) fail(400, "give the form field unit=CODE");
    if (!db().unit(asked)) fail(400, "unknown unit '" + asked + "'");
    return asked;
  }

  void ingest_upload(const Request& req, Response& res) {
    Caller c = require_writer(req);
    if (!can_ingest(c)) fail(403, "your role may not ingest");
    if (!req.is_multipart_form_data()) fail(400, "send the scans as multipart/form-data");
    std::vector<const httplib::MultipartFormData*> files;
    size_t total = 0;
    for (const auto& [name, part] : req.files) {
      if (part.filename.empty()) continue;  // a plain field such as unit
      files.push_back(&part);
      total += part.content.size();
    }
    if (files.empty()) fail(400, "no file in the upload");
    if (static_cast<int>(files.size()) > options.max_upload_files) {
      fail(413, "at most " + std::to_string(options.max_upload_files) + " files per upload");
    }
    if (total > options.max_upload_bytes) fail(413, "upload too large");
    std::string unit = upload_unit(c, req);
    std::string upload_id = req.get_header_value("X-Upload-Id");
    if (!upload_id.empty()) {
      if (!UploadTracker::valid_id(upload_id)) {
        fail(400, "X-Upload-Id: expected 16 to 64 lower-case hex digits");
      }
      uploads.begin(upload_id, c.name, files.size());
    }
    struct Finish {
      UploadTracker& tracker;
      const std::string& id;
      ~Finish() {
        if (!id.empty()) tracker.finish(id);
      }
    } finish{uploads, upload_id};

    fs::path dir = private_upload_dir();
    std::vector<fs::path> paths;
    std::map<std::string, std::string> shown;  // saved path -> the name the client sent
    for (size_t i = 0; i < files.size(); ++i) {
      fs::path p = dir / safe_file_name(files[i]->filename, i + 1);
      std::ofstream out(p, std::ios::binary);
      out.write(files[i]->content.data(), static_cast<std::streamsize>(files[i]->content.size()));
      if (!out.flush()) {
        fs::remove_all(dir);
        fail(500, "cannot save the upload");
      }
      paths.push_back(p);
      shown[p.string()] = safe_file_name(files[i]->filename, i + 1).substr(4);
    }
    pipeline::IngestOptions o;
    o.inputs = paths;
    o.db_path = options.db_path;
    o.unit = unit;
    o.station = "web";
    o.digitized_at = registry::today_iso();
    o.jobs = options.ingest_jobs;
    json results = json::array();
    try {
      std::lock_guard lock(ingest_mutex);
      pipeline::ingest(o, [&](const pipeline::FileOutcome& outcome) {
        pipeline::FileOutcome reported = outcome;
        auto it = shown.find(outcome.file);
        if (it != shown.end()) {
          reported.source = it->second + outcome.source.substr(outcome.file.size());
        }
        results.push_back(ingest_outcome_json(reported));
        if (!upload_id.empty()) uploads.add(upload_id, results.back());
        db().append_audit(c.name, "ingest",
                          reported.source + " " + (outcome.id ? std::to_string(*outcome.id) : "-") +
                              " " + outcome.status);
      });
    } catch (...) {
      fs::remove_all(dir);
      throw;
    }
    fs::remove_all(dir);
    send_json(res, json{{"results", results}});
  }

  // A fresh folder only this process may read, beside the database.
  fs::path private_upload_dir() {
    fs::path base = options.db_path.string() + ".uploads";
    std::error_code ec;
    fs::create_directories(base, ec);
    chmod(base.c_str(), 0700);
    std::string templ = (base / "up-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) fail(500, "cannot make a folder for the upload");
    return templ;
  }

  void page_image(const Request& req, Response& res);
};

// The page upright and deskewed, as OCR read it (so the stored word boxes
// fit it), scaled to at most kPageImageWidth pixels wide, as PNG.
constexpr int kPageImageWidth = 1400;

void WebServer::Impl::page_image(const Request& req, Response& res) {
  Caller c = require_caller(req);
  storage::StoredDocument doc = visible_document(c, req.matches[1]);
  auto n = parse_id(req.matches[2]);
  if (!n || *n < 1 || *n > static_cast<int64_t>(doc.pages.size())) fail(404, "no such page");
  const storage::PageRecord& record = doc.pages[static_cast<size_t>(*n - 1)];
  exports::DocumentExporter exporter(options.db_path);
  cv::Mat image;
  try {
    pipeline::ScanFile scan(exporter.verified_original(doc));
    exports::PageReplay replay;
    int file_page = exports::first_file_page(doc) + static_cast<int>(*n - 1);
    image = replay.restore(scan, file_page, record).page.image;
  } catch (const exports::ArchiveError& e) {
    std::cerr << "sohoa: " << e.what() << std::endl;
    fail(500, "the archived original is missing or damaged");
  } catch (const pipeline::LoadError& e) {
    fail(409, std::string("the page cannot be shown: ") + e.what());
  }
  if (image.cols > kPageImageWidth) {
    double f = static_cast<double>(kPageImageWidth) / image.cols;
    cv::resize(image, image, cv::Size(), f, f, cv::INTER_AREA);
  }
  std::vector<unsigned char> png;
  cv::imencode(".png", image, png);
  res.set_header("Cache-Control", "private, max-age=300");
  res.set_content(std::string(png.begin(), png.end()), "image/png");
}

WebServer::WebServer(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
WebServer::~WebServer() = default;

bool WebServer::bind() {
  if (impl_->options.port == 0) {
    impl_->bound_port = impl_->http.bind_to_any_port(impl_->options.host);
    return impl_->bound_port > 0;
  }
  if (!impl_->http.bind_to_port(impl_->options.host, impl_->options.port)) return false;
  impl_->bound_port = impl_->options.port;
  return true;
}

int WebServer::port() const { return impl_->bound_port; }
void WebServer::run() {
  std::thread warm([this] { impl_->warm_dashboard(); });
  impl_->http.listen_after_bind();
  warm.join();
}
void WebServer::stop() { impl_->http.stop(); }

}  // namespace sohoa::web
