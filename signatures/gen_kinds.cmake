# gen_kinds.cmake - turns data/weak_points.tsv (kind, severity, provisions, jcstar,
# description) into a C file holding `const sig_weak_kind_t sig_weak_kinds[]` and its length.
# Usage: cmake -DIN=weak_points.tsv -DOUT=file.c -P gen_kinds.cmake
# A malformed row, an unknown severity or a duplicate kind stops the build with FILE:LINE.
cmake_minimum_required(VERSION 3.13)
include(${CMAKE_CURRENT_LIST_DIR}/gen_common.cmake)
gen_require(gen_kinds.cmake IN OUT)

gen_read_lines("${IN}" lines)

set(body "")
set(seen "")
set(count 0)
set(lineno 0)
foreach(line IN LISTS lines)
  math(EXPR lineno "${lineno} + 1")
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  set(ok FALSE)
  # jcstar is one STAR-1 requirement id or "-": the JSON gives it as one string or null.
  if(line MATCHES "^([a-z0-9_]+)\t(low|medium|high|critical)\t([0-9.,-]+)\t(-|S1\\.1-[0-9][0-9])\t([ -~]+)$")
    # Keep the groups before any other MATCHES or list() call overwrites them.
    set(kind "${CMAKE_MATCH_1}")
    set(row "\"${CMAKE_MATCH_1}\", \"${CMAKE_MATCH_2}\", \"${CMAKE_MATCH_3}\", ")
    string(APPEND row "\"${CMAKE_MATCH_4}\", \"${CMAKE_MATCH_5}\"")
    if(NOT line MATCHES "<SEMI>|[\"\\]")
      set(ok TRUE)
    endif()
  endif()
  if(NOT ok)
    message(FATAL_ERROR "${IN}:${lineno}: expected kind<TAB>low|medium|high|critical<TAB>"
                        "provisions<TAB>-|S1.1-NN<TAB>description (printable ASCII, no quote, "
                        "backslash or semicolon)")
  endif()
  list(FIND seen "${kind}" dup)
  if(NOT dup EQUAL -1)
    message(FATAL_ERROR "${IN}:${lineno}: duplicate kind ${kind}")
  endif()
  list(APPEND seen "${kind}")
  string(APPEND body "    {${row}},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${IN}: no rows")
endif()

set(c "/* Generated from signatures/data/weak_points.tsv by gen_kinds.cmake - do not edit. */\n")
string(APPEND c "#include \"sig/rules.h\"\n\n")
string(APPEND c "const sig_weak_kind_t sig_weak_kinds[] = {\n${body}};\n")
string(APPEND c "const size_t sig_n_weak_kinds = ${count};\n")
gen_write_if_changed("${OUT}" "${c}")
