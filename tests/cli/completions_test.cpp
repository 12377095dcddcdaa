// The completion scripts in completions/ against the real command tree, as printed by the hidden
// `vapidash commands`: every subcommand and flag appears in each script, and bash and fish offer them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "cli_test_support.hpp"

namespace vapidash::test::cli {
namespace {

using ::testing::HasSubstr;

const std::string completions_dir = std::string(VAPIDASH_SOURCE_DIR) + "/completions";
const std::string bash_script = completions_dir + "/vapidash.bash";
const std::string zsh_script = completions_dir + "/_vapidash";
const std::string fish_script = completions_dir + "/vapidash.fish";

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// `vapidash commands`: the root's flags under "vapidash", then each subcommand's.
struct CommandTree {
  std::vector<std::string> root_flags;
  std::map<std::string, std::vector<std::string>> commands;
};

CommandTree command_tree() {
  const auto result = run_vapidash({"commands"});
  if (result.code != 0) throw std::runtime_error("vapidash commands failed:\n" + result.all());
  CommandTree tree;
  for (const auto& line : lines_of(result.out)) {
    auto words = words_of(line);
    if (words.empty()) continue;
    const auto name = words.front();
    words.erase(words.begin());
    if (name == "vapidash") {
      tree.root_flags = words;
    } else {
      tree.commands[name] = words;
    }
  }
  return tree;
}

// The path of an installed program, or "" when it is not installed.
std::string program_path(const char* program) {
  for (const auto* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"}) {
    const auto path = std::string(dir) + program;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// What bash offers for the command line `words` (the last word is the one being completed), through the
// function the script registers with `complete` for vapidash.
std::vector<std::string> bash_complete(const std::vector<std::string>& words) {
  std::string array;
  for (const auto& word : words) array += " " + shell_quote(word);
  const std::string script = "source " + shell_quote(bash_script) +
                             R"( || exit 90
spec=$(complete -p vapidash) || exit 91
function=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
[[ -n $function ]] || exit 92
COMP_WORDS=()" + array + R"()
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$function" vapidash "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
)";
  const auto [code, output] = run_command({"/bin/bash", "--norc", "--noprofile", "-c", script});
  if (code != 0)
    throw std::runtime_error("bash completion failed (" + std::to_string(code) + "):\n" + output);
  auto lines = lines_of(output);
  std::erase(lines, "");
  return lines;
}

// What fish offers for `line` (completing its last token), first column only.
std::vector<std::string> fish_complete(const std::string& line) {
  const auto [code, output] =
      run_command({"/usr/bin/fish", "--no-config", "-c",
                   "source " + shell_quote(fish_script) + "; and complete -C " + shell_quote(line)});
  if (code != 0) throw std::runtime_error("fish failed (" + std::to_string(code) + "):\n" + output);
  std::vector<std::string> candidates;
  for (const auto& entry : lines_of(output)) candidates.push_back(entry.substr(0, entry.find('\t')));
  return candidates;
}

std::set<std::string> as_set(const std::vector<std::string>& items) {
  return {items.begin(), items.end()};
}

// A flag as a whole word: "--status" must not be found inside "--status-x", "-q" not inside "-quiet".
bool has_word(const std::string& text, const std::string& word) {
  const std::regex pattern("(^|[^A-Za-z0-9_-])" + word + "($|[^A-Za-z0-9_-])");  // flags are [a-z-]
  return std::regex_search(text, pattern);
}

// fish spells --name as "-l name" and -x as "-s x".
std::string fish_spelling(const std::string& flag) {
  return flag.rfind("--", 0) == 0 ? "-l " + flag.substr(2) : "-s " + flag.substr(1);
}

class CliCompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_ = command_tree();
    ASSERT_FALSE(tree_.root_flags.empty());
    ASSERT_GE(tree_.commands.size(), 8u) << "serve and the seven client commands";
  }
  CommandTree tree_;
};

TEST_F(CliCompletionTest, CommandTreeListsEverySubcommandWithItsFlags) {
  for (const auto* name : {"serve", "call", "event", "webhook", "calls", "show", "timeline", "tail"}) {
    EXPECT_TRUE(tree_.commands.count(name)) << name;
  }
  EXPECT_FALSE(tree_.commands.count("commands")) << "the hidden command does not list itself";
  const auto tail = as_set(tree_.commands.at("tail"));
  for (const auto* flag : {"--client", "--status", "--type", "--count", "--for"})
    EXPECT_TRUE(tail.count(flag));
  const auto root = as_set(tree_.root_flags);
  for (const auto* flag : {"--server", "--cacert", "--insecure", "-k", "--json", "--timeout", "--quiet",
                           "--no-color", "--version"}) {
    EXPECT_TRUE(root.count(flag)) << flag;
  }
}

TEST_F(CliCompletionTest, EverySubcommandAndFlagAppearsInEachScript) {
  const std::map<std::string, std::string> scripts = {{bash_script, read_text(bash_script)},
                                                      {zsh_script, read_text(zsh_script)},
                                                      {fish_script, read_text(fish_script)}};
  for (const auto& [path, text] : scripts) {
    const bool fish = path == fish_script;
    const auto present = [&](const std::string& flag) {
      return fish ? text.find(fish_spelling(flag)) != std::string::npos : has_word(text, flag);
    };
    for (const auto& flag : tree_.root_flags) EXPECT_TRUE(present(flag)) << path << " lacks " << flag;
    for (const auto& [command, flags] : tree_.commands) {
      EXPECT_TRUE(has_word(text, command)) << path << " lacks the subcommand " << command;
      for (const auto& flag : flags)
        EXPECT_TRUE(present(flag)) << path << " lacks " << command << " " << flag;
    }
  }
}

// The body of the zsh `case` arm whose pattern list (`a|b)`) names `command`, up to its `;;`; empty if none.
std::string zsh_case_arm(const std::string& text, const std::string& command) {
  static const std::regex pattern_list(R"(^\s*([a-z|-]+)\))");
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const auto line = text.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(line, match, pattern_list)) {
      std::stringstream patterns(match[1].str());
      for (std::string pattern; std::getline(patterns, pattern, '|');) {
        if (pattern == command) return text.substr(start, text.find(";;", start) - start);
      }
    }
    start = end + 1;
  }
  return "";
}

