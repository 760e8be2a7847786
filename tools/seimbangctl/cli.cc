// seimbangctl: the command table, strict parsing of the command line, help and
// version, and dispatch to the command groups (cmd_*.cc).
//
// Parsing is this file's own rather than CLI11's (tools/seimbangctl/README.md
// says why): every message it prints comes from the id/en catalogue.
#include "tools/seimbangctl/cli.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/seimbangctl/cli_internal.h"

#ifndef SEIMBANG_VERSION
#define SEIMBANG_VERSION "unknown"
#endif

namespace seimbang::ctl {

namespace {

// One command: its words, its synopsis (syntax, the same in both languages),
// the flags taking a value, its switches and how many positional arguments it
// takes at most. Its description is the catalogue's "help.<path>".
struct CommandSpec {
  const char* path;
  std::string synopsis;
  std::vector<const char*> flags;
  std::vector<const char*> switches;
  size_t max_positionals;
};

// "plan approve" and "ID [--note N]": "plan approve ID [--note N]".
std::string Synopsis(const char* path, const std::string& args) {
  return args.empty() ? path : absl::StrCat(path, " ", args);
}

// A mutation: its path, its arguments and flags, and --request-id (for idempotent retries), which
// every mutation takes and no synopsis shows.
CommandSpec Mutation(const char* path, const std::string& args, std::vector<const char*> flags,
                     std::vector<const char*> switches = {}, size_t max_positionals = 0) {
  flags.push_back("request-id");
  return {path, Synopsis(path, args), std::move(flags), std::move(switches), max_positionals};
}

// A list command: its path, its own arguments and filters (synopsis and flags), then the paging
// every list takes (--page-size N, --page-token T, --all).
CommandSpec ListCommand(const char* path, const std::string& filters,
                        std::vector<const char*> flags, std::vector<const char*> switches = {},
                        size_t max_positionals = 0) {
  flags.insert(flags.end(), {"page-size", "page-token"});
  switches.push_back("all");
  return {path, absl::StrCat(Synopsis(path, filters), " [--page-size N] [--page-token T] [--all]"),
          std::move(flags), std::move(switches), max_positionals};
}

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"token",
       "token --role R [--agency A] [--nip N] --secret-file F | --private-key-file F "
       "[--issuer I] [--audience A] [--ttl 1h] [--subject S]",
       {"role", "agency", "nip", "secret-file", "private-key-file", "issuer", "audience", "ttl",
        "subject"},
       {},
       0},
      {"import",
       "import DIR [--dry-run] [--as-of YYYY-MM-DD] [--override-transfers]",
       {"as-of"},
       {"dry-run", "override-transfers"},
       1},
      {"employees get", "employees get NIP", {}, {}, 1},
      ListCommand("employees list",
                  "[--agency A] [--unit U] [--position P] [--family F] [--name TEXT] "
                  "[--nip PREFIX] [--include-inactive]",
                  {"agency", "unit", "position", "family", "name", "nip"}, {"include-inactive"}),
      ListCommand("employees history", "NIP", {}, {}, 1),
      ListCommand("agencies list", "[--province P]", {"province"}),
      {"agencies show", "agencies show CODE", {}, {}, 1},
      {"units show", "units show U [--agency A]", {"agency"}, {}, 1},
      {"positions show", "positions show CODE", {}, {}, 1},
      ListCommand("positions list", "[--family F]", {"family"}),
      ListCommand("workloads list", "[--agency A] [--unit U]", {"agency", "unit"}),
      ListCommand("signals list", "[--agency A] [--unit U]", {"agency", "unit"}),
      ListCommand("preferences list", "[--agency A] [--nip N]", {"agency", "nip"}),
      ListCommand("audit list", "--service personnel|workload|transfer [--method M]",
                  {"service", "method"}),
      ListCommand("units list", "[--agency A] [--under U] [--include-inactive]",
                  {"agency", "under"}, {"include-inactive"}),
      Mutation("analysis run", "--agency A --as-of YYYY-MM-DD [--label L]",
               {"agency", "as-of", "label"}),
      {"analysis show", "analysis show RUN", {}, {}, 1},
      ListCommand("analysis list", "[--agency A]", {"agency"}),
      {"analysis compare", "analysis compare RUN1 RUN2 [--page-size N]", {"page-size"}, {}, 2},
      Mutation("policy create", "--agency A --name N [--file policy.json]",
               {"agency", "name", "file"}),
      {"policy show", "policy show ID", {}, {}, 1},
      ListCommand("policy list", "[--agency A]", {"agency"}),
      Mutation("plan create", "--agency A --run RUN --policy ID --effective YYYY-MM-DD [--label L]",
               {"agency", "run", "policy", "effective", "label"}),
      ListCommand("plan list", "[--agency A] [--state S]", {"agency", "state"}),
      {"plan show", "plan show ID", {}, {}, 1},
      {"plan moves",
       "plan moves ID [--top N] [--unit U] [--family F] [--by-id] [--page-token T] [--all]",
       {"top", "unit", "family", "page-size", "page-token"},
       {"by-id", "all"},
       1},
      {"plan explain", "plan explain ID MOVE", {}, {}, 2},
      {"plan compare", "plan compare A B", {}, {}, 2},
      Mutation("plan submit", "ID", {}, {}, 1),
      Mutation("plan approve", "ID [--note N]", {"note"}, {}, 1),
      Mutation("plan reject", "ID --reason R", {"reason"}, {}, 1),
      Mutation("plan cancel", "ID [--reason R]", {"reason"}, {}, 1),
      Mutation("plan revise", "ID [--label L]", {"label"}, {}, 1),
      Mutation("plan execute", "ID", {}, {}, 1),
      {"plan export", "plan export ID [--format csv|sk]", {"format"}, {}, 1},
      {"plan decrees",
       "plan decrees PLAN_ID --out DIR [--format html|text] [--template-dir DIR] "
       "[--collective-only] [--number N] [--place P] [--signer-title T] [--signer-name N] "
       "[--signer-nip NIP] [--copy-to \"A;B\"]",
       {"out", "format", "template-dir", "number", "place", "signer-title", "signer-name",
        "signer-nip", "copy-to"},
       {"collective-only"},
       1},
      {"plan story", "plan story ID --unit-name TEXT", {"unit-name"}, {}, 1},
      Mutation("objection file", "PLAN MOVE --reason R", {"reason"}, {}, 2),
      Mutation("objection resolve", "ID --accept|--reject [--note N]", {"note"},
               {"accept", "reject"}, 1),
      {"objection list",
       "objection list PLAN [--page-size N] [--page-token T]",
       {"page-size", "page-token"},
       {},
       1},
      Mutation("projection run",
               "--agency A [--run RUN] [--as-of YYYY-MM-DD] [--years N] [--first-year Y] "
               "[--growth FAMILY=RATE ...] [--plan PLAN_ID] [--label L]",
               {"agency", "run", "as-of", "years", "first-year", "growth", "plan", "label"}),
      {"projection get", "projection get ID", {}, {}, 1},
      ListCommand("projection list", "[--agency A]", {"agency"}),
      {"projection formasi", "projection formasi ID", {}, {}, 1},
      {"me", "me", {}, {}, 0},
      {"report",
       "report PLAN --out FILE.html [--projection latest|plan|none|ID]",
       {"out", "projection"},
       {},
       1},
      {"help", "help [COMMAND ...]", {}, {}, 3},
  };
  return *commands;
}

