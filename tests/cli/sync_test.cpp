// `sohoa sync --to URL` (SPEC "Central store and stations"): stations'
// SQLite databases into one central PostgreSQL store, run as the real
// build/sohoa against the real server $SOHOA_TEST_POSTGRES names. Faults:
// SIGKILL at random moments, a loopback proxy that cuts the connection
// mid-transfer, stations syncing at once. Afterwards every document is there
// exactly once, whole, with its original intact.
#include "tests/cli/sync_fixture.h"

namespace {

TEST_F(SyncTest, SendsOnlyWhatTheCentreLacksAndPrintsTheSpecCounts) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 25);
  RunResult first = sync(station, central->arg());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "sent 25, already there 0, failed 0\n");
  EXPECT_NE(first.err.find("sync: 10/25"), std::string::npos) << first.err;  // progress
  RunResult again = sync(station, central->arg(), true);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "{\"sent\":0,\"already\":25,\"failed\":0}\n");
  expect_whole({station});
  // What the centre shows is what the station shows.
  RunResult a = sohoa({"show", "5", "--json", "--db", station.string()});
  RunResult b = sohoa({"show", "5", "--json", "--db", central->arg()});
  EXPECT_EQ(a.out, b.out);
  // And search finds it centrally.
  RunResult hit = sohoa({"search", "\"giay phep xay dung\" 105", "--json", "--db", central->arg()});
  EXPECT_EQ(sohoa::testing::lines_of(hit.out).size(), 1u) << hit.out << hit.err;
}

TEST_F(SyncTest, ADocumentDeletedCentrallyStaysDeletedUntilIngestedThereAgain) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 3);
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  const std::string sha = sha_of(original_bytes(1));
  auto centre = Database::open(central->arg());
  centre->delete_document(centre->find_by_sha256(sha)->id, "scanned twice", "province-clerk");
  // The station still holds it: the centre's tombstone wins, as in merge.
  RunResult again = sync(station, central->arg());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "sent 0, already there 3, failed 0\n");
  EXPECT_FALSE(centre->find_by_sha256(sha));
  EXPECT_EQ(centre->document_ids().size(), 2u);
  // A station that never sent it before is held back the same way.
  fs::path other = make_station(dir.path(), "hoa-dong-2", 1, 2);
  RunResult second = sync(other, central->arg(), true);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "{\"sent\":0,\"already\":1,\"failed\":0}\n");
  EXPECT_FALSE(centre->find_by_sha256(sha));
  // Ingested centrally again, it is back and stays.
  centre->store_document(station_document(1, sha, "province"));
  RunResult after = sync(station, central->arg());
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, "sent 0, already there 3, failed 0\n");
  EXPECT_EQ(centre->document_ids().size(), 3u);
}

TEST_F(SyncTest, CorrectionsTravelButACentralCorrectionMadeSinceIsNotOverwritten) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 4);  // doc 3 is for review
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  // The station corrects two fields; later the centre corrects one of them.
  {
    auto s = Database::open(station);
    s->add_correction(1, "doc_number", "777/QĐ-UBND", "station-clerk");
    s->add_correction(1, "signer", "Trần Thị Bé", "station-clerk");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto centre = Database::open(central->arg());
  int64_t id = centre->find_by_sha256(sha_of(original_bytes(0)))->id;
  centre->add_correction(id, "doc_number", "888/QĐ-UBND", "province-clerk");
  RunResult r = sync(station, central->arg());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sent 0, already there 4, failed 0\n");
  auto doc = centre->document(id);
  auto value = [&](const std::string& name) {
    for (const auto& f : doc->fields) {
      if (f.name == name) return f.value;
    }
    return std::string("<absent>");
  };
  EXPECT_EQ(value("doc_number"), "888/QĐ-UBND");  // the newer, central one
  EXPECT_EQ(value("signer"), "Trần Thị Bé");      // the station's travelled
  // Who and when travelled with them; nothing is doubled by a rerun.
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  auto corrections = centre->corrections(id);
  ASSERT_EQ(corrections.size(), 4u);  // the station's first, its two new, the centre's
  int from_station = 0;
  for (const Correction& c : corrections) from_station += c.by == "station-clerk" ? 1 : 0;
  EXPECT_EQ(from_station, 2);
  // Review state travels: the review document is in the central queue.
  RunResult queue = sohoa({"review", "--queue", "--json", "--db", central->arg()});
  EXPECT_NE(queue.out.find("signer missing"), std::string::npos) << queue.out;
}

