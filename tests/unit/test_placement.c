/* test_placement.c - the IoT-SSF tables (every device type placed, strength rising towards
 * high/high), the site policy parser (a good file, each problem at its line) and placement of
 * devices in a site, with overrides by subnet, VLAN and device and their precedence, and
 * membership of policy systems. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "eng/placement.h"
#include "eng/policy.h"
#include "sig/rules.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- tables -------------------------------------------------------------------------------- */

static const eng_iotssf_t *tables(void)
{
    ssf_err err = {0};
    const eng_iotssf_t *t = eng_iotssf_builtin(&err);
    if (!t) fail_msg("built-in IoT-SSF tables: %s", err.msg);
    return t;
}

static void test_every_type_placed(void **state)
{
    (void)state;
    const eng_iotssf_t *t = tables();
    for (size_t i = 0; i < sig_n_device_types; i++) {
        const eng_iotssf_type_t *r = eng_iotssf_type(t, sig_device_types[i]);
        assert_non_null(r);
        assert_in_range(r->human, 1, 4);
        assert_in_range(r->economic, 1, 4);
        assert_true(r->reason[0] != '\0');
        assert_non_null(eng_iotssf_cell(t, r->human, r->economic));
    }
    assert_null(eng_iotssf_type(t, "toaster"));
}

