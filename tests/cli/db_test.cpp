#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cli_test_support.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/store/sqlite_db.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test::cli {
namespace {

// A status-update for `call_id`; with `ended_at`, one that ends the call then.
std::string status_update(const std::string& call_id, const std::string& status, long long timestamp,
                          const std::string& ended_at = "") {
  json call{{"id", call_id}, {"monitor", {{"listenUrl", "wss://monitor.example.test/" + call_id}}}};
  if (!ended_at.empty()) call["endedAt"] = ended_at;
  return dump_json(
      json{{"message",
            {{"type", "status-update"}, {"status", status}, {"timestamp", timestamp}, {"call", call}}}});
}

std::int64_t count_rows(const std::string& path, const std::string& sql) {
  sqlite::Database db(path, true);
  auto stmt = db.prepare(sql);
  stmt.step();
  return stmt.integer(0);
}

class CliDbTest : public CliTest {
 protected:
  void deliver(const std::string& client, const std::string& body) {
    post_json("/webhooks/vapi/" + client, body);
  }
  CliResult db(std::vector<std::string> args) {
    args.insert(args.begin(), "db");
    args.insert(args.begin() + 2, {"--db", server_.db_path()});
    return run_vapidash(std::move(args));
  }

  TempDir scratch_;
};

TEST_F(CliDbTest, StatsMatchADirectCountWhileTheServerRuns) {
  deliver("acme", status_update("a1", "ringing", 1));
  deliver("acme", status_update("a1", "in-progress", 2));
  deliver("acme", status_update("a2", "ringing", 3));
  deliver("globex", status_update("g1", "ringing", 4));
  post_json("/api/debug/create-test-call/globex", R"({"call_id": "d1"})");

  const auto result = db({"stats", "--json"});
  ASSERT_EQ(result.code, 0) << result.all();
  const auto stats = stdout_json(result);
  const auto path = server_.db_path();
  EXPECT_EQ(stats.at("calls"), 4);
  EXPECT_EQ(stats.at("events"), 5);
  EXPECT_EQ(stats.at("delivery_keys"), 4);
  EXPECT_EQ(stats.at("payload_bytes"),
            count_rows(path, "SELECT sum(length(CAST(payload AS BLOB))) FROM timeline_events"));
  EXPECT_GT(stats.at("file_bytes").get<std::int64_t>() + stats.at("wal_bytes").get<std::int64_t>(), 0);
  const auto& tenants = stats.at("by_tenant");
  ASSERT_EQ(tenants.size(), 2u);
  for (const auto& tenant : tenants) {
    const auto client = tenant.at("client_id").get<std::string>();
    EXPECT_EQ(tenant.at("calls"), get_json("/api/" + client + "/calls").size()) << client;
  }
  std::int64_t status_updates = 0;
  std::int64_t debug = 0;
  for (const auto& type : stats.at("by_message_type")) {
    if (type.at("message_type") == "status-update") status_updates = type.at("events");
    if (type.at("message_type") == "(debug)") debug = type.at("events");
  }
  EXPECT_EQ(status_updates, 4);
  EXPECT_EQ(debug, 1);

  const auto text = db({"stats"});
  ASSERT_EQ(text.code, 0) << text.all();
  EXPECT_THAT(text.out, ::testing::HasSubstr("4 calls"));
  EXPECT_THAT(text.out, ::testing::HasSubstr("TENANT"));
}

TEST_F(CliDbTest, ABackupTakenWhileWritesContinueIsConsistentAndServesEveryCall) {
  for (int i = 0; i < 20; ++i)
    deliver("acme", status_update("before-" + std::to_string(i), "ringing", i + 1));
  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged{0};
  std::thread writer([&] {
    auto client = server_.client();
    for (int i = 0; !stop; ++i) {
      const auto response = client.post("/webhooks/vapi/acme", status_update("during", "ringing", 1000 + i));
      if (response.status == 200) ++acknowledged;
    }
  });
  ASSERT_TRUE(eventually([&] { return acknowledged > 0; }, std::chrono::seconds(10)));
  const auto backup = scratch_.file("backup.db");
  const auto result = db({"backup", backup});
  stop = true;
  writer.join();
  ASSERT_EQ(result.code, 0) << result.all();

  EXPECT_EQ(count_rows(backup, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"),
            0);
  const auto events_of_during =
      count_rows(backup,
                 "SELECT count(*) FROM timeline_events e JOIN timelines t ON t.id = e.timeline_id"
                 " WHERE t.call_id = 'during'");
  EXPECT_EQ(count_rows(backup, "SELECT count(*) FROM delivery_keys"), 20 + events_of_during)
      << "every event in the copy came with its delivery key: one snapshot, not a torn one";

  ServeProcess restored(backup);
  HttpClient client(restored.endpoint(), std::chrono::seconds(10));
  const auto calls = client.get("/api/acme/calls").json_body();
  EXPECT_EQ(calls.size(), 21u) << "the 20 calls written before the backup and the one being written";
  const auto timeline = client.get("/api/debug/status-events/acme/during").json_body();
  EXPECT_EQ(static_cast<std::int64_t>(timeline.size()), events_of_during);
}

TEST_F(CliDbTest, ABackupNeverOverwritesAFile) {
  const auto existing = scratch_.file("taken.db");
  std::ofstream(existing) << "keep me";
  const auto result = db({"backup", existing});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, ::testing::HasSubstr("exists"));
  EXPECT_EQ(read_text(existing), "keep me");
}

TEST_F(CliDbTest, PruneRemovesCallsThatEndedLongAgoWhileTheServerRuns) {
  deliver("acme", status_update("old", "ended", 1, "2020-01-01T00:00:00Z"));
  deliver("acme", status_update("live", "in-progress", 2));

  const auto dry = db({"prune", "--older-than", "30d", "--dry-run", "--json"});
  ASSERT_EQ(dry.code, 0) << dry.all();
  EXPECT_EQ(stdout_json(dry).at("calls"), 1);
  EXPECT_EQ(get_json("/api/acme/calls").size(), 2u) << "a dry run changes nothing";

  const auto pruned = db({"prune", "--older-than", "30d", "--json"});
  ASSERT_EQ(pruned.code, 0) << pruned.all();
  const auto removed = stdout_json(pruned);
  EXPECT_EQ(removed.at("calls"), 1);
  EXPECT_EQ(removed.at("events"), 1);
  EXPECT_THAT(pruned.err, ::testing::HasSubstr("a server is running"));
  const auto calls = get_json("/api/acme/calls");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at("id"), "live");
  EXPECT_TRUE(get_json("/api/debug/status-events/acme/old").empty());
  deliver("acme", status_update("live", "ended", 3));
  EXPECT_EQ(get_json("/api/acme/calls/live").at("status"), "ended") << "the server writes on after the prune";
}

