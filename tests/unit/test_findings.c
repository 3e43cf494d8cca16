/* test_findings.c - weak points (engine/findings.c): a site built from hand-made observations
 * and a tiny rule set gives findings with their evidence, severity and provisions, one per
 * kind and device, worst first, in the inventory, the table and --explain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "eng/site.h"
#include "probe/evidence.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#define CLIENT_MAC "00:14:22:01:02:03"
#define CLIENT_IP  "192.168.10.50"
#define SERVER_MAC "00:40:8c:aa:bb:cc"
#define SERVER_IP  "192.168.10.30"
#define T0         1705305600000000ull /* 2024-01-15T08:00:00Z */

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

static coll_obs_t flow(uint16_t port, const char *app)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    coll_obs_flow_t *f = &o.u.flow;
    f->client = ep(CLIENT_MAC, CLIENT_IP);
    f->server = ep(SERVER_MAC, SERVER_IP);
    f->client_port = 40000;
    f->server_port = port;
    f->l4_proto = IPPROTO_TCP;
    f->final = 1;
    snprintf(f->app_name, sizeof f->app_name, "%s", app);
    f->first_us = T0;
    f->last_us = T0 + 2000000;
    f->pkts[0] = f->pkts[1] = 3;
    f->answered = 1;
    f->bytes[0] = f->bytes[1] = 300;
    return o;
}

/* Evidence about the server, seen in a packet to the client. */
static coll_obs_t evidence(uint16_t field, const char *value, const char *source, uint16_t sport,
                           uint64_t ts, uint64_t frame)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_EVIDENCE;
    coll_obs_evidence_t *e = &o.u.ev;
    e->subject = ep(SERVER_MAC, SERVER_IP);
    e->peer = ep(CLIENT_MAC, CLIENT_IP);
    e->field = field;
    e->l4_proto = sport == 161 ? IPPROTO_UDP : IPPROTO_TCP;
    e->sport = sport;
    e->dport = 40000;
    e->ts_us = ts;
    e->frame = frame;
    e->count = 1;
    snprintf(e->source, sizeof e->source, "%s", source);
    snprintf(e->value, sizeof e->value, "%s", value);
    return o;
}

static void merge_ok(eng_site_t *s, coll_obs_t o)
{
    assert_int_equal(eng_site_merge(s, &o), SSF_OK);
}

/* Lines are numbered in the comments: rule_at names them. */
static const char wp_rules[] = "rule snmp-any\n"                        /* 1 */
                               "    field snmp.community\n"             /* 2 */
                               "    match /./\n"                        /* 3 */
                               "    finding snmp_community\n"           /* 4 */
                               "    example \"public\"\n"               /* 5 */
                               "rule snmp-default\n"                    /* 6 */
                               "    field snmp.community\n"             /* 7 */
                               "    match /^(?:public|private)$/\n"     /* 8 */
                               "    finding default_credentials\n"      /* 9 */
                               "    example \"public\"\n"               /* 10 */
                               "rule smb1\n"                            /* 11 */
                               "    field smb.dialect\n"                /* 12 */
                               "    match /^NT LM 0\\.12$/\n"           /* 13 */
                               "    finding smbv1\n"                    /* 14 */
                               "    example \"NT LM 0.12\"\n"           /* 15 */
                               "rule telnet-served\n"                   /* 16 */
                               "    field service.served\n"             /* 17 */
                               "    match /^Telnet tcp\\//\n"           /* 18 */
                               "    finding cleartext_mgmt_protocol\n"  /* 19 */
                               "    example \"Telnet tcp/23\"\n"        /* 20 */
                               "rule boa\n"                             /* 21 */
                               "    field http.server\n"                /* 22 */
                               "    match /^Boa\\//\n"                  /* 23 */
                               "    os Boa\n"                           /* 24 */
                               "    example \"Boa/0.94\"\n"             /* 25 */
                               "rule restart-peer\n"                    /* 26 */
                               "    field dnp3.function\n"              /* 27 */
                               "    match /^13 cold_restart$/\n"        /* 28 */
                               "    finding unauth_ics_control\n"       /* 29 */
                               "    on peer\n"                          /* 30 */
                               "    example \"13 cold_restart\"\n"      /* 31 */
                               "rule clear-creds\n"                     /* 32 */
                               "    field risk.as_client\n"             /* 33 */
                               "    match /^Clear-Text Credentials$/\n" /* 34 */
                               "    finding cleartext_credentials\n"    /* 35 */
                               "    example \"Clear-Text Credentials\"\n";

