#include "web/pages.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "ocr/layout_json.h"
#include "text/vntext.h"
#include "text/xml.h"

namespace sohoa::web {
namespace {

std::string esc(const std::string& s) { return text::xml_escape(s); }

std::string dash(const std::string& s) { return s.empty() ? "—" : esc(s); }

std::string percent_text(const std::optional<double>& v) {
  if (!v) return "—";
  char buf[32];
  snprintf(buf, sizeof buf, "%.1f%%", *v);
  return buf;
}

std::string level_name(const std::string& level) {
  if (level == "tinh") return "Cấp tỉnh";
  if (level == "huyen") return "Cấp huyện";
  if (level == "xa") return "Cấp xã";
  return level;
}

std::string role_name(const std::string& role) {
  static const std::map<std::string, std::string> names = {
      {"admin", "quản trị"}, {"supervisor", "giám sát"}, {"clerk", "cán bộ"}, {"viewer", "xem"}};
  auto it = names.find(role);
  return it == names.end() ? role : it->second;
}

std::string status_name(const std::string& status) {
  if (status == "ok") return "đã đọc";
  if (status == "review") return "cần duyệt";
  if (status == "failed") return "lỗi";
  return status;
}

// The frame of every signed-in page: navigation, who is signed in, and the
// CSRF token the script sends with writes.
std::string layout(const Caller& c, const std::string& title, const std::string& active,
                   const std::string& body) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<meta name=\"csrf\" content=\"" << esc(c.csrf) << "\">"
    << "<title>" << esc(title) << " · sohoa</title>"
    << "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>"
    << "<header><a class=\"brand\" href=\"/\">Số hóa kết quả TTHC</a><nav>";
  std::vector<std::pair<std::string, std::string>> links = {
      {"/", "Tổng quan"}, {"/search", "Tìm kiếm"}, {"/review", "Cần duyệt"}};
  if (can_ingest(c)) links.emplace_back("/upload", "Tải lên");
  if (is_admin(c)) links.emplace_back("/audit", "Nhật ký");
  for (const auto& [href, name] : links) {
    o << "<a href=\"" << href << "\"" << (href == active ? " class=\"active\"" : "") << ">" << name
      << "</a>";
  }
  o << "</nav><span class=\"who\">" << esc(c.name) << " (" << role_name(c.role)
    << (c.unit.empty() ? "" : ", " + esc(c.unit)) << ")</span>"
    << "<button id=\"logout\" type=\"button\">Đăng xuất</button></header><main>" << body
    << "</main><script src=\"/static/app.js\"></script></body></html>";
  return o.str();
}

// Bars of percent per year for each level, with the plan's target as a tick.
std::string progress_chart(const registry::ProgressReport& report) {
  std::map<std::string, std::vector<const registry::ProgressRow*>> by_level;
  for (const auto& row : report.rows) by_level[row.level].push_back(&row);
  std::ostringstream o;
  for (const auto& [level, rows] : by_level) {
    const int bar = 34, gap = 14, height = 160, top = 10;
    int width = static_cast<int>(rows.size()) * (bar + gap) + gap;
    o << "<figure class=\"chart\"><figcaption>" << level_name(level)
      << "</figcaption><svg role=\"img\" width=\"" << width << "\" height=\"" << height + 50
      << "\" viewBox=\"0 0 " << width << " " << height + 50 << "\">";
    o << "<line x1=\"0\" y1=\"" << top + height << "\" x2=\"" << width << "\" y2=\"" << top + height
      << "\" class=\"axis\"/>";
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& r = *rows[i];
      int x = gap + static_cast<int>(i) * (bar + gap);
      double pct = r.percent.value_or(0);
      int h = static_cast<int>(pct / 100.0 * height);
      std::string cls = !r.met ? "bar" : (*r.met ? "bar met" : "bar missed");
      o << "<rect class=\"" << cls << "\" x=\"" << x << "\" y=\"" << top + height - h
        << "\" width=\"" << bar << "\" height=\"" << h << "\"><title>" << r.year << r.period << ": "
        << percent_text(r.percent) << "</title></rect>";
      if (r.target) {
        int ty = top + height - static_cast<int>(*r.target / 100.0 * height);
        o << "<line class=\"target\" x1=\"" << x - 4 << "\" y1=\"" << ty << "\" x2=\""
          << x + bar + 4 << "\" y2=\"" << ty << "\"/>";
      }
      o << "<text x=\"" << x + bar / 2 << "\" y=\"" << top + height + 16
        << "\" text-anchor=\"middle\">" << r.year << r.period << "</text>";
      o << "<text x=\"" << x + bar / 2 << "\" y=\"" << top + height + 32
        << "\" text-anchor=\"middle\" class=\"small\">" << percent_text(r.percent) << "</text>";
    }
    o << "</svg></figure>";
  }
  return o.str();
}

