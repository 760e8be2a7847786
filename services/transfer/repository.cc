#include "services/transfer/repository.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/audit/audit_rows.h"
#include "common/errors/errors.h"
#include "common/errors/status_macros.h"
#include "common/proto_convert/date.h"
#include "common/proto_convert/stored_body.h"
#include "services/transfer/repository_internal.h"

namespace seimbang::transfer {
namespace {

using repository_internal::DecodeBodies;
using repository_internal::MakePage;

std::string DateText(const cpb::Date& d) { return domain::FormatDate(proto_convert::ToDomain(d)); }

PlanRecord PlanFromRow(const db::Row& row, absl::Status* status) {
  PlanRecord rec;
  auto body = proto_convert::DecodeBody<tpb::PlanSummary>(row.GetString("body"));
  if (!body.ok()) {
    *status = body.status();
    return rec;
  }
  rec.summary = *std::move(body);
  rec.version = row.GetInt("version");
  rec.submit_time_ms = row.GetInt("submit_time_ms");
  rec.summary.set_submit_time_ms(rec.submit_time_ms);  // Also for plans submitted before 33.
  rec.summary.set_state(static_cast<tpb::PlanState>(row.GetInt("state")));
  rec.summary.set_etag(absl::StrCat(rec.version));
  return rec;
}

constexpr char kPlanColumns[] =
    "id, agency_code, state, version, revision, parent_plan_id, analysis_run_id, policy_id, "
    "policy_version, effective_date, staffing_digest, create_time_ms, submit_time_ms, body";

db::Params PlanParams(const PlanRecord& p) {
  const auto& s = p.summary;
  return {db::Text(s.id()),
          db::Text(s.agency_code()),
          db::Int(s.state()),
          db::Int(p.version),
          db::Int(s.revision()),
          db::Text(s.parent_plan_id()),
          db::Text(s.analysis_run_id()),
          db::Text(s.policy_id()),
          db::Int(s.policy_version()),
          db::Text(DateText(s.effective_date())),
          db::Text(s.staffing_digest()),
          db::Int(s.create_time_ms()),
          db::Int(p.submit_time_ms),
          db::Text(proto_convert::EncodeBody(s))};
}

}  // namespace

// ---------------------------------------------------------------- audit

absl::Status Repository::InsertAudit(db::Connection& c, const cpb::AuditEvent& e) {
  return audit::InsertEvent(c, e);
}

absl::StatusOr<Page<cpb::AuditEvent>> Repository::ListAudit(db::Connection& c,
                                                            const std::string& method,
                                                            int page_size, const std::string& token,
                                                            paging::PageQuery page_query) {
  page_query.Add("method", method);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 1));
  int64_t after = 0;
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(after, paging::CursorInt(key[0]));
  }
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<cpb::AuditEvent> events,
                            audit::ListEvents(c, method, after, page_size + 1));
  return MakePage(std::move(events), page_size, page_query, [](const cpb::AuditEvent& e) {
    return std::vector<std::string>{absl::StrCat(e.id())};
  });
}

// ---------------------------------------------------------------- policies

absl::Status Repository::InsertPolicy(db::Connection& c, const tpb::Policy& p) {
  return c
      .Execute(
          "INSERT INTO policies (id, version, agency_code, name, update_time_ms, body) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {db::Text(p.id()), db::Int(p.version()), db::Text(p.agency_code()), db::Text(p.name()),
           db::Int(p.update_time_ms()), db::Text(proto_convert::EncodeBody(p))})
      .status();
}

absl::StatusOr<tpb::Policy> Repository::GetPolicy(db::Connection& c, const std::string& id,
                                                  int64_t version) {
  absl::StatusOr<std::optional<db::Row>> row =
      version == 0
          ? c.QueryOne("SELECT body FROM policies WHERE id = ? ORDER BY version DESC LIMIT 1",
                       {db::Text(id)})
          : c.QueryOne("SELECT body FROM policies WHERE id = ? AND version = ?",
                       {db::Text(id), db::Int(version)});
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    if (version == 0)
      return absl::NotFoundError(absl::StrCat("policy ", errors::Echo(id), " not found"));
    auto any = GetPolicy(c, id, 0);
    if (!any.ok()) return any.status();
    return absl::NotFoundError(
        absl::StrCat("policy ", errors::Echo(id), " has no version ", version));
  }
  return proto_convert::DecodeBody<tpb::Policy>((*row)->GetString(0));
}

