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

// A valid zlib stream of `prefix` then `chunks` x 16 MiB of zero bytes,
// built without ever holding them: after a full flush deflate's output for
// the same input repeats, so one compressed chunk is copied and the Adler-32
// combined.
inline std::string zero_bomb(int chunks, const std::string& prefix = "") {
  const size_t chunk = 16u << 20;
  std::vector<unsigned char> zeros(chunk, 0);
  z_stream z{};
  if (deflateInit(&z, 9) != Z_OK) throw std::runtime_error("deflateInit failed");
  auto pump = [&](const unsigned char* in, size_t size, int flush) {
    std::string out;
    z.next_in = const_cast<unsigned char*>(in);
    z.avail_in = static_cast<uInt>(size);
    std::vector<unsigned char> buf(1 << 16);
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_in > 0 || z.avail_out == 0);
    return out;
  };
  auto head = reinterpret_cast<const unsigned char*>(prefix.data());
  std::string out = pump(head, prefix.size(), Z_FULL_FLUSH);
  std::string first = pump(zeros.data(), chunk, Z_FULL_FLUSH);
  std::string second = pump(zeros.data(), chunk, Z_FULL_FLUSH);
  if (first != second) throw std::runtime_error("deflate output does not repeat");
  std::string tail = pump(nullptr, 0, Z_FINISH);
  deflateEnd(&z);
  for (int i = 0; i < chunks; ++i) out += first;
  uLong one = adler32(adler32(0, nullptr, 0), zeros.data(), static_cast<uInt>(chunk));
  uLong all = adler32(adler32(0, nullptr, 0), head, static_cast<uInt>(prefix.size()));
  for (int i = 0; i < chunks; ++i) all = adler32_combine(all, one, static_cast<z_off_t>(chunk));
  tail.resize(tail.size() - 4);
  for (int shift = 24; shift >= 0; shift -= 8) tail += static_cast<char>((all >> shift) & 0xff);
  return out + tail;
}

// A one-page PDF whose page tree sits in an object stream (with a
// cross-reference stream, as PDF 1.5 writers do), that stream's objects
// followed by `zero_chunks` x 16 MiB of zeros once inflated; with
// `xref_zero_chunks` >= 0, the cross-reference stream is Flate-compressed and
// followed by that many.
inline std::string object_stream_pdf(int zero_chunks, int xref_zero_chunks = -1) {
  std::string pages = "<</Type/Pages/Kids[3 0 R]/Count 1>>";
  std::string page = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 5 0 R>>";
  std::string index = "2 0 3 " + std::to_string(pages.size() + 1) + " ";
  index.resize(20, ' ');
  std::string objects = index + pages + " " + page + " ";
  std::string out = "%PDF-1.7\n";
  std::vector<size_t> offset(7, 0);
  auto add = [&](int n, const std::string& body) {
    offset[n] = out.size();
    out += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  };
  add(1, "<</Type/Catalog/Pages 2 0 R>>");
  add(4, stream_object("/Type/ObjStm/N 2/First 20/Filter/FlateDecode",
                       zero_bomb(zero_chunks, objects)));
  add(5, stream_object("", "0 0 0 rg 100 400 300 50 re f"));
  offset[6] = out.size();
  auto row = [](int type, size_t field, int index) {
    std::string r(1, static_cast<char>(type));
    for (int shift = 24; shift >= 0; shift -= 8) r += static_cast<char>((field >> shift) & 0xff);
    r += static_cast<char>((index >> 8) & 0xff);
    r += static_cast<char>(index & 0xff);
    return r;
  };
  std::string xref = row(0, 0, 65535) + row(1, offset[1], 0) + row(2, 4, 0) + row(2, 4, 1) +
                     row(1, offset[4], 0) + row(1, offset[5], 0) + row(1, offset[6], 0);
  std::string xref_dict = "/Type/XRef/Size 7/W[1 4 2]/Root 1 0 R";
  if (xref_zero_chunks >= 0) {
    xref = zero_bomb(xref_zero_chunks, xref);
    xref_dict += "/Filter/FlateDecode";
  }
  out += "6 0 obj\n" + stream_object(xref_dict, xref) + "\nendobj\nstartxref\n" +
         std::to_string(offset[6]) + "\n%%EOF\n";
  return out;
}

}  // namespace sohoa::testing
