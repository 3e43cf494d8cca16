/* test_evidence.c - probe/evidence.h: field table, item sanitising, and the DHCP, HTTP, SSH,
 * TLS and X.509 extractors on real byte sequences (see evidence_data.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"
#include "evidence_data.h"

#define RUN_STR(fn, s, out) ev_run(fn, s, sizeof(s) - 1, out)

static const probe_ev_t *find(const probe_ev_buf_t *b, probe_ev_field f)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].field == f) return &b->items[i];
    return NULL;
}

static void assert_item(const probe_ev_buf_t *b, probe_ev_field f, probe_ev_role role,
                        const char *value)
{
    const probe_ev_t *it = find(b, f);
    if (!it) fail_msg("no %s item", probe_ev_field_name(f));
    assert_string_equal(it->value, value);
    assert_int_equal(it->len, strlen(value));
    assert_int_equal(it->role, role);
}

/* ---- field table and probe_ev_add ---- */

static void t_field_names_round_trip(void **state)
{
    (void)state;
    for (int f = PROBE_EVF_NONE + 1; f < PROBE_EVF_COUNT; f++) {
        const char *name = probe_ev_field_name((probe_ev_field)f);
        assert_string_not_equal(name, "?");
        assert_int_equal(probe_ev_field_by_name(name), f);
    }
    assert_string_equal(probe_ev_field_name(PROBE_EVF_DHCP_VENDOR), "dhcp.vendor_class");
    assert_string_equal(probe_ev_field_name(PROBE_EVF_TLS_KEY), "tls.cert_key");
    assert_string_equal(probe_ev_field_name(PROBE_EVF_COUNT), "?");
    assert_int_equal(probe_ev_field_by_name("http.serve"), PROBE_EVF_NONE);
    assert_int_equal(probe_ev_field_by_name(NULL), PROBE_EVF_NONE);
}

static void t_add_sanitises_and_trims(void **state)
{
    (void)state;
    probe_ev_buf_t b = {0};
    static const char v[] = " \t Boa/0.94\x01\x7f\xc3\xa9 x\r \t";
    probe_ev_t *it = probe_ev_add(&b, PROBE_EVF_HTTP_SERVER, PROBE_EV_SRC, v, sizeof v - 1);
    assert_non_null(it);
    assert_string_equal(it->value, "Boa/0.94.... x.");
    assert_int_equal(it->len, 15);
    assert_int_equal(it->has_mac, 0);
    assert_int_equal(b.n, 1);
}

static void t_add_truncates(void **state)
{
    (void)state;
    probe_ev_buf_t b = {0};
    char v[300];
    memset(v, 'a', sizeof v);
    probe_ev_t *it = probe_ev_add(&b, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, v, sizeof v);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 1);
    assert_int_equal(strlen(it->value), PROBE_EV_VALUE_MAX - 1);
    /* A cut that lands on a blank must not leave a trailing blank. */
    v[PROBE_EV_VALUE_MAX - 2] = ' ';
    it = probe_ev_add(&b, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, v, sizeof v);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 2);
}

static void t_add_empty_and_full(void **state)
{
    (void)state;
    probe_ev_buf_t b = {0};
    assert_null(probe_ev_add(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, " \t ", 3));
    assert_null(probe_ev_add(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, "", 0));
    assert_null(probe_ev_add(&b, PROBE_EVF_NONE, PROBE_EV_SRC, "x", 1));
    assert_null(probe_ev_add(&b, PROBE_EVF_COUNT, PROBE_EV_SRC, "x", 1));
    assert_int_equal(b.n, 0);
    assert_int_equal(b.dropped, 0);
    for (int i = 0; i < PROBE_EV_BUF_ITEMS; i++)
        assert_non_null(probe_ev_add(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, "ua", 2));
    assert_null(probe_ev_add(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, "ua", 2));
    assert_null(probe_ev_add(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, "ua", 2));
    assert_int_equal(b.n, PROBE_EV_BUF_ITEMS);
    assert_int_equal(b.dropped, 2);
}

