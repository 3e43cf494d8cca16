/* test_ev_ics1.c - probe_ev_modbus and probe_ev_s7 on hand-built payloads: identity from
 * Modbus FC 43/14 and S7comm SZL 0x0011/0x001C answers, S7comm-Plus detection, rejection of
 * other bytes, and every cut of each valid sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

/* ---- Modbus/TCP ---- */

/* MBAP: tid 0x0001, protocol 0, length 0x0048 (unit + 71-byte PDU), unit 17; then FC 43,
 * MEI 14, regular access (2), conformity 0x82, no more, next 0, five objects. */
static const uint8_t mb_devid[] = {
    0x00, 0x01, 0x00, 0x00, 0x00, 0x48, 0x11, 0x2b, 0x0e, 0x02, 0x82, 0x00, 0x00, 0x05, 0x00, 18,
    'S',  'c',  'h',  'n',  'e',  'i',  'd',  'e',  'r',  ' ',  'E',  'l',  'e',  'c',  't',  'r',
    'i',  'c',  0x01, 12,   'B',  'M',  'X',  ' ',  'P',  '3',  '4',  ' ',  '2',  '0',  '2',  '0',
    0x02, 4,    'v',  '2',  '.',  '7',  0x04, 12,   'M',  'o',  'd',  'i',  'c',  'o',  'n',  ' ',
    'M',  '3',  '4',  '0',  0x05, 8,    'P',  '3',  '4',  ' ',  '2',  '0',  '2',  '0',
};