/* The examples, so a data edit that contradicts them is noticed. */
static void test_type_examples(void **state)
{
    (void)state;
    const eng_iotssf_t *t = tables();
    const char *low[] = {"ip_camera", "smart_plug"};
    for (size_t i = 0; i < 2; i++) {
        const eng_iotssf_type_t *r = eng_iotssf_type(t, low[i]);
        assert_int_equal(r->human, 1);
        assert_int_equal(r->economic, 1);
    }
    const char *mid[] = {"hvac_controller", "bms_controller"};
    for (size_t i = 0; i < 2; i++) {
        const eng_iotssf_type_t *r = eng_iotssf_type(t, mid[i]);
        assert_int_equal(r->human, 2);
        assert_int_equal(r->economic, 2);
    }
    const char *human[] = {"plc", "safety_controller", "protection_relay"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(eng_iotssf_type(t, human[i])->human, 4);
    const char *econ[] = {"smart_meter", "inverter", "scada_server"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(eng_iotssf_type(t, econ[i])->economic, 4);
    const eng_iotssf_type_t *u = eng_iotssf_type(t, "unknown");
    assert_int_equal(u->human, 2);
    assert_int_equal(u->economic, 2);
}

static void test_axes_levels(void **state)
{
    (void)state;
    const eng_iotssf_t *t = tables();
    for (unsigned l = 1; l <= 4; l++) {
        assert_non_null(eng_iotssf_level_name(t, ENG_AXIS_HUMAN, l));
        assert_non_null(eng_iotssf_level_meaning(t, ENG_AXIS_ECONOMIC, l));
    }
    assert_null(eng_iotssf_level_name(t, ENG_AXIS_HUMAN, 0));
    assert_null(eng_iotssf_level_name(t, ENG_AXIS_ECONOMIC, 5));
    assert_string_equal(eng_iotssf_level_name(t, ENG_AXIS_ECONOMIC, 1), "household");
    assert_string_equal(eng_iotssf_level_name(t, ENG_AXIS_ECONOMIC, 4), "infrastructure");
}

/* Moving up either axis never lowers the strength nor drops a perspective. */
static void test_strength_monotone(void **state)
{
    (void)state;
    const eng_iotssf_t *t = tables();
    for (unsigned h = 1; h <= 4; h++)
        for (unsigned e = 1; e <= 4; e++) {
            const eng_iotssf_cell_t *c = eng_iotssf_cell(t, h, e);
            assert_in_range(c->strength, 1, 4);
            const eng_iotssf_cell_t *up[2] = {h < 4 ? eng_iotssf_cell(t, h + 1, e) : NULL,
                                              e < 4 ? eng_iotssf_cell(t, h, e + 1) : NULL};
            for (int k = 0; k < 2; k++) {
                if (!up[k]) continue;
                assert_true(up[k]->strength >= c->strength);
                assert_int_equal(up[k]->perspectives & c->perspectives, c->perspectives);
            }
        }
    assert_int_equal(eng_iotssf_cell(t, 1, 1)->strength, 1);
    assert_int_equal(eng_iotssf_cell(t, 4, 4)->strength, 4);
    assert_int_equal(eng_iotssf_cell(t, 4, 4)->perspectives, (1u << ENG_PERSP_COUNT) - 1);
    assert_null(eng_iotssf_cell(t, 0, 1));
    assert_null(eng_iotssf_cell(t, 1, 5));
}

static void test_tables_refuse_gaps(void **state)
{
    (void)state;
    static const char axes[] = "human\t1\ta\tb\n";
    static const char place[] = "plc\t4\t3\tx\n";
    static const char cats[] = "1\t1\tlimited\t1\tproduct\n";
    ssf_err err = {0};
    eng_iotssf_t *t = eng_iotssf_parse(axes, sizeof axes - 1, place, sizeof place - 1, cats,
                                       sizeof cats - 1, &err);
    assert_null(t);
    assert_non_null(strstr(err.msg, "iotssf_axes.tsv"));
    static const char bad[] = "# c\nplc\t9\t3\tx\n";
    static const char axes_ok[] = "human\t1\ta\tb\nhuman\t2\ta\tb\nhuman\t3\ta\tb\nhuman\t4\ta\tb\n"
                                  "economic\t1\ta\tb\neconomic\t2\ta\tb\neconomic\t3\ta\tb\n"
                                  "economic\t4\ta\tb\n";
    t = eng_iotssf_parse(axes_ok, sizeof axes_ok - 1, bad, sizeof bad - 1, cats, sizeof cats - 1,
                         &err);
    assert_null(t);
    assert_non_null(strstr(err.msg, "iotssf_placement.tsv:2:"));
}

/* ---- policy parsing -------------------------------------------------------------------------- */

typedef struct {
    unsigned lines[32];
    char msgs[32][256];
    size_t n;
} diags_t;

static void collect(void *ud, const ssf_err *e)
{
    diags_t *d = ud;
    if (d->n < 32) {
        d->lines[d->n] = e->line;
        snprintf(d->msgs[d->n], sizeof d->msgs[d->n], "%s", e->msg);
        d->n++;
    }
}

static eng_policy_t *parse(const char *text, diags_t *d)
{
    ssf_err err = {0};
    memset(d, 0, sizeof *d);
    return eng_policy_parse("site.policy", text, strlen(text), collect, d, &err);
}

static const char good[] = "# the plant\n"
                           "zone gas: subnet 10.20.0.0/16; human 4\n"
                           "zone cell1: vlan 100; device 00:0e:8c:10:20:30; economic 3\n"
                           "\n"
                           "zone lab6: subnet 2001:db8:10::/48; human 1; economic 1;\n"
                           "device 10.20.1.5: human 2\n"
                           "device 00:40:8c:aa:bb:cc: economic 4\n"
                           "device fe80::1: human 3\n"
                           "workstation eng1: device 192.168.30.10\n"
                           "internet updates: subnet 10.99.0.0/24; zone gas\n"
                           "system bus-monitoring: device 10.20.1.5; device 10.20.1.6; human 3\n";

static void test_policy_good(void **state)
{
    (void)state;
    diags_t d;
    eng_policy_t *p = parse(good, &d);
    assert_non_null(p);
    assert_int_equal(d.n, 0);
    assert_string_equal(eng_policy_file(p), "site.policy");
    assert_int_equal(eng_policy_count(p, ENG_POL_ZONE), 3);
    assert_int_equal(eng_policy_count(p, ENG_POL_DEVICE), 3);
    assert_int_equal(eng_policy_count(p, ENG_POL_WORKSTATION), 1);
    assert_int_equal(eng_policy_count(p, ENG_POL_INTERNET), 1);
    assert_int_equal(eng_policy_count(p, ENG_POL_SYSTEM), 1);
    const eng_policy_entry_t *gas = eng_policy_zone(p, "gas");
    assert_non_null(gas);
    assert_int_equal(gas->line, 2);
    assert_int_equal(gas->human, 4);
    assert_int_equal(gas->economic, 0);
    assert_int_equal(gas->n_sel, 1);
    assert_int_equal(gas->sel[0].kind, ENG_SEL_SUBNET);
    assert_int_equal(gas->sel[0].prefix, 96 + 16);
    const eng_policy_entry_t *cell = eng_policy_zone(p, "cell1");
    assert_int_equal(cell->n_sel, 2);
    assert_int_equal(cell->sel[0].kind, ENG_SEL_VLAN);
    assert_int_equal(cell->sel[0].vlan, 100);
    assert_int_equal(cell->sel[1].kind, ENG_SEL_MAC);
    const eng_policy_entry_t *mac = eng_policy_entry(p, ENG_POL_DEVICE, 1);
    assert_string_equal(mac->name, "00:40:8c:aa:bb:cc");
    assert_int_equal(mac->economic, 4);
    assert_string_equal(eng_policy_entry(p, ENG_POL_DEVICE, 2)->name, "fe80::1");
    const eng_policy_entry_t *sys = eng_policy_entry(p, ENG_POL_SYSTEM, 0);
    assert_string_equal(sys->name, "bus-monitoring");
    assert_int_equal(sys->n_sel, 2);
    const eng_policy_entry_t *inet = eng_policy_entry(p, ENG_POL_INTERNET, 0);
    assert_int_equal(inet->sel[1].kind, ENG_SEL_ZONE);
    assert_null(eng_policy_entry(p, ENG_POL_SYSTEM, 1));
    eng_policy_free(&p);
    assert_null(p);
    eng_policy_free(&p);
}

/* Each kind of problem, reported at its own line, all of them in one pass. */
static void test_policy_errors(void **state)
{
    (void)state;
    static const char bad[] = "zone a: subnet 10.1.1.0/16\n"             /* 1 host bits      */
                              "zone b: subnet 10.1.0.0/33\n"             /* 2 prefix         */
                              "zone c: vlan 5000\n"                      /* 3 VLAN range     */
                              "zone d: device 00:zz:00:00:00:00\n"       /* 4 bad device     */
                              "zone e: subnet 10.2.0.0/16; human 0\n"    /* 5 level          */
                              "zone f: subnet 10.3.0.0/16; colour red\n" /* 6 unknown key */
                              "zoo g: vlan 3\n"                          /* 7 unknown kind */
                              "zone h vlan 3\n"                          /* 8 no colon    */
                              "zone gas: subnet 10.4.0.0/16\n"
                              "zone gas: subnet 10.5.0.0/16\n"     /* 10 duplicate     */
                              "zone i: human 3\n"                  /* 11 no selector   */
                              "device 10.0.0.1: vlan 3\n"          /* 12 key for kind  */
                              "device 10.0.0.2:\n"                 /* 13 nothing set   */
                              "device nope: human 1\n"             /* 14 not an address */
                              "internet x: zone nowhere\n"         /* 15 unknown zone  */
                              "zone j: vlan 3; human 2; human 3\n" /* 16 twice      */
                              "zone k: subnet\n"                   /* 17 no value    */
                              "zone: vlan 3\n";                    /* 18 no name     */
    diags_t d;
    eng_policy_t *p = parse(bad, &d);
    assert_null(p);
    const unsigned want[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 15};
    assert_int_equal(d.n, SSF_ARRAY_LEN(want));
    for (size_t i = 0; i < d.n; i++) {
        char pfx[32];
        snprintf(pfx, sizeof pfx, "site.policy:%u: ", want[i]);
        assert_int_equal(d.lines[i], want[i]);
        assert_memory_equal(d.msgs[i], pfx, strlen(pfx));
    }
    assert_non_null(strstr(d.msgs[5], "unknown key 'colour'"));
    assert_non_null(strstr(d.msgs[8], "already defined"));
    assert_non_null(strstr(d.msgs[16], "no zone named 'nowhere'"));
}

static void test_policy_limits(void **state)
{
    (void)state;
    diags_t d;
    char big[1200];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_null(parse(big, &d));
    assert_int_equal(d.lines[0], 1);
    ssf_err err = {0};
    static const char nul[] = "zone a: vlan 3\n\0\n";
    assert_null(eng_policy_parse("p", nul, sizeof nul - 1, NULL, NULL, &err));
    assert_int_equal(err.line, 2);
    assert_null(eng_policy_load("/nonexistent/site.policy", NULL, NULL, &err));
    assert_int_equal(err.rc, SSF_EIO);
    eng_policy_t *p = parse("", &d);
    assert_non_null(p);
    assert_int_equal(eng_policy_count(p, ENG_POL_ZONE), 0);
    eng_policy_free(&p);
}

static void test_policy_match(void **state)
{
    (void)state;
    diags_t d;
    eng_policy_t *p = parse(good, &d);
    assert_non_null(p);
    ssf_addr in, out, v6;
    uint8_t mac[6];
    assert_true(ssf_addr_parse("10.20.3.4", &in));
    assert_true(ssf_addr_parse("10.21.0.1", &out));
    assert_true(ssf_addr_parse("2001:db8:10:ff::9", &v6));
    assert_true(ssf_mac_parse("00:0e:8c:10:20:30", mac));
    uint16_t vlan = 100;
    const eng_policy_entry_t *gas = eng_policy_zone(p, "gas"), *cell = eng_policy_zone(p, "cell1");
    eng_policy_host_t h = {NULL, &in, NULL, 0};
    assert_int_equal(eng_policy_match(p, gas, &h), 2 + 96 + 16);
    h.ip = &out;
    assert_int_equal(eng_policy_match(p, gas, &h), 0);
    h.ip = &v6;
    assert_int_equal(eng_policy_match(p, eng_policy_zone(p, "lab6"), &h), 2 + 48);
    eng_policy_host_t hv = {NULL, NULL, &vlan, 1};
    assert_int_equal(eng_policy_match(p, cell, &hv), 1);
    eng_policy_host_t hm = {mac, NULL, NULL, 0};
    assert_int_equal(eng_policy_match(p, cell, &hm), 200);
    /* "internet updates" reaches the gas zone's hosts through its zone selector. */
    h.ip = &in;
    assert_int_equal(eng_policy_match(p, eng_policy_entry(p, ENG_POL_INTERNET, 0), &h),
                     2 + 96 + 16);
    eng_policy_free(&p);
}

/* ---- placement in a site ------------------------------------------------------------------ */

static coll_endpoint_t ep(const char *mac, const char *ip, uint16_t vlan)
{
    coll_endpoint_t e;
    memset(&e, 0, sizeof e);
    e.has_mac = 1;
    assert_true(ssf_mac_parse(mac, e.mac));
    e.has_ip = 1;
    assert_true(ssf_addr_parse(ip, &e.ip));
    e.vlan = vlan;
    return e;
}

static void merge_flow(eng_site_t *s, coll_endpoint_t c, coll_endpoint_t sv)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    o.u.flow.client = c;
    o.u.flow.server = sv;
    o.u.flow.client_port = 40000;
    o.u.flow.server_port = 502;
    o.u.flow.l4_proto = IPPROTO_TCP;
    o.u.flow.final = 1;
    snprintf(o.u.flow.app_name, sizeof o.u.flow.app_name, "Modbus");
    o.u.flow.first_us = 1705305600000000ull;
    o.u.flow.last_us = o.u.flow.first_us + 1000;
    o.u.flow.pkts[0] = o.u.flow.pkts[1] = 2;
    assert_int_equal(eng_site_merge(s, &o), SSF_OK);
}

/* The NDJSON line of the device with this IP. */
static char *device_line(const eng_site_t *s, const char *ip, char *out, size_t len)
{
    char *buf = NULL, needle[64];
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_int_equal(eng_site_write_ndjson(s, f, NULL), SSF_OK);
    fclose(f);
    snprintf(needle, sizeof needle, "\"ips\":[\"%s\"]", ip);
    out[0] = '\0';
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, needle)) snprintf(out, len, "%s", line);
    free(buf);
    assert_true(out[0] != '\0');
    return out;
}

