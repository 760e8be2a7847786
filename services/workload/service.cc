#include "services/workload/service.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/auth/audit.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/idempotency/idempotency.h"
#include "common/paging/page_token.h"
#include "common/server/allocator.h"
#include "common/server/channel.h"
#include "services/workload/abk/abk.h"
#include "services/workload/convert.h"
#include "services/workload/digest.h"
#include "services/workload/permissions.h"
#include "services/workload/validation.h"

namespace seimbang::workload {

namespace ppb = ::seimbang::personnel::v1;
namespace cpb = ::seimbang::common::v1;

#define WL_RETURN_IF_ERROR(expr) \
  do {                           \
    absl::Status _st = (expr);   \
    if (!_st.ok()) return _st;   \
  } while (0)

#define WL_ASSIGN_OR_RETURN(lhs, expr)          \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto lhs = *std::move(lhs##_or)

struct WorkloadService::Gauges {
  prometheus::Family<prometheus::Gauge>* balanced_share;
  prometheus::Family<prometheus::Gauge>* ej_cv;
  prometheus::Family<prometheus::Gauge>* surplus;
  prometheus::Family<prometheus::Gauge>* deficit;
  prometheus::Family<prometheus::Gauge>* robin_hood;
};

namespace {

absl::Status Invalid(const Violations& violations) { return errors::InvalidArgument(violations); }

absl::Status InvalidField(std::string field, std::string description) {
  return errors::InvalidArgument({{std::move(field), std::move(description)}});
}

// What a page token of `rpc` is bound to: the RPC and who asks; each List RPC adds its filters.
paging::PageQuery PageQueryOf(std::string_view rpc, const auth::Caller& c) {
  paging::PageQuery q(absl::StrCat("/seimbang.workload.v1.WorkloadAnalysisService/",
                                   absl::string_view(rpc.data(), rpc.size())));
  q.Scope(auth::RoleName(c.claims.role), c.claims.agency, c.claims.nip, c.claims.subject);
  return q;
}

bool SpansAllAgencies(const auth::Caller& caller) {
  return caller.claims.role == auth::Role::kAdmin || caller.claims.role == auth::Role::kService;
}

// Agency filter of a List RPC: required unless the caller spans all agencies.
absl::Status CheckListAgency(const auth::Caller& caller, const std::string& agency) {
  if (agency.empty()) {
    if (SpansAllAgencies(caller)) return absl::OkStatus();
    return InvalidField("agency_code", "agency_code is required");
  }
  return auth::CheckAgencyScope(caller, agency);
}

// Personnel failures: unreachable is UNAVAILABLE for our caller too; the rest keep their code.
absl::Status PersonnelError(const absl::Status& status) {
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    return absl::UnavailableError(
        absl::StrCat("personnel service unavailable: ", status.message()));
  }
  return absl::Status(status.code(), absl::StrCat("personnel: ", status.message()));
}

AuditRecord Audit(const auth::Caller& caller, const grpc::ServerContext& ctx, std::string_view rpc,
                  std::string resource, const std::string& request_id, std::string agency) {
  auth::AuditActor who =
      auth::AuditActorOf(caller, MethodPath(rpc), request_id, server::IncomingRequestId(ctx));
  AuditRecord r;
  r.time_ms = db::NowUnixMillis();
  r.subject = std::move(who.subject);
  r.role = std::move(who.role);
  r.method = std::move(who.method);
  r.resource = std::move(resource);
  r.request_id = std::move(who.request_id);
  r.agency_code = std::move(agency);
  return r;
}

std::string NewRunId() {
  absl::BitGen gen;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(gen), absl::kZeroPad16));
}

absl::StatusOr<int64_t> ParseInt(const std::string& s) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(s, &v)) {
    return InvalidField(paging::kPageTokenField, "is not a valid page token");
  }
  return v;
}

std::string WorkloadResource(int64_t unit_id, const std::string& code) {
  return absl::StrCat("unit/", unit_id, "/position/", code);
}

// Checks unit and position against personnel, caching answers for one call.
class PersonnelCheck {
 public:
  PersonnelCheck(PersonnelDirectory& dir, std::string token, const auth::Caller& caller)
      : dir_(dir), token_(std::move(token)), caller_(caller) {}