std::string progress_table(const registry::ProgressReport& report, bool by_unit) {
  std::ostringstream o;
  o << "<table class=\"data progress\"><thead><tr>";
  if (by_unit) o << "<th>Đơn vị</th>";
  o << "<th>Cấp</th><th>Năm</th>";
  if (report.with_period) o << "<th>Kỳ</th>";
  o << "<th>Tính đến</th><th class=\"num\">Còn hiệu lực</th><th class=\"num\">Đã số hóa</th>"
       "<th class=\"num\">Tỷ lệ</th><th class=\"num\">Chỉ "
       "tiêu</th><th>Đạt</th></tr></thead><tbody>";
  for (const auto& r : report.rows) {
    o << "<tr>";
    if (by_unit) {
      auto it = report.unit_names.find(r.unit);
      std::string name = it == report.unit_names.end() ? r.unit : it->second;
      o << "<td><a href=\"/units/" << url_encode(r.unit) << "\">" << esc(name) << "</a></td>";
    }
    o << "<td>" << level_name(r.level) << "</td><td>" << r.year << "</td>";
    if (report.with_period) o << "<td>" << esc(r.period) << "</td>";
    o << "<td>" << esc(r.as_of) << "</td><td class=\"num\">" << r.valid << "</td><td class=\"num\">"
      << r.digitized << "</td><td class=\"num\">" << percent_text(r.percent)
      << "</td><td class=\"num\">" << percent_text(r.target) << "</td><td>"
      << (!r.met ? "—" : (*r.met ? "✔ đạt" : "✘ chưa")) << "</td></tr>";
  }
  o << "</tbody></table>";
  return o.str();
}

std::string field_label(const std::string& name) {
  static const std::map<std::string, std::string> labels = {{"doc_type", "Loại văn bản"},
                                                            {"doc_number", "Số, ký hiệu"},
                                                            {"issued_date", "Ngày ban hành"},
                                                            {"place", "Địa danh"},
                                                            {"authority", "Cơ quan ban hành"},
                                                            {"subject", "Trích yếu"},
                                                            {"signer", "Người ký"},
                                                            {"signer_role", "Chức vụ người ký"},
                                                            {"citizen_ids", "Số CCCD/CMND"},
                                                            {"dossier_code", "Mã hồ sơ"}};
  auto it = labels.find(name);
  return it == labels.end() ? name : it->second;
}

// A word as the highlighter compares it: folded (no accents, no case) and
// without punctuation, as the search index sees it.
std::string compare_key(const std::string& word) {
  std::string out;
  for (char ch : text::fold(word)) {
    auto b = static_cast<unsigned char>(ch);
    if (std::isalnum(b) || b >= 0x80) out += ch;
  }
  return out;
}

std::string percent_of(int v, int whole) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.3f%%", whole > 0 ? 100.0 * v / whole : 0.0);
  return buf;
}

