// The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json.
#pragma once

#include <string>

namespace sohoa::web {

const std::string& openapi_json();

}  // namespace sohoa::web
