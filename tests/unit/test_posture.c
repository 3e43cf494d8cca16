/* test_posture.c - posture and the risk report (engine/posture.c, risk.c, report_html.c): the
 * assurance, gap and fix-first rules, risk.json from a hand-built site, and the HTML renderer
 * escaping hostile strings in text, attributes, SVG and the data script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "eng/placement.h"
#include "eng/policy.h"
#include "eng/risk.h"
#include "eng/site.h"
#include "probe/evidence.h"

#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#define CLIENT_MAC "00:14:22:01:02:03"
#define CLIENT_IP  "192.168.10.50"
#define SERVER_MAC "00:40:8c:aa:bb:cc"
#define SERVER_IP  "192.168.10.30"
#define T0         1705305600000000ull /* 2024-01-15T08:00:00Z */

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) fail_msg("unexpected %s in:\n%s", needle, hay);
}

static void t_assurance(void **state)
{
    (void)state;
    assert_int_equal(eng_assurance(0), 4); /* no findings: nothing shows it falls short */
    assert_int_equal(eng_assurance(sig_severity_rank("low")), 4);
    assert_int_equal(eng_assurance(sig_severity_rank("medium")), 3);
    assert_int_equal(eng_assurance(sig_severity_rank("high")), 2);
    assert_int_equal(eng_assurance(sig_severity_rank("critical")), 1);
    assert_int_equal(eng_assurance(-1), 4);
    assert_int_equal(eng_assurance(9), 1);
}

static void t_gap(void **state)
{
    (void)state;
    assert_int_equal(eng_gap(4, 1), 3);
    assert_int_equal(eng_gap(4, 3), 1);
    assert_int_equal(eng_gap(2, 4), 0); /* more assurance than required is no gap */
    assert_int_equal(eng_gap(3, 3), 0);
    assert_int_equal(eng_gap(0, 1), 0); /* unplaced: nothing required */
}

static int key_qsort(const void *a, const void *b)
{
    return eng_posture_cmp(a, b);
}

static void t_rank(void **state)
{
    (void)state;
    eng_posture_key_t k[] = {
        {0, 4, 1, "mac:a"}, /* no gap                                  */
        {1, 2, 4, "mac:b"}, /* gap 1, low requirement                   */
        {1, 4, 2, "mac:d"}, /* gap 1, high requirement, medium          */
        {1, 4, 3, "mac:c"}, /* gap 1, high requirement, high severity   */
        {3, 4, 4, "mac:z"}, /* the biggest gap                          */
        {1, 4, 2, "mac:a"}, /* ties mac:d but for the id                */
    };
    qsort(k, SSF_ARRAY_LEN(k), sizeof *k, key_qsort);
    const char *want[] = {"mac:z", "mac:c", "mac:a", "mac:d", "mac:b", "mac:a"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(want); i++)
        assert_string_equal(k[i].id, want[i]);
    assert_int_equal(k[2].gap, 1);
    assert_int_equal(k[5].gap, 0);
}

