#ifndef SEIMBANG_COMMON_PROTO_CONVERT_POSITION_H_
#define SEIMBANG_COMMON_PROTO_CONVERT_POSITION_H_

// The contract's position kind and functional level as the domain's, and the position's batas
// usia pensiun (BUP): one rule for personnel-service (retirement dates, eligibility hints) and
// seimbangctl (`positions show`).

#include "common/domain/retirement.h"
#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::proto_convert {

// UNSPECIFIED and unknown values are kPelaksana / kNone.
[[nodiscard]] domain::PositionKind ToDomain(personnel::v1::PositionKind kind);
[[nodiscard]] domain::FunctionalLevel ToDomain(personnel::v1::FunctionalLevel level);

// BUP in years: the position's own retirement_age, else the PP 11/2017 default for its kind and
// level, else 58 (the lowest, so an unknown position never keeps a retiree counted).
[[nodiscard]] int RetirementAge(const personnel::v1::Position& position);

}  // namespace seimbang::proto_convert

#endif  // SEIMBANG_COMMON_PROTO_CONVERT_POSITION_H_
