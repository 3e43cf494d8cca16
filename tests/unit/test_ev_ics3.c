/* test_ev_ics3.c - the DNP3, IEC 104, OPC UA, MQTT, CoAP and DHCPv6 extractors on payloads
 * built here field by field from the specifications: identity and roles, rejection of other
 * bytes, every cut of each valid sample, and lengths that claim more than is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

/* ---- helpers ---- */

static const probe_ev_t *find_value(const probe_ev_buf_t *b, probe_ev_field f, const char *v)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].field == f && (!v || strcmp(b->items[i].value, v) == 0))
            return &b->items[i];
    return NULL;
}

static size_t count_field(const probe_ev_buf_t *b, probe_ev_field f)
{
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        k += b->items[i].field == f;
    return k;
}

static void assert_item_role(const probe_ev_buf_t *b, probe_ev_field f, const char *value,
                             probe_ev_role role)
{
    const probe_ev_t *it = find_value(b, f, value);
    if (!it) fail_msg("no %s item \"%s\"", probe_ev_field_name(f), value);
    assert_int_equal(it->len, strlen(value));
    assert_int_equal(it->role, role);
}

/* A byte builder: the samples are written field by field, in the specs' own terms. */
typedef struct {
    uint8_t b[2048];
    size_t n;
} bb_t;

static void bb_u8(bb_t *b, uint8_t v)
{
    assert_true(b->n < sizeof b->b);
    b->b[b->n++] = v;
}
static void bb_raw(bb_t *b, const void *p, size_t n)
{
    assert_true(n <= sizeof b->b - b->n);
    memcpy(b->b + b->n, p, n);
    b->n += n;
}
static void bb_text(bb_t *b, const char *s)
{
    bb_raw(b, s, strlen(s));
}
static void bb_u16be(bb_t *b, uint16_t v)
{
    bb_u8(b, (uint8_t)(v >> 8));
    bb_u8(b, (uint8_t)v);
}
static void bb_u16le(bb_t *b, uint16_t v)
{
    bb_u8(b, (uint8_t)v);
    bb_u8(b, (uint8_t)(v >> 8));
}
static void bb_u32le(bb_t *b, uint32_t v)
{
    bb_u16le(b, (uint16_t)v);
    bb_u16le(b, (uint16_t)(v >> 16));
}
static void bb_u32be(bb_t *b, uint32_t v)
{
    bb_u16be(b, (uint16_t)(v >> 16));
    bb_u16be(b, (uint16_t)v);
}

/* ---- DNP3 ---- */

/* CRC-16/DNP (IEEE 1815 section 9.2.5): poly 0x3D65 reflected, init 0, inverted, LSB first. */
static void dnp_crc(bb_t *b, size_t from)
{
    uint16_t crc = 0;
    for (size_t i = from; i < b->n; i++) {
        crc ^= b->b[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA6BC) : (uint16_t)(crc >> 1);
    }
    bb_u16le(b, (uint16_t)~crc);
}

/* One link frame: header, then user data in 16-byte blocks each with its CRC. */
static void dnp_frame(bb_t *b, uint8_t ctrl, uint16_t dst, uint16_t src, const uint8_t *d,
                      size_t dn)
{
    size_t h = b->n;
    bb_u8(b, 0x05);
    bb_u8(b, 0x64);
    bb_u8(b, (uint8_t)(5 + dn));
    bb_u8(b, ctrl);
    bb_u16le(b, dst);
    bb_u16le(b, src);
    dnp_crc(b, h);
    for (size_t i = 0; i < dn; i += 16) {
        size_t k = dn - i < 16 ? dn - i : 16, s = b->n;
        bb_raw(b, d + i, k);
        dnp_crc(b, s);
    }
}

/* Master 3 asks outstation 4 for a cold restart: DIR|PRM, unconfirmed user data (0xC4);
 * transport FIR|FIN; application control FIR|FIN seq 1; function 13. */
static void t_dnp3_request(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    static const uint8_t app[] = {0xc0, 0xc1, 0x0d};
    dnp_frame(&f, 0xc4, 4, 3, app, sizeof app);
    assert_int_equal(f.n, 10 + 3 + 2);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    assert_item_role(&b, PROBE_EVF_DNP3_OUTSTATION, "4", PROBE_EV_DST);
    assert_item_role(&b, PROBE_EVF_DNP3_MASTER, "3", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DNP3_FUNCTION, "13 cold_restart", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_dnp3, f.b, f.n, NULL, 0);
    /* A whole header with cut data still names both ends. */
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, 12, &b), SSF_ETRUNC);
    assert_int_equal(b.n, 2);
}

/* Outstation 1024 answers master 1 with a 20-byte response (two data blocks), then a second
 * frame from the same outstation: an unsolicited response. Neither names a function. */
static void t_dnp3_response(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    uint8_t app[20] = {0xc0, 0xc2, 0x81, 0x00, 0x00, 0x01, 0x02, 0x00};
    dnp_frame(&f, 0x44, 1, 1024, app, sizeof app);
    size_t first = f.n;
    assert_int_equal(first, 10 + 20 + 4);
    static const uint8_t unsol[] = {0xc1, 0xf0, 0x82, 0x00, 0x00};
    dnp_frame(&f, 0x44, 1, 1024, unsol, sizeof unsol);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 1); /* the second frame repeats the address */
    assert_item_role(&b, PROBE_EVF_DNP3_OUTSTATION, "1024", PROBE_EV_SRC);
    assert_null(find_value(&b, PROBE_EVF_DNP3_MASTER, NULL));
    assert_null(find_value(&b, PROBE_EVF_DNP3_FUNCTION, NULL));
    ev_assert_cuts(probe_ev_dnp3, f.b, f.n, &first, 1);
}

