// Small PDFs written byte by byte, for tests that need a structure no tool
// makes on purpose: lying dictionaries, Flate bombs, invisible text layers.
#pragma once

#include <zlib.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace sohoa::testing {

// A PDF whose object N is objects[N-1] (object 1 the catalog), with a
// correct cross-reference table.
inline std::string build_pdf(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<</Size " + std::to_string(objects.size() + 1) + "/Root 1 0 R>>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// A stream object: `dict` holds the entries other than /Length.
inline std::string stream_object(const std::string& dict, const std::string& data) {
  return "<<" + dict + "/Length " + std::to_string(data.size()) + ">>\nstream\n" + data +
         "\nendstream";
}

inline std::string flate(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), data.size(), 9) != Z_OK) {
    throw std::runtime_error("compress2 failed");
  }
  out.resize(size);
  return out;
}

// A valid zlib stream of `chunks` x 16 MiB of zero bytes, built without ever
// holding them: after a full flush deflate's output for the same input
// repeats, so one compressed chunk is copied and the Adler-32 combined.
inline std::string zero_bomb(int chunks) {
  const size_t chunk = 16u << 20;
  std::vector<unsigned char> zeros(chunk, 0);
  z_stream z{};
  if (deflateInit(&z, 9) != Z_OK) throw std::runtime_error("deflateInit failed");
  auto pump = [&](size_t in, int flush) {
    std::string out;
    z.next_in = zeros.data();
    z.avail_in = static_cast<uInt>(in);
    unsigned char buf[1 << 16];
    do {
      z.next_out = buf;
      z.avail_out = sizeof buf;
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buf), sizeof buf - z.avail_out);
    } while (z.avail_in > 0 || z.avail_out == 0);
    return out;
  };
  std::string first = pump(chunk, Z_FULL_FLUSH);
  std::string second = pump(chunk, Z_FULL_FLUSH);
  std::string third = pump(chunk, Z_FULL_FLUSH);
  if (second != third) throw std::runtime_error("deflate output does not repeat");
  std::string tail = pump(0, Z_FINISH);
  deflateEnd(&z);
  std::string out = first;
  for (int i = 1; i < chunks; ++i) out += second;
  uLong one = adler32(adler32(0, nullptr, 0), zeros.data(), static_cast<uInt>(chunk));
  uLong all = one;
  for (int i = 1; i < chunks; ++i) all = adler32_combine(all, one, static_cast<z_off_t>(chunk));
  tail.resize(tail.size() - 4);
  for (int shift = 24; shift >= 0; shift -= 8) tail += static_cast<char>((all >> shift) & 0xff);
  return out + tail;
}

}  // namespace sohoa::testing
