#include "services/personnel/importer.h"

// The importer's per-row upserts (agency, unit, position, employee) and the lookups they use;
// the stream, lanes and batches are in importer.cc.

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/domain/nip.h"
#include "common/errors/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/personnel/validation.h"

namespace seimbang::personnel {
namespace {

using google::protobuf::util::MessageDifferencer;

// Issue 15 item 4: the position catalogue is shared, so only an admin writes it.
constexpr char kPositionChangeNeedsAdmin[] =
    "differs from the shared position catalogue; only an admin may change a position";
constexpr char kPositionCreateNeedsAdmin[] =
    "is not in the shared position catalogue; only an admin may create a position";

// A unit or position by its key: this lane's cache, then what this stream's barriers wrote
// (`overlay`), then, once the lane may use its connection (`await`), the lane's transaction
// (`read`); a row found there is cached for the lane.
template <typename Key, typename Value, typename AwaitFn, typename ReadFn>
absl::StatusOr<std::optional<Value>> CachedOrRead(std::map<Key, Value>& cache,
                                                  const std::map<Key, Value>& overlay,
                                                  const Key& key, AwaitFn await, ReadFn read) {
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  if (auto it = overlay.find(key); it != overlay.end()) return it->second;
  SEIMBANG_RETURN_IF_ERROR(await());
  absl::StatusOr<std::optional<Value>> found = read();
  if (!found.ok()) return found.status();
  if (*found) cache[key] = **found;
  return *found;
}

}  // namespace

absl::StatusOr<std::optional<pv1::Unit>> Importer::FindUnit(Lane& lane, Tx& tx, int64_t id) {
  return CachedOrRead(
      lane.units, overlay_units_, id, [&] { return Await(lane); }, [&] { return tx.GetUnit(id); });
}

std::optional<Importer::Result> Importer::ResolveUnitExternalId(Lane& lane, Tx& tx,
                                                                pv1::Employee& e) {
  if (e.unit_external_id().empty()) return std::nullopt;
  std::optional<int64_t> id;
  if (auto it = overlay_external_ids_.find({e.agency_code(), e.unit_external_id()});
      it != overlay_external_ids_.end()) {
    id = it->second;  // written by this stream's barrier, not visible to this lane's transaction
  } else {
    if (auto st = Await(lane); !st.ok()) return DbError(st);
    auto found = tx.UnitIdByExternalId(e.agency_code(), e.unit_external_id());
    if (!found.ok()) return DbError(found.status());
    id = *found;
  }
  if (!id) {
    return Rejected("employee.unit_external_id",
                    absl::StrCat("no unit of agency ", e.agency_code(), " has external_id ",
                                 e.unit_external_id()));
  }
  e.set_unit_id(*id);
  e.clear_unit_external_id();
  return std::nullopt;
}

absl::StatusOr<std::optional<pv1::Position>> Importer::FindPosition(Lane& lane, Tx& tx,
                                                                    const std::string& code) {
  return CachedOrRead(
      lane.positions, overlay_positions_, code, [&] { return Await(lane); },
      [&] { return tx.GetPosition(code); });
}

absl::StatusOr<bool> Importer::AgencyExists(Lane& lane, Tx& tx, const std::string& code) {
  if (auto it = lane.agencies.find(code); it != lane.agencies.end()) return it->second;
  if (auto it = overlay_agencies_.find(code); it != overlay_agencies_.end()) return it->second;
  SEIMBANG_RETURN_IF_ERROR(Await(lane));
  auto a = tx.GetAgency(code);
  if (!a.ok()) return a.status();
  if (a->has_value()) lane.agencies[code] = true;
  return a->has_value();
}

void Importer::AddChange(Lane& lane, pv1::ChangeKind kind, const std::string& agency,
                         const std::string& resource) {
  pv1::WatchChangesResponse c;
  c.set_kind(kind);
  c.set_agency_code(agency);
  c.set_resource_id(resource);
  lane.writes.changes.push_back(std::move(c));
}

std::optional<Importer::Result> Importer::TransferConflict(const pv1::Placement& p,
                                                           const std::string& field) const {
  if (p.reason() != pv1::PLACEMENT_REASON_TRANSFER || p.plan_id().empty()) return std::nullopt;
  if (scope_.override_transfers) return std::nullopt;
  const domain::Date recorded = domain::CivilFromDays(p.record_time_ms() / (24 * 3600 * 1000LL));
  if (scope_.as_of.has_value() && *scope_.as_of > recorded) return std::nullopt;
  return Result{
      Outcome::kConflict, field,
      absl::StrCat("would undo the executed transfer of plan ", p.plan_id(), " move ", p.move_id(),
                   " (recorded ", domain::FormatDate(recorded), "); the file's as-of date ",
                   scope_.as_of ? domain::FormatDate(*scope_.as_of) : "(none)",
                   " is not later: send a newer file or override_transfers")};
}

Importer::Result Importer::DbError(const absl::Status& st) {
  return Result{Outcome::kRejected, "!db", std::string(st.message())};
}

Importer::Result Importer::Rejected(std::string field, std::string reason) {
  return Result{Outcome::kRejected, std::move(field), std::move(reason)};
}

Importer::Result Importer::ApplyOne(Lane& lane, Tx& tx, Row& row) {
  auto& r = row.record;
  std::map<std::string, int>& changed = lane.writes.changed_agencies;
  if (!r.has_employee()) {
    // Agencies, units and positions read and write the connection directly.
    if (auto st = Await(lane); !st.ok()) return DbError(st);
  }
  switch (r.record_case()) {
    case pv1::ImportRecordsRequest::kAgency:
      return ApplyAgency(lane, tx, r.agency(), changed);
    case pv1::ImportRecordsRequest::kUnit:
      return ApplyUnit(lane, tx, r.unit(), changed);
    case pv1::ImportRecordsRequest::kPosition:
      return ApplyPosition(lane, tx, r.position(), changed);
    case pv1::ImportRecordsRequest::kEmployee:
      return ApplyEmployee(lane, tx, r.employee(), changed);
    default:
      return Rejected("", "row carries no record");
  }
}

Importer::Result Importer::ApplyAgency(Lane& lane, Tx& tx, const pv1::Agency& a,
                                       std::map<std::string, int>& changed) {
  auto existing = tx.GetAgency(a.code());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing) {
    pv1::Agency want = a;
    want.set_create_time_ms((*existing)->create_time_ms());
    if (MessageDifferencer::Equivalent(want, **existing))
      return Result{Outcome::kUnchanged, "", ""};
    if (auto st = tx.UpdateAgency(a); !st.ok()) return DbError(st);
    ++changed[a.code()];
    return Result{Outcome::kUpdated, "", ""};
  }
  auto ins = tx.InsertAgency(a);
  if (!ins.ok()) return DbError(ins.status());
  AddChange(lane, pv1::CHANGE_KIND_AGENCY_CREATED, a.code(), a.code());
  lane.agencies[a.code()] = true;
  ++changed[a.code()];
  return Result{Outcome::kInserted, "", ""};
}