/* ---- DHCP ---- */

static const uint8_t mac_a[6] = {0x00, 0x0e, 0x8c, 0x10, 0x20, 0x30};

/* BOOTP header (RFC 2131 figure 1) + cookie + options; returns the length. */
static size_t dhcp_build(uint8_t *b, uint8_t op, uint8_t htype, bool relayed, const void *opts,
                         size_t optlen)
{
    memset(b, 0, 240);
    b[0] = op, b[1] = htype, b[2] = 6, b[3] = relayed;
    memcpy(b + 4, "\x3c\x1f\x4e\x7a", 4);               /* xid */
    if (relayed) memcpy(b + 24, "\x0a\x01\x00\x01", 4); /* giaddr 10.1.0.1 */
    memcpy(b + 28, mac_a, 6);
    memcpy(b + 236, "\x63\x82\x53\x63", 4);
    memcpy(b + 240, opts, optlen);
    return 240 + optlen;
}

/* DHCPDISCOVER from a PLC-like client: 53, 61, 12, 60, 55, pad, end. */
static const uint8_t discover_opts[] = {
    53, 1,  1,                                             /* DHCPDISCOVER       */
    61, 7,  0x01, 0x00, 0x0e, 0x8c, 0x10, 0x20, 0x30,      /* client id          */
    12, 8,  'p',  'l',  'c',  '-',  'h',  'a',  'l',  'l', /* hostname           */
    60, 14, 'S',  'i',  'e',  'm',  'e',  'n',  's',  ' ', 'S', '7', '-', '1', '2', '0', /* class */
    55, 4,  1,    3,    6,    15, /* parameter list     */
    0,  0,  255,  0,    0,
};

static void check_discover(const probe_ev_buf_t *b)
{
    assert_int_equal(b->n, 4);
    assert_item(b, PROBE_EVF_DHCP_CLIENT_ID, PROBE_EV_SRC, "01:00:0e:8c:10:20:30");
    assert_item(b, PROBE_EVF_DHCP_HOSTNAME, PROBE_EV_SRC, "plc-hall");
    assert_item(b, PROBE_EVF_DHCP_VENDOR, PROBE_EV_SRC, "Siemens S7-120");
    assert_item(b, PROBE_EVF_DHCP_FINGERPRINT, PROBE_EV_SRC, "1,3,6,15");
    for (size_t i = 0; i < b->n; i++) {
        assert_int_equal(b->items[i].has_mac, 1);
        assert_memory_equal(b->items[i].mac, mac_a, 6);
    }
}

static void t_dhcp_discover(void **state)
{
    (void)state;
    uint8_t pkt[512];
    probe_ev_buf_t b;
    size_t n = dhcp_build(pkt, 1, 1, false, discover_opts, sizeof discover_opts);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_OK);
    check_discover(&b);
}

static void t_dhcp_relayed_keeps_chaddr(void **state)
{
    (void)state;
    uint8_t pkt[512];
    probe_ev_buf_t b;
    size_t n = dhcp_build(pkt, 1, 1, true, discover_opts, sizeof discover_opts);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_OK);
    check_discover(&b);
}

static void t_dhcp_reply_and_not_dhcp(void **state)
{
    (void)state;
    uint8_t pkt[512];
    probe_ev_buf_t b;
    size_t n = dhcp_build(pkt, 2, 1, false, discover_opts, sizeof discover_opts);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    pkt[0] = 3; /* no such op */
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_EINVAL);
    pkt[0] = 1, pkt[239] = 0x64; /* BOOTP without the DHCP cookie */
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_EINVAL);
    pkt[239] = 0x63;
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, 239, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, 240, &b), SSF_OK); /* no options: still DHCP */
    assert_int_equal(b.n, 0);
}