// Global flags (anywhere on the line) with their placeholder; descriptions are
// the catalogue's "gflag.<name>".
const std::vector<std::pair<const char*, const char*>>& GlobalFlags() {
  static const auto* flags = new std::vector<std::pair<const char*, const char*>>{
      {"personnel", "ADDR"}, {"workload", "ADDR"},    {"transfer", "ADDR"},
      {"token", "T"},        {"token-file", "F"},     {"output", "table|json|csv|yaml"},
      {"lang", "id|en"},     {"tls-ca", "F"},         {"tls-cert", "F"},
      {"tls-key", "F"},      {"tls-server-name", "N"}};
  return *flags;
}
const std::set<std::string>& GlobalSwitches() {
  static const auto* s = new std::set<std::string>{"help", "version"};
  return *s;
}

bool IsGlobalFlag(const std::string& name) {
  for (const auto& [n, placeholder] : GlobalFlags()) {
    if (name == n) return true;
  }
  return false;
}

// Every switch of any command: a switch never takes the next word as its value.
bool IsSwitch(const std::string& name) {
  if (GlobalSwitches().count(name)) return true;
  for (const auto& c : Commands()) {
    for (const char* s : c.switches) {
      if (name == s) return true;
    }
  }
  return false;
}

const CommandSpec* FindCommand(const std::string& path) {
  for (const auto& c : Commands()) {
    if (path == c.path) return &c;
  }
  return nullptr;
}

