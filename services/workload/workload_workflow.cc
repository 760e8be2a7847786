#include "services/workload/workload_workflow.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/proto_convert/update_mask.h"
#include "services/workload/permissions.h"
#include "services/workload/validation.h"

namespace seimbang::workload {

namespace {

namespace cpb = ::seimbang::common::v1;

// Good rows of one unit × position, in first-seen order; the group replaces its tasks.
struct Group {
  std::string agency;
  int64_t unit_id;
  std::string code;
  std::string job_family;
  std::vector<pb::Task> tasks;
};

struct Rejection {
  std::string field;
  std::string reason;
};

// Reads the stream, rejecting bad rows into the summary and grouping the good ones.
class RowReader {
 public:
  RowReader(WorkloadRepository& repo, PersonnelDirectory& personnel, const Call& call,
            cpb::ImportSummary& summary)
      : repo_(repo),
        check_(personnel, call.personnel_token, call.caller),
        caller_(call.caller),
        summary_(summary) {}

  absl::Status ReadAll(const NextImportRow& next_row) {
    pb::ImportWorkloadRequest row;
    int64_t position = 0;
    for (;;) {
      SEIMBANG_ASSIGN_OR_RETURN(const bool more, next_row(row));
      if (!more) break;
      ++position;
      if (position == 1) dry_run_ = row.dry_run();
      const int64_t seq = row.sequence() > 0 ? row.sequence() : position;
      summary_.set_received(summary_.received() + 1);
      SEIMBANG_ASSIGN_OR_RETURN(std::optional<Rejection> rejection, Take(row));
      if (rejection.has_value()) {
        cpb::RowError* e = summary_.add_errors();
        e->set_sequence(seq);
        e->set_field(std::move(rejection->field));
        e->set_reason(std::move(rejection->reason));
        e->set_natural_key(absl::StrCat(row.unit_id(), "/", row.position_code()));
      }
    }
    summary_.set_rejected(summary_.errors_size());
    std::sort(
        summary_.mutable_errors()->begin(), summary_.mutable_errors()->end(),
        [](const cpb::RowError& a, const cpb::RowError& b) { return a.sequence() < b.sequence(); });
    return absl::OkStatus();
  }

  bool dry_run() const { return dry_run_; }
  const std::vector<Group>& groups() const { return groups_; }

 private:
  // Adds the row's task to its group, or says why the row is rejected. An error status
  // (personnel unreachable, the database down) ends the whole import.
  absl::StatusOr<std::optional<Rejection>> Take(const pb::ImportWorkloadRequest& row) {
    SEIMBANG_ASSIGN_OR_RETURN(std::optional<Rejection> bad, CheckFields(row));
    if (bad.has_value()) return bad;
    absl::StatusOr<std::string> family =
        check_.Check(row.agency_code(), row.unit_id(), row.position_code(), "");
    if (!family.ok()) {
      if (absl::IsUnavailable(family.status())) return family.status();  // nothing applies
      std::vector<errors::FieldViolation> fv = errors::FieldViolationsOf(family.status());
      const bool denied = absl::IsPermissionDenied(family.status());
      return Rejection{
          fv.empty() ? (denied ? "unit_id" : "") : fv.front().field,
          fv.empty() ? std::string(family.status().message()) : fv.front().description};
    }
    auto [it, inserted] =
        group_index_.emplace(std::make_pair(row.unit_id(), row.position_code()), groups_.size());
    if (inserted) {
      groups_.push_back({row.agency_code(), row.unit_id(), row.position_code(), *family, {}});
    }
    Group& g = groups_[it->second];
    if (g.agency != row.agency_code()) {
      return Rejection{"agency_code",
                       absl::StrCat("unit ", row.unit_id(), " position ", row.position_code(),
                                    " was already imported under agency ", g.agency)};
    }
    if (static_cast<int>(g.tasks.size()) >= kMaxTasks) {
      return Rejection{"task", absl::StrCat("unit ", row.unit_id(), " position ",
                                            row.position_code(), " has more than 200 tasks")};
    }
    g.tasks.push_back(row.task());
    return std::optional<Rejection>();
  }

  // The row's own fields and scope, and its task against its agency's settings.
  absl::StatusOr<std::optional<Rejection>> CheckFields(const pb::ImportWorkloadRequest& row) {
    if (row.agency_code().empty()) return Rejection{"agency_code", "agency_code is required"};
    if (absl::Status s = auth::CheckAgencyScope(caller_, row.agency_code()); !s.ok()) {
      return Rejection{"agency_code", std::string(s.message())};
    }
    if (row.unit_id() <= 0 || row.unit_id() > kMaxUnitId) {
      return Rejection{"unit_id", absl::StrCat("unit_id must be between 1 and ", kMaxUnitId,
                                               ", got ", row.unit_id())};
    }
    if (row.position_code().empty()) {
      return Rejection{"position_code", "position_code is required"};
    }
    auto settings_it = settings_cache_.find(row.agency_code());
    if (settings_it == settings_cache_.end()) {
      SEIMBANG_ASSIGN_OR_RETURN(auto s, repo_.LoadSettings(row.agency_code()));
      settings_it = settings_cache_.emplace(row.agency_code(), s.first).first;
    }
    if (Violations v = ValidateTask(row.task(), "task.", settings_it->second); !v.empty()) {
      return Rejection{v.front().field, v.front().description};
    }
    return std::optional<Rejection>();
  }