// The OCR word boxes over a page image, placed in percent of the page that
// was read, so they fit the image at any size. Empty without a layout.
std::string word_boxes(const storage::PageRecord& p) {
  if (p.layout_json.empty()) return {};
  ocr::PageText layout;
  try {
    layout = ocr::layout_from_json(p.layout_json);
  } catch (const std::exception&) {
    return {};  // a damaged layout: the page shows without boxes
  }
  if (layout.width <= 0 || layout.height <= 0) return {};
  std::ostringstream o;
  o << "<div class=\"boxes\">";
  for (const auto& block : layout.blocks) {
    for (const auto& line : block.lines) {
      for (const auto& w : line.words) {
        o << "<span class=\"wbox\" data-f=\"" << esc(compare_key(w.text)) << "\" title=\""
          << esc(w.text) << "\" style=\"left:" << percent_of(w.box.x, layout.width)
          << ";top:" << percent_of(w.box.y, layout.height)
          << ";width:" << percent_of(w.box.w, layout.width)
          << ";height:" << percent_of(w.box.h, layout.height) << "\"></span>";
      }
    }
  }
  o << "</div>";
  return o.str();
}

}  // namespace

std::string url_encode(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto b = static_cast<unsigned char>(ch);
    if (std::isalnum(b) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += ch;
    } else {
      char buf[4];
      snprintf(buf, sizeof buf, "%%%02X", b);
      out += buf;
    }
  }
  return out;
}

std::string login_page() {
  return R"(<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập · sohoa</title><link rel="stylesheet" href="/static/app.css"></head>
<body class="login"><main><form id="login-form" class="card">
<h1>Số hóa kết quả TTHC</h1><p>Đăng nhập để xem tiến độ, tra cứu và duyệt hồ sơ.</p>
<label>Tên đăng nhập <input name="user" autocomplete="username" required autofocus></label>
<label>Mật khẩu <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Đăng nhập</button><p id="login-error" class="error" role="alert"></p>
</form></main><script src="/static/app.js"></script></body></html>)";
}

std::string dashboard_page(const Caller& c, const registry::ProgressReport& by_level,
                           const registry::ProgressReport& by_unit) {
  std::ostringstream o;
  o << "<h1>Tiến độ số hóa kết quả giải quyết TTHC</h1><p class=\"note\">Tỷ lệ kết quả còn "
       "hiệu lực đã được số hóa, theo cấp và năm, so với chỉ tiêu của kế hoạch (vạch ngang). "
       "Tính đến "
    << esc(by_level.as_of) << ".</p>";
  if (by_level.rows.empty()) {
    o << "<p class=\"empty\">Chưa có sổ theo dõi kết quả (register) nào được nhập.</p>";
  } else {
    o << "<section class=\"charts\">" << progress_chart(by_level) << "</section>";
    o << "<h2>Theo cấp</h2>" << progress_table(by_level, false);
    o << "<h2>Theo đơn vị</h2>" << progress_table(by_unit, true);
  }
  o << "<p class=\"note\">Văn bản đã số hóa chưa khớp sổ theo dõi: <strong id=\"unmatched\">"
    << by_level.unmatched.size() << "</strong></p>";
  return layout(c, "Tổng quan", "/", o.str());
}

