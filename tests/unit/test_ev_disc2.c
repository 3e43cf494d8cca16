/* test_ev_disc2.c - the mDNS/DNS-SD and SSDP identity extractors (probes/ev_mdns.c,
 * probes/ev_ssdp.c), on hand-built messages whose every field is spelled out below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

/* Some item of field f has exactly this value, and is about the sender. */
static void assert_has(const probe_ev_buf_t *b, probe_ev_field f, const char *value)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].field != f || strcmp(b->items[i].value, value) != 0) continue;
        assert_int_equal(b->items[i].role, PROBE_EV_SRC);
        return;
    }
    fail_msg("no %s item \"%s\"", probe_ev_field_name(f), value);
}

/* Every proper prefix of a valid message is a cut message (from `from` bytes on). */
static void assert_prefixes_truncated(ev_fn fn, const void *p, size_t n, size_t from)
{
    probe_ev_buf_t out;
    for (size_t k = from; k < n; k++) {
        ssf_rc rc = ev_run(fn, p, k, &out);
        if (rc != SSF_ETRUNC) fail_msg("prefix %zu of %zu: rc %d", k, n, rc);
    }
}

/* ---- mDNS ---- */

/* A printer's DNS-SD answer. Offsets: owner "_ipp._tcp.local" at 12 ("local" at 22), instance
 * name at 39, "printer.local" at 85. Later names point back at those. */
static const char mdns_resp[] =
    /* header: id 0, flags QR|AA, 0 questions, 1 answer, 0 authority, 4 additional */
    "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x04"
    /* answer: PTR IN, TTL 4500, rdlength 28 */
    "\x04_ipp\x04_tcp\x05local\x00" /* 12: "local" at 22 */
    "\x00\x0c\x00\x01\x00\x00\x11\x94\x00\x1c"
    "\x19HP LaserJet M404 [A1B2C3]\xc0\x0c" /* 39: instance */
    /* SRV IN+cache-flush, TTL 120, rdlength 16: prio 0, weight 0, port 631 */
    "\xc0\x27" /* owner -> 39 */
    "\x00\x21\x80\x01\x00\x00\x00\x78\x00\x10"
    "\x00\x00\x00\x00\x02\x77"
    "\x07printer\xc0\x16" /* 85: printer.local */
    /* TXT IN+cache-flush, TTL 4500, rdlength 58; txtvers and pdl are not identity keys */
    "\xc0\x27"
    "\x00\x10\x80\x01\x00\x00\x11\x94\x00\x3a"
    "\x09txtvers=1\x13ty=HP LaserJet M404\x07md=M404\x13pdl=application/pdf"
    /* A IN+cache-flush, TTL 120: 192.168.1.50 */
    "\xc0\x55"
    "\x00\x01\x80\x01\x00\x00\x00\x78\x00\x04\xc0\xa8\x01\x32"
    /* AAAA for the same owner fe80::1: the same hostname, so no new item */
    "\xc0\x55"
    "\x00\x1c\x80\x01\x00\x00\x00\x78\x00\x10"
    "\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01";
enum { MDNS_FLAGS_OFF = 2 };

static void t_mdns_response(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_mdns, mdns_resp, sizeof mdns_resp - 1, &out), SSF_OK);
    assert_int_equal(out.n, 5);
    assert_has(&out, PROBE_EVF_MDNS_SERVICE, "_ipp._tcp");
    assert_has(&out, PROBE_EVF_MDNS_INSTANCE, "HP LaserJet M404 [A1B2C3]");
    assert_has(&out, PROBE_EVF_MDNS_TXT, "ty=HP LaserJet M404");
    assert_has(&out, PROBE_EVF_MDNS_TXT, "md=M404");
    assert_has(&out, PROBE_EVF_MDNS_HOSTNAME, "printer.local");
}

