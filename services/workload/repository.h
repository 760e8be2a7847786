// The only code of workload-analysis that writes SQL (repository.cc, and
// repository_runs.cc for analysis runs). The object (a db::Store) owns the pool and hands
// out connections and transactions; every SQL method takes the connection of the
// caller's transaction, so a mutation, its audit row and its idempotency record
// (common/idempotency) commit together.
// Records are the contract's own messages: the stored shape is the API shape.
#ifndef SEIMBANG_SERVICES_WORKLOAD_REPOSITORY_H_
#define SEIMBANG_SERVICES_WORKLOAD_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "common/db/pool.h"
#include "common/db/store.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/workload/v1/workload.pb.h"

namespace seimbang::workload {

namespace pb = ::seimbang::workload::v1;
namespace cpb = ::seimbang::common::v1;

// A workload definition with the job family personnel gave its position.
struct StoredWorkload {
  pb::Workload workload;  // etag and update_time_ms filled
  std::string job_family;
};

enum class WriteOutcome { kInserted, kUpdated, kUnchanged };

struct WorkloadKey {
  int64_t unit_id = 0;
  std::string position_code;
};

struct SignalKey {
  int64_t unit_id = 0;
  int kind = 0;
  int month_key = 0;  // year * 100 + month
};

struct SignalFilter {
  std::string agency_code;  // empty: all agencies
  int64_t unit_id = 0;      // 0: any
  int kind = 0;             // 0: any
  int from_month_key = 0;   // 0: unbounded
  int to_month_key = 0;     // 0: unbounded
};

struct RowFilter {
  int64_t unit_id = 0;  // 0: any
  int grade = 0;        // 0: any
  int gap_sign = 0;     // -1 under, +1 over, 0 any
};

struct StoredRun {
  int64_t pk = 0;  // insertion order; newest has the largest
  pb::AnalysisSummary summary;
};

struct StoredProjection {
  int64_t pk = 0;  // insertion order; newest has the largest
  pb::ProjectionSummary summary;
};

// Connect, Transaction and pool() are db::Store's (`pool` must outlive the repository);
// common/idempotency runs its own transaction around a mutation through pool().
class Repository : public db::Store {
 public:
  using db::Store::Store;

  // The agency's stored settings, or the defaults (second = true).
  [[nodiscard]] absl::StatusOr<std::pair<pb::Settings, bool>> LoadSettings(
      const std::string& agency_code);

  // The newest run of each agency, for seeding the gauges. Best effort: stops at the first
  // page that fails to load and returns what it has; an error only when no connection.
  [[nodiscard]] absl::StatusOr<std::vector<pb::AnalysisSummary>> LatestRunPerAgency();

  // ---- audit
  [[nodiscard]] static absl::Status InsertAudit(db::Connection& conn, const cpb::AuditEvent& event);
  // Oldest first (audit::ListEvents); after_id 0 for the first page, else the last id of the
  // previous page.
  [[nodiscard]] static absl::StatusOr<std::vector<cpb::AuditEvent>> ListAudit(
      db::Connection& conn, const std::string& method, int64_t after_id, int limit);

  // ---- workloads
  [[nodiscard]] static absl::StatusOr<std::optional<StoredWorkload>> GetWorkload(
      db::Connection& conn, int64_t unit_id, const std::string& position_code);
  // Replaces the tasks of workload.unit_id × position_code. expected_etag: nullopt replaces
  // unconditionally (imports); "" must create (ALREADY_EXISTS when it exists); else must match
  // the stored etag (ABORTED). Returns the stored workload and what happened. An identical
  // definition is kUnchanged and keeps its etag.
  [[nodiscard]] static absl::StatusOr<std::pair<StoredWorkload, WriteOutcome>> PutWorkload(
      db::Connection& conn, const pb::Workload& workload, const std::string& job_family,
      const std::optional<std::string>& expected_etag, int64_t now_ms, bool dry_run = false);
  // PutWorkload without an etag for many workloads of distinct keys at once (ImportWorkload's
  // batches): one read of the stored ones, a statement pair per changed existing workload, and
  // the new heads and every task row written in bulk (Connection::InsertRows). Same outcomes,
  // versions and rows as PutWorkload one by one; the outcomes in the order of `workloads`.
  [[nodiscard]] static absl::StatusOr<std::vector<WriteOutcome>> PutWorkloads(
      db::Connection& conn, const std::vector<StoredWorkload>& workloads, int64_t now_ms,
      bool dry_run = false);
  // Keyset page ordered by (unit_id, position_code); at most `limit` rows after `after`.
  [[nodiscard]] static absl::StatusOr<std::vector<StoredWorkload>> ListWorkloads(
      db::Connection& conn, const std::string& agency_code, int64_t unit_id,
      const std::optional<WorkloadKey>& after, int limit);
  // Every workload of an agency with its tasks: two queries, no per-row work.
  [[nodiscard]] static absl::StatusOr<std::vector<StoredWorkload>> LoadWorkloads(
      db::Connection& conn, const std::string& agency_code);

