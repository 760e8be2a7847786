#pragma once

// The smallest agency a transfer can happen in, shared by the transfer
// integration and fault tests: Kota Makassar with two puskesmas and nurses
// (position JF-PK, family "health") in post since 2020-01-01.

#include <string>
#include <vector>

#include "seimbang/personnel/v1/personnel.pb.h"

namespace seimbang::testing {

inline constexpr char kNurseAgency[] = "73.71";

// The i-th nurse's NIP (0-based), valid per Perka BKN 22/2007.
std::string NurseNip(int i);

// ImportRecords rows: the agency, units 1 (Puskesmas A) and 2 (Puskesmas B),
// the position, `at_a` nurses in A (NurseNip(0..at_a-1)) and `at_b` in B after them.
std::vector<personnel::v1::ImportRecordsRequest> NurseAgencyRecords(int at_a, int at_b);

}  // namespace seimbang::testing
