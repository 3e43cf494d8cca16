/* test_ev_probes4.c - the weak-point evidence of issue 4 (logins in clear, TLS versions and
 * suites, plant writes and program changes, SNMP PDU types) on payloads built here from the
 * protocol specifications. Every test also checks that no credential reaches a value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* No item's value contains secret. */
static void assert_no_secret(const probe_ev_buf_t *b, const char *secret)
{
    for (size_t i = 0; i < b->n; i++)
        assert_null(strstr(b->items[i].value, secret));
}

static void t_http_authorization(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char basic[] = "GET /admin HTTP/1.1\r\nHost: plc\r\n"
                                "Authorization: Basic YWRtaW46c2VjcmV0\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(basic), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_AUTHORIZATION, "Basic");
    assert_int_equal(ev_find(&b, PROBE_EVF_HTTP_AUTHORIZATION)->role, PROBE_EV_SRC);
    assert_no_secret(&b, "YWRtaW46");
    assert_null(ev_find(&b, PROBE_EVF_HTTP_REQUEST_URI));

    static const char digest[] = "POST /x HTTP/1.0\r\nauthorization:digest username=\"a\"\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(digest), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_AUTHORIZATION, "Digest");
    assert_no_secret(&b, "username");

    static const char odd[] = "GET / HTTP/1.1\r\nAuthorization: Hoba token\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(odd), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_AUTHORIZATION, "other");

    /* A response's Authorization header is meaningless and ignored. */
    static const char resp[] = "HTTP/1.1 200 OK\r\nAuthorization: Basic x\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(resp), &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_HTTP_AUTHORIZATION));
}

static void t_http_download(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char fw[] = "GET /fw/cam_v2.1.BIN?token=abc HTTP/1.1\r\nHost: upd\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(fw), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_REQUEST_URI, "download /fw/cam_v2.1.BIN");
    assert_int_equal(ev_find(&b, PROBE_EVF_HTTP_REQUEST_URI)->role, PROBE_EV_SRC);
    assert_no_secret(&b, "token");

    static const char deb[] = "GET /debian/pool/a_1.0.deb HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_http, S(deb), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_REQUEST_URI, "download /debian/pool/a_1.0.deb");

    static const char *const no[] = {"GET /index.html HTTP/1.1\r\n\r\n",
                                     "POST /up.bin HTTP/1.1\r\n\r\n", "GET /bin HTTP/1.1\r\n\r\n"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(no); i++) {
        assert_int_equal(ev_run(probe_ev_http, no[i], strlen(no[i]), &b), SSF_OK);
        assert_null(ev_find(&b, PROBE_EVF_HTTP_REQUEST_URI));
    }
}

