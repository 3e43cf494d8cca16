/* test_site.c - the engine's site inventory: observations built by hand are merged, grouped
 * into devices, and written as JSON, NDJSON, the table and --explain. */
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
#define ROUTER_MAC "00:1b:54:00:00:01"
#define T0         1705305600000000ull /* 2024-01-15T08:00:00Z */

/* ---- observation builders ---------------------------------------------------------------- */

/* An endpoint; mac or ip may be NULL. */
static coll_endpoint_t ep(const char *mac, const char *ip)
{
    coll_endpoint_t e;
    memset(&e, 0, sizeof e);
    if (mac) {
        e.has_mac = 1;
        assert_true(ssf_mac_parse(mac, e.mac));
    }
    if (ip) {
        e.has_ip = 1;
        assert_true(ssf_addr_parse(ip, &e.ip));
    }
    return e;
}

static coll_obs_t flow(coll_endpoint_t c, coll_endpoint_t s, uint16_t port, const char *app,
                       uint64_t pkts_cs, uint64_t pkts_sc)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    coll_obs_flow_t *f = &o.u.flow;
    f->client = c;
    f->server = s;
    f->client_port = 40000;
    f->server_port = port;
    f->l4_proto = IPPROTO_TCP;
    f->final = 1;
    snprintf(f->app_name, sizeof f->app_name, "%s", app);
    f->first_us = T0;
    f->last_us = T0 + 2000000;
    f->pkts[0] = pkts_cs;
    f->pkts[1] = pkts_sc;
    f->answered = pkts_sc > 0; /* these fixtures' servers answer with data */
    f->bytes[0] = pkts_cs * 100;
    f->bytes[1] = pkts_sc * 1000;
    return o;
}

static coll_obs_t evidence(coll_endpoint_t subject, uint16_t field, const char *value, uint64_t ts,
                           uint64_t frame)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_EVIDENCE;
    coll_obs_evidence_t *e = &o.u.ev;
    e->subject = subject;
    e->peer = ep(CLIENT_MAC, CLIENT_IP);
    e->field = field;
    e->count = 1;
    e->l4_proto = IPPROTO_TCP;
    e->sport = 80;
    e->dport = 40000;
    e->ts_us = ts;
    e->frame = frame;
    snprintf(e->source, sizeof e->source, "http");
    snprintf(e->value, sizeof e->value, "%s", value);
    return o;
}

static coll_obs_t arp(const char *mac, const char *ip)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_ARP;
    assert_true(ssf_mac_parse(mac, o.u.arp.mac));
    assert_true(ssf_addr_parse(ip, &o.u.arp.ip));
    o.u.arp.ts_us = T0;
    return o;
}

static void merge_ok(eng_site_t *s, coll_obs_t o)
{
    assert_int_equal(eng_site_merge(s, &o), SSF_OK);
}

/* ---- output capture ---------------------------------------------------------------------- */

typedef enum { OUT_JSON, OUT_NDJSON, OUT_TABLE } out_kind;

