#include "services/workload/workload_workflow.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/idempotency/idempotency.h"
#include "common/proto_convert/update_mask.h"
#include "services/workload/convert.h"
#include "services/workload/permissions.h"
#include "services/workload/validation.h"

namespace seimbang::workload {

namespace {

namespace cpb = ::seimbang::common::v1;

// Tasks buffered before they are written (issue 22 item 5): once this many good tasks wait,
// the batch is written inside the import's one transaction when the next new unit × position
// starts, so memory is bounded by the batch (at most kBatchTasks + kMaxTasks tasks), not by the
// stream (a national stream is 4.3 M tasks), and a key whose rows are contiguous is written
// once. The writes are one per key whatever the batch size.
constexpr int64_t kBatchTasks = 200;

// Good rows of one unit × position waiting for the next batch, in first-seen order; the group
// replaces its tasks, or, when an earlier batch already wrote the key, adds to them.
struct Group {
  std::string agency;
  int64_t unit_id;
  std::string code;
  std::string job_family;
  std::vector<pb::Task> tasks;
  bool append = false;
};

// Every key the stream has named: its agency (an index into the stream's agencies), its good
// tasks so far, the outcome of its first write and its group in the batch being gathered.
// Kept small: a national stream names ~1.25 M keys.
struct Seen {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t agency = 0;
  uint32_t pending = kNone;
  int16_t tasks = 0;
  WriteOutcome first = WriteOutcome::kInserted;
};

// The stream's index of the unit (high half) and of the position code (low half): eight bytes
// a key instead of sixteen, for the ~1.25 M keys of a national stream (issue 22 item 5).
using SeenKey = uint64_t;

// Small ids for the few distinct strings of a stream (agency and position codes).
class Interned {
 public:
  uint32_t Id(const std::string& s) {
    auto [it, added] = ids_.try_emplace(s, static_cast<uint32_t>(names_.size()));
    if (added) names_.push_back(s);
    return it->second;
  }
  const std::string& Name(uint32_t id) const { return names_[id]; }

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<std::string> names_;
};

struct Rejection {
  std::string field;
  std::string reason;
};

// Reads the stream, rejecting bad rows into the summary and grouping the good ones, and writes
// them in batches of kBatchTasks through `conn`, the import's one transaction (nothing when
// dry_run): a cancelled or failed stream rolls every batch back with it.
class RowReader {
 public:
  RowReader(PersonnelDirectory& personnel, const Call& call, cpb::ImportSummary& summary,
            db::Connection& conn)
      : check_(personnel, call.downstream_token, call.caller),
        caller_(call.caller),
        summary_(summary),
        conn_(conn),
        now_(db::NowUnixMillis()) {}

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
        e->set_natural_key(absl::StrCat(
            row.unit_external_id().empty() ? absl::StrCat(row.unit_id()) : row.unit_external_id(),
            "/", row.position_code()));
      }
    }
    SEIMBANG_RETURN_IF_ERROR(Flush());
    summary_.set_rejected(summary_.errors_size());
    std::sort(
        summary_.mutable_errors()->begin(), summary_.mutable_errors()->end(),
        [](const cpb::RowError& a, const cpb::RowError& b) { return a.sequence() < b.sequence(); });
    return absl::OkStatus();
  }

  bool dry_run() const { return dry_run_; }
  // Keys written (or, dry_run, that would be).
  size_t workloads() const { return seen_.size(); }
  const std::string& only_agency() const {
    static const std::string kNone;
    return seen_.size() == 1 ? agencies_.Name(seen_.begin()->second.agency) : kNone;
  }

  // Writes the groups gathered since the last batch: a key's first group with the batch's
  // others in one PutWorkloads (bulk), a later group of a key (its tasks added to what an earlier
  // batch wrote) on its own.
  absl::Status Flush() {
    std::vector<StoredWorkload> firsts;
    std::vector<Group*> first_groups;
    for (Group& g : groups_) {
      if (g.append) continue;
      StoredWorkload w;
      w.workload.set_agency_code(g.agency);
      w.workload.set_unit_id(g.unit_id);
      w.workload.set_position_code(g.code);
      for (pb::Task& t : g.tasks) *w.workload.add_tasks() = std::move(t);
      w.job_family = g.job_family;
      firsts.push_back(std::move(w));
      first_groups.push_back(&g);
    }
    SEIMBANG_ASSIGN_OR_RETURN(std::vector<WriteOutcome> outcomes,
                              Repository::PutWorkloads(conn_, firsts, now_, dry_run_));
    for (size_t i = 0; i < first_groups.size(); ++i) {
      Seen& seen = seen_.at(KeyOf(first_groups[i]->unit_id, first_groups[i]->code));
      seen.pending = Seen::kNone;
      seen.first = outcomes[i];
      Count(outcomes[i], firsts[i].workload.tasks_size());
    }
    for (Group& g : groups_) {
      if (!g.append) continue;
      Seen& seen = seen_.at(KeyOf(g.unit_id, g.code));
      seen.pending = Seen::kNone;
      const int64_t n = static_cast<int64_t>(g.tasks.size());
      pb::Workload w;
      w.set_agency_code(g.agency);
      w.set_unit_id(g.unit_id);
      w.set_position_code(g.code);
      if (!dry_run_) {
        // An earlier batch of this stream wrote the key: keep its tasks and add these.
        SEIMBANG_ASSIGN_OR_RETURN(auto stored, Repository::GetWorkload(conn_, g.unit_id, g.code));
        if (stored.has_value()) *w.mutable_tasks() = stored->workload.tasks();
      }
      for (pb::Task& t : g.tasks) *w.add_tasks() = std::move(t);
      if (!dry_run_) {
        SEIMBANG_RETURN_IF_ERROR(
            Repository::PutWorkload(conn_, w, g.job_family, std::nullopt, now_, dry_run_).status());
      }
      Count(seen.first, n);
    }
    groups_.clear();
    pending_tasks_ = 0;
    return absl::OkStatus();
  }

 private:
  // Adds the row's task to its group, or says why the row is rejected. An error status
  // (personnel unreachable, the database down) ends the whole import.
  absl::StatusOr<std::optional<Rejection>> Take(pb::ImportWorkloadRequest& row) {
    SEIMBANG_ASSIGN_OR_RETURN(std::optional<Rejection> bad, ResolveUnit(row));
    if (bad.has_value()) return bad;
    SEIMBANG_ASSIGN_OR_RETURN(bad, CheckFields(row));
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
    auto [it, first] = seen_.try_emplace(KeyOf(row.unit_id(), row.position_code()));
    Seen& seen = it->second;
    const uint32_t agency = agencies_.Id(row.agency_code());
    if (first) seen.agency = agency;
    if (seen.agency != agency) {
      return Rejection{
          "agency_code",
          absl::StrCat("unit ", row.unit_id(), " position ", row.position_code(),
                       " was already imported under agency ", agencies_.Name(seen.agency))};
    }
    if (seen.tasks >= kMaxTasks) {
      return Rejection{"task", absl::StrCat("unit ", row.unit_id(), " position ",
                                            row.position_code(), " has more than 200 tasks")};
    }
    if (seen.pending == Seen::kNone) {
      if (pending_tasks_ >= kBatchTasks) SEIMBANG_RETURN_IF_ERROR(Flush());
      seen.pending = static_cast<uint32_t>(groups_.size());
      // Not the key's first group: an earlier batch holds (or, dry_run, counted) its tasks.
      groups_.push_back({row.agency_code(),
                         row.unit_id(),
                         row.position_code(),
                         *family,
                         {},
                         /*append=*/seen.tasks > 0});
    }
    groups_[seen.pending].tasks.push_back(row.task());
    ++seen.tasks;
    ++pending_tasks_;
    return std::optional<Rejection>();
  }

  void Count(WriteOutcome outcome, int64_t n) {
    if (outcome == WriteOutcome::kInserted) summary_.set_inserted(summary_.inserted() + n);
    if (outcome == WriteOutcome::kUpdated) summary_.set_updated(summary_.updated() + n);
    if (outcome == WriteOutcome::kUnchanged) summary_.set_unchanged(summary_.unchanged() + n);
  }

  // Issue 20: a row naming its unit by external id gets that unit's id; personnel unreachable
  // ends the import (nothing applies).
  absl::StatusOr<std::optional<Rejection>> ResolveUnit(pb::ImportWorkloadRequest& row) {
    if (row.unit_external_id().empty()) return std::optional<Rejection>();
    absl::StatusOr<int64_t> id = check_.UnitId(
        row.agency_code(), row.unit_id(), row.unit_external_id(), "unit_id", "unit_external_id");
    if (!id.ok()) {
      if (absl::IsUnavailable(id.status())) return id.status();
      std::vector<errors::FieldViolation> fv = errors::FieldViolationsOf(id.status());
      return Rejection{fv.empty() ? "agency_code" : fv.front().field,
                       fv.empty() ? std::string(id.status().message()) : fv.front().description};
    }
    row.set_unit_id(*id);
    row.clear_unit_external_id();
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
      // Through the import's own transaction (an in-memory SQLite pool has one connection).
      SEIMBANG_ASSIGN_OR_RETURN(auto s, Repository::GetSettings(conn_, row.agency_code()));
      settings_it =
          settings_cache_.emplace(row.agency_code(), s ? *s : DefaultSettings(row.agency_code()))
              .first;
    }
    if (Violations v = ValidateTask(row.task(), "task.", settings_it->second); !v.empty()) {
      return Rejection{v.front().field, v.front().description};
    }
    return std::optional<Rejection>();
  }

  PersonnelCheck check_;
  const auth::Caller& caller_;
  cpb::ImportSummary& summary_;
  db::Connection& conn_;
  const int64_t now_;
  std::map<std::string, pb::Settings> settings_cache_;
  std::vector<Group> groups_;  // the batch being gathered
  int64_t pending_tasks_ = 0;  // tasks in groups_
  SeenKey KeyOf(int64_t unit_id, const std::string& position_code) {
    auto [it, added] = units_.try_emplace(unit_id, static_cast<uint32_t>(units_.size()));
    return (static_cast<uint64_t>(it->second) << 32) | positions_.Id(position_code);
  }

  Interned agencies_, positions_;
  absl::flat_hash_map<int64_t, uint32_t> units_;  // unit id -> its index in the stream
  absl::flat_hash_map<SeenKey, Seen> seen_;
  bool dry_run_ = false;
};

}  // namespace