// The commands of a group ("plan") or the one command ("me").
std::vector<const CommandSpec*> CommandsUnder(const std::string& group) {
  std::vector<const CommandSpec*> out;
  for (const auto& c : Commands()) {
    std::string p = c.path;
    if (p == group || absl::StartsWith(p, group + " ")) out.push_back(&c);
  }
  return out;
}

// The command group's subcommand names: "create, list, show".
std::string SubcommandNames(const std::string& group) {
  std::vector<std::string> names;
  for (const CommandSpec* c : CommandsUnder(group)) {
    names.push_back(std::string(c->path).substr(group.size() + 1));
  }
  return absl::StrJoin(names, ", ");
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t prev = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

// The known name nearest to `name` (at most two edits, or a prefix), or "".
std::string Nearest(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = 3;
  for (const auto& k : known) {
    size_t d = EditDistance(name, k);
    if (name.size() >= 3 && absl::StartsWith(k, name)) d = std::min<size_t>(d, 1);
    if (d < best_d) best_d = d, best = k;
  }
  return best;
}

Lang LangOf(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            std::string& bad) {
  std::string text;
  if (auto e = env.find("SEIMBANG_LANG"); e != env.end()) text = e->second;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--lang" && i + 1 < argv.size()) text = argv[i + 1];
    if (absl::StartsWith(argv[i], "--lang=")) text = argv[i].substr(7);
  }
  Lang lang = Lang::kId;
  if (!text.empty() && !ParseLang(text, lang)) bad = text;
  return lang;
}

