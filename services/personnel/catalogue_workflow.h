// The writes of the catalogue: agencies, units (a tree per agency) and positions (shared by every
// agency). Each checks shape and scope, then writes through the repository, leaving a change-feed
// row and an audit row in its transaction. Their reads are query_workflow.
#ifndef SEIMBANG_SERVICES_PERSONNEL_CATALOGUE_WORKFLOW_H_
#define SEIMBANG_SERVICES_PERSONNEL_CATALOGUE_WORKFLOW_H_

#include "absl/status/status.h"
#include "seimbang/personnel/v1/personnel.pb.h"
#include "services/personnel/repository.h"
#include "services/personnel/workflow_support.h"

namespace seimbang::personnel {

[[nodiscard]] absl::Status CreateAgency(Repository& repo, const Call& call,
                                        const pv1::CreateAgencyRequest& req,
                                        pv1::CreateAgencyResponse* resp);
[[nodiscard]] absl::Status CreateUnit(Repository& repo, const Call& call,
                                      const pv1::CreateUnitRequest& req,
                                      pv1::CreateUnitResponse* resp);
[[nodiscard]] absl::Status UpdateUnit(Repository& repo, const Call& call,
                                      const pv1::UpdateUnitRequest& req,
                                      pv1::UpdateUnitResponse* resp);
[[nodiscard]] absl::Status CreatePosition(Repository& repo, const Call& call,
                                          const pv1::CreatePositionRequest& req,
                                          pv1::CreatePositionResponse* resp);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_CATALOGUE_WORKFLOW_H_