static void t_dhcp_option_cut_and_not_ethernet(void **state)
{
    (void)state;
    uint8_t pkt[512];
    probe_ev_buf_t b;
    static const uint8_t cut[] = {12, 4, 'p', 'l', 'c', '1', 60, 20, 'a', 'b'};
    size_t n = dhcp_build(pkt, 1, 6 /* IEEE 802 */, false, cut, sizeof cut);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_ETRUNC);
    assert_int_equal(b.n, 1);
    assert_item(&b, PROBE_EVF_DHCP_HOSTNAME, PROBE_EV_SRC, "plc1");
    assert_int_equal(b.items[0].has_mac, 0); /* chaddr is not an Ethernet address here */
}

static void t_dhcp_long_fingerprint_cut_at_entry(void **state)
{
    (void)state;
    uint8_t opts[2 + 255 + 1], pkt[600];
    probe_ev_buf_t b;
    opts[0] = 55, opts[1] = 255;
    /* "1," then 3-digit entries, so the 191-byte limit falls inside an entry. */
    for (int i = 0; i < 255; i++)
        opts[2 + i] = (uint8_t)(i ? 200 + i % 50 : 1);
    opts[257] = 255;
    size_t n = dhcp_build(pkt, 1, 1, false, opts, sizeof opts);
    assert_int_equal(ev_run(probe_ev_dhcp, pkt, n, &b), SSF_OK);
    const probe_ev_t *it = find(&b, PROBE_EVF_DHCP_FINGERPRINT);
    assert_non_null(it);
    assert_true(it->len <= PROBE_EV_VALUE_MAX - 1);
    /* Whole entries only: "1" then ",2xx" groups. */
    assert_int_equal((it->len - 1) % 4, 0);
    assert_memory_equal(it->value, "1,201,202", 9);
    assert_int_equal(it->len, 1 + 4 * 47);
}

/* ---- HTTP ---- */

static void t_http_request_mixed_case_bare_lf(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_http,
                             "GET /cgi-bin/status HTTP/1.1\n"
                             "hOsT: 192.168.0.10:8080\n"
                             "Accept: */*\r\n"
                             "uSeR-aGeNt:  WAGO-PFC200/03.10 \r\n"
                             "Server: not-in-a-request\n"
                             "\n"
                             "body: ignored\n",
                             &b),
                     SSF_OK);
    assert_int_equal(b.n, 2);
    assert_item(&b, PROBE_EVF_HTTP_HOST, PROBE_EV_DST, "192.168.0.10:8080");
    assert_item(&b, PROBE_EVF_HTTP_UA, PROBE_EV_SRC, "WAGO-PFC200/03.10");
}

static void t_http_response(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_http,
                             "HTTP/1.0 401 Unauthorized\r\n"
                             "SERVER:Boa/0.94.14rc21\r\n"
                             "User-Agent: not-in-a-response\r\n"
                             "\r\n",
                             &b),
                     SSF_OK);
    assert_int_equal(b.n, 2); /* and auth.failure "http 401", which the worker may drop */
    assert_item(&b, PROBE_EVF_HTTP_SERVER, PROBE_EV_SRC, "Boa/0.94.14rc21");
}

static void t_http_cut(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_http,
                             "POST /login HTTP/1.1\r\nHost: hmi\r\nUser-Agent: Mozilla/5.0 (Wi",
                             &b),
                     SSF_ETRUNC);
    assert_int_equal(b.n, 1);
    assert_item(&b, PROBE_EVF_HTTP_HOST, PROBE_EV_DST, "hmi");
    assert_int_equal(RUN_STR(probe_ev_http, "GET /index.ht", &b), SSF_ETRUNC);
    assert_int_equal(RUN_STR(probe_ev_http, "HTTP/1", &b), SSF_ETRUNC);
    assert_int_equal(b.n, 0);
}

static void t_http_rejects_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char *const bad[] = {
        "SSH-2.0-OpenSSH_8.4\r\n", "GET /\r\n",
        "FETCH / HTTP/1.1\r\n",    "GET  HTTP/1.1\r\n",
        "GET / HTTP/2.0\r\n",      "HTTP/2 200\r\n",
        "HTTP/1.1 20x OK\r\n",     "RTSP/1.0 200 OK\r\n",
        "GET / x HTTP/1.1\r\n",    "",
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++)
        assert_int_equal(ev_run(probe_ev_http, bad[i], strlen(bad[i]), &b), SSF_EINVAL);
}

