// One bad field of an input, the one type every layer uses: the pure libraries (abk, planner)
// return it from their validators, common/errors turns a list of them into INVALID_ARGUMENT with
// a google.rpc.BadRequest payload, and the services copy them from one to the other unchanged.
#ifndef SEIMBANG_COMMON_DOMAIN_FIELD_VIOLATION_H_
#define SEIMBANG_COMMON_DOMAIN_FIELD_VIOLATION_H_

#include <string>

namespace seimbang::domain {

// `field` is a path like "employee.nip" or "candidates[3].current"; `description` says why,
// e.g. "must have 18 digits". Mirrors google.rpc.BadRequest.FieldViolation.
struct FieldViolation {
  std::string field;
  std::string description;

  friend bool operator==(const FieldViolation& a, const FieldViolation& b) {
    return a.field == b.field && a.description == b.description;
  }
};

}  // namespace seimbang::domain

#endif  // SEIMBANG_COMMON_DOMAIN_FIELD_VIOLATION_H_