static char *capture(void (*put)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    put(f, s);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void t_escape(void **state)
{
    (void)state;
    char *h = capture(eng_html_puts, "<script>alert('x')</script>\"&</svg>");
    assert_string_equal(h,
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;&lt;/svg&gt;");
    free(h);
    char *j = capture(eng_js_puts, "</script><!--\"\\\n\xe2\x80\xa8ok");
    assert_string_equal(j, "\\u003c\\u002fscript\\u003e\\u003c!--\\u0022\\u005c\\u000a\\u2028ok");
    free(j);
    char *n = capture(eng_html_puts, NULL);
    assert_string_equal(n, "");
    free(n);
}

static char *render_html(struct json_object *doc, ssf_rc want)
{
    char *buf = NULL;
    size_t len = 0;
    ssf_err err = {0};
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(eng_report_html(doc, f, &err), want);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static const char hostile_doc[] =
    "{\"schema\":\"ssfscan.risk/1\",\"site\":\"</title><script>alert(1)</script>\","
    "\"generator\":\"ssfscan\",\"time\":\"t\",\"axes\":{\"human\":[{\"level\":1,\"name\":"
    "\"<b>h1</b>\"}],\"economic\":[{\"level\":1,\"name\":\"e1\"}]},\"categories\":[{\"human\":1,"
    "\"economic\":1,\"category\":\"</svg><img src=x onerror=alert(2)>\",\"strength\":1}],"
    "\"devices\":[{\"id\":\"mac:</script><script>alert(3)</script>\",\"ips\":[\"10.0.0.1\"],"
    "\"name\":\"\\\"><svg onload=alert(4)>\",\"identity\":{\"vendor\":{\"value\":\"V' onmouseover='"
    "alert(5)\",\"confidence\":50}},\"placement\":{\"human\":1,\"economic\":1,\"category\":\"c\"},"
    "\"required_strength\":1,\"assurance\":1,\"gap\":0,\"rank\":1,\"findings\":[{\"kind\":"
    "\"k<i>\",\"severity\":\"critical\",\"provisions\":[\"5.1-1\"],\"count\":1,\"evidence\":[{"
    "\"field\":\"http.server\",\"value\":\"</td></tr></table><script>alert(6)</script>\"}]}]}]}";

static void t_html_hostile(void **state)
{
    (void)state;
    struct json_object *doc = json_tokener_parse(hostile_doc);
    assert_non_null(doc);
    char *html = render_html(doc, SSF_OK);
    for (int i = 1; i <= 6; i++) {
        char raw[32];
        snprintf(raw, sizeof raw, "alert(%d)", i);
        assert_has(html, raw); /* the value is shown ... */
    }
    /* ... but never as markup. */
    assert_lacks(html, "<script>alert");
    assert_lacks(html, "<img");
    assert_lacks(html, "<svg onload");
    assert_lacks(html, "' onmouseover");
    assert_lacks(html, "<b>h1");
    assert_lacks(html, "</td></tr></table><script>");
    assert_has(html, "&lt;/svg&gt;&lt;img src=x onerror=alert(2)&gt;");
    assert_has(html, "mac:\\u003c\\u002fscript\\u003e"); /* the data script's copy */
    /* One <svg>, one data script and one code script: nothing else opens either. */
    const char *p = html;
    int svgs = 0, scripts = 0;
    for (; (p = strstr(p, "<svg")); p++)
        svgs++;
    for (p = html; (p = strstr(p, "<script")); p++)
        scripts++;
    assert_int_equal(svgs, 1);
    assert_int_equal(scripts, 2);
    free(html);
    json_object_put(doc);
}

static void t_html_schema(void **state)
{
    (void)state;
    struct json_object *doc = json_tokener_parse("{\"schema\":\"ssfscan.inventory/2\"}");
    char *html = render_html(doc, SSF_EINVAL);
    assert_string_equal(html, "");
    free(html);
    json_object_put(doc);
}

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

static void merge_snmp(eng_site_t *s, const char *community)
{
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_EVIDENCE;
    coll_obs_evidence_t *e = &o.u.ev;
    e->subject = ep(SERVER_MAC, SERVER_IP);
    e->peer = ep(CLIENT_MAC, CLIENT_IP);
    e->field = PROBE_EVF_SNMP_COMMUNITY;
    e->count = 1;
    e->l4_proto = IPPROTO_UDP;
    e->sport = 161;
    e->dport = 40000;
    e->ts_us = T0;
    e->frame = 3;
    snprintf(e->source, sizeof e->source, "snmp");
    snprintf(e->value, sizeof e->value, "%s", community);
    assert_int_equal(eng_site_merge(s, &o), SSF_OK);
    /* The client only asks: it shows nothing to inspect. */
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    o.u.flow.client = ep(CLIENT_MAC, CLIENT_IP);
    o.u.flow.server = ep(SERVER_MAC, SERVER_IP);
    o.u.flow.client_port = 40000;
    o.u.flow.server_port = 161;
    o.u.flow.l4_proto = IPPROTO_UDP;
    o.u.flow.final = 1;
    o.u.flow.first_us = o.u.flow.last_us = T0;
    o.u.flow.pkts[0] = o.u.flow.pkts[1] = 1;
    assert_int_equal(eng_site_merge(s, &o), SSF_OK);
}

static const char rules[] = "rule snmp-default\n"
                            "    field snmp.community\n"
                            "    match /^public$/\n"
                            "    finding default_credentials\n"
                            "    example \"public\"\n";

/* A device with a critical finding on the middle (unknown) placement: assurance 1 against 2,
 * gap 1, rank 1; the client has no findings and no evidence, and says so. */
static void t_site_risk(void **state)
{
    (void)state;
    const char *fields[] = {"snmp.community"};
    sig_set_t *sigs = sig_set_new(fields, 1);
    assert_non_null(sigs);
    assert_int_equal(sig_set_add_text(sigs, "t.rules", rules, strlen(rules), NULL, NULL), SSF_OK);
    assert_int_equal(sig_set_compile(sigs, NULL, NULL), SSF_OK);
    ssf_err err = {0};
    eng_site_t *s = eng_site_new("<lab>", NULL, &err);
    assert_non_null(s);
    eng_site_set_signatures(s, sigs);
    merge_snmp(s, "public");
    eng_site_finalize(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(eng_site_write_risk(s, f, NULL), SSF_OK);
    assert_int_equal(fclose(f), 0);
    struct json_object *doc = json_tokener_parse(buf);
    assert_non_null(doc);
    struct json_object *devs, *d0, *d1, *v;
    assert_true(json_object_object_get_ex(doc, "devices", &devs));
    assert_int_equal(json_object_array_length(devs), 2);
    d0 = json_object_array_get_idx(devs, 0);
    d1 = json_object_array_get_idx(devs, 1);
    assert_true(json_object_object_get_ex(d0, "id", &v));
    assert_string_equal(json_object_get_string(v), "mac:00:40:8c:aa:bb:cc");
    assert_has(json_object_to_json_string_ext(d0, JSON_C_TO_STRING_PLAIN), "\"assurance\":1");
    assert_has(json_object_to_json_string_ext(d0, JSON_C_TO_STRING_PLAIN), "\"gap\":1");
    assert_has(json_object_to_json_string_ext(d0, JSON_C_TO_STRING_PLAIN), "\"rank\":1");
    assert_has(json_object_to_json_string_ext(d0, JSON_C_TO_STRING_PLAIN),
               "\"worst_severity\":\"critical\"");
    assert_has(json_object_to_json_string_ext(d1, JSON_C_TO_STRING_PLAIN), "\"no_evidence\":true");
    assert_has(json_object_to_json_string_ext(d1, JSON_C_TO_STRING_PLAIN), "\"gap\":0");
    assert_has(json_object_to_json_string_ext(d1, JSON_C_TO_STRING_PLAIN), "\"rank\":2");
    char *html = render_html(doc, SSF_OK);
    assert_has(html, "<h1>Risk map: &lt;lab&gt;</h1>");
    assert_has(html, "class=\"mark g1\"");
    free(html);
    json_object_put(doc);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(eng_site_write_findings_ndjson(s, f, NULL), SSF_OK);
    assert_int_equal(fclose(f), 0);
    assert_has(buf, "{\"type\":\"finding\",\"schema\":\"ssfscan.risk/1\",\"site\":\"<lab>\"");
    assert_has(buf, "\"kind\":\"default_credentials\"");
    assert_int_equal(strchr(buf, '\n') - buf + 1, (long)len); /* one finding, one line */
    free(buf);
    eng_site_free(&s);
    sig_set_free(&sigs);
}

/* risk.json of the SNMP site under a policy; the caller puts the document. */
static struct json_object *risk_with_policy(const char *policy, eng_policy_t **pp, eng_site_t **sp,
                                            sig_set_t *sigs)
{
    ssf_err err = {0};
    *pp = eng_policy_parse("t.policy", policy, strlen(policy), NULL, NULL, &err);
    if (!*pp) fail_msg("policy: %s", err.msg);
    *sp = eng_site_new("t", NULL, &err);
    assert_non_null(*sp);
    eng_site_set_signatures(*sp, sigs);
    eng_site_set_policy(*sp, *pp);
    merge_snmp(*sp, "public");
    eng_site_finalize(*sp);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(eng_site_write_risk(*sp, f, NULL), SSF_OK);
    assert_int_equal(fclose(f), 0);
    struct json_object *doc = json_tokener_parse(buf);
    assert_non_null(doc);
    free(buf);
    return doc;
}

static const char *plain(struct json_object *o)
{
    return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

static struct json_object *nth(struct json_object *doc, const char *key, size_t i)
{
    struct json_object *a;
    assert_true(json_object_object_get_ex(doc, key, &a));
    assert_true(i < json_object_array_length(a));
    return json_object_array_get_idx(a, i);
}

/* The server (critical finding, unknown type: 2, 2) and the client raised to human 4 form one
 * system: placed at human 4 (the client) and economic 2 (both), serious, strength 3; assured
 * as the server (1), gap 2; one mark, rank 1, which both members share, each keeping its own
 * placement and gap. The later system covering the client gets nothing: first line wins. */
static void t_site_systems(void **state)
{
    (void)state;
    const char *fields[] = {"snmp.community"};
    sig_set_t *sigs = sig_set_new(fields, 1);
    assert_non_null(sigs);
    assert_int_equal(sig_set_add_text(sigs, "t.rules", rules, strlen(rules), NULL, NULL), SSF_OK);
    assert_int_equal(sig_set_compile(sigs, NULL, NULL), SSF_OK);
    eng_policy_t *p;
    eng_site_t *s;
    struct json_object *doc = risk_with_policy("device " CLIENT_IP ": human 4\n"
                                               "system pair: subnet 192.168.10.0/24\n"
                                               "system later: device " CLIENT_IP "\n",
                                               &p, &s, sigs);
    const char *s0 = plain(nth(doc, "systems", 0));
    assert_has(s0, "\"name\":\"pair\",\"policy\":\"t.policy:2\",\"members\":[\"mac:" SERVER_MAC
                   "\",\"mac:" CLIENT_MAC "\"]");
    assert_has(s0, "\"placement\":{\"human\":4,\"economic\":2,\"category\":\"serious\","
                   "\"required_strength\":3,");
    assert_has(s0, "\"source\":\"members\"}");
    assert_has(s0, "\"assurance\":1,\"no_evidence\":false,\"worst_severity\":\"critical\","
                   "\"gap\":2,\"rank\":1,");
    assert_has(s0, "\"finding_counts\":{\"critical\":1,\"high\":0,\"medium\":0,\"low\":0,"
                   "\"total\":1}");
    const char *s1 = plain(nth(doc, "systems", 1));
    assert_has(s1,
               "\"name\":\"later\",\"policy\":\"t.policy:3\",\"members\":[],\"placement\":null");
    assert_has(s1, "\"assurance\":null");
    assert_has(s1, "\"rank\":null");
    const char *d0 = plain(nth(doc, "devices", 0)), *d1 = plain(nth(doc, "devices", 1));
    assert_has(d0, "\"id\":\"mac:" SERVER_MAC "\"");
    assert_has(d0, "\"system\":\"pair\"");
    assert_has(d0, "\"placement\":{\"human\":2,\"economic\":2,");
    assert_has(d0, "\"gap\":1,\"rank\":1,");
    assert_has(d1, "\"id\":\"mac:" CLIENT_MAC "\"");
    assert_has(d1, "\"placement\":{\"human\":4,\"economic\":2,");
    assert_has(d1, "\"system\":\"pair\"");
    assert_has(d1, "\"assurance\":4,");
    assert_has(d1, "\"gap\":0,\"rank\":1,");
    /* one mark on the map, a rounded square, and no circle for its members */
    char *html = render_html(doc, SSF_OK);
    assert_has(html, "<g class=\"mark sys g2\" data-dev=\"s0\">");
    assert_lacks(html, "<circle class=\"mark");
    assert_has(html, "\"marks\":1}</script>");
    free(html);
    json_object_put(doc);
    eng_site_free(&s);
    eng_policy_free(&p);

    /* The line's own levels win over the members' on the axes it sets. */
    doc = risk_with_policy("system pair: subnet 192.168.10.0/24; economic 4\n", &p, &s, sigs);
    s0 = plain(nth(doc, "systems", 0));
    assert_has(s0, "\"placement\":{\"human\":2,\"economic\":4,\"category\":\"serious\","
                   "\"required_strength\":3,");
    assert_has(s0, "\"source\":\"policy:t.policy:1\"}");
    assert_has(s0, "\"gap\":2,\"rank\":1,");
    json_object_put(doc);
    eng_site_free(&s);
    eng_policy_free(&p);

    /* A system covering only the server: ranked with the client, a mark of its own. */
    doc = risk_with_policy("system srv: device " SERVER_MAC "\n", &p, &s, sigs);
    assert_has(plain(nth(doc, "systems", 0)), "\"gap\":1,\"rank\":1,");
    assert_has(plain(nth(doc, "devices", 1)), "\"system\":null");
    assert_has(plain(nth(doc, "devices", 1)), "\"rank\":2,");
    html = render_html(doc, SSF_OK);
    assert_has(html, "\"marks\":2}</script>");
    free(html);
    json_object_put(doc);
    eng_site_free(&s);
    eng_policy_free(&p);
    sig_set_free(&sigs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_assurance),    cmocka_unit_test(t_gap),
        cmocka_unit_test(t_rank),         cmocka_unit_test(t_escape),
        cmocka_unit_test(t_html_hostile), cmocka_unit_test(t_html_schema),
        cmocka_unit_test(t_site_risk),    cmocka_unit_test(t_site_systems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