/* ---- SSH ---- */

static void t_ssh_banner(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_ssh, "SSH-2.0-OpenSSH_8.4p1 Debian-5\r\n", &b), SSF_OK);
    assert_int_equal(b.n, 1);
    assert_item(&b, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, "SSH-2.0-OpenSSH_8.4p1 Debian-5");
}

static void t_ssh_preceding_lines(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_ssh,
                             "Welcome to line 3 PLC\r\n\r\nAuthorised use only\n"
                             "SSH-1.99-dropbear_2019.78\r\nxx",
                             &b),
                     SSF_OK);
    assert_item(&b, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, "SSH-1.99-dropbear_2019.78");
    /* Eight lines that are not the banner: give up before the ninth. */
    assert_int_equal(RUN_STR(probe_ev_ssh, "1\n2\n3\n4\n5\n6\n7\n8\nSSH-2.0-late\r\n", &b),
                     SSF_EINVAL);
    assert_int_equal(RUN_STR(probe_ev_ssh, "1\n2\n3\n4\n5\n6\n7\nSSH-2.0-in_time\r\n", &b), SSF_OK);
}

static void t_ssh_cut(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(RUN_STR(probe_ev_ssh, "SSH-2.0-Cisco-1.25", &b), SSF_OK);
    assert_item(&b, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, "SSH-2.0-Cisco-1.25");
    assert_int_equal(RUN_STR(probe_ev_ssh, "SSH-2.0", &b), SSF_ETRUNC);
    assert_int_equal(RUN_STR(probe_ev_ssh, "SS", &b), SSF_ETRUNC);
    assert_int_equal(b.n, 0);
}