typedef struct {
    sig_set_t *sigs;
    eng_site_t *s;
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    ssf_err err = {0};
    if (!fx) return -1;
    const char *fields[] = {"snmp.community", "smb.dialect",   "http.server",
                            "service.served", "dnp3.function", "risk.as_client"};
    fx->sigs = sig_set_new(fields, SSF_ARRAY_LEN(fields));
    if (!fx->sigs ||
        sig_set_add_text(fx->sigs, "wp.rules", wp_rules, strlen(wp_rules), NULL, NULL) != SSF_OK ||
        sig_set_compile(fx->sigs, NULL, NULL) != SSF_OK)
        return -1;
    if (!(fx->s = eng_site_new("lab", NULL, &err))) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    eng_site_free(&fx->s); /* before the set it points to */
    sig_set_free(&fx->sigs);
    free(fx);
    return 0;
}

static char *render(const eng_site_t *s, int kind)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    if (kind == 0) assert_int_equal(eng_site_write_ndjson(s, f, NULL), SSF_OK);
    if (kind == 1) assert_int_equal(eng_site_write_table(s, f, 200), SSF_OK);
    if (kind == 2) assert_true(eng_site_write_explain(s, f, SERVER_IP, NULL));
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) fail_msg("unexpected %s in:\n%s", needle, hay);
}

/* The NDJSON line of device id; caller frees. */
static char *device_line(const char *all, const char *id)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"id\":\"%s\",", id);
    const char *p = strstr(all, needle);
    if (!p) fail_msg("no device %s in:\n%s", id, all);
    while (p > all && p[-1] != '\n')
        p--;
    const char *nl = strchr(p, '\n');
    assert_non_null(nl);
    return strndup(p, (size_t)(nl - p));
}

static void observe(eng_site_t *s)
{
    merge_ok(s, flow(23, "Telnet"));
    merge_ok(s, evidence(PROBE_EVF_SNMP_COMMUNITY, "public", "snmp", 161, T0 + 1000000, 4));
    merge_ok(s, evidence(PROBE_EVF_SNMP_COMMUNITY, "public", "snmp", 161, T0 + 5000000, 9));
    merge_ok(
        s, evidence(PROBE_EVF_SNMP_COMMUNITY, "<masked, 6 chars>", "snmp", 161, T0 + 7000000, 12));
    merge_ok(s, evidence(PROBE_EVF_SMB_DIALECT, "NT LM 0.12", "smb", 445, T0 + 3000000, 7));
    merge_ok(s, evidence(PROBE_EVF_HTTP_SERVER, "Boa/0.94", "http", 80, T0, 2));
}

static void t_json(void **state)
{
    fixture_t *fx = *state;
    eng_site_set_signatures(fx->s, fx->sigs);
    observe(fx->s);
    eng_site_finalize(fx->s);
    char *all = render(fx->s, 0);
    char *srv = device_line(all, "mac:" SERVER_MAC);
    /* worst first: critical, then high in the kinds table's order, then medium */
    const char *a = strstr(srv, "\"kind\":\"default_credentials\"");
    const char *b = strstr(srv, "\"kind\":\"cleartext_mgmt_protocol\"");
    const char *c = strstr(srv, "\"kind\":\"smbv1\"");
    const char *d = strstr(srv, "\"kind\":\"snmp_community\"");
    assert_true(a && b && c && d && a < b && b < c && c < d);
    assert_has(srv, "\"findings\":[{\"kind\":\"default_credentials\",\"severity\":\"critical\","
                    "\"provisions\":[\"5.1-1\"],\"jcstar\":\"S1.1-02\",\"rule\":\"snmp-default\","
                    "\"rule_at\":\"wp.rules:6\",\"count\":1,");
    assert_has(srv, "{\"field\":\"snmp.community\",\"value\":\"public\",\"rule\":\"snmp-default\","
                    "\"source\":\"snmp\",\"input\":null,\"frame\":4,"
                    "\"packet\":\"udp " SERVER_IP ":161 <-> " CLIENT_IP ":40000\"}");
    /* two distinct values, one of them seen twice: count 2, first and last from both */
    assert_has(srv,
               "\"kind\":\"snmp_community\",\"severity\":\"medium\","
               "\"provisions\":[\"5.5-1\",\"5.5-7\"],\"jcstar\":\"S1.1-01\",\"rule\":\"snmp-any\","
               "\"rule_at\":\"wp.rules:1\",\"count\":2,"
               "\"first_seen\":\"2024-01-15T08:00:01");
    assert_has(srv, "\"kind\":\"smbv1\",\"severity\":\"high\",\"provisions\":[\"5.5-1\",\"5.6\"]");
    /* a pseudo-field has no frame nor packet of its own */
    assert_has(srv, "{\"field\":\"service.served\",\"value\":\"Telnet tcp/23\","
                    "\"rule\":\"telnet-served\",\"source\":null,\"input\":null,\"frame\":null,"
                    "\"packet\":null}");
    /* identity is untouched: the os rule votes, finding rules do not */
    assert_has(srv, "\"os\":{\"value\":\"Boa\"");
    assert_lacks(srv, "\"finding\"");
    char *cli = device_line(all, "mac:" CLIENT_MAC);
    assert_has(cli, "\"findings\":[]");
    free(cli);
    free(srv);
    free(all);
}

