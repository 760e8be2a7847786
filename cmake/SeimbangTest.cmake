include(GoogleTest)

# seimbang_add_test(NAME name SOURCES a.cc b.cc LIBS lib... [MARIADB] [LABELS l...])
# Builds a GoogleTest binary into build/bin/tests and registers each case with CTest.
# MARIADB: the cases need the throwaway MariaDB server started by the `mariadb`
# CTest fixture (tests/harness/mariadb.sh); they read its DSN from the file named
# by SEIMBANG_TEST_MARIADB_DSN_FILE and fail (never skip) when it is missing.
function(seimbang_add_test)
  cmake_parse_arguments(T "MARIADB" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin/tests)
  # One variable only: gtest_discover_tests re-splits list-valued PROPERTIES.
  # Tests find build/bin from their own path (tests/harness/service_process.h).
  set(props ENVIRONMENT "SEIMBANG_TEST_MARIADB_DSN_FILE=${SEIMBANG_MARIADB_DIR}/dsn")
  set(labels ${T_LABELS})
  if(T_MARIADB)
    list(APPEND props FIXTURES_REQUIRED mariadb)
    list(APPEND labels mariadb)
  endif()
  if(labels)
    list(APPEND props LABELS "${labels}")
  endif()
  gtest_discover_tests(${T_NAME} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 30
    PROPERTIES ${props})
endfunction()

set(SEIMBANG_MARIADB_DIR ${CMAKE_BINARY_DIR}/test-mariadb)
add_test(NAME mariadb.start COMMAND ${CMAKE_SOURCE_DIR}/tests/harness/mariadb.sh start ${SEIMBANG_MARIADB_DIR})
add_test(NAME mariadb.stop COMMAND ${CMAKE_SOURCE_DIR}/tests/harness/mariadb.sh stop ${SEIMBANG_MARIADB_DIR})
set_tests_properties(mariadb.start PROPERTIES FIXTURES_SETUP mariadb TIMEOUT 120)
set_tests_properties(mariadb.stop PROPERTIES FIXTURES_CLEANUP mariadb TIMEOUT 60)

# seimbang_add_python_test(NAME name SCRIPT file.py TIMEOUT seconds LABELS l...)
# A Python end-to-end test run as `python3 SCRIPT SOURCE_DIR BUILD_DIR` (the scripts find the
# built services and the generated stubs from those two paths).
function(seimbang_add_python_test)
  cmake_parse_arguments(T "" "NAME;SCRIPT;TIMEOUT" "LABELS" ${ARGN})
  add_test(NAME ${T_NAME}
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/${T_SCRIPT}
            ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR})
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}")
endfunction()
