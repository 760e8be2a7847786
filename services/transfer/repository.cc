#include "services/transfer/repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/db/time_format.h"
#include "common/errors/errors.h"
#include "services/transfer/codec.h"

namespace seimbang::transfer {
namespace {

using db::Connection;
using db::Int;
using db::Params;
using db::Real;
using db::Text;

std::string DateText(const cpb::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// Applies the one-extra-row convention: fetched limit+1 rows; the last is cut
// and its predecessor's key becomes the next token.
template <typename T, typename KeyFn>
Page<T> MakePage(std::vector<T> items, int page_size, const paging::PageQuery& query, KeyFn key) {
  Page<T> page;
  if (static_cast<int>(items.size()) > page_size) {
    items.resize(page_size);
    page.next_page_token = paging::NextPageToken(query, key(items.back()));
  }
  page.items = std::move(items);
  return page;
}

// A cursor that decrypted but does not parse: the same answer as any bad token.
absl::Status BadCursor() {
  return errors::InvalidArgument({{paging::kPageTokenField, "is not a valid page token"}});
}

PlanRecord PlanFromRow(const db::Row& row, absl::Status* status) {
  PlanRecord rec;
  auto body = DecodeBody<tpb::PlanSummary>(row.GetString("body"));
  if (!body.ok()) {
    *status = body.status();
    return rec;
  }
  rec.summary = *std::move(body);
  rec.version = row.GetInt("version");
  rec.submit_time_ms = row.GetInt("submit_time_ms");
  rec.summary.set_state(static_cast<tpb::PlanState>(row.GetInt("state")));
  rec.summary.set_etag(absl::StrCat(rec.version));
  return rec;
}

constexpr char kPlanColumns[] =
    "id, agency_code, state, version, revision, parent_plan_id, analysis_run_id, policy_id, "
    "policy_version, effective_date, staffing_digest, create_time_ms, submit_time_ms, body";

Params PlanParams(const PlanRecord& p) {
  const auto& s = p.summary;
  return {Text(s.id()),
          Text(s.agency_code()),
          Int(s.state()),
          Int(p.version),
          Int(s.revision()),
          Text(s.parent_plan_id()),
          Text(s.analysis_run_id()),
          Text(s.policy_id()),
          Int(s.policy_version()),
          Text(DateText(s.effective_date())),
          Text(s.staffing_digest()),
          Int(s.create_time_ms()),
          Int(p.submit_time_ms),
          Text(EncodeBody(s))};
}

tpb::Objection ObjectionFromRow(const db::Row& r) {
  tpb::Objection o;
  o.set_id(r.GetString("id"));
  o.set_plan_id(r.GetString("plan_id"));
  o.set_move_id(r.GetString("move_id"));
  o.set_nip(r.GetString("nip"));
  o.set_state(static_cast<tpb::ObjectionState>(r.GetInt("state")));
  o.set_reason(r.GetString("reason"));
  o.set_resolution_note(r.GetString("resolution_note"));
  o.set_filed_by(r.GetString("filed_by"));
  o.set_resolved_by(r.GetString("resolved_by"));
  o.set_file_time_ms(r.GetInt("file_time_ms"));
  o.set_resolve_time_ms(r.GetInt("resolve_time_ms"));
  return o;
}

}  // namespace

// ---------------------------------------------------------------- audit

absl::Status Repository::InsertAudit(Connection& c, const cpb::AuditEvent& e) {
  return c
      .Execute(
          "INSERT INTO audit_events (time_ms, subject, role, method, resource, request_id, "
          "agency_code) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {Int(e.time_ms() ? e.time_ms() : db::NowUnixMillis()), Text(e.subject()), Text(e.role()),
           Text(e.method()), Text(e.resource()), Text(e.request_id()), Text(e.agency_code())})
      .status();
}

absl::StatusOr<Page<cpb::AuditEvent>> Repository::ListAudit(Connection& c,
                                                            const std::string& method,
                                                            int page_size, const std::string& token,
                                                            paging::PageQuery page_query) {
  page_query.Add("method", method);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 1);
  if (!key.ok()) return key.status();
  int64_t after = 0;
  if (!key->empty() && !absl::SimpleAtoi((*key)[0], &after)) {
    return BadCursor();
  }
  std::string sql =
      "SELECT id, time_ms, subject, role, method, resource, request_id, agency_code "
      "FROM audit_events WHERE id > ?";
  Params params = {Int(after)};
  if (!method.empty()) {
    sql += " AND method = ?";
    params.push_back(Text(method));
  }
  sql += " ORDER BY id LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<cpb::AuditEvent> events;
  for (const auto& r : rs->rows) {
    cpb::AuditEvent e;
    e.set_id(r.GetInt("id"));
    e.set_time_ms(r.GetInt("time_ms"));
    e.set_subject(r.GetString("subject"));
    e.set_role(r.GetString("role"));
    e.set_method(r.GetString("method"));
    e.set_resource(r.GetString("resource"));
    e.set_request_id(r.GetString("request_id"));
    e.set_agency_code(r.GetString("agency_code"));
    events.push_back(std::move(e));
  }
  return MakePage(std::move(events), page_size, page_query, [](const cpb::AuditEvent& e) {
    return std::vector<std::string>{absl::StrCat(e.id())};
  });
}

