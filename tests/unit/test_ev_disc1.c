/* test_ev_disc1.c - the SNMP, syslog and NetBIOS-NS identity extractors (probes/ev_snmp.c,
 * probes/ev_syslog.c, probes/ev_netbios.c) on hand-built payloads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

/* The i-th item is field f with exactly this value, about the sender. */
static void assert_nth(const probe_ev_buf_t *b, size_t i, probe_ev_field f, const char *value)
{
    assert_true(i < b->n);
    assert_int_equal(b->items[i].field, f);
    assert_string_equal(b->items[i].value, value);
    assert_int_equal(b->items[i].role, PROBE_EV_SRC);
}

static void assert_no_item_contains(const probe_ev_buf_t *b, const char *needle)
{
    for (size_t i = 0; i < b->n; i++)
        if (strstr(b->items[i].value, needle)) fail_msg("item %zu leaks \"%s\"", i, needle);
}

/* Every proper prefix of a valid message is a cut message, and leaks no secret. */
static void assert_prefixes_truncated(ev_fn fn, const uint8_t *p, size_t n)
{
    probe_ev_buf_t out;
    for (size_t k = 0; k < n; k++) {
        ssf_rc rc = ev_run(fn, p, k, &out);
        if (rc != SSF_ETRUNC) fail_msg("prefix %zu of %zu: rc %d", k, n, rc);
        assert_no_item_contains(&out, "s3cr3t");
    }
}

/* ---- SNMP ---- */

/* SNMPv2c GetResponse, community "public": outer SEQUENCE and VarBind list in long-form
 * lengths (0x81 xx); sysDescr "Cisco IOS Software, C2960 15.0(2)SE", sysObjectID
 * 1.3.6.1.4.1.9.1.1208 (arc 1208 = 0x89 0x38), sysName "R1.lab.local". */
static const uint8_t snmp_v2c_response[] = {
    0x30, 0x81, 0x7b, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa2, 0x6e,
    0x02, 0x01, 0x2a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x81, 0x62, 0x30, 0x2f, 0x06, 0x08,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x23, 0x43, 0x69, 0x73, 0x63, 0x6f, 0x20,
    0x49, 0x4f, 0x53, 0x20, 0x53, 0x6f, 0x66, 0x74, 0x77, 0x61, 0x72, 0x65, 0x2c, 0x20, 0x43, 0x32,
    0x39, 0x36, 0x30, 0x20, 0x31, 0x35, 0x2e, 0x30, 0x28, 0x32, 0x29, 0x53, 0x45, 0x30, 0x15, 0x06,
    0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x02, 0x00, 0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01,
    0x09, 0x01, 0x89, 0x38, 0x30, 0x18, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00,
    0x04, 0x0c, 0x52, 0x31, 0x2e, 0x6c, 0x61, 0x62, 0x2e, 0x6c, 0x6f, 0x63, 0x61, 0x6c,
};
/* SNMPv1 GetRequest, community "s3cr3t-plant" (12 chars), asking for sysDescr and sysName
 * with NULL values: a request reveals only the (masked) community. */
static const uint8_t snmp_v1_get[] = {
    0x30, 0x3a, 0x02, 0x01, 0x00, 0x04, 0x0c, 0x73, 0x33, 0x63, 0x72, 0x33, 0x74, 0x2d, 0x70,
    0x6c, 0x61, 0x6e, 0x74, 0xa0, 0x27, 0x02, 0x01, 0x07, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
    0x30, 0x1c, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05,
    0x00, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00, 0x05, 0x00,
};
/* SNMPv1 Trap (0xA4), community "private": enterprise 1.3.6.1.4.1.9, agent 10.0.0.1,
 * generic 6, specific 1, timeticks 256, no VarBinds. */