/* Everything a writer produced, NUL-terminated; caller frees. */
static char *render(const eng_site_t *s, out_kind k)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ssf_rc rc = k == OUT_JSON     ? eng_site_write_json(s, f, NULL)
                : k == OUT_NDJSON ? eng_site_write_ndjson(s, f, NULL)
                                  : eng_site_write_table(s, f, 200);
    assert_int_equal(rc, SSF_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* The NDJSON line of the device with this id; caller frees. fail()s if absent. */
static char *device_line(const eng_site_t *s, const char *id)
{
    char *all = render(s, OUT_NDJSON), needle[96];
    snprintf(needle, sizeof needle,
             "{\"type\":\"device\",\"schema\":\"ssfscan.inventory/2\","
             "\"site\":\"lab\",\"id\":\"%s\",",
             id);
    char *p = strstr(all, needle);
    if (!p) fail_msg("no device %s in:\n%s", id, all);
    char *nl = strchr(p, '\n');
    assert_non_null(nl);
    char *line = strndup(p, (size_t)(nl - p));
    free(all);
    return line;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) fail_msg("unexpected %s in:\n%s", needle, hay);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* ---- fixture ----------------------------------------------------------------------------- */

typedef struct {
    sig_oui_t *oui;
    eng_site_t *s;
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    ssf_err err = {0};
    if (!fx) return -1;
    fx->oui = sig_oui_new(SSF_TEST_DATA "/oui", &err); /* NULL is fine: no vendor names */
    if (!(fx->s = eng_site_new("lab", fx->oui, &err))) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    eng_site_free(&fx->s);
    assert_null(fx->s);
    eng_site_free(&fx->s); /* NULL-safe */
    sig_oui_free(&fx->oui);
    free(fx);
    return 0;
}

static void stats_of(const eng_site_t *s, eng_site_stats_t *st)
{
    memset(st, 0xaa, sizeof *st);
    eng_site_stats(s, st);
}

/* ---- (a) one HTTP flow ------------------------------------------------------------------- */

static void t_flow_two_devices(void **state)
{
    fixture_t *fx = *state;
    merge_ok(fx->s, flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 80, "HTTP", 5, 4));
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.observations, 1);
    assert_int_equal(st.refused, 0);
    assert_int_equal(st.hosts, 2);
    assert_int_equal(st.devices, 2);
    assert_int_equal(st.flows, 1);
    assert_int_equal(st.evidence, 0);

    char *srv = device_line(fx->s, "mac:" SERVER_MAC);
    assert_has(srv, "\"mac\":\"" SERVER_MAC "\"");
    if (fx->oui) assert_has(srv, "\"mac_vendor\":\"AXIS COMMUNICATIONS AB\"");
    assert_has(srv, "\"router\":false,\"behind_router\":false,\"local\":true");
    assert_has(srv, "\"ips\":[\"" SERVER_IP "\"]");
    assert_has(srv, "\"protocols\":{\"served\":[{\"name\":\"HTTP\",\"transport\":\"tcp\","
                    "\"port\":80,\"flows\":1}],\"used\":[]}");
    assert_has(srv, "\"peers\":[\"" CLIENT_IP "\"],\"peers_total\":1");
    assert_has(srv, "\"traffic\":{\"packets_sent\":4,\"packets_received\":5,"
                    "\"bytes_sent\":4000,\"bytes_received\":500}");
    assert_has(srv, "\"first_seen\":\"2024-01-15T08:00:00.000000Z\","
                    "\"last_seen\":\"2024-01-15T08:00:02.000000Z\"");
    free(srv);

    char *cli = device_line(fx->s, "mac:" CLIENT_MAC);
    assert_has(cli, "\"mac_vendor\":null"); /* 00:14:22 is not in the fixture registry */
    assert_has(cli, "\"protocols\":{\"served\":[],\"used\":[{\"name\":\"HTTP\","
                    "\"transport\":\"tcp\",\"flows\":1}]}");
    assert_has(cli, "\"traffic\":{\"packets_sent\":5,\"packets_received\":4,"
                    "\"bytes_sent\":500,\"bytes_received\":4000}");
    free(cli);

    /* The pretty document lists the server (lower address) first. */
    char *doc = render(fx->s, OUT_JSON);
    assert_has(doc, "\"schema\": \"ssfscan.inventory/2\"");
    assert_has(doc, "\"site\": \"lab\"");
    char *a = strstr(doc, "\"id\": \"mac:" SERVER_MAC "\"");
    char *b = strstr(doc, "\"id\": \"mac:" CLIENT_MAC "\"");
    assert_non_null(a);
    assert_non_null(b);
    assert_true(a < b);
    assert_has(doc, "\"devices\": 2,");
    free(doc);

    /* Finalized: later observations are refused without being counted as merged. */
    coll_obs_t late = arp(CLIENT_MAC, CLIENT_IP);
    assert_int_equal(eng_site_merge(fx->s, &late), SSF_EINVAL);
    stats_of(fx->s, &st);
    assert_int_equal(st.observations, 1);
}

