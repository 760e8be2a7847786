// seimbangctl's lists (and shows) of the resources that have a List RPC and no command group of
// their own: agencies, units (show), positions, an employee's placement history, workloads,
// demand signals, preferences and the audit log of each service.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/proto_convert/position.h"
#include "tools/seimbangctl/cli_internal.h"

namespace seimbang::ctl {
namespace pv1 = seimbang::personnel::v1;
namespace wv1 = seimbang::workload::v1;
namespace tv1 = seimbang::transfer::v1;
namespace cv1 = seimbang::common::v1;

namespace {

std::string MonthText(const cv1::YearMonth& m) {
  return m.year() == 0 ? "" : absl::StrCat(m.year(), "-", m.month() < 10 ? "0" : "", m.month());
}

std::string UnitIds(const google::protobuf::RepeatedField<int64_t>& ids) {
  return absl::StrJoin(ids, " ");
}

}  // namespace

// A functional level in words; "" for none (a position that is not functional).
std::string Cli::LevelWord(int level) const {
  if (level == pv1::FUNCTIONAL_LEVEL_NONE || level == pv1::FUNCTIONAL_LEVEL_UNSPECIFIED) return "";
  return Word_(pv1::FunctionalLevel_Name(level), "FUNCTIONAL_LEVEL_");
}

std::string WitaTime(int64_t unix_ms) {
  if (unix_ms == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(unix_ms),
                          absl::FixedTimeZone(8 * 3600)) +
         " WITA";
}

// agencies list: every agency the caller may see (admin, service), or the caller's own.
int Cli::Agencies() {
  pv1::ListAgenciesRequest req;
  req.set_province_code(Flag("province"));
  return ListRpc("ListAgencies", Table{{"agency", "name", "province"}, {}}, &Cli::Personnel,
                 &PersonnelStub::ListAgencies, req,
                 [&](const pv1::ListAgenciesResponse& resp, Table& t) {
                   for (const auto& a : resp.agencies()) {
                     t.rows.push_back({a.code(), a.name(), a.province_code()});
                   }
                 });
}

// agencies show CODE: one agency.
int Cli::AgencyShow() {
  pv1::GetAgencyRequest req;
  req.set_code(Word(2, "CODE"));
  const auto resp = CallOrExit("GetAgency", &Cli::Personnel, &PersonnelStub::GetAgency, req);
  const auto& a = resp.agency();
  Emit(resp, Table{{"field", "value"},
                   {{"agency", a.code()},
                    {"name", a.name()},
                    {"kind", Word_(pv1::AgencyKind_Name(a.kind()), "AGENCY_KIND_")},
                    {"province", a.province_code()}}});
  return kExitOk;
}

// units show U [--agency A]: one unit (by id, or by name within the agency) with its parent.
int Cli::UnitShow() {
  const std::string agency = Flag("agency");
  pv1::GetUnitRequest req;
  req.set_id(ResolveUnit(agency, Word(2, "UNIT")));
  const auto resp = CallOrExit("GetUnit", &Cli::Personnel, &PersonnelStub::GetUnit, req);
  const auto& u = resp.unit();
  std::map<int64_t, std::string> names;
  if (u.parent_id() != 0 && output_ != "json" && output_ != "yaml") {
    names = UnitNames(u.agency_code());
  }
  Emit(resp, Table{{"field", "value"},
                   {{"unit_id", absl::StrCat(u.id())},
                    {"unit_name", u.name()},
                    {"kind", Word_(pv1::UnitKind_Name(u.kind()), "UNIT_KIND_")},
                    {"agency", u.agency_code()},
                    {"parent_id", u.parent_id() == 0 ? "" : absl::StrCat(u.parent_id())},
                    {"parent_name", names[u.parent_id()]},
                    {"kecamatan", u.kecamatan()},
                    {"active", u.active() ? T("word.yes") : T("word.no")},
                    {"external_id", u.external_id()}}});
  return kExitOk;
}

// positions show CODE: one position of the catalogue with its rank band and education.
int Cli::PositionShow() {
  pv1::GetPositionRequest req;
  req.set_code(Word(2, "CODE"));
  const auto resp = CallOrExit("GetPosition", &Cli::Personnel, &PersonnelStub::GetPosition, req);
  const auto& p = resp.position();
  Emit(resp,
       Table{{"field", "value"},
             {{"position", p.code()},
              {"name", p.name()},
              {"kind", Word_(pv1::PositionKind_Name(p.kind()), "POSITION_KIND_")},
              {"level", LevelWord(p.level())},
              {"job_family", FamilyWord(lang_, p.job_family())},
              {"rank_min", p.rank_min()},
              {"rank_max", p.rank_max()},
              {"min_education",
               Word_(pv1::EducationLevel_Name(p.min_education()), "EDUCATION_LEVEL_")},
              {"retirement_age", p.retirement_age() > 0 ? absl::StrCat(p.retirement_age())
                                                        : T("position.bup_default",
                                                            proto_convert::RetirementAge(p))}}});
  return kExitOk;
}

// positions list: the shared position catalogue, by job family.
int Cli::Positions() {
  pv1::ListPositionsRequest req;
  req.set_job_family(FamilyFlag());
  return ListRpc("ListPositions", Table{{"position", "name", "kind", "level", "job_family"}, {}},
                 &Cli::Personnel, &PersonnelStub::ListPositions, req,
                 [&](const pv1::ListPositionsResponse& resp, Table& t) {
                   for (const auto& p : resp.positions()) {
                     t.rows.push_back({p.code(), p.name(),
                                       Word_(pv1::PositionKind_Name(p.kind()), "POSITION_KIND_"),
                                       LevelWord(p.level()), FamilyWord(lang_, p.job_family())});
                   }
                 });
}

// employees history NIP: where the person served, newest first.
int Cli::EmployeeHistory() {
  pv1::ListPlacementHistoryRequest req;
  req.set_nip(Word(2, "NIP"));
  return ListRpc(
      "ListPlacementHistory",
      Table{{"effective_date", "reason", "from_unit_id", "from_position", "to_unit_id",
             "to_position", "decree_number", "plan_id"},
            {}},
      &Cli::Personnel, &PersonnelStub::ListPlacementHistory, req,
      [&](const pv1::ListPlacementHistoryResponse& resp, Table& t) {
        for (const auto& p : resp.placements()) {
          t.rows.push_back({DateText(p.effective_date()),
                            Word_(pv1::PlacementReason_Name(p.reason()), "PLACEMENT_REASON_"),
                            p.from_unit_id() == 0 ? "" : absl::StrCat(p.from_unit_id()),
                            p.from_position_code(), absl::StrCat(p.to_unit_id()),
                            p.to_position_code(), p.decree_number(), p.plan_id()});
        }
      });
}

template <typename Req, typename Resp, typename Items, typename Row>
int Cli::WorkloadUnitList(const std::string& rpc, std::vector<std::string> header,
                          Method<WorkloadStub, Req, Resp> method, Items items, Row row) {
  Req req;
  req.set_agency_code(Flag("agency"));
  req.set_unit_id(ResolveUnit(req.agency_code(), Flag("unit")));
  return ListRpc(rpc, Table{std::move(header), {}}, &Cli::Workload, method, req,
                 [&](const Resp& resp, Table& t) {
                   for (const auto& item : items(resp)) t.rows.push_back(row(item));
                 });
}

// workloads list: the task lists (uraian tugas) of the agency's unit x positions.
int Cli::Workloads() {
  return WorkloadUnitList(
      "ListWorkloads", {"unit_id", "position", "tasks", "first_task"}, &WorkloadStub::ListWorkloads,
      [](const wv1::ListWorkloadsResponse& resp) -> const auto& { return resp.workloads(); },
      [](const wv1::Workload& w) {
        return std::vector<std::string>{absl::StrCat(w.unit_id()), w.position_code(),
                                        absl::StrCat(w.tasks_size()),
                                        w.tasks_size() == 0 ? "" : w.tasks(0).name()};
      });
}

// signals list: the demand signals (complaints, requests, projects) per unit and month.
int Cli::Signals() {
  return WorkloadUnitList(
      "ListDemandSignals", {"unit_id", "month", "kind", "count"}, &WorkloadStub::ListDemandSignals,
      [](const wv1::ListDemandSignalsResponse& resp) -> const auto& { return resp.signals(); },
      [&](const wv1::DemandSignal& s) {
        return std::vector<std::string>{absl::StrCat(s.unit_id()), MonthText(s.month()),
                                        Word_(wv1::SignalKind_Name(s.kind()), "SIGNAL_KIND_"),
                                        absl::StrCat(s.count())};
      });
}

// preferences list: the agency's employees' placement preferences.
int Cli::Preferences() {
  tv1::ListPreferencesRequest req;
  req.set_agency_code(Flag("agency"));
  req.set_nip(Flag("nip"));
  return ListRpc(
      "ListPreferences",
      Table{{"nip", "preferred_unit_ids", "avoided_unit_ids", "valid_until", "reason"}, {}},
      &Cli::Transfer, &TransferStub::ListPreferences, req,
      [&](const tv1::ListPreferencesResponse& resp, Table& t) {
        for (const auto& p : resp.preferences()) {
          t.rows.push_back({p.nip(), UnitIds(p.preferred_unit_ids()), UnitIds(p.avoided_unit_ids()),
                            DateText(p.valid_until()), p.reason()});
        }
      });
}

// One service's audit log: the three services share the event, each has its own messages.
template <typename Req, typename Resp, typename Stub>
int Cli::AuditOf(Stub& stub) {
  return ListPages<Resp>(
      "ListAuditEvents",
      Table{{"time", "subject", "role", "method", "resource", "request_id", "agency"}, {}},
      [&](int32_t size, const std::string& token, Resp& resp) {
        Req req;
        req.set_method(Flag("method"));
        SetPage(req, size, token);
        auto ctx = Ctx();
        return stub.ListAuditEvents(ctx.get(), req, &resp);
      },
      [&](const Resp& resp, Table& t) {
        for (const auto& e : resp.events()) {
          t.rows.push_back({WitaTime(e.time_ms()), e.subject(), e.role(), e.method(), e.resource(),
                            e.request_id(), e.agency_code()});
        }
      });
}

// audit list --service S: one service's audit log, oldest first (each service keeps its own).
int Cli::Audit() {
  const std::string service = Required("service");
  if (service == "personnel") {
    return AuditOf<pv1::ListAuditEventsRequest, pv1::ListAuditEventsResponse>(Personnel());
  }
  if (service == "workload") {
    return AuditOf<wv1::ListAuditEventsRequest, wv1::ListAuditEventsResponse>(Workload());
  }
  if (service == "transfer") {
    return AuditOf<tv1::ListAuditEventsRequest, tv1::ListAuditEventsResponse>(Transfer());
  }
  throw UsageError{T("err.audit_service", service)};
}

}  // namespace seimbang::ctl
