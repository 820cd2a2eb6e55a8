// The one-line progress display of a long ingest on a terminal: files,
// pages, pages per minute and time left, redrawn in place.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "pipeline/ingest.h"

namespace sohoa::pipeline {

// "files 12/40 · pages 31/104 · 18.2 pages/min · 4 min left"
std::string format_progress(const IngestProgress& progress);

// "45 s", "4 min", "2 h 05 min"
std::string format_duration(double seconds);

// Redraws the line on `out` (a terminal) at most a few times a second;
// clear() wipes it so that other output starts on a clean line.
//
// With `in_place` false (the terminal also shows output another process
// copies there, e.g. `sohoa ingest … | tee log`, whose lines land whenever
// that process writes them), nothing is redrawn: a whole line
// "sohoa: files …" every few seconds and once at the end, so the two
// streams can only interleave by whole lines.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream& out, bool in_place = true) : out_(out), in_place_(in_place) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const IngestProgress& progress);
  void clear();

 private:
  std::ostream& out_;
  bool in_place_ = true;
  bool shown_ = false;
  bool printed_final_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace sohoa::pipeline