Importer::Result Importer::ApplyUnit(Lane& lane, Tx& tx, pv1::Unit u,
                                     std::map<std::string, int>& changed) {
  auto agency_ok = AgencyExists(lane, tx, u.agency_code());
  if (!agency_ok.ok()) return DbError(agency_ok.status());
  if (!*agency_ok) {
    return Rejected("unit.agency_code",
                    absl::StrCat("agency ", u.agency_code(), " does not exist"));
  }
  if (u.parent_id() != 0) {
    auto parent = FindUnit(lane, tx, u.parent_id());
    if (!parent.ok()) return DbError(parent.status());
    if (!*parent) {
      return Rejected("unit.parent_id",
                      absl::StrCat("parent unit ", u.parent_id(), " does not exist"));
    }
    if ((*parent)->agency_code() != u.agency_code()) {
      return Rejected("unit.parent_id",
                      absl::StrCat("parent unit ", u.parent_id(), " belongs to another agency"));
    }
  }
  auto existing = FindUnit(lane, tx, u.id());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing) {
    if ((*existing)->agency_code() != u.agency_code()) {
      return Rejected("unit.agency_code", absl::StrCat("unit ", u.id(), " belongs to agency ",
                                                       (*existing)->agency_code()));
    }
    u.set_etag((*existing)->etag());
    if (MessageDifferencer::Equivalent(u, **existing)) return Result{Outcome::kUnchanged, "", ""};
    auto upd = tx.UpdateUnit(u, -1);
    if (absl::IsFailedPrecondition(upd.status())) {
      return Rejected("unit.parent_id", std::string(upd.status().message()));
    }
    return UnitWritten(lane, u, upd, pv1::CHANGE_KIND_UNIT_UPDATED, Outcome::kUpdated, changed);
  }
  return UnitWritten(lane, u, tx.InsertUnit(u), pv1::CHANGE_KIND_UNIT_CREATED, Outcome::kInserted,
                     changed);
}

// The unit was looked up first, so ALREADY_EXISTS means its external id is another unit's.
Importer::Result Importer::UnitWritten(Lane& lane, const pv1::Unit& u,
                                       const absl::StatusOr<pv1::Unit>& written,
                                       pv1::ChangeKind kind, Outcome outcome,
                                       std::map<std::string, int>& changed) {
  if (absl::IsAlreadyExists(written.status())) {
    return Rejected("unit.external_id", std::string(written.status().message()));
  }
  if (!written.ok()) return DbError(written.status());
  lane.units[u.id()] = *written;
  AddChange(lane, kind, u.agency_code(), absl::StrCat(u.id()));
  ++changed[u.agency_code()];
  return Result{outcome, "", ""};
}