static const uint8_t snmp_v1_trap[] = {
    0x30, 0x28, 0x02, 0x01, 0x00, 0x04, 0x07, 0x70, 0x72, 0x69, 0x76, 0x61, 0x74, 0x65,
    0xa4, 0x1a, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x09, 0x40, 0x04, 0x0a, 0x00,
    0x00, 0x01, 0x02, 0x01, 0x06, 0x02, 0x01, 0x01, 0x43, 0x02, 0x01, 0x00, 0x30, 0x00,
};
/* SNMPv3 (version 3): msgGlobalData, empty security parameters, a clear ScopedPDU. */
static const uint8_t snmp_v3[] = {
    0x30, 0x29, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x12, 0x34, 0x02, 0x03, 0x00, 0xff,
    0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03, 0x04, 0x00, 0x30, 0x11, 0x04, 0x00, 0x04, 0x00,
    0xa0, 0x0b, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
};

static void t_snmp_v2c_response(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_snmp, snmp_v2c_response, sizeof snmp_v2c_response, &out),
                     SSF_OK);
    assert_int_equal(out.n, 5);
    assert_nth(&out, 4, PROBE_EVF_SNMP_PDU, "response");
    assert_nth(&out, 0, PROBE_EVF_SNMP_COMMUNITY, "public");
    assert_nth(&out, 1, PROBE_EVF_SNMP_SYSDESCR, "Cisco IOS Software, C2960 15.0(2)SE");
    assert_nth(&out, 2, PROBE_EVF_SNMP_SYSOBJECTID, "1.3.6.1.4.1.9.1.1208");
    assert_nth(&out, 3, PROBE_EVF_SNMP_SYSNAME, "R1.lab.local");
}

static void t_snmp_community_masked(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_snmp, snmp_v1_get, sizeof snmp_v1_get, &out), SSF_OK);
    assert_int_equal(out.n, 2);
    assert_nth(&out, 0, PROBE_EVF_SNMP_COMMUNITY, "<masked, 12 chars>");
    assert_nth(&out, 1, PROBE_EVF_SNMP_PDU, "get");
    assert_no_item_contains(&out, "s3cr3t");
    /* A default with one letter changed is a secret, not the default. */
    uint8_t b[sizeof snmp_v2c_response];
    memcpy(b, snmp_v2c_response, sizeof b);
    b[8] = 'P'; /* "Public" */
    assert_int_equal(ev_run(probe_ev_snmp, b, sizeof b, &out), SSF_OK);
    assert_nth(&out, 0, PROBE_EVF_SNMP_COMMUNITY, "<masked, 6 chars>");
    assert_no_item_contains(&out, "ublic");
}

static void t_snmp_trap_and_v3(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_snmp, snmp_v1_trap, sizeof snmp_v1_trap, &out), SSF_OK);
    assert_int_equal(out.n, 2);
    assert_nth(&out, 0, PROBE_EVF_SNMP_COMMUNITY, "private");
    assert_nth(&out, 1, PROBE_EVF_SNMP_PDU, "trap");
    assert_int_equal(ev_run(probe_ev_snmp, snmp_v3, sizeof snmp_v3, &out), SSF_OK);
    assert_int_equal(out.n, 0);
}

static void t_snmp_not_snmp(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_snmp, http, sizeof http - 1, &out), SSF_EINVAL);
    static const uint8_t version7[] = {0x30, 0x03, 0x02, 0x01, 0x07};
    assert_int_equal(ev_run(probe_ev_snmp, version7, sizeof version7, &out), SSF_EINVAL);
    static const uint8_t indefinite[] = {0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00};
    assert_int_equal(ev_run(probe_ev_snmp, indefinite, sizeof indefinite, &out), SSF_EINVAL);
    uint8_t b[sizeof snmp_v2c_response];
    memcpy(b, snmp_v2c_response, sizeof b);
    b[14] = 0xA9; /* not a PDU tag */
    assert_int_equal(ev_run(probe_ev_snmp, b, sizeof b, &out), SSF_EINVAL);
    assert_int_equal(out.n, 0);
    memcpy(b, snmp_v2c_response, sizeof b);
    b[2] = 0x7a; /* outer length one short: the PDU now overruns it */
    assert_int_equal(ev_run(probe_ev_snmp, b, sizeof b - 1, &out), SSF_EINVAL);
}

