// The use cases of the catalogue: agencies, units (a tree per agency) and positions (shared by
// every agency). Each checks shape and scope, then reads or writes through the repository; every
// write leaves a change-feed row and an audit row in its transaction.
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
[[nodiscard]] absl::Status GetAgency(Repository& repo, const Call& call,
                                     const pv1::GetAgencyRequest& req,
                                     pv1::GetAgencyResponse* resp);
[[nodiscard]] absl::Status ListAgencies(Repository& repo, const Call& call,
                                        const pv1::ListAgenciesRequest& req,
                                        pv1::ListAgenciesResponse* resp);
[[nodiscard]] absl::Status CreateUnit(Repository& repo, const Call& call,
                                      const pv1::CreateUnitRequest& req,
                                      pv1::CreateUnitResponse* resp);
[[nodiscard]] absl::Status GetUnit(Repository& repo, const Call& call,
                                   const pv1::GetUnitRequest& req, pv1::GetUnitResponse* resp);
[[nodiscard]] absl::Status UpdateUnit(Repository& repo, const Call& call,
                                      const pv1::UpdateUnitRequest& req,
                                      pv1::UpdateUnitResponse* resp);
[[nodiscard]] absl::Status ListUnits(Repository& repo, const Call& call,
                                     const pv1::ListUnitsRequest& req,
                                     pv1::ListUnitsResponse* resp);
[[nodiscard]] absl::Status CreatePosition(Repository& repo, const Call& call,
                                          const pv1::CreatePositionRequest& req,
                                          pv1::CreatePositionResponse* resp);
[[nodiscard]] absl::Status GetPosition(Repository& repo, const pv1::GetPositionRequest& req,
                                       pv1::GetPositionResponse* resp);
[[nodiscard]] absl::Status ListPositions(Repository& repo, const Call& call,
                                         const pv1::ListPositionsRequest& req,
                                         pv1::ListPositionsResponse* resp);

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_CATALOGUE_WORKFLOW_H_