/* A server that never answered serves nothing; a non-final update is not a flow. */
static void t_flow_unanswered_and_updates(void **state)
{
    fixture_t *fx = *state;
    merge_ok(fx->s, flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 23, "Telnet", 3, 0));
    /* A closed port answers with a RST: packets came back, but nothing is served there. */
    coll_obs_t rst =
        flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 502, "Unknown", 1, 1);
    rst.u.flow.answered = 0;
    merge_ok(fx->s, rst);
    coll_obs_t upd = flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 80, "HTTP", 2, 2);
    upd.u.flow.final = 0;
    merge_ok(fx->s, upd);
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.flows, 2);
    char *srv = device_line(fx->s, "mac:" SERVER_MAC);
    assert_has(srv, "\"served\":[]");
    assert_has(srv, "\"packets_sent\":3,\"packets_received\":6");
    free(srv);
}

/* ---- (b) evidence merged twice ----------------------------------------------------------- */

static void t_evidence_dedup(void **state)
{
    fixture_t *fx = *state;
    coll_endpoint_t srv = ep(SERVER_MAC, SERVER_IP);
    merge_ok(fx->s, evidence(srv, PROBE_EVF_HTTP_SERVER, "Boa/0.94.14rc21", T0 + 5000000, 9));
    merge_ok(fx->s, evidence(srv, PROBE_EVF_HTTP_SERVER, "Boa/0.94.14rc21", T0 + 1000000, 4));
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.observations, 2);
    assert_int_equal(st.evidence, 1);
    assert_int_equal(st.devices, 1);
    char *line = device_line(fx->s, "mac:" SERVER_MAC);
    assert_has(line, "\"attributes\":{\"http.server\":[\"Boa/0.94.14rc21\"]}");
    assert_has(line, "\"evidence\":[{\"field\":\"http.server\",\"value\":\"Boa/0.94.14rc21\","
                     "\"source\":\"http\",\"count\":2,"
                     "\"first_seen\":\"2024-01-15T08:00:01.000000Z\","
                     "\"last_seen\":\"2024-01-15T08:00:05.000000Z\",\"input\":null,\"frame\":4,"
                     "\"packet\":\"tcp " SERVER_IP ":80 <-> " CLIENT_IP ":40000\"}]");
    assert_int_equal(count_of(line, "\"field\":\"http.server\""), 1);
    free(line);
}

/* ---- (c) router, (g) its own ARP-claimed address ----------------------------------------- */

static void merge_router_traffic(eng_site_t *s)
{
    char ip[32];
    for (int i = 1; i <= 10; i++) {
        snprintf(ip, sizeof ip, "8.8.8.%d", i);
        merge_ok(s, flow(ep(CLIENT_MAC, CLIENT_IP), ep(ROUTER_MAC, ip), 443, "TLS", 3, 3));
    }
}

static void t_router_split(void **state)
{
    fixture_t *fx = *state;
    merge_router_traffic(fx->s);
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.hosts, 11);
    assert_int_equal(st.devices, 12); /* client + router MAC + 10 addresses behind it */
    char *all = render(fx->s, OUT_NDJSON);
    char id[32];
    for (int i = 1; i <= 10; i++) {
        snprintf(id, sizeof id, "ip:8.8.8.%d", i);
        char *line = device_line(fx->s, id);
        assert_has(line, "\"mac\":null");
        assert_has(line, "\"router\":false,\"behind_router\":true,\"local\":false");
        assert_has(line, "\"served\":[{\"name\":\"TLS\",\"transport\":\"tcp\",\"port\":443");
        free(line);
    }
    char *r = device_line(fx->s, "mac:" ROUTER_MAC);
    assert_has(r, "\"router\":true,\"behind_router\":false");
    assert_has(r, "\"ips\":[]");
    free(r);
    char *c = device_line(fx->s, "mac:" CLIENT_MAC);
    assert_has(c, "\"router\":false,\"behind_router\":false,\"local\":true");
    assert_has(c, "\"peers_total\":10");
    free(c);
    assert_int_equal(count_of(all, "\"behind_router\":true"), 10);
    free(all);
}

