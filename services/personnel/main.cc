// personnel-service: the system of record of who works where.
#include "common/server/service_main.h"
#include "services/personnel/migrations.h"
#include "services/personnel/permissions.h"
#include "services/personnel/repository.h"
#include "services/personnel/service.h"

namespace {

using namespace seimbang;  // NOLINT: one-screen main

class PersonnelApp : public server::ServiceApp {
 public:
  explicit PersonnelApp(db::Pool& pool) : repo_(pool), service_(repo_) {}
  std::vector<grpc::Service*> Services() override { return {&service_}; }
  auth::PermissionTable Permissions() const override { return personnel::PersonnelPermissions(); }
  void OnMetrics(metrics::Metrics& m) override { service_.RegisterGauges(m.registry()); }

 private:
  personnel::Repository repo_;
  personnel::PersonnelService service_;
};

}  // namespace

int main(int argc, char** argv) {
  seimbang::server::ServiceSpec spec;
  spec.defaults = {"personnel", "0.0.0.0:7001", "0.0.0.0:9101"};
  spec.migrations = seimbang::personnel::Migrations;
  spec.build = [](const seimbang::server::ServerConfig&, seimbang::db::Pool& pool)
      -> absl::StatusOr<std::unique_ptr<seimbang::server::ServiceApp>> {
    return std::make_unique<PersonnelApp>(pool);
  };
  return seimbang::server::ServiceMain(argc, argv, spec);
}
