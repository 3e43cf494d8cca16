/* test_sig_rules.c - sig/rules.h: parsing and its diagnostics, Hyperscan/PCRE2 compile, example
 * checks, matching (captures, flags, many rules, threads) and the file loaders. Rule texts are
 * written here from docs/signatures.md; tests/data/sig holds two small rule files. */
#include "probe/evidence.h"
#include "sig/rules.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *const fields[] = {"http.server", "rtsp.server",    "ssdp.server",
                                     "mac.vendor",  "service.served", "snmp.sysdescr"};

/* Every diagnostic, kept for assertions. */
typedef struct {
    size_t n;
    struct {
        char file[64];
        unsigned line;
        char msg[256];
    } d[64];
} diags_t;

static void collect(void *ud, const char *file, unsigned line, const char *msg)
{
    diags_t *g = ud;
    if (g->n == SSF_ARRAY_LEN(g->d)) return;
    snprintf(g->d[g->n].file, sizeof g->d[g->n].file, "%s", file);
    g->d[g->n].line = line;
    snprintf(g->d[g->n].msg, sizeof g->d[g->n].msg, "%s", msg);
    g->n++;
}

/* True when some diagnostic is at line and contains text. */
static bool has_diag(const diags_t *g, unsigned line, const char *text)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->d[i].line == line && strstr(g->d[i].msg, text)) return true;
    return false;
}

static void dump(const diags_t *g)
{
    for (size_t i = 0; i < g->n; i++)
        fprintf(stderr, "  diag %s:%u: %s\n", g->d[i].file, g->d[i].line, g->d[i].msg);
}

#define assert_diag(g, line, text)                                                                 \
    do {                                                                                           \
        if (!has_diag((g), (line), (text))) {                                                      \
            dump(g);                                                                               \
            fail_msg("no diagnostic at line %u containing '%s'", (unsigned)(line), (text));        \
        }                                                                                          \
    } while (0)

static sig_set_t *new_set(void)
{
    sig_set_t *s = sig_set_new(fields, SSF_ARRAY_LEN(fields));
    assert_non_null(s);
    return s;
}

static ssf_rc add(sig_set_t *s, const char *name, const char *text, diags_t *g)
{
    return sig_set_add_text(s, name, text, strlen(text), collect, g);
}

static const char doc_rules[] =
    "# cameras.rules: IP cameras and NVRs\n"
    "\n"
    "rule hikvision-webs\n"
    "    field    http.server rtsp.server\n"
    "    match    /^(?:Hikvision-Webs|DNVRS-Webs|App-webs\\/)/\n"
    "    vendor   Hikvision\n"
    "    type     ip_camera\n"
    "    weight   85\n"
    "    desc     Hikvision's embedded web server names itself in every response.\n"
    "    example  \"Hikvision-Webs\"\n"
    "    example  \"DNVRS-Webs\"\n"
    "    expect   type ip_camera\n"
    "\n"
    "rule axis-firmware\n"
    "    field    http.server ssdp.server\n"
    "    match    /AXIS\\s+([A-Z0-9-]+)\\s+(?:Network Camera\\s+)?(\\d+(?:\\.\\d+)+)/i\n"
    "    vendor   Axis\n"
    "    model    $1\n"
    "    firmware $2\n"
    "    type     ip_camera\n"
    "    weight   90\n"
    "    example  \"AXIS P1346 Network Camera 5.40.9.2\"\n"
    "    expect   model P1346\n"
    "    expect   firmware 5.40.9.2\n";

static size_t match(const sig_set_t *s, const char *field, const char *value, sig_match_t *m,
                    size_t max)
{
    sig_scratch_t *sc = sig_scratch_new(s);
    assert_non_null(sc);
    size_t n = sig_set_match(s, sc, field, value, strlen(value), m, max);
    sig_scratch_free(&sc);
    assert_null(sc);
    return n;
}

