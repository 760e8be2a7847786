#ifndef SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_H_
#define SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/audit.h"
#include "common/db/connection.h"
#include "common/db/pool.h"
#include "common/db/store.h"
#include "common/domain/date.h"
#include "common/idempotency/idempotency.h"
#include "seimbang/common/v1/common.pb.h"
#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::personnel {

namespace pv1 = ::seimbang::personnel::v1;
namespace cv1 = ::seimbang::common::v1;

// Who made a change; every mutation writes one audit row from it.
using AuditContext = auth::AuditActor;  // who, under which method and request id

// Filters of ListEmployees / StreamEmployees / GetStaffing, already scope-checked.
struct EmployeeQuery {
  std::string agency_code;
  int64_t unit_subtree = 0;  // 0 = no subtree filter
  std::string position_code;
  std::string job_family;
  int employment_type = 0;  // 0 = any
  // "YYYY-MM-DD": only people ACTIVE that day (status ACTIVE, or a status that takes effect
  // later); "" = everyone, whatever their status.
  std::string active_on;
  std::string name_contains;  // "" = any name; else a substring, ASCII case ignored
  std::string nip_prefix;     // "" = any NIP; else digits the NIP starts with
  std::string after_nip;      // keyset: NIPs strictly greater
  int limit = 100;
};

// An employee with the position facts the planner hints need (GetStaffing reads StaffingEntry).
struct EmployeeRecord {
  pv1::Employee employee;
  pv1::Position position;  // only kind, level, job_family, retirement_age are filled
};

// One employee as GetStaffing counts them, in plain values: NIP, scale, post, birth date and
// employment status (a third of the row; a national analysis reads 6 M of them, so no
// messages). A date the row lacks is {0, 0, 0}, as an unset cv1::Date converts.
struct StaffingEntry {
  std::string nip;
  int64_t unit_id = 0;
  std::string position_code;
  int employment_type = 0;    // pv1::EmploymentType
  int employment_status = 0;  // pv1::EmploymentStatus
  domain::Date birth_date{0, 0, 0};
  domain::Date status_since{0, 0, 0};
};

// A keyset page of StaffingEntry, with the facts of the positions it names.
struct StaffingPage {
  std::vector<StaffingEntry> entries;  // NIP order
  // kind, level, job_family and retirement_age of each position code in entries; a code with
  // no position row has only its code (as a LEFT JOIN would give).
  absl::flat_hash_map<std::string, pv1::Position> positions;
};

struct UnitQuery {
  std::string agency_code;
  int64_t subtree_of = 0;
  int kind = 0;
  bool include_inactive = false;
  std::string external_id;  // "" = any
  int64_t after_id = 0;
  int limit = 100;
};

// The stored outcome of one ApplyTransfers move.
struct MoveOutcomeRecord {
  int outcome = 0;  // pv1::MoveOutcome
  std::string detail;
};

// Writes inside one transaction. Obtained only through Repository::Write.
class Tx {
 public:
  explicit Tx(db::Connection& conn) : conn_(conn) {}
  db::Connection& conn() { return conn_; }

  // Reads that must see the transaction's own writes (and lock on MySQL).
  [[nodiscard]] absl::StatusOr<std::optional<pv1::Agency>> GetAgency(const std::string& code);
  [[nodiscard]] absl::StatusOr<std::optional<pv1::Unit>> GetUnit(int64_t id);
  // Those of `ids` that exist, in no particular order (one statement per 500 ids).
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Unit>> GetUnits(const std::vector<int64_t>& ids);
  // The id of the agency's unit with this Unit.external_id, if any.
  [[nodiscard]] absl::StatusOr<std::optional<int64_t>> UnitIdByExternalId(
      const std::string& agency_code, const std::string& external_id);
  [[nodiscard]] absl::StatusOr<std::optional<pv1::Position>> GetPosition(const std::string& code);
  [[nodiscard]] absl::StatusOr<std::optional<pv1::Employee>> GetEmployee(const std::string& nip,
                                                                         bool for_update = false);

  // ALREADY_EXISTS when the key is taken. Fill create_time_ms / id / path.
  [[nodiscard]] absl::StatusOr<pv1::Agency> InsertAgency(pv1::Agency agency);
  [[nodiscard]] absl::Status UpdateAgency(const pv1::Agency& agency);
  // Assigns an id when unit.id() == 0; computes the materialised path from the parent.
  [[nodiscard]] absl::StatusOr<pv1::Unit> InsertUnit(pv1::Unit unit);
  // ABORTED "unit 5 was changed by someone else" when expected_version does not match
  // (expected_version < 0 skips the check, for imports). Rewrites the subtree's paths when
  // the parent changes.
  [[nodiscard]] absl::StatusOr<pv1::Unit> UpdateUnit(pv1::Unit unit, int64_t expected_version);
  [[nodiscard]] absl::Status InsertPosition(const pv1::Position& position);
  [[nodiscard]] absl::Status UpdatePosition(const pv1::Position& position);
  // Inserts the employee (version 1) and the INITIAL placement row.
  [[nodiscard]] absl::StatusOr<pv1::Employee> InsertEmployee(pv1::Employee employee);
  // Replaces the mutable fields; bumps the version; ABORTED on a stale expected_version
  // (< 0 skips the check). When the placement changed, a history row with `reason` is written.
  [[nodiscard]] absl::StatusOr<pv1::Employee> UpdateEmployee(pv1::Employee employee,
                                                             int64_t expected_version,
                                                             pv1::PlacementReason reason,
                                                             const std::string& decree_number);

