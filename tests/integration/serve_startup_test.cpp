// `vapidash serve` refusing a database it cannot use, run as the real binary: a file another server holds,
// a read-only file or directory, a file that is not a database. Each refusal names the path and the cause.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/child_process.hpp"
#include "support/files.hpp"
#include "support/serve_banner.hpp"
#include "support/temp_dir.hpp"
#include "vapidash/client/http_client.hpp"
#include "vapidash/store/sqlite_store.hpp"

namespace vapidash::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> serve_argv(const std::string& db) {
  return {VAPIDASH_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db};
}

// `argv` as an ordinary user runs it: root ignores file permissions, so as root the capabilities that
// override them are dropped first.
std::vector<std::string> without_root_override(std::vector<std::string> argv) {
  if (::geteuid() != 0) return argv;
  argv.insert(argv.begin(), {"/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"});
  return argv;
}

void create_database(const std::string& path) {
  SqliteStore store(SqliteOptions{path, SyncMode::full});
}

void expect_refused(const std::vector<std::string>& argv, const std::string& message) {
  const auto [code, output] = run_command(argv);
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find(message), std::string::npos) << "expected \"" << message << "\" in:\n" << output;
}

TEST(ServeStartupTest, ASecondServerOnTheSameDatabaseRefusesToStartAndNamesTheScaleOutOption) {
  TempDir dir;
  const auto db = dir.file("shared.db");
  {
    ChildProcess first(serve_argv(db));
    const auto endpoint = served_endpoint(first.wait_for_stdout_line("serving http://", 30s));
    expect_refused(serve_argv(db), "another vapidash server holds the database " + db);
    expect_refused(serve_argv(db), "Several instances need PostgreSQL (scale-out)");
    EXPECT_EQ(HttpClient(endpoint, 10s).get("/healthz").status, 200u) << "the first server must keep running";
    // A server that dies leaves no stale lock behind.
    first.signal(SIGKILL);
    EXPECT_EQ(first.wait(15s), 128 + SIGKILL);
  }
  ChildProcess next(serve_argv(db));
  next.wait_for_stdout_line("serving http://", 30s);
  next.signal(SIGTERM);
  EXPECT_EQ(next.wait(15s), 0);
}

TEST(ServeStartupTest, AReadOnlyDatabaseIsNamedAsSuch) {
  TempDir dir;
  const auto db = dir.file("readonly.db");
  create_database(db);
  ASSERT_EQ(::chmod(db.c_str(), 0444), 0);
  expect_refused(without_root_override(serve_argv(db)),
                 "the database " + db + " is read-only (Permission denied)");
}

TEST(ServeStartupTest, ANewDatabaseInAReadOnlyDirectoryNamesTheDirectory) {
  TempDir dir;
  const auto locked_dir = dir.file("locked");
  std::filesystem::create_directory(locked_dir);
  ASSERT_EQ(::chmod(locked_dir.c_str(), 0555), 0);
  const auto db = locked_dir + "/new.db";
  expect_refused(without_root_override(serve_argv(db)), "cannot create the database " + db +
                                                            ": its directory " + locked_dir +
                                                            " is not writable (Permission denied)");
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(ServeStartupTest, AnExistingDatabaseInAReadOnlyDirectorySaysWhyTheDirectoryMatters) {
  TempDir dir;
  const auto locked_dir = dir.file("locked");
  std::filesystem::create_directory(locked_dir);
  const auto db = locked_dir + "/calls.db";
  create_database(db);
  ASSERT_EQ(::chmod(locked_dir.c_str(), 0555), 0);
  expect_refused(without_root_override(serve_argv(db)),
                 "the directory " + locked_dir + " of the database " + db +
                     " is not writable (Permission denied): SQLite keeps " + db + "-wal");
}

TEST(ServeStartupTest, AFileThatIsNotADatabaseIsNamedAndLeftAlone) {
  TempDir dir;
  const auto notes = dir.file("notes.txt");
  const std::string text = "These are my notes, not a database. They must survive a wrong --db.\n";
  std::ofstream(notes) << text;
  expect_refused(serve_argv(notes), "the database " + notes + " is not an SQLite database");
  EXPECT_EQ(read_text(notes), text);
}

TEST(ServeStartupTest, ADirectoryInPlaceOfTheDatabaseIsNamed) {
  TempDir dir;
  expect_refused(serve_argv(dir.path().string()),
                 "the database " + dir.path().string() + " is a directory, not a database file");
}

}  // namespace
}  // namespace vapidash::test
