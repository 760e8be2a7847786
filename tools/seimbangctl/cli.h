#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_

// seimbangctl: one command-line client over the three Seimbang services.

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/seimbangctl/messages.h"

namespace seimbang::ctl {

// Exit codes (tools/seimbangctl/README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitError = 4;

// Flags and positional arguments of one command line. Global flags and the
// command's flags may stand anywhere on the line; --name value and
// --name=value are both accepted.
struct Args {
  std::map<std::string, std::string> global;
  std::vector<std::string> words;            // command words, then positionals
  size_t command_words = 0;                  // how many of `words` name the command
  std::map<std::string, std::string> flags;  // the command's own flags
  // Every value of each of the command's flags, in order: a repeatable flag (--growth) reads
  // them all; `flags` keeps the last.
  std::map<std::string, std::vector<std::string>> flag_values;
  std::set<std::string> switches;  // boolean flags, e.g. --accept
  Lang lang = Lang::kId;           // --lang, else SEIMBANG_LANG, else id
};

// The command line checked against the command it names (commands.cc's
// table): INVALID_ARGUMENT with one line naming the problem for an unknown
// command or flag (with the nearest known one), a flag without its value, a
// switch given a value, or an argument too many. `env` supplies
// SEIMBANG_LANG, the language of the message.
[[nodiscard]] absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                                             const std::map<std::string, std::string>& env = {});

// The paths of every command seimbangctl has ("plan create", "me").
std::vector<std::string> CommandPaths();

// Runs one command (argv without the program name) and returns the exit code.
// `env` supplies SEIMBANG_* defaults (tests pass their own).
int RunCli(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err, bool terminal = false);

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_
