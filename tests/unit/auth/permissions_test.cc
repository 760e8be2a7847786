#include "common/auth/permissions.h"

#include <string>
#include <string_view>

#include "common/auth/caller.h"
#include "gtest/gtest.h"

namespace seimbang::auth {
namespace {

const PermissionTable& Table() {
  static const PermissionTable* t =
      new PermissionTable({{"/seimbang.personnel.v1.PersonnelService/CreateAgency", {Role::kAdmin}},
                           {"/seimbang.personnel.v1.PersonnelService/GetEmployee",
                            {Role::kAdmin, Role::kOperator, Role::kViewer, Role::kEmployee}}});
  return *t;
}

TEST(PermissionTable, AllowsTheListedRoles) {
  EXPECT_TRUE(
      Table().Check("/seimbang.personnel.v1.PersonnelService/CreateAgency", Role::kAdmin).ok());
}

// `role` calling `method` is denied, saying `message`.
void ExpectDenied(std::string_view method, Role role, const std::string& message) {
  absl::Status s = Table().Check(method, role);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), message);
}

TEST(PermissionTable, DeniesARoleNotListedForTheMethod) {
  ExpectDenied("/seimbang.personnel.v1.PersonnelService/CreateAgency", Role::kViewer,
               "role viewer may not call /seimbang.personnel.v1.PersonnelService/CreateAgency");
}

TEST(PermissionTable, DeniesAMethodMissingFromTheTableEvenToAdmin) {
  ExpectDenied("/seimbang.personnel.v1.PersonnelService/DropEverything", Role::kAdmin,
               "method /seimbang.personnel.v1.PersonnelService/DropEverything is "
               "not in the permission table");
}

TEST(PermissionTable, HealthAndReflectionArePublic) {
  EXPECT_TRUE(PermissionTable::IsPublic("/grpc.health.v1.Health/Check"));
  EXPECT_TRUE(PermissionTable::IsPublic("/grpc.health.v1.Health/Watch"));
  EXPECT_TRUE(
      PermissionTable::IsPublic("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"));
  EXPECT_FALSE(PermissionTable::IsPublic("/seimbang.personnel.v1.PersonnelService/GetEmployee"));
  EXPECT_FALSE(PermissionTable::IsPublic(""));
}

Caller Of(Role role, std::string agency, std::string nip = "") {
  Caller c;
  c.claims.role = role;
  c.claims.agency = std::move(agency);
  c.claims.nip = std::move(nip);
  return c;
}

TEST(AgencyScope, AdminAndServiceSpanAllAgencies) {
  EXPECT_TRUE(CheckAgencyScope(Of(Role::kAdmin, ""), "73.72").ok());
  EXPECT_TRUE(CheckAgencyScope(Of(Role::kService, ""), "73.72").ok());
}

TEST(AgencyScope, AnOperatorActsOnlyOnTheirOwnAgency) {
  EXPECT_TRUE(CheckAgencyScope(Of(Role::kOperator, "73.71"), "73.71").ok());
  absl::Status s = CheckAgencyScope(Of(Role::kOperator, "73.71"), "73.72");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "caller of agency 73.71 may not act on agency 73.72");
}

// The agency a List RPC reads, the same in all three services.
TEST(ListAgency, AdminAndServiceReadWhatTheyNameOrEveryAgency) {
  for (Role role : {Role::kAdmin, Role::kService}) {
    EXPECT_EQ(ListAgency(Of(role, "73.71"), "").value(), "");
    EXPECT_EQ(ListAgency(Of(role, "73.71"), "73.72").value(), "73.72");
    EXPECT_TRUE(SpansAllAgencies(Of(role, "73.71")));
  }
}

TEST(ListAgency, AnyoneElseReadsTheirOwnAgencyAndNoOther) {
  for (Role role : {Role::kOperator, Role::kViewer, Role::kApprover, Role::kEmployee}) {
    const Caller c = Of(role, "73.71");
    EXPECT_FALSE(SpansAllAgencies(c));
    EXPECT_EQ(ListAgency(c, "").value(), "73.71");
    EXPECT_EQ(ListAgency(c, "73.71").value(), "73.71");
    absl::StatusOr<std::string> other = ListAgency(c, "73.72");
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(other.status().message(), "caller of agency 73.71 may not act on agency 73.72");
  }
}

TEST(Self, AnEmployeeActsOnlyOnTheirOwnRecord) {
  const Caller e = Of(Role::kEmployee, "73.71", "198503152010011001");
  EXPECT_TRUE(CheckSelf(e, "198503152010011001").ok());
  absl::Status s = CheckSelf(e, "199001012015022002");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "an employee may act only on their own record");
  EXPECT_TRUE(CheckSelf(Of(Role::kOperator, "73.71"), "199001012015022002").ok());
}

TEST(Caller, WithoutAVerifierIsUnauthenticatedUnlessInsecureDev) {
  SetInsecureDevMode(false);
  SetCallerVerifier(std::nullopt);
  grpc::ServerContext ctx;
  absl::StatusOr<Caller> c = CallerFromContext(ctx);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(c.status().message(), "no authenticated caller");
  SetInsecureDevMode(true);
  c = CallerFromContext(ctx);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->claims.role, Role::kAdmin);
  EXPECT_TRUE(c->insecure_dev);
  SetInsecureDevMode(false);
}

}  // namespace
}  // namespace seimbang::auth
