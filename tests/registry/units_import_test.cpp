// units import|list: the registry CSV, its checks and the command.
#include "registry/units_import.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "storage/database.h"
#include "tests/support/test_support.h"

namespace sohoa::registry {
namespace {

using sohoa::testing::TempDir;
using sohoa::testing::write_file;

const std::string kHeader = "code,name,level,parent,valid_from,valid_to,successor\n";

std::filesystem::path tay_hoa_csv() { return sohoa::testing::units_csv_path(); }

std::string import_error(const std::filesystem::path& file) {
  TempDir dir;
  auto db = storage::Database::open(dir / "sohoa.db");
  try {
    import_units(*db, file);
  } catch (const storage::InputError& e) {
    EXPECT_TRUE(db->units().empty()) << "nothing imported from a bad file";
    return e.what();
  }
  return "<no error>";
}

TEST(UnitsImport, TayHoaRegistryWithLineage) {
  TempDir dir;
  auto db = storage::Database::open(dir / "sohoa.db");
  EXPECT_EQ(import_units(*db, tay_hoa_csv()), 18u);
  auto units = db->units();
  ASSERT_EQ(units.size(), 18u);
  auto hoa_dong = db->unit("hoa-dong");
  ASSERT_TRUE(hoa_dong);
  EXPECT_EQ(hoa_dong->name, "Xã Hòa Đồng");
  EXPECT_EQ(hoa_dong->level, "xa");
  EXPECT_EQ(hoa_dong->parent, "tay-hoa");
  EXPECT_EQ(hoa_dong->valid_from, "");
  EXPECT_EQ(hoa_dong->valid_to, "2025-06-30");
  EXPECT_EQ(hoa_dong->successor, "xa-hoa-thinh");
  EXPECT_EQ(db->unit("xa-tay-hoa")->valid_from, "2025-07-01");
  EXPECT_EQ(db->predecessors_of("xa-tay-hoa"),
            (std::vector<std::string>{"hoa-binh-1", "hoa-phong", "hoa-tan-tay", "phu-thu"}));
  EXPECT_EQ(db->predecessors_of("xa-son-thanh"),
            (std::vector<std::string>{"hoa-phu", "son-thanh-dong", "son-thanh-tay"}));
  EXPECT_EQ(db->successors_of("hoa-my-tay"), std::vector<std::string>{"xa-hoa-my"});
  EXPECT_EQ(db->successors_of("phu-yen"), std::vector<std::string>{"dak-lak"});
  EXPECT_TRUE(db->successors_of("tay-hoa").empty());  // the district was abolished
  // Idempotent: importing again changes nothing.
  EXPECT_EQ(import_units(*db, tay_hoa_csv()), 18u);
  EXPECT_EQ(db->units().size(), 18u);
}

TEST(UnitsImport, SemicolonsBomAnyColumnOrderAndVietnameseDates) {
  TempDir dir;
  write_file(dir / "u.csv",
             "\xEF\xBB\xBF"
             "level;code;name;valid_to;successor;parent;valid_from\r\n"
             "xa;a;\"Xã  A; cũ\";30/06/2025;b;;\r\n"
             "xa;b;Xã B;;;;1/7/2025\r\n");
  auto db = storage::Database::open(dir / "sohoa.db");
  EXPECT_EQ(import_units(*db, dir / "u.csv"), 2u);
  EXPECT_EQ(db->unit("a")->name, "Xã A; cũ");
  EXPECT_EQ(db->unit("a")->valid_to, "2025-06-30");
  EXPECT_EQ(db->unit("b")->valid_from, "2025-07-01");
}

TEST(UnitsImport, ErrorsNameTheFileAndLine) {
  TempDir dir;
  auto check = [&](const std::string& body, const std::string& expected) {
    auto file = dir / "units.csv";
    write_file(file, body);
    EXPECT_EQ(import_error(file), file.string() + ":" + expected) << body;
  };
  check(kHeader + "a,Xã A,xa,,,,\nb,Xã B,commune,,,,\n",
        "3: level must be tinh, huyen or xa, not \"commune\"");
  check(kHeader + "a,Xã A,xa,,2025-13-01,,\n", "2: bad valid_from date \"2025-13-01\"");
  check(kHeader + "a,Xã A,xa,,,31/02/2025,\n", "2: bad valid_to date \"31/02/2025\"");
  check(kHeader + "a,Xã A,xa,,2025-07-01,2025-06-30,\n", "2: valid_to is before valid_from");
  check(kHeader + "a,Xã A,xa,,,,\n\na,Xã A2,xa,,,,\n", "4: unit \"a\" already on line 2");
  check(kHeader + "a,Xã A,xa,,,,zz\n", "2: unknown unit \"zz\" as successor");
  check(kHeader + "a,Xã A,xa,qq,,,\n", "2: unknown unit \"qq\" as parent");
  check(kHeader + ",Xã A,xa,,,,\n", "2: missing code");
  check(kHeader + "a,,xa,,,,\n", "2: missing name");
  check("code,name\na,Xã A\n", "1: missing column \"level\"");
}

TEST(UnitsImport, SuccessorMayBeAlreadyRegistered) {
  TempDir dir;
  auto db = storage::Database::open(dir / "sohoa.db");
  import_units(*db, tay_hoa_csv());
  write_file(dir / "more.csv", kHeader + "new-xa,Xã Mới,xa,dak-lak,,2026-01-01,xa-hoa-my\n");
  EXPECT_EQ(import_units(*db, dir / "more.csv"), 1u);
  EXPECT_EQ(db->predecessors_of("xa-hoa-my"),
            (std::vector<std::string>{"hoa-my-dong", "hoa-my-tay", "new-xa"}));
}

TEST(UnitsCommand, ImportAndListJson) {
  TempDir dir;
  std::string db = (dir / "sohoa.db").string();
  auto imported = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "units", "import", "--db", db, tay_hoa_csv().string()});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  auto listed = sohoa::testing::run({sohoa::testing::sohoa_bin(), "units", "list", "--json"},
                                    {"SOHOA_DB=" + db});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  auto lines = sohoa::testing::lines_of(listed.out);
  ASSERT_EQ(lines.size(), 18u);
  auto first = nlohmann::ordered_json::parse(lines[0]);
  EXPECT_EQ(first.dump(), R"({"code":"dak-lak","name":"Tỉnh Đắk Lắk","level":"tinh","parent":null,)"
                          R"("valid_from":null,"valid_to":null,"successor":null})");
  auto thinh = nlohmann::json::parse(lines[8]);
  EXPECT_EQ(thinh["code"], "hoa-thinh");
  EXPECT_EQ(thinh["successor"], "xa-hoa-thinh");
  EXPECT_EQ(thinh["valid_to"], "2025-06-30");
}

TEST(UnitsCommand, BadFileIsExitOneNamingTheLine) {
  TempDir dir;
  write_file(dir / "u.csv", kHeader + "a,Xã A,province,,,,\n");
  auto r = sohoa::testing::run({sohoa::testing::sohoa_bin(), "units", "import", "--db",
                                (dir / "sohoa.db").string(), (dir / "u.csv").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "u.csv").string() + ":2:"), std::string::npos) << r.err;
  auto missing = sohoa::testing::run({sohoa::testing::sohoa_bin(), "units", "import", "--db",
                                      (dir / "sohoa.db").string(), (dir / "nope.csv").string()});
  EXPECT_EQ(missing.exit_code, 1);
  auto unwritable = sohoa::testing::run({sohoa::testing::sohoa_bin(), "units", "list", "--db",
                                         (dir / "no" / "such" / "x.db").string()});
  EXPECT_EQ(unwritable.exit_code, 2);
}

}  // namespace
}  // namespace sohoa::registry