// Fills `a` as far as the line goes; a problem stops it. `a.command_words`
// names the command matched so far, for the usage line printed with the problem.
bool Parse(const std::vector<std::string>& argv, Args& a, std::string& problem) {
  const Lang lang = a.lang;
  std::vector<std::pair<std::string, std::string>> flags;  // in order, before checking
  std::set<std::string> missing;  // value flags at the end of the line or before another flag
  std::string early;              // a problem found while reading: reported with the command
  bool only_words = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (only_words || s.size() < 2 || s[0] != '-' || (s[1] != '-' && absl::ascii_isdigit(s[1]))) {
      a.words.push_back(s);
      continue;
    }
    if (s == "--") {
      only_words = true;
      continue;
    }
    if (s == "-h") {
      a.switches.insert("help");
      continue;
    }
    if (s[1] != '-') {
      if (early.empty()) early = Text(lang, "parse.unknown_flag", s);
      continue;
    }
    std::string name = s.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (IsSwitch(name)) {
      if (has_value && early.empty()) early = Text(lang, "parse.switch_value", "--" + name);
      a.switches.insert(name);
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argv.size() || absl::StartsWith(argv[i + 1], "--")) {
        // Checked below: an unknown flag is named as unknown, a known one as missing its value.
        flags.push_back({name, ""});
        missing.insert(name);
        continue;
      }
      value = argv[++i];
    }
    flags.push_back({name, value});
  }

  // The command: the longest table path the first words spell.
  const CommandSpec* spec = nullptr;
  if (!a.words.empty()) {
    if (a.words.size() >= 2) spec = FindCommand(a.words[0] + " " + a.words[1]);
    if (spec != nullptr) {
      a.command_words = 2;
    } else {
      spec = FindCommand(a.words[0]);
      if (spec != nullptr) a.command_words = 1;
    }
  }
  if (spec == nullptr && !a.words.empty()) {
    const std::string& group = a.words[0];
    if (!CommandsUnder(group).empty()) {
      a.command_words = 1;  // a group: its usage lines go with the problem
      if (a.switches.count("help")) return true;
      problem =
          a.words.size() < 2
              ? Text(lang, "parse.missing_subcommand", group, SubcommandNames(group))
              : Text(lang, "parse.unknown_subcommand", group, a.words[1], SubcommandNames(group));
      return false;
    }
    std::vector<std::string> groups;
    for (const auto& c : Commands()) {
      std::string first = std::string(c.path).substr(0, std::string(c.path).find(' '));
      if (std::find(groups.begin(), groups.end(), first) == groups.end()) groups.push_back(first);
    }
    std::string near = Nearest(group, groups);
    problem = near.empty() ? Text(lang, "parse.unknown_command", group)
                           : Text(lang, "parse.unknown_command_near", group, near);
    return false;
  }
  if (!early.empty()) {
    problem = early;
    return false;
  }
  std::vector<std::string> known;
  for (const auto& [n, placeholder] : GlobalFlags()) known.push_back(n);
  if (spec != nullptr) {
    for (const char* f : spec->flags) known.push_back(f);
    for (const char* f : spec->switches) known.push_back(f);
  }
  for (const auto& [name, value] : flags) {
    bool global = IsGlobalFlag(name);
    bool mine = false;
    if (spec != nullptr) {
      for (const char* f : spec->flags) mine = mine || name == f;
    }
    if (!global && !mine) {
      std::string near = Nearest(name, known);
      problem = near.empty() ? Text(lang, "parse.unknown_flag", "--" + name)
                             : Text(lang, "parse.unknown_flag_near", "--" + name, "--" + near);
      return false;
    }
    if (missing.count(name)) {
      if (a.switches.count("help")) continue;
      problem = Text(lang, "parse.missing_value", "--" + name);
      return false;
    }
    (global ? a.global : a.flags)[name] = value;
    if (!global) a.flag_values[name].push_back(value);
  }
  for (const auto& s : a.switches) {
    if (GlobalSwitches().count(s)) continue;
    bool mine = false;
    if (spec != nullptr) {
      for (const char* f : spec->switches) mine = mine || s == f;
    }
    if (!mine) {
      std::string near = Nearest(s, known);
      problem = near.empty() ? Text(lang, "parse.unknown_flag", "--" + s)
                             : Text(lang, "parse.unknown_flag_near", "--" + s, "--" + near);
      return false;
    }
  }
  if (spec != nullptr && !a.switches.count("help") &&
      a.words.size() - a.command_words > spec->max_positionals) {
    problem = Text(lang, "parse.extra_argument", a.words[a.command_words + spec->max_positionals]);
    return false;
  }
  return true;
}

// The usage lines of the command `words` name (a group: all its commands).
std::string UsageOf(Lang lang, const std::vector<std::string>& words, size_t command_words) {
  std::string path =
      absl::StrJoin(words.begin(), words.begin() + std::min(command_words, words.size()), " ");
  std::string out;
  if (path.empty()) {
    return absl::StrCat(Text(lang, "usage.prefix"), " seimbangctl ", Text(lang, "usage.tool"), "\n",
                        Text(lang, "usage.more", "seimbangctl help"), "\n");
  }
  auto under = CommandsUnder(path);
  for (size_t i = 0; i < under.size(); ++i) {
    absl::StrAppend(
        &out,
        i == 0 ? Text(lang, "usage.prefix") : std::string(Text(lang, "usage.prefix").size(), ' '),
        " seimbangctl ", under[i]->synopsis, "\n");
  }
  absl::StrAppend(&out, Text(lang, "usage.more", "seimbangctl help " + path), "\n");
  return out;
}

