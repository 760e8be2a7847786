// Issue 16: the one Call of the three services, what a page token is bound to, and the one
// audit row every mutation writes.
#include "common/server/call.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/audit.h"

namespace seimbang::server {
namespace {

constexpr char kListEmployees[] = "/seimbang.personnel.v1.PersonnelService/ListEmployees";

Call OperatorCall(const std::string& agency) {
  Call call;
  call.caller.claims.subject = "op-" + agency;
  call.caller.claims.role = auth::Role::kOperator;
  call.caller.claims.agency = agency;
  call.incoming_request_id = "header-id";
  return call;
}

TEST(PageQueryOf, BindsTheMethodAndWhoAsks) {
  const Call a = OperatorCall("73.71");
  const Call b = OperatorCall("73.72");
  EXPECT_EQ(PageQueryOf(kListEmployees, a.caller).canonical(),
            PageQueryOf(kListEmployees, a.caller).canonical());
  EXPECT_NE(PageQueryOf(kListEmployees, a.caller).canonical(),
            PageQueryOf(kListEmployees, b.caller).canonical())
      << "another agency's caller may not reuse the token";
  EXPECT_NE(PageQueryOf(kListEmployees, a.caller).canonical(),
            PageQueryOf("/seimbang.personnel.v1.PersonnelService/ListUnits", a.caller).canonical())
      << "a token of one method is not a token of another";
  Call employee = a;
  employee.caller.claims.role = auth::Role::kEmployee;
  employee.caller.claims.nip = "198503122010011002";
  EXPECT_NE(PageQueryOf(kListEmployees, a.caller).canonical(),
            PageQueryOf(kListEmployees, employee.caller).canonical())
      << "role and NIP are part of the scope";
}

TEST(AuditEventOf, NamesWhoWhatWhereAndTheRequest) {
  const int64_t before = absl::ToUnixMillis(absl::Now());
  const common::v1::AuditEvent e = AuditEventOf(
      OperatorCall("73.71"), "/seimbang.workload.v1.WorkloadAnalysisService/RunAnalysis", "run/r-1",
      "own-id", "73.71");
  EXPECT_GE(e.time_ms(), before);
  EXPECT_LE(e.time_ms(), absl::ToUnixMillis(absl::Now()));
  EXPECT_EQ(e.subject(), "op-73.71");
  EXPECT_EQ(e.role(), "operator");
  EXPECT_EQ(e.method(), "/seimbang.workload.v1.WorkloadAnalysisService/RunAnalysis");
  EXPECT_EQ(e.resource(), "run/r-1");
  EXPECT_EQ(e.request_id(), "own-id") << "the message's own request_id comes first";
  EXPECT_EQ(e.agency_code(), "73.71");
}

TEST(AuditEventOf, FallsBackToTheCallsRequestIdAndBoundsWhatCallersSent) {
  Call call = OperatorCall("73.71");
  call.caller.claims.subject = std::string(500, 's');
  const common::v1::AuditEvent e = AuditEventOf(call, "/m", "x", "", "73.71");
  EXPECT_EQ(e.request_id(), "header-id") << "without its own, the x-request-id joins the logs";
  EXPECT_EQ(e.subject().size(), auth::kMaxAuditField);
}

}  // namespace
}  // namespace seimbang::server
