// The JSON API of a real `sohoa serve` on a loopback port, over a real
// SQLite file: users made with `sohoa users add` (password on stdin), tokens
// with `sohoa tokens add`; each role's allowed and refused routes, a clerk's
// 404 for another unit's documents, CSRF, the brute-force 429, token
// scopes, and uploads of a real scan and a broken one through the ingest
// path.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>

#include "metadata/extract.h"
#include "ocr/layout_json.h"
#include "storage/database.h"
#include "tests/support/extract_fixtures.h"
#include "tests/support/test_support.h"
#include "tests/web/serve_test_util.h"

namespace fx = sohoa::testing::fixtures;
using nlohmann::json;
using sohoa::testing::run;
using sohoa::testing::sohoa_bin;

namespace {

constexpr const char* kPassword = "mật khẩu dài 2022";

struct Env {
  sohoa::testing::TempDir dir;
  std::string db;
  int64_t doc_hoa_dong = 0;  // issued and scanned by hoa-dong (a predecessor of xa-hoa-thinh)
  int64_t doc_hoa_phu = 0;   // issued and scanned by hoa-phu
  int64_t doc_review = 0;    // hoa-dong, number unreadable: in review
  std::string reader_token, writer_token;
  std::unique_ptr<sohoa::testing::ServeProcess> server;
};
Env* env = nullptr;

sohoa::testing::RunResult sohoa(std::vector<std::string> args, const std::string* input = nullptr) {
  args.insert(args.begin(), sohoa_bin());
  args.push_back("--db");
  args.push_back(env->db);
  return run(args, {}, input);
}

int64_t store(sohoa::storage::Database& db, const fx::Header& h, const std::string& unit,
              const std::string& sha) {
  sohoa::ocr::PageText page = fx::decision(h);
  sohoa::metadata::MetadataExtractor extractor(db.units());
  sohoa::metadata::Extraction e = extractor.extract({page}, unit);
  sohoa::storage::NewDocument doc;
  doc.sha256 = sha;
  doc.source = "scans/" + sha + ".png";
  doc.unit = unit;
  doc.issuer_unit = e.issuer_unit;
  doc.level = "xa";
  doc.digitized_at = "2022-06-30";
  doc.review_reasons = e.review_reasons;
  doc.status = e.review_reasons.empty() ? "ok" : "review";
  doc.fields = e.fields;
  sohoa::storage::PageRecord p;
  p.page = 1;
  p.width = page.width;
  p.height = page.height;
  p.dpi = 300;
  p.text = page.text;
  p.layout_json = sohoa::ocr::layout_to_json(page);
  doc.pages.push_back(p);
  return db.store_document(doc);
}

void add_user(const std::string& name, const std::string& role, const std::string& unit = "") {
  std::string input = std::string(kPassword) + "\n";
  std::vector<std::string> args = {"users", "add", name, "--role", role};
  if (!unit.empty()) args.insert(args.end(), {"--unit", unit});
  auto r = sohoa(args, &input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string add_token(const std::string& name, const std::string& scope,
                      const std::string& unit = "") {
  std::vector<std::string> args = {"tokens", "add", name, "--scope", scope};
  if (!unit.empty()) args.insert(args.end(), {"--unit", unit});
  auto r = sohoa(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string token = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(token.rfind("sohoa_", 0), 0u) << r.out;
  return token;
}

class ServeApi : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    env = new Env;
    env->db = (env->dir / "sohoa.db").string();
    auto r = sohoa({"units", "import", sohoa::testing::units_csv_path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    {
      auto db = sohoa::storage::Database::open(env->db);
      env->doc_hoa_dong = store(*db, {}, "hoa-dong", "aa01");
      fx::Header phu;
      phu.authority = {"ỦY BAN NHÂN DÂN", "XÃ HÒA PHÚ"};
      phu.number = "Số: 77/QĐ-UBND";
      phu.date = "Hòa Phú, ngày 05 tháng 7 năm 2022";
      env->doc_hoa_phu = store(*db, phu, "hoa-phu", "bb02");
      fx::Header unreadable;
      unreadable.number = "";
      env->doc_review = store(*db, unreadable, "hoa-dong", "cc03");
    }
    sohoa::testing::write_file(env->dir / "register.csv",
                               "unit,doc_number,issued_date,valid_until\n"
                               "hoa-dong,392/QĐ-UBND,2022-06-03,\n"
                               "hoa-dong,400/QĐ-UBND,2022-08-01,\n"
                               "hoa-phu,77/QĐ-UBND,2022-07-05,\n");
    r = sohoa({"register", "import", (env->dir / "register.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    add_user("an", "admin");
    add_user("binh", "supervisor");
    add_user("chi", "clerk", "xa-hoa-thinh");
    add_user("dung", "viewer");
    add_user("eve", "viewer");
    env->reader_token = add_token("portal", "reader");
    env->writer_token = add_token("one-stop-shop", "writer", "hoa-dong");
    env->server = std::make_unique<sohoa::testing::ServeProcess>(env->db);
  }
  static void TearDownTestSuite() {
    delete env;
    env = nullptr;
  }

 protected:
  httplib::Client client() {
    httplib::Client c("127.0.0.1", env->server->port());
    c.set_read_timeout(120, 0);
    return c;
  }

  struct Session {
    std::string cookie;  // "sohoa_session=…"
    std::string csrf;
  };

  Session login(const std::string& user, const std::string& password = kPassword) {
    auto res = client().Post("/api/v1/login", json{{"user", user}, {"password", password}}.dump(),
                             "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    std::string set_cookie = res->get_header_value("Set-Cookie");
    return {set_cookie.substr(0, set_cookie.find(';')), json::parse(res->body).value("csrf", "")};
  }

  httplib::Headers as(const Session& s, bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", s.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }

  static httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  httplib::Result get(const std::string& path, const httplib::Headers& h) {
    return client().Get(path.c_str(), h);
  }

  httplib::Result correct(const httplib::Headers& h, int64_t id, const std::string& field,
                          const std::string& value) {
    return client().Post(("/api/v1/documents/" + std::to_string(id) + "/corrections").c_str(), h,
                         json{{"field", field}, {"value", value}}.dump(), "application/json");
  }

  static std::string error_of(const httplib::Result& res) {
    json body = json::parse(res->body, nullptr, false);
    return body.is_object() && body.contains("error") ? body["error"].get<std::string>() : "";
  }

  std::string doc_path(int64_t id) { return "/api/v1/documents/" + std::to_string(id); }
};

TEST_F(ServeApi, UsersAreStoredWithArgon2idHashesOnly) {
  auto r = sohoa({"users", "list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = sohoa::testing::lines_of(r.out);
  ASSERT_EQ(lines.size(), 5u);
  json chi = json::parse(lines[2]);
  EXPECT_EQ(chi["name"], "chi");
  EXPECT_EQ(chi["role"], "clerk");
  EXPECT_EQ(chi["unit"], "xa-hoa-thinh");
  EXPECT_FALSE(chi.contains("password_hash"));
  EXPECT_EQ(r.out.find("argon2"), std::string::npos);
  auto db = sohoa::storage::Database::open(env->db);
  auto an = db->user("an");
  ASSERT_TRUE(an);
  EXPECT_EQ(an->password_hash.rfind("$argon2id$", 0), 0u) << an->password_hash;
  // Two users with one password get different salts.
  EXPECT_NE(an->password_hash, db->user("binh")->password_hash);
  EXPECT_EQ(sohoa::testing::read_file(env->db).find(kPassword), std::string::npos);
}

TEST_F(ServeApi, UsersAddRefusesBadInputAndChangesNothing) {
  std::string short_pw = "short\n", good = std::string(kPassword) + "\n";
  auto r = sohoa({"users", "add", "x1", "--role", "viewer"}, &short_pw);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("at least 8"), std::string::npos) << r.err;
  r = sohoa({"users", "add", "x2", "--role", "clerk"}, &good);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--unit"), std::string::npos) << r.err;
  r = sohoa({"users", "add", "x3", "--role", "clerk", "--unit", "no-such"}, &good);
  EXPECT_EQ(r.exit_code, 1);
  r = sohoa({"users", "add", "an", "--role", "viewer"}, &good);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = sohoa({"users", "add", "x4", "--role", "viewer"});  // no password on stdin
  EXPECT_EQ(r.exit_code, 1);
  r = sohoa({"users", "add", "bad/name", "--role", "viewer"}, &good);
  EXPECT_EQ(r.exit_code, 1);
  r = sohoa({"users", "add", "x5", "--role", "root"}, &good);
  EXPECT_EQ(r.exit_code, 1);
  r = sohoa({"users", "remove", "nobody"});
  EXPECT_EQ(r.exit_code, 1);
  auto listed = sohoa::testing::lines_of(sohoa({"users", "list"}).out);
  ASSERT_EQ(listed.size(), 6u);  // a header line, then the five users
  EXPECT_EQ(listed[0], "name\trole\tunit\tcreated_at");
}

TEST_F(ServeApi, NothingAnswersWithoutASessionOrToken) {
  for (const std::string& path :
       {std::string("/api/v1/search?q=a"), doc_path(env->doc_hoa_dong),
        doc_path(env->doc_hoa_dong) + "/original", std::string("/api/v1/progress"),
        std::string("/api/v1/citizens/054080123456/documents"), std::string("/api/v1/audit"),
        std::string("/api/v1/openapi.json"), std::string("/api/v1/no-such-route")}) {
    auto res = get(path, {});
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_FALSE(error_of(res).empty()) << path << ": " << res->body;
  }
  httplib::MultipartFormDataItems scan = {{"files", "x", "a.png", "image/png"}};
  auto res = client().Post("/api/v1/ingest", scan);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(correct({}, env->doc_hoa_dong, "place", "X")->status, 401);
  EXPECT_EQ(get(doc_path(1), bearer("sohoa_wrong"))->status, 401);
  EXPECT_EQ(get(doc_path(1), {{"Cookie", "sohoa_session=forged"}})->status, 401);
  // Pages send a person to the login page; it and the assets answer.
  res = get("/search?q=a", {});
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/login");
  EXPECT_EQ(get("/login", {})->status, 200);
  EXPECT_EQ(get("/static/app.js", {})->status, 200);
}

TEST_F(ServeApi, LoginSetsAStrictHttpOnlyCookieAndCsrf) {
  auto res = client().Post("/api/v1/login", json{{"user", "chi"}, {"password", kPassword}}.dump(),
                           "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  EXPECT_EQ(body["user"], "chi");
  EXPECT_EQ(body["role"], "clerk");
  EXPECT_EQ(body["unit"], "xa-hoa-thinh");
  EXPECT_EQ(body["csrf"].get<std::string>().size(), 32u);
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("sohoa_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age="), std::string::npos) << cookie;
  // The session id is kept only as a hash.
  std::string sid = cookie.substr(14, cookie.find(';') - 14);
  EXPECT_EQ(sohoa::testing::read_file(env->db).find(sid), std::string::npos);

  res = client().Post("/api/v1/login", json{{"user", "chi"}, {"password", "wrong password"}}.dump(),
                      "application/json");
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(res->get_header_value("Set-Cookie").empty());
  res = client().Post("/api/v1/login", "{not json", "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_FALSE(error_of(res).empty());
}

TEST_F(ServeApi, FiveFailedLoginsInAMinuteGive429EvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) {
    auto res = client().Post(
        "/api/v1/login", json{{"user", "eve"}, {"password", "guess " + std::to_string(i)}}.dump(),
        "application/json");
    ASSERT_EQ(res->status, 401) << i;
  }
  auto res = client().Post("/api/v1/login", json{{"user", "eve"}, {"password", kPassword}}.dump(),
                           "application/json");
  EXPECT_EQ(res->status, 429);
  EXPECT_FALSE(error_of(res).empty());
  // Another user is not locked out by eve's failures.
  login("dung");
}

TEST_F(ServeApi, DocumentJsonIsShowJsonByteForByte) {
  Session s = login("binh");
  for (int64_t id : {env->doc_hoa_dong, env->doc_hoa_phu}) {
    auto res = get(doc_path(id), as(s));
    ASSERT_EQ(res->status, 200);
    auto shown = sohoa({"show", std::to_string(id), "--json"});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_EQ(res->body + "\n", shown.out);
  }
  EXPECT_EQ(get("/api/v1/documents/999999", as(s))->status, 404);
  EXPECT_EQ(get("/api/v1/documents/..%2F..%2Fetc%2Fpasswd", as(s))->status, 404);
  EXPECT_EQ(get("/api/v1/documents/1e3", as(s))->status, 404);
}

TEST_F(ServeApi, AClerkSeesItsUnitAndPredecessorsOnly) {
  Session s = login("chi");
  EXPECT_EQ(get(doc_path(env->doc_hoa_dong), as(s))->status, 200);
  auto other = get(doc_path(env->doc_hoa_phu), as(s));
  EXPECT_EQ(other->status, 404);  // not 403: nothing tells it exists
  EXPECT_EQ(get(doc_path(env->doc_hoa_phu) + "/alto", as(s))->status, 404);
  EXPECT_EQ(get(doc_path(env->doc_hoa_phu) + "/pages/1.png", as(s))->status, 404);

  auto res = get("/api/v1/search?q=quyet%20dinh", as(s));
  ASSERT_EQ(res->status, 200);
  std::set<int64_t> ids;
  json found = json::parse(res->body);
  for (const auto& h : found["hits"]) ids.insert(h["id"].get<int64_t>());
  EXPECT_EQ(ids, (std::set<int64_t>{env->doc_hoa_dong, env->doc_review}));

  res = get("/api/v1/citizens/054080123456/documents", as(s));
  ASSERT_EQ(res->status, 200);
  json docs = json::parse(res->body)["documents"];
  ASSERT_EQ(docs.size(), 2u) << res->body;
  EXPECT_EQ(docs[0]["id"], env->doc_hoa_dong);
  EXPECT_EQ(docs[0]["doc_number"], "392/QĐ-UBND");
  EXPECT_EQ(docs[0]["unit"], "hoa-dong");

  // Writes outside its units are refused with 403.
  res = correct(as(s), env->doc_hoa_phu, "place", "Hòa Phú");
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(get(doc_path(env->doc_hoa_phu), bearer(env->reader_token))->body.find("Hòa Phú, ngày"),
            std::string::npos);
  // Progress for another unit: 404; its own: 200.
  EXPECT_EQ(get("/api/v1/progress?by=unit&unit=hoa-phu", as(s))->status, 404);
  EXPECT_EQ(get("/api/v1/progress?by=unit", as(s))->status, 200);
  // Admin-only reads are 404 for others.
  EXPECT_EQ(get("/api/v1/audit", as(s))->status, 404);
}

TEST_F(ServeApi, CorrectionsNeedTheCsrfHeaderAndRecordTheUser) {
  Session s = login("chi");
  auto res = correct(as(s, false), env->doc_review, "doc_number", "500/QĐ-UBND");
  EXPECT_EQ(res->status, 403);
  EXPECT_NE(error_of(res).find("CSRF"), std::string::npos) << res->body;
  httplib::Headers wrong = {{"Cookie", s.cookie}, {"X-CSRF-Token", std::string(32, '0')}};
  EXPECT_EQ(correct(wrong, env->doc_review, "doc_number", "500/QĐ-UBND")->status, 403);
  auto before = sohoa({"show", std::to_string(env->doc_review), "--json"});
  EXPECT_EQ(json::parse(before.out)["metadata"]["doc_number"], nullptr);

  res = correct(as(s), env->doc_review, "doc_number", "500 / QĐ-UBND");
  ASSERT_EQ(res->status, 200) << res->body;
  json doc = json::parse(res->body);
  EXPECT_EQ(doc["metadata"]["doc_number"], "500/QĐ-UBND");  // normalized as review --set does
  EXPECT_EQ(doc["status"], "ok");
  auto db = sohoa::storage::Database::open(env->db);
  auto corrections = db->corrections(env->doc_review);
  ASSERT_EQ(corrections.size(), 1u);
  EXPECT_EQ(corrections[0].by, "chi");

  EXPECT_EQ(correct(as(s), env->doc_hoa_dong, "no_such_field", "x")->status, 400);
  EXPECT_EQ(correct(as(s), env->doc_hoa_dong, "issued_date", "31/02/2022")->status, 400);
  res = client().Post(
      ("/api/v1/documents/" + std::to_string(env->doc_hoa_dong) + "/corrections").c_str(), as(s),
      "[]", "application/json");
  EXPECT_EQ(res->status, 400);

  Session admin = login("an");
  res = get("/api/v1/audit?limit=50", as(admin));
  ASSERT_EQ(res->status, 200);
  bool found = false;
  json audit = json::parse(res->body);
  for (const auto& e : audit["entries"]) {
    if (e["user"] == "chi" && e["action"] == "correct" &&
        e["target"] == "document " + std::to_string(env->doc_review) + " doc_number") {
      found = true;
      EXPECT_EQ(e["at"].get<std::string>().size(), 24u) << e.dump();
    }
  }
  EXPECT_TRUE(found) << res->body;
}

TEST_F(ServeApi, ViewersAndReaderTokensReadButNeverWrite) {
  Session v = login("dung");
  EXPECT_EQ(get(doc_path(env->doc_hoa_phu), as(v))->status, 200);
  EXPECT_EQ(correct(as(v), env->doc_hoa_phu, "place", "X")->status, 403);
  httplib::MultipartFormDataItems items = {{"files", "x", "a.png", "image/png"}};
  EXPECT_EQ(client().Post("/api/v1/ingest", as(v), items)->status, 403);

  auto reader = bearer(env->reader_token);
  auto res = get("/api/v1/search?q=77", reader);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["hits"].size(), 1u) << res->body;
  EXPECT_EQ(correct(reader, env->doc_hoa_phu, "place", "X")->status, 403);
  EXPECT_EQ(client().Post("/api/v1/ingest", reader, items)->status, 403);
  EXPECT_EQ(get("/api/v1/audit", reader)->status, 404);
  // A supervisor corrects every unit but does not ingest.
  Session sup = login("binh");
  EXPECT_EQ(correct(as(sup), env->doc_hoa_phu, "signer", "Đặng Minh Bình")->status, 200);
  EXPECT_EQ(client().Post("/api/v1/ingest", as(sup), items)->status, 403);
}

TEST_F(ServeApi, SearchIsAccentInsensitiveAndSafe) {
  Session s = login("dung");
  auto res = get("/api/v1/search?q=quyet%20dinh%20hoa%20dong&limit=5", as(s));
  ASSERT_EQ(res->status, 200);
  nlohmann::ordered_json hits = nlohmann::ordered_json::parse(res->body)["hits"];
  // Both Hòa Đồng documents hold every word in their metadata: the newer
  // comes first (storage/search_rank.h).
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0]["id"], env->doc_review);
  EXPECT_EQ(hits[1]["id"], env->doc_hoa_dong);
  EXPECT_EQ(hits[1]["doc_number"], "392/QĐ-UBND");
  auto cli = sohoa({"search", "quyet dinh hoa dong", "--limit", "5", "--json"});
  std::string lines;
  for (const auto& h : hits) lines += h.dump() + "\n";
  EXPECT_EQ(lines, cli.out);  // hits as `search --json`
  res = get("/api/v1/search?q=%22unbalanced", as(s));
  EXPECT_EQ(res->status, 400);
  EXPECT_FALSE(error_of(res).empty());
  EXPECT_EQ(get("/api/v1/search?q=a&limit=0", as(s))->status, 400);
  EXPECT_EQ(get("/api/v1/search?q=a&year=abc", as(s))->status, 400);
  EXPECT_EQ(get("/api/v1/search?q=a&level=bogus", as(s))->status, 400);
  res = get("/api/v1/search?q=NEAR(a%20b)%20OR%20*%20%3A%20%5E", as(s));
  EXPECT_TRUE(res->status == 200 || res->status == 400) << res->status;
  EXPECT_EQ(get("/api/v1/citizens/12345/documents", as(s))->status, 400);
}

TEST_F(ServeApi, ProgressIsProgressJson) {
  Session s = login("an");
  auto res = get("/api/v1/progress?by=unit&from=2022&to=2022&as_of=2022-12-31", as(s));
  ASSERT_EQ(res->status, 200) << res->body;
  auto cli = sohoa({"progress", "--by", "unit", "--from", "2022", "--to", "2022", "--as-of",
                    "2022-12-31", "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(res->body, cli.out);
  EXPECT_EQ(get("/api/v1/progress?by=nothing", as(s))->status, 400);
  EXPECT_EQ(get("/api/v1/progress?as_of=yesterday", as(s))->status, 400);
}

TEST_F(ServeApi, TokensAreScopedAndRevocable) {
  std::string token = add_token("short-lived", "reader");
  EXPECT_EQ(get("/api/v1/openapi.json", bearer(token))->status, 200);
  auto r = sohoa({"tokens", "list", "--json"});
  EXPECT_EQ(r.out.find(token), std::string::npos);
  EXPECT_EQ(sohoa::testing::read_file(env->db).find(token), std::string::npos);
  ASSERT_EQ(sohoa({"tokens", "revoke", "short-lived"}).exit_code, 0);
  EXPECT_EQ(get("/api/v1/openapi.json", bearer(token))->status, 401);
  EXPECT_EQ(sohoa({"tokens", "revoke", "short-lived"}).exit_code, 1);
  EXPECT_EQ(sohoa({"tokens", "add", "portal", "--scope", "reader"}).exit_code, 1);
  // A token bound to a unit is limited like a clerk.
  EXPECT_EQ(get(doc_path(env->doc_hoa_phu), bearer(env->writer_token))->status, 404);
  EXPECT_EQ(get(doc_path(env->doc_hoa_dong), bearer(env->writer_token))->status, 200);
}

TEST_F(ServeApi, OpenApiDescribesTheRoutes) {
  auto res = get("/api/v1/openapi.json", bearer(env->reader_token));
  ASSERT_EQ(res->status, 200);
  json spec = json::parse(res->body);
  EXPECT_EQ(spec["openapi"], "3.0.3");
  for (const char* path : {"/login", "/logout", "/search", "/documents/{id}", "/documents/{id}/pdf",
                           "/citizens/{cccd}/documents", "/documents/{id}/corrections", "/ingest",
                           "/progress", "/audit", "/register/pending", "/uploads/{id}"}) {
    EXPECT_TRUE(spec["paths"].contains(path)) << path;
  }
}

TEST_F(ServeApi, LogoutEndsTheSession) {
  Session s = login("dung");
  EXPECT_EQ(get("/api/v1/search?q=a", as(s))->status, 200);
  EXPECT_EQ(client().Post("/api/v1/logout", as(s, false), "", "application/json")->status, 403);
  EXPECT_EQ(client().Post("/api/v1/logout", as(s), "", "application/json")->status, 200);
  EXPECT_EQ(get("/api/v1/search?q=a", as(s))->status, 401);
}

TEST_F(ServeApi, UploadsGoThroughIngestForTheCallersUnit) {
  // A real scan, read by real OCR, and a broken twin.
  sohoa::testing::TempDir scans;
  auto gen = run({sohoa::testing::samples_bin(), "--out", scans.path().string(), "--count", "1",
                  "--profile", "clean", "--format", "png", "--seed", "7"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  std::string png = sohoa::testing::read_file(scans / "doc-0001.png");
  std::string truncated = png.substr(0, png.size() / 3);

  httplib::MultipartFormDataItems items = {
      {"files", png, "Quyết định 1.png", "image/png"},
      {"files", truncated, "../../etc/broken.png", "image/png"},
  };
  // The page names its upload and asks how far OCR has got while the POST runs.
  const std::string upload_id = "0123456789abcdef0123456789abcdef";
  httplib::Headers named = bearer(env->writer_token);
  named.emplace("X-Upload-Id", upload_id);
  auto posted =
      std::async(std::launch::async, [&] { return client().Post("/api/v1/ingest", named, items); });
  std::vector<json> seen;
  while (posted.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    auto r = get("/api/v1/uploads/" + upload_id, bearer(env->writer_token));
    if (r && r->status == 200) seen.push_back(json::parse(r->body));
  }
  auto res = posted.get();
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json results = json::parse(res->body)["results"];
  ASSERT_FALSE(seen.empty());
  EXPECT_FALSE(seen.front()["finished"].get<bool>()) << seen.front().dump();
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i]["files"], 2);
    if (i > 0) {
      EXPECT_GE(seen[i]["done"], seen[i - 1]["done"]);
    }
  }
  auto done = get("/api/v1/uploads/" + upload_id, bearer(env->writer_token));
  ASSERT_EQ(done->status, 200);
  json final_status = json::parse(done->body);
  EXPECT_TRUE(final_status["finished"].get<bool>());
  EXPECT_EQ(final_status["done"], 2);
  EXPECT_EQ(final_status["results"], results);
  // Another caller learns nothing of it; a made-up id is refused.
  EXPECT_EQ(get("/api/v1/uploads/" + upload_id, bearer(env->reader_token))->status, 404);
  EXPECT_EQ(get("/api/v1/uploads/ffffffffffffffff", bearer(env->writer_token))->status, 404);
  httplib::Headers bad_id = bearer(env->writer_token);
  bad_id.emplace("X-Upload-Id", "../../x");
  EXPECT_EQ(client().Post("/api/v1/ingest", bad_id, items)->status, 400);
  ASSERT_EQ(results.size(), 2u) << res->body;
  EXPECT_EQ(results[0]["source"], "Quy_t___nh_1.png");
  EXPECT_EQ(results[0]["status"], "ok");
  EXPECT_EQ(results[0]["pages"], 1);
  EXPECT_EQ(results[1]["source"], "broken.png");  // no path from the client survives
  EXPECT_EQ(results[1]["status"], "failed");
  EXPECT_FALSE(results[1]["error"].is_null());
  int64_t id = results[0]["id"];
  auto shown = json::parse(sohoa({"show", std::to_string(id), "--json"}).out);
  EXPECT_EQ(shown["unit"], "hoa-dong");  // the token's unit
  EXPECT_EQ(shown["station"], "web");

  // The same bytes again: duplicate, the same id.
  res = client().Post("/api/v1/ingest", bearer(env->writer_token),
                      httplib::MultipartFormDataItems{{"files", png, "again.png", "image/png"}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["results"][0]["status"], "duplicate");
  EXPECT_EQ(json::parse(res->body)["results"][0]["id"], id);

  // The stored page renders, and the original comes back byte for byte.
  auto page = get(doc_path(id) + "/pages/1.png", bearer(env->reader_token));
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(page->body.substr(1, 3), "PNG");
  auto original = get(doc_path(id) + "/original", bearer(env->reader_token));
  ASSERT_EQ(original->status, 200);
  EXPECT_TRUE(original->body == png);

  // A clerk may not ingest for another unit; nothing to ingest is refused.
  Session s = login("chi");
  items = {{"files", png, "a.png", "image/png"}, {"unit", "hoa-phu", "", ""}};
  EXPECT_EQ(client().Post("/api/v1/ingest", as(s), items)->status, 403);
  items = {{"unit", "xa-hoa-thinh", "", ""}};
  EXPECT_EQ(client().Post("/api/v1/ingest", as(s), items)->status, 400);
  EXPECT_EQ(client().Post("/api/v1/ingest", as(s), "{}", "application/json")->status, 400);
  // Too many files: refused before anything is stored.
  httplib::MultipartFormDataItems many;
  for (int i = 0; i < 51; ++i) many.push_back({"files", "x", "f" + std::to_string(i), ""});
  res = client().Post("/api/v1/ingest", as(s), many);
  EXPECT_EQ(res->status, 413);
  EXPECT_FALSE(error_of(res).empty());
  // The private upload folders are gone.
  std::filesystem::path uploads = env->db + ".uploads";
  ASSERT_TRUE(std::filesystem::is_directory(uploads));
  EXPECT_TRUE(std::filesystem::is_empty(uploads));
  EXPECT_EQ(std::filesystem::status(uploads).permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none);
}

TEST_F(ServeApi, PagesRenderForASignedInPerson) {
  Session s = login("chi");
  auto res = get("/", as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("Tiến độ số hóa"), std::string::npos);
  EXPECT_NE(res->body.find("<meta name=\"csrf\" content=\"" + s.csrf + "\">"), std::string::npos);
  res = get("/search?q=quyet%20dinh", as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("/documents/" + std::to_string(env->doc_hoa_dong)), std::string::npos);
  EXPECT_EQ(res->body.find("/documents/" + std::to_string(env->doc_hoa_phu) + "\""),
            std::string::npos);
  res = get("/documents/" + std::to_string(env->doc_hoa_dong), as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("correction-form"), std::string::npos);
  EXPECT_EQ(get("/documents/" + std::to_string(env->doc_hoa_phu), as(s, false))->status, 404);
  EXPECT_EQ(get("/review", as(s, false))->status, 200);
  EXPECT_EQ(get("/upload", as(s, false))->status, 200);
  EXPECT_EQ(get("/audit", as(s, false))->status, 404);
  // Text from the database is escaped.
  res = get("/search?q=%3Cscript%3E", as(s, false));
  EXPECT_EQ(res->body.find("<script>"), std::string::npos);
}

TEST_F(ServeApi, PendingRegisterRowsAreWhatProgressCountsAsNotDigitized) {
  Session s = login("an");
  auto res = get("/api/v1/register/pending?unit=hoa-dong&as_of=2022-12-31", as(s));
  ASSERT_EQ(res->status, 200) << res->body;
  json p = json::parse(res->body);
  EXPECT_EQ(p["unit"], "hoa-dong");
  EXPECT_EQ(p["as_of"], "2022-12-31");
  ASSERT_EQ(p["total"], 1) << res->body;  // 392 was digitized on 2022-06-30; 400 was not
  ASSERT_EQ(p["rows"].size(), 1u);
  EXPECT_EQ(p["rows"][0]["doc_number"], "400/QĐ-UBND");
  EXPECT_EQ(p["rows"][0]["issued_date"], "2022-08-01");
  EXPECT_EQ(p["rows"][0]["valid_until"], nullptr);
  // The same count as progress: valid - digitized for the unit.
  json prog = json::parse(
      get("/api/v1/progress?by=unit&unit=hoa-dong&from=2022&to=2022&as_of=2022-12-31", as(s))
          ->body);
  int64_t valid = 0, digitized = 0;
  for (const auto& row : prog["rows"]) {
    if (row["unit"] == "hoa-dong") {
      valid += row["valid"].get<int64_t>();
      digitized += row["digitized"].get<int64_t>();
    }
  }
  EXPECT_EQ(valid - digitized, 1);
  // Before 400 was issued nothing is pending; before 392 was scanned, it is.
  EXPECT_EQ(
      json::parse(
          get("/api/v1/register/pending?unit=hoa-dong&as_of=2022-07-01", as(s))->body)["total"],
      0);
  p = json::parse(get("/api/v1/register/pending?unit=hoa-dong&as_of=15/06/2022", as(s))->body);
  ASSERT_EQ(p["total"], 1);
  EXPECT_EQ(p["rows"][0]["doc_number"], "392/QĐ-UBND");

  EXPECT_EQ(get("/api/v1/register/pending?unit=hoa-dong&as_of=soon", as(s))->status, 400);
  EXPECT_EQ(get("/api/v1/register/pending", as(s))->status, 400);
  EXPECT_EQ(get("/api/v1/register/pending?unit=no-such", as(s))->status, 404);
  EXPECT_EQ(get("/api/v1/register/pending?unit=hoa-dong", {})->status, 401);
  // A clerk: its unit's predecessors yes, another unit 404.
  Session chi = login("chi");
  EXPECT_EQ(get("/api/v1/register/pending?unit=hoa-dong", as(chi))->status, 200);
  EXPECT_EQ(get("/api/v1/register/pending?unit=hoa-phu", as(chi))->status, 404);
  EXPECT_EQ(get("/units/hoa-phu", as(chi, false))->status, 404);

  // The dashboard links each unit to its page, which lists these rows.
  res = get("/?as_of=2022-12-31", as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("href=\"/units/hoa-dong\""), std::string::npos);
  res = get("/units/hoa-dong?as_of=2022-12-31", as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("Xã Hòa Đồng"), std::string::npos);
  EXPECT_NE(res->body.find("<strong id=\"pending-total\">1</strong>"), std::string::npos);
  EXPECT_NE(res->body.find("<td>400/QĐ-UBND</td>"), std::string::npos);
  EXPECT_EQ(res->body.find("<td>392/QĐ-UBND</td>"), std::string::npos);
}

TEST_F(ServeApi, DocumentPageCarriesWordBoxesAndTheSearchToHighlight) {
  Session s = login("binh");
  auto res = get("/search?q=quyet%20dinh", as(s, false));
  ASSERT_EQ(res->status, 200);
  std::string link = "/documents/" + std::to_string(env->doc_hoa_dong) + "?q=quyet%20dinh";
  EXPECT_NE(res->body.find("href=\"" + link + "\""), std::string::npos);
  res = get(link, as(s, false));
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("id=\"find\" value=\"quyet dinh\""), std::string::npos);
  // One box per OCR word, each with its folded word and its place in percent.
  auto stored = sohoa::storage::Database::open(env->db)->document(env->doc_hoa_dong);
  auto layout = sohoa::ocr::layout_from_json(stored->pages[0].layout_json);
  size_t words = 0;
  for (const auto& b : layout.blocks)
    for (const auto& l : b.lines) words += l.words.size();
  ASSERT_GT(words, 10u);
  size_t boxes = 0;
  for (size_t at = 0; (at = res->body.find("class=\"wbox\"", at)) != std::string::npos; ++at) {
    ++boxes;
  }
  EXPECT_EQ(boxes, words);
  EXPECT_NE(res->body.find("data-f=\"quyet\" title=\"QUYẾT\""), std::string::npos);
  // Query text is escaped into the page, never markup.
  res = get("/documents/" + std::to_string(env->doc_hoa_dong) + "?q=%22%3E%3Cscript%3E",
            as(s, false));
  EXPECT_EQ(res->body.find("<script>"), std::string::npos);
}

TEST_F(ServeApi, CachedAnswersFollowWritesFromAnyProcess) {
  Session s = login("binh");
  auto hits = [&] { return json::parse(get("/api/v1/search?q=zzqx", as(s))->body)["hits"]; };
  auto pending = [&] {
    return json::parse(
        get("/api/v1/register/pending?unit=hoa-phu&as_of=2022-12-31", as(s))->body)["total"];
  };
  EXPECT_TRUE(hits().empty());
  json before = pending();
  EXPECT_TRUE(hits().empty());  // asked twice: the second answer may come from the cache
  // A write through the server, then one by another process.
  ASSERT_EQ(correct(as(s), env->doc_hoa_phu, "subject", "zzqx kiểm tra")->status, 200);
  json found = hits();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["id"], env->doc_hoa_phu);
  sohoa::testing::write_file(env->dir / "more.csv",
                             "unit,doc_number,issued_date,valid_until\n"
                             "hoa-phu,88/QĐ-UBND,2022-09-09,\n");
  auto r = sohoa({"register", "import", (env->dir / "more.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(pending(), before.get<int64_t>() + 1);
}

TEST_F(ServeApi, StopsCleanlyOnSigterm) {
  // Last by name: the suite's server goes down with exit 0.
  EXPECT_EQ(env->server->stop(), 0);
}

}  // namespace
