// Page tokens over the three real binaries (tests/integration/authz/three_services.h):
// a token is bound to its query (method, filters, caller), cannot be forged, shows
// no personal data, works on another replica sharing the secret, and paging through
// every page returns every row exactly once.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors/errors.h"
#include "tests/integration/authz/three_services.h"
#include "tests/support/test_db.h"

namespace seimbang::authz {
namespace {

using auth::Role;

// The personnel database is remembered, so a second replica can serve it.
class PageTokenTest : public ThreeServicesTest {
 protected:
  absl::StatusOr<std::string> Dsn(const std::string& prefix) override {
    absl::StatusOr<std::string> dsn = ThreeServicesTest::Dsn(prefix);
    if (dsn.ok()) dsns_[prefix] = *dsn;
    return dsn;
  }

  // One ListEmployees page of agency 73.72 as `token`, page_size 2.
  grpc::Status ListEmployees(const std::string& token, const std::string& page_token,
                             ppb::ListEmployeesResponse* resp, int64_t unit_subtree = 0,
                             ppb::PersonnelService::Stub* stub = nullptr) {
    ppb::ListEmployeesRequest req;
    req.mutable_filter()->set_agency_code("73.72");
    req.mutable_filter()->set_unit_subtree(unit_subtree);
    req.mutable_page()->set_page_size(2);
    req.mutable_page()->set_page_token(page_token);
    return (stub ? stub : pstub_.get())->ListEmployees(Ctx(token).get(), req, resp);
  }

  // The first page's token of agency 73.72 as admin.
  std::string FirstToken() {
    ppb::ListEmployeesResponse first;
    grpc::Status st = ListEmployees(admin_, "", &first);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(first.employees_size(), 2);
    EXPECT_FALSE(first.page().next_page_token().empty());
    return first.page().next_page_token();
  }