static void t_good_rules(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "cameras.rules", doc_rules, &g), SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    size_t n = 0;
    assert_int_equal(sig_set_check_examples(s, collect, &g, &n), SSF_OK);
    assert_int_equal(n, 3);
    assert_int_equal(g.n, 0);
    sig_set_stats_t st = sig_set_stats(s);
    assert_int_equal(st.rules, 2);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.fields, 3);
    assert_int_equal(st.vendors, 2);
    assert_int_equal(st.examples, 3);

    sig_match_t m[4];
    assert_int_equal(match(s, "rtsp.server", "Hikvision-Webs", m, 4), 1);
    const sig_rule_t *r = m[0].rule;
    assert_string_equal(sig_rule_id(r), "hikvision-webs");
    assert_string_equal(sig_rule_file(r), "cameras.rules");
    assert_int_equal(sig_rule_line(r), 3);
    assert_int_equal(sig_rule_weight(r), 85);
    assert_string_equal(sig_rule_fields(r), "http.server rtsp.server");
    assert_string_equal(sig_rule_desc(r), "Hikvision's embedded web server names itself in every "
                                          "response.");
    assert_string_equal(m[0].out[SIG_OUT_VENDOR], "Hikvision");
    assert_string_equal(m[0].out[SIG_OUT_TYPE], "ip_camera");
    assert_string_equal(m[0].out[SIG_OUT_MODEL], "");
    /* not a field of that rule, and an unknown field */
    assert_int_equal(match(s, "ssdp.server", "Hikvision-Webs", m, 4), 0);
    assert_int_equal(match(s, "no.such", "Hikvision-Webs", m, 4), 0);
    assert_int_equal(match(s, "mac.vendor", "Hikvision-Webs", m, 4), 0);
    sig_set_free(&s);
    assert_null(s);
    sig_set_free(&s); /* NULL-safe */
}

static void t_captures(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "cameras.rules", doc_rules, &g), SSF_OK);
    assert_int_equal(add(s, "more.rules",
                         "rule opt\n"
                         "    field snmp.sysdescr\n"
                         "    match /^Box (\\w+)(?: v(\\S+))?/\n"
                         "    model  $1 \n"
                         "    firmware   v$2\n"
                         "    os  $$1 $0\n"
                         "    vendor $2\n"
                         "    example \"Box K9 v1.2\"\n"
                         "    expect firmware v1.2\n"
                         "    example \"Box K9\"\n"
                         "    expect firmware v\n"
                         "    expect os $1 Box K9\n",
                         &g),
                     SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    assert_int_equal(sig_set_check_examples(s, collect, &g, NULL), SSF_OK);
    sig_match_t m[2];
    assert_int_equal(match(s, "ssdp.server", "Linux UPnP/1.0 axis camera", m, 2), 0);
    assert_int_equal(match(s, "ssdp.server", "xx AXIS M3045-V 6.15.1", m, 2), 1);
    assert_string_equal(m[0].out[SIG_OUT_MODEL], "M3045-V");
    assert_string_equal(m[0].out[SIG_OUT_FIRMWARE], "6.15.1");
    assert_string_equal(m[0].out[SIG_OUT_VENDOR], "Axis");

    assert_int_equal(match(s, "snmp.sysdescr", "Box Z3", m, 2), 1);
    assert_string_equal(m[0].out[SIG_OUT_MODEL], "Z3");
    /* a group that did not take part expands to nothing, and an empty output is left out */
    assert_string_equal(m[0].out[SIG_OUT_VENDOR], "");
    assert_string_equal(m[0].out[SIG_OUT_FIRMWARE], "v");
    assert_string_equal(m[0].out[SIG_OUT_OS], "$1 Box Z3");
    assert_string_equal(sig_rule_output(m[0].rule, SIG_OUT_MODEL), ""); /* uses $N */
    /* value need not be NUL-terminated: only len bytes are read */
    sig_scratch_t *sc = sig_scratch_new(s);
    const char buf[] = {'B', 'o', 'x', ' ', 'Q', '7', ' ', 'v', '2', 'X', 'X'};
    assert_int_equal(sig_set_match(s, sc, "snmp.sysdescr", buf, 9, m, 2), 1);
    assert_string_equal(m[0].out[SIG_OUT_FIRMWARE], "v2");
    /* by field index (snmp.sysdescr is fields[5]); out of range gives 0 */
    assert_int_equal(sig_set_match_idx(s, sc, 5, buf, 9, m, 2), 1);
    assert_int_equal(sig_set_match_idx(s, sc, SSF_ARRAY_LEN(fields), buf, 9, m, 2), 0);
    sig_scratch_free(&sc);
    sig_set_free(&s);
}

