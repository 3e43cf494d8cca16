/* test_ev_defcreds.c - the default credential table (signatures/data/default_credentials.tsv,
 * sig/defcreds.h) and the login extractors that check against it (issue 4): HTTP Basic, FTP and
 * POP3 USER/PASS, IMAP LOGIN, MQTT CONNECT, SNMP communities. Payloads are built here from RFC
 * 7617, RFC 959, RFC 1939, RFC 9051 and MQTT 3.1.1; credentials are rows of the table or made up.
 * No item may carry a password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"
#include "sig/defcreds.h"

#define S(lit) (lit), (sizeof(lit) - 1)
#define U(lit) ((const uint8_t *)(lit)), (sizeof(lit) - 1)

typedef ssf_rc (*ev_st_fn)(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);

/* Runs a stateful extractor on an exact-size heap copy, so ASan sees any read past n. */
static ssf_rc run(ev_st_fn fn, const void *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n) memcpy(copy, p, n);
    memset(out, 0, sizeof *out);
    ssf_rc rc = fn(copy, n, st, out);
    free(copy);
    return rc;
}

static void assert_no_secret(const probe_ev_buf_t *b, const char *secret)
{
    for (size_t i = 0; i < b->n; i++)
        if (strstr(b->items[i].value, secret)) fail_msg("secret in %s", b->items[i].value);
}

static void assert_item_role(const probe_ev_buf_t *b, probe_ev_field f, const char *value,
                             probe_ev_role role)
{
    const probe_ev_t *it = ev_find(b, f);
    if (!it) fail_msg("no %s item", probe_ev_field_name(f));
    assert_string_equal(it->value, value);
    assert_int_equal(it->role, role);
}

/* ---- the table ---- */

static void t_table(void **state)
{
    (void)state;
    size_t n = sig_defcred_count();
    assert_true(n >= 40 && n <= 150);
    for (size_t i = 0; i < n; i++) {
        const sig_defcred_t *r = &sig_defcreds[i];
        assert_true(r->pass[0] != '\0');
        assert_true(r->who[0] != '\0');
        if (i == 0) continue;
        const sig_defcred_t *p = &sig_defcreds[i - 1];
        int c = strcmp(p->proto, r->proto);
        if (!c) c = strcmp(p->user, r->user);
        if (!c) c = strcmp(p->pass, r->pass);
        if (c >= 0) fail_msg("row %zu out of order or duplicate", i);
    }
}

static void t_lookup(void **state)
{
    (void)state;
    const sig_defcred_t *r = sig_defcred_find("http", U("admin"), U("12345"));
    assert_non_null(r); /* an "any" row */
    assert_string_equal(r->proto, "any");
    assert_non_null(strstr(r->who, "Hikvision"));
    r = sig_defcred_find("http", U("admin"), U("public"));
    assert_non_null(r); /* an http row (EMQX's dashboard), not for mqtt */
    assert_string_equal(r->proto, "http");
    assert_null(sig_defcred_find("mqtt", U("admin"), U("public")));
    assert_null(sig_defcred_find("ftp", U("admin"), U("public")));
    assert_null(sig_defcred_find("http", U("admin"), U("123"))); /* a prefix of rows */
    assert_null(sig_defcred_find("http", U("admin"), U("123456x")));
    assert_null(sig_defcred_find("http", U("Admin"), U("12345"))); /* case counts */
    assert_null(sig_defcred_find("http", U("admin"), (const uint8_t *)"", 0));
    assert_non_null(sig_defcred_find("snmp", NULL, 0, U("public")));
    assert_null(sig_defcred_find("snmp", NULL, 0, U("publi")));
    assert_null(sig_defcred_find("ftp", NULL, 0, U("public"))); /* no user: snmp only */
    uint32_t h = sig_defcred_hash(U("loader"));
    r = sig_defcred_find_hashed("ftp", h, U("fwdownload"));
    assert_non_null(r);
    assert_string_equal(r->user, "loader");
    assert_null(sig_defcred_find_hashed("ftp", h, U("fwdownloa")));
    assert_null(sig_defcred_find_hashed("ftp", 0, U("fwdownload")));
    assert_int_not_equal(sig_defcred_hash(NULL, 0), 0);
}

/* ---- HTTP Basic ---- */

