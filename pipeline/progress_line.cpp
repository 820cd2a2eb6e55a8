#include "pipeline/progress_line.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace sohoa::pipeline {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long s = std::lround(seconds);
  if (s < 60) return std::to_string(s) + " s";
  long minutes = (s + 30) / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld h %02ld min", minutes / 60, minutes % 60);
  return buf;
}

std::string format_progress(const IngestProgress& p) {
  std::ostringstream line;
  line << "files " << p.files_done << "/" << p.files_total << " · pages " << p.pages_done;
  // A guess is marked as one, and never below what is already done.
  int expected = std::max(p.pages_expected, p.pages_done);
  if (expected > p.pages_done || p.pages_estimated) {
    line << "/" << (p.pages_estimated ? "~" : "") << expected;
  }
  // Before the first pages the rate says nothing yet; after the first, it
  // is measured from it (engines loading are no page's cost).
  if (p.pages_done == 0 || p.elapsed_s < 1.0) return line.str();
  double per_minute = p.pages_done * 60.0 / p.elapsed_s;
  if (p.first_page_s > 0) {
    double since_first = p.elapsed_s - p.first_page_s;
    if (p.pages_done < 2 || since_first < 1.0) return line.str();
    per_minute = (p.pages_done - 1) * 60.0 / since_first;
  }
  char rate[32];
  std::snprintf(rate, sizeof rate, " · %.1f pages/min", per_minute);
  int left = std::max(0, expected - p.pages_done);
  line << rate << " · " << format_duration(left * 60.0 / per_minute) << " left";
  return line.str();
}

void ProgressLine::update(const IngestProgress& progress) {
  auto now = std::chrono::steady_clock::now();
  bool finished = progress.files_done == progress.files_total;
  if (!in_place_) {
    bool due =
        last_ == std::chrono::steady_clock::time_point{} || now - last_ >= std::chrono::seconds(5);
    if (finished ? printed_final_ : (!due || progress.files_done == 0)) return;
    last_ = now;
    printed_final_ = finished;
    out_ << "sohoa: " << format_progress(progress) << std::endl;
    return;
  }
  if (shown_ && !finished && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  // Carriage return and erase-to-end-of-line redraw the line in place.
  out_ << "\r" << format_progress(progress) << "\x1b[K" << std::flush;
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_ || !in_place_) return;
  out_ << "\r\x1b[K" << std::flush;
  shown_ = false;
}

}  // namespace sohoa::pipeline
