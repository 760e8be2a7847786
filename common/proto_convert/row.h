// A stored row read into a contract message by column name: one mapping instead of a setter per
// column in every repository.
#ifndef SEIMBANG_COMMON_PROTO_CONVERT_ROW_H_
#define SEIMBANG_COMMON_PROTO_CONVERT_ROW_H_

#include "common/db/value.h"
#include "google/protobuf/message.h"

namespace seimbang::proto_convert {

// Sets every singular scalar or enum field of `m` whose name is a column of `row` (int, float,
// bool, string and enum fields, converted from the column's value; an enum takes the number as
// stored). A NULL column, a column no field is named after, and message or repeated fields are
// left alone: the caller sets those (dates, locations) itself.
void SetFieldsFromRow(const db::Row& row, google::protobuf::Message& m);

// SetFieldsFromRow into a new T.
template <typename T>
T MessageFromRow(const db::Row& row) {
  T m;
  SetFieldsFromRow(row, m);
  return m;
}

}  // namespace seimbang::proto_convert

#endif  // SEIMBANG_COMMON_PROTO_CONVERT_ROW_H_
