# gen_common.cmake - what every signatures/gen_*.cmake script needs: its -D arguments checked,
# a data file read as lines, and the generated C written only when it changed. Included by the
# scripts (cmake -P), never by the build itself.

# Stops unless every -DVAR= named after SCRIPT was given.
function(gen_require script)
  foreach(v IN LISTS ARGN)
    if(NOT DEFINED ${v})
      message(FATAL_ERROR "${script}: -D${v}= is required")
    endif()
  endforeach()
endfunction()

# The lines of FILE as a CMake list in OUTVAR. CMake lists split on ';', so semicolons are
# hidden as <SEMI> first: the scripts refuse a data line that holds one.
function(gen_read_lines file outvar)
  file(READ "${file}" text)
  string(REPLACE ";" "<SEMI>" text "${text}")
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(${outvar} "${lines}" PARENT_SCOPE)
endfunction()

# Writes TEXT to FILE unless FILE already holds it, so an unchanged table or rule set does not
# recompile and relink everything that depends on it.
function(gen_write_if_changed file text)
  if(EXISTS "${file}")
    file(READ "${file}" old)
    if(old STREQUAL text)
      return()
    endif()
  endif()
  file(WRITE "${file}" "${text}")
endfunction()
