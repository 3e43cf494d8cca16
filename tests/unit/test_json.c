/* test_json.c - the streaming JSON writer: exact output for nesting (compact and pretty),
 * escaping, numbers at their limits, and the time helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ssf/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
    ssf_json_t j;
} sink_t;

static void sink_open(sink_t *s, bool pretty)
{
    s->buf = NULL;
    s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    assert_non_null(s->f);
    ssf_json_init(&s->j, s->f, pretty);
}

/* Closes the stream and compares everything written with want. */
static void sink_expect(sink_t *s, const char *want)
{
    assert_int_equal(fclose(s->f), 0);
    assert_string_equal(s->buf, want);
    free(s->buf);
}

static void write_nested(ssf_json_t *j)
{
    ssf_json_obj_begin(j, NULL);
    ssf_json_str(j, "a", "x");
    ssf_json_arr_begin(j, "list");
    ssf_json_u64(j, NULL, 1);
    ssf_json_obj_begin(j, NULL);
    ssf_json_bool(j, "t", true);
    ssf_json_bool(j, "f", false);
    ssf_json_obj_end(j);
    ssf_json_arr_begin(j, NULL);
    ssf_json_arr_end(j);
    ssf_json_arr_end(j);
    ssf_json_obj_begin(j, "empty");
    ssf_json_obj_end(j);
    ssf_json_i64(j, "n", -5);
    ssf_json_obj_end(j);
}

static void t_nested_compact(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    write_nested(&s.j);
    sink_expect(&s, "{\"a\":\"x\",\"list\":[1,{\"t\":true,\"f\":false},[]],\"empty\":{},\"n\":-5}");
}

static void t_nested_pretty(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, true);
    write_nested(&s.j);
    sink_expect(&s, "{\n"
                    "  \"a\": \"x\",\n"
                    "  \"list\": [\n"
                    "    1,\n"
                    "    {\n"
                    "      \"t\": true,\n"
                    "      \"f\": false\n"
                    "    },\n"
                    "    []\n"
                    "  ],\n"
                    "  \"empty\": {},\n"
                    "  \"n\": -5\n"
                    "}");
}

/* Two top-level values in a row (NDJSON lines are written this way, one init per line). */
static void t_top_level_sequence(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_obj_begin(&s.j, NULL);
    ssf_json_obj_end(&s.j);
    fputc('\n', s.f);
    ssf_json_init(&s.j, s.f, false);
    ssf_json_arr_begin(&s.j, NULL);
    ssf_json_str(&s.j, NULL, "z");
    ssf_json_arr_end(&s.j);
    sink_expect(&s, "{}\n[\"z\"]");
}

static void t_escaping(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_obj_begin(&s.j, NULL);
    ssf_json_str(&s.j, "q", "say \"hi\"");
    ssf_json_str(&s.j, "b", "C:\\dir\\");
    ssf_json_str(&s.j, "ws", "a\nb\rc\td");
    ssf_json_str(&s.j, "ctl", "\x01\x1f\x7f");
    ssf_json_str(&s.j, "k\"ey", "/"); /* keys are escaped too; '/' need not be */
    ssf_json_str(&s.j, "utf8", "\xc3\xa9");
    ssf_json_str(&s.j, "empty", "");
    ssf_json_str(&s.j, "nul", NULL);
    ssf_json_obj_end(&s.j);
    sink_expect(&s, "{\"q\":\"say \\\"hi\\\"\","
                    "\"b\":\"C:\\\\dir\\\\\","
                    "\"ws\":\"a\\nb\\rc\\td\","
                    "\"ctl\":\"\\u0001\\u001f\\u007f\","
                    "\"k\\\"ey\":\"/\","
                    "\"utf8\":\"\xc3\xa9\","
                    "\"empty\":\"\","
                    "\"nul\":null}");
}