static void t_ssh_rejects_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char *const bad[] = {
        "HTTP/1.1 200 OK\r\n", "SSH-x.0-foo\r\n", "SSH-2.0-\r\n", "SSH--foo\r\n", "SSX-2.0-foo", "",
        "hello world",
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++)
        assert_int_equal(ev_run(probe_ev_ssh, bad[i], strlen(bad[i]), &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- TLS ---- */

/* Wraps handshake bytes hs into handshake records of at most frag bytes each. */
static size_t tls_wrap(const uint8_t *hs, size_t n, size_t frag, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += frag) {
        size_t k = n - i < frag ? n - i : frag;
        out[o++] = 22, out[o++] = 3, out[o++] = 3;
        out[o++] = (uint8_t)(k >> 8), out[o++] = (uint8_t)k;
        memcpy(out + o, hs + i, k);
        o += k;
    }
    return o;
}

/* Items other than the version and suite facts (issue 4), which the identity tests below do
 * not count: they come with every ServerHello and ClientHello. */
static size_t tls_n_old(const probe_ev_buf_t *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->items[i].field != PROBE_EVF_TLS_VERSION &&
             b->items[i].field != PROBE_EVF_TLS_CIPHER &&
             b->items[i].field != PROBE_EVF_TLS_CLIENT_VERSION;
    return n;
}

static void check_rsa_cert(const probe_ev_buf_t *b)
{
    assert_int_equal(tls_n_old(b), 5);
    assert_item(b, PROBE_EVF_TLS_SUBJECT, PROBE_EV_SRC,
                "C=JP, O=Example Plant, CN=hmi.plant.example");
    assert_item(b, PROBE_EVF_TLS_ISSUER, PROBE_EV_SRC,
                "C=JP, O=Example Plant, CN=hmi.plant.example");
    assert_item(b, PROBE_EVF_TLS_NOT_BEFORE, PROBE_EV_SRC, "2026-11-24T19:56:59Z");
    assert_item(b, PROBE_EVF_TLS_NOT_AFTER, PROBE_EV_SRC, "2036-11-21T19:56:59Z");
    assert_item(b, PROBE_EVF_TLS_KEY, PROBE_EV_SRC, "RSA 2048");
}

static void t_tls_server_flight(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    /* The flight carries the same certificate as cert_rsa. */
    assert_memory_equal(tls_server_flight + 70 + 5 + 4 + 6, cert_rsa, sizeof cert_rsa);
    assert_int_equal(ev_run(probe_ev_tls, tls_server_flight, sizeof tls_server_flight, &b), SSF_OK);
    check_rsa_cert(&b);
}

static void t_tls_server_flight_cut_everywhere(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    const size_t cert_end = 956; /* end of the Certificate record */
    assert_int_equal(ev_run(probe_ev_tls, tls_server_flight, 0, &b), SSF_EINVAL);
    for (size_t n = 1; n < cert_end; n++) {
        ssf_rc rc = ev_run(probe_ev_tls, tls_server_flight, n, &b);
        if (rc != SSF_ETRUNC) fail_msg("cut at %zu: rc %d", n, rc);
        assert_int_equal(tls_n_old(&b), 0);
    }
    assert_int_equal(ev_run(probe_ev_tls, tls_server_flight, cert_end, &b), SSF_OK);
    for (size_t n = 0; n < sizeof cert_rsa; n++) {
        memset(&b, 0, sizeof b);
        assert_int_equal(ev_run(probe_ev_x509, cert_rsa, n, &b), SSF_EINVAL);
        assert_int_equal(tls_n_old(&b), 0);
    }
}

static void t_tls_client_hello(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_tls, tls_client_hello, sizeof tls_client_hello, &b), SSF_OK);
    assert_int_equal(tls_n_old(&b), 3);
    assert_item(&b, PROBE_EVF_TLS_SNI, PROBE_EV_DST, "hmi.plant.example");
    /* JA3 of this hello, worked out by hand from its lists (no GREASE in it). */
    assert_item(&b, PROBE_EVF_TLS_JA3_STRING, PROBE_EV_SRC,
                "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-"
                "49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-"
                "23-13,29-23-30-25-24,0-1-2");
    assert_item(&b, PROBE_EVF_TLS_JA3, PROBE_EV_SRC, "871a754af286dfb70c1b53c6887c62e0");
    for (size_t n = 1; n < sizeof tls_client_hello; n++) {
        ssf_rc rc = ev_run(probe_ev_tls, tls_client_hello, n, &b);
        if (rc != SSF_ETRUNC || b.n) fail_msg("cut at %zu: rc %d n %zu", n, rc, b.n);
    }
}

static void t_tls_client_hello_sni_split(void **state)
{
    (void)state;
    uint8_t recs[sizeof tls_client_hello + 5];
    probe_ev_buf_t b;
    const uint8_t *hs = tls_client_hello + 5;
    size_t hs_len = sizeof tls_client_hello - 5;
    const uint8_t *name = memmem(hs, hs_len, "hmi.plant.example", 17);
    assert_non_null(name);
    size_t split = (size_t)(name - hs) + 8; /* "hmi.plan" | "t.example" */
    size_t n = tls_wrap(hs, split, split, recs);
    n += tls_wrap(hs + split, hs_len - split, hs_len, recs + n);
    assert_int_equal(n, sizeof recs);
    assert_int_equal(ev_run(probe_ev_tls, recs, n, &b), SSF_OK);
    assert_item(&b, PROBE_EVF_TLS_SNI, PROBE_EV_DST, "hmi.plant.example");
    assert_int_equal(ev_run(probe_ev_tls, recs, split + 5 + 5 + 1, &b), SSF_ETRUNC);
    assert_int_equal(tls_n_old(&b), 0);
}

/* ServerHello (from the real flight) then Certificate [cert_leaf, cert_rsa], in 100-byte
 * records, so the leaf is gathered from several records. */