static void t_caseless(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "c.rules",
                         "rule exact\n    field http.server\n    match /GoAhead/\n"
                         "    vendor Embedthis\n    example \"GoAhead-Webs\"\n"
                         "rule anycase\n    field http.server\n    match /goahead/i\n"
                         "    vendor Embedthis\n    example \"GOAHEAD\"\n"
                         "rule dotall\n    field http.server\n    match /^a.b$/s\n"
                         "    vendor Dots\n    example \"a\\x0ab\"\n",
                         &g),
                     SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    assert_int_equal(sig_set_check_examples(s, collect, &g, NULL), SSF_OK);
    sig_match_t m[4];
    assert_int_equal(match(s, "http.server", "goahead", m, 4), 1);
    assert_string_equal(sig_rule_id(m[0].rule), "anycase");
    assert_int_equal(match(s, "http.server", "GoAhead", m, 4), 2);
    assert_string_equal(sig_rule_id(m[0].rule), "exact"); /* load order */
    assert_string_equal(sig_rule_id(m[1].rule), "anycase");
    assert_int_equal(match(s, "http.server", "GoAhead", m, 1), 1); /* max respected */
    assert_int_equal(match(s, "http.server", "a\nb", m, 4), 1);
    sig_set_free(&s);
}

/* One text with a problem of every kind: each must be reported at its line. */
static const char bad_rules[] = "rule good-one\n"                 /* 1 */
                                "    field http.server\n"         /* 2 */
                                "    match /^Boa\\/(\\d+)/\n"     /* 3 */
                                "    os Linux $1\n"               /* 4 */
                                "    example \"Boa/0.94\"\n"      /* 5 */
                                "rule bad-key\n"                  /* 6 */
                                "    field http.server\n"         /* 7 */
                                "    vender X\n"                  /* 8 */
                                "    match /x/\n"                 /* 9 */
                                "    vendor X\n"                  /* 10 */
                                "    example \"x\"\n"             /* 11 */
                                "rule no-match\n"                 /* 12 */
                                "    field http.server\n"         /* 13 */
                                "    vendor X\n"                  /* 14 */
                                "    example \"x\"\n"             /* 15 */
                                "rule no-output\n"                /* 16 */
                                "    field http.server\n"         /* 17 */
                                "    match /x/\n"                 /* 18 */
                                "    example \"x\"\n"             /* 19 */
                                "rule no-example\n"               /* 20 */
                                "    field http.server\n"         /* 21 */
                                "    match /x/\n"                 /* 22 */
                                "    vendor X\n"                  /* 23 */
                                "rule bad-field\n"                /* 24 */
                                "    field http.server bogus.f\n" /* 25 */
                                "    match /x/\n"                 /* 26 */
                                "    vendor X\n"                  /* 27 */
                                "    example \"x\"\n"             /* 28 */
                                "rule bad-type\n"                 /* 29 */
                                "    field http.server\n"         /* 30 */
                                "    match /x/\n"                 /* 31 */
                                "    type toaster\n"              /* 32 */
                                "    example \"x\"\n"             /* 33 */
                                "rule bad-weight\n"               /* 34 */
                                "    field http.server\n"         /* 35 */
                                "    match /x/\n"                 /* 36 */
                                "    vendor X\n"                  /* 37 */
                                "    weight 0\n"                  /* 38 */
                                "    example \"x\"\n"             /* 39 */
                                "rule bad-dollar\n"               /* 40 */
                                "    field http.server\n"         /* 41 */
                                "    match /(a)(b)/\n"            /* 42 */
                                "    model $3\n"                  /* 43 */
                                "    example \"ab\"\n"            /* 44 */
                                "rule bad-quote\n"                /* 45 */
                                "    field http.server\n"         /* 46 */
                                "    match /x/\n"                 /* 47 */
                                "    vendor X\n"                  /* 48 */
                                "    example \"x\n"               /* 49 */
                                "rule lone-expect\n"              /* 50 */
                                "    field http.server\n"         /* 51 */
                                "    match /x/\n"                 /* 52 */
                                "    vendor X\n"                  /* 53 */
                                "    expect vendor X\n"           /* 54 */
                                "    example \"x\"\n"             /* 55 */
                                "rule bad-flags\n"                /* 56 */
                                "    field http.server\n"         /* 57 */
                                "    match /x/ig\n"               /* 58 */
                                "    vendor X\n"                  /* 59 */
                                "    example \"x\"\n"             /* 60 */
                                "rule Bad_ID\n"                   /* 61 */
                                "    field http.server\n"         /* 62 */
                                "    match /(x/\n"                /* 63 */
                                "    vendor X\n"                  /* 64 */
                                "    example \"x\"\n"             /* 65 */
                                "rule empty-match\n"              /* 66 */
                                "    field http.server\n"         /* 67 */
                                "    match /a*/\n"                /* 68 */
                                "    vendor X\n"                  /* 69 */
                                "    vendor Y\n"                  /* 70 */
                                "    example \"a\"\n"             /* 71 */
                                "    expect color red\n"          /* 72 */
                                "  stray\n"                       /* 73 */
                                "ruler x\n"                       /* 74 */
                                "    field http.server\n"         /* 75 */
                                "rule good-two\n"                 /* 76 */
                                "    field http.server\n"         /* 77 */
                                "    match /^lighttpd/\n"         /* 78 */
                                "    type server\n"               /* 79 */
                                "    example \"lighttpd/1.4\"\n"  /* 80 */
                                "    expect model nope\n";        /* 81 */