void PrintCommandHelp(Lang lang, const std::string& path, std::ostream& out) {
  for (const CommandSpec* c : CommandsUnder(path)) {
    out << Text(lang, "usage.prefix") << " seimbangctl " << c->synopsis << "\n";
    for (absl::string_view line : absl::StrSplit(Text(lang, absl::StrCat("help.", c->path)), '\n'))
      out << "    " << line << "\n";
  }
  out << "\n" << Text(lang, "help.globals_pointer") << "\n";
}

void PrintToolHelp(Lang lang, std::ostream& out) {
  out << Text(lang, "usage.prefix") << " seimbangctl " << Text(lang, "usage.tool") << "\n\n"
      << Text(lang, "help.intro") << "\n\n"
      << Text(lang, "help.commands") << "\n";
  for (const auto& c : Commands()) {
    out << "  " << c.synopsis << "\n";
    for (absl::string_view line : absl::StrSplit(Text(lang, absl::StrCat("help.", c.path)), '\n'))
      out << "      " << line << "\n";
  }
  out << "\n" << Text(lang, "help.global_flags") << "\n";
  for (const auto& [name, placeholder] : GlobalFlags()) {
    std::string flag = absl::StrCat("--", name, " ", placeholder);
    out << "  " << flag << std::string(flag.size() < 31 ? 31 - flag.size() : 1, ' ')
        << Text(lang, absl::StrCat("gflag.", name)) << "\n";
  }
  out << "  --help, -h                     " << Text(lang, "gflag.help") << "\n"
      << "  --version                      " << Text(lang, "gflag.version") << "\n\n"
      << Text(lang, "help.exit_codes") << "\n";
}

}  // namespace

std::vector<std::string> CommandPaths() {
  std::vector<std::string> out;
  for (const auto& c : Commands()) out.push_back(c.path);
  return out;
}

int Cli::Run() {
  output_ = Global("output", "SEIMBANG_OUTPUT", "table");
  if (output_ != "table" && output_ != "json" && output_ != "csv" && output_ != "yaml") {
    throw UsageError{T("err.output")};
  }
  // Each command of the table (Commands()) by its path, and the member that runs it.
  static const auto* handlers =
      new std::map<std::string, int (Cli::*)()>{{"token", &Cli::Token_},
                                                {"import", &Cli::Import},
                                                {"employees get", &Cli::Employees},
                                                {"employees list", &Cli::Employees},
                                                {"employees history", &Cli::EmployeeHistory},
                                                {"agencies list", &Cli::Agencies},
                                                {"agencies show", &Cli::AgencyShow},
                                                {"units show", &Cli::UnitShow},
                                                {"units list", &Cli::Units},
                                                {"positions show", &Cli::PositionShow},
                                                {"positions list", &Cli::Positions},
                                                {"workloads list", &Cli::Workloads},
                                                {"signals list", &Cli::Signals},
                                                {"preferences list", &Cli::Preferences},
                                                {"audit list", &Cli::Audit},
                                                {"analysis run", &Cli::AnalysisRun},
                                                {"analysis show", &Cli::AnalysisShow},
                                                {"analysis list", &Cli::AnalysisList},
                                                {"analysis compare", &Cli::AnalysisCompare},
                                                {"policy create", &Cli::Policy},
                                                {"policy show", &Cli::Policy},
                                                {"policy list", &Cli::PolicyList},
                                                {"plan create", &Cli::PlanCreateOrRevise},
                                                {"plan revise", &Cli::PlanCreateOrRevise},
                                                {"plan list", &Cli::PlanList},
                                                {"plan show", &Cli::PlanShow},
                                                {"plan moves", &Cli::PlanMoves},
                                                {"plan explain", &Cli::PlanExplain},
                                                {"plan compare", &Cli::PlanCompare},
                                                {"plan submit", &Cli::PlanTransition},
                                                {"plan approve", &Cli::PlanTransition},
                                                {"plan reject", &Cli::PlanTransition},
                                                {"plan cancel", &Cli::PlanTransition},
                                                {"plan execute", &Cli::PlanExecute},
                                                {"plan export", &Cli::PlanExport},
                                                {"plan decrees", &Cli::PlanDecrees},
                                                {"plan story", &Cli::PlanStory},
                                                {"objection file", &Cli::Objection},
                                                {"objection resolve", &Cli::Objection},
                                                {"objection list", &Cli::Objection},
                                                {"projection run", &Cli::ProjectionRun},
                                                {"projection get", &Cli::ProjectionGet},
                                                {"projection list", &Cli::ProjectionList},
                                                {"projection formasi", &Cli::ProjectionFormasi},
                                                {"me", &Cli::Me},
                                                {"report", &Cli::Report}};
  const std::string& cmd = args_.words[0];
  const std::string path = args_.command_words > 1 ? absl::StrCat(cmd, " ", args_.words[1]) : cmd;
  if (auto h = handlers->find(path); h != handlers->end()) return (this->*h->second)();
  throw UsageError{T("parse.unknown_command", cmd)};
}

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                               const std::map<std::string, std::string>& env) {
  Args a;
  std::string bad_lang, problem;
  a.lang = LangOf(argv, env, bad_lang);
  if (!bad_lang.empty()) return absl::InvalidArgumentError(Text(a.lang, "err.lang", bad_lang));
  if (!Parse(argv, a, problem)) return absl::InvalidArgumentError(problem);
  return a;
}

