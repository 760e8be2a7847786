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

[[nodiscard]] UnaryWorkflow<pv1::CreateAgencyRequest, pv1::CreateAgencyResponse> CreateAgency;
[[nodiscard]] UnaryWorkflow<pv1::CreateUnitRequest, pv1::CreateUnitResponse> CreateUnit;
[[nodiscard]] UnaryWorkflow<pv1::UpdateUnitRequest, pv1::UpdateUnitResponse> UpdateUnit;
[[nodiscard]] UnaryWorkflow<pv1::CreatePositionRequest, pv1::CreatePositionResponse> CreatePosition;

}  // namespace seimbang::personnel

#endif  // SEIMBANG_SERVICES_PERSONNEL_CATALOGUE_WORKFLOW_H_