static void t_integers(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_arr_begin(&s.j, NULL);
    ssf_json_u64(&s.j, NULL, 0);
    ssf_json_u64(&s.j, NULL, UINT64_MAX);
    ssf_json_i64(&s.j, NULL, -1);
    ssf_json_i64(&s.j, NULL, INT64_MIN);
    ssf_json_i64(&s.j, NULL, INT64_MAX);
    ssf_json_arr_end(&s.j);
    sink_expect(&s, "[0,18446744073709551615,-1,-9223372036854775808,9223372036854775807]");
}

static void t_doubles(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_obj_begin(&s.j, NULL);
    ssf_json_dbl(&s.j, "pi", 3.14159, 2);
    ssf_json_dbl(&s.j, "zero_dec", 2.5, 0); /* round-half-even: "2" */
    ssf_json_dbl(&s.j, "neg", -0.125, 3);
    ssf_json_dbl(&s.j, "nan", NAN, 2);
    ssf_json_dbl(&s.j, "inf", INFINITY, 2);
    ssf_json_dbl(&s.j, "ninf", -INFINITY, 2);
    ssf_json_obj_end(&s.j);
    sink_expect(&s, "{\"pi\":3.14,\"zero_dec\":2,\"neg\":-0.125,\"nan\":null,\"inf\":null,"
                    "\"ninf\":null}");
}

static void t_time_iso(void **state)
{
    (void)state;
    char buf[40];
    assert_ptr_equal(ssf_time_iso(1705305600000000ull, buf, sizeof buf), buf);
    assert_string_equal(buf, "2024-01-15T08:00:00.000000Z");
    assert_string_equal(ssf_time_iso(1705305600123456ull, buf, sizeof buf),
                        "2024-01-15T08:00:00.123456Z");
    assert_string_equal(ssf_time_iso(1, buf, sizeof buf), "1970-01-01T00:00:00.000001Z");
    assert_string_equal(ssf_time_iso(951782399999999ull, buf, sizeof buf),
                        "2000-02-28T23:59:59.999999Z");
    /* A short buffer is truncated, still NUL-terminated. */
    char small[11];
    assert_string_equal(ssf_time_iso(1705305600000000ull, small, sizeof small), "2024-01-15");
}

static void t_json_time(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_obj_begin(&s.j, NULL);
    ssf_json_time(&s.j, "t", 1705305600000000ull);
    ssf_json_time(&s.j, "never", 0);
    ssf_json_obj_end(&s.j);
    sink_expect(&s, "{\"t\":\"2024-01-15T08:00:00.000000Z\",\"never\":null}");
}

/* A comma list (provisions, CVE ids) as an array: blanks and empty items dropped. */
static void t_str_list(void **state)
{
    (void)state;
    sink_t s;
    sink_open(&s, false);
    ssf_json_obj_begin(&s.j, NULL);
    ssf_json_str_list(&s.j, "a", "5.5-1,5.6");
    ssf_json_str_list(&s.j, "b", " CVE-1, CVE-2 ,,CVE-3");
    ssf_json_str_list(&s.j, "c", "");
    ssf_json_str_list(&s.j, "d", NULL);
    ssf_json_obj_end(&s.j);
    sink_expect(&s, "{\"a\":[\"5.5-1\",\"5.6\"],\"b\":[\"CVE-1\",\"CVE-2\",\"CVE-3\"],"
                    "\"c\":[],\"d\":[]}");
}

/* fmemopen: the writer works on any FILE, including a fixed buffer. */
static void t_fixed_buffer(void **state)
{
    (void)state;
    char buf[64] = {0};
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    ssf_json_t j;
    ssf_json_init(&j, f, true);
    ssf_json_arr_begin(&j, NULL);
    ssf_json_u64(&j, NULL, 7);
    ssf_json_arr_end(&j);
    fclose(f);
    assert_string_equal(buf, "[\n  7\n]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_nested_compact),     cmocka_unit_test(t_nested_pretty),
        cmocka_unit_test(t_top_level_sequence), cmocka_unit_test(t_escaping),
        cmocka_unit_test(t_integers),           cmocka_unit_test(t_doubles),
        cmocka_unit_test(t_time_iso),           cmocka_unit_test(t_json_time),
        cmocka_unit_test(t_fixed_buffer),       cmocka_unit_test(t_str_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
