/* test_exposure.c - the engine checks of engine/exposure.c: which addresses are public, which
 * device types are OT, and internet_exposed / programming_from_unexpected_host on sites built
 * from hand-made observations, with and without a site policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../../engine/site_internal.h"
#include "eng/placement.h"
#include "eng/policy.h"
#include "probe/evidence.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#define EWS_MAC    "00:14:22:01:02:03"
#define EWS_IP     "192.168.10.50"
#define LAPTOP_MAC "02:00:00:00:00:66"
#define LAPTOP_IP  "192.168.10.66"
#define PLC_MAC    "00:1b:1b:aa:bb:cc"
#define PLC_IP     "192.168.10.30"
#define ROUTER_MAC "00:0d:b9:00:00:01"
#define ROUTER_IP  "192.168.10.1"
#define T0         1705305600000000ull /* 2024-01-15T08:00:00Z */

/* ---- the classifiers ------------------------------------------------------------------------ */

static bool public(const char *s)
{
    ssf_addr a;
    assert_true(ssf_addr_parse(s, &a));
    return eng_addr_is_public(&a);
}

static void t_public_addresses(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "8.8.8.8",     "1.1.1.1",         "141.81.0.63",  "100.63.255.255", "100.128.0.1",
        "172.32.0.1",  "198.17.255.255",  "198.20.0.1",   "192.0.1.1",      "223.255.255.255",
        "192.0.2.10",  "198.51.100.20",   "203.0.113.7", /* documentation: stand-ins for hosts */
        "2001:db8::1", "2606:4700::1111", "3fff:ffff::1",
    };
    static const char *const no[] = {
        "10.1.2.3",    "172.16.0.1",     "192.168.1.1", "100.64.0.1", "127.0.0.1",
        "169.254.1.1", "0.0.0.0",        "224.0.0.251", "239.1.2.3",  "255.255.255.255",
        "198.18.0.1",  "198.19.255.255", "192.0.0.9",   "::",         "::1",
        "fe80::1",     "fc00::1",        "fd12::1",     "ff02::1",    "4000::1",
        "::ffff:0:1",
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(yes); i++)
        if (!public(yes[i])) fail_msg("%s should be public", yes[i]);
    for (size_t i = 0; i < SSF_ARRAY_LEN(no); i++)
        if (public(no[i])) fail_msg("%s should not be public", no[i]);
}

static void t_ot_types(void **state)
{
    (void)state;
    assert_true(eng_type_is_ot("plc"));
    assert_true(eng_type_is_ot("engineering_workstation"));
    assert_true(eng_type_is_ot("medical_device"));
    assert_false(eng_type_is_ot("router"));
    assert_false(eng_type_is_ot("firewall"));
    assert_false(eng_type_is_ot("workstation"));
    assert_false(eng_type_is_ot("unknown"));
    assert_false(eng_type_is_ot("pl"));
    assert_false(eng_type_is_ot(NULL));
}

/* ---- sites ---------------------------------------------------------------------------------- */

static coll_endpoint_t ep(const char *mac, const char *ip)
{
    coll_endpoint_t e;
    memset(&e, 0, sizeof e);
    if (mac) {
        e.has_mac = 1;
        assert_true(ssf_mac_parse(mac, e.mac));
    }
    e.has_ip = 1;
    assert_true(ssf_addr_parse(ip, &e.ip));
    return e;
}

static void merge_ok(eng_site_t *s, const coll_obs_t *o)
{
    assert_int_equal(eng_site_merge(s, o), SSF_OK);
}

/* A final TCP flow; answered unless told otherwise. */
static void flow(eng_site_t *s, coll_endpoint_t cli, uint16_t cport, coll_endpoint_t srv,
                 uint16_t sport, const char *app, bool answered)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    coll_obs_flow_t *f = &o.u.flow;
    f->client = cli, f->server = srv;
    f->client_port = cport, f->server_port = sport;
    f->l4_proto = IPPROTO_TCP;
    f->final = 1;
    f->answered = answered;
    snprintf(f->app_name, sizeof f->app_name, "%s", app);
    f->first_us = T0;
    f->last_us = T0 + 1000000;
    f->pkts[0] = f->pkts[1] = 3;
    merge_ok(s, &o);
}