/* Function names across the table, an unnamed code, a non-first transport segment, a
 * secondary (link-level) frame, and a broadcast destination. */
static void t_dnp3_functions(void **state)
{
    (void)state;
    static const struct {
        uint8_t fc;
        const char *v;
    } cases[] = {{0, "0 confirm"},
                 {1, "1 read"},
                 {14, "14 warm_restart"},
                 {20, "20 enable_unsolicited"},
                 {33, "33 auth_req_no_ack"},
                 {34, "34"},
                 {0x7f, "127"}};
    probe_ev_buf_t b;
    for (size_t i = 0; i < SSF_ARRAY_LEN(cases); i++) {
        bb_t f = {.n = 0};
        uint8_t app[] = {0xc0, 0xc0, cases[i].fc};
        dnp_frame(&f, 0xc4, 10, 1, app, sizeof app);
        assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
        assert_item_role(&b, PROBE_EVF_DNP3_FUNCTION, cases[i].v, PROBE_EV_SRC);
    }
    bb_t f = {.n = 0};
    uint8_t mid[] = {0x01, 0xc0, 0x0d}; /* not FIR: byte 2 is object data, not a function */
    dnp_frame(&f, 0xc4, 10, 1, mid, sizeof mid);
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
    assert_null(find_value(&b, PROBE_EVF_DNP3_FUNCTION, NULL));
    f.n = 0;
    dnp_frame(&f, 0xc9, 10, 1, NULL, 0); /* request link status */
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    f.n = 0;
    uint8_t rd[] = {0xc0, 0xc0, 0x01};
    dnp_frame(&f, 0xc4, 0xffff, 1, rd, sizeof rd);
    assert_int_equal(ev_run(probe_ev_dnp3, f.b, f.n, &b), SSF_OK);
    assert_null(find_value(&b, PROBE_EVF_DNP3_OUTSTATION, NULL));
    assert_item_role(&b, PROBE_EVF_DNP3_MASTER, "1", PROBE_EV_SRC);
}

static void t_dnp3_rejects(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    static const uint8_t app[] = {0xc0, 0xc1, 0x0d};
    dnp_frame(&f, 0xc4, 4, 3, app, sizeof app);
    probe_ev_buf_t b;
    uint8_t bad[64];
    memcpy(bad, f.b, f.n);
    bad[8] ^= 1; /* header CRC */
    assert_int_equal(ev_run(probe_ev_dnp3, bad, f.n, &b), SSF_EINVAL);
    memcpy(bad, f.b, f.n);
    bad[13] ^= 1; /* data CRC */
    assert_int_equal(ev_run(probe_ev_dnp3, bad, f.n, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_dnp3, "\x05\x65", 2, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_dnp3, "\x05\x64\x04", 3, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_dnp3, "GET / HTTP/1.1\r\n", 16, &b), SSF_EINVAL);
    /* Length 255 (250 data bytes, 16 blocks) claimed by a short payload. */
    bb_t h = {.n = 0};
    bb_raw(&h, "\x05\x64\xff\xc4\x04\x00\x03\x00", 8);
    dnp_crc(&h, 0);
    bb_raw(&h, app, sizeof app);
    assert_int_equal(ev_run(probe_ev_dnp3, h.b, h.n, &b), SSF_ETRUNC);
    /* Junk after a whole frame ends the walk and keeps the frame. */
    memcpy(bad, f.b, f.n);
    memcpy(bad + f.n, "junk", 4);
    assert_int_equal(ev_run(probe_ev_dnp3, bad, f.n + 4, &b), SSF_OK);
    assert_int_equal(b.n, 3);
}

/* ---- IEC 60870-5-104 ---- */

/* An I-format APDU: APCI (send/receive sequence numbers zero), then the ASDU header (type,
 * VSQ one object, COT, originator 0, common address LE) and `obj` information object bytes. */
static void i104_apdu(bb_t *b, uint8_t type, uint8_t cot, uint16_t ca, const uint8_t *obj,
                      size_t on)
{
    bb_u8(b, 0x68);
    bb_u8(b, (uint8_t)(4 + 6 + on));
    bb_raw(b, "\x00\x00\x00\x00", 4);
    bb_u8(b, type);
    bb_u8(b, 0x01);
    bb_u8(b, cot);
    bb_u8(b, 0x00);
    bb_u16le(b, ca);
    bb_raw(b, obj, on);
}

/* M_ME_TF_1 (short float with CP56Time2a): IOA 3 bytes, float 4, QDS 1, time 7. */
static const uint8_t i104_float_obj[15] = {0x01, 0x40, 0x00, 0x00, 0x00, 0x48, 0x42, 0x00,
                                           0x10, 0x27, 0x1e, 0x0c, 0x43, 0x0b, 0x18};

