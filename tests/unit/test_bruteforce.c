/* test_bruteforce.c - the bruteforce_no_lockout check (engine/bruteforce.c) on hand-made
 * auth.failure / auth.success observations as the probes send them: "ftp 530 from CLIENT"
 * with the refusals since the last report as the count, at 1..10, 20, 50 ... per worker and
 * for the remainder when the session ends, and "ftp 230 after N failures from CLIENT". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "eng/site.h"
#include "probe/evidence.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#define SERVER_MAC "00:40:8c:aa:bb:cc"
#define SERVER_IP  "192.168.10.30"
#define T0         1705305600000000ull /* 2024-01-15T08:00:00Z */
#define SEC        1000000ull

static coll_endpoint_t ep(const char *mac, const char *ip)
{
    coll_endpoint_t e;
    memset(&e, 0, sizeof e);
    e.has_mac = 1;
    assert_true(ssf_mac_parse(mac, e.mac));
    e.has_ip = 1;
    assert_true(ssf_addr_parse(ip, &e.ip));
    return e;
}

static ssf_rc ev_n(eng_site_t *s, uint16_t field, const char *value, uint64_t ts, uint32_t count)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_EVIDENCE;
    o.u.ev.subject = ep(SERVER_MAC, SERVER_IP);
    o.u.ev.peer = ep("00:14:22:01:02:03", "192.168.10.50");
    o.u.ev.field = field;
    o.u.ev.l4_proto = IPPROTO_TCP;
    o.u.ev.sport = 21, o.u.ev.dport = 40000;
    o.u.ev.ts_us = ts;
    o.u.ev.frame = ts / SEC - T0 / SEC + 1;
    snprintf(o.u.ev.source, sizeof o.u.ev.source, "ftp");
    snprintf(o.u.ev.value, sizeof o.u.ev.value, "%s", value);
    o.u.ev.count = count;
    return eng_site_merge(s, &o);
}

static void ev(eng_site_t *s, uint16_t field, const char *value, uint64_t ts)
{
    assert_int_equal(ev_n(s, field, value, ts, 1), SSF_OK);
}

/* What one worker sends for n refusals from client, the i-th at t + delay(i): the count
 * since its last report at 1..10, 20, 50, 100 ..., and what is left when the session ends. */
static void fails_at(eng_site_t *s, const char *client, unsigned n, uint64_t t,
                     uint64_t (*delay)(unsigned i, uint64_t arg), uint64_t arg)
{
    char v[96];
    unsigned sent = 0;
    uint64_t at = t;
    snprintf(v, sizeof v, "ftp 530 from %s", client);
    for (unsigned i = 1; i <= n; i++) {
        at = t + delay(i, arg);
        bool milestone = i <= 10 || i == 20 || i == 50 || i == 100;
        if (milestone)
            assert_int_equal(ev_n(s, PROBE_EVF_AUTH_FAILURE, v, at, i - sent), SSF_OK), sent = i;
    }
    if (sent < n) assert_int_equal(ev_n(s, PROBE_EVF_AUTH_FAILURE, v, at, n - sent), SSF_OK);
}

static uint64_t every(unsigned i, uint64_t gap)
{
    return (i - 1) * gap * SEC;
}

/* 0, 1, 3, 7, 15 ... s: a server that doubles its delay after each refusal. */
static uint64_t doubling(unsigned i, uint64_t unused)
{
    (void)unused;
    return ((1ull << (i - 1)) - 1) * SEC;
}

/* n refusals from client, one every `gap` seconds, from t. */
static void fails(eng_site_t *s, const char *client, unsigned n, uint64_t t, uint64_t gap)
{
    fails_at(s, client, n, t, every, gap);
}