TEST_F(CliDbTest, PruneExplainsAMissingPeriodAndABadOne) {
  const auto missing = db({"prune"});
  EXPECT_EQ(missing.code, 2) << missing.all();
  EXPECT_THAT(missing.err, ::testing::HasSubstr("--older-than"));
  const auto bad = db({"prune", "--older-than", "ninety days"});
  EXPECT_EQ(bad.code, 2) << bad.all();
  EXPECT_THAT(bad.err, ::testing::HasSubstr("30d"));
}

TEST_F(CliDbTest, VacuumRefusesWhileTheServerRunsAndWorksOnceItStops) {
  const auto refused = db({"vacuum"});
  EXPECT_EQ(refused.code, 1) << refused.all();
  EXPECT_THAT(refused.err, ::testing::HasSubstr("stop it first"));

  const auto path = scratch_.file("stopped.db");
  { SqliteStore store(SqliteOptions{path, SyncMode::normal}); }
  const auto vacuumed = run_vapidash({"db", "vacuum", "--db", path, "--json"});
  ASSERT_EQ(vacuumed.code, 0) << vacuumed.all();
  EXPECT_EQ(stdout_json(vacuumed).at("ok"), true);
  EXPECT_THAT(vacuumed.err, ::testing::HasSubstr("blocks every write"));
}

TEST_F(CliDbTest, AFileThatIsNotThereIsNamed) {
  const auto result = run_vapidash({"db", "stats", "--db", scratch_.file("nowhere.db")});
  EXPECT_EQ(result.code, 1) << result.all();
  EXPECT_THAT(result.err, ::testing::HasSubstr("no database at"));
  EXPECT_FALSE(std::filesystem::exists(scratch_.file("nowhere.db"))) << "looking must not create the file";
}

}  // namespace
}  // namespace vapidash::test::cli