  // OK when `unit_id` is a unit of `agency`. A unit of an agency the caller may not act on is
  // PERMISSION_DENIED, as reading it would be (issue 15 item 3); an unknown unit, or one of
  // another agency for a caller spanning agencies, INVALID_ARGUMENT naming `field`.
  absl::Status CheckUnit(const std::string& agency, int64_t unit_id, const std::string& field) {
    auto unit_it = units_.find(unit_id);
    if (unit_it == units_.end())
      unit_it = units_.emplace(unit_id, dir_.GetUnit(unit_id, token_)).first;
    const absl::StatusOr<ppb::Unit>& unit = unit_it->second;
    if (!unit.ok()) {
      if (absl::IsNotFound(unit.status())) {
        return InvalidField(field, absl::StrCat("unit ", unit_id, " does not exist in personnel"));
      }
      return PersonnelError(unit.status());
    }
    if (unit->agency_code() != agency) {
      WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller_, unit->agency_code()));
      return InvalidField(field, absl::StrCat("unit ", unit_id, " belongs to agency ",
                                              unit->agency_code(), ", not ", agency));
    }
    return absl::OkStatus();
  }

  // The job family of the position, or INVALID_ARGUMENT / PERMISSION_DENIED / UNAVAILABLE.
  // `prefix` names the fields ("workload." or "").
  absl::StatusOr<std::string> Check(const std::string& agency, int64_t unit_id,
                                    const std::string& code, const std::string& prefix) {
    WL_RETURN_IF_ERROR(CheckUnit(agency, unit_id, prefix + "unit_id"));
    auto pos_it = positions_.find(code);
    if (pos_it == positions_.end())
      pos_it = positions_.emplace(code, dir_.GetPosition(code, token_)).first;
    const absl::StatusOr<ppb::Position>& position = pos_it->second;
    if (!position.ok()) {
      if (absl::IsNotFound(position.status())) {
        return InvalidField(prefix + "position_code",
                            absl::StrCat("position ", code, " does not exist in personnel"));
      }
      return PersonnelError(position.status());
    }
    return position->job_family();
  }

 private:
  PersonnelDirectory& dir_;
  std::string token_;
  const auth::Caller& caller_;
  std::map<int64_t, absl::StatusOr<ppb::Unit>> units_;
  std::map<std::string, absl::StatusOr<ppb::Position>> positions_;
};

cpb::Progress Progress(std::string stage, std::string message, int64_t done, int64_t total,
                       absl::Time start) {
  cpb::Progress p;
  p.set_stage(std::move(stage));
  p.set_message(std::move(message));
  p.set_done(done);
  p.set_total(total);
  p.set_elapsed_ms(absl::ToInt64Milliseconds(absl::Now() - start));
  return p;
}

}  // namespace

// ------------------------------------------------------------------ plumbing

WorkloadService::WorkloadService(db::Pool& pool, std::unique_ptr<PersonnelDirectory> personnel,
                                 WorkloadServiceOptions options)
    : pool_(pool), personnel_(std::move(personnel)), options_(std::move(options)) {}

WorkloadService::~WorkloadService() = default;

void WorkloadService::RegisterGauges(prometheus::Registry& registry) {
  auto family = [&registry](const std::string& name, const std::string& help) {
    return &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
  };
  auto gauges = std::make_unique<Gauges>();
  gauges->balanced_share =
      family("seimbang_workload_balanced_share",
             "Share of staffed positions with EJ in the balanced band, latest run");
  gauges->ej_cv = family("seimbang_workload_ej_cv",
                         "Staff-weighted coefficient of variation of EJ, latest run");
  gauges->surplus = family("seimbang_workload_surplus", "Total surplus headcount, latest run");
  gauges->deficit = family("seimbang_workload_deficit", "Total deficit headcount, latest run");
  gauges->robin_hood =
      family("seimbang_workload_robin_hood_index", "Minimum share of staff to move, latest run");
  {
    absl::MutexLock lock(&gauges_mu_);
    gauges_ = std::move(gauges);
  }
  // Seed from stored runs (oldest first, so the newest per agency wins).
  absl::StatusOr<db::PooledConnection> conn = pool_.Acquire();
  if (!conn.ok()) return;
  int64_t before = 0;
  std::vector<pb::AnalysisSummary> latest;
  std::map<std::string, bool> seen;
  while (true) {
    absl::StatusOr<std::vector<StoredRun>> runs =
        WorkloadRepository::ListRuns(conn->get(), "", before, 1000);
    if (!runs.ok() || runs->empty()) break;
    for (const StoredRun& run : *runs) {
      if (!seen[run.summary.agency_code()]) {
        seen[run.summary.agency_code()] = true;
        latest.push_back(run.summary);
      }
    }
    before = runs->back().pk;
  }
  for (const pb::AnalysisSummary& s : latest) PublishGauges(s);
}

void WorkloadService::PublishGauges(const pb::AnalysisSummary& s) {
  absl::MutexLock lock(&gauges_mu_);
  if (gauges_ == nullptr) return;
  const std::map<std::string, std::string> labels = {{"agency", s.agency_code()}};
  gauges_->balanced_share->Add(labels).Set(s.balanced_share());
  gauges_->ej_cv->Add(labels).Set(s.ej_cv());
  gauges_->surplus->Add(labels).Set(s.total_surplus());
  gauges_->deficit->Add(labels).Set(s.total_deficit());
  gauges_->robin_hood->Add(labels).Set(s.robin_hood_index());
}

std::string WorkloadService::PersonnelToken(const grpc::ServerContext& ctx) const {
  if (!options_.service_token.empty()) return options_.service_token;
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  absl::string_view value(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&value, "Bearer ")) absl::ConsumePrefix(&value, "bearer ");
  return std::string(value);
}

absl::StatusOr<std::pair<pb::Settings, bool>> WorkloadService::LoadSettings(
    const std::string& agency_code) {
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(stored, WorkloadRepository::GetSettings(conn.get(), agency_code));
  if (stored.has_value()) return std::make_pair(*std::move(stored), false);
  return std::make_pair(DefaultSettings(agency_code), true);
}

