#include "common/proto_convert/row.h"

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace seimbang::proto_convert {

namespace {

using google::protobuf::FieldDescriptor;

void SetField(const db::Row& row, size_t i, const FieldDescriptor& f,
              google::protobuf::Message& m) {
  const google::protobuf::Reflection& r = *m.GetReflection();
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      r.SetInt32(&m, &f, static_cast<int32_t>(row.GetInt(i)));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r.SetInt64(&m, &f, row.GetInt(i));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r.SetUInt32(&m, &f, static_cast<uint32_t>(row.GetInt(i)));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r.SetUInt64(&m, &f, static_cast<uint64_t>(row.GetInt(i)));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r.SetDouble(&m, &f, row.GetDouble(i));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r.SetFloat(&m, &f, static_cast<float>(row.GetDouble(i)));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      r.SetBool(&m, &f, row.GetBool(i));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      r.SetEnumValue(&m, &f, static_cast<int>(row.GetInt(i)));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      r.SetString(&m, &f, row.GetString(i));
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
}

}  // namespace

void SetFieldsFromRow(const db::Row& row, google::protobuf::Message& m) {
  const google::protobuf::Descriptor& d = *m.GetDescriptor();
  const std::vector<std::string>& columns = row.columns();
  for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    const FieldDescriptor* f = d.FindFieldByName(columns[i]);
    if (f == nullptr || f->is_repeated() || f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
        row.IsNull(i)) {
      continue;
    }
    SetField(row, i, *f, m);
  }
}

}  // namespace seimbang::proto_convert
