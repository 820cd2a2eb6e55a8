#include "samples/generator/document.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

#include "text/vntext.h"

namespace sohoa::samples {
namespace {

const std::string kDecision = "QUYẾT ĐỊNH";
const std::string kHousehold = "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH";
const std::string kPermit = "GIẤY PHÉP XÂY DỰNG";
const std::string kBirth = "TRÍCH LỤC KHAI SINH";
const std::string kMarriage = "GIẤY CHỨNG NHẬN KẾT HÔN";
const std::string kNotice = "THÔNG BÁO";

// The 2025 reorganization: district level gone, new communes in Đắk Lắk.
const Date kReorganization{2025, 7, 1};

struct Person {
  std::string name;
  bool male = true;
  Date born;
  std::string id;
  bool cccd = true;  // 12-digit citizen identity card, else a 9-digit CMND
  std::string address;

  std::string id_label() const {
    return cccd ? "Số định danh cá nhân/CCCD: " + id : "Số CMND: " + id;
  }
  std::string honorific() const { return male ? "ông" : "bà"; }
};

// Names avoid "ỵ": the installed OCR model cannot read it.
const std::vector<std::string> kSurnames = {"Nguyễn", "Trần",  "Lê",    "Phạm", "Huỳnh",  "Hoàng",
                                            "Phan",   "Võ",    "Đặng",  "Bùi",  "Đỗ",     "Hồ",
                                            "Ngô",    "Dương", "Lương", "Đoàn", "Trương", "Lâm"};
const std::vector<std::string> kMaleMiddle = {"Văn",   "Minh", "Đức",  "Quốc", "Hữu",
                                              "Thanh", "Công", "Ngọc", "Xuân", "Đình"};
const std::vector<std::string> kFemaleMiddle = {"Thị", "Thị", "Ngọc",  "Thu",
                                                "Kim", "Mỹ",  "Thanh", "Hồng"};
const std::vector<std::string> kMaleGiven = {"Bình", "Dũng", "Hùng",  "Nam",   "Phong", "Quang",
                                             "Sơn",  "Tuấn", "Thành", "Trung", "Khánh", "Long",
                                             "Hiếu", "Tài",  "Lộc",   "Phúc",  "Đạt",   "Cường"};
const std::vector<std::string> kFemaleGiven = {"Anh",   "Hoa",  "Lan",    "Hương", "Mai",  "Ngân",
                                               "Nhung", "Thảo", "Trang",  "Hạnh",  "Hằng", "Linh",
                                               "Loan",  "Oanh", "Phượng", "Tuyết", "Diễm", "Vân"};
const std::vector<std::string> kVillages = {"Phú Diễn",  "Mỹ Thạnh",  "Đông Bình",   "Phước Thịnh",
                                            "Lạc Chỉ",   "Cảnh Tịnh", "Quang Thạnh", "Vinh Ba",
                                            "Phú Thạnh", "Mỹ Phú",    "Ngọc Phước",  "Bình Thắng"};

std::string format(const char* pattern, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, pattern, args...);
  return buf;
}

std::string person_name(Random& rng, bool male) {
  return rng.pick(kSurnames) + " " + rng.pick(male ? kMaleMiddle : kFemaleMiddle) + " " +
         rng.pick(male ? kMaleGiven : kFemaleGiven);
}

Date random_date(Random& rng, const Date& first, const Date& last) {
  auto span = static_cast<int>((last.days() - first.days()).count());
  return first.plus_days(rng.between(0, span));
}

Date random_workday(Random& rng, const Date& first, const Date& last) {
  for (;;) {
    Date d = random_date(rng, first, last);
    if (!d.is_weekend()) return d;
  }
}

// CCCD: province of registration (054 Phú Yên), a century-and-sex digit,
// the two last digits of the birth year, six random digits.
std::string cccd_number(Random& rng, bool male, const Date& born) {
  int century_sex = (born.year >= 2000 ? 2 : 0) + (male ? 0 : 1);
  return format("054%d%02d", century_sex, born.year % 100) + rng.digits(6);
}

const Unit& unit_of(const std::vector<Unit>& units, const std::string& code) {
  const Unit* u = find_unit(units, code);
  if (u == nullptr) throw std::runtime_error("units file: unknown parent unit '" + code + "'");
  return *u;
}

std::string lower_kind(const Unit& u) { return text::lower(u.kind_upper()); }

// "thôn Phú Diễn, xã Hòa Đồng, huyện Tây Hòa, tỉnh Phú Yên": the chain of
// units above a commune valid at `date`.
std::string address_in(Random& rng, const std::vector<Unit>& units, const Unit& commune) {
  std::string out =
      (commune.kind_upper() == "THỊ TRẤN" ? "khu phố " + std::to_string(rng.between(1, 6))
                                          : "thôn " + rng.pick(kVillages));
  const Unit* u = &commune;
  while (u != nullptr) {
    out += ", " + lower_kind(*u) + " " + u->bare_name();
    u = u->parent.empty() ? nullptr : &unit_of(units, u->parent);
  }
  return out;
}

std::vector<const Unit*> units_valid_at(const std::vector<Unit>& units, const Date& date,
                                        const std::string& level) {
  std::vector<const Unit*> out;
  for (const auto& u : units)
    if (u.level == level && u.valid_at(date)) out.push_back(&u);
  return out;
}

// A commune where a citizen of `issuer` lives: the issuer itself when it is
// a commune, else one of the communes valid at the date under it.
const Unit& home_commune(Random& rng, const std::vector<Unit>& units, const Unit& issuer,
                         const Date& date) {
  if (issuer.level == "xa") return issuer;
  std::vector<const Unit*> below;
  for (const Unit* u : units_valid_at(units, date, "xa")) {
    if (u->parent == issuer.code)
      below.push_back(u);
    else if (!u->parent.empty() && unit_of(units, u->parent).parent == issuer.code)
      below.push_back(u);
  }
  if (below.empty()) return issuer;
  return *rng.pick(below);
}

Person make_person(Random& rng, const std::vector<Unit>& units, const Unit& commune,
                   const Date& issued, int min_age, int max_age) {
  Person p;
  p.male = rng.chance(0.5);
  p.name = person_name(rng, p.male);
  p.born = random_date(rng, Date{issued.year - max_age, 1, 1}, Date{issued.year - min_age, 12, 28});
  // CMND cards stopped being valid at the end of 2024.
  p.cccd = !(issued.year <= 2024 && p.born.year < 1990 && rng.chance(0.3));
  p.id = p.cccd ? cccd_number(rng, p.male, p.born) : "221" + rng.digits(6);
  p.address = address_in(rng, units, commune);
  return p;
}

std::string authority_place_upper(const Unit& u) {
  return u.kind_upper() + " " + text::upper(u.bare_name());
}

const std::vector<std::string>& filler_sentences() {
  static const std::vector<std::string> s = {
      "Các cơ quan, đơn vị có liên quan có trách nhiệm phối hợp thực hiện đúng quy định của pháp "
      "luật.",
      "Trong quá trình thực hiện, nếu có vướng mắc phát sinh thì kịp thời báo cáo để được xem xét, "
      "giải quyết.",
      "Công chức phụ trách lĩnh vực có trách nhiệm theo dõi, kiểm tra và báo cáo kết quả thực hiện "
      "định kỳ.",
      "Hồ sơ được lưu trữ tại bộ phận tiếp nhận và trả kết quả theo quy định về văn thư, lưu trữ.",
      "Người dân có quyền phản ánh, kiến nghị về việc thực hiện thủ tục hành chính theo quy định.",
      "Kết quả giải quyết được cập nhật trên Cổng dịch vụ công quốc gia và hệ thống thông tin giải "
      "quyết thủ tục hành chính.",
      "Thời hạn giải quyết được tính từ ngày tiếp nhận đủ hồ sơ hợp lệ theo quy định.",
      "Việc thu phí, lệ phí thực hiện theo mức thu do Hội đồng nhân dân tỉnh quy định.",
  };
  return s;
}

std::vector<Paragraph> make_filler(Random& rng) {
  std::vector<Paragraph> out;
  for (int i = 0; i < 40; ++i) {
    std::string text;
    int sentences = rng.between(2, 3);
    for (int s = 0; s < sentences; ++s) text += (s ? " " : "") + rng.pick(filler_sentences());
    out.push_back({text});
  }
  return out;
}

struct TypeInfo {
  std::string symbol;  // after the number: "QĐ-UBND"
  std::string procedure_code;
};

const std::map<std::string, TypeInfo>& type_info() {
  static const std::map<std::string, TypeInfo> info = {
      {kDecision, {"QĐ-UBND", "1.008004"}}, {kNotice, {"TB-UBND", "1.004227"}},
      {kPermit, {"GP-UBND", "1.009994"}},   {kHousehold, {"HKD", "2.000720"}},
      {kBirth, {"TLKS", "1.001193"}},       {kMarriage, {"GCNKH", "1.000894"}}};
  return info;
}

std::vector<std::string> types_for(const Unit& u, const Date& date) {
  if (u.level == "tinh") return {kDecision, kNotice};
  if (u.level == "huyen") return {kDecision, kNotice, kPermit, kHousehold};
  // Since the reorganization communes also issue permits and household businesses.
  if (date >= kReorganization) return {kDecision, kNotice, kBirth, kMarriage, kPermit, kHousehold};
  return {kDecision, kNotice, kBirth, kMarriage};
}

std::string dossier_code(Random& rng, const std::vector<Unit>& units, const Unit& u,
                         const Date& date) {
  int index = static_cast<int>(&u - units.data());
  return format("H%s.%02d-%02d%02d%02d-%s", date < kReorganization ? "46" : "15", 10 + index,
                date.year % 100, date.month, date.day, rng.digits(4).c_str());
}

std::string unique_number(Random& rng, const Unit& u, const std::string& type, const Date& date,
                          std::set<std::string>& used) {
  for (;;) {
    std::string number;
    if (type == kHousehold)
      number = "45A8" + rng.digits(6);
    else
      number = std::to_string(rng.between(1, 950)) + "/" + type_info().at(type).symbol;
    if (used.insert(u.code + "|" + number + "|" + date.iso()).second) return number;
  }
}

struct Body {
  std::optional<std::string> subject;
  std::vector<Paragraph> paragraphs;
  std::vector<std::string> citizen_ids;
  std::string register_title;
  Date valid_until;
  std::string addressee;  // for "Nơi nhận"
};

Paragraph centred_bold(const std::string& text) {
  return {text, Style::kBold, Align::kCentre, 13, false};
}

std::string issuer_phrase(const Unit& u) {
  return "Ủy ban nhân dân " + lower_kind(u) + " " + u.bare_name();
}

Body decision_body(Random& rng, const Unit& issuer, const Person& p, const Document& doc,
                   const std::optional<std::string>& dossier) {
  struct Kind {
    std::string subject, article;
  };
  const std::vector<Kind> kinds = {
      {"Về việc hỗ trợ kinh phí sửa chữa nhà ở cho hộ gia đình",
       "Hỗ trợ kinh phí sửa chữa nhà ở cho"},
      {"Về việc công nhận hộ gia đình văn hóa năm " + std::to_string(doc.metadata.issued_date.year),
       "Công nhận danh hiệu gia đình văn hóa cho hộ"},
      {"Về việc giao đất ở cho hộ gia đình, cá nhân", "Giao đất ở cho"},
      {"Về việc chuyển mục đích sử dụng đất", "Cho phép chuyển mục đích sử dụng đất đối với"},
      {"Về việc trợ cấp xã hội hằng tháng", "Trợ cấp xã hội hằng tháng đối với"},
      {"Về việc phê duyệt hỗ trợ người có công với cách mạng", "Phê duyệt hỗ trợ cho"}};
  const Kind& k = rng.pick(kinds);
  Body b;
  b.subject = k.subject;
  b.register_title = k.subject;
  std::string chair = "CHỦ TỊCH ỦY BAN NHÂN DÂN " + authority_place_upper(issuer);
  b.paragraphs.push_back(centred_bold(chair));
  b.paragraphs.push_back({"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"});
  b.paragraphs.push_back(
      {"Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính "
       "phủ về công tác văn thư;"});
  b.paragraphs.push_back(
      {"Xét đề nghị của công chức phụ trách và hồ sơ của " + p.honorific() + " " + p.name + "."});
  b.paragraphs.push_back(centred_bold("QUYẾT ĐỊNH:"));
  b.paragraphs.push_back({"Điều 1. " + k.article + " " + p.honorific() + " " + p.name +
                          ", sinh ngày " + p.born.dmy() + ", " + p.id_label() +
                          ", nơi cư trú: " + p.address + "."});
  if (dossier) b.paragraphs.push_back({"Mã hồ sơ: " + *dossier});
  b.paragraphs.push_back({"Điều 2. Quyết định này có hiệu lực kể từ ngày ký."});
  b.paragraphs.push_back({"Điều 3. Văn phòng, công chức có liên quan và " + p.honorific() + " " +
                          p.name + " chịu trách nhiệm thi hành Quyết định này./."});
  b.citizen_ids = {p.id};
  b.addressee = "Như Điều 3";
  return b;
}

Body notice_body(Random& rng, const Unit& issuer, const Person& p,
                 const std::optional<std::string>& dossier) {
  const std::vector<std::string> subjects = {
      "Về việc kết quả giải quyết hồ sơ đăng ký biến động đất đai",
      "Về việc trả kết quả giải quyết thủ tục hành chính",
      "Về việc bổ sung hồ sơ đề nghị cấp giấy phép xây dựng", "Về việc xác nhận thông tin cư trú"};
  Body b;
  b.subject = rng.pick(subjects);
  b.register_title = *b.subject;
  b.paragraphs.push_back({issuer_phrase(issuer) + " thông báo đến " + p.honorific() + " " + p.name +
                          ", sinh ngày " + p.born.dmy() + ", " + p.id_label() + ", cư trú tại " +
                          p.address + " như sau:"});
  if (dossier) b.paragraphs.push_back({"Mã hồ sơ: " + *dossier});
  b.paragraphs.push_back({"Hồ sơ của " + p.honorific() +
                          " đã được giải quyết xong theo đúng quy "
                          "định. Đề nghị " +
                          p.honorific() +
                          " đến bộ phận tiếp nhận và trả kết "
                          "quả để nhận kết quả."});
  b.paragraphs.push_back({issuer_phrase(issuer) + " thông báo để " + p.honorific() +
                          " biết và thực "
                          "hiện./."});
  b.citizen_ids = {p.id};
  b.addressee = p.male ? "Ông " + p.name : "Bà " + p.name;
  return b;
}

Body permit_body(Random& rng, const Person& p, const Document& doc,
                 const std::optional<std::string>& dossier) {
  Body b;
  b.subject = "Sử dụng cho nhà ở riêng lẻ";
  b.register_title = "Cấp giấy phép xây dựng nhà ở riêng lẻ cho " + p.name;
  b.valid_until = doc.metadata.issued_date.plus_months(12);
  b.paragraphs.push_back({"1. Cấp cho: " + std::string(p.male ? "Ông " : "Bà ") + p.name,
                          Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back({"- " + p.id_label(), Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back({"- Địa chỉ: " + p.address, Style::kRegular, Align::kLeft, 13, false});
  if (dossier)
    b.paragraphs.push_back({"- Mã hồ sơ: " + *dossier, Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back({"2. Được phép xây dựng công trình: nhà ở riêng lẻ", Style::kRegular,
                          Align::kLeft, 13, false});
  b.paragraphs.push_back({format("- Vị trí xây dựng: thửa đất số %d, tờ bản đồ số %d",
                                 rng.between(10, 900), rng.between(1, 60)),
                          Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back(
      {format("- Diện tích xây dựng tầng 1: %d,%d m2; tổng diện tích sàn: %d,%d m2",
              rng.between(60, 150), rng.between(0, 9), rng.between(100, 300), rng.between(0, 9)),
       Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back({format("- Chiều cao công trình: %d,%d m; số tầng: %d", rng.between(4, 12),
                                 rng.between(0, 9), rng.between(1, 3)),
                          Style::kRegular, Align::kLeft, 13, false});
  b.paragraphs.push_back(
      {"3. Giấy phép có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể "
       "từ ngày cấp; quá thời hạn trên thì phải đề nghị gia hạn giấy phép."});
  b.citizen_ids = {p.id};
  b.addressee = p.male ? "Ông " + p.name : "Bà " + p.name;
  return b;
}

Body household_body(Random& rng, const Person& p, const std::optional<std::string>& dossier) {
  const std::vector<std::pair<std::string, std::string>> trades = {
      {"Tạp hóa", "Bán lẻ lương thực, thực phẩm, đồ uống trong cửa hàng"},
      {"Cà phê", "Dịch vụ phục vụ đồ uống"},
      {"Sửa xe", "Bảo dưỡng, sửa chữa mô tô, xe máy"},
      {"Vật liệu xây dựng", "Bán lẻ vật liệu xây dựng trong cửa hàng chuyên doanh"},
      {"May mặc", "May trang phục"}};
  const auto& [shop, trade] = rng.pick(trades);
  std::string business = "Hộ kinh doanh " + shop + " " + p.name.substr(p.name.rfind(' ') + 1);
  Body b;
  b.register_title = "Đăng ký thành lập hộ kinh doanh: " + business;
  auto line = [](const std::string& t) {
    return Paragraph{t, Style::kRegular, Align::kLeft, 13, false};
  };
  b.paragraphs.push_back(line("1. Tên hộ kinh doanh: " + business));
  b.paragraphs.push_back(line("2. Địa điểm kinh doanh: " + p.address));
  b.paragraphs.push_back(line("3. Ngành, nghề kinh doanh: " + trade));
  b.paragraphs.push_back(
      line(format("4. Vốn kinh doanh: %d.000.000 đồng", rng.between(2, 30) * 10)));
  b.paragraphs.push_back(line(format("5. Số lượng lao động: %d", rng.between(1, 6))));
  b.paragraphs.push_back(line("6. Chủ hộ kinh doanh: " + p.name + "; giới tính: " +
                              (p.male ? "Nam" : "Nữ") + "; sinh ngày: " + p.born.dmy()));
  b.paragraphs.push_back(line("- " + p.id_label()));
  b.paragraphs.push_back(line("- Nơi cư trú: " + p.address));
  if (dossier) b.paragraphs.push_back(line("Mã hồ sơ: " + *dossier));
  b.citizen_ids = {p.id};
  b.addressee = "Chủ hộ kinh doanh";
  return b;
}

Body birth_body(Random& rng, const std::vector<Unit>& units, const Unit& issuer,
                const Document& doc, const std::optional<std::string>& dossier) {
  const Date& issued = doc.metadata.issued_date;
  bool boy = rng.chance(0.5);
  std::string surname = rng.pick(kSurnames);
  std::string child = surname + " " + rng.pick(boy ? kMaleMiddle : kFemaleMiddle) + " " +
                      rng.pick(boy ? kMaleGiven : kFemaleGiven);
  Date born = issued.plus_days(-rng.between(1, 60));
  std::string child_id = cccd_number(rng, boy, born);
  Person mother = make_person(rng, units, issuer, issued, 20, 40);
  mother.male = false;
  mother.name = person_name(rng, false);
  std::string father = surname + " " + rng.pick(kMaleMiddle) + " " + rng.pick(kMaleGiven);
  auto line = [](const std::string& t) {
    return Paragraph{t, Style::kRegular, Align::kLeft, 13, false};
  };
  Body b;
  b.register_title = "Đăng ký khai sinh cho " + child;
  b.paragraphs.push_back(line("Họ, chữ đệm, tên: " + text::upper(child)));
  b.paragraphs.push_back(line("Ngày, tháng, năm sinh: " + born.dmy()));
  b.paragraphs.push_back(line(std::string("Giới tính: ") + (boy ? "Nam" : "Nữ") +
                              "; dân tộc: Kinh; quốc tịch: Việt Nam"));
  b.paragraphs.push_back(
      line("Nơi sinh: Trạm Y tế " + lower_kind(issuer) + " " + issuer.bare_name()));
  b.paragraphs.push_back(line("Số định danh cá nhân: " + child_id));
  b.paragraphs.push_back(line("Họ, chữ đệm, tên người mẹ: " + mother.name +
                              "; năm sinh: " + std::to_string(mother.born.year)));
  b.paragraphs.push_back(line("Họ, chữ đệm, tên người cha: " + father));
  b.paragraphs.push_back(line("Nơi cư trú: " + mother.address));
  b.paragraphs.push_back(line("Nơi đăng ký khai sinh: " + issuer_phrase(issuer)));
  b.paragraphs.push_back(line("Ngày, tháng, năm đăng ký: " + issued.dmy()));
  if (dossier) b.paragraphs.push_back(line("Mã hồ sơ: " + *dossier));
  b.citizen_ids = {child_id};
  b.addressee = "Người yêu cầu";
  return b;
}

Body marriage_body(Random& rng, const std::vector<Unit>& units, const Unit& issuer,
                   const Document& doc, const std::optional<std::string>& dossier) {
  const Date& issued = doc.metadata.issued_date;
  Person husband = make_person(rng, units, issuer, issued, 20, 40);
  husband.male = true;
  husband.name = person_name(rng, true);
  husband.id = husband.cccd ? cccd_number(rng, true, husband.born) : husband.id;
  Person wife = make_person(rng, units, issuer, issued, 18, 38);
  wife.male = false;
  wife.name = person_name(rng, false);
  wife.id = wife.cccd ? cccd_number(rng, false, wife.born) : wife.id;
  auto line = [](const std::string& t) {
    return Paragraph{t, Style::kRegular, Align::kLeft, 13, false};
  };
  Body b;
  b.register_title = "Đăng ký kết hôn: " + husband.name + " và " + wife.name;
  for (const Person* p : {&husband, &wife}) {
    std::string who = p->male ? "chồng" : "vợ";
    b.paragraphs.push_back(line("Họ, chữ đệm, tên " + who + ": " + text::upper(p->name)));
    b.paragraphs.push_back(
        line("Ngày, tháng, năm sinh: " + p->born.dmy() + "; dân tộc: Kinh; quốc tịch: Việt Nam"));
    b.paragraphs.push_back(line("Nơi cư trú: " + p->address));
    b.paragraphs.push_back(line(p->id_label()));
  }
  b.paragraphs.push_back(line("Ngày, tháng, năm đăng ký: " + issued.dmy()));
  if (dossier) b.paragraphs.push_back(line("Mã hồ sơ: " + *dossier));
  b.citizen_ids = {husband.id, wife.id};
  b.addressee = "Hai bên kết hôn";
  return b;
}

const Unit& pick_issuer(Random& rng, const std::vector<Unit>& units, const Date& date) {
  double roll = rng.unit();
  std::vector<const Unit*> pool;
  if (roll < 0.07)
    pool = units_valid_at(units, date, "tinh");
  else if (roll < 0.3)
    pool = units_valid_at(units, date, "huyen");
  if (pool.empty()) pool = units_valid_at(units, date, "xa");
  if (pool.empty()) throw std::runtime_error("no unit in the units file is valid on " + date.iso());
  return *rng.pick(pool);
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

void check_printable(const std::string& text) {
  // "ỵ" (U+1EF5) and "Ỵ" (U+1EF4) in UTF-8.
  if (text.find("\xE1\xBB\xB5") != std::string::npos ||
      text.find("\xE1\xBB\xB4") != std::string::npos)
    throw std::logic_error("generated text uses ỵ/Ỵ: " + text);
}

}  // namespace

const std::vector<std::string>& document_types() {
  static const std::vector<std::string> types = {kDecision, kHousehold, kPermit,
                                                 kBirth,    kMarriage,  kNotice};
  return types;
}

namespace {

// A red seal over the signer on some results; some pages are copies (SAO Y,
// SAO LỤC, TRÍCH SAO) carrying Decree 30's copy form under the original.
void add_seal_and_copy(Random& rng, Document& doc) {
  Metadata& m = doc.metadata;
  if (rng.chance(0.4)) {
    Seal seal;
    seal.text = join(doc.authority_lines, " ");
    seal.radius = rng.between(200, 230);
    // Over the left part of the signature and the last role line, as a
    // clerk stamps it: the name below stays mostly clear.
    seal.dx = -rng.between(120, 240);
    seal.dy = rng.between(90, 140);
    seal.turn_deg = rng.real(-40.0, 40.0);
    doc.seal = seal;
  }
  if (rng.chance(0.25)) {
    static const std::vector<std::pair<std::string, std::string>> marks = {
        {"SAO Y", "SY"}, {"SAO Y", "SY"}, {"SAO LỤC", "SL"}, {"TRÍCH SAO", "TS"}};
    const auto& [mark, code] = rng.pick(marks);
    CopyBlock c;
    c.mark = mark;
    if (doc.parent_line) c.body_lines.push_back(*doc.parent_line);
    c.body_lines.insert(c.body_lines.end(), doc.authority_lines.begin(), doc.authority_lines.end());
    c.number_line = "Số: " + std::to_string(rng.between(1, 250)) + "/" + code + "-UBND";
    c.date_line = m.place + ", " + m.issued_date.plus_days(rng.between(1, 60)).spelled();
    c.roles = {"TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"};
    c.signer = person_name(rng, rng.chance(0.5));
    check_printable(c.signer);
    check_printable(c.date_line);
    doc.copy = c;
    m.copy_mark = mark;
  }
}

// Real headers put their two columns at other centres and gaps, print the
// issuing body on one line as often as on two, and stamp urgency marks
// under the number. `rng` is the document's own sub-stream for this.
void vary_layout(Random rng, Document& doc) {
  // Copies and seals draw from a fork of their own, so that the documents
  // earlier varied layouts made stay as they were without them.
  Random marks_rng = rng.fork(0xc0b7);
  // Never so close that the columns touch: a header keeps them apart.
  doc.left_centre = rng.between(600, 800);
  doc.right_centre = rng.between(std::max(1640, doc.left_centre + 940), 1880);
  Metadata& m = doc.metadata;
  if (!doc.parent_line && rng.chance(0.3)) {
    doc.authority_lines = {"UBND " + doc.authority_lines.back()};
    m.authority = doc.authority_lines.front();
  }
  if (rng.chance(0.25)) {
    static const std::vector<std::string> marks = {"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"};
    doc.urgency_line = rng.pick(marks);
    m.urgency = doc.urgency_line;
  }
  // A letter (công văn) prints no title: "V/v …" under the number says what
  // it is about.
  const std::string about = "Về việc ";
  // Only a notice's body reads as a letter: a decision's says "QUYẾT ĐỊNH:".
  bool letter = rng.chance(0.3);
  if (letter && m.doc_type == kNotice && doc.subject && doc.subject->text.rfind(about, 0) == 0) {
    std::string vv = "V/v " + doc.subject->text.substr(about.size());
    m.subject = vv;
    m.doc_type.clear();
    doc.title_lines.clear();
    doc.subject.reset();
    // Lines of at most about 32 letters, cut between words.
    std::string line;
    std::istringstream words(vv);
    for (std::string word; words >> word;) {
      if (!line.empty() && text::length(line) + 1 + text::length(word) > 32) {
        doc.letter_lines.push_back(line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) doc.letter_lines.push_back(line);
  }
  // The clerk fills in the number and the day by hand once it is signed.
  if (rng.chance(0.15)) {
    doc.hand_number = m.doc_number.substr(0, m.doc_number.find('/'));
    std::size_t day = doc.date_line.find("ngày ");
    if (day != std::string::npos) {
      std::size_t from = day + std::string("ngày ").size();
      doc.hand_day = doc.date_line.substr(from, doc.date_line.find(' ', from) - from);
    }
    m.hand_filled = true;
  }
  add_seal_and_copy(marks_rng, doc);
}

}  // namespace

Document compose_document(Random rng, const std::vector<Unit>& units, const ComposeOptions& options,
                          std::set<std::string>& used_numbers) {
  const Random layout_rng = rng.fork(0x1a7007);
  Document doc;
  Metadata& m = doc.metadata;
  m.issued_date = random_workday(rng, options.first_date, options.last_date);
  const Unit& issuer = pick_issuer(rng, units, m.issued_date);
  doc.unit = &issuer;
  m.doc_type = rng.pick(types_for(issuer, m.issued_date));
  m.doc_number = unique_number(rng, issuer, m.doc_type, m.issued_date, used_numbers);
  m.place = issuer.bare_name();

  doc.authority_lines = {"ỦY BAN NHÂN DÂN", authority_place_upper(issuer)};
  m.authority = join(doc.authority_lines, " ");
  if (!issuer.parent.empty() && rng.chance(0.5)) {
    doc.parent_line = "UBND " + authority_place_upper(unit_of(units, issuer.parent));
    // SPEC: the authority is the whole issuing-body block, parent included.
    m.authority = *doc.parent_line + " " + m.authority;
  }
  doc.number_line = "Số: " + m.doc_number;
  doc.date_line = m.place + ", " + m.issued_date.spelled();
  doc.title_lines = {m.doc_type};

  std::string full_dossier = dossier_code(rng, units, issuer, m.issued_date);
  if (rng.chance(0.6)) m.dossier_code = full_dossier;
  Person citizen = make_person(rng, units, home_commune(rng, units, issuer, m.issued_date),
                               m.issued_date, 20, 75);
  Body body;
  if (m.doc_type == kDecision)
    body = decision_body(rng, issuer, citizen, doc, m.dossier_code);
  else if (m.doc_type == kNotice)
    body = notice_body(rng, issuer, citizen, m.dossier_code);
  else if (m.doc_type == kPermit)
    body = permit_body(rng, citizen, doc, m.dossier_code);
  else if (m.doc_type == kHousehold)
    body = household_body(rng, citizen, m.dossier_code);
  else if (m.doc_type == kBirth)
    body = birth_body(rng, units, issuer, doc, m.dossier_code);
  else
    body = marriage_body(rng, units, issuer, doc, m.dossier_code);
  m.subject = body.subject;
  if (body.subject) {
    bool italic = m.doc_type == kPermit;
    doc.subject =
        Paragraph{*body.subject, italic ? Style::kItalic : Style::kBold, Align::kCentre, 13, false};
  }
  doc.body = std::move(body.paragraphs);
  m.citizen_ids = body.citizen_ids;

  bool deputy = rng.chance(0.5);
  doc.signer_roles =
      deputy ? std::vector<std::string>{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}
             : std::vector<std::string>{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"};
  // SPEC: every role line, "TM."/"KT." kept.
  m.signer_role = join(doc.signer_roles, " ");
  m.signer = person_name(rng, rng.chance(0.7));
  doc.signer_name = m.signer;
  doc.recipients = {"- " + body.addressee + ";", "- Lưu: VT."};
  if (rng.chance(0.5)) doc.recipients.insert(doc.recipients.begin() + 1, "- Bộ phận một cửa;");
  for (const auto& r : doc.recipients)
    m.recipients.push_back(r.substr(r.rfind("- ", 0) == 0 ? 2 : 0));

  if (options.pages)
    doc.wanted_pages = *options.pages;
  else if (rng.chance(options.multipage_share))
    doc.wanted_pages = rng.chance(0.7) ? 2 : 3;
  doc.numbered_pages = rng.chance(0.7);
  doc.filler = make_filler(rng);

  RegisterRow& r = doc.register_row;
  r.unit = issuer.code;
  r.doc_number = m.doc_number;
  r.issued_date = m.issued_date;
  r.valid_until = body.valid_until;
  r.dossier_code = full_dossier;
  r.procedure_code = type_info().at(m.doc_type).procedure_code;
  r.doc_type = m.doc_type;
  r.title = body.register_title;

  for (const auto& p : doc.body) check_printable(p.text);
  for (const auto& p : doc.filler) check_printable(p.text);
  check_printable(m.signer);
  check_printable(doc.date_line);
  if (options.vary_layout) vary_layout(layout_rng, doc);
  return doc;
}

}  // namespace sohoa::samples