absl::StatusOr<Page<tpb::Policy>> Repository::ListPolicies(db::Connection& c,
                                                           const std::string& agency, int page_size,
                                                           const std::string& token,
                                                           paging::PageQuery page_query) {
  page_query.Add("agency_code", agency);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 1));
  std::string sql =
      "SELECT p.body FROM policies p WHERE p.id > ? AND p.version = "
      "(SELECT MAX(q.version) FROM policies q WHERE q.id = p.id)";
  db::Params params = {db::Text(key.empty() ? "" : key[0])};
  db::AndWhere(!agency.empty(), "p.agency_code = ?", db::Text(agency), sql, params);
  sql += " ORDER BY p.id LIMIT ?";
  params.push_back(db::Int(page_size + 1));
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql, params));
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<tpb::Policy> out, DecodeBodies<tpb::Policy>(rs));
  SEIMBANG_ASSIGN_OR_RETURN(
      auto count, agency.empty()
                      ? c.QueryOne("SELECT COUNT(DISTINCT id) FROM policies", {})
                      : c.QueryOne("SELECT COUNT(DISTINCT id) FROM policies WHERE agency_code = ?",
                                   {db::Text(agency)}));
  Page<tpb::Policy> page =
      MakePage(std::move(out), page_size, page_query,
               [](const tpb::Policy& p) { return std::vector<std::string>{p.id()}; });
  page.total_size = count ? count->GetInt(0) : 0;
  return page;
}

// ---------------------------------------------------------------- preferences

absl::Status Repository::UpsertPreference(db::Connection& c, const tpb::Preference& p) {
  // DELETE + INSERT: a portable upsert inside the caller's transaction.
  auto del = c.Execute("DELETE FROM preferences WHERE nip = ?", {db::Text(p.nip())});
  if (!del.ok()) return del.status();
  return c
      .Execute(
          "INSERT INTO preferences (nip, agency_code, valid_until, update_time_ms, body) "
          "VALUES (?, ?, ?, ?, ?)",
          {db::Text(p.nip()), db::Text(p.agency_code()), db::Text(DateText(p.valid_until())),
           db::Int(p.update_time_ms()), db::Text(proto_convert::EncodeBody(p))})
      .status();
}

absl::StatusOr<Page<tpb::Preference>> Repository::ListPreferences(
    db::Connection& c, const std::string& agency, const std::string& nip, int page_size,
    const std::string& token, paging::PageQuery page_query) {
  page_query.Add("agency_code", agency).Add("nip", nip);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 1));
  std::string sql = "SELECT body FROM preferences WHERE nip > ?";
  db::Params params = {db::Text(key.empty() ? "" : key[0])};
  db::AndWhere(!agency.empty(), "agency_code = ?", db::Text(agency), sql, params);
  db::AndWhere(!nip.empty(), "nip = ?", db::Text(nip), sql, params);
  sql += " ORDER BY nip LIMIT ?";
  params.push_back(db::Int(page_size + 1));
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql, params));
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<tpb::Preference> out, DecodeBodies<tpb::Preference>(rs));
  return MakePage(std::move(out), page_size, page_query,
                  [](const tpb::Preference& p) { return std::vector<std::string>{p.nip()}; });
}

absl::StatusOr<std::map<std::string, tpb::Preference>> Repository::ValidPreferences(
    db::Connection& c, const std::string& agency, const std::string& date) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT body FROM preferences WHERE agency_code = ? AND valid_until >= ?",
              {db::Text(agency), db::Text(date)}));
  std::map<std::string, tpb::Preference> out;
  for (const auto& r : rs.rows) {
    auto p = proto_convert::DecodeBody<tpb::Preference>(r.GetString(0));
    if (!p.ok()) return p.status();
    out[p->nip()] = *std::move(p);
  }
  return out;
}

// ---------------------------------------------------------------- plans