static void arp(eng_site_t *s, const char *mac, const char *ip)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_ARP;
    assert_true(ssf_mac_parse(mac, o.u.arp.mac));
    assert_true(ssf_addr_parse(ip, &o.u.arp.ip));
    o.u.arp.ts_us = T0;
    merge_ok(s, &o);
}

/* Evidence about subject, seen in a packet to peer. */
static void evidence(eng_site_t *s, coll_endpoint_t subject, coll_endpoint_t peer, uint16_t field,
                     const char *value, uint64_t frame)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_EVIDENCE;
    coll_obs_evidence_t *e = &o.u.ev;
    e->subject = subject, e->peer = peer;
    e->field = field;
    e->l4_proto = IPPROTO_TCP;
    e->sport = 102, e->dport = 50000;
    e->ts_us = T0 + frame * 1000;
    e->frame = frame;
    e->count = 1;
    snprintf(e->source, sizeof e->source, "s7comm");
    snprintf(e->value, sizeof e->value, "%s", value);
    merge_ok(s, &o);
}

static eng_policy_t *policy(const char *text)
{
    ssf_err err = {0};
    eng_policy_t *p = eng_policy_parse("site.policy", text, strlen(text), NULL, NULL, &err);
    if (!p) fail_msg("policy: %s:%u: %s", err.file ? err.file : "", err.line, err.msg);
    return p;
}

/* The NDJSON of a finalized site; caller frees. */
static char *ndjson(eng_site_t *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    eng_site_finalize(s);
    assert_int_equal(eng_site_write_ndjson(s, f, NULL), SSF_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* The NDJSON line of the device carrying ip; caller frees. */
static char *device_line(const char *all, const char *ip)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"ips\":[\"%s\"", ip);
    const char *p = strstr(all, needle);
    if (!p) fail_msg("no device %s in:\n%s", ip, all);
    while (p > all && p[-1] != '\n')
        p--;
    const char *nl = strchr(p, '\n');
    assert_non_null(nl);
    return strndup(p, (size_t)(nl - p));
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) fail_msg("unexpected %s in:\n%s", needle, hay);
}

/* A PLC that serves Modbus (so it is OT with no identity rules at all), a router whose MAC
 * carries its own address and the public ones, and a workstation: the PLC and the router each
 * talk to a public server, an Internet host reaches the PLC, and another only knocks. */
static void internet_site(eng_site_t *s)
{
    coll_endpoint_t plc = ep(PLC_MAC, PLC_IP), ews = ep(EWS_MAC, EWS_IP);
    arp(s, ROUTER_MAC, ROUTER_IP);
    flow(s, ews, 50000, plc, 502, "Modbus", true);
    flow(s, plc, 49152, ep(ROUTER_MAC, "203.0.113.7"), 443, "TLS", true);
    flow(s, plc, 49153, ep(ROUTER_MAC, "203.0.113.7"), 443, "TLS", true); /* same service */
    flow(s, ep(ROUTER_MAC, "198.51.100.20"), 51515, plc, 502, "Modbus", true);
    flow(s, ep(ROUTER_MAC, "198.51.100.21"), 51516, plc, 23, "Unknown", false);  /* unanswered */
    flow(s, plc, 49999, ep(ROUTER_MAC, "203.0.113.99"), 8080, "Unknown", false); /* blocked */
    flow(s, ep(ROUTER_MAC, ROUTER_IP), 53001, ep(ROUTER_MAC, "8.8.8.8"), 53, "DNS", true);
    flow(s, ews, 49400, ep(ROUTER_MAC, "203.0.113.7"), 443, "TLS", true);
}

