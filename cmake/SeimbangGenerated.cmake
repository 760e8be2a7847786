# What the two generators that compile files into C++ share (SeimbangEmbed.cmake for templates,
# SeimbangMigrations.cmake for schemas): each includes this file both when it runs as a script
# (-P, writing the .cc) and when a CMakeLists includes it (declaring the command that runs it).
include_guard(GLOBAL)

# Writes to `out` a .cc that defines `<return_type> <name>(<params>) {<body>}`, `name` possibly
# qualified (a::b::Fn puts Fn in namespace a::b), after `preamble` (comment and includes). The
# file is replaced only when its text changes, so an unchanged schema rebuilds nothing.
function(seimbang_write_generated_function out name preamble return_type params body)
  set(code "${preamble}")
  if(name MATCHES "^(.*)::([A-Za-z_][A-Za-z0-9_]*)$")
    set(ns "${CMAKE_MATCH_1}")
    set(fn "${CMAKE_MATCH_2}")
    string(APPEND code "namespace ${ns} {\n\n")
  else()
    set(ns "")
    set(fn "${name}")
  endif()
  string(APPEND code "${return_type} ${fn}(${params}) {\n${body}}\n")
  if(ns)
    string(APPEND code "\n}  // namespace ${ns}\n")
  endif()
  file(WRITE "${out}.tmp" "${code}")
  file(COPY_FILE "${out}.tmp" "${out}" ONLY_IF_DIFFERENT)
  file(REMOVE "${out}.tmp")
endfunction()

# Adds to `target` the .cc `script` generates as <binary dir>/<name as an identifier><suffix>,
# run again when `script` or any of `inputs` changes; `defines` are the script's -D arguments.
function(seimbang_add_generated_source target name suffix script comment defines inputs)
  string(MAKE_C_IDENTIFIER "${name}" stem)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${stem}${suffix}")
  set(args "")
  foreach(d IN LISTS defines)
    list(APPEND args "-D${d}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} ${args} "-DOUT=${out}" -P "${script}"
    DEPENDS ${inputs} "${script}" "${CMAKE_SOURCE_DIR}/cmake/SeimbangGenerated.cmake"
    COMMENT "${comment}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