static void t_error_lines(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "bad.rules", bad_rules, &g), SSF_EINVAL);
    assert_diag(&g, 8, "unknown key 'vender'");
    assert_diag(&g, 12, "has no 'match'");
    assert_diag(&g, 16, "has no output");
    assert_diag(&g, 20, "has no 'example'");
    assert_diag(&g, 25, "unknown field 'bogus.f'");
    assert_diag(&g, 32, "unknown device type 'toaster'");
    assert_diag(&g, 38, "weight must be a whole number from 1 to 100");
    assert_diag(&g, 43, "$3 in model, but the pattern has 2 capture groups");
    assert_diag(&g, 49, "bad quoting");
    assert_diag(&g, 54, "'expect' without a preceding 'example'");
    assert_diag(&g, 58, "bad flags 'ig'");
    assert_diag(&g, 61, "bad rule id 'Bad_ID'");
    assert_diag(&g, 63, "PCRE2 error at offset");
    assert_diag(&g, 68, "matches the empty string");
    assert_diag(&g, 70, "'vendor' given twice (first at line 69)");
    assert_diag(&g, 72, "'expect' wants OUTPUT TEXT");
    assert_diag(&g, 74, "expected 'rule ID' at column 0");
    assert_diag(&g, 81, "expect model, but rule good-two has no model output");
    for (size_t i = 0; i < g.n; i++)
        assert_string_equal(g.d[i].file, "bad.rules");
    /* the good rule is kept, the rest dropped; the set still compiles and matches */
    assert_int_equal(sig_set_stats(s).rules, 1);
    g.n = 0;
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    sig_match_t m[2];
    assert_int_equal(match(s, "http.server", "Boa/0.94", m, 2), 1);
    assert_string_equal(m[0].out[SIG_OUT_OS], "Linux 0");
    sig_set_free(&s);
}

static void t_outside_rule(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "t.rules", "# c\n\n    field http.server\n", &g), SSF_EINVAL);
    assert_diag(&g, 3, "outside a rule");
    g.n = 0;
    assert_int_equal(add(s, "t2.rules", "rule\n", &g), SSF_EINVAL);
    assert_diag(&g, 1, "needs an id");
    g.n = 0;
    assert_int_equal(add(s, "t5.rules",
                         "rule dollar\n  field http.server\n  match /(a)/\n  vendor US$ $x\n"
                         "  model $\n  type $1x\n  example \"a\"\n",
                         &g),
                     SSF_EINVAL);
    assert_diag(&g, 4, "bad '$' in vendor");
    assert_diag(&g, 5, "bad '$' in model");
    assert_diag(&g, 6, "unknown device type '$1x'");
    g.n = 0;
    const char nul[] = "rule n\n  field http.server\n  match /a/\0\n  vendor N\n  example \"a\"\n";
    assert_int_equal(sig_set_add_text(s, "t6.rules", nul, sizeof nul - 1, collect, &g), SSF_EINVAL);
    assert_diag(&g, 3, "NUL byte");
    g.n = 0;
    assert_int_equal(add(s, "t3.rules", "", &g), SSF_OK);
    assert_int_equal(add(s, "t4.rules",
                         "rule a\r\n  field http.server\r\n  match /a/\r\n"
                         "  vendor A\r\n  example \"a\"\r\n",
                         &g),
                     SSF_OK);
    assert_int_equal(g.n, 0);
    sig_set_free(&s);
}