static void t_router_keeps_arp_address(void **state)
{
    fixture_t *fx = *state;
    merge_router_traffic(fx->s);
    merge_ok(fx->s,
             flow(ep(CLIENT_MAC, CLIENT_IP), ep(ROUTER_MAC, "192.168.10.1"), 53, "DNS", 1, 1));
    merge_ok(fx->s, arp(ROUTER_MAC, "192.168.10.1"));
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.hosts, 12);
    assert_int_equal(st.devices, 12);
    char *r = device_line(fx->s, "mac:" ROUTER_MAC);
    assert_has(r, "\"router\":true");
    assert_has(r, "\"ips\":[\"192.168.10.1\"]");
    assert_has(r, "\"served\":[{\"name\":\"DNS\",\"transport\":\"tcp\",\"port\":53");
    free(r);
    char *all = render(fx->s, OUT_NDJSON);
    assert_lacks(all, "\"id\":\"ip:192.168.10.1\"");
    assert_int_equal(count_of(all, "\"behind_router\":true"), 10);
    free(all);
}

/* ---- (d) one MAC, three address kinds ---------------------------------------------------- */

static void t_dual_stack_one_device(void **state)
{
    fixture_t *fx = *state;
    static const char *const ips[] = {"192.168.10.60", "fe80::214:22ff:fe01:203", "2001:db8::60"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(ips); i++)
        merge_ok(fx->s, flow(ep(CLIENT_MAC, ips[i]), ep(SERVER_MAC, SERVER_IP), 80, "HTTP", 1, 1));
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.hosts, 4);
    assert_int_equal(st.devices, 2);
    char *c = device_line(fx->s, "mac:" CLIENT_MAC);
    assert_has(c, "\"router\":false,\"behind_router\":false,\"local\":true");
    /* Sorted by the 16-byte form: v4-mapped (::ffff:...) first. */
    assert_has(c, "\"ips\":[\"192.168.10.60\",\"2001:db8::60\",\"fe80::214:22ff:fe01:203\"]");
    /* The three addresses share one protocol and one peer: listed once, flows summed. */
    assert_has(c, "\"protocols\":{\"served\":[],\"used\":[{\"name\":\"HTTP\","
                  "\"transport\":\"tcp\",\"flows\":3}]}");
    assert_has(c, "\"peers\":[\"" SERVER_IP "\"],\"peers_total\":1");
    assert_has(c, "\"traffic\":{\"packets_sent\":3,\"packets_received\":3,");
    free(c);
    char *all = render(fx->s, OUT_NDJSON);
    assert_lacks(all, "\"id\":\"ip:");
    free(all);
}

/* ---- (e) broadcast and multicast are never devices --------------------------------------- */

static void t_group_addresses_not_devices(void **state)
{
    fixture_t *fx = *state;
    coll_endpoint_t c = ep(CLIENT_MAC, CLIENT_IP);
    merge_ok(fx->s, flow(c, ep("ff:ff:ff:ff:ff:ff", "255.255.255.255"), 67, "DHCP", 1, 0));
    merge_ok(fx->s, flow(c, ep("01:00:5e:00:00:fb", "224.0.0.251"), 5353, "MDNS", 1, 0));
    merge_ok(fx->s, flow(c, ep(NULL, "224.0.0.251"), 5353, "MDNS", 1, 0));
    merge_ok(fx->s, flow(c, ep(NULL, "255.255.255.255"), 67, "DHCP", 1, 0));
    merge_ok(fx->s, flow(c, ep("33:33:00:00:00:01", "ff02::1"), 0, "ICMPV6", 1, 0));
    merge_ok(fx->s, flow(c, ep(SERVER_MAC, "239.255.255.250"), 1900, "SSDP", 1, 0));
    merge_ok(fx->s, evidence(ep("ff:ff:ff:ff:ff:ff", NULL), PROBE_EVF_DHCP_HOSTNAME, "x", T0, 1));
    eng_site_finalize(fx->s);
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.observations, 7);
    assert_int_equal(st.hosts, 1);
    assert_int_equal(st.devices, 1);
    assert_int_equal(st.evidence, 0);
    char *all = render(fx->s, OUT_NDJSON);
    assert_lacks(all, "ff:ff:ff:ff:ff:ff");
    assert_lacks(all, "\"id\":\"ip:");
    free(all);
}

/* ---- (f) evidence fields out of range ---------------------------------------------------- */