TEST_F(SyncTest, ADocumentWithoutItsOriginalFailsAloneWithExit3) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 6);
  std::string sha = sha_of(original_bytes(2));
  fs::remove(sohoa::storage::Archive::beside(station).path_of(sha));
  RunResult r = sync(station, central->arg(), true);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "{\"sent\":5,\"already\":0,\"failed\":1}\n");
  EXPECT_NE(r.err.find("sohoa: scans/doc-2.png: not sent: its original is not in"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(Database::open(central->arg())->find_by_sha256(sha));
}

// Documents travel many to a central transaction: one the centre refuses
// (here a trigger standing for any server-side failure) must not take the
// others of its transaction with it, and the rerun sends it once the
// centre accepts it.
TEST_F(SyncTest, ADocumentTheCentreRefusesFailsAloneAndTheRerunSendsIt) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 30);
  postgres_exec(central->arg(),
                "CREATE FUNCTION refuse_doc_7() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.source = 'scans/doc-7.png' THEN RAISE EXCEPTION 'refused for the test'; "
                "END IF; RETURN NEW; END $$; CREATE TRIGGER refuse_doc_7 BEFORE INSERT ON "
                "documents FOR EACH ROW EXECUTE FUNCTION refuse_doc_7()");
  RunResult r = sync(station, central->arg(), true);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "{\"sent\":29,\"already\":0,\"failed\":1}\n");
  EXPECT_EQ(count_of(r.err, "not sent"), 1u) << r.err;
  EXPECT_NE(r.err.find("refused for the test"), std::string::npos) << r.err;
  EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM documents"), "29");
  EXPECT_FALSE(Database::open(central->arg())->find_by_sha256(sha_of(original_bytes(7))));

  postgres_exec(central->arg(), "DROP TRIGGER refuse_doc_7 ON documents");
  RunResult again = sync(station, central->arg(), true);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "{\"sent\":1,\"already\":29,\"failed\":0}\n");
  expect_whole({station});
}

TEST_F(SyncTest, RefusesWhatIsNoCentralStore) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 1);
  RunResult file = sync(station, (dir.path() / "other.db").string());
  EXPECT_EQ(file.exit_code, 1) << file.err;
  EXPECT_NE(file.err.find("not a central store's URL"), std::string::npos) << file.err;
  RunResult down = sync(station, "postgresql://sohoa:pw-secret@127.0.0.1:1/central");
  EXPECT_EQ(down.exit_code, 2) << down.err;
  EXPECT_EQ(down.err.find("pw-secret"), std::string::npos) << down.err;
  RunResult no_station = sync(dir.path() / "missing.db", central->arg());
  EXPECT_EQ(no_station.exit_code, 2) << no_station.err;
  EXPECT_EQ(postgres_exec(central->arg(), "SELECT count(*) FROM documents"), "0");
}

TEST_F(SyncTest, KilledAtRandomMomentsThenRerunEveryDocumentIsThereOnceAndWhole) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 60);
  std::mt19937 rng(20261201);
  int killed = 0;
  for (int round = 0; round < 6; ++round) {
    pid_t pid = spawn_quiet(
        {sohoa::testing::sohoa_bin(), "sync", "--db", station.string(), "--to", central->arg()});
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    if (::kill(pid, SIGKILL) == 0) ++killed;
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  EXPECT_GT(killed, 0);
  RunResult last = sync(station, central->arg(), true);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  json counts = json::parse(last.out);
  EXPECT_EQ(counts["sent"].get<int>() + counts["already"].get<int>(), 60) << last.out;
  EXPECT_EQ(counts["failed"], 0);
  expect_whole({station});
}