/* The server's NDJSON line; caller frees. */
static char *scan(eng_site_t *s)
{
    eng_site_finalize(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(eng_site_write_ndjson(s, f, NULL), SSF_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static eng_site_t *site(void)
{
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("lab", NULL, &err);
    assert_non_null(s);
    return s;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s in:\n%s", needle, hay);
}

static void t_run_and_success(void **state)
{
    (void)state;
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 8, T0, 1);
    ev(s, PROBE_EVF_AUTH_SUCCESS, "ftp 230 after 8 failures from 10.0.0.9", T0 + 9 * SEC);
    char *out = scan(s);
    assert_has(out, "\"kind\":\"bruteforce_no_lockout\"");
    assert_has(out, "\"value\":\"ftp 530: 8 failed logins from 10.0.0.9 in 7 s, not slowed down\"");
    assert_has(out, "\"value\":\"brute force succeeded: ftp 230 after 8 failures from 10.0.0.9\"");
    assert_has(out, "\"check\":\"bruteforce.failures\"");
    assert_has(out, "\"frame\":1,"); /* the first refusal's packet */
    free(out);
    eng_site_free(&s);
}

static void t_thresholds(void **state)
{
    (void)state;
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 4, T0, 1); /* someone who forgot a password */
    ev(s, PROBE_EVF_AUTH_SUCCESS, "ftp 230 after 4 failures from 10.0.0.9", T0 + 5 * SEC);
    char *out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
    /* Three clients of 4, 3 and 3: ten against one server. */
    s = site();
    fails(s, "10.0.0.1", 4, T0, 1);
    fails(s, "10.0.0.2", 3, T0 + 10 * SEC, 1);
    fails(s, "10.0.0.3", 3, T0 + 20 * SEC, 1);
    out = scan(s);
    assert_has(out, "ftp 530: 4 failed logins from 10.0.0.1");
    assert_has(out, "ftp 530: 3 failed logins from 10.0.0.3");
    free(out);
    eng_site_free(&s);
}

static void t_slowed(void **state)
{
    (void)state;
    /* 30 s a try on average: throttled. */
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 8, T0, 30);
    char *out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
    /* A delay that doubles: 10 tries over 511 s, 56 s a try on average. */
    s = site();
    fails_at(s, "10.0.0.9", 10, T0, doubling, 0);
    out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
}

static void t_workers_and_counts(void **state)
{
    (void)state;
    /* Two workers counted 3 each: the same item twice adds up to 6. */
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 3, T0, 1);
    fails(s, "10.0.0.9", 3, T0 + 10 * SEC, 1);
    char *out = scan(s);
    assert_has(out, "ftp 530: 6 failed logins from 10.0.0.9 in 12 s");
    assert_has(out, "\"value\":\"ftp 530 from 10.0.0.9\"");
    free(out);
    eng_site_free(&s);
    /* Past 10 the reports thin out (20, 50) but the remainder makes the sum exact. */
    s = site();
    fails(s, "10.0.0.9", 57, T0, 1);
    out = scan(s);
    assert_has(out, "ftp 530: 57 failed logins from 10.0.0.9 in 56 s");
    assert_has(out, "\"count\":57,");
    free(out);
    eng_site_free(&s);
    /* One item per client, however many clients: no running totals to crowd out the cap. */
    s = site();
    char client[32];
    for (unsigned c = 1; c <= 12; c++) {
        snprintf(client, sizeof client, "10.0.1.%u", c);
        fails(s, client, 20, T0 + c * 100 * SEC, 1);
    }
    out = scan(s);
    assert_has(out, "ftp 530: 20 failed logins from 10.0.1.1 in 19 s");
    /* twelve raised (a finding lists eight of its evidence items) */
    assert_has(out, "\"check\":\"bruteforce.failures\",\"count\":12,");
    free(out);
    eng_site_free(&s);
}

static void t_hostile_counts(void **state)
{
    (void)state;
    eng_site_t *s = site();
    /* A zero count is an observation nobody saw: refused, as the wire refuses it. */
    assert_int_equal(ev_n(s, PROBE_EVF_AUTH_FAILURE, "ftp 530 from 10.0.0.9", T0, 0), SSF_EINVAL);
    /* Huge counts saturate instead of wrapping to a few. */
    for (int k = 0; k < 3; k++)
        assert_int_equal(ev_n(s, PROBE_EVF_AUTH_FAILURE, "ftp 530 from 10.0.0.9",
                              T0 + (uint64_t)k * SEC, UINT32_MAX),
                         SSF_OK);
    char *out = scan(s);
    assert_has(out, "ftp 530: 12884901885 failed logins from 10.0.0.9 in 2 s");
    free(out);
    eng_site_free(&s);
    /* Values of another shape are ignored, not misread. */
    s = site();
    static const char *const junk[] = {"ftp 530", " from 1.2.3.4", "ftp 530 from ", "from x", "x9"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(junk); i++)
        for (int k = 0; k < 6; k++)
            ev(s, PROBE_EVF_AUTH_FAILURE, junk[i], T0 + (uint64_t)k * SEC);
    out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
}

/* The server's lockout reply to client at t: "ftp 421 from CLIENT", counted like refusals. */
static void lockout(eng_site_t *s, const char *what, const char *client, uint64_t t)
{
    char v[96];
    snprintf(v, sizeof v, "%s from %s", what, client);
    ev(s, PROBE_EVF_AUTH_LOCKOUT, v, t);
}

