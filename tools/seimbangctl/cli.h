#ifndef SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_
#define SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_

// seimbangctl: one command-line client over the three Seimbang services.

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace seimbang::ctl {

// Exit codes (tools/seimbangctl/README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitError = 4;

// Flags and positional arguments of one command line. Global flags come
// before the subcommand; --name value and --name=value are both accepted.
struct Args {
  std::map<std::string, std::string> global;
  std::vector<std::string> words;            // subcommand words and positionals
  std::map<std::string, std::string> flags;  // after the subcommand
  std::set<std::string> switches;            // boolean flags, e.g. --accept
};

// INVALID_ARGUMENT with a usage message for an unknown global flag or a flag
// without its value.
[[nodiscard]] absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv);

// Runs one command (argv without the program name) and returns the exit code.
// `env` supplies SEIMBANG_* defaults (tests pass their own).
int RunCli(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err, bool terminal = false);

}  // namespace seimbang::ctl

#endif  // SEIMBANG_TOOLS_SEIMBANGCTL_CLI_H_