static const char site_policy[] = "zone plant: subnet 10.20.0.0/16; human 3\n"
                                  "zone cell: subnet 10.20.1.0/24; human 4; economic 4\n"
                                  "zone vl: vlan 7; economic 3\n"
                                  "device 10.20.1.5: human 1\n";

static void test_site_placement(void **state)
{
    (void)state;
    diags_t d;
    eng_policy_t *p = parse(site_policy, &d);
    assert_non_null(p);
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("t", NULL, &err);
    assert_non_null(s);
    eng_site_set_policy(s, p);
    merge_flow(s, ep("02:00:00:00:00:01", "10.20.1.5", 0), ep("02:00:00:00:00:02", "10.20.1.6", 0));
    merge_flow(s, ep("02:00:00:00:00:03", "10.20.2.1", 0), ep("02:00:00:00:00:04", "10.30.0.1", 7));
    merge_flow(s, ep("02:00:00:00:00:05", "10.40.0.1", 0), ep("02:00:00:00:00:06", "10.40.0.2", 0));
    eng_site_finalize(s);
    char line[16384];
    /* device line beats the zones for human; the /24 zone still sets economic */
    assert_non_null(strstr(device_line(s, "10.20.1.5", line, sizeof line),
                           "\"placement\":{\"human\":1,\"economic\":4,"));
    assert_non_null(strstr(line, "\"source\":\"policy:site.policy:4\""));
    /* the longer subnet beats the shorter */
    assert_non_null(strstr(device_line(s, "10.20.1.6", line, sizeof line),
                           "\"placement\":{\"human\":4,\"economic\":4,\"category\":\"critical\","
                           "\"required_strength\":4,"));
    assert_non_null(strstr(line, "\"source\":\"policy:site.policy:2\""));
    /* the /16 zone only */
    assert_non_null(strstr(device_line(s, "10.20.2.1", line, sizeof line),
                           "\"placement\":{\"human\":3,\"economic\":2,"));
    /* VLAN zone, economic only */
    assert_non_null(strstr(device_line(s, "10.30.0.1", line, sizeof line),
                           "\"placement\":{\"human\":2,\"economic\":3,"));
    /* no policy covers it: the unknown type's default */
    assert_non_null(
        strstr(device_line(s, "10.40.0.1", line, sizeof line),
               "\"placement\":{\"human\":2,\"economic\":2,\"category\":\"significant\","
               "\"required_strength\":2,\"perspectives\":[\"product\",\"organisation\"],"
               "\"source\":\"device_type:unknown\"}"));
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_true(eng_site_write_explain(s, f, "10.20.1.5", NULL));
    fclose(f);
    assert_non_null(strstr(buf, "because policy site.policy:4 (device 10.20.1.5) sets human 1"));
    assert_non_null(strstr(buf, "because policy site.policy:2 (zone cell) sets economic 4"));
    free(buf);
    eng_site_free(&s);
    eng_policy_free(&p);
}

