/* test_ev_auth.c - refused and taken logins (auth.failure, auth.success), lockouts
 * (auth.lockout), FTP transfers and TFTP requests (issue 4), on payloads built here from RFC 959,
 * RFC 854, RFC 1939, RFC 2449, RFC 3206, RFC 9051, RFC 9110, RFC 6585 and RFC 1350. No item may
 * carry a user name or a password. */
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

static void assert_no_secret(const probe_ev_buf_t *b, const char *secret)
{
    for (size_t i = 0; i < b->n; i++)
        assert_null(strstr(b->items[i].value, secret));
}

static size_t n_of(const probe_ev_buf_t *b, probe_ev_field f)
{
    return b->n - ev_n_without(b, f);
}

static void t_ftp_replies(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_ftp, S("530 Login incorrect.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "ftp 530");
    /* A 530 to a command sent before any login refuses no credential. */
    assert_int_equal(ev_run(probe_ev_ftp, S("530 Please login with USER and PASS.\r\n"), &b),
                     SSF_OK);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 0);
    assert_int_equal(ev_run(probe_ev_ftp, S("230 Login successful.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "ftp 230");
    /* A bare code, and one cut before its line ends. */
    assert_int_equal(ev_run(probe_ev_ftp, S("530"), &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_ftp, S("530 "), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "ftp 530");
    assert_int_equal(ev_run(probe_ev_ftp, S("331 Password required\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_ftp_transfer(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_ftp, S("RETR /pub/fw/update.img\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_RETR, "/pub/fw/update.img");
    assert_int_equal(ev_run(probe_ev_ftp, S("stor firmware.bin\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_STOR, "firmware.bin");
    /* No line end: the name runs to the end of the payload. Control bytes are masked. */
    assert_int_equal(ev_run(probe_ev_ftp, S("RETR a\x01\x7f.bin"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_RETR, "a...bin");
    /* Empty name: nothing. */
    assert_int_equal(ev_run(probe_ev_ftp, S("RETR \r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A name longer than a value: cut, never overrun. */
    char big[600] = "RETR ";
    memset(big + 5, 'x', sizeof big - 5);
    assert_int_equal(ev_run(probe_ev_ftp, big, sizeof big, &b), SSF_OK);
    assert_int_equal(ev_find(&b, PROBE_EVF_FTP_RETR)->len, PROBE_EV_VALUE_MAX - 1);
    assert_int_equal(ev_run(probe_ev_ftp, S("LIST\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_telnet_refusals(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char r[] = "\r\nLogin incorrect\r\n\r\nrouter login: ";
    assert_int_equal(ev_run(probe_ev_telnet, S(r), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "telnet login incorrect");
    ev_assert_item(&b, PROBE_EVF_TELNET_PROMPT, "router login:");
    assert_int_equal(n_of(&b, PROBE_EVF_TELNET_BANNER), 0); /* a refusal is no banner */
    assert_int_equal(ev_run(probe_ev_telnet, S("% Authentication failed\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "telnet authentication failed");
    assert_int_equal(ev_run(probe_ev_telnet, S("% Access denied\r\n\r\nUsername: "), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "telnet access denied");
    assert_int_equal(ev_run(probe_ev_telnet, S("\xff\xfb\x01Login failed"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "telnet login failed");
    /* A long line that merely mentions one is session output, here the banner. */
    char big[120];
    memset(big, 'a', sizeof big);
    memcpy(big + 40, "login incorrect", 15);
    big[sizeof big - 2] = '\r', big[sizeof big - 1] = '\n';
    assert_int_equal(ev_run(probe_ev_telnet, big, sizeof big, &b), SSF_OK);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 0);
    assert_int_equal(n_of(&b, PROBE_EVF_TELNET_BANNER), 1);
}

static void t_pop_replies(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR [AUTH] Authentication failed.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "pop -ERR");
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR invalid password\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "pop -ERR");
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR no such message\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_pop, S("+OK Logged in.\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "pop +OK");
    assert_int_equal(ev_run(probe_ev_pop, S("+OK POP3 server ready\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* The words are looked for in the first line only, and within MAIL_REPLY_MAX. */
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR x\r\npassword\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    char big[400] = "-ERR ";
    memset(big + 5, 'y', sizeof big - 5);
    memcpy(big + 300, "password", 8);
    assert_int_equal(ev_run(probe_ev_pop, big, sizeof big, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_imap_replies(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(
        ev_run(probe_ev_imap, S("a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), &b),
        SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "imap NO LOGIN");
    assert_int_equal(ev_run(probe_ev_imap, S("a2 BAD Invalid login arguments\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "imap BAD LOGIN");
    assert_int_equal(ev_run(probe_ev_imap, S("a3 NO Mailbox doesn't exist\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_imap, S("a4 OK [CAPABILITY IMAP4rev1] Logged in\r\n"), &b),
                     SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "imap OK LOGIN");
    assert_int_equal(ev_run(probe_ev_imap, S("a5 OK SELECT completed\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Tagged status cut right after its keyword. */
    assert_int_equal(ev_run(probe_ev_imap, S("a6 NO "), &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_http_results(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_http,
                            S("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: digest "
                              "realm=\"cam\", nonce=\"n\"\r\nWWW-Authenticate: Basic "
                              "realm=\"cam\"\r\n\r\n"),
                            &b),
                     SSF_OK);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 1); /* one per response */
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "http 401 Digest");
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.0 401 X\r\n\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "http 401");
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.1 204 No Content\r\n\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_SUCCESS, "http 2xx");
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.1 403 Forbidden\r\n\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* The credentials of a request never reach a value. */
    assert_int_equal(
        ev_run(probe_ev_http, S("GET / HTTP/1.1\r\nAuthorization: Basic Y2FtOmd1ZXNz\r\n\r\n"), &b),
        SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_AUTHORIZATION, "Basic");
    assert_no_secret(&b, "Y2FtOmd1ZXNz");
    /* A challenge header cut at the end of the payload still names the 401. */
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.1 401 X\r\nWWW-Authenticate: Basic"), &b),
                     SSF_ETRUNC);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "http 401");
}

/* Replies that lock a client out or throttle it (auth.lockout): FTP 421 (RFC 959 4.2.1), POP3
 * [LOGIN-DELAY] (RFC 2449 8.1.1), HTTP 429 (RFC 6585 4); and the look-alikes that are not. */
static void t_lockouts(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(
        ev_run(probe_ev_ftp, S("421 Too many failed login attempts, closing connection.\r\n"), &b),
        SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "ftp 421");
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 0);
    /* What a banned client's next connection gets instead of the 220 greeting. */
    assert_int_equal(ev_run(probe_ev_ftp, S("421 Service not available\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "ftp 421");
    assert_int_equal(ev_run(probe_ev_ftp, S("421-Banned\r\n421 Bye\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "ftp 421");
    /* 421s that give another reason, in the first line only. */
    static const char *const other[] = {"421 Timeout.\r\n", "421 Login Timeout (300 seconds)\r\n",
                                        "421 Idle timed out\r\n", "421 Server shutting down\r\n",
                                        "421 No transfer timeout: inactivity\r\n"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(other); i++) {
        assert_int_equal(ev_run(probe_ev_ftp, other[i], strlen(other[i]), &b), SSF_OK);
        assert_int_equal(b.n, 0);
    }
    assert_int_equal(ev_run(probe_ev_ftp, S("421 Locked out\r\n421 x timeout\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "ftp 421");
    assert_int_equal(ev_run(probe_ev_ftp, S("421"), &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_ftp, S("4210 x\r\n"), &b), SSF_EINVAL);

    assert_int_equal(
        ev_run(probe_ev_pop,
               S("-ERR [LOGIN-DELAY] Attempt to log in within the minimum login delay\r\n"), &b),
        SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "pop -ERR [LOGIN-DELAY]");
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 0); /* "log in" is no refusal here */
    /* The server's own trouble (RFC 3206 4) refuses no credential. */
    assert_int_equal(
        ev_run(probe_ev_pop, S("-ERR [SYS/TEMP] Temporary authentication failure\r\n"), &b),
        SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR [SYS/PERM] login disabled\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* The code is read in the first line only. */
    assert_int_equal(ev_run(probe_ev_pop, S("-ERR bad password\r\n[LOGIN-DELAY]\r\n"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "pop -ERR");
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_LOCKOUT), 0);
    assert_int_equal(ev_run(probe_ev_pop, S("+OK [LOGIN-DELAY] x\r\n"), &b), SSF_OK);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_LOCKOUT), 0);

    /* Nor does IMAP's (RFC 5530 3). */
    assert_int_equal(
        ev_run(probe_ev_imap, S("a1 NO [UNAVAILABLE] Temporary authentication failure.\r\n"), &b),
        SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_imap, S("a2 NO [SERVERBUG] login failed\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);

    assert_int_equal(
        ev_run(probe_ev_http, S("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3600\r\n\r\n"), &b),
        SSF_OK);
    ev_assert_item(&b, PROBE_EVF_AUTH_LOCKOUT, "http 429");
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_FAILURE), 0);
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.1 423 Locked\r\n\r\n"), &b), SSF_OK);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_LOCKOUT), 0);
    assert_int_equal(ev_run(probe_ev_http, S("HTTP/1.1 4290 X\r\n\r\n"), &b), SSF_EINVAL);
    assert_int_equal(n_of(&b, PROBE_EVF_AUTH_LOCKOUT), 0);
}

/* Which payloads to port 69 open a transfer, whose flow the probe then expects. */
static void t_tftp_opens(void **state)
{
    (void)state;
    assert_true(probe_ev_tftp_opens((const uint8_t *)"\x00\x01"
                                                     "f\0octet\0",
                                    10));
    assert_true(probe_ev_tftp_opens((const uint8_t *)"\x00\x02"
                                                     "f\0octet\0",
                                    10));
    assert_false(probe_ev_tftp_opens((const uint8_t *)"\x00\x03\x00\x01", 4)); /* DATA */
    assert_false(probe_ev_tftp_opens((const uint8_t *)"\x01\x01"
                                                      "f\0o",
                                     6));
    assert_false(probe_ev_tftp_opens((const uint8_t *)"\x00\x01"
                                                      "f",
                                     3)); /* no room */
    assert_false(probe_ev_tftp_opens(NULL, 10));
}

static void t_tftp(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char rrq[] = "\x00\x01"
                              "firmware_v2.1.bin\0octet\0blksize\0"
                              "1428\0";
    assert_int_equal(ev_run(probe_ev_tftp, rrq, sizeof rrq - 1, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TFTP_READ, "firmware_v2.1.bin");
    assert_int_equal(b.n, 1);
    static const char wrq[] = "\x00\x02router-confg\0NetASCII\0";
    assert_int_equal(ev_run(probe_ev_tftp, wrq, sizeof wrq - 1, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TFTP_WRITE, "router-confg");
    /* DATA, ACK, ERROR, OACK: TFTP, no name. */
    assert_int_equal(ev_run(probe_ev_tftp,
                            S("\x00\x03\x00\x01"
                              "data"),
                            &b),
                     SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x04\x00\x01"), &b), SSF_OK);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x05\x00\x01No file\x00"), &b), SSF_OK);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x06"), &b), SSF_OK);
    /* Not TFTP. */
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x00x\0octet\0"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x07x\0octet\0"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x01\x01x\0octet\0"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x01\0octet\0"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, S("\x00\x01x\0binary\0"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, S("G"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, "", 0, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    /* Every cut of a request: ETRUNC up to the mode's NUL, then OK. */
    size_t ok_at[] = {0};
    static const char small[] = "\x00\x01"
                                "a.bin\0octet\0";
    ev_assert_cuts(probe_ev_tftp, (const uint8_t *)small, sizeof small - 1, ok_at, 0);
    /* A name with no NUL within 512 bytes is no request; a shorter one may still come. */
    uint8_t big[600];
    memset(big, 'f', sizeof big);
    big[0] = 0, big[1] = 1;
    assert_int_equal(ev_run(probe_ev_tftp, big, sizeof big, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tftp, big, 300, &b), SSF_ETRUNC);
    /* A 500-byte name: cut to a value's size; control bytes masked. */
    big[2] = 0x01;
    big[502] = 0;
    memcpy(big + 503, "octet", 6);
    assert_int_equal(ev_run(probe_ev_tftp, big, 509, &b), SSF_OK);
    const probe_ev_t *it = ev_find(&b, PROBE_EVF_TFTP_READ);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 1);
    assert_int_equal(it->value[0], '.');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_ftp_replies),     cmocka_unit_test(t_ftp_transfer),
        cmocka_unit_test(t_telnet_refusals), cmocka_unit_test(t_pop_replies),
        cmocka_unit_test(t_imap_replies),    cmocka_unit_test(t_http_results),
        cmocka_unit_test(t_lockouts),        cmocka_unit_test(t_tftp),
        cmocka_unit_test(t_tftp_opens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