static size_t leaf_chain(uint8_t *out, size_t *leaf_end)
{
    static uint8_t hs[2048];
    size_t o = 65; /* the ServerHello message */
    memcpy(hs, tls_server_flight + 5, o);
    size_t l1 = sizeof cert_leaf, l2 = sizeof cert_rsa, list = 3 + l1 + 3 + l2;
    const uint8_t h[] = {11,
                         0,
                         (uint8_t)((list + 3) >> 8),
                         (uint8_t)(list + 3),
                         0,
                         (uint8_t)(list >> 8),
                         (uint8_t)list,
                         0,
                         (uint8_t)(l1 >> 8),
                         (uint8_t)l1};
    memcpy(hs + o, h, sizeof h);
    memcpy(hs + o + sizeof h, cert_leaf, l1);
    o += sizeof h + l1;
    *leaf_end = o + (o + 99) / 100 * 5;
    const uint8_t h2[] = {0, (uint8_t)(l2 >> 8), (uint8_t)l2};
    memcpy(hs + o, h2, 3);
    memcpy(hs + o + 3, cert_rsa, l2);
    return tls_wrap(hs, o + 3 + l2, 100, out);
}

static void t_tls_leaf_across_records(void **state)
{
    (void)state;
    uint8_t recs[2400];
    size_t leaf_end;
    probe_ev_buf_t b;
    size_t n = leaf_chain(recs, &leaf_end);
    assert_int_equal(ev_run(probe_ev_tls, recs, n, &b), SSF_OK);
    assert_int_equal(tls_n_old(&b), 5);
    assert_item(&b, PROBE_EVF_TLS_SUBJECT, PROBE_EV_SRC,
                "C=JP, ST=Tokyo, O=Foo\\, Inc., OU=OT+CN=plc1, emailAddress=ot@plant.example");
    assert_item(&b, PROBE_EVF_TLS_ISSUER, PROBE_EV_SRC, "C=JP, O=Plant CA, CN=Plant Root");
    assert_item(&b, PROBE_EVF_TLS_NOT_BEFORE, PROBE_EV_SRC, "2026-11-24T19:56:59Z");
    assert_item(&b, PROBE_EVF_TLS_NOT_AFTER, PROBE_EV_SRC, "2029-02-26T19:56:59Z");
    assert_item(&b, PROBE_EVF_TLS_KEY, PROBE_EV_SRC, "EC 256");
    /* The leaf alone is enough; the rest of the chain may still be on its way. */
    assert_int_equal(ev_run(probe_ev_tls, recs, leaf_end, &b), SSF_OK);
    assert_int_equal(tls_n_old(&b), 5);
    assert_int_equal(ev_run(probe_ev_tls, recs, leaf_end - 1, &b), SSF_ETRUNC);
    assert_int_equal(tls_n_old(&b), 0);
}

static void t_x509_bmp_unknown_oid_ed25519(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_x509, cert_ed, sizeof cert_ed, &b), SSF_OK);
    assert_item(&b, PROBE_EVF_TLS_SUBJECT, PROBE_EV_SRC, "CN=...-7 hmi, 2.5.4.5=SN123");
    assert_item(&b, PROBE_EVF_TLS_KEY, PROBE_EV_SRC, "Ed25519");
}

