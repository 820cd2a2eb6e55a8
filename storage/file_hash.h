// Document identity: the SHA-256 of a file's bytes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace sohoa::storage {

// Lower-case hex SHA-256 of the file's bytes. Throws std::runtime_error when
// the file cannot be read.
std::string sha256_of_file(const std::filesystem::path& path);

// SHA-256 of bytes fed in pieces, e.g. while copying a file, so the hash is
// of the very bytes copied. Throws std::runtime_error when OpenSSL has none.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  // Lower-case hex of everything fed; call once.
  std::string hex();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

}  // namespace sohoa::storage