/* The same records in a query are the querier's known answers: nothing about the sender. */
static void t_mdns_query(void **state)
{
    (void)state;
    static const char q[] = "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                            "\x04_ipp\x04_tcp\x05local\x00\x00\x0c\x80\x01";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_mdns, q, sizeof q - 1, &out), SSF_OK);
    assert_int_equal(out.n, 0);
    uint8_t b[sizeof mdns_resp - 1];
    memcpy(b, mdns_resp, sizeof b);
    b[MDNS_FLAGS_OFF] = 0; /* QR clear */
    assert_int_equal(ev_run(probe_ev_mdns, b, sizeof b, &out), SSF_OK);
    assert_int_equal(out.n, 0);
    b[MDNS_FLAGS_OFF] = 0x84 | 0x08; /* opcode 1 is not mDNS */
    assert_int_equal(ev_run(probe_ev_mdns, b, sizeof b, &out), SSF_EINVAL);
}

/* Pointer loops and forward pointers end in EINVAL, not a hang or an overread. */
static void t_mdns_bad_pointers(void **state)
{
    (void)state;
    static const char self[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                               "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04\x0a\x00\x00\x01";
    /* "a" then a pointer back to the "a": each hop is backwards, the name grows forever. */
    static const char cycle[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                                "\x01"
                                "a\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04\x0a\x00\x00\x01";
    static const char fwd[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                              "\xc0\x1c\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04\x0a\x00\x00\x01"
                              "\x05local\x00";
    static const char ext[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                              "\x41xx\x00\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04\x0a\x00\x00\x01";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_mdns, self, sizeof self - 1, &out), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mdns, cycle, sizeof cycle - 1, &out), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mdns, fwd, sizeof fwd - 1, &out), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mdns, ext, sizeof ext - 1, &out), SSF_EINVAL);
    assert_int_equal(out.n, 0);
}

/* Ten identity TXT pairs: eight are kept. */
static void t_mdns_txt_cap(void **state)
{
    (void)state;
    static const char m[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                            "\x01x\x05local\x00"                       /* x.local       */
                            "\x00\x10\x00\x01\x00\x00\x00\x78\x00\x32" /* TXT, rdlen 50 */
                            "\x04md=0\x04md=1\x04md=2\x04md=3\x04md=4"
                            "\x04md=5\x04md=6\x04md=7\x04md=8\x04md=9";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_mdns, m, sizeof m - 1, &out), SSF_OK);
    assert_int_equal(out.n, 8);
    assert_has(&out, PROBE_EVF_MDNS_TXT, "md=0");
    assert_has(&out, PROBE_EVF_MDNS_TXT, "md=7");
    assert_string_equal(out.items[7].value, "md=7");
}

static void t_mdns_truncations(void **state)
{
    (void)state;
    assert_prefixes_truncated(probe_ev_mdns, mdns_resp, sizeof mdns_resp - 1, 0);
}

/* ---- SSDP ---- */

static const char ssdp_notify[] =
    "NOTIFY * HTTP/1.1\n"
    "Host: 239.255.255.250:1900\n"
    "nt: urn:schemas-upnp-org:device:ZonePlayer:1\n"
    "NTS: ssdp:alive\n"
    "SeRvEr: Linux UPnP/1.0 Sonos/57.3-79200 (ZPS1)\n"
    "  folded continuation: ignored\n"
    "usn: uuid:RINCON_000E58A0B1C201400::urn:schemas-upnp-org:device:ZonePlayer:1\n"
    "LOCATION: http://192.168.1.20:1400/xml/device_description.xml\n"
    "\n";

static const char ssdp_ok[] = "HTTP/1.1 200 OK\r\n"
                              "CACHE-CONTROL: max-age=1800\r\n"
                              "EXT:\r\n"
                              "LOCATION: http://192.168.1.1:49152/rootDesc.xml\r\n"
                              "SERVER: OpenWRT/18.06 UPnP/1.1 MiniUPnPd/2.1\r\n"
                              "ST: upnp:rootdevice\r\n"
                              "NT: ignored-in-a-response\r\n"
                              "USN: uuid:0a1b2c3d-0000-1000-8000-001122334455::upnp:rootdevice\r\n"
                              "\r\n";