// ---------------------------------------------------------------- policies

absl::Status Repository::InsertPolicy(Connection& c, const tpb::Policy& p) {
  return c
      .Execute(
          "INSERT INTO policies (id, version, agency_code, name, update_time_ms, body) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {Text(p.id()), Int(p.version()), Text(p.agency_code()), Text(p.name()),
           Int(p.update_time_ms()), Text(EncodeBody(p))})
      .status();
}

absl::StatusOr<tpb::Policy> Repository::GetPolicy(Connection& c, const std::string& id,
                                                  int64_t version) {
  absl::StatusOr<std::optional<db::Row>> row =
      version == 0
          ? c.QueryOne("SELECT body FROM policies WHERE id = ? ORDER BY version DESC LIMIT 1",
                       {Text(id)})
          : c.QueryOne("SELECT body FROM policies WHERE id = ? AND version = ?",
                       {Text(id), Int(version)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    if (version == 0)
      return absl::NotFoundError(absl::StrCat("policy ", errors::Echo(id), " not found"));
    auto any = GetPolicy(c, id, 0);
    if (!any.ok()) return any.status();
    return absl::NotFoundError(
        absl::StrCat("policy ", errors::Echo(id), " has no version ", version));
  }
  return DecodeBody<tpb::Policy>((*row)->GetString(0));
}

absl::StatusOr<Page<tpb::Policy>> Repository::ListPolicies(Connection& c, const std::string& agency,
                                                           int page_size, const std::string& token,
                                                           paging::PageQuery page_query) {
  page_query.Add("agency_code", agency);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 1);
  if (!key.ok()) return key.status();
  std::string sql =
      "SELECT p.body FROM policies p WHERE p.id > ? AND p.version = "
      "(SELECT MAX(q.version) FROM policies q WHERE q.id = p.id)";
  Params params = {Text(key->empty() ? "" : (*key)[0])};
  if (!agency.empty()) {
    sql += " AND p.agency_code = ?";
    params.push_back(Text(agency));
  }
  sql += " ORDER BY p.id LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<tpb::Policy> out;
  for (const auto& r : rs->rows) {
    auto p = DecodeBody<tpb::Policy>(r.GetString(0));
    if (!p.ok()) return p.status();
    out.push_back(*std::move(p));
  }
  return MakePage(std::move(out), page_size, page_query,
                  [](const tpb::Policy& p) { return std::vector<std::string>{p.id()}; });
}

// ---------------------------------------------------------------- preferences

absl::Status Repository::UpsertPreference(Connection& c, const tpb::Preference& p) {
  // DELETE + INSERT: a portable upsert inside the caller's transaction.
  auto del = c.Execute("DELETE FROM preferences WHERE nip = ?", {Text(p.nip())});
  if (!del.ok()) return del.status();
  return c
      .Execute(
          "INSERT INTO preferences (nip, agency_code, valid_until, update_time_ms, body) "
          "VALUES (?, ?, ?, ?, ?)",
          {Text(p.nip()), Text(p.agency_code()), Text(DateText(p.valid_until())),
           Int(p.update_time_ms()), Text(EncodeBody(p))})
      .status();
}