absl::Status ImportWorkload(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                            const NextImportRow& next_row, cpb::ImportSummary& summary) {
  // One transaction from the first batch to the half-close (as personnel's ImportTx): commit
  // at the end, roll back on any error, a cancelled stream included. The stream cannot be read
  // twice, so a transaction the database aborts is not rerun: ABORTED, nothing applied.
  bool ran = false;
  return repo.Transaction([&](db::Connection& conn) -> absl::Status {
    if (ran) {
      return absl::AbortedError(
          "the import lost a conflict with another transaction; nothing was applied, send the "
          "stream again");
    }
    ran = true;
    summary.Clear();
    RowReader reader(personnel, call, summary, conn);
    SEIMBANG_RETURN_IF_ERROR(reader.ReadAll(next_row));
    const int64_t changed = summary.inserted() + summary.updated();
    if (reader.dry_run() || changed == 0) return absl::OkStatus();
    return Repository::InsertAudit(
        conn, server::AuditEventOf(call, MethodPath("ImportWorkload"),
                                   absl::StrCat("import: ", reader.workloads(), " workloads, ",
                                                changed, " task rows"),
                                   "", reader.only_agency()));
  });
}

absl::Status UpsertWorkload(Repository& repo, PersonnelDirectory& personnel, const Call& call,
                            const pb::UpsertWorkloadRequest& req,
                            pb::UpsertWorkloadResponse& resp) {
  pb::Workload w = req.workload();
  PersonnelCheck check(personnel, call.downstream_token, call.caller);
  SEIMBANG_ASSIGN_OR_RETURN(const int64_t unit_id,
                            check.UnitId(w.agency_code(), w.unit_id(), w.unit_external_id(),
                                         "workload.unit_id", "workload.unit_external_id"));
  w.set_unit_id(unit_id);
  w.clear_unit_external_id();
  SEIMBANG_ASSIGN_OR_RETURN(auto settings, repo.LoadSettings(w.agency_code()));
  if (Violations v = ValidateWorkload(w, settings.first); !v.empty()) {
    return errors::InvalidArgument(v);
  }
  SEIMBANG_ASSIGN_OR_RETURN(
      auto job_family, check.Check(w.agency_code(), w.unit_id(), w.position_code(), "workload."));
  SEIMBANG_ASSIGN_OR_RETURN(auto key,
                            idempotency::KeyFor(call.caller, MethodPath("UpsertWorkload"), req));
  return idempotency::Run(repo.pool(), key, resp, [&](db::Connection& conn) -> absl::Status {
    SEIMBANG_ASSIGN_OR_RETURN(
        auto put, Repository::PutWorkload(conn, w, job_family, w.etag(), db::NowUnixMillis()));
    *resp.mutable_workload() = put.first.workload;
    if (put.second == WriteOutcome::kUnchanged) return absl::OkStatus();
    return Repository::InsertAudit(
        conn,
        server::AuditEventOf(call, MethodPath("UpsertWorkload"),
                             absl::StrCat("unit/", w.unit_id(), "/position/", w.position_code()),
                             req.request_id(), w.agency_code()));
  });
}

absl::StatusOr<pb::Settings> RequestedSettings(Repository& repo,
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