std::string search_page(const Caller& c, const SearchForm& f,
                        const std::vector<storage::SearchHit>& hits, const std::string& error,
                        bool searched) {
  std::ostringstream o;
  o << "<h1>Tìm kiếm văn bản</h1><form class=\"search\" method=\"get\" action=\"/search\">"
    << "<input name=\"q\" id=\"q\" placeholder=\"Số, tên, số CCCD, nội dung… (không cần dấu)\" "
       "value=\""
    << esc(f.q) << "\">"
    << "<select name=\"level\"><option value=\"\">Mọi cấp</option>";
  for (const char* l : {"tinh", "huyen", "xa"}) {
    o << "<option value=\"" << l << "\"" << (f.level == l ? " selected" : "") << ">"
      << level_name(l) << "</option>";
  }
  o << "</select><input name=\"year\" size=\"5\" placeholder=\"Năm\" value=\"" << esc(f.year)
    << "\"><input name=\"type\" placeholder=\"Loại văn bản\" value=\"" << esc(f.type)
    << "\"><input name=\"unit\" size=\"8\" placeholder=\"Mã đơn vị\" value=\"" << esc(f.unit)
    << "\"><button type=\"submit\">Tìm</button></form>";
  if (!error.empty()) o << "<p class=\"error\">" << esc(error) << "</p>";
  if (searched && error.empty()) {
    o << "<p class=\"note\">" << hits.size() << " kết quả</p>";
    o << "<table class=\"data hits\"><thead><tr><th>Số, ký hiệu</th><th>Ngày</th><th>Loại</th>"
         "<th>Đơn vị</th><th>Trích đoạn</th></tr></thead><tbody>";
    for (const auto& h : hits) {
      std::string snippet = esc(h.snippet);
      // The index marks matches with [ ]: show them highlighted.
      std::string marked;
      for (char ch : snippet) {
        if (ch == '[')
          marked += "<mark>";
        else if (ch == ']')
          marked += "</mark>";
        else
          marked += ch;
      }
      o << "<tr><td><a href=\"/documents/" << h.id << "?q=" << url_encode(f.q) << "\">"
        << (h.doc_number.empty() ? "#" + std::to_string(h.id) : esc(h.doc_number))
        << "</a></td><td>" << dash(h.issued_date) << "</td><td>" << dash(h.doc_type) << "</td><td>"
        << dash(h.unit) << "</td><td class=\"snippet\">" << marked << "</td></tr>";
    }
    o << "</tbody></table>";
  }
  return layout(c, "Tìm kiếm", "/search", o.str());
}