absl::StatusOr<Page<tpb::Preference>> Repository::ListPreferences(
    Connection& c, const std::string& agency, const std::string& nip, int page_size,
    const std::string& token, paging::PageQuery page_query) {
  page_query.Add("agency_code", agency).Add("nip", nip);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 1);
  if (!key.ok()) return key.status();
  std::string sql = "SELECT body FROM preferences WHERE nip > ?";
  Params params = {Text(key->empty() ? "" : (*key)[0])};
  if (!agency.empty()) {
    sql += " AND agency_code = ?";
    params.push_back(Text(agency));
  }
  if (!nip.empty()) {
    sql += " AND nip = ?";
    params.push_back(Text(nip));
  }
  sql += " ORDER BY nip LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<tpb::Preference> out;
  for (const auto& r : rs->rows) {
    auto p = DecodeBody<tpb::Preference>(r.GetString(0));
    if (!p.ok()) return p.status();
    out.push_back(*std::move(p));
  }
  return MakePage(std::move(out), page_size, page_query,
                  [](const tpb::Preference& p) { return std::vector<std::string>{p.nip()}; });
}

absl::StatusOr<std::map<std::string, tpb::Preference>> Repository::ValidPreferences(
    Connection& c, const std::string& agency, const std::string& date) {
  auto rs = c.Query("SELECT body FROM preferences WHERE agency_code = ? AND valid_until >= ?",
                    {Text(agency), Text(date)});
  if (!rs.ok()) return rs.status();
  std::map<std::string, tpb::Preference> out;
  for (const auto& r : rs->rows) {
    auto p = DecodeBody<tpb::Preference>(r.GetString(0));
    if (!p.ok()) return p.status();
    out[p->nip()] = *std::move(p);
  }
  return out;
}

// ---------------------------------------------------------------- plans

absl::Status Repository::InsertPlan(Connection& c, const PlanRecord& plan) {
  return c
      .Execute(absl::StrCat("INSERT INTO plans (", kPlanColumns,
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
               PlanParams(plan))
      .status();
}

absl::StatusOr<PlanRecord> Repository::GetPlan(Connection& c, const std::string& id) {
  auto row =
      c.QueryOne(absl::StrCat("SELECT ", kPlanColumns, " FROM plans WHERE id = ?"), {Text(id)});
  if (!row.ok()) return row.status();
  if (!row->has_value())
    return absl::NotFoundError(absl::StrCat("plan ", errors::Echo(id), " not found"));
  absl::Status status;
  PlanRecord rec = PlanFromRow(**row, &status);
  if (!status.ok()) return status;
  return rec;
}

absl::StatusOr<PlanRecord> Repository::UpdatePlan(Connection& c, PlanRecord plan,
                                                  int64_t expected_version) {
  plan.version = expected_version + 1;
  plan.summary.set_etag(absl::StrCat(plan.version));
  const auto& s = plan.summary;
  auto n = c.Execute(
      "UPDATE plans SET state = ?, version = ?, submit_time_ms = ?, body = ? "
      "WHERE id = ? AND version = ?",
      {Int(s.state()), Int(plan.version), Int(plan.submit_time_ms), Text(EncodeBody(s)),
       Text(s.id()), Int(expected_version)});
  if (!n.ok()) return n.status();
  if (*n == 0) {
    return absl::AbortedError(
        absl::StrCat("plan ", s.id(), " was changed by someone else; reload it"));
  }
  return plan;
}

absl::StatusOr<Page<tpb::PlanSummary>> Repository::ListPlans(Connection& c,
                                                             const std::string& agency,
                                                             tpb::PlanState state, int page_size,
                                                             const std::string& token,
                                                             paging::PageQuery page_query) {
  page_query.Add("agency_code", agency).Add("state", state);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 2);
  if (!key.ok()) return key.status();
  std::string sql = absl::StrCat("SELECT ", kPlanColumns, " FROM plans WHERE 1 = 1");
  Params params;
  if (!agency.empty()) {
    sql += " AND agency_code = ?";
    params.push_back(Text(agency));
  }
  if (state != tpb::PLAN_STATE_UNSPECIFIED) {
    sql += " AND state = ?";
    params.push_back(Int(state));
  }
  if (!key->empty()) {
    int64_t t = 0;
    if (!absl::SimpleAtoi((*key)[0], &t)) {
      return BadCursor();
    }
    sql += " AND (create_time_ms < ? OR (create_time_ms = ? AND id < ?))";
    params.push_back(Int(t));
    params.push_back(Int(t));
    params.push_back(Text((*key)[1]));
  }
  sql += " ORDER BY create_time_ms DESC, id DESC LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<tpb::PlanSummary> out;
  for (const auto& r : rs->rows) {
    absl::Status status;
    PlanRecord rec = PlanFromRow(r, &status);
    if (!status.ok()) return status;
    out.push_back(std::move(rec.summary));
  }
  return MakePage(std::move(out), page_size, page_query, [](const tpb::PlanSummary& p) {
    return std::vector<std::string>{absl::StrCat(p.create_time_ms()), p.id()};
  });
}

