// seimbangctl plan decrees PLAN_ID --out DIR: decree drafts (SK mutasi) of a plan, one per
// move and one collective SK with its attachment, as printable HTML or text, from the
// mustache templates of decree.{h,cc} (compiled in, or the agency's own in --template-dir).
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/seimbangctl/cli_internal.h"
#include "tools/seimbangctl/decree.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace tv1 = seimbang::transfer::v1;

namespace {

struct DecreeTemplates {
  std::string move, collective;
};

// Both templates of the format, each checked: the first problem, in words.
absl::StatusOr<DecreeTemplates> LoadDecreeTemplates(const std::string& dir, decree::Format f,
                                                    Lang lang) {
  const bool html = f == decree::Format::kHtml;
  const std::string names[2] = {html ? decree::kMoveHtml : decree::kMoveText,
                                html ? decree::kCollectiveHtml : decree::kCollectiveText};
  std::string texts[2];
  for (int i = 0; i < 2; ++i) {
    auto text = decree::LoadTemplate(dir, names[i], lang);
    if (!text.ok()) return text.status();
    if (auto st = decree::CheckTemplate(names[i], *text, lang); !st.ok()) return st;
    texts[i] = *std::move(text);
  }
  return DecreeTemplates{texts[0], texts[1]};
}

// decree.json of the template directory; empty settings when there is none.
absl::StatusOr<decree::Settings> LoadDecreeSettings(const std::string& dir, Lang lang) {
  if (dir.empty()) return decree::Settings{};
  std::ifstream in(absl::StrCat(dir, "/", decree::kSettingsFile), std::ios::binary);
  if (!in.is_open()) return decree::Settings{};
  std::ostringstream text;
  text << in.rdbuf();
  return decree::ParseSettings(text.str(), lang);
}

decree::Date DateOf(const seimbang::common::v1::Date& d) { return {d.year(), d.month(), d.day()}; }

// The day in WITA (UTC+8), where the agencies are; unknown for 0.
decree::Date DateOfMs(int64_t ms) {
  if (ms <= 0) return {};
  const absl::CivilDay day =
      absl::ToCivilDay(absl::FromUnixMillis(ms), absl::FixedTimeZone(8 * 3600));
  return {static_cast<int>(day.year()), day.month(), day.day()};
}

decree::AgencyKind KindOf(pv1::AgencyKind k) {
  switch (k) {
    case pv1::AGENCY_KIND_CITY:
      return decree::AgencyKind::kCity;
    case pv1::AGENCY_KIND_REGENCY:
      return decree::AgencyKind::kRegency;
    case pv1::AGENCY_KIND_PROVINCE:
      return decree::AgencyKind::kProvince;
    default:
      return decree::AgencyKind::kOther;
  }
}

// "Bidang Bina Marga, Dinas Pekerjaan Umum": the unit and its parents up to the root.
std::string UnitPath(int64_t id, const std::string& fallback,
                     const std::map<int64_t, const pv1::Unit*>& units) {
  std::vector<std::string> names;
  std::set<int64_t> seen;
  for (int64_t at = id; at != 0 && seen.insert(at).second && names.size() < 12;) {
    auto it = units.find(at);
    if (it == units.end()) break;
    names.push_back(it->second->name());
    at = it->second->parent_id();
  }
  if (names.empty()) return fallback.empty() ? absl::StrCat(id) : fallback;
  return absl::StrJoin(names, ", ");
}

struct Lookups {
  std::map<std::string, pv1::Employee> employees;
  std::map<std::string, std::string> positions;  // code -> name
  std::map<int64_t, const pv1::Unit*> units;
};

decree::Move MoveInWords(const tv1::Move& m, const Lookups& l) {
  decree::Move d;
  d.id = m.id();
  d.nip = m.nip();
  d.name = m.employee_name();
  if (auto e = l.employees.find(m.nip()); e != l.employees.end()) {
    d.name = e->second.name();
    d.rank = e->second.rank();
    d.pppk = e->second.employment_type() == pv1::EMPLOYMENT_TYPE_PPPK;
  }
  auto position = [&](const std::string& code) {
    auto p = l.positions.find(code);
    return p == l.positions.end() ? code : p->second;
  };
  auto unit = [&](int64_t id, const std::string& fallback) {
    auto u = l.units.find(id);
    return u == l.units.end() ? (fallback.empty() ? absl::StrCat(id) : fallback)
                              : u->second->name();
  };
  d.from_position_code = m.from_position_code();
  d.from_position = position(m.from_position_code());
  d.from_unit = unit(m.from_unit_id(), m.from_unit_name());
  d.from_unit_path = UnitPath(m.from_unit_id(), m.from_unit_name(), l.units);
  d.to_position_code = m.to_position_code();
  d.to_position = position(m.to_position_code());
  d.to_unit = unit(m.to_unit_id(), m.to_unit_name());
  d.to_unit_path = UnitPath(m.to_unit_id(), m.to_unit_name(), l.units);
  d.summary = m.summary();
  return d;
}

// The file stem of each move: its id made safe, unique within the plan and never the
// collective's ("kolektif").
std::vector<std::string> FileStems(const std::vector<decree::Move>& moves) {
  std::set<std::string> used = {"kolektif"};
  std::vector<std::string> out;
  for (const auto& m : moves) {
    std::string stem = decree::FileStem(m.id);
    for (int n = 2; used.count(stem); ++n) stem = absl::StrCat(decree::FileStem(m.id), "_", n);
    used.insert(stem);
    out.push_back(stem);
  }
  return out;
}

bool WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  return static_cast<bool>(f);
}

}  // namespace

