// register import: office exports in their variants, rejected rows, re-import.
#include "registry/register_import.h"

#include <gtest/gtest.h>

#include "registry/units_import.h"
#include "storage/database.h"
#include "tests/support/test_support.h"

namespace sohoa::registry {
namespace {

using sohoa::testing::TempDir;
using sohoa::testing::write_file;

class RegisterImportTest : public ::testing::Test {
 protected:
  void SetUp() override { import_units(*db, sohoa::testing::units_csv_path()); }
  RegisterImport import(const std::string& body) {
    write_file(file, body);
    return import_register(*db, file);
  }
  TempDir dir;
  std::filesystem::path file = dir / "register.csv";
  std::string db_path = (dir / "sohoa.db").string();
  std::unique_ptr<storage::Database> db = storage::Database::open(db_path);
};

TEST_F(RegisterImportTest, CommaFileWithIsoDates) {
  auto r = import(
      "unit,doc_number,issued_date,valid_until,dossier_code,procedure_code,doc_type,title\n"
      "hoa-dong,392/QĐ-UBND,2022-06-03,,H46.57-220603-3392,1.00123,Quyết định,\"Cấp phép, xây "
      "dựng\"\n"
      "tay-hoa,15/GP,2023-01-02,2028-01-01,,,,\n");
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.inserted, 2);
  auto facts = db->register_facts({});
  ASSERT_EQ(facts.rows.size(), 2u);
  EXPECT_EQ(facts.units, (std::vector<std::string>{"hoa-dong", "tay-hoa"}));
  EXPECT_EQ(facts.rows[0].issued, 20220603);
  EXPECT_EQ(facts.rows[1].valid_until, 20280101);
}

TEST_F(RegisterImportTest, SemicolonBomReorderedColumnsAndVietnameseDates) {
  auto r = import(
      "\xEF\xBB\xBF"
      "Issued_Date;Unit;Valid_Until;Doc_Number\r\n"
      "03/06/2022;hoa-dong;1/1/2030;392/QĐ-UBND\r\n"
      "\r\n"
      "2022-06-04;hoa-dong;;\"393;QĐ\"\r\n"
      ";;;\r\n");
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.inserted, 2);
  auto facts = db->register_facts({});
  EXPECT_EQ(facts.rows[0].issued, 20220603);
  EXPECT_EQ(facts.rows[0].valid_until, 20300101);
}

TEST_F(RegisterImportTest, RejectedRowsHaveLineAndReasonAndTheRestIsImported) {
  auto r = import(
      "unit,doc_number,issued_date,valid_until\n"
      "hoa-dong,1/QĐ,2022-01-01,\n"               // 2 ok
      "atlantis,2/QĐ,2022-01-01,\n"               // 3 unknown unit
      "hoa-dong,,2022-01-01,\n"                   // 4 missing number
      "hoa-dong,4/QĐ,31/02/2022,\n"               // 5 bad date
      "hoa-dong,5/QĐ,2022-01-01,soon\n"           // 6 bad valid_until
      "hoa-dong,6/QĐ,2022-05-01,2022-04-30\n"     // 7 expires before issue
      "\"hoa-dong\",\"7/QĐ\nbis\",2022-01-01,\n"  // 8-9 ok, quoted newline
      "hoa-dong,8/QĐ,,\n"                         // 10 missing date
      ",9/QĐ,2022-01-01,\n"                       // 11 missing unit
      "hoa-dong,10/QĐ,2022-01-01,2022-01-01\n");  // 12 ok (valid that one day)
  ASSERT_EQ(r.rejected.size(), 7u);
  std::vector<std::pair<int, std::string>> got;
  for (const auto& x : r.rejected) got.emplace_back(x.line, x.reason);
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{
                     {3, "unknown unit \"atlantis\""},
                     {4, "missing doc_number"},
                     {5, "bad issued_date \"31/02/2022\""},
                     {6, "bad valid_until \"soon\""},
                     {7, "valid_until 2022-04-30 is before issued_date 2022-05-01"},
                     {10, "missing issued_date"},
                     {11, "missing unit"}}));
  EXPECT_EQ(r.inserted, 3);
  EXPECT_EQ(db->register_size(), 3);
}

TEST_F(RegisterImportTest, ReimportUpdatesNeverDuplicates) {
  import("unit,doc_number,issued_date,valid_until\nhoa-dong,1/QĐ,2022-01-01,\n");
  auto r = import(
      "doc_number,unit,issued_date,valid_until\n1/QĐ,hoa-dong,01/01/2022,2024-01-01\n"
      "2/QĐ,hoa-dong,2022-01-01,\n");
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(r.updated, 1);
  auto facts = db->register_facts({});
  ASSERT_EQ(facts.rows.size(), 2u);
  EXPECT_EQ(facts.rows[0].valid_until + facts.rows[1].valid_until, 20240101);
}

TEST_F(RegisterImportTest, MissingRequiredColumnIsAnInputErrorAndNothingChanges) {
  write_file(file, "unit,number,issued_date\nhoa-dong,1,2022-01-01\n");
  try {
    import_register(*db, file);
    FAIL();
  } catch (const storage::InputError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ":1: missing column \"doc_number\"");
  }
  EXPECT_EQ(db->register_size(), 0);
}

