# gen_text.cmake - embeds one data file into the library as a C string literal SYM (length
# SYM_len), for tables that are parsed at start-up (the IoT-SSF tables) so the binary needs no
# data directory.
# Usage: cmake -DIN=file.tsv -DOUT=file.c -DSYM=c_name -P gen_text.cmake
cmake_minimum_required(VERSION 3.13)
include(${CMAKE_CURRENT_LIST_DIR}/gen_common.cmake)
gen_require(gen_text.cmake IN OUT SYM)
file(READ "${IN}" text)
# Escape for a C string literal; '?' so no trigraph forms; one literal per line.
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "?" "\\?" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REPLACE "\r" "\\r" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
get_filename_component(name "${IN}" NAME)
set(c "/* Generated from signatures/data/${name} by gen_text.cmake - do not edit. */\n")
string(APPEND c "#include <stddef.h>\n\n")
string(APPEND c "extern const char ${SYM}[];\nextern const size_t ${SYM}_len;\n\n")
string(APPEND c "const char ${SYM}[] =\n    \"${text}\";\n")
string(APPEND c "const size_t ${SYM}_len = sizeof ${SYM} - 1;\n")
gen_write_if_changed("${OUT}" "${c}")