// The plan, its agency and its moves in words; exits through RpcError on a failed call.
void Cli::DecreeInputs(const std::string& plan_id, decree::Plan& plan,
                       std::vector<decree::Move>& moves) {
  tv1::GetPlanResponse got;
  grpc::Status st;
  if (!GetPlan(plan_id, got, st)) throw ExitNow{RpcError("GetPlan", st)};
  const tv1::PlanSummary& p = got.plan();
  plan = decree::Plan{};
  plan.id = p.id();
  plan.analysis_run_id = p.analysis_run_id();
  plan.state_word = Word_(tv1::PlanState_Name(p.state()), "PLAN_STATE_");
  plan.revision = p.revision();
  plan.created = DateOfMs(p.create_time_ms());
  plan.effective = DateOf(p.effective_date());
  plan.agency_code = p.agency_code();
  plan.approved = DateOfMs(p.approve_time_ms());
  plan.policy_id = p.policy_id();
  plan.policy_version = p.policy_version();
  pv1::GetAgencyRequest areq;
  areq.set_code(p.agency_code());
  pv1::GetAgencyResponse aresp;
  auto ctx = Ctx();
  st = Personnel().GetAgency(ctx.get(), areq, &aresp);
  if (!st.ok()) throw ExitNow{RpcError("GetAgency", st)};
  plan.agency_name = aresp.agency().name();
  plan.agency_kind = KindOf(aresp.agency().kind());
  std::vector<tv1::Move> raw;
  if (!AllMoves(plan_id, false, raw, st)) throw ExitNow{RpcError("ListMoves", st)};
  std::vector<pv1::Unit> units;
  if (!AllUnits(p.agency_code(), units, st)) throw ExitNow{RpcError("ListUnits", st)};
  std::vector<pv1::Position> positions;
  if (!AllPositions(positions, st)) throw ExitNow{RpcError("ListPositions", st)};
  std::vector<std::string> nips;
  for (const auto& m : raw) nips.push_back(m.nip());
  Lookups l;
  if (!EmployeesByNip(nips, l.employees, st)) throw ExitNow{RpcError("BatchGetEmployees", st)};
  for (const auto& u : units) l.units[u.id()] = &u;
  for (const auto& pos : positions) l.positions[pos.code()] = pos.name();
  for (const auto& m : raw) {
    if (!l.employees.count(m.nip())) err_ << T("decree.warn_employee", m.nip(), m.id()) << "\n";
    moves.push_back(MoveInWords(m, l));
  }
}