int RunCli(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err, bool terminal) {
  Args a;
  std::string bad_lang, problem;
  a.lang = LangOf(argv, env, bad_lang);
  const Lang lang = a.lang;
  if (!bad_lang.empty()) {
    err << "seimbangctl: " << Text(lang, "err.lang", bad_lang) << "\n" << UsageOf(lang, {}, 0);
    return kExitUsage;
  }
  if (!Parse(argv, a, problem)) {
    err << "seimbangctl: " << problem << "\n" << UsageOf(lang, a.words, a.command_words);
    return kExitUsage;
  }
  if (a.switches.count("version")) {
    out << "seimbangctl " << SEIMBANG_VERSION << "\n";
    return kExitOk;
  }
  const bool help_command = !a.words.empty() && a.words[0] == "help";
  if (a.words.empty() || help_command || a.switches.count("help")) {
    std::vector<std::string> topic(a.words.begin() + (help_command ? 1 : 0), a.words.end());
    if (!help_command) topic.resize(std::min(topic.size(), a.command_words));
    if (a.words.empty() && !a.switches.count("help")) {
      err << "seimbangctl: " << Text(lang, "parse.no_command") << "\n" << UsageOf(lang, {}, 0);
      return kExitUsage;
    }
    if (topic.empty() && help_command && a.switches.count("help")) topic = {"help"};
    if (topic.empty()) {
      PrintToolHelp(lang, out);
      return kExitOk;
    }
    std::string path = absl::StrJoin(topic, " ");
    if (CommandsUnder(path).empty()) {
      err << "seimbangctl: " << Text(lang, "parse.unknown_command", path) << "\n"
          << UsageOf(lang, {"help"}, 1);
      return kExitUsage;
    }
    PrintCommandHelp(lang, path, out);
    return kExitOk;
  }
  try {
    Cli cli(a, env, out, err, terminal);
    return cli.Run();
  } catch (const UsageError& u) {
    err << "seimbangctl: " << u.message << "\n" << UsageOf(lang, a.words, a.command_words);
    return kExitUsage;
  } catch (const ExitNow& e) {
    return e.code;
  }
}

}  // namespace seimbang::ctl