static void t_lockout(void **state)
{
    (void)state;
    /* Five refused, then 421 and the door stays shut: the next two sessions get 421 at once. */
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 5, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 4 * SEC); /* in the last refusal's packet */
    lockout(s, "ftp 421", "10.0.0.9", T0 + 10 * SEC);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 20 * SEC);
    char *out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    assert_has(out, "\"field\":\"auth.lockout\",\"value\":\"ftp 421 from 10.0.0.9\"");
    free(out);
    eng_site_free(&s);
    /* Ten refusals before the lockout is the most that passes; eleven is weak. */
    s = site();
    fails(s, "10.0.0.9", 10, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 10 * SEC);
    out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
    s = site();
    fails(s, "10.0.0.9", 11, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 11 * SEC);
    out = scan(s);
    assert_has(out, "ftp 530: 11 failed logins from 10.0.0.9 in 10 s, not slowed down; ftp 421 "
                    "came only after 11 failures (more than 10)");
    free(out);
    eng_site_free(&s);
}

static void t_lockout_not(void **state)
{
    (void)state;
    /* 421 after three, but the next session's guesses are refused again: a session limit. */
    eng_site_t *s = site();
    fails(s, "10.0.0.9", 3, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 2 * SEC);
    fails(s, "10.0.0.9", 3, T0 + 5 * SEC, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 7 * SEC);
    char *out = scan(s);
    assert_has(out, "ftp 530: 6 failed logins from 10.0.0.9 in 7 s, not slowed down; ftp 421 "
                    "ended a session but later guesses were refused again: a per-session limit, "
                    "not a lockout");
    free(out);
    eng_site_free(&s);
    /* A lockout of another client, or in another protocol, says nothing about this run. */
    s = site();
    fails(s, "10.0.0.9", 6, T0, 1);
    lockout(s, "ftp 421", "10.0.0.8", T0 + 9 * SEC);
    lockout(s, "pop -ERR [LOGIN-DELAY]", "10.0.0.9", T0 + 9 * SEC);
    lockout(s, "ftpx 421", "10.0.0.9", T0 + 9 * SEC);
    out = scan(s);
    assert_has(out, "\"value\":\"ftp 530: 6 failed logins from 10.0.0.9 in 5 s, not slowed down\"");
    free(out);
    eng_site_free(&s);
    /* A 421 before the run (an idle session closed earlier) is not a lockout of it. */
    s = site();
    lockout(s, "ftp 421", "10.0.0.9", T0);
    fails(s, "10.0.0.9", 6, T0 + SEC, 1);
    out = scan(s);
    assert_has(out, "ftp 530: 6 failed logins from 10.0.0.9 in 5 s, not slowed down; ftp 421 "
                    "ended a session");
    free(out);
    eng_site_free(&s);
    /* A rate limit met long after the run did not answer it: 30 s is the most that passes. */
    s = site();
    fails(s, "10.0.0.9", 6, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 5 * SEC + 31 * SEC);
    out = scan(s);
    assert_has(out, "ftp 530: 6 failed logins from 10.0.0.9 in 5 s, not slowed down; ftp 421 came "
                    "31 s after the last refusal, not in answer to the run");
    free(out);
    eng_site_free(&s);
    s = site();
    fails(s, "10.0.0.9", 6, T0, 1);
    lockout(s, "ftp 421", "10.0.0.9", T0 + 5 * SEC + 30 * SEC);
    out = scan(s);
    assert_null(strstr(out, "bruteforce"));
    free(out);
    eng_site_free(&s);
    /* Values of another shape are ignored. */
    s = site();
    fails(s, "10.0.0.9", 6, T0, 1);
    ev(s, PROBE_EVF_AUTH_LOCKOUT, "ftp 421", T0 + 9 * SEC);
    ev(s, PROBE_EVF_AUTH_LOCKOUT, " from 10.0.0.9", T0 + 9 * SEC);
    out = scan(s);
    assert_has(out, "\"value\":\"ftp 530: 6 failed logins from 10.0.0.9 in 5 s, not slowed down\"");
    free(out);
    eng_site_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_run_and_success), cmocka_unit_test(t_thresholds),
        cmocka_unit_test(t_slowed),          cmocka_unit_test(t_workers_and_counts),
        cmocka_unit_test(t_hostile_counts),  cmocka_unit_test(t_lockout),
        cmocka_unit_test(t_lockout_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