static void t_tls_rejects_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const struct {
        const char *bytes;
        size_t n;
        ssf_rc rc;
    } cases[] = {
        {"GET / HTTP/1.1\r\n", 16, SSF_EINVAL},
        {"\x16\x02", 2, SSF_EINVAL},                 /* not 3.x                */
        {"\x16\x03\x01\x00\x00", 5, SSF_EINVAL},     /* empty record           */
        {"\x16\x03\x01\x48\x01", 5, SSF_EINVAL},     /* record > 2^14+2048     */
        {"\x17\x03\x03\x00\x01\x00", 6, SSF_EINVAL}, /* app data first         */
        /* Certificate first (an empty list, otherwise well formed). */
        {"\x16\x03\x03\x00\x07\x0b\x00\x00\x03\x00\x00\x00", 12, SSF_EINVAL},
        {"\x16\x03\x03\x00\x04\x01\x00\x00\x00", 9, SSF_EINVAL}, /* empty ClientHello    */
        /* TLS 1.3 style: ServerHello, then encrypted records. */
        {"\x16\x03\x03\x00\x04\x02\x00\x00\x00\x14\x03\x03\x00\x01\x01", 15, SSF_OK},
        /* CCS inside a handshake message. */
        {"\x16\x03\x03\x00\x04\x02\x00\x00\x01\x14\x03\x03\x00\x01\x01", 15, SSF_EINVAL},
        {"\x16\x03\x03\x00\x04\x02\x00\x00\x00", 9, SSF_ETRUNC}, /* wait for Certificate */
        /* Certificate whose list length disagrees with the message length. */
        {"\x16\x03\x03\x00\x0e\x02\x00\x00\x00\x0b\x00\x00\x06\x00\x00\x05\x00\x00\x02", 19,
         SSF_EINVAL},
        /* ServerHelloDone without a Certificate: nothing more will come in clear. */
        {"\x16\x03\x03\x00\x08\x02\x00\x00\x00\x0e\x00\x00\x00", 13, SSF_OK},
        /* A message header cut by a CCS record. */
        {"\x16\x03\x03\x00\x04\x02\x00\x00\x00\x16\x03\x03\x00\x02\x0b\x00"
         "\x14\x03\x03\x00\x01\x01",
         22, SSF_EINVAL},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(cases); i++) {
        ssf_rc rc = ev_run(probe_ev_tls, cases[i].bytes, cases[i].n, &b);
        if (rc != cases[i].rc) fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
        assert_int_equal(tls_n_old(&b), 0);
    }
}

static void t_x509_hostile_der(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    uint8_t c[sizeof cert_rsa];
    memcpy(c, cert_rsa, sizeof c);
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_OK);
    c[1] = 0x80; /* indefinite length */
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_EINVAL);
    c[1] = 0x85; /* five length octets */
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_EINVAL);
    memcpy(c, cert_rsa, sizeof c);
    c[3] = (uint8_t)(c[3] + 1); /* outer length one past the data */
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_EINVAL);
    memcpy(c, cert_rsa, sizeof c);
    c[4] = 0x1f; /* multi-byte tag where tbsCertificate should be */
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_EINVAL);
    /* Indefinite length on the issuer CN value, the last thing in its attribute. */
    memcpy(c, cert_rsa, sizeof c);
    uint8_t *cn = memmem(c, sizeof c, "hmi.plant.example", 17);
    assert_non_null(cn);
    cn[-1] = 0x80;
    assert_int_equal(ev_run(probe_ev_x509, c, sizeof c, &b), SSF_EINVAL);
    assert_int_equal(tls_n_old(&b), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_field_names_round_trip),
        cmocka_unit_test(t_add_sanitises_and_trims),
        cmocka_unit_test(t_add_truncates),
        cmocka_unit_test(t_add_empty_and_full),
        cmocka_unit_test(t_dhcp_discover),
        cmocka_unit_test(t_dhcp_relayed_keeps_chaddr),
        cmocka_unit_test(t_dhcp_reply_and_not_dhcp),
        cmocka_unit_test(t_dhcp_option_cut_and_not_ethernet),
        cmocka_unit_test(t_dhcp_long_fingerprint_cut_at_entry),
        cmocka_unit_test(t_http_request_mixed_case_bare_lf),
        cmocka_unit_test(t_http_response),
        cmocka_unit_test(t_http_cut),
        cmocka_unit_test(t_http_rejects_other),
        cmocka_unit_test(t_ssh_banner),
        cmocka_unit_test(t_ssh_preceding_lines),
        cmocka_unit_test(t_ssh_cut),
        cmocka_unit_test(t_ssh_rejects_other),
        cmocka_unit_test(t_tls_server_flight),
        cmocka_unit_test(t_tls_server_flight_cut_everywhere),
        cmocka_unit_test(t_tls_client_hello),
        cmocka_unit_test(t_tls_client_hello_sni_split),
        cmocka_unit_test(t_tls_leaf_across_records),
        cmocka_unit_test(t_x509_bmp_unknown_oid_ed25519),
        cmocka_unit_test(t_tls_rejects_other),
        cmocka_unit_test(t_x509_hostile_der),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
