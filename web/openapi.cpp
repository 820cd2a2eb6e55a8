#include "web/openapi.h"

#include <nlohmann/json.hpp>

namespace sohoa::web {
namespace {

using json = nlohmann::ordered_json;

json ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json json_response(const std::string& description, const json& schema) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", schema}}}}}};
}

json error_responses(std::initializer_list<int> codes) {
  json out = json::object();
  for (int code : codes) out[std::to_string(code)] = {{"$ref", "#/components/responses/Error"}};
  return out;
}

json query(const std::string& name, const std::string& type, const std::string& description) {
  return {{"name", name},
          {"in", "query"},
          {"required", false},
          {"schema", {{"type", type}}},
          {"description", description}};
}

json path_param(const std::string& name, const std::string& description) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"schema", {{"type", "string"}}},
          {"description", description}};
}

json operation(const std::string& summary, json responses, json parameters = json::array()) {
  json op = {{"summary", summary}, {"responses", std::move(responses)}};
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  return op;
}

json with(json a, const json& b) {
  a.update(b);
  return a;
}

json nullable(const std::string& type) { return {{"type", type}, {"nullable", true}}; }

json schemas() {
  json hit = {{"type", "object"},
              {"properties",
               {{"id", {{"type", "integer"}}},
                {"score", {{"type", "number"}}},
                {"doc_number", nullable("string")},
                {"issued_date", nullable("string")},
                {"doc_type", nullable("string")},
                {"unit", nullable("string")},
                {"snippet", {{"type", "string"}}}}}};
  json document = {{"type", "object"},
                   {"description", "The `sohoa show --json` object (SPEC \"show --json\")."},
                   {"properties",
                    {{"id", {{"type", "integer"}}},
                     {"sha256", {{"type", "string"}}},
                     {"source", {{"type", "string"}}},
                     {"station", nullable("string")},
                     {"unit", {{"type", "string"}}},
                     {"issuer_unit", nullable("string")},
                     {"level", nullable("string")},
                     {"digitized_at", {{"type", "string"}}},
                     {"status", {{"type", "string"}, {"enum", {"ok", "review", "failed"}}}},
                     {"error", nullable("string")},
                     {"metadata", {{"type", "object"}}},
                     {"pages", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
  json summary = {{"type", "object"},
                  {"properties",
                   {{"id", {{"type", "integer"}}},
                    {"doc_number", nullable("string")},
                    {"issued_date", nullable("string")},
                    {"doc_type", nullable("string")},
                    {"unit", nullable("string")}}}};
  json outcome = {
      {"type", "object"},
      {"properties",
       {{"source", {{"type", "string"}}},
        {"status", {{"type", "string"}, {"enum", {"ok", "duplicate", "failed", "skipped"}}}},
        {"id", nullable("integer")},
        {"pages", {{"type", "integer"}}},
        {"error", nullable("string")}}}};
  json error = {{"type", "object"},
                {"required", {"error"}},
                {"properties", {{"error", {{"type", "string"}}}}}};
  return {{"SearchHit", hit},
          {"Document", document},
          {"DocumentSummary", summary},
          {"IngestOutcome", outcome},
          {"Error", error}};
}

json paths() {
  json p = json::object();
  p["/login"]["post"] = with(
      operation("Sign in; sets the HttpOnly, SameSite=Strict session cookie",
                with(json{{"200", json_response("Signed in; send `csrf` as X-CSRF-Token on writes",
                                                {{"type", "object"},
                                                 {"properties",
                                                  {{"user", {{"type", "string"}}},
                                                   {"role", {{"type", "string"}}},
                                                   {"unit", nullable("string")},
                                                   {"csrf", {{"type", "string"}}}}}})}},
                     error_responses({400, 401, 429}))),
      {{"security", json::array()},
       {"requestBody",
        {{"required", true},
         {"content",
          {{"application/json",
            {{"schema",
              {{"type", "object"},
               {"required", {"user", "password"}},
               {"properties",
                {{"user", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}}}}}}}}}});
  p["/logout"]["post"] =
      operation("End the session",
                with(json{{"200", {{"description", "Signed out"}}}}, error_responses({401, 403})));
  p["/search"]["get"] = operation(
      "Full-text search, accent- and case-insensitive (as `sohoa search`)",
      with(json{{"200",
                 json_response("Hits, best first",
                               {{"type", "object"},
                                {"properties",
                                 {{"hits", {{"type", "array"}, {"items", ref("SearchHit")}}}}}})}},
           error_responses({400, 401})),
      {query("q", "string", "words, \"phrase\", prefix*, -excluded"),
       query("unit", "string", "issuing unit code"), query("level", "string", "tinh|huyen|xa"),
       query("year", "integer", "year issued"), query("type", "string", "document type contains"),
       query("limit", "integer", "at most this many hits (1-1000, default 20)")});
  p["/documents/{id}"]["get"] =
      operation("One document, as `sohoa show --json`",
                with(json{{"200", json_response("The document", ref("Document"))}},
                     error_responses({401, 404})),
                {path_param("id", "document id")});
  for (const auto& [kind, type] :
       std::vector<std::pair<std::string, std::string>>{{"pdf", "application/pdf"},
                                                        {"alto", "application/xml"},
                                                        {"original", "application/octet-stream"}}) {
    p["/documents/{id}/" + kind]["get"] = operation(
        "The document as " + kind,
        with(json{{"200", {{"description", kind}, {"content", {{type, json::object()}}}}}},
             error_responses({401, 404, 409})),
        {path_param("id", "document id")});
  }
  p["/documents/{id}/pages/{n}.png"]["get"] = operation(
      "Page n, upright and deskewed, as PNG",
      with(json{{"200", {{"description", "PNG"}, {"content", {{"image/png", json::object()}}}}}},
           error_responses({401, 404})),
      {path_param("id", "document id"), path_param("n", "page number, from 1")});
  p["/citizens/{cccd}/documents"]["get"] = operation(
      "What is already held for a citizen (12-digit CCCD or 9-digit CMND)",
      with(json{{"200",
                 json_response(
                     "Documents naming the citizen",
                     {{"type", "object"},
                      {"properties",
                       {{"documents", {{"type", "array"}, {"items", ref("DocumentSummary")}}}}}})}},
           error_responses({400, 401})),
      {path_param("cccd", "citizen id")});
  p["/documents/{id}/corrections"]["post"] = with(
      operation(
          "Correct one metadata field; recorded with the caller as `by`",
          with(json{{"200", json_response("The document after the correction", ref("Document"))}},
               error_responses({400, 401, 403}))),
      {{"parameters", {path_param("id", "document id")}},
       {"requestBody",
        {{"required", true},
         {"content",
          {{"application/json",
            {{"schema",
              {{"type", "object"},
               {"required", {"field", "value"}},
               {"properties",
                {{"field", {{"type", "string"}}}, {"value", {{"type", "string"}}}}}}}}}}}}}});
  p["/ingest"]["post"] = with(
      operation(
          "Ingest scans for the caller's unit (form field `unit` when not bound to one)",
          with(json{{"200",
                     json_response(
                         "One result per document",
                         {{"type", "object"},
                          {"properties",
                           {{"results", {{"type", "array"}, {"items", ref("IngestOutcome")}}}}}})}},
               error_responses({400, 401, 403, 413}))),
      {{"requestBody",
        {{"required", true},
         {"content",
          {{"multipart/form-data",
            {{"schema",
              {{"type", "object"},
               {"properties",
                {{"files",
                  {{"type", "array"}, {"items", {{"type", "string"}, {"format", "binary"}}}}},
                 {"unit", {{"type", "string"}}}}}}}}}}}}}});
  p["/progress"]["get"] = operation(
      "Progress against the plan, as `sohoa progress --format json`",
      with(json{{"200", json_response("The report", {{"type", "object"}})}},
           error_responses({400, 401, 404})),
      {query("by", "string", "level|unit"), query("period", "string", "year|half|quarter"),
       query("from", "integer", "first year"), query("to", "integer", "last year"),
       query("as_of", "string", "date"), query("unit", "string", "unit and its predecessors"),
       query("level", "string", "tinh|huyen|xa")});
  p["/audit"]["get"] = operation(
      "The audit log of writes, newest first (admin)",
      with(json{{"200",
                 json_response(
                     "Entries",
                     {{"type", "object"},
                      {"properties",
                       {{"entries", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}})}},
           error_responses({401, 404})),
      {query("limit", "integer", "at most this many (default 100)")});
  p["/register/pending"]["get"] = operation(
      "Register rows of a unit (and its predecessors) still valid and not digitized at a date",
      with(json{{"200", json_response(
                            "Pending rows",
                            {{"type", "object"},
                             {"properties",
                              {{"unit", {{"type", "string"}}},
                               {"as_of", {{"type", "string"}, {"format", "date"}}},
                               {"total", {{"type", "integer"}}},
                               {"rows", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}})}},
           error_responses({400, 401, 404})),
      {query("unit", "string", "unit code (required)"),
       query("as_of", "string", "date; default today"),
       query("limit", "integer", "at most this many rows, newest issued first (default 200)")});
  p["/uploads/{id}"]["get"] = operation(
      "How far the OCR of an upload sent with header X-Upload-Id has got (its uploader only)",
      with(json{{"200",
                 json_response(
                     "Upload progress",
                     {{"type", "object"},
                      {"properties",
                       {{"files", {{"type", "integer"}}},
                        {"done", {{"type", "integer"}}},
                        {"finished", {{"type", "boolean"}}},
                        {"results", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}})}},
           error_responses({401, 404})),
      {path_param("id", "16 to 64 lower-case hex digits chosen by the uploader")});
  p["/openapi.json"]["get"] =
      operation("This description", json{{"200", {{"description", "OpenAPI 3"}}}});
  return p;
}

}  // namespace

const std::string& openapi_json() {
  static const std::string text = [] {
    json doc = {
        {"openapi", "3.0.3"},
        {"info",
         {{"title", "sohoa API"},
          {"version", "1"},
          {"description",
           "Records of digitized administrative results. Every route but POST /login needs a "
           "session cookie or Authorization: Bearer TOKEN (401 without). A write under a "
           "session carries X-CSRF-Token (403 without). Reads of what the caller may not see "
           "answer 404; refused writes 403. Errors are {\"error\": TEXT}."}}},
        {"servers", {{{"url", "/api/v1"}}}},
        {"security", {{{"bearer", json::array()}}, {{"session", json::array()}}}},
        {"paths", paths()},
        {"components",
         {{"schemas", schemas()},
          {"responses", {{"Error", json_response("An error", ref("Error"))}}},
          {"securitySchemes",
           {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
            {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "sohoa_session"}}}}}}}};
    return doc.dump(2);
  }();
  return text;
}

}  // namespace sohoa::web