static void t_snmp_truncations(void **state)
{
    (void)state;
    assert_prefixes_truncated(probe_ev_snmp, snmp_v2c_response, sizeof snmp_v2c_response);
    assert_prefixes_truncated(probe_ev_snmp, snmp_v1_get, sizeof snmp_v1_get);
    assert_prefixes_truncated(probe_ev_snmp, snmp_v1_trap, sizeof snmp_v1_trap);
    assert_prefixes_truncated(probe_ev_snmp, snmp_v3, sizeof snmp_v3);
}

/* ---- syslog ---- */

static const char sl_3164[] = "<34>Oct 11 22:14:15 mymachine su: 'su root' failed on /dev/pts/8";
static const char sl_3164_pad[] = "<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!";
static const char sl_5424[] = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - "
                              "ID47 [exampleSDID@32473 iut=\"3\"] An application event";
static const char sl_5424_nil[] = "<165>1 2003-08-24T05:14:15.000003-07:00 - myproc 8710 - - hi";

/* How many items of field f out holds (syslog also yields tag and message items, tested in
 * test_ev_disc3.c). */
static size_t count_field(const probe_ev_buf_t *out, probe_ev_field f)
{
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++)
        k += out->items[i].field == f;
    return k;
}

/* Runs a syslog line and expects rc and, if host is not NULL, that one hostname first. */
static void check_syslog(const char *line, ssf_rc want, const char *host)
{
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_syslog, line, strlen(line), &out), want);
    assert_int_equal(count_field(&out, PROBE_EVF_SYSLOG_HOSTNAME), host ? 1 : 0);
    if (host) assert_nth(&out, 0, PROBE_EVF_SYSLOG_HOSTNAME, host);
    if (want == SSF_EINVAL) assert_int_equal(out.n, 0);
}

static void t_syslog_hostnames(void **state)
{
    (void)state;
    check_syslog(sl_3164, SSF_OK, "mymachine");
    check_syslog(sl_3164_pad, SSF_OK, "10.0.0.99");
    check_syslog(sl_5424, SSF_OK, "mymachine.example.com");
    check_syslog(sl_5424_nil, SSF_OK, NULL);
    check_syslog("<13>su: no timestamp", SSF_OK, NULL);
    check_syslog("<189>123: *Mar  1 00:00:00: %LINK-5-CHANGED", SSF_OK, NULL);
    check_syslog("<13>Oct 11 22:14:15 sshd[42]: tag, no host", SSF_OK, NULL);
    check_syslog("<13>Oct 11 22:14:15 su: tag, no host", SSF_OK, NULL);
    check_syslog("<13>Foo 11 22:14:15 host not a month", SSF_OK, NULL);
    check_syslog("<134>854 08/20/2013-19:05:23 CONFIG FCPT BuildLoopMap", SSF_OK, NULL);
    check_syslog("<45>1 2022-03-02T12:39:47.689392-01:00 pfSense.localdomain suricata 37046 - - "
                 "{}",
                 SSF_OK, "pfSense.localdomain");
    check_syslog("<147>Jan  2 10:09:52 nb6 chillispot[4222]: C:192.168.2.83", SSF_OK, "nb6");
}

static void t_syslog_not_syslog(void **state)
{
    (void)state;
    check_syslog("hello <13>", SSF_EINVAL, NULL);
    check_syslog("<192>Oct 11 22:14:15 host x", SSF_EINVAL, NULL);
    check_syslog("<1234>Oct 11 22:14:15 host x", SSF_EINVAL, NULL);
    check_syslog("<>Oct 11 22:14:15 host x", SSF_EINVAL, NULL);
    check_syslog("<1a>x", SSF_EINVAL, NULL);
}

/* Prefixes that end before the space after HOSTNAME (the end of `upto`) are ETRUNC; longer
 * ones are OK with `items` hostnames. */
static void check_syslog_prefixes(const char *line, const char *upto, size_t items)
{
    size_t n = strlen(line), full = (size_t)(strstr(line, upto) - line) + strlen(upto);
    probe_ev_buf_t out;
    for (size_t k = 0; k < n; k++) {
        ssf_rc rc = ev_run(probe_ev_syslog, line, k, &out);
        if (rc != (k < full ? SSF_ETRUNC : SSF_OK)) fail_msg("prefix %zu: rc %d", k, rc);
        if (k < full) assert_int_equal(out.n, 0);
        assert_int_equal(count_field(&out, PROBE_EVF_SYSLOG_HOSTNAME), k < full ? 0 : items);
    }
}

