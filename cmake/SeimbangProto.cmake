# seimbang_proto_library(NAME target PROTOS a.proto ... [DEPS other_proto_targets...] [NO_GRPC])
# Generates C++ (and gRPC stubs unless NO_GRPC) for .proto files given relative to
# proto/, into ${CMAKE_BINARY_DIR}/gen, and builds them as one static library.
set(SEIMBANG_PROTO_ROOT ${CMAKE_SOURCE_DIR}/proto)
set(SEIMBANG_PROTO_GEN ${CMAKE_BINARY_DIR}/gen)
file(MAKE_DIRECTORY ${SEIMBANG_PROTO_GEN})

function(seimbang_proto_library)
  cmake_parse_arguments(P "NO_GRPC" "NAME" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(proto IN LISTS P_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem ${proto})
    set(outs ${SEIMBANG_PROTO_GEN}/${stem}.pb.cc ${SEIMBANG_PROTO_GEN}/${stem}.pb.h)
    set(plugin_args)
    if(NOT P_NO_GRPC)
      list(APPEND outs ${SEIMBANG_PROTO_GEN}/${stem}.grpc.pb.cc ${SEIMBANG_PROTO_GEN}/${stem}.grpc.pb.h)
      set(plugin_args --grpc_out=${SEIMBANG_PROTO_GEN} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc --proto_path=${SEIMBANG_PROTO_ROOT} --cpp_out=${SEIMBANG_PROTO_GEN}
              ${plugin_args} ${SEIMBANG_PROTO_ROOT}/${proto}
      DEPENDS ${SEIMBANG_PROTO_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}" VERBATIM)
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${P_NAME} STATIC ${srcs})
  # Generated code is not ours to lint.
  target_compile_options(${P_NAME} PRIVATE -w)
  target_include_directories(${P_NAME} SYSTEM PUBLIC ${SEIMBANG_PROTO_GEN})
  target_link_libraries(${P_NAME} PUBLIC protobuf::libprotobuf ${P_DEPS})
  if(NOT P_NO_GRPC)
    target_link_libraries(${P_NAME} PUBLIC gRPC::grpc++)
  endif()
endfunction()