TEST_F(RegisterImportTest, CommandExitCodes) {
  write_file(file, "unit,doc_number,issued_date\nhoa-dong,1,2022-01-01\nmars,2,2022-01-01\n");
  auto partial = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "register", "import", "--db", db_path, file.string()});
  EXPECT_EQ(partial.exit_code, 3);
  EXPECT_EQ(partial.err, "sohoa: " + file.string() + ":3: unknown unit \"mars\"\n");
  EXPECT_EQ(partial.out, "imported 1 rows (1 new, 0 updated), rejected 1\n");
  write_file(file, "unit,doc_number,issued_date\nhoa-dong,1,2022-01-01\n");
  auto ok = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "register", "import", "--db", db_path, file.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "imported 1 rows (0 new, 1 updated), rejected 0\n");
  write_file(file, "unit,issued_date\nhoa-dong,2022-01-01\n");
  auto bad = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "register", "import", "--db", db_path, file.string()});
  EXPECT_EQ(bad.exit_code, 1);
}

// Office software exports Windows-1258: without --encoding its accented bytes
// are not UTF-8, and the import stops at the first, naming its line, before
// changing anything.
TEST_F(RegisterImportTest, InvalidUtf8IsBadInputNamingTheLine) {
  const std::string cp1258 =
      "unit,doc_number,issued_date,title\n"
      "hoa-dong,1/QD,2022-01-01,plain\n"
      "hoa-dong,392/Q\xD0-UBND,2022-06-03,Quy\xEA\xECt \xF0i\xF2nh\n";
  write_file(file, cp1258);
  try {
    import_register(*db, file);
    FAIL() << "imported a file that is not UTF-8";
  } catch (const storage::InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              file.string() +
                  ":3: not valid UTF-8 (byte 0xD0); give the file's encoding, e.g. --encoding "
                  "windows-1258");
  }
  EXPECT_EQ(db->register_size(), 0);

  auto r = import_register(*db, file, "windows-1258");
  EXPECT_TRUE(r.rejected.empty());
  EXPECT_EQ(r.inserted, 2);
  // Converted to the same NFC text a UTF-8 export has: the same key.
  auto again = import("unit,doc_number,issued_date\nhoa-dong,392/QĐ-UBND,2022-06-03\n");
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 1);
  EXPECT_EQ(db->register_size(), 2);
}

TEST_F(RegisterImportTest, UnknownEncodingIsBadInput) {
  write_file(file, "unit,doc_number,issued_date\nhoa-dong,1,2022-01-01\n");
  EXPECT_THROW(import_register(*db, file, "klingon-8"), storage::InputError);
  EXPECT_EQ(db->register_size(), 0);
}

TEST_F(RegisterImportTest, NulByteRejectsItsRow) {
  const std::string nul(1, '\0');
  auto r = import("unit,doc_number,issued_date\nhoa-dong,1/QĐ,2022-01-01\nhoa-dong,2/Q" + nul +
                  "Đ,2022-01-01\nhoa-dong,3/QĐ,2022-01-01\n");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].line, 3);
  EXPECT_EQ(r.rejected[0].reason, "NUL byte in doc_number");
  EXPECT_EQ(r.inserted, 2);
}

TEST_F(RegisterImportTest, RepeatedKeyInOneFileIsSaidAndTheFirstKept) {
  auto r = import(
      "unit,doc_number,issued_date,valid_until\n"
      "hoa-dong,1/QĐ,2022-01-01,2030-01-01\n"
      "hoa-dong,1/QĐ,01/01/2022,\n"
      "hoa-dong,2/QĐ,2022-01-01,\n"
      "hoa-dong,1/QĐ,2022-01-01,2040-01-01\n");
  std::vector<std::pair<int, std::string>> got;
  for (const auto& x : r.rejected) got.emplace_back(x.line, x.reason);
  EXPECT_EQ(got, (std::vector<std::pair<int, std::string>>{
                     {3, "same unit, doc_number and issued_date as line 2 (kept line 2)"},
                     {5, "same unit, doc_number and issued_date as line 2 (kept line 2)"}}));
  EXPECT_EQ(r.inserted, 2);
  auto facts = db->register_facts({});
  ASSERT_EQ(facts.rows.size(), 2u);
  EXPECT_EQ(facts.rows[0].valid_until + facts.rows[1].valid_until, 20300101);
}

TEST_F(RegisterImportTest, EncodingOptionOnTheCommandLine) {
  write_file(file, "unit,doc_number,issued_date\nhoa-dong,392/Q\xD0-UBND,2022-06-03\n");
  auto bad = sohoa::testing::run(
      {sohoa::testing::sohoa_bin(), "register", "import", "--db", db_path, file.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(sohoa::testing::lines_of(bad.err).size(), 1u) << bad.err;
  EXPECT_NE(bad.err.find(file.string() + ":2: not valid UTF-8"), std::string::npos) << bad.err;
  auto ok = sohoa::testing::run({sohoa::testing::sohoa_bin(), "register", "import", "--db", db_path,
                                 "--encoding", "windows-1258", file.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "imported 1 rows (1 new, 0 updated), rejected 0\n");
}

}  // namespace
}  // namespace sohoa::registry