  // ---- demand signals
  // Multi-row upsert; a later row for the same key replaces the earlier one.
  [[nodiscard]] static absl::StatusOr<int64_t> UpsertSignals(
      db::Connection& conn, const std::vector<pb::DemandSignal>& signals, int64_t now_ms);
  // Keyset page ordered by (unit_id, kind, month).
  [[nodiscard]] static absl::StatusOr<std::vector<pb::DemandSignal>> ListSignals(
      db::Connection& conn, const SignalFilter& filter, const std::optional<SignalKey>& after,
      int limit);

  // ---- settings
  [[nodiscard]] static absl::StatusOr<std::optional<pb::Settings>> GetSettings(
      db::Connection& conn, const std::string& agency_code);
  // expected_etag empty: unconditional; else ABORTED unless it is the stored one.
  [[nodiscard]] static absl::StatusOr<pb::Settings> PutSettings(db::Connection& conn,
                                                                const pb::Settings& settings,
                                                                const std::string& expected_etag,
                                                                int64_t now_ms);

  // ---- analysis runs (immutable)
  // Inserts the run and all its rows with multi-row INSERTs; returns the run's pk.
  [[nodiscard]] static absl::StatusOr<int64_t> InsertRun(db::Connection& conn,
                                                         const pb::AnalysisSummary& summary,
                                                         const std::vector<pb::PositionRow>& rows,
                                                         const std::vector<pb::UnitRow>& units);
  [[nodiscard]] static absl::StatusOr<std::optional<StoredRun>> FindRun(db::Connection& conn,
                                                                        const std::string& run_id);
  // Newest first; before_pk 0 for the first page; agency empty for all.
  [[nodiscard]] static absl::StatusOr<std::vector<StoredRun>> ListRuns(
      db::Connection& conn, const std::string& agency_code, int64_t before_pk, int limit);
  [[nodiscard]] static absl::StatusOr<std::vector<pb::PositionRow>> ListRunRows(
      db::Connection& conn, int64_t run_pk, const RowFilter& filter,
      const std::optional<WorkloadKey>& after, int limit);
  [[nodiscard]] static absl::StatusOr<std::vector<pb::UnitRow>> ListRunUnits(db::Connection& conn,
                                                                             int64_t run_pk);

  // ---- staffing projections (immutable; repository_projections.cc)
  // Inserts the projection: its summary and totals, and one row per unit x position.
  [[nodiscard]] static absl::Status InsertProjection(db::Connection& conn,
                                                     const pb::Projection& projection);
  [[nodiscard]] static absl::StatusOr<std::optional<pb::Projection>> FindProjection(
      db::Connection& conn, const std::string& projection_id);
  // Newest first; before_pk 0 for the first page; agency empty for all.
  [[nodiscard]] static absl::StatusOr<std::vector<StoredProjection>> ListProjections(
      db::Connection& conn, const std::string& agency_code, int64_t before_pk, int limit);
  // total_size of ListAnalyses ("analysis_runs") and ListProjections ("projections"): the rows
  // of one agency (all when empty), one COUNT over the (agency_code, id) index.
  [[nodiscard]] static absl::StatusOr<int64_t> CountOfAgency(db::Connection& conn,
                                                             const std::string& table,
                                                             const std::string& agency_code);

 private:
  // `SELECT id, summary FROM <table>` of one agency (all when empty), newest first, before
  // `before_pk` (0: from the newest), at most `limit` rows: analysis runs and projections.
  [[nodiscard]] static absl::StatusOr<db::ResultSet> QueryNewestFirst(
      db::Connection& conn, const std::string& table, const std::string& agency_code,
      int64_t before_pk, int limit);
  // Runs one INSERT and answers the id the database gave its row (an analysis run, a projection).
  [[nodiscard]] static absl::StatusOr<int64_t> InsertReturningId(db::Connection& conn,
                                                                 std::string_view sql,
                                                                 const db::Params& params);
  // Runs `prefix VALUES (...),(...) suffix` over `rows` in fixed-size chunks.
  [[nodiscard]] static absl::Status InsertChunked(db::Connection& conn, const std::string& prefix,
                                                  const std::string& suffix, size_t columns,
                                                  const std::vector<db::Params>& rows);
};

}  // namespace seimbang::workload

#endif  // SEIMBANG_SERVICES_WORKLOAD_REPOSITORY_H_