Importer::Result Importer::ApplyPosition(Lane& lane, Tx& tx, const pv1::Position& p,
                                         std::map<std::string, int>& changed) {
  auto existing = FindPosition(lane, tx, p.code());
  if (!existing.ok()) return DbError(existing.status());
  if (*existing && MessageDifferencer::Equivalent(p, **existing)) {
    return Result{Outcome::kUnchanged, "", ""};
  }
  if (!scope_.may_write_positions) {
    return Rejected("position.code",
                    *existing ? kPositionChangeNeedsAdmin : kPositionCreateNeedsAdmin);
  }
  if (*existing) {
    if (auto st = tx.UpdatePosition(p); !st.ok()) return DbError(st);
    lane.positions[p.code()] = p;
    ++changed[""];
    return Result{Outcome::kUpdated, "", ""};
  }
  if (auto st = tx.InsertPosition(p); !st.ok()) return DbError(st);
  lane.positions[p.code()] = p;
  AddChange(lane, pv1::CHANGE_KIND_POSITION_CREATED, "", p.code());
  ++changed[""];
  return Result{Outcome::kInserted, "", ""};
}

Importer::Result Importer::ApplyEmployee(Lane& lane, Tx& tx, pv1::Employee e,
                                         std::map<std::string, int>& changed) {
  if (auto rejected = ResolveUnitExternalId(lane, tx, e)) return *rejected;
  auto unit = FindUnit(lane, tx, e.unit_id());
  if (!unit.ok()) return DbError(unit.status());
  if (!*unit)
    return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " does not exist"));
  if (!scope_.agency.empty() && (*unit)->agency_code() != scope_.agency) {
    return Rejected("employee.unit_id", kOutsideScope);
  }
  auto pos = FindPosition(lane, tx, e.position_code());
  if (!pos.ok()) return DbError(pos.status());
  if (!*pos) {
    return Rejected("employee.position_code",
                    absl::StrCat("position ", e.position_code(), " does not exist"));
  }
  e.set_agency_code((*unit)->agency_code());
  e.clear_etag();
  e.clear_version();
  auto it = lane.existing_employees.find(e.nip());
  if (it == lane.existing_employees.end()) {
    if (auto n = lane.writes.new_index.find(e.nip()); n != lane.writes.new_index.end()) {
      // A second row with the same NIP in this batch sees the first as existing.
      it = lane.existing_employees.emplace(e.nip(), lane.writes.new_employees[n->second]).first;
    }
  }
  if (it != lane.existing_employees.end()) {
    pv1::Employee old = it->second;
    if (!scope_.agency.empty() && old.agency_code() != scope_.agency) {
      return Rejected("employee.nip", kOutsideScope);
    }
    old.clear_etag();
    old.clear_version();
    if (MessageDifferencer::Equivalent(e, old)) return Result{Outcome::kUnchanged, "", ""};
    if (old.unit_id() != e.unit_id() && !(*unit)->active()) {
      return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
    }
    if (old.unit_id() != e.unit_id() || old.position_code() != e.position_code()) {
      if (auto p = lane.latest_placements.find(e.nip()); p != lane.latest_placements.end()) {
        const char* field =
            old.unit_id() != e.unit_id() ? "employee.unit_id" : "employee.position_code";
        if (auto conflict = TransferConflict(p->second, field)) return *conflict;
      }
    }
    if (auto st = Await(lane); !st.ok()) return DbError(st);
    if (lane.reader) lane.written_nips.Add(e.nip());  // read on the lane's own from now on
    auto upd = tx.UpdateEmployee(e, -1, pv1::PLACEMENT_REASON_CORRECTION, "");
    if (!upd.ok()) return DbError(upd.status());
    it->second = *upd;
    AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_UPDATED, e.agency_code(), e.nip());
    ++changed[e.agency_code()];
    return Result{Outcome::kUpdated, "", ""};
  }
  if (!(*unit)->active()) {
    return Rejected("employee.unit_id", absl::StrCat("unit ", e.unit_id(), " is inactive"));
  }
  e.set_version(1);
  e.set_etag("1");
  AddChange(lane, pv1::CHANGE_KIND_EMPLOYEE_CREATED, e.agency_code(), e.nip());
  ++changed[e.agency_code()];
  if (lane.reader) lane.written_nips.Add(e.nip());
  lane.writes.new_index.emplace(e.nip(), lane.writes.new_employees.size());
  lane.writes.new_employees.push_back(std::move(e));
  return Result{Outcome::kInserted, "", ""};
}

}  // namespace seimbang::personnel
