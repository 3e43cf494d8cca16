/* ssf/json.h - a streaming JSON writer for reports (not on the packet path).
 *
 * Keys and string values are escaped per RFC 8259. Nesting is tracked so commas are never
 * written by hand; deeper than SSF_JSON_DEPTH levels is a programming error (asserted). */
#ifndef SSF_JSON_H
#define SSF_JSON_H

#include "ssf/common.h"

#include <stdio.h>

#define SSF_JSON_DEPTH 16

typedef struct ssf_json {
    FILE *f;
    bool pretty; /* newline + indent per member               */
    int depth;
    bool has_member[SSF_JSON_DEPTH]; /* a comma is due before the next member      */
} ssf_json_t;

void ssf_json_init(ssf_json_t *j, FILE *f, bool pretty);
/* key is NULL inside arrays and at the top level. */
void ssf_json_obj_begin(ssf_json_t *j, const char *key);
void ssf_json_obj_end(ssf_json_t *j);
void ssf_json_arr_begin(ssf_json_t *j, const char *key);
void ssf_json_arr_end(ssf_json_t *j);
void ssf_json_str(ssf_json_t *j, const char *key, const char *v); /* NULL writes null */
/* "a, b,c" as the array ["a","b","c"]: items split at commas, blanks around them dropped,
 * empty items skipped, each cut to 63 bytes. */
void ssf_json_str_list(ssf_json_t *j, const char *key, const char *list);
void ssf_json_u64(ssf_json_t *j, const char *key, uint64_t v);
void ssf_json_i64(ssf_json_t *j, const char *key, int64_t v);
void ssf_json_dbl(ssf_json_t *j, const char *key, double v, int decimals);
void ssf_json_bool(ssf_json_t *j, const char *key, bool v);
/* Writes an ISO 8601 UTC time ("2024-01-15T08:00:00.123456Z") from µs since the epoch. */
void ssf_json_time(ssf_json_t *j, const char *key, uint64_t us);
/* Formats µs since the epoch as ISO 8601 UTC into buf. */
char *ssf_time_iso(uint64_t us, char *buf, size_t len);

#endif