static void t_ftp_login(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_ftp, S("USER operator\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN, "user");
    assert_no_secret(&b, "operator");
    assert_int_equal(ev_run(probe_ev_ftp, S("pass hunter2\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN, "user+password");
    assert_no_secret(&b, "hunter2");
    assert_int_equal(ev_run(probe_ev_ftp, S("USER ftp\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN, "anonymous");
    assert_int_equal(ev_run(probe_ev_ftp, S("230 User logged in.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN_RESULT, "accepted");
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "ftp 230");
    assert_int_equal(ev_run(probe_ev_ftp, S("530 Login incorrect.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN_RESULT, "refused");
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "ftp 530");
    assert_int_equal(ev_run(probe_ev_ftp, S("RETR a.bin\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_FTP_RETR, "a.bin");
}

static void t_pop(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_pop, S("+OK POP3 server ready\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_pop, S("USER mary\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_POP_LOGIN, "user");
    assert_no_secret(&b, "mary");
    assert_int_equal(ev_run(probe_ev_pop, S("PASS tanstaaf\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_POP_LOGIN, "user+password");
    assert_no_secret(&b, "tanstaaf");
    assert_int_equal(ev_run(probe_ev_pop, S("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"), &b),
                     SSF_OK);
    ev_assert_item(&b, PROBE_EVF_POP_LOGIN, "apop");
    assert_int_equal(ev_run(probe_ev_pop, S("AUTH plain\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_POP_LOGIN, "auth PLAIN");
    assert_int_equal(ev_run(probe_ev_pop, S("AUTH \r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_POP_LOGIN, "auth ?");
    assert_int_equal(ev_run(probe_ev_pop, S("STAT\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR no\r\n"), &b), SSF_OK);
    assert_int_equal(ev_run(probe_ev_pop, S("US"), &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_pop, S("U\x01"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_pop, S("\x16\x03\x01\x02\x00"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_pop, "", 0, &b), SSF_EINVAL);
}

static void t_imap(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_imap, S("* OK IMAP4rev1 Service Ready\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_imap, S("a001 LOGIN SMITH SESAME\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_IMAP_LOGIN, "user+password");
    assert_int_equal(ev_find(&b, PROBE_EVF_IMAP_LOGIN)->role, PROBE_EV_SRC);
    assert_no_secret(&b, "SESAME");
    assert_no_secret(&b, "SMITH");
    assert_int_equal(ev_run(probe_ev_imap, S("A2 authenticate cram-md5\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_IMAP_LOGIN, "authenticate CRAM-MD5");
    assert_int_equal(ev_run(probe_ev_imap, S(". STARTTLS\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_imap, S("a001 OK LOGIN completed\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "imap OK LOGIN");
    assert_int_equal(ev_run(probe_ev_imap, S("a00"), &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_imap, S("a001 \x01\x02"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_imap, S("\x16\x03\x01 x"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_imap, S("\x16\x03\x01"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_imap, "", 0, &b), SSF_EINVAL);
    /* Every cut of a login stays within its bytes. */
    static const char login[] = "tag7 LOGIN u p\r\n";
    for (size_t k = 1; k < sizeof login - 1; k++)
        ev_run(probe_ev_imap, login, k, &b);
}

/* TPKT + COTP DT + an S7comm PDU built from its parts: header (rosctr, with error for 2/3),
 * parameter and data. Returns the frame length. */
static size_t s7_frame(uint8_t *o, uint8_t rosctr, uint16_t err, const uint8_t *param, size_t plen,
                       const uint8_t *data, size_t dlen)
{
    size_t hdr = rosctr == 2 || rosctr == 3 ? 12 : 10, len = 4 + 3 + hdr + plen + dlen;
    uint8_t h[19] = {3,
                     0,
                     (uint8_t)(len >> 8),
                     (uint8_t)len,
                     2,
                     0xf0,
                     0x80,
                     0x32,
                     rosctr,
                     0,
                     0,
                     0,
                     7,
                     (uint8_t)(plen >> 8),
                     (uint8_t)plen,
                     (uint8_t)(dlen >> 8),
                     (uint8_t)dlen,
                     (uint8_t)(err >> 8),
                     (uint8_t)err};
    memcpy(o, h, 7 + hdr);
    memcpy(o + 7 + hdr, param, plen);
    if (dlen) memcpy(o + 7 + hdr + plen, data, dlen); /* memcpy(NULL, 0) is UB */
    return len;
}

static void t_s7_function(void **state)
{
    (void)state;
    uint8_t f[128];
    probe_ev_buf_t b;
    /* Write Var of one DB byte (item: var spec 0x12, length 10, S7ANY, ...). */
    static const uint8_t wr[] = {0x05, 0x01, 0x12, 0x0a, 0x10, 0x02, 0x00,
                                 0x01, 0x00, 0x07, 0x84, 0x00, 0x00, 0x40};
    static const uint8_t wr_data[] = {0x00, 0x04, 0x00, 0x08, 0x01};
    size_t n = s7_frame(f, 1, 0, wr, sizeof wr, wr_data, sizeof wr_data);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x05 write_var");
    static const uint8_t ack[] = {0x05, 0x01};
    n = s7_frame(f, 3, 0x8104, ack, sizeof ack, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x05 write_var reply: error 0x8104");
    n = s7_frame(f, 3, 0, ack, sizeof ack, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x05 write_var reply: ok");
    /* PLC stop: function 0x29, 5 unknown bytes, then "P_PROGRAM" with a length byte. */
    static const uint8_t stop[] = {0x29, 0,   0,   0,   0,   0,   9,   'P',
                                   '_',  'P', 'R', 'O', 'G', 'R', 'A', 'M'};
    n = s7_frame(f, 1, 0, stop, sizeof stop, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x29 plc_stop");
    /* PI service _DELE of block OB 5: 7 unknown bytes, a 10-byte block list, the name. */
    static const uint8_t pi[] = {0x28, 0,   0,   0,   0,   0,   0,   0xfd, 0,   10,  1,   0,   '0',
                                 '8',  '0', '0', '0', '0', '5', 'P', 5,    '_', 'D', 'E', 'L', 'E'};
    n = s7_frame(f, 1, 0, pi, sizeof pi, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x28 pi_service _DELE");
    /* A name that is not plain text is left out; the function stays. */
    uint8_t pi_bad[sizeof pi];
    memcpy(pi_bad, pi, sizeof pi);
    pi_bad[sizeof pi - 2] = 0x01;
    n = s7_frame(f, 1, 0, pi_bad, sizeof pi_bad, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x28 pi_service");
    /* Request download, and a function we do not name (setup communication). */
    static const uint8_t dl[] = {0x1a, 0, 1, 0, 0, 0, 0, 0, 0};
    n = s7_frame(f, 1, 0, dl, sizeof dl, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_S7_FUNCTION, "0x1a request_download");
    static const uint8_t setup[] = {0xf0, 0, 0, 1, 0, 1, 0x01, 0xe0};
    n = s7_frame(f, 1, 0, setup, sizeof setup, NULL, 0);
    assert_int_equal(ev_run(probe_ev_s7, f, n, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_S7_FUNCTION));
    /* Every cut of a PI job stays within its bytes and never names a cut service. */
    n = s7_frame(f, 1, 0, pi, sizeof pi, NULL, 0);
    for (size_t k = 1; k < n; k++) {
        assert_int_equal(ev_run(probe_ev_s7, f, k, &b), SSF_ETRUNC);
        assert_int_equal(b.n, 0);
    }
}

/* BVLC Original-Unicast-NPDU + NPDU (version 1, no addresses) around apdu. */
static size_t bac_frame(uint8_t *o, const uint8_t *apdu, size_t n)
{
    size_t len = 4 + 2 + n;
    const uint8_t h[] = {0x81, 0x0a, (uint8_t)(len >> 8), (uint8_t)len, 0x01, 0x04};
    memcpy(o, h, sizeof h);
    memcpy(o + sizeof h, apdu, n);
    return len;
}

static void t_bacnet_service(void **state)
{
    (void)state;
    uint8_t f[64];
    probe_ev_buf_t b;
    /* WriteProperty analog-value 1 present-value (85) := REAL 50.0, priority absent. */
    static const uint8_t wp[] = {0x00, 0x05, 0x21, 0x0f, 0x0c, 0x00, 0x80, 0x00, 0x01,
                                 0x19, 0x55, 0x3e, 0x44, 0x42, 0x48, 0x00, 0x00, 0x3f};
    size_t n = bac_frame(f, wp, sizeof wp);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "15 write_property");
    static const uint8_t ack[] = {0x20, 0x21, 0x0f};
    n = bac_frame(f, ack, sizeof ack);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "15 write_property reply: ack");
    /* Error: class property (2), code write-access-denied (40). */
    static const uint8_t err[] = {0x50, 0x21, 0x0f, 0x91, 0x02, 0x91, 0x28};
    n = bac_frame(f, err, sizeof err);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "15 write_property reply: error");
    /* ReinitializeDevice warmstart (1), segmented-accepted flag off. */
    static const uint8_t reinit[] = {0x00, 0x05, 0x22, 0x14, 0x09, 0x01};
    n = bac_frame(f, reinit, sizeof reinit);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "20 reinitialize_device");
    /* DeviceCommunicationControl, segmented request (sequence 0, window 1). */
    static const uint8_t dcc[] = {0x08, 0x05, 0x23, 0x00, 0x01, 0x11, 0x19, 0x01};
    n = bac_frame(f, dcc, sizeof dcc);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "17 device_communication_control");
    /* WritePropertyMultiple's ack; ReadProperty requests are not reported. */
    static const uint8_t wpm[] = {0x20, 0x24, 0x10};
    n = bac_frame(f, wpm, sizeof wpm);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_BACNET_SERVICE, "16 write_property_multiple reply: ack");
    static const uint8_t rp[] = {0x00, 0x05, 0x25, 0x0c, 0x0c, 0x02, 0x00, 0x00, 0x01, 0x19, 0x4d};
    n = bac_frame(f, rp, sizeof rp);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Cut before the service choice: the datagram's BVLC length no longer matches. */
    n = bac_frame(f, wp, 3);
    assert_int_equal(ev_run(probe_ev_bacnet, f, n, &b), SSF_ETRUNC);
    assert_int_equal(b.n, 0);
}

/* SNMPv2c message, community "private", PDU tag with request-id 1, the given error-status,
 * error-index 1 and an empty VarBind list. */
static size_t snmp_msg(uint8_t *o, uint8_t tag, uint8_t status)
{
    const uint8_t m[] = {0x30, 0x19, 0x02, 0x01,   0x01, 0x04, 0x07, 'p',  'r',
                         'i',  'v',  'a',  't',    'e',  tag,  0x0b, 0x02, 0x01,
                         0x01, 0x02, 0x01, status, 0x02, 0x01, 0x01, 0x30, 0x00};
    memcpy(o, m, sizeof m);
    return sizeof m;
}

static void t_snmp_pdu(void **state)
{
    (void)state;
    uint8_t m[32];
    probe_ev_buf_t b;
    static const struct {
        uint8_t tag, status;
        const char *want;
    } cases[] = {
        {0xa0, 0, "get"},     {0xa1, 0, "getnext"},  {0xa3, 0, "set"},
        {0xa5, 0, "getbulk"}, {0xa6, 0, "inform"},   {0xa7, 0, "trap"},
        {0xa8, 0, "report"},  {0xa2, 0, "response"}, {0xa2, 17, "response: error 17"},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(cases); i++) {
        size_t n = snmp_msg(m, cases[i].tag, cases[i].status);
        assert_int_equal(ev_run(probe_ev_snmp, m, n, &b), SSF_OK);
        ev_assert_item(&b, PROBE_EVF_SNMP_PDU, cases[i].want);
        /* A cut message says nothing about its PDU. */
        assert_int_equal(ev_run(probe_ev_snmp, m, n - 1, &b), SSF_ETRUNC);
        assert_null(ev_find(&b, PROBE_EVF_SNMP_PDU));
    }
}

/* One handshake record holding message type t with body b, then (if ccs) a ChangeCipherSpec
 * record, which ends the clear text as a TLS 1.3 server's flight does. */
static size_t tls_msg(uint8_t *o, uint8_t t, const uint8_t *b, size_t n, bool ccs)
{
    size_t rec = 4 + n;
    const uint8_t h[] = {
        22, 3, 3, (uint8_t)(rec >> 8), (uint8_t)rec, t, 0, (uint8_t)(n >> 8), (uint8_t)n};
    memcpy(o, h, sizeof h);
    memcpy(o + sizeof h, b, n);
    size_t len = sizeof h + n;
    if (ccs) {
        static const uint8_t c[] = {20, 3, 3, 0, 1, 1};
        memcpy(o + len, c, sizeof c);
        len += sizeof c;
    }
    return len;
}

static void t_tls_version_cipher(void **state)
{
    (void)state;
    uint8_t rec[256];
    probe_ev_buf_t b;
    /* TLS 1.3 ServerHello: legacy 1.2, empty session id, TLS_AES_128_GCM_SHA256, supported_versions
     * selecting 0x0304. */
    uint8_t sh13[2 + 32 + 1 + 2 + 1 + 2 + 6] = {3, 3};
    const uint8_t tail13[] = {0x00, 0x13, 0x01, 0x00, 0x00, 0x06,
                              0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
    memcpy(sh13 + 34, tail13, sizeof tail13);
    size_t n = tls_msg(rec, 2, sh13, sizeof sh13, true);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TLS_VERSION, "TLS 1.3");
    ev_assert_item(&b, PROBE_EVF_TLS_CIPHER, "TLS_AES_128_GCM_SHA256");
    /* TLS 1.0 with RC4, no extensions; then a suite the table does not name, in SSL 3.0. */
    uint8_t sh10[2 + 32 + 1 + 2 + 1] = {3, 1};
    sh10[35] = 0x00, sh10[36] = 0x05;
    n = tls_msg(rec, 2, sh10, sizeof sh10, true);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TLS_VERSION, "TLS 1.0");
    ev_assert_item(&b, PROBE_EVF_TLS_CIPHER, "TLS_RSA_WITH_RC4_128_SHA");
    sh10[1] = 0, sh10[35] = 0xc0, sh10[36] = 0xfe;
    n = tls_msg(rec, 2, sh10, sizeof sh10, true);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TLS_VERSION, "SSL 3.0");
    ev_assert_item(&b, PROBE_EVF_TLS_CIPHER, "0xC0FE");
    /* Without the CCS the server's flight is not over: more is wanted, the hello is read. */
    n = tls_msg(rec, 2, sh10, sizeof sh10, false);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_ETRUNC);
    ev_assert_item(&b, PROBE_EVF_TLS_VERSION, "SSL 3.0");
    /* A cut hello yields nothing. */
    for (size_t k = 1; k < n; k++) {
        assert_int_equal(ev_run(probe_ev_tls, rec, k, &b), SSF_ETRUNC);
        assert_int_equal(b.n, 0);
    }
}

static void t_tls_client_version(void **state)
{
    (void)state;
    uint8_t rec[256];
    probe_ev_buf_t b;
    /* ClientHello 1.2 offering GREASE, 1.3 and 1.2 in supported_versions. */
    uint8_t ch[2 + 32 + 1 + 4 + 2 + 2 + 11] = {3, 3};
    const uint8_t tail[] = {0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00, 0x00, 0x0b, 0x00,
                            0x2b, 0x00, 0x07, 0x06, 0x7a, 0x7a, 0x03, 0x04, 0x03, 0x03};
    memcpy(ch + 34, tail, sizeof tail);
    size_t n = tls_msg(rec, 1, ch, sizeof ch, false);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TLS_CLIENT_VERSION, "TLS 1.3");
    /* Without the extension the legacy version is the highest offered. */
    uint8_t old[2 + 32 + 1 + 4 + 2] = {3, 1};
    const uint8_t tail2[] = {0x00, 0x00, 0x02, 0x00, 0x2f, 0x01, 0x00};
    memcpy(old + 34, tail2, sizeof tail2);
    n = tls_msg(rec, 1, old, sizeof old, false);
    assert_int_equal(ev_run(probe_ev_tls, rec, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TLS_CLIENT_VERSION, "TLS 1.0");
}

/* @probes4-tests */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_http_authorization),
        cmocka_unit_test(t_http_download),
        cmocka_unit_test(t_ftp_login),
        cmocka_unit_test(t_pop),
        cmocka_unit_test(t_imap),
        cmocka_unit_test(t_s7_function),
        cmocka_unit_test(t_bacnet_service),
        cmocka_unit_test(t_snmp_pdu),
        cmocka_unit_test(t_tls_version_cipher),
        cmocka_unit_test(t_tls_client_version),
        /* @probes4-test-list */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