static void t_ssdp_notify(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_ssdp, ssdp_notify, sizeof ssdp_notify - 1, &out), SSF_OK);
    assert_int_equal(out.n, 4);
    assert_has(&out, PROBE_EVF_SSDP_NT, "urn:schemas-upnp-org:device:ZonePlayer:1");
    assert_has(&out, PROBE_EVF_SSDP_SERVER, "Linux UPnP/1.0 Sonos/57.3-79200 (ZPS1)");
    assert_has(&out, PROBE_EVF_SSDP_USN,
               "uuid:RINCON_000E58A0B1C201400::urn:schemas-upnp-org:device:ZonePlayer:1");
    assert_has(&out, PROBE_EVF_SSDP_LOCATION,
               "http://192.168.1.20:1400/xml/device_description.xml");
}

static void t_ssdp_response(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_ssdp, ssdp_ok, sizeof ssdp_ok - 1, &out), SSF_OK);
    assert_int_equal(out.n, 4);
    assert_has(&out, PROBE_EVF_SSDP_NT, "upnp:rootdevice");
    assert_has(&out, PROBE_EVF_SSDP_SERVER, "OpenWRT/18.06 UPnP/1.1 MiniUPnPd/2.1");
    assert_has(&out, PROBE_EVF_SSDP_USN,
               "uuid:0a1b2c3d-0000-1000-8000-001122334455::upnp:rootdevice");
    assert_has(&out, PROBE_EVF_SSDP_LOCATION, "http://192.168.1.1:49152/rootDesc.xml");
}

static void t_ssdp_search_and_garbage(void **state)
{
    (void)state;
    static const char search[] = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                                 "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n"
                                 "USER-AGENT: Chromium/120 Windows\r\n\r\n";
    static const char *const bad[] = {
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\nSERVER: x\r\n\r\n",
        "NOTIFY /x HTTP/1.1\r\nNT: y\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n",
    };
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_ssdp, search, sizeof search - 1, &out), SSF_OK);
    assert_int_equal(out.n, 0);
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++) {
        assert_int_equal(ev_run(probe_ev_ssdp, bad[i], strlen(bad[i]), &out), SSF_EINVAL);
        assert_int_equal(out.n, 0);
    }
}

/* A header cut by the end of the data is not reported; complete ones before it are. */
static void t_ssdp_cut_header(void **state)
{
    (void)state;
    static const char cut[] = "NOTIFY * HTTP/1.1\r\nUSN: uuid:1\r\nSERVER: Linux UPnP/1.0 Son";
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_ssdp, cut, sizeof cut - 1, &out), SSF_ETRUNC);
    assert_int_equal(out.n, 1);
    assert_has(&out, PROBE_EVF_SSDP_USN, "uuid:1");
}

static void t_ssdp_truncations(void **state)
{
    (void)state;
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_ssdp, ssdp_notify, 0, &out), SSF_EINVAL);
    assert_prefixes_truncated(probe_ev_ssdp, ssdp_notify, sizeof ssdp_notify - 1, 1);
    assert_prefixes_truncated(probe_ev_ssdp, ssdp_ok, sizeof ssdp_ok - 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_mdns_response),     cmocka_unit_test(t_mdns_query),
        cmocka_unit_test(t_mdns_bad_pointers), cmocka_unit_test(t_mdns_txt_cap),
        cmocka_unit_test(t_mdns_truncations),  cmocka_unit_test(t_ssdp_notify),
        cmocka_unit_test(t_ssdp_response),     cmocka_unit_test(t_ssdp_search_and_garbage),
        cmocka_unit_test(t_ssdp_cut_header),   cmocka_unit_test(t_ssdp_truncations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