static void t_syslog_truncations(void **state)
{
    (void)state;
    check_syslog_prefixes(sl_3164, "mymachine ", 1);
    check_syslog_prefixes(sl_3164_pad, "10.0.0.99 ", 1);
    check_syslog_prefixes(sl_5424, "mymachine.example.com ", 1);
    check_syslog_prefixes(sl_5424_nil, "-07:00 - ", 0);
}

/* ---- NetBIOS-NS ---- */

/* NetBIOS-NS name registration (opcode 5, RD, broadcast): question "PLC-HMI-01<00>", then
 * the additional record as a pointer (0xC0 0x0C) to it, NB_FLAGS 0 (unique), 192.168.1.5. */
static const uint8_t nb_register[] = {
    0x12, 0x34, 0x29, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x46,
    0x41, 0x45, 0x4d, 0x45, 0x44, 0x43, 0x4e, 0x45, 0x49, 0x45, 0x4e, 0x45, 0x4a, 0x43,
    0x4e, 0x44, 0x41, 0x44, 0x42, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43,
    0x41, 0x41, 0x41, 0x00, 0x00, 0x20, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x20, 0x00, 0x01,
    0x00, 0x04, 0x93, 0xe0, 0x00, 0x06, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x05,
};
/* Positive name query response (R, AA): answer "FILESRV<20>", NB_FLAGS 0x6000, 192.168.1.10. */
static const uint8_t nb_positive[] = {
    0x42, 0x42, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x20, 0x45, 0x47, 0x45,
    0x4a, 0x45, 0x4d, 0x45, 0x46, 0x46, 0x44, 0x46, 0x43, 0x46, 0x47, 0x43, 0x41, 0x43, 0x41, 0x43,
    0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x00, 0x00, 0x20,
    0x00, 0x01, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x06, 0x60, 0x00, 0xc0, 0xa8, 0x01, 0x0a,
};
/* Node status response: answer "*" type NBSTAT; 5 names: HMI-STATION<00>, WORKGROUP<00>
 * (group), HMI-STATION<20>, HMI-STATION<00> again, WORKGROUP<1E> (group); then the unit
 * id 00:0c:29:11:22:33 and 40 bytes of statistics. */
static const uint8_t nb_nbstat[] = {
    0x00, 0x77, 0x84, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x20, 0x43, 0x4b,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
    0x00, 0x00, 0x21, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x89, 0x05, 0x48, 0x4d, 0x49,
    0x2d, 0x53, 0x54, 0x41, 0x54, 0x49, 0x4f, 0x4e, 0x20, 0x20, 0x20, 0x20, 0x00, 0x04, 0x00,
    0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52, 0x4f, 0x55, 0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x00, 0x84, 0x00, 0x48, 0x4d, 0x49, 0x2d, 0x53, 0x54, 0x41, 0x54, 0x49, 0x4f, 0x4e, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x04, 0x00, 0x48, 0x4d, 0x49, 0x2d, 0x53, 0x54, 0x41, 0x54, 0x49,
    0x4f, 0x4e, 0x20, 0x20, 0x20, 0x20, 0x00, 0x04, 0x00, 0x57, 0x4f, 0x52, 0x4b, 0x47, 0x52,
    0x4f, 0x55, 0x50, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x1e, 0x84, 0x00, 0x00, 0x0c, 0x29,
    0x11, 0x22, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* Plain broadcast name query for "FILESRV<20>": about another host, yields nothing. */
static const uint8_t nb_query[] = {
    0x01, 0x01, 0x01, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
    0x45, 0x47, 0x45, 0x4a, 0x45, 0x4d, 0x45, 0x46, 0x46, 0x44, 0x46, 0x43, 0x46,
    0x47, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41,
    0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x00, 0x00, 0x20, 0x00, 0x01,
};

static void check_nb(const uint8_t *p, size_t n, size_t items, const char *first)
{
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_netbios, p, n, &out), SSF_OK);
    assert_int_equal(out.n, items);
    if (first) assert_nth(&out, 0, PROBE_EVF_NETBIOS_NAME, first);
}