absl::StatusOr<std::vector<std::string>> Repository::PlanIdsInState(Connection& c,
                                                                    tpb::PlanState state) {
  auto rs = c.Query("SELECT id FROM plans WHERE state = ? ORDER BY id", {Int(state)});
  if (!rs.ok()) return rs.status();
  std::vector<std::string> ids;
  for (const auto& r : rs->rows) ids.push_back(r.GetString(0));
  return ids;
}

absl::StatusOr<std::map<std::pair<std::string, int>, int64_t>> Repository::CountPlans(
    Connection& c) {
  auto rs =
      c.Query("SELECT agency_code, state, COUNT(*) AS n FROM plans GROUP BY agency_code, state");
  if (!rs.ok()) return rs.status();
  std::map<std::pair<std::string, int>, int64_t> out;
  for (const auto& r : rs->rows) {
    out[{r.GetString(0), static_cast<int>(r.GetInt(1))}] = r.GetInt(2);
  }
  return out;
}

// ---------------------------------------------------------------- moves

absl::Status Repository::InsertMoves(Connection& c, const std::string& plan_id,
                                     const std::vector<tpb::ExplainMoveResponse>& moves) {
  std::vector<Params> batch;
  batch.reserve(moves.size());
  for (const auto& e : moves) {
    const auto& m = e.move();
    batch.push_back({Text(plan_id), Text(m.id()), Text(m.nip()), Int(m.from_unit_id()),
                     Int(m.to_unit_id()), Text(m.job_family()), Real(m.importance()),
                     Int(tpb::MOVE_EXECUTION_STATE_PENDING), Text(""), Text(EncodeBody(e))});
  }
  if (batch.empty()) return absl::OkStatus();
  return c
      .ExecuteBatch(
          "INSERT INTO moves (plan_id, move_id, nip, from_unit_id, to_unit_id, job_family, "
          "importance, exec_state, exec_detail, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          batch)
      .status();
}

absl::StatusOr<Page<tpb::Move>> Repository::ListMoves(Connection& c, const std::string& plan_id,
                                                      const MoveFilter& f, int page_size,
                                                      const std::string& token,
                                                      paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id)
      .Add("unit_id", f.unit_id)
      .Add("job_family", f.job_family)
      .Add("by_importance", f.by_importance);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, f.by_importance ? 2 : 1);
  if (!key.ok()) return key.status();
  std::string sql = "SELECT move_id, importance, body FROM moves WHERE plan_id = ?";
  Params params = {Text(plan_id)};
  if (f.unit_id != 0) {
    sql += " AND (from_unit_id = ? OR to_unit_id = ?)";
    params.push_back(Int(f.unit_id));
    params.push_back(Int(f.unit_id));
  }
  if (!f.job_family.empty()) {
    sql += " AND job_family = ?";
    params.push_back(Text(f.job_family));
  }
  if (!key->empty()) {
    if (f.by_importance) {
      double imp = 0;
      if (!absl::SimpleAtod((*key)[0], &imp)) {
        return BadCursor();
      }
      sql += " AND (importance < ? OR (importance = ? AND move_id > ?))";
      params.push_back(Real(imp));
      params.push_back(Real(imp));
      params.push_back(Text((*key)[1]));
    } else {
      sql += " AND move_id > ?";
      params.push_back(Text((*key)[0]));
    }
  }
  sql +=
      f.by_importance ? " ORDER BY importance DESC, move_id LIMIT ?" : " ORDER BY move_id LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<tpb::Move> out;
  for (const auto& r : rs->rows) {
    auto e = DecodeBody<tpb::ExplainMoveResponse>(r.GetString("body"));
    if (!e.ok()) return e.status();
    out.push_back(e->move());
  }
  const bool by_imp = f.by_importance;
  return MakePage(std::move(out), page_size, page_query, [by_imp](const tpb::Move& m) {
    if (by_imp) {
      // %.17g round-trips a double exactly, so the keyset comparison is exact.
      return std::vector<std::string>{absl::StrFormat("%.17g", m.importance()), m.id()};
    }
    return std::vector<std::string>{m.id()};
  });
}