// The settings flags; empty fields where a flag is not given.
decree::Settings Cli::DecreeFlags() const {
  decree::Settings s;
  s.number = Flag("number");
  s.place = Flag("place");
  s.signer_title = Flag("signer-title");
  s.signer_name = Flag("signer-name");
  s.signer_nip = Flag("signer-nip");
  for (absl::string_view c : absl::StrSplit(Flag("copy-to"), ';', absl::SkipWhitespace())) {
    s.copies.push_back(std::string(absl::StripAsciiWhitespace(c)));
  }
  return s;
}

// The signing official of the plan's policy version, as settings; exits through RpcError.
decree::Settings Cli::PolicySigner(const decree::Plan& plan) {
  tv1::GetPolicyRequest req;
  req.set_id(plan.policy_id);
  req.set_version(plan.policy_version);
  tv1::GetPolicyResponse resp;
  auto ctx = Ctx();
  const grpc::Status st = Transfer().GetPolicy(ctx.get(), req, &resp);
  if (!st.ok()) throw ExitNow{RpcError("GetPolicy", st)};
  const tv1::SigningOfficial& o = resp.policy().signing_official();
  decree::Settings s;
  s.signer_name = o.name();
  s.signer_nip = o.nip();
  s.signer_title = o.title();
  s.signer_rank = o.rank();
  return s;
}

int Cli::PlanDecrees() {
  const std::string plan_id = Word(2, "PLAN_ID");
  const std::string dir = Required("out");
  const std::string format = Flag("format", "html");
  if (format != "html" && format != "text") throw UsageError{T("err.decree_format", format)};
  const decree::Format f = format == "html" ? decree::Format::kHtml : decree::Format::kText;
  const std::string ext = format == "html" ? ".html" : ".txt";
  const std::string template_dir = Flag("template-dir");
  // Templates and settings are checked before anything is fetched.
  auto templates = LoadDecreeTemplates(template_dir, f, lang_);
  auto file_settings = LoadDecreeSettings(template_dir, lang_);
  for (const absl::Status& st : {templates.status(), file_settings.status()}) {
    if (st.ok()) continue;
    err_ << "seimbangctl: " << st.message() << "\n";
    return kExitUsage;
  }
  decree::Plan plan;
  std::vector<decree::Move> moves;
  DecreeInputs(plan_id, plan, moves);
  const decree::Settings s =
      decree::Resolve(plan, PolicySigner(plan), *file_settings, DecreeFlags());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto write = [&](const std::string& path, const absl::StatusOr<std::string>& text) {
    if (!text.ok()) {
      err_ << "seimbangctl: " << text.status().message() << "\n";
      throw ExitNow{kExitError};
    }
    if (!WriteText(path, *text)) {
      err_ << "seimbangctl: " << T("err.cannot_write", path) << "\n";
      throw ExitNow{kExitError};
    }
  };
  size_t written = 0;
  const std::vector<std::string> stems = FileStems(moves);
  for (size_t i = 0; i < moves.size() && !Switch("collective-only"); ++i) {
    const std::string path = absl::StrCat(dir, "/sk_", stems[i], ext);
    write(path, decree::RenderMove(templates->move, f, plan, s, moves[i], lang_));
    ++written;
    if (written % 100 == 0) Progress("decrees", "", written, moves.size());
  }
  EndProgress();
  const std::string collective = absl::StrCat(dir, "/sk_kolektif", ext);
  write(collective, decree::RenderCollective(templates->collective, f, plan, s, moves, lang_));
  if (output_ == "table") {
    out_ << T("decree.wrote", written, dir) << "\n"
         << T("decree.wrote_collective", collective, moves.size()) << "\n";
  }
  return kExitOk;
}

}  // namespace seimbang::ctl