  std::map<std::string, std::string> dsns_;
};

// INVALID_ARGUMENT naming page.page_token only, with a short message.
void ExpectBadPageToken(const grpc::Status& st) {
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  std::vector<errors::FieldViolation> v = errors::FieldViolationsOf(st);
  ASSERT_EQ(v.size(), 1u) << st.error_message();
  EXPECT_EQ(v[0].field, "page.page_token");
  EXPECT_LE(st.error_message().size(), 200u);
}

// Issue 15 item 7: paging ListEmployees through every page returns every row exactly once.
TEST_F(PageTokenTest, PagingReturnsEveryRowExactlyOnce) {
  Seed();
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    ppb::ListEmployeesResponse resp;
    grpc::Status st = ListEmployees(admin_, token, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const auto& e : resp.employees()) seen.push_back(e.nip());
    token = resp.page().next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen, kNips72);  // NIP order, each once
}

// Issue 15 item 7: a ListEmployees token reused with another filter is INVALID_ARGUMENT
// (it used to skip rows silently: the token carried only the last NIP).
TEST_F(PageTokenTest, TokenOfAnotherFilterIsInvalid) {
  Seed();
  const std::string token = FirstToken();
  ppb::ListEmployeesResponse resp;
  ExpectBadPageToken(ListEmployees(admin_, token, &resp, /*unit_subtree=*/20));
  EXPECT_EQ(resp.employees_size(), 0);
  // Another List RPC of the same service is another query too.
  ppb::ListUnitsRequest units;
  units.set_agency_code("73.72");
  units.mutable_page()->set_page_token(token);
  ppb::ListUnitsResponse units_resp;
  ExpectBadPageToken(pstub_->ListUnits(Ctx(admin_).get(), units, &units_resp));
}

// Issue 15 item 7: the caller's scope is part of the query — an admin's token is refused
// to an operator of the same agency.
TEST_F(PageTokenTest, TokenOfAnotherCallerIsInvalid) {
  Seed();
  const std::string token = FirstToken();
  ppb::ListEmployeesResponse resp;
  ExpectBadPageToken(ListEmployees(Token(Role::kOperator, "73.72"), token, &resp));
}

// Issue 15 item 7: forged tokens — the old clear format naming a NIP, garbage, a flipped
// bit, a truncated token — are INVALID_ARGUMENT, never rows.
TEST_F(PageTokenTest, ForgedTokenIsInvalid) {
  Seed();
  const std::string token = FirstToken();
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  std::string flipped = raw;
  flipped[raw.size() / 2] = static_cast<char>(flipped[raw.size() / 2] ^ 0x20);
  for (const std::string& forged :
       {absl::WebSafeBase64Escape(absl::StrCat("employees|", kNips72[0])), std::string("%%%"),
        std::string(4000, 'A'), absl::WebSafeBase64Escape(flipped),
        token.substr(0, token.size() / 2),
        absl::WebSafeBase64Escape(std::string(raw.size(), '\x01'))}) {
    ppb::ListEmployeesResponse resp;
    ExpectBadPageToken(ListEmployees(admin_, forged, &resp));
    EXPECT_EQ(resp.employees_size(), 0);
  }
}

// Issue 15 item 7: a token carries no personal data in clear — no NIP, name or agency in
// the token or in its base64-decoded bytes.
TEST_F(PageTokenTest, TokenCarriesNoEmployeeFieldInClear) {
  Seed();
  ppb::ListEmployeesResponse first;
  grpc::Status st = ListEmployees(admin_, "", &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string token = first.page().next_page_token();
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  std::vector<std::string> needles = AllNips();
  for (const auto& e : first.employees()) {
    needles.push_back(e.name());
    needles.push_back(e.nip().substr(0, 8));  // the birth date inside a NIP
  }
  needles.insert(needles.end(), {"73.72", "employees", "ListEmployees", "Pegawai"});
  for (const std::string& n : needles) {
    EXPECT_FALSE(absl::StrContains(token, n)) << n;
    EXPECT_FALSE(absl::StrContains(raw, n)) << n;
  }
}

// Issue 15 item 7: a token works on another replica sharing the secret (round robin in
// prod), so the key is derived from the shared secret, not drawn per process.
TEST_F(PageTokenTest, TokenWorksOnAnotherReplica) {
  Seed();
  ::seimbang::testing::ServiceProcessOptions po;
  po.args = {"--db=" + dsns_.at("audit_p"), "--auth-hs256-secret-file=" + dir_ + "/secret"};
  auto replica = ::seimbang::testing::ServiceProcess::Start("personnel-service", po);
  ASSERT_TRUE(replica.ok()) << replica.status();
  auto stub = ppb::PersonnelService::NewStub(
      grpc::CreateChannel(replica->address(), grpc::InsecureChannelCredentials()));
  const std::string token = FirstToken();
  ppb::ListEmployeesResponse second;
  grpc::Status st = ListEmployees(admin_, token, &second, 0, stub.get());
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(second.employees_size(), 2);
  EXPECT_EQ(second.employees(0).nip(), kNips72[2]);
  replica->Stop();
}

// Issue 15 item 7: the same binding in workload and transfer (one implementation).
TEST_F(PageTokenTest, WorkloadAndTransferTokensAreBoundToo) {
  Seed();
  wpb::ListWorkloadsRequest wl;
  wl.set_agency_code("73.72");
  wl.mutable_page()->set_page_size(1);
  wpb::ListWorkloadsResponse wl_first;
  grpc::Status st = wstub_->ListWorkloads(Ctx(admin_).get(), wl, &wl_first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_FALSE(wl_first.page().next_page_token().empty());
  wl.mutable_page()->set_page_token(wl_first.page().next_page_token());
  wpb::ListWorkloadsResponse wl_next;
  st = wstub_->ListWorkloads(Ctx(admin_).get(), wl, &wl_next);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(wl_next.workloads_size(), 1);
  EXPECT_NE(wl_next.workloads(0).unit_id(), wl_first.workloads(0).unit_id());
  wl.set_unit_id(21);
  ExpectBadPageToken(wstub_->ListWorkloads(Ctx(admin_).get(), wl, &wl_next));

  tpb::ListAuditEventsRequest audit;
  audit.mutable_page()->set_page_size(1);
  tpb::ListAuditEventsResponse audit_first;
  st = tstub_->ListAuditEvents(Ctx(admin_).get(), audit, &audit_first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_FALSE(audit_first.page().next_page_token().empty());
  audit.mutable_page()->set_page_token(audit_first.page().next_page_token());
  audit.set_method("/seimbang.transfer.v1.TransferPlanningService/CreatePlan");
  tpb::ListAuditEventsResponse audit_next;
  ExpectBadPageToken(tstub_->ListAuditEvents(Ctx(admin_).get(), audit, &audit_next));
  // A personnel token is no transfer token.
  audit.clear_method();
  audit.mutable_page()->set_page_token(FirstToken());
  ExpectBadPageToken(tstub_->ListAuditEvents(Ctx(admin_).get(), audit, &audit_next));
}

// common.proto: page_size 0 means 100, above 1000 is INVALID_ARGUMENT on page.page_size.
TEST_F(PageTokenTest, PageSizeAbove1000IsInvalidInEveryService) {
  ppb::ListAgenciesRequest p;
  p.mutable_page()->set_page_size(1001);
  ppb::ListAgenciesResponse pr;
  wpb::ListAuditEventsRequest w;
  w.mutable_page()->set_page_size(1001);
  wpb::ListAuditEventsResponse wr;
  tpb::ListAuditEventsRequest t;
  t.mutable_page()->set_page_size(1001);
  tpb::ListAuditEventsResponse tr;
  for (const grpc::Status& st : {pstub_->ListAgencies(Ctx(admin_).get(), p, &pr),
                                 wstub_->ListAuditEvents(Ctx(admin_).get(), w, &wr),
                                 tstub_->ListAuditEvents(Ctx(admin_).get(), t, &tr)}) {
    ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    std::vector<errors::FieldViolation> v = errors::FieldViolationsOf(st);
    ASSERT_EQ(v.size(), 1u) << st.error_message();
    EXPECT_EQ(v[0].field, "page.page_size");
  }
}

}  // namespace
}  // namespace seimbang::authz