static void t_iec104_monitor(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    bb_raw(&f, "\x68\x04\x07\x00\x00\x00", 6); /* U-format STARTDT act */
    bb_raw(&f, "\x68\x04\x01\x00\x02\x00", 6); /* S-format */
    size_t bound[] = {6, 12, 0, 0};
    i104_apdu(&f, 36, 3, 4660, i104_float_obj, sizeof i104_float_obj); /* spontaneous */
    bound[2] = f.n;
    i104_apdu(&f, 36, 0x03, 4660, i104_float_obj, sizeof i104_float_obj); /* same again */
    bound[3] = f.n;
    i104_apdu(&f, 200, 20, 1, i104_float_obj, 1); /* private type id */
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_iec104, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 4); /* the repeat adds nothing */
    assert_item_role(&b, PROBE_EVF_IEC104_ADDRESS, "4660", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_TYPE, "36 M_ME_TF_1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_ADDRESS, "1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_TYPE, "200", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_iec104, f.b, f.n, bound, SSF_ARRAY_LEN(bound));
}

/* C_SC_NA_1 single command: activation (COT 6) goes to the station, its confirmation (COT 7,
 * here with the P/N bit clear) and termination (10) come from it. */
static void t_iec104_command(void **state)
{
    (void)state;
    static const uint8_t sco[] = {0x1a, 0x27, 0x00, 0x01}; /* IOA 10010, SCS on */
    probe_ev_buf_t b;
    bb_t f = {.n = 0};
    i104_apdu(&f, 45, 6, 1, sco, sizeof sco);
    assert_int_equal(ev_run(probe_ev_iec104, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    assert_item_role(&b, PROBE_EVF_IEC104_ADDRESS, "1", PROBE_EV_DST);
    assert_item_role(&b, PROBE_EVF_IEC104_TYPE, "45 C_SC_NA_1", PROBE_EV_DST);
    /* probes4: the step of the exchange, about the master that sent it. */
    assert_item_role(&b, PROBE_EVF_IEC104_COMMAND, "45 C_SC_NA_1 act", PROBE_EV_SRC);
    f.n = 0;
    i104_apdu(&f, 45, 7, 1, sco, sizeof sco);
    i104_apdu(&f, 100, 0x47, 1, sco, sizeof sco); /* interrogation ActCon, negative */
    assert_int_equal(ev_run(probe_ev_iec104, f.b, f.n, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_IEC104_TYPE, "45 C_SC_NA_1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_TYPE, "100 C_IC_NA_1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_ADDRESS, "1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_IEC104_COMMAND, "45 C_SC_NA_1 actcon positive", PROBE_EV_SRC);
    const probe_ev_t *neg = NULL;
    for (size_t i = 0; i < b.n; i++)
        if (b.items[i].field == PROBE_EVF_IEC104_COMMAND &&
            strcmp(b.items[i].value, "100 C_IC_NA_1 actcon negative") == 0)
            neg = &b.items[i];
    assert_non_null(neg);
    /* A spontaneous (COT 3) ASDU of a command type is not a step of an exchange. */
    f.n = 0;
    i104_apdu(&f, 45, 3, 1, sco, sizeof sco);
    assert_int_equal(ev_run(probe_ev_iec104, f.b, f.n, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_IEC104_COMMAND));
    f.n = 0;
    i104_apdu(&f, 46, 10, 1, sco, sizeof sco);
    assert_int_equal(ev_run(probe_ev_iec104, f.b, f.n, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_IEC104_COMMAND, "46 C_DC_NA_1 actterm", PROBE_EV_SRC);
}

static void t_iec104_rejects(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_iec104, "\x69\x04\x07\x00\x00\x00", 6, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\x03\x07\x00\x00", 5, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\xfe", 2, &b), SSF_EINVAL);
    /* U-format with two functions, S-format with an ASDU, I-format too short for one. */
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\x04\x0f\x00\x00\x00", 6, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\x0a\x01\x00", 4, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\x08\x00\x00", 4, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_iec104, "GET / HTTP/1.1\r\n", 16, &b), SSF_EINVAL);
    /* The largest length, claimed by a short payload. */
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\xfd\x00\x00\x00\x00\x24\x01", 8, &b),
                     SSF_ETRUNC);
    assert_int_equal(b.n, 0);
    /* Junk after a whole APDU ends the walk. */
    assert_int_equal(ev_run(probe_ev_iec104, "\x68\x04\x01\x00\x02\x00junk", 10, &b), SSF_OK);
}

/* ---- MQTT ---- */

/* CONNECT packet: fixed header with a remaining length of one or two octets. */
static void mq_connect(bb_t *f, const char *proto, uint8_t level, uint8_t flags,
                       const uint8_t *props, size_t pn, const char *id, const char *user,
                       const char *pass)
{
    bb_t v = {.n = 0};
    bb_u16be(&v, (uint16_t)strlen(proto));
    bb_text(&v, proto);
    bb_u8(&v, level);
    bb_u8(&v, flags);
    bb_u16be(&v, 60);
    if (props) bb_raw(&v, props, pn);
    bb_u16be(&v, (uint16_t)strlen(id));
    bb_text(&v, id);
    if (user) bb_u16be(&v, (uint16_t)strlen(user)), bb_text(&v, user);
    if (pass) bb_u16be(&v, (uint16_t)strlen(pass)), bb_text(&v, pass);
    bb_u8(f, 0x10);
    if (v.n < 128) {
        bb_u8(f, (uint8_t)v.n);
    } else {
        bb_u8(f, (uint8_t)(0x80 | (v.n & 0x7f)));
        bb_u8(f, (uint8_t)(v.n >> 7));
    }
    bb_raw(f, v.b, v.n);
}

static void assert_no_secret(const probe_ev_buf_t *b, const char *secret)
{
    for (size_t i = 0; i < b->n; i++)
        assert_null(strstr(b->items[i].value, secret));
}

static void t_mqtt_connect(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    mq_connect(&f, "MQTT", 4, 0xc2, NULL, 0, "sensor-17", "operator", "s3cr3t");
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_mqtt, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    assert_item_role(&b, PROBE_EVF_MQTT_CLIENT_ID, "sensor-17", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_VERSION, "3.1.1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_CREDENTIALS, "username+password", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_TRANSPORT, "tcp", PROBE_EV_SRC);
    assert_no_secret(&b, "operator");
    assert_no_secret(&b, "s3cr3t");
    ev_assert_cuts(probe_ev_mqtt, f.b, f.n, NULL, 0);

    f.n = 0;
    mq_connect(&f, "MQIsdp", 3, 0x02, NULL, 0, "old", NULL, NULL);
    assert_int_equal(ev_run(probe_ev_mqtt, f.b, f.n, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_MQTT_VERSION, "3.1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_CREDENTIALS, "none", PROBE_EV_SRC);

    /* 5.0: properties (Session Expiry Interval) before the payload; user name only. */
    static const uint8_t props[] = {0x05, 0x11, 0x00, 0x00, 0x0e, 0x10};
    f.n = 0;
    mq_connect(&f, "MQTT", 5, 0x82, props, sizeof props, "c5", "u", NULL);
    assert_int_equal(ev_run(probe_ev_mqtt, f.b, f.n, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_MQTT_CLIENT_ID, "c5", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_VERSION, "5.0", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_MQTT_CREDENTIALS, "username", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_mqtt, f.b, f.n, NULL, 0);

    /* A 200-byte client id: two-octet remaining length, value cut to the item size. */
    char id[201];
    memset(id, 'a', 200);
    id[200] = 0;
    f.n = 0;
    mq_connect(&f, "MQTT", 4, 0x02, NULL, 0, id, NULL, NULL);
    assert_int_equal(ev_run(probe_ev_mqtt, f.b, f.n, &b), SSF_OK);
    const probe_ev_t *it = find_value(&b, PROBE_EVF_MQTT_CLIENT_ID, NULL);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 1);
    /* An empty client id (the broker assigns one) yields no client_id item. */
    f.n = 0;
    mq_connect(&f, "MQTT", 4, 0x02, NULL, 0, "", NULL, NULL);
    assert_int_equal(ev_run(probe_ev_mqtt, f.b, f.n, &b), SSF_OK);
    assert_null(find_value(&b, PROBE_EVF_MQTT_CLIENT_ID, NULL));
}

static void t_mqtt_connack_and_others(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    /* CONNACK accepted, then a QoS 0 PUBLISH and a PINGRESP in the same payload. */
    static const uint8_t ok[] = {0x20, 0x02, 0x00, 0x00, 0x30, 0x05, 0x00,
                                 0x01, 't',  'h',  'i',  0xd0, 0x00};
    assert_int_equal(ev_run(probe_ev_mqtt, ok, sizeof ok, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    assert_item_role(&b, PROBE_EVF_MQTT_CONNACK, "accepted", PROBE_EV_SRC);
    static const size_t bound[] = {4, 11};
    ev_assert_cuts(probe_ev_mqtt, ok, sizeof ok, bound, 2);
    assert_int_equal(ev_run(probe_ev_mqtt, "\x20\x02\x01\x05", 4, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_MQTT_CONNACK, "refused: 5", PROBE_EV_SRC);
    /* 5.0 CONNACK: reason code 0x87 (not authorized) and an empty property list. */
    assert_int_equal(ev_run(probe_ev_mqtt, "\x20\x03\x00\x87\x00", 5, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_MQTT_CONNACK, "refused: 135", PROBE_EV_SRC);
    /* SUBSCRIBE carries flags 0010. */
    assert_int_equal(ev_run(probe_ev_mqtt, "\x82\x06\x00\x01\x00\x01#\x00", 8, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_mqtt_rejects(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    bb_t f = {.n = 0};
    mq_connect(&f, "MQTT", 4, 0xc2, NULL, 0, "id", "u", "p");
    uint8_t bad[64];
    memcpy(bad, f.b, f.n);
    bad[0] = 0x12; /* CONNECT flags must be 0 */
    assert_int_equal(ev_run(probe_ev_mqtt, bad, f.n, &b), SSF_EINVAL);
    memcpy(bad, f.b, f.n);
    bad[7] = 'X'; /* protocol name MQTX */
    assert_int_equal(ev_run(probe_ev_mqtt, bad, f.n, &b), SSF_EINVAL);
    memcpy(bad, f.b, f.n);
    bad[8] = 9; /* protocol level */
    assert_int_equal(ev_run(probe_ev_mqtt, bad, f.n, &b), SSF_EINVAL);
    memcpy(bad, f.b, f.n);
    bad[9] |= 1; /* reserved connect flag */
    assert_int_equal(ev_run(probe_ev_mqtt, bad, f.n, &b), SSF_EINVAL);
    memcpy(bad, f.b, f.n);
    bad[13] = 0xff; /* client id length past the packet */
    assert_int_equal(ev_run(probe_ev_mqtt, bad, f.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_mqtt, "\x00\x00", 2, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mqtt, "\x30\xff\xff\xff\xff\x01", 6, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mqtt, "GET / HTTP/1.1\r\n", 16, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_mqtt, "\x20\x02\x02\x00", 4, &b), SSF_EINVAL);
    /* The largest remaining length, claimed by a short payload. */
    assert_int_equal(ev_run(probe_ev_mqtt, "\x30\xff\xff\xff\x7f\x00\x01t", 8, &b), SSF_ETRUNC);
}

/* ---- OPC UA binary ---- */

#define UA_NONE "http://opcfoundation.org/UA/SecurityPolicy#None"
#define UA_B256 "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"

/* String / ByteString: Int32 length then bytes; NULL is the null string (-1). */
static void ua_str(bb_t *b, const char *s)
{
    if (!s) {
        bb_u32le(b, 0xffffffffu);
        return;
    }
    bb_u32le(b, (uint32_t)strlen(s));
    bb_text(b, s);
}

/* Message header with the size patched in once the body is written. */
static size_t ua_begin(bb_t *b, const char *type)
{
    size_t at = b->n;
    bb_text(b, type);
    bb_u32le(b, 0);
    return at;
}
static void ua_end(bb_t *b, size_t at)
{
    uint32_t size = (uint32_t)(b->n - at);
    for (int i = 0; i < 4; i++)
        b->b[at + 4 + (size_t)i] = (uint8_t)(size >> (8 * i));
}

/* Four-byte NodeId (namespace 0) of a service's binary encoding. */
static void ua_type(bb_t *b, uint16_t id)
{
    bb_u8(b, 0x01);
    bb_u8(b, 0x00);
    bb_u16le(b, id);
}

static void ua_response_header(bb_t *b)
{
    bb_raw(b, "\x00\x80\x3e\xd5\xde\xb1\x9d\x01", 8); /* timestamp */
    bb_u32le(b, 7);                                   /* request handle */
    bb_u32le(b, 0);                                   /* Good */
    bb_u8(b, 0x00);                                   /* no diagnostics */
    bb_u32le(b, 0xffffffffu);                         /* string table: null */
    bb_raw(b, "\x00\x00\x00", 3);                     /* additional header: none */
}

static void ua_endpoint(bb_t *b, uint32_t mode, const char *policy, int tokens)
{
    ua_str(b, "opc.tcp://plc1:4840");
    ua_str(b, "urn:acme:plc1");           /* ApplicationUri */
    ua_str(b, "http://acme.example/plc"); /* ProductUri */
    bb_u8(b, 0x03);                       /* LocalizedText: locale and text */
    ua_str(b, "en");
    ua_str(b, "Acme PLC");
    bb_u32le(b, 0); /* Server */
    ua_str(b, NULL);
    ua_str(b, NULL);
    bb_u32le(b, 1);
    ua_str(b, "opc.tcp://plc1:4840");
    ua_str(b, NULL); /* server certificate */
    bb_u32le(b, mode);
    ua_str(b, policy);
    bb_u32le(b, (uint32_t)tokens);
    for (int i = 0; i < tokens; i++) {
        ua_str(b, "anonymous");
        bb_u32le(b, 0);
        ua_str(b, NULL);
        ua_str(b, NULL);
        ua_str(b, NULL);
    }
    ua_str(b, "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary");
    bb_u8(b, 0);
}

static void ua_msg_header(bb_t *b, uint16_t type)
{
    bb_u32le(b, 1); /* secure channel id */
    bb_u32le(b, 1); /* token id */
    bb_u32le(b, 3); /* sequence number */
    bb_u32le(b, 2); /* request id */
    ua_type(b, type);
}

static void t_opcua_hello_open(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    size_t at = ua_begin(&f, "HELF");
    bb_u32le(&f, 0);
    bb_u32le(&f, 65536);
    bb_u32le(&f, 65536);
    bb_u32le(&f, 0);
    bb_u32le(&f, 0);
    ua_str(&f, "opc.tcp://plc1:4840/ua");
    ua_end(&f, at);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    assert_item_role(&b, PROBE_EVF_OPCUA_ENDPOINT, "opc.tcp://plc1:4840/ua", PROBE_EV_DST);
    ev_assert_cuts(probe_ev_opcua, f.b, f.n, NULL, 0);

    /* OpenSecureChannel request (policy None, so a clear body) and the response. */
    static const uint16_t types[] = {446, 449};
    for (int i = 0; i < 2; i++) {
        f.n = 0;
        at = ua_begin(&f, "OPNF");
        bb_u32le(&f, 0);
        ua_str(&f, UA_NONE);
        ua_str(&f, NULL);
        ua_str(&f, NULL);
        bb_u32le(&f, 1);
        bb_u32le(&f, 1);
        ua_type(&f, types[i]);
        bb_raw(&f, "\x00\x00\x00\x00", 4);
        ua_end(&f, at);
        assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
        assert_int_equal(b.n, 1);
        assert_item_role(&b, PROBE_EVF_OPCUA_POLICY, "None", i ? PROBE_EV_SRC : PROBE_EV_DST);
        ev_assert_cuts(probe_ev_opcua, f.b, f.n, NULL, 0);
    }
    /* An encrypted body does not parse as a type NodeId: the policy is not attributed. */
    f.n = 0;
    at = ua_begin(&f, "OPNF");
    bb_u32le(&f, 0);
    ua_str(&f, UA_B256);
    ua_str(&f, "cert");
    ua_str(&f, "thumbprint..........");
    bb_raw(&f, "\x9a\x3f\x17\xe2\x55\x01\xc8\x7b\xff\x10\x22", 11);
    ua_end(&f, at);
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_opcua_endpoints(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    size_t at = ua_begin(&f, "ACKF"); /* an ACK first: nothing to say, a boundary */
    for (int i = 0; i < 5; i++)
        bb_u32le(&f, 65536);
    ua_end(&f, at);
    size_t bound = f.n;
    at = ua_begin(&f, "MSGF");
    ua_msg_header(&f, 431); /* GetEndpointsResponse */
    ua_response_header(&f);
    bb_u32le(&f, 2);
    ua_endpoint(&f, 1, UA_NONE, 1);
    ua_endpoint(&f, 3, UA_B256, 0);
    ua_end(&f, at);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 7); /* the application once, two modes, two policies */
    assert_item_role(&b, PROBE_EVF_OPCUA_APP_URI, "urn:acme:plc1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_PRODUCT_URI, "http://acme.example/plc", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_APPLICATION, "Acme PLC", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_MODE, "None", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_MODE, "SignAndEncrypt", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_POLICY, "None", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_POLICY, "Basic256Sha256", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_opcua, f.b, f.n, &bound, 1);

    /* Hostile endpoint count: the walk stops where the bytes do. */
    bb_t h = {.n = 0};
    at = ua_begin(&h, "MSGF");
    ua_msg_header(&h, 431);
    ua_response_header(&h);
    bb_u32le(&h, 0x7fffffff);
    ua_endpoint(&h, 1, UA_NONE, 0);
    ua_end(&h, at);
    assert_int_equal(ev_run(probe_ev_opcua, h.b, h.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A string length past the message. */
    h.n = 0;
    at = ua_begin(&h, "MSGF");
    ua_msg_header(&h, 431);
    ua_response_header(&h);
    bb_u32le(&h, 1);
    bb_u32le(&h, 0x7ffffff0);
    bb_text(&h, "opc.tcp://");
    ua_end(&h, at);
    assert_int_equal(ev_run(probe_ev_opcua, h.b, h.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_opcua_create_session(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    size_t at = ua_begin(&f, "MSGF");
    ua_msg_header(&f, 464); /* CreateSessionResponse */
    /* Response header with diagnostics (symbolic id, additional info, one inner level). */
    bb_raw(&f, "\x00\x80\x3e\xd5\xde\xb1\x9d\x01", 8);
    bb_u32le(&f, 7);
    bb_u32le(&f, 0);
    bb_u8(&f, 0x51);
    bb_u32le(&f, 1);
    ua_str(&f, "info");
    bb_u8(&f, 0x20);
    bb_u32le(&f, 0);
    bb_u32le(&f, 1);
    ua_str(&f, "s");
    bb_raw(&f, "\x00\x00\x00", 3);
    bb_u8(&f, 0x02); /* session id: numeric NodeId, namespace 1 */
    bb_u16le(&f, 1);
    bb_u32le(&f, 0x10001);
    bb_u8(&f, 0x04); /* authentication token: GUID NodeId */
    bb_u16le(&f, 1);
    bb_raw(&f, "0123456789abcdef", 16);
    bb_raw(&f, "\x00\x00\x00\x00\x00\x4c\xed\x40", 8); /* revised timeout (double) */
    ua_str(&f, "nonce-nonce-nonce-nonce-nonce-32");
    ua_str(&f, NULL);
    bb_u32le(&f, 1);
    ua_endpoint(&f, 2, UA_B256, 1);
    bb_u32le(&f, 0xffffffffu); /* software certificates */
    ua_end(&f, at);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
    assert_item_role(&b, PROBE_EVF_OPCUA_MODE, "Sign", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_POLICY, "Basic256Sha256", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_OPCUA_APPLICATION, "Acme PLC", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_opcua, f.b, f.n, NULL, 0);
    /* A request (GetEndpointsRequest) yields nothing. */
    f.n = 0;
    at = ua_begin(&f, "MSGF");
    ua_msg_header(&f, 428);
    ua_end(&f, at);
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_opcua_rejects(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_opcua, "XYZF\x08\x00\x00\x00", 8, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_opcua, "HELC\x08\x00\x00\x00", 8, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_opcua, "ACKF\x04\x00\x00\x00", 8, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_opcua, "MSGF\x00\x00\x00\x20", 8, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_opcua, "HX", 2, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_opcua, "GET / HTTP/1.1\r\n", 16, &b), SSF_EINVAL);
    /* A chunk of a long message: the first bytes are used, the rest is missing. */
    assert_int_equal(ev_run(probe_ev_opcua, "MSGC\x00\x00\x01\x00\x01\x00", 10, &b), SSF_ETRUNC);
    /* Null strings (length -1) where a policy is expected: no item, no pointer arithmetic on
     * NULL (a fuzz find). */
    bb_t o = {.n = 0};
    size_t oat = ua_begin(&o, "OPNF");
    bb_u32le(&o, 0);
    ua_str(&o, NULL);
    ua_str(&o, NULL);
    ua_str(&o, NULL);
    bb_u32le(&o, 1);
    bb_u32le(&o, 1);
    ua_type(&o, 449);
    ua_end(&o, oat);
    assert_int_equal(ev_run(probe_ev_opcua, o.b, o.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Diagnostics nested deeper than we follow make the header unreadable. */
    bb_t f = {.n = 0};
    size_t at = ua_begin(&f, "MSGF");
    ua_msg_header(&f, 431);
    bb_raw(&f, "\x00\x80\x3e\xd5\xde\xb1\x9d\x01", 8);
    bb_u32le(&f, 7);
    bb_u32le(&f, 0);
    for (int i = 0; i < 8; i++)
        bb_u8(&f, 0x40);
    bb_u8(&f, 0x00);
    bb_u32le(&f, 0xffffffffu);
    bb_raw(&f, "\x00\x00\x00", 3);
    bb_u32le(&f, 1);
    ua_endpoint(&f, 1, UA_NONE, 0);
    ua_end(&f, at);
    assert_int_equal(ev_run(probe_ev_opcua, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

/* ---- CoAP ---- */

/* GET /.well-known/core: version 1, confirmable, token length 1; Uri-Path options (11)
 * ".well-known" and "core" (delta 0). */
static const uint8_t coap_get[] = {0x41, 0x01, 0x12, 0x34, 0xaa, 0xbb, '.',  'w', 'e', 'l', 'l',
                                   '-',  'k',  'n',  'o',  'w',  'n',  0x04, 'c', 'o', 'r', 'e'};

static void t_coap_request(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_coap, coap_get, sizeof coap_get, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    assert_item_role(&b, PROBE_EVF_COAP_URI, "/.well-known/core", PROBE_EV_DST);
    static const size_t bound[] = {5, 17};
    ev_assert_cuts(probe_ev_coap, coap_get, sizeof coap_get, bound, 2);

    /* PUT with a 300-byte path segment (length nibble 14), then Size1 (60, delta nibble 13). */
    bb_t f = {.n = 0};
    bb_raw(&f, "\x40\x03\x00\x01", 4);
    bb_u8(&f, 0xbe);
    bb_u16be(&f, 300 - 269);
    for (int i = 0; i < 300; i++)
        bb_u8(&f, 'x');
    bb_u8(&f, 0xd1);
    bb_u8(&f, 60 - 11 - 13);
    bb_u8(&f, 0x10);
    bb_raw(&f, "\xff{}", 3);
    assert_int_equal(ev_run(probe_ev_coap, f.b, f.n, &b), SSF_OK);
    const probe_ev_t *it = find_value(&b, PROBE_EVF_COAP_URI, NULL);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 1);
    assert_int_equal(it->value[0], '/');
    /* An empty ACK and a request with no path say nothing. */
    assert_int_equal(ev_run(probe_ev_coap, "\x60\x00\x12\x34", 4, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_coap, "\x40\x01\x12\x34", 4, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

/* 2.05 Content, Content-Format 40, in link format; a quoted '<' is an attribute value. */
static void t_coap_links(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    bb_raw(&f, "\x61\x45\x12\x34\xaa", 5);
    bb_raw(&f, "\xc1\x28", 2); /* option 12, length 1, value 40 */
    bb_u8(&f, 0xff);
    size_t body = f.n;
    bb_text(&f, "</sensors/temp>;rt=\"a<b>\";if=\"sensor\",</sensors/light>;ct=0,"
                "</.well-known/core>");
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_coap, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    assert_item_role(&b, PROBE_EVF_COAP_RESOURCE, "/sensors/temp", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_COAP_RESOURCE, "/sensors/light", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_COAP_RESOURCE, "/.well-known/core", PROBE_EV_SRC);
    /* Cuts: header and token ETRUNC, whole options OK, a bare marker ETRUNC, any payload OK. */
    for (size_t k = 1; k < f.n; k++) {
        ssf_rc want = (k == 5 || k == 7 || k > body) ? SSF_OK : SSF_ETRUNC;
        assert_int_equal(ev_run(probe_ev_coap, f.b, k, &b), want);
    }
    /* More links than we report. */
    f.n = body;
    for (int i = 0; i < 12; i++)
        bb_text(&f, "</r>,");
    assert_int_equal(ev_run(probe_ev_coap, f.b, f.n, &b), SSF_OK);
    assert_int_equal(count_field(&b, PROBE_EVF_COAP_RESOURCE), 8);
    /* Another content format (0, text/plain) is not link format. */
    f.b[6] = 0x00;
    assert_int_equal(ev_run(probe_ev_coap, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_coap_rejects(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_coap, "\x81\x01\x00\x01", 4, &b), SSF_EINVAL); /* v2 */
    assert_int_equal(ev_run(probe_ev_coap, "\x49\x01\x00\x01", 4, &b), SSF_EINVAL); /* TKL 9 */
    assert_int_equal(ev_run(probe_ev_coap, "\x40\x21\x00\x01", 4, &b), SSF_EINVAL); /* 1.01 */
    assert_int_equal(ev_run(probe_ev_coap, "\x40\xe0\x00\x01", 4, &b), SSF_EINVAL); /* 7.00 */
    assert_int_equal(ev_run(probe_ev_coap, "\x40\x01\x00\x01\xf1x", 6, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_coap, "\x40\x01\x00\x01\x1fx", 6, &b), SSF_EINVAL);
    /* Lengths past the datagram: token, extended option length. */
    assert_int_equal(ev_run(probe_ev_coap, "\x48\x01\x00\x01\xaa", 5, &b), SSF_ETRUNC);
    assert_int_equal(ev_run(probe_ev_coap,
                            "\x40\x01\x00\x01\xbe\xff\xff"
                            "ab",
                            9, &b),
                     SSF_ETRUNC);
    assert_int_equal(b.n, 0);
}

/* ---- DHCPv6 ---- */

/* A Solicit as a Windows client sends it: client id (DUID-LLT), elapsed time, FQDN, vendor
 * class (enterprise 311), vendor options (enterprise 9) and the option request list. */
static size_t d6_solicit(bb_t *f, size_t *bounds)
{
    size_t k = 0;
    bb_raw(f, "\x01\x5a\x1b\x2c", 4);
    bounds[k++] = f->n;
    bb_u16be(f, 1);
    bb_u16be(f, 14);
    bb_raw(f, "\x00\x01\x00\x01\x2a\x3b\x4c\x5d\x02\x00\x5e\x10\x20\x30", 14);
    bounds[k++] = f->n;
    bb_u16be(f, 8);
    bb_u16be(f, 2);
    bb_u16be(f, 0);
    bounds[k++] = f->n;
    bb_u16be(f, 39);
    bb_u16be(f, 18);
    bb_u8(f, 0x00);
    bb_raw(f,
           "\x04host\x07"
           "example\x03"
           "com\x00",
           17);
    bounds[k++] = f->n;
    bb_u16be(f, 16);
    bb_u16be(f, 14);
    bb_u32be(f, 311);
    bb_u16be(f, 8);
    bb_text(f, "MSFT 5.0");
    bounds[k++] = f->n;
    bb_u16be(f, 17);
    bb_u16be(f, 10);
    bb_u32be(f, 9);
    bb_raw(f, "\x00\x01\x00\x02xy", 6);
    bounds[k++] = f->n;
    bb_u16be(f, 6);
    bb_u16be(f, 6);
    bb_raw(f, "\x00\x17\x00\x18\x00\x27", 6);
    return k;
}

static void t_dhcpv6_solicit(void **state)
{
    (void)state;
    bb_t f = {.n = 0};
    size_t bounds[8];
    size_t nb = d6_solicit(&f, bounds);
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
    assert_item_role(&b, PROBE_EVF_DHCPV6_DUID, "000100012a3b4c5d02005e102030", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DHCPV6_FQDN, "host.example.com", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DHCPV6_VENDOR, "311:MSFT 5.0", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DHCPV6_ENTERPRISE, "9", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DHCPV6_FINGERPRINT, "23,24,39", PROBE_EV_SRC);
    ev_assert_cuts(probe_ev_dhcpv6, f.b, f.n, bounds, nb);
    /* The same options in an Advertise (from a server) or Relay-forward say nothing. */
    f.b[0] = 2;
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    f.b[0] = 12;
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Information-request counts as a client message. */
    f.b[0] = 11;
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
}

static void t_dhcpv6_hostile(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_dhcpv6, "\x00\x01\x02\x03", 4, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_dhcpv6, "\xc8\x01\x02\x03", 4, &b), SSF_EINVAL);
    /* An option length of 0xffff in a short message. */
    assert_int_equal(ev_run(probe_ev_dhcpv6, "\x01\x00\x00\x01\x00\x01\xff\xff\x00", 9, &b),
                     SSF_ETRUNC);
    /* FQDN: a label over 63 (or a compression pointer) ends the name; a partial name (no root
     * label) is used as is. ORO of odd length: the stray byte is ignored. */
    bb_t f = {.n = 0};
    bb_raw(&f, "\x03\x00\x00\x01", 4);
    bb_u16be(&f, 39);
    bb_u16be(&f, 10);
    bb_raw(&f, "\x01\x03pc1\xc0\x0c\x00\x00\x00", 10);
    bb_u16be(&f, 6);
    bb_u16be(&f, 3);
    bb_raw(&f, "\x00\x17\x00", 3);
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    assert_item_role(&b, PROBE_EVF_DHCPV6_FQDN, "pc1", PROBE_EV_SRC);
    assert_item_role(&b, PROBE_EVF_DHCPV6_FINGERPRINT, "23", PROBE_EV_SRC);
    /* A 200-byte DUID is cut at a whole byte. */
    f.n = 0;
    bb_raw(&f, "\x01\x00\x00\x01", 4);
    bb_u16be(&f, 1);
    bb_u16be(&f, 200);
    for (int i = 0; i < 200; i++)
        bb_u8(&f, 0xab);
    assert_int_equal(ev_run(probe_ev_dhcpv6, f.b, f.n, &b), SSF_OK);
    const probe_ev_t *it = find_value(&b, PROBE_EVF_DHCPV6_DUID, NULL);
    assert_non_null(it);
    assert_int_equal(it->len, PROBE_EV_VALUE_MAX - 2);
    /* Empty options: nothing to emit, still a whole message. */
    assert_int_equal(
        ev_run(probe_ev_dhcpv6, "\x01\x00\x00\x01\x00\x10\x00\x00\x00\x27\x00\x00", 12, &b),
        SSF_OK);
    assert_int_equal(b.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_dnp3_request),
        cmocka_unit_test(t_dnp3_response),
        cmocka_unit_test(t_dnp3_functions),
        cmocka_unit_test(t_dnp3_rejects),
        cmocka_unit_test(t_iec104_monitor),
        cmocka_unit_test(t_iec104_command),
        cmocka_unit_test(t_iec104_rejects),
        cmocka_unit_test(t_mqtt_connect),
        cmocka_unit_test(t_mqtt_connack_and_others),
        cmocka_unit_test(t_mqtt_rejects),
        cmocka_unit_test(t_opcua_hello_open),
        cmocka_unit_test(t_opcua_endpoints),
        cmocka_unit_test(t_opcua_create_session),
        cmocka_unit_test(t_opcua_rejects),
        cmocka_unit_test(t_coap_request),
        cmocka_unit_test(t_coap_links),
        cmocka_unit_test(t_coap_rejects),
        cmocka_unit_test(t_dhcpv6_solicit),
        cmocka_unit_test(t_dhcpv6_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
