#include "services/personnel/history_workflow.h"

#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth/caller.h"
#include "common/domain/nip.h"
#include "common/errors/status_macros.h"

namespace seimbang::personnel {

using auth::Role;

absl::Status ListPlacementHistory(Repository& repo, const Call& call,
                                  const pv1::ListPlacementHistoryRequest& req,
                                  pv1::ListPlacementHistoryResponse* resp) {
  const auth::Caller& caller = call.caller;
  SEIMBANG_RETURN_IF_ERROR(auth::CheckSelf(caller, req.nip()));
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListPlacementHistory"), caller);
  page_query.Add("nip", req.nip());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  int64_t before_id = 0;
  if (!after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(before_id, paging::CursorInt(after));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto e, repo.GetEmployee(req.nip()));
  if (!e) {
    return absl::NotFoundError(absl::StrCat("employee ", domain::MaskNip(req.nip()), " not found"));
  }
  if (caller.claims.role != Role::kEmployee) {
    SEIMBANG_RETURN_IF_ERROR(auth::CheckAgencyScope(caller, e->agency_code()));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListPlacements(req.nip(), before_id, size + 1));
  resp->mutable_page()->set_total_size(-1);
  resp->mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, page_query,
      [](const pv1::Placement& p) { return std::vector<std::string>{absl::StrCat(p.id())}; }));
  for (pv1::Placement& p : rows) *resp->add_placements() = std::move(p);
  return absl::OkStatus();
}

absl::Status ListAuditEvents(Repository& repo, const Call& call,
                             const pv1::ListAuditEventsRequest& req,
                             pv1::ListAuditEventsResponse* resp) {
  const auth::Caller& caller = call.caller;
  int size = 0;
  std::string after;
  paging::PageQuery page_query = server::PageQueryOf(MethodPath("ListAuditEvents"), caller);
  page_query.Add("method", req.method());
  SEIMBANG_RETURN_IF_ERROR(CheckPage(req.page(), page_query, &size, &after));
  int64_t after_id = 0;
  if (!after.empty()) {
    SEIMBANG_ASSIGN_OR_RETURN(after_id, paging::CursorInt(after));
  }
  SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListAuditEvents(req.method(), after_id, size + 1));
  resp->mutable_page()->set_total_size(-1);
  resp->mutable_page()->set_next_page_token(paging::TrimToPage(
      rows, size, page_query,
      [](const cv1::AuditEvent& e) { return std::vector<std::string>{absl::StrCat(e.id())}; }));
  for (cv1::AuditEvent& e : rows) *resp->add_events() = std::move(e);
  return absl::OkStatus();
}

absl::Status WatchChanges(Repository& repo, const Call& call, const pv1::WatchChangesRequest& req,
                          const StreamOut<pv1::WatchChangesResponse>& out) {
  SEIMBANG_ASSIGN_OR_RETURN(auto agency, auth::ListAgency(call.caller, req.agency_code()));
  if (req.after_sequence() < 0) return Invalid("after_sequence", "must not be negative");
  int64_t after = req.after_sequence();
  constexpr int kPage = 500;
  while (true) {
    if (out.cancelled()) return absl::OkStatus();
    SEIMBANG_ASSIGN_OR_RETURN(auto rows, repo.ListChanges(after, agency, kPage));
    for (const auto& c : rows) {
      if (!out.write(c)) return absl::OkStatus();  // the client went away
      after = c.sequence();
    }
    if (static_cast<int>(rows.size()) == kPage) continue;
    if (!req.follow()) return absl::OkStatus();
    // Poll the outbox; the call's deadline or cancellation ends the stream.
    for (int i = 0; i < 4; ++i) {
      if (out.cancelled() || out.past_deadline()) return absl::OkStatus();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace seimbang::personnel