static void t_duplicate_ids_across_texts(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    const char one[] = "rule same\n    field http.server\n    match /a/\n    vendor A\n"
                       "    example \"a\"\n";
    const char two[] = "# second\nrule other\n    field http.server\n    match /b/\n"
                       "    vendor B\n    example \"b\"\n"
                       "rule same\n    field http.server\n    match /c/\n    vendor C\n"
                       "    example \"c\"\n";
    assert_int_equal(add(s, "one.rules", one, &g), SSF_OK);
    assert_int_equal(add(s, "two.rules", two, &g), SSF_EINVAL);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.d[0].file, "two.rules");
    assert_diag(&g, 7, "duplicate rule id 'same' (first at one.rules:1)");
    assert_int_equal(sig_set_stats(s).rules, 2);
    sig_set_free(&s);
}

static void t_failing_examples(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "ex.rules",
                         "rule siemens-s7\n"                          /* 1 */
                         "    field snmp.sysdescr\n"                  /* 2 */
                         "    match /^Siemens, SIMATIC (S7-\\d+)/\n"  /* 3 */
                         "    vendor Siemens\n"                       /* 4 */
                         "    model $1\n"                             /* 5 */
                         "    example \"Siemens, SIMATIC S7-1500\"\n" /* 6 */
                         "    expect model S7-1200\n"                 /* 7 */
                         "    expect vendor Siemens\n"                /* 8 */
                         "    example \"6ES7 315\"\n",                /* 9 */
                         &g),
                     SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    size_t n = 0;
    assert_int_equal(sig_set_check_examples(s, collect, &g, &n), SSF_EINVAL);
    assert_int_equal(n, 2);
    assert_int_equal(g.n, 2);
    assert_diag(&g, 7, "gives model 'S7-1500', expected 'S7-1200'");
    assert_diag(&g, 9, "example \"6ES7 315\" does not match rule siemens-s7");
    sig_set_free(&s);
}

static void t_hyperscan_rejects(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    /* Valid PCRE2, but Hyperscan has no back-references or look-behind. */
    assert_int_equal(add(s, "hs.rules",
                         "rule before\n    field http.server ssdp.server\n    match /^ok1/\n"
                         "    vendor One\n    example \"ok1\"\n" /* 1-5 */
                         "rule backref\n    field http.server ssdp.server\n"
                         "    match /(ab)\\1/\n    vendor Two\n    example \"abab\"\n" /* 6-10 */
                         "rule behind\n    field http.server\n"
                         "    match /(?<=x)y/\n    vendor Three\n    example \"xy\"\n" /* 11-15 */
                         "rule after\n    field ssdp.server http.server\n    match /ok2$/\n"
                         "    vendor Four\n    example \"ok2\"\n", /* 16-20 */
                         &g),
                     SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_EINVAL);
    assert_int_equal(g.n, 2); /* each bad pattern once, though backref is in two fields */
    assert_diag(&g, 8, "pattern rejected by Hyperscan");
    assert_diag(&g, 13, "pattern rejected by Hyperscan");
    g.n = 0;
    assert_int_equal(sig_set_check_examples(s, collect, &g, NULL), SSF_OK);
    sig_match_t m[4];
    assert_int_equal(match(s, "http.server", "ok1 ok2", m, 4), 2);
    assert_string_equal(sig_rule_id(m[0].rule), "before");
    assert_string_equal(sig_rule_id(m[1].rule), "after");
    assert_int_equal(match(s, "ssdp.server", "abab ok2", m, 4), 1);
    assert_int_equal(match(s, "http.server", "xy", m, 4), 0);
    sig_set_free(&s);
}

