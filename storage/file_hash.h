// Document identity: the SHA-256 of a file's bytes.
#pragma once

#include <filesystem>
#include <string>

namespace sohoa::storage {

// Lower-case hex SHA-256 of the file's bytes. Throws std::runtime_error when
// the file cannot be read.
std::string sha256_of_file(const std::filesystem::path& path);

}  // namespace sohoa::storage