  WorkloadRepository& repo_;
  PersonnelCheck check_;
  const auth::Caller& caller_;
  cpb::ImportSummary& summary_;
  std::map<std::string, pb::Settings> settings_cache_;
  std::vector<Group> groups_;
  std::map<std::pair<int64_t, std::string>, size_t> group_index_;
  bool dry_run_ = false;
};

// Writes every group (nothing when dry_run) and one audit row when anything changed.
absl::Status Apply(WorkloadRepository& repo, const Call& call, const std::vector<Group>& groups,
                   bool dry_run, cpb::ImportSummary& summary) {
  const int64_t now = db::NowUnixMillis();
  return repo.Transaction([&](db::Connection& conn) -> absl::Status {
    int64_t inserted = 0, updated = 0, unchanged = 0;
    for (const Group& g : groups) {
      pb::Workload w;
      w.set_agency_code(g.agency);
      w.set_unit_id(g.unit_id);
      w.set_position_code(g.code);
      for (const pb::Task& t : g.tasks) *w.add_tasks() = t;
      SEIMBANG_ASSIGN_OR_RETURN(auto put, WorkloadRepository::PutWorkload(
                                              conn, w, g.job_family, std::nullopt, now, dry_run));
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
        conn, AuditOf(call, "ImportWorkload",
                      absl::StrCat("import: ", groups.size(), " workloads, ", inserted + updated,
                                   " task rows"),
                      "", groups.size() == 1 ? groups.front().agency : ""));
  });
}

}  // namespace

absl::Status ImportWorkload(WorkloadRepository& repo, PersonnelDirectory& personnel,
                            const Call& call, const NextImportRow& next_row,
                            cpb::ImportSummary& summary) {
  RowReader reader(repo, personnel, call, summary);
  SEIMBANG_RETURN_IF_ERROR(reader.ReadAll(next_row));
  return Apply(repo, call, reader.groups(), reader.dry_run(), summary);
}

absl::Status UpsertWorkload(WorkloadRepository& repo, PersonnelDirectory& personnel,
                            const Call& call, const pb::UpsertWorkloadRequest& req,
                            pb::UpsertWorkloadResponse& resp) {
  const pb::Workload& w = req.workload();
  SEIMBANG_ASSIGN_OR_RETURN(auto settings, repo.LoadSettings(w.agency_code()));
  if (Violations v = ValidateWorkload(w, settings.first); !v.empty()) {
    return errors::InvalidArgument(v);
  }
  PersonnelCheck check(personnel, call.personnel_token, call.caller);
  SEIMBANG_ASSIGN_OR_RETURN(
      auto job_family, check.Check(w.agency_code(), w.unit_id(), w.position_code(), "workload."));
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(call.caller, MethodPath("UpsertWorkload"), req));
  return idempotency::Run(repo.pool(), key, resp, [&](db::Connection& conn) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(auto put, WorkloadRepository::PutWorkload(
                                            conn, w, job_family, w.etag(), db::NowUnixMillis()));
    *resp.mutable_workload() = put.first.workload;
    if (put.second == WriteOutcome::kUnchanged) return absl::OkStatus();
    return WorkloadRepository::InsertAudit(
        conn, AuditOf(call, "UpsertWorkload",
                      absl::StrCat("unit/", w.unit_id(), "/position/", w.position_code()),
                      req.request_id(), w.agency_code()));
  });
}

absl::StatusOr<pb::Settings> RequestedSettings(WorkloadRepository& repo,
                                               const pb::UpdateSettingsRequest& req) {
  const std::string& agency = req.settings().agency_code();
  std::string read_etag;
  SEIMBANG_ASSIGN_OR_RETURN(
      pb::Settings settings,
      proto_convert::ApplyUpdateMask(
          req.update_mask(), req.settings(), {"agency_code", "etag"},
          [&]() -> absl::StatusOr<pb::Settings> {
            if (agency.empty()) {
              return errors::InvalidArgument({{"settings.agency_code", "is required"}});
            }
            SEIMBANG_ASSIGN_OR_RETURN(auto stored, repo.LoadSettings(agency));
            read_etag = stored.first.etag();
            return std::move(stored.first);
          }));
  if (proto_convert::IsPartialUpdate(req.update_mask()) && settings.etag().empty()) {
    settings.set_etag(read_etag);
  }
  return settings;
}

}  // namespace seimbang::workload
