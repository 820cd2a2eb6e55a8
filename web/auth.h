// Secrets of sohoa serve: password hashes (Argon2id, libsodium), random
// tokens, and the roles and scopes that decide what a caller may do.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace sohoa::web {

// Thrown when libsodium cannot start or cannot hash (out of memory).
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An Argon2id hash string (salt and cost inside) of `password`, at
// libsodium's "interactive" cost, so a login takes a fraction of a second
// but a stolen table is slow to guess. Throws CryptoError.
std::string hash_password(const std::string& password);

// True when `password` is the one `hash` was made from. False for a hash
// that is not an Argon2 string.
bool verify_password(const std::string& hash, const std::string& password);

// `bytes` random bytes from the system's generator, as lower-case hex.
std::string random_hex(size_t bytes);

// SHA-256 of `text`, lower-case hex: how session ids and API tokens are kept
// (they are long random values, so a fast hash suffices).
std::string sha256_hex(const std::string& text);

// A password must be 8 to 1024 bytes of valid UTF-8 without control
// characters; the reason it is not, or nullopt when it is.
std::optional<std::string> password_problem(const std::string& password);

// SPEC roles and token scopes.
bool is_role(const std::string& role);    // admin | supervisor | clerk | viewer
bool is_scope(const std::string& scope);  // reader | writer

// A user or token name: 1 to 64 of [A-Za-z0-9._@-].
bool is_valid_name(const std::string& name);

}  // namespace sohoa::web