// zsh: each subcommand has a case arm, and its own flags are in that arm (the shared ones are in $global).
TEST_F(CliCompletionTest, ZshCaseArmsHoldEachCommandsFlags) {
  const auto text = read_text(zsh_script);
  const auto root = as_set(tree_.root_flags);
  for (const auto& [command, flags] : tree_.commands) {
    const auto arm = zsh_case_arm(text, command);
    ASSERT_FALSE(arm.empty()) << "no case arm for " << command;
    EXPECT_THAT(arm, HasSubstr("$global")) << command;
    for (const auto& flag : flags) {
      if (root.count(flag)) continue;
      EXPECT_TRUE(has_word(arm, flag)) << command << " arm lacks " << flag << ":\n" << arm;
    }
  }
  for (const auto& flag : tree_.root_flags) {
    EXPECT_TRUE(has_word(text.substr(text.find("global=(")), flag)) << "$global lacks " << flag;
  }
}

TEST_F(CliCompletionTest, ScriptsAreValidShellSyntax) {
  EXPECT_EQ(run_command({"/bin/bash", "-n", bash_script}).first, 0);
  if (const auto zsh = program_path("zsh"); !zsh.empty()) {
    EXPECT_EQ(run_command({zsh, "-n", zsh_script}).first, 0);
  }
  if (const auto fish = program_path("fish"); !fish.empty()) {
    EXPECT_EQ(run_command({fish, "--no-config", "-n", fish_script}).first, 0);
  }
}

TEST_F(CliCompletionTest, BashCompletesTiToTimeline) {
  EXPECT_EQ(bash_complete({"vapidash", "ti"}), std::vector<std::string>{"timeline"});
}

TEST_F(CliCompletionTest, BashOffersEverySubcommand) {
  const auto offered = as_set(bash_complete({"vapidash", ""}));
  for (const auto& [command, flags] : tree_.commands) EXPECT_TRUE(offered.count(command)) << command;
}

TEST_F(CliCompletionTest, BashOffersEveryFlagOfEachCommand) {
  const auto root = as_set(bash_complete({"vapidash", "-"}));
  for (const auto& flag : tree_.root_flags) EXPECT_TRUE(root.count(flag)) << "vapidash " << flag;
  for (const auto& [command, flags] : tree_.commands) {
    const auto offered = as_set(bash_complete({"vapidash", command, "-"}));
    for (const auto& flag : flags) EXPECT_TRUE(offered.count(flag)) << "vapidash " << command << " " << flag;
  }
}

TEST_F(CliCompletionTest, BashCompletesValuesOfTheWebhookTypeAndStatus) {
  const auto types = as_set(bash_complete({"vapidash", "webhook", "demo", "end-"}));
  EXPECT_EQ(types, std::set<std::string>{"end-of-call-report"});
  const auto statuses = as_set(bash_complete({"vapidash", "calls", "demo", "--status", "in"}));
  EXPECT_EQ(statuses, std::set<std::string>{"in-progress"});
}

TEST_F(CliCompletionTest, FishOffersEverySubcommandAndFlag) {
  if (program_path("fish").empty()) GTEST_SKIP() << "fish is not installed";
  EXPECT_EQ(fish_complete("vapidash ti"), std::vector<std::string>{"timeline"});
  const auto commands = as_set(fish_complete("vapidash "));
  for (const auto& [command, flags] : tree_.commands) EXPECT_TRUE(commands.count(command)) << command;
  for (const auto& [command, flags] : tree_.commands) {
    const auto offered = as_set(fish_complete("vapidash " + command + " -"));
    for (const auto& flag : flags) EXPECT_TRUE(offered.count(flag)) << "vapidash " << command << " " << flag;
    for (const auto& flag : tree_.root_flags)
      EXPECT_TRUE(offered.count(flag)) << "vapidash " << command << " " << flag;
  }
}

}  // namespace
}  // namespace vapidash::test::cli