static void t_internet_exposed(void **state)
{
    (void)state;
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("lab", NULL, &err);
    assert_non_null(s);
    internet_site(s);
    char *all = ndjson(s), *plc = device_line(all, PLC_IP);
    assert_has(plc, "\"kind\":\"internet_exposed\",\"severity\":\"high\"");
    assert_has(plc, "\"check\":\"exposure.internet\",\"count\":2,");
    /* Inbound first, both flows to one service merged, the unanswered knock not kept. */
    assert_has(plc, "\"field\":\"flow.public_peer\",\"value\":\"tcp 198.51.100.20:51515 -> "
                    "192.168.10.30:502 (Modbus, 1 flow, inbound)\"");
    assert_has(plc, "\"value\":\"tcp 192.168.10.30:49152 -> 203.0.113.7:443 (TLS, 2 flows, "
                    "outbound)\"");
    assert_has(plc, "\"packet\":\"tcp 192.168.10.30:49152 <-> 203.0.113.7:443\"");
    char *findings = strstr(plc, "\"findings\":"), *end = strstr(plc, "\"attributes\":");
    assert_true(findings && end > findings);
    *end = 0; /* the peers list further on names every address */
    assert_lacks(findings, "198.51.100.21");
    assert_lacks(findings, "203.0.113.99");
    /* The router forwards for everyone and the workstation is not OT: no finding. */
    char *router = device_line(all, ROUTER_IP), *ews = device_line(all, EWS_IP);
    assert_lacks(router, "internet_exposed");
    assert_lacks(ews, "internet_exposed");
    free(plc), free(router), free(ews), free(all);
    eng_site_free(&s);
}

/* A final answered TCP flow whose first packet is frame `frame` of input `input`, at first_us. */
static void flow_framed(eng_site_t *s, coll_endpoint_t cli, uint16_t cport, coll_endpoint_t srv,
                        uint16_t sport, uint64_t first_us, uint64_t frame, uint16_t input)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    coll_obs_flow_t *f = &o.u.flow;
    f->client = cli, f->server = srv;
    f->client_port = cport, f->server_port = sport;
    f->l4_proto = IPPROTO_TCP;
    f->final = f->answered = 1;
    snprintf(f->app_name, sizeof f->app_name, "TLS");
    f->first_us = first_us;
    f->last_us = first_us + 1000000;
    f->frame = frame;
    f->input = input;
    f->pkts[0] = f->pkts[1] = 3;
    merge_ok(s, &o);
}

/* Each internet_exposed item cites the first packet of the earliest flow it stands for, in
 * whichever input that is, even when a later flow's observation arrives first (flows are
 * reported as they end); a flow seen live (frame 0) cites none. */
static void t_internet_exposed_frame(void **state)
{
    (void)state;
    static const char *const inputs[] = {"a.pcap", "b.pcap"};
    const eng_report_meta_t meta = {.inputs = inputs, .n_inputs = 2, .command = "scan"};
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("lab", NULL, &err);
    assert_non_null(s);
    coll_endpoint_t plc = ep(PLC_MAC, PLC_IP), ews = ep(EWS_MAC, EWS_IP);
    coll_endpoint_t cloud = ep(ROUTER_MAC, "203.0.113.7"), cloud2 = ep(ROUTER_MAC, "203.0.113.8");
    arp(s, ROUTER_MAC, ROUTER_IP);
    flow(s, ews, 50000, plc, 502, "Modbus", true);
    flow_framed(s, plc, 49153, cloud, 443, T0 + 5000000, 700, 0); /* later flow, ends first */
    flow_framed(s, plc, 49152, cloud, 443, T0 + 2000000, 41, 1);  /* the earliest one     */
    flow_framed(s, plc, 49154, cloud, 443, T0 + 9000000, 3, 0);   /* low frame, but later */
    flow_framed(s, plc, 49160, cloud2, 443, T0 + 1000000, 0, 0);  /* live: no frame       */
    char *all = NULL, *plc_line;
    size_t len = 0;
    FILE *f = open_memstream(&all, &len);
    assert_non_null(f);
    eng_site_finalize(s);
    assert_int_equal(eng_site_write_ndjson(s, f, &meta), SSF_OK);
    assert_int_equal(fclose(f), 0);
    plc_line = device_line(all, PLC_IP);
    assert_has(plc_line, "\"value\":\"tcp 192.168.10.30:49152 -> 203.0.113.7:443 (TLS, 3 flows, "
                         "outbound)\",\"rule\":null,\"check\":\"exposure.internet\","
                         "\"source\":\"flow\",\"input\":\"b.pcap\",\"frame\":41,");
    assert_has(plc_line, "\"value\":\"tcp 192.168.10.30:49160 -> 203.0.113.8:443 (TLS, 1 flow, "
                         "outbound)\",\"rule\":null,\"check\":\"exposure.internet\","
                         "\"source\":\"flow\",\"input\":null,\"frame\":null,");
    free(plc_line), free(all);
    eng_site_free(&s);
}