TEST_F(SyncTest, AConnectionCutMidTransferIsResumed) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 40);
  {
    // Two cuts, each after ~60 KB sent (some twenty documents): the sync
    // reconnects and completes in one run.
    CuttingProxy proxy(port_of(central->arg()), 60000, 2);
    RunResult r = sync(station, through_port(central->arg(), proxy.port()), true);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(proxy.cuts_done(), 2);
    json counts = json::parse(r.out);
    EXPECT_EQ(counts["sent"].get<int>() + counts["already"].get<int>(), 40) << r.out;
  }
  expect_whole({station});
}

TEST_F(SyncTest, ALinkThatStaysDownExits2AndTheRerunSendsTheRest) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 60);
  RunResult r;
  {
    // Cut once, then down: the sync gives up after its reconnects (about
    // 7 s of backoff) with exit 2. The cut, after ~100 KB, falls after a
    // batch of 10 (one transaction) was committed, and in a later one.
    CuttingProxy proxy(port_of(central->arg()), 100000, 1, true);
    r = sync(station, through_port(central->arg(), proxy.port()));
  }
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("sohoa: "), std::string::npos) << r.err;
  int partial = std::stoi(postgres_exec(central->arg(), "SELECT count(*) FROM documents"));
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 60);
  EXPECT_EQ(partial % 10, 0) << "a batch is committed whole or not at all";
  RunResult rest = sync(station, central->arg(), true);
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  json counts = json::parse(rest.out);
  EXPECT_EQ(counts["already"].get<int>(), partial) << rest.out;
  EXPECT_EQ(counts["sent"].get<int>(), 60 - partial) << rest.out;
  expect_whole({station});
}

TEST_F(SyncTest, TwoStationsAtOnce) {
  concurrent_stations(*this, dir.path(), 2, central->arg());
  std::vector<fs::path> paths = {dir / "station-0.db", dir / "station-1.db"};
  expect_whole(paths);
}

TEST_F(SyncTest, FourStationsAtOnce) {
  concurrent_stations(*this, dir.path(), 4, central->arg());
  std::vector<fs::path> paths;
  for (int i = 0; i < 4; ++i) paths.push_back(dir / ("station-" + std::to_string(i) + ".db"));
  expect_whole(paths);
}

}  // namespace

namespace {

// A review done at the station after its first sync (SPEC: "corrections and
// review state travel too"): the next sync brings the centre the corrections
// and the status they led to; a central correction made after the station's
// stays in force.
TEST_F(SyncTest, AStationsReviewTravelsOnTheNextSyncAndALaterCentralCorrectionStays) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 4);  // id 4 (n = 3) for review
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  RunResult reviewed =
      sohoa({"review", "4", "--set", "doc_type=QUYẾT ĐỊNH", "--set", "doc_number=103/QĐ-UBND",
             "--set", "issued_date=2025-03-13", "--set", "authority=ỦY BAN NHÂN DÂN XÃ HÒA ĐỒNG",
             "--set", "signer=Lê Văn Tám", "--by", "station-clerk", "--db", station.string()});
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  EXPECT_NE(reviewed.out.find("4: status ok"), std::string::npos) << reviewed.out;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  RunResult central_fix = sohoa({"review", "4", "--set", "doc_number=130/QĐ-UBND", "--by",
                                 "province-clerk", "--db", central->arg()});
  ASSERT_EQ(central_fix.exit_code, 0) << central_fix.err;

  RunResult r = sync(station, central->arg());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sent 0, already there 4, failed 0\n");
  json at_station = json::parse(sohoa({"show", "4", "--json", "--db", station.string()}).out);
  json centrally = json::parse(sohoa({"show", "4", "--json", "--db", central->arg()}).out);
  EXPECT_EQ(centrally["status"], "ok") << centrally.dump();
  EXPECT_EQ(centrally["review_reasons"], json::array()) << centrally.dump();
  EXPECT_EQ(centrally["metadata"]["doc_number"], "130/QĐ-UBND");  // the later, central one
  EXPECT_EQ(at_station["metadata"]["doc_number"], "103/QĐ-UBND");
  for (const char* field : {"doc_type", "issued_date", "authority", "signer"}) {
    EXPECT_EQ(centrally["metadata"][field], at_station["metadata"][field]) << field;
  }
  // Out of the central review queue; a rerun doubles nothing.
  RunResult queue = sohoa({"review", "--queue", "--json", "--db", central->arg()});
  EXPECT_EQ(queue.out.find("\"id\":4"), std::string::npos) << queue.out;
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  EXPECT_EQ(Database::open(central->arg())->corrections(4).size(), 6u);
}