static void t_table_explain(void **state)
{
    fixture_t *fx = *state;
    eng_site_set_signatures(fx->s, fx->sigs);
    observe(fx->s);
    eng_site_finalize(fx->s);
    char *t = render(fx->s, 1);
    /* the worst finding leads the RISKS column (the last column, cut to its width) */
    assert_has(t, "Telnet/23        default_credentials, cleartext_mgmt_proto");
    free(t);
    char *x = render(fx->s, 2);
    assert_has(x, "  finding smbv1 (high; ETSI EN 303 645 5.5-1,5.6): ");
    assert_has(x, "      because rule smb1 (wp.rules:11) matched smb.dialect = \"NT LM 0.12\", "
                  "frame 7\n");
    assert_has(x,
               "  finding snmp_community (medium; ETSI EN 303 645 5.5-1,5.5-7; JC-STAR S1.1-01): ");
    assert_has(x, ", 2 items\n");
    free(x);
}

/* An `on peer` rule raises its finding on the other end of the packet, not on the sender. */
static void t_on_peer(void **state)
{
    fixture_t *fx = *state;
    eng_site_set_signatures(fx->s, fx->sigs);
    merge_ok(fx->s, flow(20000, "DNP3"));
    coll_obs_t o = evidence(PROBE_EVF_DNP3_FUNCTION, "13 cold_restart", "dnp3", 40000, T0, 5);
    o.u.ev.subject = ep(CLIENT_MAC, CLIENT_IP); /* the master sent it to the server */
    o.u.ev.peer = ep(SERVER_MAC, SERVER_IP);
    o.u.ev.dport = 20000;
    merge_ok(fx->s, o);
    /* the server's own high finding must still sort after the critical one its peer raised */
    merge_ok(fx->s, evidence(PROBE_EVF_SMB_DIALECT, "NT LM 0.12", "smb", 445, T0, 7));
    eng_site_finalize(fx->s);
    char *all = render(fx->s, 0);
    char *srv = device_line(all, "mac:" SERVER_MAC);
    char *cli = device_line(all, "mac:" CLIENT_MAC);
    assert_has(srv, "\"findings\":[{\"kind\":\"unauth_ics_control\",\"severity\":\"critical\"");
    assert_has(srv, "{\"kind\":\"smbv1\"");
    assert_has(srv, "{\"field\":\"dnp3.function\",\"value\":\"13 cold_restart\","
                    "\"rule\":\"restart-peer\",\"seen_on\":\"mac:" CLIENT_MAC "\",");
    assert_has(cli, "\"findings\":[]");
    free(cli);
    free(srv);
    free(all);
}

/* nDPI's flow risks are matched by name as risk.as_server / risk.as_client. */
static void t_ndpi_risk(void **state)
{
    fixture_t *fx = *state;
    eng_site_set_signatures(fx->s, fx->sigs);
    coll_obs_t o = flow(80, "HTTP");
    o.u.flow.risk = 1ull << 36; /* NDPI_CLEAR_TEXT_CREDENTIALS in nDPI 4.2 */
    merge_ok(fx->s, o);
    eng_site_finalize(fx->s);
    char *all = render(fx->s, 0);
    char *cli = device_line(all, "mac:" CLIENT_MAC);
    assert_has(cli, "\"findings\":[{\"kind\":\"cleartext_credentials\"");
    assert_has(cli, "{\"field\":\"risk.as_client\",\"value\":\"Clear-Text Credentials\","
                    "\"rule\":\"clear-creds\",\"source\":null,");
    free(cli);
    free(all);
}

/* Without a rule set there are no findings, and the member is still there. */
static void t_no_rules(void **state)
{
    fixture_t *fx = *state;
    observe(fx->s);
    eng_site_finalize(fx->s);
    char *all = render(fx->s, 0);
    char *srv = device_line(all, "mac:" SERVER_MAC);
    assert_has(srv, "\"findings\":[]");
    free(srv);
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_json, setup, teardown),
        cmocka_unit_test_setup_teardown(t_table_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(t_no_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(t_on_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(t_ndpi_risk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