static void t_refuses_bad_fields(void **state)
{
    fixture_t *fx = *state;
    coll_endpoint_t srv = ep(SERVER_MAC, SERVER_IP);
    static const uint16_t bad[] = {PROBE_EVF_NONE, PROBE_EVF_COUNT, PROBE_EVF_COUNT + 1, 0xffff};
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++) {
        coll_obs_t o = evidence(srv, bad[i], "v", T0, 1);
        assert_int_equal(eng_site_merge(fx->s, &o), SSF_EINVAL);
    }
    coll_obs_t unknown = arp(SERVER_MAC, SERVER_IP);
    unknown.kind = 0;
    assert_int_equal(eng_site_merge(fx->s, &unknown), SSF_EINVAL);
    unknown.kind = COLL_OBS_KIND_MAX + 1;
    assert_int_equal(eng_site_merge(fx->s, &unknown), SSF_EINVAL);
    merge_ok(fx->s, evidence(srv, PROBE_EVF_COUNT - 1, "CN=ok", T0, 1));
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.refused, 6);
    assert_int_equal(st.observations, 1);
    assert_int_equal(st.evidence, 1);
    assert_int_equal(st.hosts, 1);
}

/* ---- (h) explain ------------------------------------------------------------------------- */

static char *explain(const eng_site_t *s, const char *q, bool *found)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    *found = eng_site_write_explain(s, f, q, NULL);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void t_explain(void **state)
{
    fixture_t *fx = *state;
    merge_ok(fx->s, flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 80, "HTTP", 5, 4));
    merge_ok(fx->s,
             evidence(ep(SERVER_MAC, SERVER_IP), PROBE_EVF_HTTP_SERVER, "Boa/0.94.14rc21", T0, 7));
    eng_site_finalize(fx->s);
    static const char *const hits[] = {SERVER_IP, SERVER_MAC, "00-40-8C-AA-BB-CC"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(hits); i++) {
        bool found = false;
        char *out = explain(fx->s, hits[i], &found);
        assert_true(found);
        assert_true(!strncmp(out, "mac:" SERVER_MAC "\n", strlen("mac:" SERVER_MAC "\n")));
        assert_has(out, "  http.server = Boa/0.94.14rc21\n      from http, frame 7 at "
                        "2024-01-15T08:00:00.000000Z, peer " CLIENT_IP
                        ", ports 80->40000, seen 1 time\n");
        assert_lacks(out, CLIENT_MAC);
        free(out);
    }
    static const char *const misses[] = {"10.9.9.9", "00:00:00:00:00:01", "nonsense", ""};
    for (size_t i = 0; i < SSF_ARRAY_LEN(misses); i++) {
        bool found = true;
        char *out = explain(fx->s, misses[i], &found);
        assert_false(found);
        assert_string_equal(out, "");
        free(out);
    }
}

/* ---- (i) NDJSON shape, (j) table --------------------------------------------------------- */

static void t_ndjson_lines(void **state)
{
    fixture_t *fx = *state;
    merge_router_traffic(fx->s);
    merge_ok(fx->s,
             evidence(ep(SERVER_MAC, SERVER_IP), PROBE_EVF_HTTP_SERVER, "a \"q\" \\", T0, 1));
    eng_site_finalize(fx->s);
    char *all = render(fx->s, OUT_NDJSON);
    size_t lines = 0, len = strlen(all);
    assert_true(len > 0);
    assert_int_equal(all[len - 1], '\n');
    char *last = NULL;
    for (char *p = all, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        assert_true(nl > p);
        assert_int_equal(p[0], '{');
        assert_int_equal(nl[-1], '}');
        last = p;
        lines++;
    }
    assert_int_equal(lines, 13 + 1); /* 12 router-case devices + the server, then the summary */
    assert_true(!strncmp(last, "{\"type\":\"summary\",", 18));
    assert_has(last, "\"totals\":{\"packets\":0,\"flows\":10,\"devices\":13,\"evidence\":1}");
    assert_has(all, "\"value\":\"a \\\"q\\\" \\\\\"");
    assert_int_equal(count_of(all, "\"type\":\"device\""), 13);
    free(all);
}

