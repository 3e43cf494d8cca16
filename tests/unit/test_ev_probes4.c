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
    assert_int_equal(ev_run(probe_ev_ftp, S("530 Login incorrect.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN_RESULT, "refused");
    assert_int_equal(ev_run(probe_ev_ftp, S("RETR a.bin\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
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
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_imap, S("a00"), &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_imap, S("a001 \x01\x02"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_imap, S("\x16\x03\x01 x"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_imap, "", 0, &b), SSF_EINVAL);
    /* Every cut of a login stays within its bytes. */
    static const char login[] = "tag7 LOGIN u p\r\n";
    for (size_t k = 1; k < sizeof login - 1; k++)
        ev_run(probe_ev_imap, login, k, &b);
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
        /* @probes4-test-list */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
