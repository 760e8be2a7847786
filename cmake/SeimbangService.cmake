# seimbang_add_service(<name> SOURCES <file>... LIBS <library>... [PRIVATE_LIBS <library>...]
#                      IDEMPOTENCY_MIGRATION <version>)
#
# The shape every service folder shares (the Layout of each services/<name>/README.md): the library
# seimbang_<name>_lib of SOURCES (all but main.cc), linked PUBLIC to LIBS and PRIVATE to
# PRIVATE_LIBS, with the repository root on its include path; its schema embedded from
# migrations/{sqlite,mysql} as seimbang::<name>::Migrations (cmake/SeimbangMigrations.cmake,
# which also generates the header "services/<name>/migrations.h"), the caller-scoped
# idempotency table every service has (common/idempotency/README.md) being its migration
# IDEMPOTENCY_MIGRATION; and the binary <name>-service of main.cc.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/SeimbangMigrations.cmake")

function(seimbang_add_service name)
  cmake_parse_arguments(S "" "IDEMPOTENCY_MIGRATION" "SOURCES;LIBS;PRIVATE_LIBS" ${ARGN})
  if(NOT S_SOURCES OR NOT S_IDEMPOTENCY_MIGRATION)
    message(FATAL_ERROR
      "seimbang_add_service(<name> SOURCES ... LIBS ... IDEMPOTENCY_MIGRATION <version>)")
  endif()
  set(lib seimbang_${name}_lib)
  add_library(${lib} ${S_SOURCES})
  target_include_directories(${lib} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${lib} PUBLIC ${S_LIBS} PRIVATE ${S_PRIVATE_LIBS})
  seimbang_embed_migrations(TARGET ${lib} NAME seimbang::${name}::Migrations DIR migrations
    SHARED ${S_IDEMPOTENCY_MIGRATION}:scoped_idempotency:${CMAKE_SOURCE_DIR}/common/idempotency/migrations)
  add_executable(${name}-service main.cc)
  target_link_libraries(${name}-service PRIVATE ${lib} seimbang_service_main seimbang_log)
endfunction()