/* 300 rules on one field: one database, all of them found, in load order. */
static void t_many_rules(void **state)
{
    (void)state;
    size_t cap = 300 * 160;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = 0;
    for (int i = 0; i < 300; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "rule r%03d\n    field http.server\n    match /\\bm%03d\\b|^any/\n"
                                "    vendor V%d\n    weight %d\n    example \"m%03d\"\n",
                                i, i, i, i % 100 + 1, i);
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(sig_set_add_text(s, "many.rules", text, len, collect, &g), SSF_OK);
    free(text);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    size_t n = 0;
    assert_int_equal(sig_set_check_examples(s, collect, &g, &n), SSF_OK);
    assert_int_equal(n, 300);
    assert_int_equal(sig_set_stats(s).vendors, 300);
    sig_match_t m[3];
    assert_int_equal(match(s, "http.server", "x m299 m007 m150", m, 3), 3);
    assert_string_equal(sig_rule_id(m[0].rule), "r007");
    assert_string_equal(sig_rule_id(m[1].rule), "r150");
    assert_string_equal(m[2].out[SIG_OUT_VENDOR], "V299");
    sig_match_t all[SIG_MATCH_MAX];
    assert_int_equal(match(s, "http.server", "any", all, SIG_MATCH_MAX), SIG_MATCH_MAX);
    assert_string_equal(sig_rule_id(all[0].rule), "r000");
    assert_string_equal(sig_rule_id(all[SIG_MATCH_MAX - 1].rule), "r015");
    sig_set_free(&s);
}

typedef struct {
    const sig_set_t *s;
    int ok;
} thread_arg;

static void *matcher(void *p)
{
    thread_arg *a = p;
    sig_scratch_t *sc = sig_scratch_new(a->s);
    if (!sc) return NULL;
    sig_match_t m[2];
    char v[64];
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(v, sizeof v, "AXIS Q%d Network Camera %d.%d", i, i % 9, i % 7);
        char want[16];
        snprintf(want, sizeof want, "Q%d", i);
        if (sig_set_match(a->s, sc, "http.server", v, (size_t)n, m, 2) == 1 &&
            !strcmp(m[0].out[SIG_OUT_MODEL], want))
            a->ok++;
    }
    sig_scratch_free(&sc);
    return NULL;
}