static void t_internet_allowed_by_policy(void **state)
{
    (void)state;
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("lab", NULL, &err);
    eng_policy_t *p = policy("zone cell: subnet 192.168.10.0/27\n"
                             "internet telemetry: zone cell\n");
    assert_non_null(s);
    eng_site_set_policy(s, p);
    internet_site(s);
    char *all = ndjson(s);
    assert_lacks(all, "internet_exposed");
    free(all);
    eng_site_free(&s);
    eng_policy_free(&p);
}

/* A peer with a public address that answered ARP here is on the site's own segment. */
static void t_public_lan_is_not_internet(void **state)
{
    (void)state;
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("lab", NULL, &err);
    assert_non_null(s);
    coll_endpoint_t plc = ep(PLC_MAC, "141.81.0.30"), hmi = ep(EWS_MAC, "141.81.0.50");
    arp(s, EWS_MAC, "141.81.0.50");
    flow(s, hmi, 50000, plc, 502, "Modbus", true);
    coll_endpoint_t lan_plc = ep("00:1b:1b:aa:bb:dd", PLC_IP);
    flow(s, ep(LAPTOP_MAC, LAPTOP_IP), 50002, lan_plc, 502, "Modbus", true);
    flow(s, lan_plc, 50001, hmi, 502, "Modbus", true); /* a private PLC to the public-LAN HMI */
    char *all = ndjson(s);
    assert_lacks(all, "internet_exposed");
    free(all);
    eng_site_free(&s);
}

/* ---- programming_from_unexpected_host -------------------------------------------------------- */

static const char prog_rules[] = "rule s7-program\n"
                                 "    field s7.function\n"
                                 "    match /^0x(?:1a request_download|29 plc_stop) reply: ok$/\n"
                                 "    finding unauth_ics_program\n"
                                 "    example \"0x29 plc_stop reply: ok\"\n"
                                 "rule s7-es\n"
                                 "    field s7.client\n"
                                 "    match /^SIMATIC-ROOT-ES$/\n"
                                 "    type engineering_workstation\n"
                                 "    weight 75\n"
                                 "    example \"SIMATIC-ROOT-ES\"\n";

typedef struct {
    sig_set_t *sigs;
    eng_site_t *s;
} fixture_t;

static int setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    ssf_err err = {0};
    if (!fx) return -1;
    const char *fields[] = {"s7.function", "s7.client"};
    fx->sigs = sig_set_new(fields, SSF_ARRAY_LEN(fields));
    if (!fx->sigs ||
        sig_set_add_text(fx->sigs, "p.rules", prog_rules, strlen(prog_rules), NULL, NULL) !=
            SSF_OK ||
        sig_set_compile(fx->sigs, NULL, NULL) != SSF_OK)
        return -1;
    if (!(fx->s = eng_site_new("lab", NULL, &err))) return -1;
    eng_site_set_signatures(fx->s, fx->sigs);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *fx = *state;
    eng_site_free(&fx->s);
    sig_set_free(&fx->sigs);
    free(fx);
    return 0;
}