#define WL_HANDLER(Name, Req, Resp)                                                \
  grpc::Status WorkloadService::Name(grpc::ServerContext* ctx, const pb::Req* req, \
                                     pb::Resp* resp) {                             \
    return errors::ToGrpcStatus(Do##Name(*ctx, *req, *resp));                      \
  }
WL_HANDLER(UpsertWorkload, UpsertWorkloadRequest, UpsertWorkloadResponse)
WL_HANDLER(GetWorkload, GetWorkloadRequest, GetWorkloadResponse)
WL_HANDLER(ListWorkloads, ListWorkloadsRequest, ListWorkloadsResponse)
WL_HANDLER(RecordDemandSignals, RecordDemandSignalsRequest, RecordDemandSignalsResponse)
WL_HANDLER(ListDemandSignals, ListDemandSignalsRequest, ListDemandSignalsResponse)
WL_HANDLER(GetSettings, GetSettingsRequest, GetSettingsResponse)
WL_HANDLER(UpdateSettings, UpdateSettingsRequest, UpdateSettingsResponse)
WL_HANDLER(GetAnalysis, GetAnalysisRequest, GetAnalysisResponse)
WL_HANDLER(ListAnalyses, ListAnalysesRequest, ListAnalysesResponse)
WL_HANDLER(CompareAnalyses, CompareAnalysesRequest, CompareAnalysesResponse)
WL_HANDLER(ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse)
#undef WL_HANDLER

grpc::Status WorkloadService::ImportWorkload(grpc::ServerContext* ctx,
                                             grpc::ServerReader<pb::ImportWorkloadRequest>* reader,
                                             pb::ImportWorkloadResponse* resp) {
  return errors::ToGrpcStatus(DoImportWorkload(*ctx, *reader, *resp));
}

grpc::Status WorkloadService::RunAnalysis(grpc::ServerContext* ctx,
                                          const pb::RunAnalysisRequest* req,
                                          grpc::ServerWriter<pb::RunAnalysisResponse>* writer) {
  grpc::Status status = errors::ToGrpcStatus(DoRunAnalysis(*ctx, *req, *writer));
  // A run's staffing, inputs and rows (tens of MB) are freed by now; hand their pages
  // back rather than let every arena keep one run's worth (issue #10).
  server::ReleaseFreeMemory();
  return status;
}

// ------------------------------------------------------------------ workloads

absl::Status WorkloadService::DoUpsertWorkload(grpc::ServerContext& ctx,
                                               const pb::UpsertWorkloadRequest& req,
                                               pb::UpsertWorkloadResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  const pb::Workload& w = req.workload();
  if (!w.agency_code().empty()) {
    WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, w.agency_code()));
  }
  WL_ASSIGN_OR_RETURN(settings, LoadSettings(w.agency_code()));
  if (Violations v = ValidateWorkload(w, settings.first); !v.empty()) return Invalid(v);

  PersonnelCheck check(*personnel_, PersonnelToken(ctx), caller);
  WL_ASSIGN_OR_RETURN(job_family,
                      check.Check(w.agency_code(), w.unit_id(), w.position_code(), "workload."));

  WL_ASSIGN_OR_RETURN(key, idempotency::KeyFor(caller, MethodPath("UpsertWorkload"), req));
  return idempotency::Run(pool_, key, resp, [&](db::Connection& conn) -> absl::Status {
    WL_ASSIGN_OR_RETURN(
        put, WorkloadRepository::PutWorkload(conn, w, job_family, w.etag(), db::NowUnixMillis()));
    *resp.mutable_workload() = put.first.workload;
    if (put.second == WriteOutcome::kUnchanged) return absl::OkStatus();
    return WorkloadRepository::InsertAudit(
        conn, Audit(caller, ctx, "UpsertWorkload", WorkloadResource(w.unit_id(), w.position_code()),
                    req.request_id(), w.agency_code()));
  });
}