std::string document_page(const Caller& c, const storage::StoredDocument& d,
                          const std::vector<storage::Correction>& corrections,
                          const std::vector<std::string>& reasons, const std::string& highlight) {
  std::ostringstream o;
  std::string number;
  for (const auto& f : d.fields) {
    if (f.name == "doc_number") number = f.value;
  }
  o << "<h1>Văn bản " << (number.empty() ? "#" + std::to_string(d.id) : esc(number))
    << " <span class=\"status " << esc(d.status) << "\">" << status_name(d.status)
    << "</span></h1>";
  if (!d.error.empty()) o << "<p class=\"error\">" << esc(d.error) << "</p>";
  for (const auto& r : reasons) o << "<p class=\"reason\">Cần xem: " << esc(r) << "</p>";
  o << "<form class=\"find\" id=\"find-form\"><label>Đánh dấu từ trên trang <input id=\"find\" "
       "value=\""
    << esc(highlight)
    << "\" placeholder=\"không cần dấu\"></label><span id=\"find-count\" "
       "class=\"note\"></span></form>";
  o << "<div class=\"doc\"><section class=\"pages\">";
  for (const auto& p : d.pages) {
    o << "<figure><div class=\"page-image\"><img loading=\"lazy\" alt=\"Trang " << p.page
      << "\" src=\"/api/v1/documents/" << d.id << "/pages/" << p.page << ".png\">" << word_boxes(p)
      << "</div><figcaption>Trang " << p.page << " · " << p.width << "×" << p.height << " · "
      << p.dpi << " dpi · xoay " << p.rotation << "° · độ tin cậy "
      << static_cast<int>(p.ocr_confidence) << "%</figcaption></figure>";
  }
  o << "</section><section class=\"meta\"><table class=\"fields\" id=\"fields\">";
  for (const auto& name : storage::metadata_field_names()) {
    std::string value;
    for (const auto& f : d.fields) {
      if (f.name == name) value = f.value;
    }
    o << "<tr data-field=\"" << name << "\"><th>" << field_label(name) << "</th><td>" << dash(value)
      << "</td></tr>";
  }
  o << "<tr><th>Đơn vị quét</th><td>" << dash(d.unit)
    << "</td></tr><tr><th>Đơn vị ban hành</th><td>" << dash(d.issuer_unit)
    << "</td></tr><tr><th>Ngày số hóa</th><td>" << dash(d.digitized_at)
    << "</td></tr><tr><th>Tệp gốc</th><td class=\"source\">" << dash(d.source)
    << "</td></tr></table>";
  o << "<p class=\"exports\"><a href=\"/api/v1/documents/" << d.id
    << "/pdf\">PDF tìm kiếm được</a> · <a href=\"/api/v1/documents/" << d.id
    << "/alto\">ALTO XML</a> · <a href=\"/api/v1/documents/" << d.id
    << "/original\">Tệp gốc</a></p>";
  if (can_correct(c)) {
    o << "<form id=\"correction-form\" class=\"card\" data-doc=\"" << d.id
      << "\"><h2>Sửa thông tin</h2><label>Trường <select name=\"field\">";
    for (const auto& name : storage::metadata_field_names()) {
      o << "<option value=\"" << name << "\">" << field_label(name) << "</option>";
    }
    o << "</select></label><label>Giá trị đúng <input name=\"value\" required></label>"
         "<button type=\"submit\">Lưu</button><p id=\"correction-error\" class=\"error\" "
         "role=\"alert\"></p></form>";
  }
  o << "<h2>Lịch sử sửa</h2>";
  if (corrections.empty()) {
    o << "<p class=\"note\">Chưa có.</p>";
  } else {
    o << "<table class=\"data\" id=\"corrections\"><thead><tr><th>Trường</th><th>Giá trị</th>"
         "<th>Người sửa</th><th>Lúc</th></tr></thead><tbody>";
    for (const auto& k : corrections) {
      o << "<tr><td>" << field_label(k.field) << "</td><td>" << esc(k.value) << "</td><td>"
        << esc(k.by) << "</td><td>" << esc(k.at) << "</td></tr>";
    }
    o << "</tbody></table>";
  }
  o << "<h2>Nội dung</h2>";
  for (const auto& p : d.pages) {
    o << "<pre class=\"text\" data-page=\"" << p.page << "\">" << esc(p.text) << "</pre>";
  }
  o << "</section></div>";
  return layout(c, "Văn bản " + std::to_string(d.id), "", o.str());
}

std::string unit_page(const Caller& c, const storage::Unit& unit,
                      const registry::ProgressReport& report,
                      const storage::Database::PendingRows& pending, const std::string& as_of) {
  std::ostringstream o;
  o << "<p><a href=\"/\">← Tổng quan</a></p><h1>" << esc(unit.name) << " <span class=\"note\">("
    << esc(unit.code) << ", " << level_name(unit.level) << ")</span></h1>";
  if (!unit.successor.empty()) {
    o << "<p class=\"note\">Đã sáp nhập vào <a href=\"/units/" << url_encode(unit.successor)
      << "\">" << esc(unit.successor) << "</a> (hoạt động đến " << dash(unit.valid_to) << ").</p>";
  }
  o << "<h2>Tiến độ</h2>" << progress_table(report, true);
  o << "<h2>Kết quả còn hiệu lực chưa số hóa (tính đến " << esc(as_of)
    << "): <strong id=\"pending-total\">" << pending.total << "</strong></h2>";
  if (pending.rows.empty()) {
    o << "<p class=\"empty\">Không còn kết quả nào chưa số hóa.</p>";
  } else {
    if (static_cast<int64_t>(pending.rows.size()) < pending.total) {
      o << "<p class=\"note\">Hiển thị " << pending.rows.size() << " kết quả mới nhất.</p>";
    }
    o << "<table class=\"data\" id=\"pending\"><thead><tr><th>Đơn vị</th><th>Số, ký hiệu</th>"
         "<th>Ngày ban hành</th><th>Hiệu lực đến</th><th>Mã hồ sơ</th><th>Loại</th>"
         "<th>Trích yếu</th></tr></thead><tbody>";
    for (const auto& r : pending.rows) {
      o << "<tr><td>" << esc(r.unit) << "</td><td>" << esc(r.doc_number) << "</td><td>"
        << esc(r.issued_date) << "</td><td>" << dash(r.valid_until) << "</td><td>"
        << dash(r.dossier_code) << "</td><td>" << dash(r.doc_type) << "</td><td>" << dash(r.title)
        << "</td></tr>";
    }
    o << "</tbody></table>";
  }
  return layout(c, unit.name, "/", o.str());
}