/* The workstation (it says so in its TSAP) downloads; an unidentified laptop stops the PLC. */
static void programming_site(eng_site_t *s)
{
    coll_endpoint_t plc = ep(PLC_MAC, PLC_IP), ews = ep(EWS_MAC, EWS_IP),
                    laptop = ep(LAPTOP_MAC, LAPTOP_IP);
    flow(s, ews, 50000, plc, 102, "s7comm", true);
    flow(s, laptop, 50000, plc, 102, "s7comm", true);
    evidence(s, ews, plc, PROBE_EVF_S7_CLIENT, "SIMATIC-ROOT-ES", 3);
    evidence(s, plc, ews, PROBE_EVF_S7_FUNCTION, "0x1a request_download reply: ok", 13);
    evidence(s, plc, laptop, PROBE_EVF_S7_FUNCTION, "0x29 plc_stop reply: ok", 89);
}

static void t_programming_by_type(void **state)
{
    fixture_t *fx = *state;
    programming_site(fx->s);
    char *all = ndjson(fx->s), *plc = device_line(all, PLC_IP);
    assert_has(plc, "\"kind\":\"programming_from_unexpected_host\"");
    assert_has(plc, "\"check\":\"exposure.programming_by_type\",\"count\":1,");
    assert_has(plc, "\"value\":\"from 192.168.10.66 (type unknown; no workstation in the policy; "
                    "judged by device type): 0x29 plc_stop reply: ok\"");
    assert_has(plc, "\"seen_on\":\"mac:02:00:00:00:00:66\"");
    assert_has(plc, "\"frame\":89");
    assert_lacks(plc, "from 192.168.10.50");
    free(plc), free(all);
}

static void t_programming_by_policy(void **state)
{
    fixture_t *fx = *state;
    eng_policy_t *p = policy("workstation eng: device " EWS_IP "\n");
    eng_site_set_policy(fx->s, p);
    programming_site(fx->s);
    char *all = ndjson(fx->s), *plc = device_line(all, PLC_IP);
    assert_has(plc, "\"check\":\"exposure.programming\",\"count\":1,");
    assert_has(plc, "\"value\":\"from 192.168.10.66 (no workstation line covers it): 0x29 "
                    "plc_stop reply: ok\",\"rule\":null,\"check\":\"exposure.programming\","
                    "\"policy\":\"site.policy\",\"seen_on\":\"mac:02:00:00:00:00:66\"");
    free(plc), free(all);
    eng_site_free(&fx->s); /* before the policy it points to */
    eng_policy_free(&p);
}

/* The policy, not the type, decides once it names a workstation: the laptop is allowed, the
 * workstation that says it is one is not. */
static void t_programming_policy_beats_type(void **state)
{
    fixture_t *fx = *state;
    eng_policy_t *p = policy("workstation field-laptop: subnet 192.168.10.64/30\n");
    eng_site_set_policy(fx->s, p);
    programming_site(fx->s);
    char *all = ndjson(fx->s), *plc = device_line(all, PLC_IP);
    assert_has(plc, "\"value\":\"from 192.168.10.50 (no workstation line covers it): 0x1a "
                    "request_download reply: ok\"");
    assert_lacks(plc, "from 192.168.10.66");
    free(plc), free(all);
    eng_site_free(&fx->s);
    eng_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_public_addresses),
        cmocka_unit_test(t_ot_types),
        cmocka_unit_test(t_internet_exposed),
        cmocka_unit_test(t_internet_exposed_frame),
        cmocka_unit_test(t_internet_allowed_by_policy),
        cmocka_unit_test(t_public_lan_is_not_internet),
        cmocka_unit_test_setup_teardown(t_programming_by_type, setup, teardown),
        cmocka_unit_test_setup_teardown(t_programming_by_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(t_programming_policy_beats_type, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