absl::Status WorkloadService::DoGetWorkload(grpc::ServerContext& ctx,
                                            const pb::GetWorkloadRequest& req,
                                            pb::GetWorkloadResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.unit_id() <= 0) v.push_back({"unit_id", "unit_id must be positive"});
  if (req.position_code().empty()) v.push_back({"position_code", "position_code is required"});
  if (!v.empty()) return Invalid(v);
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(
      stored, WorkloadRepository::GetWorkload(conn.get(), req.unit_id(), req.position_code()));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workload for unit ", req.unit_id(), " position ",
                                            errors::Echo(req.position_code())));
  }
  WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, stored->workload.agency_code()));
  *resp.mutable_workload() = stored->workload;
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListWorkloads(grpc::ServerContext& ctx,
                                              const pb::ListWorkloadsRequest& req,
                                              pb::ListWorkloadsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  WL_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListWorkloads", caller);
  query.Add("agency_code", req.agency_code()).Add("unit_id", req.unit_id());
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(rows, WorkloadRepository::ListWorkloads(conn.get(), req.agency_code(),
                                                              req.unit_id(), after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (StoredWorkload& w : rows) *resp.add_workloads() = std::move(w.workload);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::Workload& last = resp.workloads(resp.workloads_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoImportWorkload(
    grpc::ServerContext& ctx, grpc::ServerReader<pb::ImportWorkloadRequest>& reader,
    pb::ImportWorkloadResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  cpb::ImportSummary& summary = *resp.mutable_summary();
  PersonnelCheck check(*personnel_, PersonnelToken(ctx), caller);
  std::map<std::string, pb::Settings> settings_cache;

  // Good rows grouped by unit × position in first-seen order; each group replaces its tasks.
  struct Group {
    std::string agency;
    int64_t unit_id;
    std::string code;
    std::string job_family;
    std::vector<pb::Task> tasks;
  };
  std::vector<Group> groups;
  std::map<std::pair<int64_t, std::string>, size_t> group_index;
  bool dry_run = false;
  pb::ImportWorkloadRequest row;
  int64_t position = 0;
  auto reject = [&summary](int64_t seq, std::string field, std::string reason, std::string key) {
    cpb::RowError* e = summary.add_errors();
    e->set_sequence(seq);
    e->set_field(std::move(field));
    e->set_reason(std::move(reason));
    e->set_natural_key(std::move(key));
  };
  while (reader.Read(&row)) {
    ++position;
    if (position == 1) dry_run = row.dry_run();
    const int64_t seq = row.sequence() > 0 ? row.sequence() : position;
    const std::string natural_key = absl::StrCat(row.unit_id(), "/", row.position_code());
    summary.set_received(summary.received() + 1);
    if (row.agency_code().empty()) {
      reject(seq, "agency_code", "agency_code is required", natural_key);
      continue;
    }
    if (absl::Status s = auth::CheckAgencyScope(caller, row.agency_code()); !s.ok()) {
      reject(seq, "agency_code", std::string(s.message()), natural_key);
      continue;
    }
    if (row.unit_id() <= 0 || row.unit_id() > kMaxUnitId) {
      reject(seq, "unit_id",
             absl::StrCat("unit_id must be between 1 and ", kMaxUnitId, ", got ", row.unit_id()),
             natural_key);
      continue;
    }
    if (row.position_code().empty()) {
      reject(seq, "position_code", "position_code is required", natural_key);
      continue;
    }
    auto settings_it = settings_cache.find(row.agency_code());
    if (settings_it == settings_cache.end()) {
      WL_ASSIGN_OR_RETURN(s, LoadSettings(row.agency_code()));
      settings_it = settings_cache.emplace(row.agency_code(), s.first).first;
    }
    if (Violations v = ValidateTask(row.task(), "task.", settings_it->second); !v.empty()) {
      reject(seq, v.front().field, v.front().description, natural_key);
      continue;
    }
    absl::StatusOr<std::string> family =
        check.Check(row.agency_code(), row.unit_id(), row.position_code(), "");
    if (!family.ok()) {
      if (absl::IsUnavailable(family.status())) return family.status();  // nothing applies
      std::vector<errors::FieldViolation> fv = errors::FieldViolationsOf(family.status());
      const bool denied = absl::IsPermissionDenied(family.status());
      reject(seq, fv.empty() ? (denied ? "unit_id" : "") : fv.front().field,
             fv.empty() ? std::string(family.status().message()) : fv.front().description,
             natural_key);
      continue;
    }
    auto [it, inserted] =
        group_index.emplace(std::make_pair(row.unit_id(), row.position_code()), groups.size());
    if (inserted) {
      groups.push_back({row.agency_code(), row.unit_id(), row.position_code(), *family, {}});
    }
    Group& g = groups[it->second];
    if (g.agency != row.agency_code()) {
      reject(seq, "agency_code",
             absl::StrCat("unit ", row.unit_id(), " position ", row.position_code(),
                          " was already imported under agency ", g.agency),
             natural_key);
      continue;
    }
    if (static_cast<int>(g.tasks.size()) >= kMaxTasks) {
      reject(seq, "task",
             absl::StrCat("unit ", row.unit_id(), " position ", row.position_code(),
                          " has more than 200 tasks"),
             natural_key);
      continue;
    }
    g.tasks.push_back(row.task());
  }
  summary.set_rejected(summary.errors_size());
  std::sort(
      summary.mutable_errors()->begin(), summary.mutable_errors()->end(),
      [](const cpb::RowError& a, const cpb::RowError& b) { return a.sequence() < b.sequence(); });

  const int64_t now = db::NowUnixMillis();
  absl::Status st = db::WithTransaction(pool_, [&](db::Connection& conn) -> absl::Status {
    int64_t inserted = 0, updated = 0, unchanged = 0;
    for (const Group& g : groups) {
      pb::Workload w;
      w.set_agency_code(g.agency);
      w.set_unit_id(g.unit_id);
      w.set_position_code(g.code);
      for (const pb::Task& t : g.tasks) *w.add_tasks() = t;
      WL_ASSIGN_OR_RETURN(
          put, WorkloadRepository::PutWorkload(conn, w, g.job_family, std::nullopt, now, dry_run));
      const int64_t n = static_cast<int64_t>(g.tasks.size());
      if (put.second == WriteOutcome::kInserted) inserted += n;
      if (put.second == WriteOutcome::kUpdated) updated += n;
      if (put.second == WriteOutcome::kUnchanged) unchanged += n;
    }
    summary.set_inserted(inserted);
    summary.set_updated(updated);
    summary.set_unchanged(unchanged);
    if (dry_run || inserted + updated == 0) return absl::OkStatus();
    return WorkloadRepository::InsertAudit(
        conn, Audit(caller, ctx, "ImportWorkload",
                    absl::StrCat("import: ", groups.size(), " workloads, ", inserted + updated,
                                 " task rows"),
                    "", groups.size() == 1 ? groups.front().agency : ""));
  });
  return st;
}

// ------------------------------------------------------------------ signals

absl::Status WorkloadService::DoRecordDemandSignals(grpc::ServerContext& ctx,
                                                    const pb::RecordDemandSignalsRequest& req,
                                                    pb::RecordDemandSignalsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  if (req.signals_size() > kMaxSignalsPerBatch) {
    return InvalidField("signals", absl::StrCat("signals has ", req.signals_size(),
                                                " entries, at most 10000 are allowed"));
  }
  Violations all;
  std::vector<pb::DemandSignal> signals;
  signals.reserve(req.signals_size());
  for (int i = 0; i < req.signals_size(); ++i) {
    Violations v = ValidateSignal(req.signals(i), absl::StrCat("signals[", i, "]."));
    all.insert(all.end(), v.begin(), v.end());
    signals.push_back(req.signals(i));
  }
  if (!all.empty()) return Invalid(all);
  std::vector<std::string> agencies;
  for (const pb::DemandSignal& s : signals) {
    if (std::find(agencies.begin(), agencies.end(), s.agency_code()) == agencies.end()) {
      agencies.push_back(s.agency_code());
      WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, s.agency_code()));
    }
  }
  // Each signal's unit must be a unit of the signal's agency: a signal is keyed by unit, so
  // one naming another agency's unit would re-tag that agency's signal (issue 15 item 3).
  // One listing per agency; only units missing from it are looked up one by one.
  {
    const std::string token = PersonnelToken(ctx);
    std::map<std::string, std::set<int64_t>> units_of;
    for (const std::string& agency : agencies) {
      absl::StatusOr<std::vector<int64_t>> ids = personnel_->ListUnitIds(agency, token);
      if (!ids.ok()) return PersonnelError(ids.status());
      units_of[agency] = std::set<int64_t>(ids->begin(), ids->end());
    }
    PersonnelCheck check(*personnel_, token, caller);
    for (int i = 0; i < static_cast<int>(signals.size()); ++i) {
      const pb::DemandSignal& s = signals[i];
      if (units_of[s.agency_code()].count(s.unit_id()) > 0) continue;
      absl::Status st =
          check.CheckUnit(s.agency_code(), s.unit_id(), absl::StrCat("signals[", i, "].unit_id"));
      if (st.ok()) continue;  // created since the listing
      if (!absl::IsInvalidArgument(st)) return st;
      for (const errors::FieldViolation& f : errors::FieldViolationsOf(st)) all.push_back(f);
    }
    if (!all.empty()) return Invalid(all);
  }
  WL_ASSIGN_OR_RETURN(key, idempotency::KeyFor(caller, MethodPath("RecordDemandSignals"), req));
  return idempotency::Run(pool_, key, resp, [&](db::Connection& conn) -> absl::Status {
    WL_ASSIGN_OR_RETURN(n, WorkloadRepository::UpsertSignals(conn, signals, db::NowUnixMillis()));
    resp.set_recorded(n);
    return WorkloadRepository::InsertAudit(
        conn, Audit(caller, ctx, "RecordDemandSignals", absl::StrCat("signals: ", n),
                    req.request_id(), agencies.size() == 1 ? agencies.front() : ""));
  });
}

absl::Status WorkloadService::DoListDemandSignals(grpc::ServerContext& ctx,
                                                  const pb::ListDemandSignalsRequest& req,
                                                  pb::ListDemandSignalsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  WL_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  Violations v;
  if (req.has_from()) {
    Violations f = ValidateYearMonth(req.from(), "from");
    v.insert(v.end(), f.begin(), f.end());
  }
  if (req.has_to()) {
    Violations t = ValidateYearMonth(req.to(), "to");
    v.insert(v.end(), t.begin(), t.end());
  }
  if (!v.empty()) return Invalid(v);
  SignalFilter filter;
  filter.agency_code = req.agency_code();
  filter.unit_id = req.unit_id();
  filter.kind = req.kind();
  if (req.has_from()) filter.from_month_key = req.from().year() * 100 + req.from().month();
  if (req.has_to()) filter.to_month_key = req.to().year() * 100 + req.to().month();
  paging::PageQuery query = PageQueryOf("ListDemandSignals", caller);
  query.Add("agency_code", filter.agency_code)
      .Add("unit_id", filter.unit_id)
      .Add("kind", filter.kind)
      .Add("from", filter.from_month_key)
      .Add("to", filter.to_month_key);
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 3));
  std::optional<SignalKey> after;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(unit, ParseInt(key[0]));
    WL_ASSIGN_OR_RETURN(kind, ParseInt(key[1]));
    WL_ASSIGN_OR_RETURN(month, ParseInt(key[2]));
    after = SignalKey{unit, static_cast<int>(kind), static_cast<int>(month)};
  }
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(rows, WorkloadRepository::ListSignals(conn.get(), filter, after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (pb::DemandSignal& s : rows) *resp.add_signals() = std::move(s);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::DemandSignal& last = resp.signals(resp.signals_size() - 1);
    resp.mutable_page()->set_next_page_token(paging::NextPageToken(
        query, {absl::StrCat(last.unit_id()), absl::StrCat(static_cast<int>(last.kind())),
                absl::StrCat(last.month().year() * 100 + last.month().month())}));
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------ settings

absl::Status WorkloadService::DoGetSettings(grpc::ServerContext& ctx,
                                            const pb::GetSettingsRequest& req,
                                            pb::GetSettingsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  if (req.agency_code().empty()) return InvalidField("agency_code", "agency_code is required");
  WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  WL_ASSIGN_OR_RETURN(settings, LoadSettings(req.agency_code()));
  *resp.mutable_settings() = settings.first;
  resp.set_defaults(settings.second);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoUpdateSettings(grpc::ServerContext& ctx,
                                               const pb::UpdateSettingsRequest& req,
                                               pb::UpdateSettingsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  if (!req.settings().agency_code().empty()) {
    WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.settings().agency_code()));
  }
  if (Violations v = ValidateSettings(req.settings()); !v.empty()) return Invalid(v);
  WL_ASSIGN_OR_RETURN(key, idempotency::KeyFor(caller, MethodPath("UpdateSettings"), req));
  return idempotency::Run(pool_, key, resp, [&](db::Connection& conn) -> absl::Status {
    WL_ASSIGN_OR_RETURN(stored,
                        WorkloadRepository::PutSettings(conn, req.settings(), req.settings().etag(),
                                                        db::NowUnixMillis()));
    *resp.mutable_settings() = stored;
    return WorkloadRepository::InsertAudit(
        conn, Audit(caller, ctx, "UpdateSettings", absl::StrCat("settings/", stored.agency_code()),
                    req.request_id(), stored.agency_code()));
  });
}

// ------------------------------------------------------------------ analysis

absl::Status WorkloadService::DoRunAnalysis(grpc::ServerContext& ctx,
                                            const pb::RunAnalysisRequest& req,
                                            grpc::ServerWriter<pb::RunAnalysisResponse>& writer) {
  const absl::Time start = absl::Now();
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.agency_code().empty()) v.push_back({"agency_code", "agency_code is required"});
  Violations d = ValidateDate(req.as_of(), "as_of", /*required=*/true);
  v.insert(v.end(), d.begin(), d.end());
  if (req.label().size() > kMaxLabelChars) {
    v.push_back({"label", "label must be at most 200 characters"});
  }
  if (!v.empty()) return Invalid(v);
  WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, req.agency_code()));
  WL_ASSIGN_OR_RETURN(key, idempotency::KeyFor(caller, MethodPath("RunAnalysis"), req));

  auto send_summary = [&writer](const pb::AnalysisSummary& s) {
    pb::RunAnalysisResponse out;
    *out.mutable_summary() = s;
    writer.Write(out);
  };
  auto send_progress = [&writer](cpb::Progress p) {
    pb::RunAnalysisResponse out;
    *out.mutable_progress() = std::move(p);
    writer.Write(out);
  };
  // A replay returns the run of the first call without recomputing it.
  auto replay = [&](db::Connection& conn) -> absl::StatusOr<std::optional<pb::AnalysisSummary>> {
    WL_ASSIGN_OR_RETURN(stored, idempotency::Find(conn, key));
    if (!stored.has_value()) return std::optional<pb::AnalysisSummary>();
    pb::AnalysisSummary s;
    if (!s.ParseFromString(*stored)) return absl::InternalError("stored run summary is corrupt");
    return std::optional<pb::AnalysisSummary>(std::move(s));
  };
  {
    WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
    WL_ASSIGN_OR_RETURN(previous, replay(conn.get()));
    if (previous.has_value()) {
      send_summary(*previous);
      return absl::OkStatus();
    }
  }

  send_progress(Progress("fetch_staffing", "asking personnel for staffing", 0, 1, start));
  ppb::GetStaffingRequest staffing_req;
  staffing_req.set_agency_code(req.agency_code());
  *staffing_req.mutable_as_of() = req.as_of();
  absl::StatusOr<ppb::GetStaffingResponse> staffing =
      personnel_->GetStaffing(staffing_req, PersonnelToken(ctx));
  if (!staffing.ok()) return PersonnelError(staffing.status());
  send_progress(Progress("fetch_staffing", absl::StrCat(staffing->rows_size(), " staffing rows"), 1,
                         1, start));

  WL_ASSIGN_OR_RETURN(settings, LoadSettings(req.agency_code()));
  const absl::CivilDay as_of(req.as_of().year(), req.as_of().month(), req.as_of().day());
  const auto [from_key, to_key] = SignalWindow(as_of, settings.first.signal_window_months());
  std::vector<StoredWorkload> workloads;
  std::vector<pb::DemandSignal> signals;
  {
    WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
    WL_ASSIGN_OR_RETURN(w, WorkloadRepository::LoadWorkloads(conn.get(), req.agency_code()));
    SignalFilter filter;
    filter.agency_code = req.agency_code();
    filter.from_month_key = from_key;
    filter.to_month_key = to_key;
    WL_ASSIGN_OR_RETURN(s, WorkloadRepository::ListSignals(conn.get(), filter, std::nullopt, -1));
    workloads = std::move(w);
    signals = std::move(s);
  }
  send_progress(Progress("load_inputs",
                         absl::StrCat(workloads.size(), " workloads, ", signals.size(), " signals"),
                         1, 1, start));

  const absl::Time compute_start = absl::Now();
  std::vector<abk::Workload> abk_workloads;
  abk_workloads.reserve(workloads.size());
  for (const StoredWorkload& w : workloads) abk_workloads.push_back(ToAbk(w));
  std::vector<abk::Staffing> abk_staffing;
  abk_staffing.reserve(staffing->rows_size());
  for (const ppb::StaffingRow& r : staffing->rows()) abk_staffing.push_back(ToAbk(r));
  std::vector<abk::DemandSignal> abk_signals;
  abk_signals.reserve(signals.size());
  for (const pb::DemandSignal& s : signals) abk_signals.push_back(ToAbk(s));
  WL_ASSIGN_OR_RETURN(
      result, abk::Analyse(ToAbk(settings.first), abk_workloads, abk_staffing, abk_signals, as_of));
  RunRows rows = ToRows(result, workloads);
  pb::AnalysisSummary summary;
  summary.set_run_id(NewRunId());
  summary.set_agency_code(req.agency_code());
  *summary.mutable_as_of() = req.as_of();
  summary.set_label(req.label());
  summary.set_create_time_ms(db::NowUnixMillis());
  summary.set_staffing_digest(staffing->digest());
  *summary.mutable_settings() = settings.first;
  summary.set_input_version(InputVersion(workloads, signals));
  FillSummary(result, summary);
  summary.set_compute_ms(absl::ToInt64Milliseconds(absl::Now() - compute_start));
  send_progress(Progress("compute", absl::StrCat(rows.positions.size(), " unit x position rows"), 1,
                         1, start));

  // A twin that stored its run since the lookup above wins: its summary is the answer.
  pb::AnalysisSummary stored_summary;
  WL_RETURN_IF_ERROR(
      idempotency::Run(pool_, key, stored_summary, [&](db::Connection& conn) -> absl::Status {
        WL_ASSIGN_OR_RETURN(
            pk, WorkloadRepository::InsertRun(conn, summary, rows.positions, rows.units));
        (void)pk;
        WL_RETURN_IF_ERROR(WorkloadRepository::InsertAudit(
            conn, Audit(caller, ctx, "RunAnalysis", absl::StrCat("run/", summary.run_id()),
                        req.request_id(), req.agency_code())));
        stored_summary = summary;
        return absl::OkStatus();
      }));
  send_progress(Progress("store", "run stored", 1, 1, start));
  PublishGauges(stored_summary);
  send_summary(stored_summary);
  return absl::OkStatus();
}