  // Moves an employee (already checked) and writes the TRANSFER history row.
  [[nodiscard]] absl::Status ApplyMove(const pv1::Employee& current, const pv1::TransferMove& move,
                                       const std::string& to_agency);
  [[nodiscard]] absl::StatusOr<std::optional<MoveOutcomeRecord>> GetMoveOutcome(
      const std::string& plan_id, const std::string& move_id);
  [[nodiscard]] absl::Status RecordMoveOutcome(const std::string& plan_id,
                                               const std::string& move_id,
                                               const MoveOutcomeRecord& outcome);

  // An import batch's new employees (version 1) with their INITIAL placements, as bulk rows
  // made ahead (db::PrepareBulkRows, with their LOAD DATA text when `load_data`). No SQL: any
  // thread may prepare them while the lane's connection is busy.
  struct NewEmployeeRows {
    db::BulkRows employees, placements;
  };
  static NewEmployeeRows PrepareNewEmployees(const std::vector<pv1::Employee>& employees,
                                             bool load_data);
  // Bulk inserts for imports (db::Connection::InsertBulkRows): the prepared new employees, and
  // change-feed rows in the given order.
  [[nodiscard]] absl::Status InsertEmployees(const NewEmployeeRows& rows);
  [[nodiscard]] absl::Status WriteChanges(const std::vector<pv1::WatchChangesResponse>& changes);

  // Change-feed rows lock the feed first (LockChangeFeed): write them last in a transaction.
  [[nodiscard]] absl::Status WriteChange(pv1::ChangeKind kind, const std::string& agency_code,
                                         const std::string& resource_id,
                                         const std::string& plan_id = "");
  // Serialises the transactions that write change-feed rows from here to their commit, so
  // sequences commit in order (MySQL; SQLite has one writer). Once per transaction.
  [[nodiscard]] absl::Status LockChangeFeed();
  // `resource` is written as given: callers mask NIPs (domain::MaskNip).
  [[nodiscard]] absl::Status WriteAudit(const AuditContext& audit, const std::string& resource,
                                        const std::string& agency_code);

 private:
  db::Connection& conn_;
  bool feed_locked_ = false;
};

// All SQL of the personnel service. Thread-safe: every call takes a pooled connection.
// Connect, Transaction and pool() are db::Store's (`pool` must outlive the repository).
class Repository : public db::Store {
 public:
  using db::Store::Store;

  // Runs fn in one transaction (common/idempotency): with an enabled key, a response stored for
  // it earlier is returned instead (replayed = true) and fn does not run; otherwise fn's response
  // bytes are stored under the key in the same transaction. A disabled key (idempotency::Key{})
  // just runs fn.
  using WriteResult = idempotency::Result;
  [[nodiscard]] absl::StatusOr<WriteResult> Write(
      const idempotency::Key& key, const std::function<absl::StatusOr<std::string>(Tx&)>& fn);

  [[nodiscard]] absl::StatusOr<std::optional<pv1::Agency>> GetAgency(const std::string& code);
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Agency>> ListAgencies(
      const std::string& province_code, const std::string& after_code, int limit,
      int64_t* total = nullptr);

  [[nodiscard]] absl::StatusOr<std::optional<pv1::Unit>> GetUnit(int64_t id);
  // `total`, when given: the rows of the whole query, every page (total_size).
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Unit>> ListUnits(const UnitQuery& query,
                                                                 int64_t* total = nullptr);

  [[nodiscard]] absl::StatusOr<std::optional<pv1::Position>> GetPosition(const std::string& code);
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Position>> ListPositions(
      const std::string& job_family, int kind, const std::string& after_code, int limit,
      int64_t* total = nullptr);

  [[nodiscard]] absl::StatusOr<std::optional<pv1::Employee>> GetEmployee(const std::string& nip);
  // Keyset page ordered by NIP; with a subtree or job family filter it is still one query.
  [[nodiscard]] absl::StatusOr<std::vector<EmployeeRecord>> ListEmployees(
      const EmployeeQuery& query);
  // The same page (same filters, order and keyset) as GetStaffing counts it.
  [[nodiscard]] absl::StatusOr<StaffingPage> ListStaffing(const EmployeeQuery& query);
  // Found employees by NIP (any order).
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Employee>> BatchGetEmployees(
      const std::vector<std::string>& nips);

  // Newest first; before_id = 0 for the first page.
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Placement>> ListPlacements(const std::string& nip,
                                                                           int64_t before_id,
                                                                           int limit);
  // Changes with sequence > after_sequence; agency_code empty = all agencies.
  [[nodiscard]] absl::StatusOr<std::vector<pv1::WatchChangesResponse>> ListChanges(
      int64_t after_sequence, const std::string& agency_code, int limit);
  [[nodiscard]] absl::StatusOr<std::vector<cv1::AuditEvent>> ListAuditEvents(
      const std::string& method, int64_t after_id, int limit);

  // Lookups for import caches: existing rows for a set of keys.
  // Each NIP's newest placement (the one that put the employee where they are), if any.
  [[nodiscard]] absl::StatusOr<std::map<std::string, pv1::Placement>> LatestPlacements(
      db::Connection& conn, const std::vector<std::string>& nips);
  [[nodiscard]] absl::StatusOr<std::vector<pv1::Employee>> EmployeesByNip(
      db::Connection& conn, const std::vector<std::string>& nips);
};

// Storage helpers shared with the importer and tests.
std::string DateToText(const cv1::Date& date);  // "" for an unset (all-zero) date
std::optional<cv1::Date> TextToDate(const std::string& text);
bool IsSetDate(const cv1::Date& date);
// "/1/5/12/" -> the half-open range [prefix, prefix-with-last-'/'-bumped) covering the subtree.
std::pair<std::string, std::string> SubtreeRange(const std::string& path);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_REPOSITORY_H_