// An undo travels like a correction: the station's undo takes its correction
// out of force centrally too, and an undo made centrally is not put back by a
// station that still holds the correction.
TEST_F(SyncTest, AnUndoAtTheStationTravelsAndACentralUndoStays) {
  fs::path station = make_station(dir.path(), "hoa-dong-1", 0, 2);  // doc 1: a signer fix
  json as_read = json::parse(sohoa({"show", "1", "--json", "--db", station.string()}).out);
  RunResult fix =
      sohoa({"review", "1", "--set", "signer=Trần Thị Bé", "--set", "doc_number=777/QĐ-UBND",
             "--by", "station-clerk", "--db", station.string()});
  ASSERT_EQ(fix.exit_code, 0) << fix.err;
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  json centrally = json::parse(sohoa({"show", "1", "--json", "--db", central->arg()}).out);
  ASSERT_EQ(centrally["metadata"]["signer"], "Trần Thị Bé");

  RunResult undo =
      sohoa({"review", "1", "--undo", "signer", "--by", "station-clerk", "--db", station.string()});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  RunResult central_undo = sohoa(
      {"review", "1", "--undo", "doc_number", "--by", "province-clerk", "--db", central->arg()});
  ASSERT_EQ(central_undo.exit_code, 0) << central_undo.err;
  json undone_here = json::parse(sohoa({"show", "1", "--json", "--db", central->arg()}).out);
  RunResult r = sync(station, central->arg());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "sent 0, already there 2, failed 0\n");

  centrally = json::parse(sohoa({"show", "1", "--json", "--db", central->arg()}).out);
  json at_station = json::parse(sohoa({"show", "1", "--json", "--db", station.string()}).out);
  EXPECT_EQ(centrally["metadata"]["signer"], at_station["metadata"]["signer"]);
  EXPECT_NE(centrally["metadata"]["signer"], as_read["metadata"]["signer"]);
  EXPECT_EQ(centrally["metadata"]["doc_number"], undone_here["metadata"]["doc_number"]);
  EXPECT_NE(centrally["metadata"]["doc_number"], "777/QĐ-UBND");
  EXPECT_EQ(at_station["metadata"]["doc_number"], "777/QĐ-UBND");
  EXPECT_EQ(centrally["corrections"], json::array()) << centrally.dump();
  // The undone corrections stay on record, once each, after a rerun too:
  // the station's first signer fix and this one, and the number.
  ASSERT_EQ(sync(station, central->arg()).exit_code, 0);
  auto centre = Database::open(central->arg());
  std::vector<Correction> history = centre->correction_history(1);
  ASSERT_EQ(history.size(), 3u);
  for (const Correction& c : history) {
    EXPECT_EQ(c.undone_by, c.field == "signer" ? "station-clerk" : "province-clerk") << c.field;
    EXPECT_FALSE(c.undone_at.empty()) << c.field;
  }
}

}  // namespace