std::string review_page(const Caller& c, const std::vector<storage::Database::ReviewItem>& items) {
  std::ostringstream o;
  o << "<h1>Văn bản cần duyệt</h1><p class=\"note\">" << items.size()
    << " văn bản. Mở một văn bản để xem trang bên cạnh các trường và sửa.</p>"
    << "<table class=\"data\" id=\"review\"><thead><tr><th>#</th><th>Trạng thái</th><th>Lý do</th>"
       "<th>Tệp</th></tr></thead><tbody>";
  for (const auto& item : items) {
    std::string reasons;
    for (const auto& r : item.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    o << "<tr><td><a href=\"/documents/" << item.id << "\">" << item.id << "</a></td><td>"
      << status_name(item.status) << "</td><td>" << esc(reasons) << "</td><td class=\"source\">"
      << esc(item.source) << "</td></tr>";
  }
  o << "</tbody></table>";
  return layout(c, "Cần duyệt", "/review", o.str());
}

std::string upload_page(const Caller& c) {
  std::ostringstream o;
  o << "<h1>Tải bản quét lên</h1><form id=\"upload-form\" class=\"card\">"
    << "<p class=\"note\">PNG, JPEG, TIFF, WebP hoặc PDF bản quét; mỗi tệp là một văn bản.</p>"
    << "<label>Tệp <input type=\"file\" name=\"files\" multiple required></label>";
  if (c.unit.empty()) {
    o << "<label>Mã đơn vị quét <input name=\"unit\" required></label>";
  } else {
    o << "<p>Đơn vị: <strong>" << esc(c.unit) << "</strong></p>";
  }
  o << "<button type=\"submit\">Tải lên và số hóa</button>"
       "<progress id=\"upload-progress\" max=\"100\" value=\"0\" hidden></progress>"
       "<p id=\"upload-status\" role=\"status\"></p></form>"
       "<table class=\"data\" id=\"upload-results\"><thead><tr><th>Tệp</th><th>Kết quả</th>"
       "<th>Văn bản</th><th>Trang</th><th>Lỗi</th></tr></thead><tbody></tbody></table>";
  return layout(c, "Tải lên", "/upload", o.str());
}

std::string audit_page(const Caller& c, const std::vector<storage::AuditEntry>& entries) {
  std::ostringstream o;
  o << "<h1>Nhật ký thao tác</h1><table class=\"data\"><thead><tr><th>Lúc</th><th>Người</th>"
       "<th>Thao tác</th><th>Đối tượng</th></tr></thead><tbody>";
  for (const auto& e : entries) {
    o << "<tr><td>" << esc(e.at) << "</td><td>" << esc(e.user) << "</td><td>" << esc(e.action)
      << "</td><td>" << esc(e.target) << "</td></tr>";
  }
  o << "</tbody></table>";
  return layout(c, "Nhật ký", "/audit", o.str());
}

std::string message_page(const Caller& c, const std::string& title, const std::string& text) {
  return layout(c, title, "", "<h1>" + esc(title) + "</h1><p>" + esc(text) + "</p>");
}

}  // namespace sohoa::web