absl::StatusOr<tpb::ExplainMoveResponse> Repository::GetMove(Connection& c,
                                                             const std::string& plan_id,
                                                             const std::string& move_id) {
  auto row = c.QueryOne("SELECT body FROM moves WHERE plan_id = ? AND move_id = ?",
                        {Text(plan_id), Text(move_id)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("move ", errors::Echo(move_id), " not found in plan ", errors::Echo(plan_id)));
  }
  return DecodeBody<tpb::ExplainMoveResponse>((*row)->GetString(0));
}

absl::StatusOr<std::vector<tpb::ExplainMoveResponse>> Repository::MovesAfter(
    Connection& c, const std::string& plan_id, const std::string& after_move_id, int limit) {
  auto rs =
      c.Query("SELECT body FROM moves WHERE plan_id = ? AND move_id > ? ORDER BY move_id LIMIT ?",
              {Text(plan_id), Text(after_move_id), Int(limit)});
  if (!rs.ok()) return rs.status();
  std::vector<tpb::ExplainMoveResponse> out;
  for (const auto& r : rs->rows) {
    auto e = DecodeBody<tpb::ExplainMoveResponse>(r.GetString(0));
    if (!e.ok()) return e.status();
    out.push_back(*std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<tpb::Move>> Repository::PendingMoves(Connection& c,
                                                                const std::string& plan_id,
                                                                int limit) {
  auto rs = c.Query(
      "SELECT body FROM moves WHERE plan_id = ? AND exec_state = ? ORDER BY move_id LIMIT ?",
      {Text(plan_id), Int(tpb::MOVE_EXECUTION_STATE_PENDING), Int(limit)});
  if (!rs.ok()) return rs.status();
  std::vector<tpb::Move> out;
  for (const auto& r : rs->rows) {
    auto e = DecodeBody<tpb::ExplainMoveResponse>(r.GetString(0));
    if (!e.ok()) return e.status();
    out.push_back(e->move());
  }
  return out;
}

absl::Status Repository::SetMoveOutcomes(Connection& c, const std::string& plan_id,
                                         const std::vector<tpb::MoveExecution>& outcomes) {
  std::vector<Params> batch;
  for (const auto& o : outcomes) {
    batch.push_back({Int(o.state()), Text(o.detail()), Text(plan_id), Text(o.move_id())});
  }
  if (batch.empty()) return absl::OkStatus();
  return c
      .ExecuteBatch(
          "UPDATE moves SET exec_state = ?, exec_detail = ? WHERE plan_id = ? AND move_id = ?",
          batch)
      .status();
}

absl::StatusOr<MoveStateCounts> Repository::CountMoveStates(Connection& c,
                                                            const std::string& plan_id) {
  auto rs =
      c.Query("SELECT exec_state, COUNT(*) AS n FROM moves WHERE plan_id = ? GROUP BY exec_state",
              {Text(plan_id)});
  if (!rs.ok()) return rs.status();
  MoveStateCounts counts;
  for (const auto& r : rs->rows) {
    const int n = static_cast<int>(r.GetInt(1));
    counts.total += n;
    switch (r.GetInt(0)) {
      case tpb::MOVE_EXECUTION_STATE_PENDING:
        counts.pending += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_APPLIED:
        counts.applied += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_STALE:
        counts.stale += n;
        break;
      case tpb::MOVE_EXECUTION_STATE_FAILED:
        counts.failed += n;
        break;
      default:
        break;
    }
  }
  return counts;
}

absl::StatusOr<Page<tpb::MoveExecution>> Repository::ListMoveExecutions(
    Connection& c, const std::string& plan_id, int page_size, const std::string& token,
    paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 1);
  if (!key.ok()) return key.status();
  auto rs = c.Query(
      "SELECT move_id, nip, exec_state, exec_detail FROM moves WHERE plan_id = ? AND "
      "move_id > ? ORDER BY move_id LIMIT ?",
      {Text(plan_id), Text(key->empty() ? "" : (*key)[0]), Int(page_size + 1)});
  if (!rs.ok()) return rs.status();
  std::vector<tpb::MoveExecution> out;
  for (const auto& r : rs->rows) {
    tpb::MoveExecution m;
    m.set_move_id(r.GetString(0));
    m.set_nip(r.GetString(1));
    m.set_state(static_cast<tpb::MoveExecutionState>(r.GetInt(2)));
    m.set_detail(r.GetString(3));
    out.push_back(std::move(m));
  }
  return MakePage(std::move(out), page_size, page_query, [](const tpb::MoveExecution& m) {
    return std::vector<std::string>{m.move_id()};
  });
}

// ---------------------------------------------------------------- unfilled

absl::Status Repository::InsertUnfilled(Connection& c, const std::string& plan_id,
                                        const std::vector<tpb::UnfilledNeed>& needs) {
  std::vector<Params> batch;
  for (size_t i = 0; i < needs.size(); ++i) {
    batch.push_back({Text(plan_id), Int(static_cast<int64_t>(i)), Text(EncodeBody(needs[i]))});
  }
  if (batch.empty()) return absl::OkStatus();
  return c.ExecuteBatch("INSERT INTO unfilled_needs (plan_id, seq, body) VALUES (?, ?, ?)", batch)
      .status();
}

absl::StatusOr<std::vector<tpb::UnfilledNeed>> Repository::ListUnfilled(
    Connection& c, const std::string& plan_id) {
  auto rs =
      c.Query("SELECT body FROM unfilled_needs WHERE plan_id = ? ORDER BY seq", {Text(plan_id)});
  if (!rs.ok()) return rs.status();
  std::vector<tpb::UnfilledNeed> out;
  for (const auto& r : rs->rows) {
    auto u = DecodeBody<tpb::UnfilledNeed>(r.GetString(0));
    if (!u.ok()) return u.status();
    out.push_back(*std::move(u));
  }
  return out;
}

// ---------------------------------------------------------------- objections

absl::Status Repository::InsertObjection(Connection& c, const ObjectionRecord& rec) {
  const auto& o = rec.objection;
  return c
      .Execute(
          "INSERT INTO objections (id, plan_id, move_id, nip, agency_code, state, reason, "
          "resolution_note, filed_by, resolved_by, file_time_ms, resolve_time_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {Text(o.id()), Text(o.plan_id()), Text(o.move_id()), Text(o.nip()), Text(rec.agency_code),
           Int(o.state()), Text(o.reason()), Text(o.resolution_note()), Text(o.filed_by()),
           Text(o.resolved_by()), Int(o.file_time_ms()), Int(o.resolve_time_ms())})
      .status();
}

absl::StatusOr<ObjectionRecord> Repository::GetObjection(Connection& c, const std::string& id) {
  auto row = c.QueryOne("SELECT * FROM objections WHERE id = ?", {Text(id)});
  if (!row.ok()) return row.status();
  if (!row->has_value())
    return absl::NotFoundError(absl::StrCat("objection ", errors::Echo(id), " not found"));
  ObjectionRecord rec;
  rec.objection = ObjectionFromRow(**row);
  rec.agency_code = (*row)->GetString("agency_code");
  return rec;
}

absl::Status Repository::UpdateObjection(Connection& c, const tpb::Objection& o) {
  auto n = c.Execute(
      "UPDATE objections SET state = ?, resolution_note = ?, resolved_by = ?, "
      "resolve_time_ms = ? WHERE id = ?",
      {Int(o.state()), Text(o.resolution_note()), Text(o.resolved_by()), Int(o.resolve_time_ms()),
       Text(o.id())});
  if (!n.ok()) return n.status();
  if (*n == 0)
    return absl::NotFoundError(absl::StrCat("objection ", errors::Echo(o.id()), " not found"));
  return absl::OkStatus();
}

absl::StatusOr<Page<tpb::Objection>> Repository::ListObjections(
    Connection& c, const std::string& plan_id, tpb::ObjectionState state, int page_size,
    const std::string& token, paging::PageQuery page_query) {
  page_query.Add("plan_id", plan_id).Add("state", state);
  auto key = paging::ProcessPageTokens().Decode(page_query, token, 1);
  if (!key.ok()) return key.status();
  std::string sql = "SELECT * FROM objections WHERE plan_id = ? AND id > ?";
  Params params = {Text(plan_id), Text(key->empty() ? "" : (*key)[0])};
  if (state != tpb::OBJECTION_STATE_UNSPECIFIED) {
    sql += " AND state = ?";
    params.push_back(Int(state));
  }
  sql += " ORDER BY id LIMIT ?";
  params.push_back(Int(page_size + 1));
  auto rs = c.Query(sql, params);
  if (!rs.ok()) return rs.status();
  std::vector<tpb::Objection> out;
  for (const auto& r : rs->rows) out.push_back(ObjectionFromRow(r));
  return MakePage(std::move(out), page_size, page_query,
                  [](const tpb::Objection& o) { return std::vector<std::string>{o.id()}; });
}

// ---------------------------------------------------------------- executions

absl::Status Repository::InsertExecution(Connection& c, const ExecutionRecord& e) {
  return c
      .Execute(
          "INSERT INTO executions (plan_id, agency_code, start_time_ms, finish_time_ms, "
          "batches_done, last_error) VALUES (?, ?, ?, ?, ?, ?)",
          {Text(e.plan_id), Text(e.agency_code), Int(e.start_time_ms), Int(e.finish_time_ms),
           Int(e.batches_done), Text(e.last_error)})
      .status();
}

absl::StatusOr<std::optional<ExecutionRecord>> Repository::GetExecution(
    Connection& c, const std::string& plan_id) {
  auto row = c.QueryOne("SELECT * FROM executions WHERE plan_id = ?", {Text(plan_id)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<ExecutionRecord>();
  const db::Row& r = **row;
  ExecutionRecord e;
  e.plan_id = r.GetString("plan_id");
  e.agency_code = r.GetString("agency_code");
  e.start_time_ms = r.GetInt("start_time_ms");
  e.finish_time_ms = r.GetInt("finish_time_ms");
  e.batches_done = static_cast<int>(r.GetInt("batches_done"));
  e.last_error = r.GetString("last_error");
  return std::optional<ExecutionRecord>(std::move(e));
}

absl::Status Repository::UpdateExecution(Connection& c, const ExecutionRecord& e) {
  return c
      .Execute(
          "UPDATE executions SET finish_time_ms = ?, batches_done = ?, last_error = ? "
          "WHERE plan_id = ?",
          {Int(e.finish_time_ms), Int(e.batches_done), Text(e.last_error), Text(e.plan_id)})
      .status();
}

}  // namespace seimbang::transfer
