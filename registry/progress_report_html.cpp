// The HTML rendering of the progress report: one file that opens anywhere
// offline, so it can be mailed or put on a shared drive.
#include <cstdio>
#include <map>
#include <sstream>

#include "registry/progress_report.h"
#include "text/xml.h"

namespace sohoa::registry {
namespace {

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string dash_or(const std::optional<double>& v, const char* suffix = "") {
  return v ? fixed1(*v) + suffix : "–";
}

std::string level_title(const std::string& level) {
  if (level == "tinh") return "Cấp tỉnh (tinh)";
  if (level == "huyen") return "Cấp huyện (huyen)";
  if (level == "xa") return "Cấp xã (xa)";
  return level;
}

// The last day of the row's period, ISO.
std::string period_end(const ProgressRow& row) {
  std::string month_day = "12-31";
  if (row.period == "H1" || row.period == "Q2") month_day = "06-30";
  if (row.period == "Q1") month_day = "03-31";
  if (row.period == "Q3") month_day = "09-30";
  return std::to_string(row.year) + "-" + month_day;
}

// The current year (or half, quarter) is counted only up to today.
bool is_partial(const ProgressRow& row) { return row.as_of < period_end(row); }

std::string period_label(const ProgressRow& row) {
  return std::to_string(row.year) + (row.period.empty() ? "" : " " + row.period) +
         (is_partial(row) ? "*" : "");
}

// "31/12": the day a partial period was counted to, as offices write it.
std::string day_month(const std::string& iso) {
  if (iso.size() < 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2);
}

const char* bar_color(const ProgressRow& row) {
  if (!row.met) return "#3b7dd8";
  return *row.met ? "#2e9d4f" : "#e07b24";
}

// A bar per period (percent digitized) with the target drawn as a dark
// line across the bar's slot; the y axis runs 0-100 %.
std::string chart_svg(const std::vector<const ProgressRow*>& rows) {
  const double width = 760, height = 300, left = 48, right = 16, top = 20, bottom = 44;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  auto y_of = [&](double percent) { return top + plot_h * (1 - percent / 100.0); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height
      << "\" role=\"img\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n";
  for (int p = 0; p <= 100; p += 25) {
    double y = y_of(p);
    svg << "<line x1=\"" << left << "\" y1=\"" << y << "\" x2=\"" << width - right << "\" y2=\""
        << y << "\" stroke=\"#ddd\"/>"
        << "<text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\" fill=\"#555\">"
        << p << "%</text>\n";
  }
  double slot = rows.empty() ? plot_w : plot_w / static_cast<double>(rows.size());
  double bar = std::min(56.0, slot * 0.6);
  std::string target_path;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ProgressRow& row = *rows[i];
    double cx = left + slot * (static_cast<double>(i) + 0.5);
    if (row.percent) {
      double y = y_of(*row.percent);
      svg << "<rect x=\"" << cx - bar / 2 << "\" y=\"" << y << "\" width=\"" << bar
          << "\" height=\"" << top + plot_h - y << "\" fill=\"" << bar_color(row) << "\"><title>"
          << period_label(row) << ": " << fixed1(*row.percent) << "% (" << row.digitized << "/"
          << row.valid << ")</title></rect>\n";
    }
    svg << "<text x=\"" << cx << "\" y=\""
        << (row.percent ? y_of(*row.percent) - 18 : top + plot_h - 18)
        << "\" text-anchor=\"middle\" fill=\"#222\">" << dash_or(row.percent, "%") << "</text>\n";
    // The counts themselves, not only in a tooltip: a printed page has none.
    svg << "<text x=\"" << cx << "\" y=\""
        << (row.percent ? y_of(*row.percent) - 5 : top + plot_h - 5)
        << "\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">" << row.digitized << "/"
        << row.valid << "</text>\n";
    if (row.target) {
      double y = y_of(*row.target);
      svg << "<line x1=\"" << cx - slot * 0.42 << "\" y1=\"" << y << "\" x2=\"" << cx + slot * 0.42
          << "\" y2=\"" << y << "\" stroke=\"#b00020\" stroke-width=\"3\"><title>target "
          << fixed1(*row.target) << "%</title></line>\n";
      target_path += (target_path.empty() ? "M" : " L") + fixed1(cx) + " " + fixed1(y);
    }
    svg << "<text x=\"" << cx << "\" y=\"" << top + plot_h + 18
        << "\" text-anchor=\"middle\" fill=\"#222\">" << period_label(row) << "</text>\n";
  }
  if (!target_path.empty()) {
    svg << "<path d=\"" << target_path
        << "\" fill=\"none\" stroke=\"#b00020\" stroke-dasharray=\"4 3\"/>\n";
  }
  svg << "<line x1=\"" << left << "\" y1=\"" << top + plot_h << "\" x2=\"" << width - right
      << "\" y2=\"" << top + plot_h << "\" stroke=\"#333\"/>\n";
  svg << "</svg>\n";
  return svg.str();
}

std::string met_cell(const ProgressRow& row) {
  return row.met ? (*row.met ? "<span class=ok>✔ đạt</span>" : "<span class=no>✘ chưa đạt</span>")
                 : "–";
}

std::string as_of_cell(const ProgressRow& row) {
  return row.as_of + (is_partial(row) ? " <span class=part>(đến " + day_month(row.as_of) +
                                            ", chưa hết kỳ)</span>"
                                      : "");
}

// The count columns shared by both tables, headers in Vietnamese with the
// CSV's names in brackets.
const char* kCountHeaders =
    "<th>Tính đến (as_of)</th><th>Còn hiệu lực (valid)</th><th>Đã số hóa (digitized)</th>"
    "<th>Tỷ lệ % (percent)</th><th>Chỉ tiêu % (target)</th><th>Đạt (met)</th></tr>\n";

std::string count_cells(const ProgressRow& row) {
  std::ostringstream out;
  out << "<td>" << as_of_cell(row) << "</td><td class=n>" << row.valid << "</td><td class=n>"
      << row.digitized << "</td><td class=n>" << dash_or(row.percent) << "</td><td class=n>"
      << dash_or(row.target) << "</td><td>" << met_cell(row) << "</td></tr>\n";
  return out.str();
}

void unit_table(std::ostringstream& html, const ProgressReport& by_unit) {
  html << "<h2>Theo đơn vị (per unit)</h2>\n<table>\n<tr><th>Mã (unit)</th><th>Tên (name)</th>"
          "<th>Cấp (level)</th><th>Năm (year)</th>"
       << (by_unit.with_period ? "<th>Kỳ (period)</th>" : "") << kCountHeaders;
  for (const ProgressRow& row : by_unit.rows) {
    auto name = by_unit.unit_names.find(row.unit);
    html << "<tr><td>" << text::xml_escape(row.unit) << "</td><td>"
         << text::xml_escape(name != by_unit.unit_names.end() ? name->second : "") << "</td><td>"
         << row.level << "</td><td>" << row.year << "</td>"
         << (by_unit.with_period ? "<td>" + row.period + "</td>" : "") << count_cells(row);
  }
  html << "</table>\n";
}

void level_table(std::ostringstream& html, const ProgressReport& by_level) {
  html << "<h2>Theo cấp (per level)</h2>\n<table>\n<tr><th>Cấp (level)</th><th>Năm (year)</th>"
       << (by_level.with_period ? "<th>Kỳ (period)</th>" : "") << kCountHeaders;
  for (const ProgressRow& row : by_level.rows) {
    html << "<tr><td>" << text::xml_escape(level_title(row.level)) << "</td><td>" << row.year
         << "</td>" << (by_level.with_period ? "<td>" + row.period + "</td>" : "")
         << count_cells(row);
  }
  html << "</table>\n";
}

void unmatched_table(std::ostringstream& html, const ProgressReport& report) {
  html << "<h2>Chưa khớp sổ (unmatched documents): " << report.unmatched.size() << "</h2>\n";
  if (report.unmatched.empty()) return;
  html << "<table>\n<tr><th>id</th><th>doc_number</th><th>issued_date</th><th>unit</th>"
          "<th>digitized_at</th><th>source</th></tr>\n";
  for (const auto& d : report.unmatched) {
    html << "<tr><td class=n>" << d.id << "</td><td>" << text::xml_escape(d.doc_number)
         << "</td><td>" << text::xml_escape(d.issued_date) << "</td><td>"
         << text::xml_escape(d.issuer_unit) << "</td><td>" << text::xml_escape(d.digitized_at)
         << "</td><td>" << text::xml_escape(d.source) << "</td></tr>\n";
  }
  html << "</table>\n";
}

}  // namespace

std::string render_html(const ProgressReport& by_level, const ProgressReport& by_unit,
                        bool per_unit) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>Tiến độ số hóa kết quả TTHC – "
       << by_level.as_of
       << "</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222}\n"
          "h1{font-size:22px}h2{font-size:18px;margin-top:28px}\n"
          "table{border-collapse:collapse;font-size:13px}\n"
          "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}\n"
          "th{background:#f0f3f7}td.n{text-align:right}\n"
          ".ok{color:#2e9d4f;font-weight:bold}.no{color:#b00020;font-weight:bold}\n"
          ".legend span{display:inline-block;margin-right:16px}\n"
          ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}\n"
          ".part{color:#8a5a00}\n"
          "</style>\n</head>\n<body>\n"
          "<h1>Tiến độ số hóa kết quả giải quyết TTHC (digitization progress), tính đến "
       << by_level.as_of << "</h1>\n"
       << "<p class=legend><span><i class=sw style=\"background:#2e9d4f\"></i>đạt chỉ tiêu "
          "(target met)</span><span><i class=sw style=\"background:#e07b24\"></i>chưa đạt "
          "(below target)</span><span><i class=sw style=\"background:#3b7dd8\"></i>không có "
          "chỉ tiêu (no target)</span><span><i class=sw style=\"background:#b00020;height:3px;"
          "vertical-align:3px\"></i>chỉ tiêu (target)</span></p>\n";
  std::map<std::string, std::vector<const ProgressRow*>> per_level;
  std::vector<std::string> level_order;
  for (const ProgressRow& row : by_level.rows) {
    if (per_level[row.level].empty()) level_order.push_back(row.level);
    per_level[row.level].push_back(&row);
  }
  if (level_order.empty()) html << "<p>Chưa có dữ liệu sổ theo dõi (no register rows).</p>\n";
  for (const std::string& level : level_order) {
    html << "<h2>" << text::xml_escape(level_title(level)) << "</h2>\n"
         << chart_svg(per_level[level]);
  }
  bool partial = false;
  for (const ProgressRow& row : by_level.rows) partial = partial || is_partial(row);
  if (partial) {
    html << "<p class=part>* Kỳ chưa kết thúc: số liệu tính đến " << day_month(by_level.as_of)
         << " (the period is not over: counted so far).</p>\n";
  }
  if (per_unit) {
    unit_table(html, by_unit);
  } else {
    level_table(html, by_level);
  }
  unmatched_table(html, by_level);
  html << "</body>\n</html>\n";
  return html.str();
}

}  // namespace sohoa::registry