static void t_nb_names(void **state)
{
    (void)state;
    check_nb(nb_register, sizeof nb_register, 1, "PLC-HMI-01<00>");
    check_nb(nb_positive, sizeof nb_positive, 1, "FILESRV<20>");
    check_nb(nb_query, sizeof nb_query, 0, NULL);
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_netbios, nb_nbstat, sizeof nb_nbstat, &out), SSF_OK);
    assert_int_equal(out.n, 2);
    assert_nth(&out, 0, PROBE_EVF_NETBIOS_NAME, "HMI-STATION<00>");
    assert_nth(&out, 1, PROBE_EVF_NETBIOS_NAME, "HMI-STATION<20>");
}

static void t_nb_not_claims(void **state)
{
    (void)state;
    uint8_t b[sizeof nb_register];
    memcpy(b, nb_register, sizeof b);
    b[2] = 0x31; /* opcode 6: a release yields nothing */
    check_nb(b, sizeof b, 0, NULL);
    b[2] = 0xA9; /* the registration's response (from a WINS server) is about the client */
    check_nb(b, sizeof b, 0, NULL);
    memcpy(b, nb_register, sizeof b);
    b[sizeof b - 6] = 0x80; /* NB_FLAGS G: a group name */
    check_nb(b, sizeof b, 0, NULL);
    uint8_t q[sizeof nb_positive];
    memcpy(q, nb_positive, sizeof q);
    q[3] = 0x03; /* rcode 3: negative response */
    check_nb(q, sizeof q, 0, NULL);
}

static void t_nb_not_netbios(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    static const uint8_t zeros[64];
    assert_int_equal(ev_run(probe_ev_netbios, zeros, sizeof zeros, &out), SSF_EINVAL);
    uint8_t b[sizeof nb_query];
    memcpy(b, nb_query, sizeof b);
    b[2] = 0x19; /* opcode 3 is not defined */
    assert_int_equal(ev_run(probe_ev_netbios, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, nb_query, sizeof b);
    b[13] = 'Q'; /* not first-level encoding */
    assert_int_equal(ev_run(probe_ev_netbios, b, sizeof b, &out), SSF_EINVAL);
    memcpy(b, nb_query, sizeof b);
    b[5] = 9; /* 9 questions */
    assert_int_equal(ev_run(probe_ev_netbios, b, sizeof b, &out), SSF_EINVAL);
    uint8_t r[sizeof nb_register];
    memcpy(r, nb_register, sizeof r);
    r[51] = 0x0c, r[50] = 0xc0 | 0x3f; /* pointer far past the payload */
    assert_int_equal(ev_run(probe_ev_netbios, r, sizeof r, &out), SSF_EINVAL);
    r[50] = 0xc0, r[51] = 50; /* pointer to itself: bounded, then malformed */
    assert_int_equal(ev_run(probe_ev_netbios, r, sizeof r, &out), SSF_EINVAL);
    assert_int_equal(out.n, 0);
}

static void t_nb_truncations(void **state)
{
    (void)state;
    assert_prefixes_truncated(probe_ev_netbios, nb_register, sizeof nb_register);
    assert_prefixes_truncated(probe_ev_netbios, nb_positive, sizeof nb_positive);
    assert_prefixes_truncated(probe_ev_netbios, nb_nbstat, sizeof nb_nbstat);
    assert_prefixes_truncated(probe_ev_netbios, nb_query, sizeof nb_query);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_snmp_v2c_response), cmocka_unit_test(t_snmp_community_masked),
        cmocka_unit_test(t_snmp_trap_and_v3),  cmocka_unit_test(t_snmp_not_snmp),
        cmocka_unit_test(t_snmp_truncations),  cmocka_unit_test(t_syslog_hostnames),
        cmocka_unit_test(t_syslog_not_syslog), cmocka_unit_test(t_syslog_truncations),
        cmocka_unit_test(t_nb_names),          cmocka_unit_test(t_nb_not_claims),
        cmocka_unit_test(t_nb_not_netbios),    cmocka_unit_test(t_nb_truncations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
