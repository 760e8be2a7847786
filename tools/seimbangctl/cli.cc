// seimbangctl: parsing the command line, dispatching to the command groups (cmd_*.cc), usage.
#include "tools/seimbangctl/cli.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {

namespace {

constexpr char kUsage[] =
    R"(usage: seimbangctl [global flags] COMMAND ...

global flags (before the command):
  --personnel ADDR   personnel service (env SEIMBANG_PERSONNEL_ADDR, default 127.0.0.1:7001)
  --workload ADDR    workload-analysis service (env SEIMBANG_WORKLOAD_ADDR, default 127.0.0.1:7002)
  --transfer ADDR    transfer-planning service (env SEIMBANG_TRANSFER_ADDR, default 127.0.0.1:7003)
  --token T | --token-file F   bearer token (env SEIMBANG_TOKEN / SEIMBANG_TOKEN_FILE)
  --tls-ca F         TLS: trust this CA for the services (env SEIMBANG_TLS_CA)
  --tls-cert F --tls-key F     mTLS: present this client certificate (env SEIMBANG_TLS_CERT / _KEY)
  --tls-server-name N          name to verify in the services' certificate (port-forwards)
  --output table|json|csv      output format (default table)

commands:
  token --role R [--agency A] [--nip N] --secret-file F | --private-key-file F
        [--issuer I] [--audience A] [--ttl 1h] [--subject S]
  import DIR [--dry-run] [--as-of YYYY-MM-DD] [--override-transfers]
  employees get NIP | list [--agency A] [--unit U] [--position P] [--family F] [--page-size N] [--page-token T]
  analysis run --agency A --as-of DATE [--label L] | show RUN | compare RUN1 RUN2
  policy create --agency A --name N [--file policy.json] | show ID
  plan create --agency A --run RUN --policy ID --effective DATE [--label L]
  plan show ID | moves ID [--top N] [--unit U] [--family F] [--by-id] | explain ID MOVE
  plan compare A B | submit ID | approve ID [--note N] | reject ID --reason R | cancel ID [--reason R]
  plan revise ID [--label L] | execute ID | export ID [--format csv|sk] | story ID --unit-name TEXT
  objection file PLAN MOVE --reason R | resolve ID --accept|--reject [--note N] | list PLAN
  me                  (employee token: my moves, objections and preferences)
  report PLAN --out FILE.html

exit codes: 0 ok, 2 usage error, 3 not found, 4 server or other error
)";

const std::set<std::string> kGlobalFlags = {"personnel",  "workload",       "transfer", "token",
                                            "token-file", "output",         "tls-ca",   "tls-cert",
                                            "tls-key",    "tls-server-name"};
const std::set<std::string> kSwitches = {"accept", "reject", "dry-run",           "by-id",
                                         "all",    "help",   "override-transfers"};

}  // namespace

int Cli::Run() {
  output_ = Global("output", "SEIMBANG_OUTPUT", "table");
  if (output_ != "table" && output_ != "json" && output_ != "csv") {
    throw UsageError{"--output must be table, json or csv"};
  }
  if (args_.words.empty() || Switch("help")) throw UsageError{""};
  const std::string& cmd = args_.words[0];
  if (cmd == "token") return Token_();
  if (cmd == "import") return Import();
  if (cmd == "employees") return Employees();
  if (cmd == "analysis") return Analysis();
  if (cmd == "policy") return Policy();
  if (cmd == "plan") return Plan();
  if (cmd == "objection") return Objection();
  if (cmd == "me") return Me();
  if (cmd == "report") return Report();
  throw UsageError{absl::StrCat("unknown command '", cmd, "'")};
}

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv) {
  Args a;
  bool in_command = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      std::string name = s.substr(2), value;
      bool has_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (!in_command && !kGlobalFlags.count(name) && name != "help") {
        return absl::InvalidArgumentError(absl::StrCat("unknown global flag --", name,
                                                       " (global flags come before the command)"));
      }
      if (kSwitches.count(name) && !has_value) {
        a.switches.insert(name);
        continue;
      }
      if (!has_value) {
        if (i + 1 >= argv.size())
          return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
        value = argv[++i];
      }
      (in_command ? a.flags : a.global)[name] = value;
      continue;
    }
    in_command = true;
    a.words.push_back(s);
  }
  return a;
}

int RunCli(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err, bool terminal) {
  auto args = ParseArgs(argv);
  if (!args.ok()) {
    err << "seimbangctl: " << args.status().message() << "\n\n" << kUsage;
    return kExitUsage;
  }
  try {
    Cli cli(*std::move(args), env, out, err, terminal);
    return cli.Run();
  } catch (const UsageError& u) {
    if (!u.message.empty()) err << "seimbangctl: " << u.message << "\n\n";
    err << kUsage;
    return kExitUsage;
  }
}

}  // namespace seimbang::ctl