/* A rule set for the identity tests: a web server banner names an OS, a service a type. */
static const char site_rules[] = "rule boa\n"
                                 "    field http.server\n"
                                 "    match /^Boa\\/([0-9.]+\\w*)/\n"
                                 "    os Boa $1\n"
                                 "    weight 30\n"
                                 "    example \"Boa/0.94.14rc21\"\n"
                                 "rule http-camera\n"
                                 "    field service.served\n"
                                 "    match /^HTTP tcp\\/80$/\n"
                                 "    type ip_camera\n"
                                 "    weight 20\n"
                                 "    example \"HTTP tcp/80\"\n";

static sig_set_t *site_sigs(void)
{
    const char *fields[] = {"http.server", "service.served"};
    sig_set_t *s = sig_set_new(fields, 2);
    assert_non_null(s);
    assert_int_equal(sig_set_add_text(s, "site.rules", site_rules, strlen(site_rules), NULL, NULL),
                     SSF_OK);
    assert_int_equal(sig_set_compile(s, NULL, NULL), SSF_OK);
    return s;
}

static void t_table(void **state)
{
    fixture_t *fx = *state;
    sig_set_t *sigs = site_sigs();
    eng_site_set_signatures(fx->s, sigs);
    merge_ok(fx->s, flow(ep(CLIENT_MAC, CLIENT_IP), ep(SERVER_MAC, SERVER_IP), 80, "HTTP", 5, 4));
    merge_ok(fx->s,
             evidence(ep(SERVER_MAC, SERVER_IP), PROBE_EVF_HTTP_SERVER, "Boa/0.94.14rc21", T0, 7));
    eng_site_finalize(fx->s);
    char *t = render(fx->s, OUT_TABLE);
    assert_true(!strncmp(t, "DEVICE ", 7));
    assert_int_equal(count_of(t, "\n"), 3);
    char *row = strstr(t, "\n" SERVER_IP " ");
    assert_non_null(row);
    char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    *end = 0;
    assert_has(row, SERVER_MAC);
    assert_has(row, "Boa 0.94.14rc21 30%");
    assert_has(row, "ip_camera 20%");
    assert_has(row, "HTTP/80");
    if (fx->oui) assert_has(row, "AXIS COMMUNICATIONS AB 10%");
    free(t);
    char *line = device_line(fx->s, "mac:" SERVER_MAC);
    assert_has(line, "\"os\":{\"value\":\"Boa 0.94.14rc21\",\"confidence\":30,"
                     "\"evidence\":[{\"rule\":\"boa\",\"rule_at\":\"site.rules:1\","
                     "\"weight\":30,\"field\":\"http.server\",\"value\":\"Boa/0.94.14rc21\","
                     "\"source\":\"http\",\"input\":null,\"frame\":7}]");
    assert_has(line, "\"device_type\":{\"value\":\"ip_camera\",\"confidence\":20,");
    free(line);
    eng_site_free(&fx->s); /* before the set it points to */
    sig_set_free(&sigs);
}

/* An empty site still writes valid output. */
static void t_empty_site(void **state)
{
    fixture_t *fx = *state;
    eng_site_finalize(fx->s);
    eng_site_finalize(fx->s); /* idempotent */
    eng_site_stats_t st;
    stats_of(fx->s, &st);
    assert_int_equal(st.devices, 0);
    assert_int_equal(st.hosts, 0);
    char *nd = render(fx->s, OUT_NDJSON);
    assert_true(!strncmp(nd, "{\"type\":\"summary\"", 17));
    assert_int_equal(count_of(nd, "\n"), 1);
    free(nd);
    char *doc = render(fx->s, OUT_JSON);
    assert_has(doc, "\"devices\": []");
    free(doc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(t_flow_two_devices),
        T(t_flow_unanswered_and_updates),
        T(t_evidence_dedup),
        T(t_router_split),
        T(t_router_keeps_arp_address),
        T(t_dual_stack_one_device),
        T(t_group_addresses_not_devices),
        T(t_refuses_bad_fields),
        T(t_explain),
        T(t_ndjson_lines),
        T(t_table),
        T(t_empty_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
