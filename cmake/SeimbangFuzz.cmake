# libFuzzer build (tools/fuzz.sh; clang only). Every library gets coverage
# instrumentation and ASan/UBSan, so the fuzzers see inside the code they call;
# tests/fuzz/CMakeLists.txt links the fuzz_<name> executables with libFuzzer.
# tools/fuzz.sh loads this file through CMAKE_PROJECT_INCLUDE, so including it
# from the top-level CMakeLists.txt as well is harmless.
include_guard(GLOBAL)

option(SEIMBANG_FUZZ "Build the libFuzzer targets (clang only; see tools/fuzz.sh)" OFF)
if(SEIMBANG_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SEIMBANG_FUZZ needs clang (CC=clang CXX=clang++), not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # -O1: fast enough to fuzz, still debuggable; UB aborts so libFuzzer records it.
  add_compile_options(-O1 -gline-tables-only -fno-omit-frame-pointer
                      -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