/* Systems: membership by any selector (a VLAN, a zone, a MAC), the first covering line takes a
 * device, the device keeps its own placement, and --explain says which line took it, how the
 * system is placed and which later line covered it too. */
static void test_site_systems(void **state)
{
    (void)state;
    diags_t d;
    eng_policy_t *p = parse("zone cell: subnet 10.20.1.0/24; human 4\n"
                            "system bus: zone cell; vlan 7\n"
                            "system other: device 02:00:00:00:00:02; device 10.40.0.1; economic 3\n"
                            "system none: subnet 10.99.0.0/16\n",
                            &d);
    assert_non_null(p);
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("t", NULL, &err);
    assert_non_null(s);
    eng_site_set_policy(s, p);
    merge_flow(s, ep("02:00:00:00:00:01", "10.20.1.5", 0), ep("02:00:00:00:00:02", "10.20.1.6", 0));
    merge_flow(s, ep("02:00:00:00:00:03", "10.20.2.1", 0), ep("02:00:00:00:00:04", "10.30.0.1", 7));
    merge_flow(s, ep("02:00:00:00:00:05", "10.40.0.1", 0), ep("02:00:00:00:00:06", "10.40.0.2", 0));
    eng_site_finalize(s);
    char line[16384];
    /* by the zone; .6 is named by "other" too, but "bus" comes first */
    assert_non_null(strstr(device_line(s, "10.20.1.5", line, sizeof line), "\"system\":\"bus\""));
    assert_non_null(strstr(device_line(s, "10.20.1.6", line, sizeof line), "\"system\":\"bus\""));
    /* by the VLAN */
    assert_non_null(strstr(device_line(s, "10.30.0.1", line, sizeof line), "\"system\":\"bus\""));
    /* by its IP; its own placement stays the unknown type's, not the line's economic 3 */
    assert_non_null(strstr(device_line(s, "10.40.0.1", line, sizeof line), "\"system\":\"other\""));
    assert_non_null(strstr(line, "\"placement\":{\"human\":2,\"economic\":2,"));
    assert_non_null(strstr(device_line(s, "10.20.2.1", line, sizeof line), "\"system\":null"));
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_true(eng_site_write_explain(s, f, "10.20.1.6", NULL));
    assert_true(eng_site_write_explain(s, f, "10.20.2.1", NULL));
    fclose(f);
    assert_non_null(strstr(buf, "  system = bus\n      because policy site.policy:2 (system bus) "
                                "covers it"));
    assert_non_null(strstr(buf, "the system is placed at human 4, economic 2: serious, required "
                                "strength 3\n"));
    assert_non_null(strstr(buf, "human 4: the highest among its members"));
    assert_non_null(strstr(buf, "policy site.policy:3 (system other) covers it too, but a device "
                                "belongs to the first system line that covers it\n"));
    assert_null(strstr(buf, "(system none)"));
    assert_non_null(strstr(buf, "  system = none\n      because no system line of site.policy "
                                "covers it\n"));
    free(buf);
    eng_site_free(&s);
    eng_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_placed),  cmocka_unit_test(test_type_examples),
        cmocka_unit_test(test_axes_levels),        cmocka_unit_test(test_strength_monotone),
        cmocka_unit_test(test_tables_refuse_gaps), cmocka_unit_test(test_policy_good),
        cmocka_unit_test(test_policy_errors),      cmocka_unit_test(test_policy_limits),
        cmocka_unit_test(test_policy_match),       cmocka_unit_test(test_site_placement),
        cmocka_unit_test(test_site_systems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
