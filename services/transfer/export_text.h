// Text exports of a plan: CSV lines (RFC 4180 quoting) and decree (SK) drafts.
#ifndef SEIMBANG_SERVICES_TRANSFER_EXPORT_TEXT_H_
#define SEIMBANG_SERVICES_TRANSFER_EXPORT_TEXT_H_

#include <string>
#include <string_view>

#include "seimbang/transfer/v1/transfer.pb.h"

namespace seimbang::transfer {

// "move_id,nip,name,family,from_unit,from_position,to_unit,to_position,cost,summary\n"
std::string CsvHeader();
// One line with a trailing newline; fields with a comma, quote or newline are quoted.
std::string CsvLine(const v1::Move& move);
std::string CsvField(std::string_view value);

// A plain-text draft of the transfer decree (Surat Keputusan) for one move.
std::string DecreeDraft(const v1::Move& move, const v1::PlanSummary& plan);

}  // namespace seimbang::transfer

#endif  // SEIMBANG_SERVICES_TRANSFER_EXPORT_TEXT_H_
