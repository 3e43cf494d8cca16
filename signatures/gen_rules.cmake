# gen_rules.cmake - embeds every DIR/*.rules file into the library as C string literals, so the
# binary carries its rules and needs no data directory. Files are listed in name order, which
# is the order sig_set_add_builtin() loads them in.
# Usage: cmake -DDIR=signatures/rules -DOUT=builtin_rules.c -P gen_rules.cmake
# Zero files is fine: the table is then empty.
cmake_minimum_required(VERSION 3.13)
include(${CMAKE_CURRENT_LIST_DIR}/gen_common.cmake)
gen_require(gen_rules.cmake DIR OUT)

file(GLOB files "${DIR}/*.rules")
list(SORT files)

set(c "/* Generated from the .rules files of signatures/rules by gen_rules.cmake - do not edit. */\n")
string(APPEND c "#include <stddef.h>\n\n")
string(APPEND c "typedef struct {\n    const char *name;\n    const char *text;\n")
string(APPEND c "    size_t len;\n} sig_builtin_t;\n\n")
string(APPEND c "extern const sig_builtin_t sig_builtin_rules[];\n")
string(APPEND c "extern const size_t sig_builtin_rules_n;\n\n")
set(table "")
set(count 0)
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME)
  file(READ "${f}" text)
  # Escape for a C string literal. '?' is escaped so no trigraph can form; each line becomes
  # its own literal so the generated file stays readable in a debugger.
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "?" "\\?" text "${text}")
  string(REPLACE "\t" "\\t" text "${text}")
  string(REPLACE "\r" "\\r" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  string(APPEND c "static const char sig_rules_${count}[] =\n    \"${text}\";\n\n")
  string(APPEND table "    {\"signatures/rules/${name}\", sig_rules_${count}, "
                      "sizeof sig_rules_${count} - 1},\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  set(table "    {NULL, NULL, 0},\n")
endif()
string(APPEND c "const sig_builtin_t sig_builtin_rules[] = {\n${table}};\n")
string(APPEND c "const size_t sig_builtin_rules_n = ${count};\n")
gen_write_if_changed("${OUT}" "${c}")