absl::Status WorkloadService::DoGetAnalysis(grpc::ServerContext& ctx,
                                            const pb::GetAnalysisRequest& req,
                                            pb::GetAnalysisResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.run_id().empty()) v.push_back({"run_id", "run_id is required"});
  if (!pb::Grade_IsValid(req.grade())) v.push_back({"grade", "grade is not a known grade"});
  if (req.gap_sign() < -1 || req.gap_sign() > 1) {
    v.push_back({"gap_sign", absl::StrCat("gap_sign must be -1, 0 or 1, got ", req.gap_sign())});
  }
  if (!v.empty()) return Invalid(v);
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(run, WorkloadRepository::FindRun(conn.get(), req.run_id()));
  if (!run.has_value())
    return absl::NotFoundError(
        absl::StrCat("analysis run ", errors::Echo(req.run_id()), " not found"));
  WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
  paging::PageQuery query = PageQueryOf("GetAnalysis", caller);
  query.Add("run_id", req.run_id())
      .Add("unit_id", req.unit_id())
      .Add("grade", req.grade())
      .Add("gap_sign", req.gap_sign());
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  RowFilter filter{req.unit_id(), static_cast<int>(req.grade()), req.gap_sign()};
  WL_ASSIGN_OR_RETURN(
      rows, WorkloadRepository::ListRunRows(conn.get(), run->pk, filter, after, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  *resp.mutable_summary() = run->summary;
  for (pb::PositionRow& r : rows) *resp.add_rows() = std::move(r);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::PositionRow& last = resp.rows(resp.rows_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  if (req.include_units()) {
    WL_ASSIGN_OR_RETURN(units, WorkloadRepository::ListRunUnits(conn.get(), run->pk));
    for (pb::UnitRow& u : units) *resp.add_units() = std::move(u);
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListAnalyses(grpc::ServerContext& ctx,
                                             const pb::ListAnalysesRequest& req,
                                             pb::ListAnalysesResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  WL_RETURN_IF_ERROR(CheckListAgency(caller, req.agency_code()));
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListAnalyses", caller);
  query.Add("agency_code", req.agency_code());
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 1));
  int64_t before = 0;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(pk, ParseInt(key[0]));
    before = pk;
  }
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(
      runs, WorkloadRepository::ListRuns(conn.get(), req.agency_code(), before, size + 1));
  const bool more = static_cast<int>(runs.size()) > size;
  if (more) runs.resize(size);
  for (StoredRun& r : runs) *resp.add_runs() = std::move(r.summary);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(runs.back().pk)}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoCompareAnalyses(grpc::ServerContext& ctx,
                                                const pb::CompareAnalysesRequest& req,
                                                pb::CompareAnalysesResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  Violations v;
  if (req.base_run_id().empty()) v.push_back({"base_run_id", "base_run_id is required"});
  if (req.other_run_id().empty()) v.push_back({"other_run_id", "other_run_id is required"});
  if (!v.empty()) return Invalid(v);
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("CompareAnalyses", caller);
  query.Add("base_run_id", req.base_run_id()).Add("other_run_id", req.other_run_id());
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 2));
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  std::optional<StoredRun> runs[2];
  const std::string* ids[2] = {&req.base_run_id(), &req.other_run_id()};
  for (int i = 0; i < 2; ++i) {
    WL_ASSIGN_OR_RETURN(run, WorkloadRepository::FindRun(conn.get(), *ids[i]));
    if (!run.has_value())
      return absl::NotFoundError(
          absl::StrCat("analysis run ", errors::Echo(*ids[i]), " not found"));
    WL_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, run->summary.agency_code()));
    runs[i] = std::move(run);
  }
  const pb::AnalysisSummary& b = runs[0]->summary;
  const pb::AnalysisSummary& o = runs[1]->summary;
  *resp.mutable_base() = b;
  *resp.mutable_other() = o;
  resp.set_total_need_delta(o.total_need() - b.total_need());
  resp.set_total_staff_delta(o.total_staff() - b.total_staff());
  resp.set_total_surplus_delta(o.total_surplus() - b.total_surplus());
  resp.set_total_deficit_delta(o.total_deficit() - b.total_deficit());
  resp.set_balanced_share_delta(o.balanced_share() - b.balanced_share());
  resp.set_ej_cv_delta(o.ej_cv() - b.ej_cv());
  resp.set_robin_hood_index_delta(o.robin_hood_index() - b.robin_hood_index());

  std::optional<WorkloadKey> after;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(unit, ParseInt(key[0]));
    after = WorkloadKey{unit, key[1]};
  }
  WL_ASSIGN_OR_RETURN(base_rows,
                      WorkloadRepository::ListRunRows(conn.get(), runs[0]->pk, {}, after, -1));
  WL_ASSIGN_OR_RETURN(other_rows,
                      WorkloadRepository::ListRunRows(conn.get(), runs[1]->pk, {}, after, -1));
  std::vector<pb::RowDelta> deltas = DiffRows(base_rows, other_rows);
  const bool more = static_cast<int>(deltas.size()) > size;
  if (more) deltas.resize(size);
  for (pb::RowDelta& d : deltas) *resp.add_rows() = std::move(d);
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    const pb::RowDelta& last = resp.rows(resp.rows_size() - 1);
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(last.unit_id()), last.position_code()}));
  }
  return absl::OkStatus();
}