absl::Status Repository::InsertPlan(db::Connection& c, const PlanRecord& plan) {
  return c
      .Execute(absl::StrCat("INSERT INTO plans (", kPlanColumns,
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
               PlanParams(plan))
      .status();
}

namespace {
absl::StatusOr<PlanRecord> ReadPlan(db::Connection& c, const std::string& id, bool lock) {
  const bool for_update = lock && c.dialect() == db::Dialect::kMysql;
  SEIMBANG_ASSIGN_OR_RETURN(
      std::optional<db::Row> row,
      c.QueryOne(absl::StrCat("SELECT ", kPlanColumns, " FROM plans WHERE id = ?",
                              for_update ? " FOR UPDATE" : ""),
                 {db::Text(id)}));
  if (!row.has_value())
    return absl::NotFoundError(absl::StrCat("plan ", errors::Echo(id), " not found"));
  absl::Status status;
  PlanRecord rec = PlanFromRow(*row, &status);
  if (!status.ok()) return status;
  return rec;
}
}  // namespace

absl::StatusOr<PlanRecord> Repository::GetPlan(db::Connection& c, const std::string& id) {
  return ReadPlan(c, id, /*lock=*/false);
}

absl::StatusOr<PlanRecord> Repository::LockPlan(db::Connection& c, const std::string& id) {
  return ReadPlan(c, id, /*lock=*/true);
}

absl::StatusOr<PlanRecord> Repository::UpdatePlan(db::Connection& c, PlanRecord plan,
                                                  int64_t expected_version) {
  plan.version = expected_version + 1;
  plan.summary.set_etag(absl::StrCat(plan.version));
  const auto& s = plan.summary;
  auto n = c.Execute(
      "UPDATE plans SET state = ?, version = ?, submit_time_ms = ?, body = ? "
      "WHERE id = ? AND version = ?",
      {db::Int(s.state()), db::Int(plan.version), db::Int(plan.submit_time_ms),
       db::Text(proto_convert::EncodeBody(s)), db::Text(s.id()), db::Int(expected_version)});
  if (!n.ok()) return n.status();
  if (*n == 0) {
    return absl::AbortedError(
        absl::StrCat("plan ", s.id(), " was changed by someone else; reload it"));
  }
  return plan;
}

absl::StatusOr<Page<tpb::PlanSummary>> Repository::ListPlans(db::Connection& c,
                                                             const std::string& agency,
                                                             tpb::PlanState state, int page_size,
                                                             const std::string& token,
                                                             paging::PageQuery page_query) {
  page_query.Add("agency_code", agency).Add("state", state);
  SEIMBANG_ASSIGN_OR_RETURN(std::vector<std::string> key,
                            paging::ProcessPageTokens().Decode(page_query, token, 2));
  std::string sql = absl::StrCat("SELECT ", kPlanColumns, " FROM plans WHERE 1 = 1");
  db::Params params;
  db::AndWhere(!agency.empty(), "agency_code = ?", db::Text(agency), sql, params);
  db::AndWhere(state != tpb::PLAN_STATE_UNSPECIFIED, "state = ?", db::Int(state), sql, params);
  if (!key.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(const int64_t t, paging::CursorInt(key[0]));
    sql += " AND (create_time_ms < ? OR (create_time_ms = ? AND id < ?))";
    params.push_back(db::Int(t));
    params.push_back(db::Int(t));
    params.push_back(db::Text(key[1]));
  }
  sql += " ORDER BY create_time_ms DESC, id DESC LIMIT ?";
  params.push_back(db::Int(page_size + 1));
  SEIMBANG_ASSIGN_OR_RETURN(db::ResultSet rs, c.Query(sql, params));
  std::vector<tpb::PlanSummary> out;
  for (const auto& r : rs.rows) {
    absl::Status status;
    PlanRecord rec = PlanFromRow(r, &status);
    if (!status.ok()) return status;
    out.push_back(std::move(rec.summary));
  }
  return MakePage(std::move(out), page_size, page_query, [](const tpb::PlanSummary& p) {
    return std::vector<std::string>{absl::StrCat(p.create_time_ms()), p.id()};
  });
}

absl::StatusOr<std::vector<std::string>> Repository::PlanIdsInState(db::Connection& c,
                                                                    tpb::PlanState state) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT id FROM plans WHERE state = ? ORDER BY id", {db::Int(state)}));
  std::vector<std::string> ids;
  for (const auto& r : rs.rows) ids.push_back(r.GetString(0));
  return ids;
}

absl::StatusOr<std::map<std::pair<std::string, int>, int64_t>> Repository::CountPlans(
    db::Connection& c) {
  SEIMBANG_ASSIGN_OR_RETURN(
      db::ResultSet rs,
      c.Query("SELECT agency_code, state, COUNT(*) AS n FROM plans GROUP BY agency_code, state"));
  std::map<std::pair<std::string, int>, int64_t> out;
  for (const auto& r : rs.rows) {
    out[{r.GetString(0), static_cast<int>(r.GetInt(1))}] = r.GetInt(2);
  }
  return out;
}

}  // namespace seimbang::transfer