static void t_modbus_devid(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(sizeof mb_devid, 7 + 0x48 - 1);
    assert_int_equal(ev_run(probe_ev_modbus, mb_devid, sizeof mb_devid, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 6);
    ev_assert_item(&b, PROBE_EVF_MODBUS_UNIT, "17");
    ev_assert_item(&b, PROBE_EVF_MODBUS_VENDOR, "Schneider Electric");
    ev_assert_item(&b, PROBE_EVF_MODBUS_PRODUCT_CODE, "BMX P34 2020");
    ev_assert_item(&b, PROBE_EVF_MODBUS_REVISION, "v2.7");
    ev_assert_item(&b, PROBE_EVF_MODBUS_PRODUCT, "Modicon M340");
    ev_assert_item(&b, PROBE_EVF_MODBUS_MODEL, "P34 2020");
    ev_assert_cuts(probe_ev_modbus, mb_devid, sizeof mb_devid, NULL, 0);
}

/* An FC 3 answer (unit 1, one register) and then a one-object FC 43/14 answer (unit 255,
 * VendorUrl 0x03 ignored, vendor kept) in one payload. */
static const uint8_t mb_two[] = {
    0x12, 0x34, 0x00, 0x00, 0x00, 0x05, 0x01, 0x03, 0x02, 0x00, 0x2a, /* FC 3 response */
    0x12, 0x35, 0x00, 0x00, 0x00, 0x12, 0xff, 0x2b, 0x0e, 0x04, 0x01, 0x00,
    0x00, 0x02, 0x03, 0x01, 'x',  0x00, 0x05, 'A',  'c',  'm',  'e',  '!',
};

static void t_modbus_two_frames(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_modbus, mb_two, sizeof mb_two, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 2);
    ev_assert_item(&b, PROBE_EVF_MODBUS_UNIT, "255");
    ev_assert_item(&b, PROBE_EVF_MODBUS_VENDOR, "Acme!");
    static const size_t boundary[] = {11};
    ev_assert_cuts(probe_ev_modbus, mb_two, sizeof mb_two, boundary, 1);
    /* Junk after a whole frame ends the walk without losing the frame. */
    uint8_t junk[sizeof mb_two];
    memcpy(junk, mb_two, sizeof junk);
    junk[11 + 3] = 0x01; /* second frame's protocol id */
    assert_int_equal(ev_run(probe_ev_modbus, junk, sizeof junk, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
}

/* Function codes, each once per payload, about the frame's sender; exceptions keep their
 * code. */
static void t_modbus_functions(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_modbus, mb_two, sizeof mb_two, &b), SSF_OK);
    assert_non_null(ev_find(&b, PROBE_EVF_MODBUS_FUNCTION));
    ev_assert_item(&b, PROBE_EVF_MODBUS_FUNCTION, "3 read_holding_registers");
    assert_int_equal(b.n - ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 2);
    static const uint8_t exc[] = {0x00, 0x07, 0x00, 0x00, 0x00, 0x03, 0x11, 0x90, 0x02,
                                  0x00, 0x08, 0x00, 0x00, 0x00, 0x03, 0x11, 0x90, 0x02};
    assert_int_equal(ev_run(probe_ev_modbus, exc, sizeof exc, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_MODBUS_FUNCTION, "16 write_multiple_registers exception 2");
    static const uint8_t priv[] = {0x00, 0x09, 0x00, 0x00, 0x00, 0x02, 0x01, 0x64};
    assert_int_equal(ev_run(probe_ev_modbus, priv, sizeof priv, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_MODBUS_FUNCTION, "100");
}

/* A client's payload: every item is the server's (role DST), functions marked as asked, and a
 * device identification response's objects would not be read from it. */
static void t_modbus_request_form(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const uint8_t write[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x06,
                                    0x01, 0x06, 0x00, 0x01, 0x00, 0xff};
    assert_int_equal(ev_run(probe_ev_modbus_request, write, sizeof write, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.items[0].field, PROBE_EVF_MODBUS_FUNCTION);
    assert_string_equal(b.items[0].value, "6 write_single_register request");
    assert_int_equal(b.items[0].role, PROBE_EV_DST);
    assert_int_equal(ev_run(probe_ev_modbus, write, sizeof write, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_MODBUS_FUNCTION, "6 write_single_register");
    assert_int_equal(b.items[0].role, PROBE_EV_SRC);
    assert_int_equal(ev_run(probe_ev_modbus_request, mb_devid, sizeof mb_devid, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    ev_assert_cuts(probe_ev_modbus_request, write, sizeof write, NULL, 0);
}

static void t_modbus_exception_and_request(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const uint8_t exc[] = {0x00, 0x07, 0x00, 0x00, 0x00, 0x03, 0x11, 0xab, 0x01};
    assert_int_equal(ev_run(probe_ev_modbus, exc, sizeof exc, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    static const uint8_t req[] = {0x00, 0x08, 0x00, 0x00, 0x00, 0x05, 0x11, 0x2b, 0x0e, 0x02, 0x00};
    assert_int_equal(ev_run(probe_ev_modbus, req, sizeof req, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    /* A response whose objects overrun its PDU yields nothing, not half of it. */
    uint8_t bad[sizeof mb_devid];
    memcpy(bad, mb_devid, sizeof bad);
    bad[13] = 6; /* six objects announced, five present */
    assert_int_equal(ev_run(probe_ev_modbus, bad, sizeof bad, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
}

static void t_modbus_rejects_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    uint8_t bad[sizeof mb_devid];
    memcpy(bad, mb_devid, sizeof bad);
    bad[3] = 0x01; /* protocol id 1 */
    assert_int_equal(ev_run(probe_ev_modbus, bad, sizeof bad, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_modbus, bad, 3, &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_modbus, bad, 4, &b), SSF_EINVAL);
    memcpy(bad, mb_devid, sizeof bad);
    bad[4] = 0x01; /* length 0x143: longer than any PDU */
    assert_int_equal(ev_run(probe_ev_modbus, bad, sizeof bad, &b), SSF_EINVAL);
    memcpy(bad, mb_devid, sizeof bad);
    bad[7] = 0x00; /* function code 0 */
    assert_int_equal(ev_run(probe_ev_modbus, bad, sizeof bad, &b), SSF_EINVAL);
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_modbus, http, sizeof http - 1, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- S7comm ---- */

/* A userdata "CPU functions / Read SZL" response: TPKT, COTP DT, S7 header, 12-byte response
 * parameters, data header, SZL header and entries. Returns the length. */
static size_t s7_szl_build(uint8_t *b, uint16_t szl_id, uint16_t entry_len, const uint8_t *ent,
                           uint16_t count)
{
    size_t szl_len = 8 + (size_t)entry_len * count, dlen = 4 + szl_len;
    size_t total = 4 + 3 + 10 + 12 + dlen;
    uint8_t head[] = {
        0x03,
        0x00,
        (uint8_t)(total >> 8),
        (uint8_t)total, /* TPKT */
        0x02,
        0xf0,
        0x80, /* COTP DT, EOT */
        0x32,
        0x07,
        0x00,
        0x00,
        0x00,
        0x05,
        0x00,
        0x0c,
        (uint8_t)(dlen >> 8),
        (uint8_t)dlen,
        0x00,
        0x01,
        0x12,
        0x08,
        0x12,
        0x84,
        0x01,
        0x01,
        0x00,
        0x00,
        0x00,
        0x00, /* params */
        0xff,
        0x09,
        (uint8_t)(szl_len >> 8),
        (uint8_t)szl_len, /* data header */
        (uint8_t)(szl_id >> 8),
        (uint8_t)szl_id,
        0x00,
        0x00,
        (uint8_t)(entry_len >> 8),
        (uint8_t)entry_len,
        (uint8_t)(count >> 8),
        (uint8_t)count,
    };
    memcpy(b, head, sizeof head);
    memcpy(b + sizeof head, ent, (size_t)entry_len * count);
    return sizeof head + (size_t)entry_len * count;
}

/* SZL 0x0011 records: module (index 1), basic hardware (6), basic firmware (7). */
static const uint8_t szl11[3 * 28] = {
    0x00, 0x01, '6', 'E', 'S', '7', ' ', '3', '1',  '5',  '-',  '2',  'E',  'H',
    '1',  '4',  '-', '0', 'A', 'B', '0', ' ', 0x00, 0xc0, 0x00, 0x04, 0x00, 0x01,
    0x00, 0x06, '6', 'E', 'S', '7', ' ', '3', '1',  '5',  '-',  '2',  'E',  'H',
    '1',  '4',  '-', '0', 'A', 'B', '0', ' ', 0x00, 0xc0, 0x00, 0x04, 0x00, 0x01,
    0x00, 0x07, ' ', ' ', ' ', ' ', ' ', ' ', ' ',  ' ',  ' ',  ' ',  ' ',  ' ',
    ' ',  ' ',  ' ', ' ', ' ', ' ', ' ', ' ', 0x00, 0xc0, 'V',  0x03, 0x02, 0x06,
};

static void t_s7_szl_0011(void **state)
{
    (void)state;
    uint8_t pkt[256];
    probe_ev_buf_t b;
    size_t n = s7_szl_build(pkt, 0x0011, 28, szl11, 3);
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_S7_ORDER, "6ES7 315-2EH14-0AB0");
    ev_assert_item(&b, PROBE_EVF_S7_FIRMWARE, "V3.2.6");
    ev_assert_cuts(probe_ev_s7, pkt, n, NULL, 0);
    /* A hostile entry count only reaches the entries that are there. */
    size_t count_at = n - 3 * 28 - 2;
    if (n < 3 * 28 + 2 || count_at + 2 > sizeof pkt)
        fail_msg("sample too short: %zu", n);
    else
        pkt[count_at] = 0xff, pkt[count_at + 1] = 0xff;
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    /* An entry length that is not the list's yields nothing. */
    n = s7_szl_build(pkt, 0x0011, 27, szl11, 3);
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

/* SZL 0x001C records: index + 32 bytes, NUL-padded. */
static size_t szl1c_entries(uint8_t *e, bool with_module_name)
{
    static const struct {
        uint16_t index;
        const char *text;
    } rec[] = {
        {1, "SNAME_PLC"},        {2, "PLC_1"},
        {3, "Plant-7 / Hall 2"}, {4, "Original Siemens Equipment"},
        {5, "S C-C2UR28922012"}, {7, "CPU 315-2 PN/DP"},
    };
    size_t k = 0;
    for (size_t i = 0; i < sizeof rec / sizeof rec[0]; i++) {
        if (rec[i].index == 2 && !with_module_name) continue;
        uint8_t *p = e + 34 * k++;
        memset(p, 0, 34);
        p[1] = (uint8_t)rec[i].index;
        memcpy(p + 2, rec[i].text, strlen(rec[i].text));
    }
    return k;
}

static void t_s7_szl_001c(void **state)
{
    (void)state;
    uint8_t ent[6 * 34], pkt[512];
    probe_ev_buf_t b;
    size_t k = szl1c_entries(ent, true);
    size_t n = s7_szl_build(pkt, 0x001c, 34, ent, (uint16_t)k);
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_S7_NAME, "SNAME_PLC");
    ev_assert_item(&b, PROBE_EVF_S7_MODULE, "PLC_1");
    ev_assert_item(&b, PROBE_EVF_S7_PLANT_ID, "Plant-7 / Hall 2");
    ev_assert_item(&b, PROBE_EVF_S7_SERIAL, "S C-C2UR28922012");
    ev_assert_cuts(probe_ev_s7, pkt, n, NULL, 0);
    /* Without a module name, the module type name stands in. */
    k = szl1c_entries(ent, false);
    n = s7_szl_build(pkt, 0x001c, 34, ent, (uint16_t)k);
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_S7_MODULE, "CPU 315-2 PN/DP");
}

/* S7comm-Plus frames (TIA portal to an S7-1200): two in one payload, one item. */
static const uint8_t s7plus[] = {
    0x03, 0x00, 0x00, 0x13, 0x02, 0xf0, 0x80, 0x72, 0x01, 0x00, 0x04,
    0x31, 0x00, 0x00, 0x04, 0x72, 0x01, 0x00, 0x00,                   /* frame 1 */
    0x03, 0x00, 0x00, 0x0b, 0x02, 0xf0, 0x80, 0x72, 0x02, 0x00, 0x00, /* frame 2 */
};

/* An S7-1200's CreateObject response in miniature: attribute 0x823f holding a WString
 * (flags 0x00, type 0x15, length) "1;<order number> ;<firmware>", as in the corpus trace. */
static size_t s7plus_ident_build(uint8_t *b, const char *text)
{
    static const uint8_t head[] = {0x03, 0x00, 0x00, 0x00, 0x02, 0xf0, 0x80, 0x72, 0x01, 0x00,
                                   0x00, 0x32, 0x00, 0x00, 0x04, 0xca, 0x82, 0x3f, 0x00, 0x15};
    size_t len = strlen(text), n = sizeof head;
    memcpy(b, head, n);
    b[n++] = (uint8_t)len;
    memcpy(b + n, text, len);
    n += len;
    memcpy(b + n, "\x72\x01\x00\x00", 4);
    n += 4;
    b[3] = (uint8_t)n;
    b[10] = (uint8_t)(n - 11 - 4);
    return n;
}

static void t_s7_plus(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_s7, s7plus, sizeof s7plus, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_S7_PLUS, "S7comm-Plus");
    static const size_t boundary[] = {0x13};
    ev_assert_cuts(probe_ev_s7, s7plus, sizeof s7plus, boundary, 1);

    /* An empty DT (S7comm-Plus sends them between requests) is stepped over, not rejected. */
    uint8_t pkt[128] = {0x03, 0x00, 0x00, 0x07, 0x02, 0xf0, 0x00};
    assert_int_equal(ev_run(probe_ev_s7, pkt, 7, &b), SSF_EINVAL);
    memcpy(pkt + 7, s7plus, sizeof s7plus);
    assert_int_equal(ev_run(probe_ev_s7, pkt, 7 + sizeof s7plus, &b), SSF_OK);
    assert_int_equal(b.n, 1);

    size_t n = s7plus_ident_build(pkt, "1;6ES7 211-1BE31-0XB0 ;V3.0");
    assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_S7_PLUS, "S7comm-Plus");
    ev_assert_item(&b, PROBE_EVF_S7_ORDER, "6ES7 211-1BE31-0XB0");
    ev_assert_item(&b, PROBE_EVF_S7_FIRMWARE, "V3.0");
    ev_assert_cuts(probe_ev_s7, pkt, n, NULL, 0);
    /* Strings of another shape are not taken for identity. */
    static const char *const other[] = {"SIMATIC-ROOT-HMI", "x;6ES7 211;V3.0", "1;6ES7 211;3.0",
                                        "1;6ES7 21;V3.0", "1;6ES7 211;V3;0"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        n = s7plus_ident_build(pkt, other[i]);
        assert_int_equal(ev_run(probe_ev_s7, pkt, n, &b), SSF_OK);
        assert_int_equal(b.n, 1);
    }
}

/* The client's side: a COTP CR asking for an HMI's TSAP, and a CreateObject request whose
 * attribute 301 names the client application. Neither says "S7comm-Plus" about the client. */
static void t_s7_plus_client(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const uint8_t cr[] = {0x03, 0x00, 0x00, 0x24, 0x1f, 0xe0, 0x00, 0x00, 0x00,
                                 0x01, 0x00, 0xc1, 0x02, 0x06, 0x00, 0xc2, 0x10, 'S',
                                 'I',  'M',  'A',  'T',  'I',  'C',  '-',  'R',  'O',
                                 'O',  'T',  '-',  'H',  'M',  'I',  0xc0, 0x01, 0x0a};
    assert_int_equal(ev_run(probe_ev_s7, cr, sizeof cr, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_S7_CLIENT, "SIMATIC-ROOT-HMI");
    ev_assert_cuts(probe_ev_s7, cr, sizeof cr, NULL, 0);

    static const uint8_t req[] = {0x03, 0x00, 0x00, 0x25, 0x02, 0xf0, 0x80, 0x72, 0x01, 0x00,
                                  0x15, 0x31, 0x00, 0x00, 0x04, 0xca, 0xa3, 0x82, 0x2d, 0x00,
                                  0x15, 0x0d, 'S',  'M',  'A',  'R',  'T',  ' ',  'R',  'u',
                                  'n',  't',  'i',  'm',  'e',  0x00, 0x00};
    assert_int_equal(ev_run(probe_ev_s7, req, sizeof req, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_S7_CLIENT, "SMART Runtime");
    ev_assert_cuts(probe_ev_s7, req, sizeof req, NULL, 0);
}

/* MMS over the same ISO-on-TCP: a session DATA TRANSFER, then an Identify response. */
static void t_mms(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const uint8_t id[] = {0x03, 0x00, 0x00, 0x28, 0x02, 0xf0, 0x80, 0x01, 0x00, 0x01,
                                 0x00, 0x61, 0x1c, 0xa1, 0x1a, 0x02, 0x01, 0x07, 0xa2, 0x14,
                                 0x80, 0x03, 'A',  'B',  'B',  0x81, 0x08, 'R',  'E',  'F',
                                 '6',  '1',  '5',  ' ',  'A',  0x82, 0x03, '5',  '.',  '0'};
    assert_int_equal(ev_run(probe_ev_mms, id, sizeof id, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_MMS_VENDOR, "ABB");
    ev_assert_item(&b, PROBE_EVF_MMS_MODEL, "REF615 A");
    ev_assert_item(&b, PROBE_EVF_MMS_REVISION, "5.0");
    ev_assert_cuts(probe_ev_mms, id, sizeof id, NULL, 0);
    /* Lengths that do not add up are not an Identify response, but still MMS. */
    uint8_t bad[sizeof id];
    memcpy(bad, id, sizeof bad);
    bad[19] = 0x13;
    assert_int_equal(ev_run(probe_ev_mms, bad, sizeof bad, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* S7 on port 102 is not MMS, and MMS is not S7. */
    assert_int_equal(ev_run(probe_ev_mms, s7plus, sizeof s7plus, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_s7, id, sizeof id, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mms, "\x03\x00\x00\x07\x02\xf0\x80", 7, &b), SSF_EINVAL);
}

static void t_s7_request_and_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    /* The Read SZL request itself: userdata, type 4 (request), 4-byte parameters. */
    static const uint8_t req[] = {0x03, 0x00, 0x00, 0x21, 0x02, 0xf0, 0x80, 0x32, 0x07, 0x00, 0x00,
                                  0x00, 0x01, 0x00, 0x08, 0x00, 0x08, 0x00, 0x01, 0x12, 0x04, 0x11,
                                  0x44, 0x01, 0x00, 0xff, 0x09, 0x00, 0x04, 0x00, 0x11, 0x00, 0x00};
    assert_int_equal(ev_run(probe_ev_s7, req, sizeof req, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* MMS over the same TPKT/COTP: ISO session bytes where S7 would start. */
    static const uint8_t mms[] = {0x03, 0x00, 0x00, 0x0f, 0x02, 0xf0, 0x80, 0x01,
                                  0x00, 0x01, 0x00, 0x61, 0x02, 0x30, 0x00};
    assert_int_equal(ev_run(probe_ev_s7, mms, sizeof mms, &b), SSF_EINVAL);
    /* A COTP connection request carries no S7 PDU. */
    static const uint8_t cr[] = {0x03, 0x00, 0x00, 0x0b, 0x06, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00};
    assert_int_equal(ev_run(probe_ev_s7, cr, sizeof cr, &b), SSF_EINVAL);
    /* S7 lengths that overrun a whole TPKT frame, an unknown ROSCTR, and not TPKT at all. */
    uint8_t bad[sizeof req];
    memcpy(bad, req, sizeof bad);
    bad[16] = 0x09;
    assert_int_equal(ev_run(probe_ev_s7, bad, sizeof bad, &b), SSF_EINVAL);
    memcpy(bad, req, sizeof bad);
    bad[8] = 0x05;
    assert_int_equal(ev_run(probe_ev_s7, bad, sizeof bad, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_s7, "\x03\x01", 2, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_s7, "GET / HTTP/1.1\r\n", 16, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_modbus_devid),
        cmocka_unit_test(t_modbus_two_frames),
        cmocka_unit_test(t_modbus_functions),
        cmocka_unit_test(t_modbus_request_form),
        cmocka_unit_test(t_modbus_exception_and_request),
        cmocka_unit_test(t_modbus_rejects_other),
        cmocka_unit_test(t_s7_szl_0011),
        cmocka_unit_test(t_s7_szl_001c),
        cmocka_unit_test(t_s7_plus),
        cmocka_unit_test(t_s7_plus_client),
        cmocka_unit_test(t_s7_request_and_other),
        cmocka_unit_test(t_mms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