absl::Status WorkloadService::DoListAuditEvents(grpc::ServerContext& ctx,
                                                const pb::ListAuditEventsRequest& req,
                                                pb::ListAuditEventsResponse& resp) {
  WL_ASSIGN_OR_RETURN(caller, auth::CallerFromContext(ctx));
  WL_ASSIGN_OR_RETURN(size, paging::EffectivePageSize(req.page().page_size()));
  paging::PageQuery query = PageQueryOf("ListAuditEvents", caller);
  query.Add("method", req.method());
  WL_ASSIGN_OR_RETURN(key, paging::ProcessPageTokens().Decode(query, req.page().page_token(), 1));
  int64_t before = 0;
  if (!key.empty()) {
    WL_ASSIGN_OR_RETURN(id, ParseInt(key[0]));
    before = id;
  }
  WL_ASSIGN_OR_RETURN(conn, pool_.Acquire());
  WL_ASSIGN_OR_RETURN(rows,
                      WorkloadRepository::ListAudit(conn.get(), req.method(), before, size + 1));
  const bool more = static_cast<int>(rows.size()) > size;
  if (more) rows.resize(size);
  for (const auto& [id, r] : rows) {
    cpb::AuditEvent* e = resp.add_events();
    e->set_id(id);
    e->set_time_ms(r.time_ms);
    e->set_subject(r.subject);
    e->set_role(r.role);
    e->set_method(r.method);
    e->set_resource(r.resource);
    e->set_request_id(r.request_id);
    e->set_agency_code(r.agency_code);
  }
  resp.mutable_page()->set_total_size(-1);
  if (more) {
    resp.mutable_page()->set_next_page_token(
        paging::NextPageToken(query, {absl::StrCat(rows.back().first)}));
  }
  return absl::OkStatus();
}

}  // namespace seimbang::workload
