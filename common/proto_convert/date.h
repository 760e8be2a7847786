#ifndef SEIMBANG_COMMON_PROTO_CONVERT_DATE_H_
#define SEIMBANG_COMMON_PROTO_CONVERT_DATE_H_

// The one conversion between the contract's seimbang.common.v1.Date and the
// domain's civil date. Field by field, no validation: domain::Date's own
// checks (domain/date.h) decide whether a date is real.

#include "common/domain/date.h"
#include "seimbang/common/v1/common.pb.h"

namespace seimbang::proto_convert {

inline domain::Date ToDomain(const common::v1::Date& d) { return {d.year(), d.month(), d.day()}; }

inline common::v1::Date ToProto(const domain::Date& d) {
  common::v1::Date out;
  out.set_year(d.year);
  out.set_month(d.month);
  out.set_day(d.day);
  return out;
}

}  // namespace seimbang::proto_convert

#endif  // SEIMBANG_COMMON_PROTO_CONVERT_DATE_H_