static void t_two_threads(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "cameras.rules", doc_rules, &g), SSF_OK);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    thread_arg a[2] = {{s, 0}, {s, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, matcher, &a[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(a[0].ok, 2000);
    assert_int_equal(a[1].ok, 2000);
    sig_set_free(&s);
}

static void t_files_and_dirs(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(sig_set_add_dir(s, SSF_TEST_DATA "/sig", collect, &g), SSF_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(sig_set_add_file(s, SSF_TEST_DATA "/sig/no-such.rules", collect, &g), SSF_EIO);
    assert_diag(&g, 0, "cannot read");
    assert_int_equal(sig_set_add_dir(s, SSF_TEST_DATA "/no-such-dir", collect, &g), SSF_EIO);
    assert_int_equal(sig_set_add_dir(s, SSF_TEST_DATA "/oui", collect, &g), SSF_EIO);
    assert_diag(&g, 0, "no *.rules files");
    /* the same directory twice: every id is a duplicate */
    g.n = 0;
    assert_int_equal(sig_set_add_dir(s, SSF_TEST_DATA "/sig/", collect, &g), SSF_EINVAL);
    assert_int_equal(g.n, 4);
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    sig_set_stats_t st = sig_set_stats(s);
    assert_int_equal(st.rules, 4);
    assert_int_equal(st.files, 4);
    sig_match_t m[2];
    assert_int_equal(match(s, "service.served", "s7comm TCP/102", m, 2), 1);
    assert_string_equal(sig_rule_id(m[0].rule), "test-s7-served");
    assert_string_equal(sig_rule_file(m[0].rule), "20-plc.rules");
    sig_set_free(&s);
}

/* Whatever signatures/rules/ holds (possibly nothing) must load, compile and pass its
 * examples, on the field names `ssfscan sigs fields` lists. */
static void t_builtin(void **state)
{
    (void)state;
    const char *names[PROBE_EVF_COUNT + 4];
    size_t n = 0;
    for (int f = 1; f < PROBE_EVF_COUNT; f++)
        names[n++] = probe_ev_field_name((probe_ev_field)f);
    names[n++] = "mac.vendor";
    names[n++] = "service.served";
    names[n++] = "service.used";
    names[n++] = "risk.as_server";
    names[n++] = "risk.as_client";
    diags_t g = {0};
    sig_set_t *s = sig_set_new(names, n);
    assert_non_null(s);
    ssf_rc rc = sig_set_add_builtin(s, collect, &g);
    if (rc == SSF_OK) rc = sig_set_compile(s, collect, &g);
    if (rc == SSF_OK) rc = sig_set_check_examples(s, collect, &g, NULL);
    if (rc != SSF_OK) dump(&g);
    assert_int_equal(rc, SSF_OK);
    sig_scratch_t *sc = sig_scratch_new(s);
    assert_non_null(sc);
    sig_match_t m[1];
    assert_int_equal(sig_set_match(s, sc, "no.such.field", "x", 1, m, 1), 0);
    sig_scratch_free(&sc);
    sig_set_free(&s);
}

/* `finding KIND`: a rule may set only a finding; the kind must be in the kinds table and may
 * not be $N; expect checks it like any output; identity outputs stay empty. */
static void t_finding(void **state)
{
    (void)state;
    diags_t g = {0};
    sig_set_t *s = new_set();
    assert_int_equal(add(s, "wp.rules",
                         "rule wp-telnet\n"                             /* 1 */
                         "    field snmp.sysdescr\n"                    /* 2 */
                         "    match /^Telnet (\\w+)/\n"                 /* 3 */
                         "    finding cleartext_mgmt_protocol\n"        /* 4 */
                         "    example \"Telnet ready\"\n"               /* 5 */
                         "    expect finding cleartext_mgmt_protocol\n" /* 6 */
                         "rule wp-bad-kind\n"                           /* 7 */
                         "    field snmp.sysdescr\n"                    /* 8 */
                         "    match /x/\n"                              /* 9 */
                         "    finding toaster_on_fire\n"                /* 10 */
                         "    example \"x\"\n"                          /* 11 */
                         "rule wp-dollar\n"                             /* 12 */
                         "    field snmp.sysdescr\n"                    /* 13 */
                         "    match /(smbv1)/\n"                        /* 14 */
                         "    finding $1\n"                             /* 15 */
                         "    example \"smbv1\"\n"                      /* 16 */
                         "rule wp-twice\n"                              /* 17 */
                         "    field snmp.sysdescr\n"                    /* 18 */
                         "    match /y/\n"                              /* 19 */
                         "    finding smbv1\n"                          /* 20 */
                         "    finding obsolete_ssh\n"                   /* 21 */
                         "    example \"y\"\n",                         /* 22 */
                         &g),
                     SSF_EINVAL);
    assert_diag(&g, 10, "unknown finding kind 'toaster_on_fire'");
    assert_diag(&g, 15, "unknown finding kind '$1'");
    assert_diag(&g, 21, "'finding' given twice");
    assert_int_equal(sig_set_stats(s).rules, 1);
    g.n = 0;
    assert_int_equal(add(s, "peer.rules",
                         "rule wp-peer\n"                   /* 1 */
                         "    field snmp.sysdescr\n"        /* 2 */
                         "    match /^restart$/\n"          /* 3 */
                         "    finding unauth_ics_control\n" /* 4 */
                         "    on peer\n"                    /* 5 */
                         "    example \"restart\"\n"        /* 6 */
                         "rule wp-peer-vendor\n"            /* 7 */
                         "    field snmp.sysdescr\n"        /* 8 */
                         "    match /^v$/\n"                /* 9 */
                         "    vendor V\n"                   /* 10 */
                         "    on peer\n"                    /* 11 */
                         "    example \"v\"\n"              /* 12 */
                         "rule wp-on-bad\n"                 /* 13 */
                         "    field snmp.sysdescr\n"        /* 14 */
                         "    match /^w$/\n"                /* 15 */
                         "    finding smbv1\n"              /* 16 */
                         "    on them\n"                    /* 17 */
                         "    example \"w\"\n",             /* 18 */
                         &g),
                     SSF_EINVAL);
    assert_diag(&g, 11, "'on peer' needs a 'finding'");
    assert_diag(&g, 17, "'on' wants self or peer, not 'them'");
    assert_int_equal(sig_set_stats(s).rules, 2);
    g.n = 0;
    assert_int_equal(sig_set_compile(s, collect, &g), SSF_OK);
    size_t n = 0;
    assert_int_equal(sig_set_check_examples(s, collect, &g, &n), SSF_OK);
    assert_int_equal(n, 2);
    sig_match_t m[2];
    assert_int_equal(match(s, "snmp.sysdescr", "restart", m, 2), 1);
    assert_true(sig_rule_on_peer(m[0].rule));
    assert_int_equal(match(s, "snmp.sysdescr", "Telnet ready", m, 2), 1);
    assert_false(sig_rule_on_peer(m[0].rule));
    assert_string_equal(m[0].out[SIG_OUT_FINDING], "cleartext_mgmt_protocol");
    for (int o = 0; o < SIG_OUT_IDENTITY; o++)
        assert_string_equal(m[0].out[o], "");
    assert_string_equal(sig_rule_output(m[0].rule, SIG_OUT_FINDING), "cleartext_mgmt_protocol");
    assert_string_equal(sig_rule_output(m[0].rule, SIG_OUT_VENDOR), "");
    sig_set_free(&s);
}

/* The kinds table: every kind of the corpus labels, each with a severity and provisions. */
static void t_weak_kinds(void **state)
{
    (void)state;
    static const char *const labels[] = {"cleartext_credentials",
                                         "default_credentials",
                                         "cleartext_mgmt_protocol",
                                         "snmp_community",
                                         "obsolete_tls",
                                         "weak_tls_cipher",
                                         "bad_certificate",
                                         "obsolete_ssh",
                                         "smbv1",
                                         "unauth_ics_write",
                                         "unauth_ics_program",
                                         "unauth_ics_control",
                                         "ics_info_disclosure",
                                         "opcua_no_security",
                                         "mqtt_no_auth_or_tls",
                                         "discovery_exposed",
                                         "insecure_update",
                                         "internet_exposed",
                                         "bruteforce_no_lockout",
                                         "known_vulnerable_firmware",
                                         "cleartext_personal_data",
                                         "programming_from_unexpected_host"};
    assert_int_equal(sig_n_weak_kinds, SSF_ARRAY_LEN(labels));
    for (size_t i = 0; i < SSF_ARRAY_LEN(labels); i++) {
        const sig_weak_kind_t *k = sig_weak_kind(labels[i]);
        assert_non_null(k);
        assert_true(sig_severity_rank(k->severity) > 0);
        assert_true(k->provisions[0] == '5');
        assert_true(*k->jcstar && *k->desc);
    }
    assert_null(sig_weak_kind("SMBV1"));
    assert_string_equal(sig_weak_kind("default_credentials")->provisions, "5.1-1");
    assert_int_equal(sig_severity_rank("critical"), 4);
    assert_int_equal(sig_severity_rank("low"), 1);
    assert_int_equal(sig_severity_rank("bad"), 0);
    assert_string_equal(sig_out_name(SIG_OUT_FINDING), "finding");
}

static void t_vocabulary(void **state)
{
    (void)state;
    assert_int_equal(sig_n_device_types, 41);
    assert_true(sig_device_type_valid("plc"));
    assert_true(sig_device_type_valid("unknown"));
    assert_false(sig_device_type_valid("PLC"));
    assert_string_equal(sig_out_name(SIG_OUT_FIRMWARE), "firmware");
    assert_string_equal(sig_out_name(SIG_OUT_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_good_rules),       cmocka_unit_test(t_captures),
        cmocka_unit_test(t_caseless),         cmocka_unit_test(t_error_lines),
        cmocka_unit_test(t_outside_rule),     cmocka_unit_test(t_duplicate_ids_across_texts),
        cmocka_unit_test(t_failing_examples), cmocka_unit_test(t_hyperscan_rejects),
        cmocka_unit_test(t_many_rules),       cmocka_unit_test(t_two_threads),
        cmocka_unit_test(t_files_and_dirs),   cmocka_unit_test(t_builtin),
        cmocka_unit_test(t_vocabulary),       cmocka_unit_test(t_finding),
        cmocka_unit_test(t_weak_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