static void t_http_basic(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    /* base64("admin:12345") */
    static const char req[] = "GET / HTTP/1.1\r\nHost: cam\r\n"
                              "Authorization: Basic YWRtaW46MTIzNDU=\r\n\r\n";
    assert_int_equal(run(probe_ev_http_st, S(req), &st, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_AUTHORIZATION, "Basic");
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT_TRIED,
                     "http Basic admin (Hikvision (firmware before 5.3), Panasonic)", PROBE_EV_DST);
    assert_no_secret(&b, "12345");
    assert_no_secret(&b, "YWRt");
    assert_int_not_equal(st.tried, 0);
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    assert_int_equal(run(probe_ev_http_st, S(ok), &st, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT,
                     "http Basic admin (Hikvision (firmware before 5.3), Panasonic)", PROBE_EV_SRC);
    assert_int_equal(st.tried, 0);
    /* Refused: 401 clears it, no auth.default. */
    assert_int_equal(run(probe_ev_http_st, S(req), &st, &b), SSF_OK);
    static const char no[] =
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n";
    assert_int_equal(run(probe_ev_http_st, S(no), &st, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    assert_int_equal(st.tried, 0);
    /* A made-up credential: base64("admin:Not-A-Default-9") is not listed. */
    static const char other[] = "GET / HTTP/1.1\r\n"
                                "Authorization: Basic YWRtaW46Tm90LUEtRGVmYXVsdC05\r\n\r\n";
    assert_int_equal(run(probe_ev_http_st, S(other), &st, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    assert_no_secret(&b, "Not-A-Default");
    assert_int_equal(run(probe_ev_http_st, S(ok), &st, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
}

static void t_http_basic_hostile(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    static const char *const bad[] = {
        "GET / HTTP/1.1\r\nAuthorization: Basic\r\n\r\n",
        "GET / HTTP/1.1\r\nAuthorization: Basic    \r\n\r\n",
        "GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW4=\r\n\r\n",         /* "admin": no colon */
        "GET / HTTP/1.1\r\nAuthorization: Basic YWRt!W46MTIzNDU=\r\n\r\n", /* not base64 */
        "GET / HTTP/1.1\r\nAuthorization: Basic ====\r\n\r\n",
        "GET / HTTP/1.1\r\nAuthorization: Basic Og==\r\n\r\n", /* ":" alone */
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(bad); i++) {
        run(probe_ev_http_st, bad[i], strlen(bad[i]), &st, &b);
        assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    }
    /* A token far longer than any default: decoded only up to the bound, then dropped. */
    char big[2048];
    int k = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nAuthorization: Basic ");
    for (int i = 0; i < 1900; i++)
        big[k++] = 'Q';
    memcpy(big + k, "\r\n\r\n", 4);
    k += 4;
    assert_int_equal(run(probe_ev_http_st, big, (size_t)k, &st, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    /* Every cut of a default's request: never a default from a partial token. */
    static const char req[] = "GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW46MTIzNDU=\r\n\r\n";
    for (size_t n = 1; n + 4 < sizeof req - 1; n++) {
        run(probe_ev_http_st, req, n, &st, &b);
        assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    }
}

/* ---- FTP and POP3: USER, then PASS in a later payload ---- */

static void t_ftp(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    assert_int_equal(run(probe_ev_ftp_st, S("USER loader\r\n"), &st, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    assert_int_equal(run(probe_ev_ftp_st, S("331 Password required\r\n"), &st, &b), SSF_OK);
    assert_int_equal(run(probe_ev_ftp_st, S("PASS fwdownload\r\n"), &st, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT_TRIED,
                     "ftp loader (Schneider Electric Modicon Quantum)", PROBE_EV_DST);
    assert_no_secret(&b, "fwdownload");
    assert_int_equal(run(probe_ev_ftp_st, S("230 User logged in.\r\n"), &st, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT, "ftp loader (Schneider Electric Modicon Quantum)",
                     PROBE_EV_SRC);
    /* Refused: a 530 answers it, and nothing is accepted. */
    run(probe_ev_ftp_st, S("USER admin\r\n"), &st, &b);
    run(probe_ev_ftp_st, S("PASS admin\r\n"), &st, &b);
    assert_non_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    run(probe_ev_ftp_st, S("530 Login incorrect.\r\n"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    assert_int_equal(st.tried, 0);
    /* A listed password under another user name, a cut PASS line, and a PASS without a USER. */
    run(probe_ev_ftp_st, S("USER operator7\r\n"), &st, &b);
    run(probe_ev_ftp_st, S("PASS fwdownload\r\n"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    run(probe_ev_ftp_st, S("USER loader\r\n"), &st, &b);
    run(probe_ev_ftp_st, S("PASS fwdown"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    probe_ev_cred_t fresh = {{0, 0}, 0};
    run(probe_ev_ftp_st, S("PASS fwdownload\r\n"), &fresh, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    /* The stateless form never pairs a PASS with anything. */
    assert_int_equal(ev_run(probe_ev_ftp, S("PASS fwdownload\r\n"), &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
}

static void t_pop(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    run(probe_ev_pop_st, S("USER pi\r\n"), &st, &b);
    run(probe_ev_pop_st, S("+OK\r\n"), &st, &b); /* USER's answer: nothing tried yet */
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    run(probe_ev_pop_st, S("PASS raspberry\r\n"), &st, &b);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT_TRIED,
                     "pop3 pi (Raspberry Pi OS (images before April 2022))", PROBE_EV_DST);
    assert_no_secret(&b, "raspberry");
    run(probe_ev_pop_st, S("+OK maildrop locked and ready\r\n"), &st, &b);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT,
                     "pop3 pi (Raspberry Pi OS (images before April 2022))", PROBE_EV_SRC);
    run(probe_ev_pop_st, S("USER pi\r\n"), &st, &b);
    run(probe_ev_pop_st, S("PASS raspberry\r\n"), &st, &b);
    run(probe_ev_pop_st, S("-ERR [AUTH] invalid password\r\n"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    run(probe_ev_pop_st, S("PASS Pop-Own-Pw-3\r\n"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
}

/* ---- IMAP LOGIN: one line, atoms or quoted strings ---- */

static void t_imap(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    run(probe_ev_imap_st, S("a1 LOGIN admin admin1234\r\n"), &st, &b);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT_TRIED, "imap admin (generic)", PROBE_EV_DST);
    run(probe_ev_imap_st, S("a1 OK LOGIN completed\r\n"), &st, &b);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT, "imap admin (generic)", PROBE_EV_SRC);
    /* Quoted strings, with a quoted-pair that undoes to a listed password. */
    run(probe_ev_imap_st, S("a2 LOGIN \"admin\" \"admin\\1234\"\r\n"), &st, &b);
    assert_non_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    run(probe_ev_imap_st, S("a2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"), &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    static const char *const none[] = {
        "a3 LOGIN admin Imap-Own-Pw\r\n",     /* not listed */
        "a3 LOGIN admin {8}\r\n",             /* a literal: not read */
        "a3 LOGIN admin admin1234",           /* cut before CRLF */
        "a3 LOGIN admin admin1234 extra\r\n", /* a third argument */
        "a3 LOGIN \"admin admin1234\r\n",     /* unterminated quote */
        "a3 LOGIN admin\r\n",                 /* no password */
        "a3 LOGIN  admin1234\r\n",            /* empty user */
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(none); i++) {
        run(probe_ev_imap_st, none[i], strlen(none[i]), &st, &b);
        if (ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED)) fail_msg("tried on %s", none[i]);
        assert_no_secret(&b, "admin1234");
    }
    /* An argument past the bound is no default and is not copied past the stack buffer. */
    char big[600];
    int k = snprintf(big, sizeof big, "a4 LOGIN admin \"");
    while (k < 560)
        big[k++] = 'x';
    k += snprintf(big + k, sizeof big - (size_t)k, "\"\r\n");
    run(probe_ev_imap_st, big, (size_t)k, &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
}

/* ---- MQTT CONNECT / CONNACK ---- */

/* A 3.1.1 CONNECT with flags, client id "c", an optional will and user/password. */
static size_t mq_connect(uint8_t *p, uint8_t flags, const char *user, const char *pass)
{
    uint8_t v[256];
    size_t k = 0;
    static const uint8_t hdr[] = {0, 4, 'M', 'Q', 'T', 'T', 4};
    memcpy(v, hdr, sizeof hdr), k = sizeof hdr;
    v[k++] = flags, v[k++] = 0, v[k++] = 60;
    v[k++] = 0, v[k++] = 1, v[k++] = 'c';
    if (flags & 0x04) { /* will topic "t", will message "m" */
        static const uint8_t will[] = {0, 1, 't', 0, 1, 'm'};
        memcpy(v + k, will, sizeof will), k += sizeof will;
    }
    for (int i = 0; i < 2; i++) {
        const char *s = i ? pass : user;
        if (!s) continue;
        v[k++] = 0, v[k++] = (uint8_t)strlen(s);
        memcpy(v + k, s, strlen(s)), k += strlen(s);
    }
    p[0] = 0x10, p[1] = (uint8_t)k;
    memcpy(p + 2, v, k);
    return k + 2;
}

static void t_mqtt(void **state)
{
    (void)state;
    probe_ev_cred_t st = {{0, 0}, 0};
    probe_ev_buf_t b;
    uint8_t p[300];
    static const uint8_t ok[] = {0x20, 2, 0, 0}, refused[] = {0x20, 2, 0, 5};
    size_t n = mq_connect(p, 0xc2, "pi", "raspberry");
    assert_int_equal(run(probe_ev_mqtt_st, p, n, &st, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT_TRIED,
                     "mqtt pi (Raspberry Pi OS (images before April 2022))", PROBE_EV_DST);
    assert_no_secret(&b, "raspberry");
    assert_int_equal(run(probe_ev_mqtt_st, ok, sizeof ok, &st, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_AUTH_DEFAULT,
                     "mqtt pi (Raspberry Pi OS (images before April 2022))", PROBE_EV_SRC);
    /* With a will before the user name; refused by the broker. */
    n = mq_connect(p, 0xc6, "admin", "admin");
    run(probe_ev_mqtt_st, p, n, &st, &b);
    assert_non_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    run(probe_ev_mqtt_st, refused, sizeof refused, &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT));
    /* Not listed; user name alone; and every cut of a default's CONNECT. */
    n = mq_connect(p, 0xc2, "admin", "Mq-Own-Pw-5kz");
    run(probe_ev_mqtt_st, p, n, &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    n = mq_connect(p, 0x82, "pi", NULL);
    run(probe_ev_mqtt_st, p, n, &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    n = mq_connect(p, 0xc2, "pi", "raspberry");
    for (size_t k = 1; k < n; k++) {
        run(probe_ev_mqtt_st, p, k, &st, &b);
        assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
    }
    /* A password length that runs past the packet. */
    n = mq_connect(p, 0xc2, "pi", "raspberry");
    p[n - 10] = 0xff;
    run(probe_ev_mqtt_st, p, n, &st, &b);
    assert_null(ev_find(&b, PROBE_EVF_AUTH_DEFAULT_TRIED));
}

/* ---- SNMP: table communities by name, the rest masked ---- */

static void t_snmp(void **state)
{
    (void)state;
    /* SNMPv2c GetRequest, empty varbind list, community c (X.690 BER, RFC 3416). */
    static const char *const comms[] = {"private", "Plant-Comm-9"};
    for (size_t i = 0; i < 2; i++) {
        uint8_t m[64];
        size_t cl = strlen(comms[i]), k = 0;
        m[k++] = 0x30, m[k++] = (uint8_t)(3 + 2 + cl + 13);
        m[k++] = 0x02, m[k++] = 1, m[k++] = 1;
        m[k++] = 0x04, m[k++] = (uint8_t)cl;
        memcpy(m + k, comms[i], cl), k += cl;
        static const uint8_t pdu[] = {0xa0, 11, 2, 1, 1, 2, 1, 0, 2, 1, 0, 0x30, 0};
        memcpy(m + k, pdu, sizeof pdu), k += sizeof pdu;
        probe_ev_buf_t b;
        assert_int_equal(ev_run(probe_ev_snmp, m, k, &b), SSF_OK);
        ev_assert_item(&b, PROBE_EVF_SNMP_COMMUNITY, i ? "<masked, 12 chars>" : "private");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_table),      cmocka_unit_test(t_lookup),
        cmocka_unit_test(t_http_basic), cmocka_unit_test(t_http_basic_hostile),
        cmocka_unit_test(t_ftp),        cmocka_unit_test(t_pop),
        cmocka_unit_test(t_imap),       cmocka_unit_test(t_mqtt),
        cmocka_unit_test(t_snmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
