/* test_ev_watch.c - the plant protocols' watch predicates (probe_ev_<proto>_watch in
 * probes/ev_modbus.c, ev_s7.c, ev_dnp3.c, ev_iec104.c, ev_enip.c) on PDUs built here from the
 * protocol specifications. For every function code of each protocol: true exactly for the
 * codes that change a device (the lists below, written from the specifications, not from the
 * predicates), false for reads and polls; false for every proper prefix; and whenever a
 * predicate says true, the extractor reports the function the weak-point rules read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

typedef bool (*watch_fn)(const uint8_t *p, size_t n);

/* Runs a predicate on an exact-size heap copy, so ASan sees any read past n. */
static bool watch_run(watch_fn fn, const uint8_t *p, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n) memcpy(copy, p, n);
    bool r = fn(copy, n);
    free(copy);
    return r;
}

/* No proper prefix of a PDU is watched: the extractors report nothing from a cut frame. */
static void assert_prefixes_false(watch_fn fn, const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (watch_run(fn, p, k)) fail_msg("prefix %zu of %zu watched", k, n);
}

static bool in_list(const uint8_t *list, size_t n, unsigned v)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == v) return true;
    return false;
}

/* Some item of the buffer has exactly this value. */
static bool has_value(const probe_ev_buf_t *b, const char *value)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->items[i].value, value)) return true;
    return false;
}

typedef struct {
    uint8_t b[256];
    size_t n;
} pdu_t;

static void put(pdu_t *d, const uint8_t *p, size_t n)
{
    assert_true(d->n + n <= sizeof d->b);
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

static void put8(pdu_t *d, uint8_t v)
{
    put(d, &v, 1);
}

static void put16be(pdu_t *d, uint16_t v)
{
    put8(d, (uint8_t)(v >> 8)), put8(d, (uint8_t)v);
}

static void put16le(pdu_t *d, uint16_t v)
{
    put8(d, (uint8_t)v), put8(d, (uint8_t)(v >> 8));
}

/* ---- Modbus/TCP (Modbus Messaging on TCP/IP v1.0b; Application Protocol v1.1b3) ---- */

/* Writes (5, 6, 15, 16, 22, 23) and write file record (21); diagnostics (8) by sub-function,
 * below (the sub-function 0x0010 mb_frame writes is a counter read). */
static const uint8_t mb_watched[] = {5, 6, 15, 16, 21, 22, 23};

/* MBAP (transaction 1, protocol 0, length, unit 1) and a PDU: fc and four bytes (address and
 * quantity or value), the shape of most requests. */
static void mb_frame(pdu_t *d, uint8_t fc)
{
    static const uint8_t body[] = {0x00, 0x10, 0x00, 0x01};
    put16be(d, 1), put16be(d, 0), put16be(d, 2 + sizeof body), put8(d, 1), put8(d, fc);
    put(d, body, sizeof body);
}

static void t_modbus_codes(void **state)
{
    (void)state;
    for (unsigned fc = 1; fc < 256; fc++) {
        pdu_t d = {.n = 0};
        mb_frame(&d, (uint8_t)fc);
        /* Report Server ID (17) too, but not its exception: t_modbus_identification. */
        bool want = in_list(mb_watched, sizeof mb_watched, fc & 0x7f) || fc == 17;
        if (watch_run(probe_ev_modbus_watch, d.b, d.n) != want) fail_msg("fc %u", fc);
        assert_prefixes_false(probe_ev_modbus_watch, d.b, d.n);
        if (!want) continue;
        probe_ev_buf_t out;
        assert_int_equal(ev_run(probe_ev_modbus, d.b, d.n, &out), SSF_OK);
        assert_non_null(ev_find(&out, PROBE_EVF_MODBUS_FUNCTION));
    }
}

/* Diagnostics: restart communications (1), change ASCII delimiter (3), force listen only (4),
 * clear counters (10), clear overrun counter (20) change the server; Return Query Data (0), the
 * echo masters poll with, and the counter reads do not. An exception names no sub-function. */
static void t_modbus_diagnostics(void **state)
{
    (void)state;
    static const uint8_t changing[] = {1, 3, 4, 10, 20};
    for (unsigned sub = 0; sub < 0x200; sub++) {
        pdu_t d = {.n = 0};
        put16be(&d, 9), put16be(&d, 0), put16be(&d, 6), put8(&d, 1), put8(&d, 8);
        put16be(&d, (uint16_t)sub), put16be(&d, 0xff00);
        bool want = sub < 256 && in_list(changing, sizeof changing, sub);
        if (watch_run(probe_ev_modbus_watch, d.b, d.n) != want) fail_msg("sub-function %u", sub);
        assert_prefixes_false(probe_ev_modbus_watch, d.b, d.n);
        d.b[7] = 0x88;
        assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    }
}

/* Read Device Identification (43, MEI type 14; Application Protocol 6.21) is let through at
 * any time, as Report Server ID is: a tool may ask a PLC who it is in a connection the worker
 * stopped reading early. Other MEI types (13, CANopen) and exceptions are not. */
static void t_modbus_identification(void **state)
{
    (void)state;
    pdu_t d = {.n = 0};
    put16be(&d, 7), put16be(&d, 0), put16be(&d, 5), put8(&d, 1);
    put8(&d, 0x2B), put8(&d, 0x0E), put8(&d, 0x01), put8(&d, 0x00); /* basic, from VendorName */
    assert_true(watch_run(probe_ev_modbus_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_modbus_watch, d.b, d.n);
    d.b[8] = 0x0D;
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    d.b[7] = 0xAB, d.b[8] = 0x01; /* exception: illegal function */
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    d.b[7] = 0x91;
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
}

/* An HMI's read of holding registers followed, in the same segment, by a write of one
 * register: the write is found behind the poll; the poll alone, or twice, is not watched. */
static void t_modbus_frames(void **state)
{
    (void)state;
    pdu_t d = {.n = 0};
    mb_frame(&d, 3);
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    mb_frame(&d, 3);
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    mb_frame(&d, 6);
    assert_true(watch_run(probe_ev_modbus_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_modbus_watch, d.b, d.n);
    /* A protocol id other than 0, or a length out of range, is not Modbus. */
    d.n = 0, mb_frame(&d, 6), d.b[3] = 1;
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
    d.n = 0, mb_frame(&d, 6), d.b[5] = 1;
    assert_false(watch_run(probe_ev_modbus_watch, d.b, d.n));
}

/* ---- S7comm (TPKT RFC 1006, COTP ISO 8073 DT, S7 header) ---- */

/* Write var, request download, download block, download ended, start upload, upload, end
 * upload, PI service, PLC stop; read var (0x04) and the others are not. */
static const uint8_t s7_watched[] = {0x05, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x28, 0x29};

static void s7_tpkt_dt(pdu_t *d, size_t s7_len)
{
    put8(d, 3), put8(d, 0), put16be(d, (uint16_t)(4 + 3 + s7_len));
    put8(d, 2), put8(d, 0xf0), put8(d, 0x80); /* COTP DT, last data unit */
}

/* A job (ROSCTR 1) or ACK_DATA (3, error class and code 0) with a 2-byte parameter block. */
static void s7_pdu(pdu_t *d, uint8_t rosctr, uint8_t fn)
{
    size_t hdr = rosctr == 3 ? 12 : 10;
    s7_tpkt_dt(d, hdr + 2);
    put8(d, 0x32), put8(d, rosctr), put16be(d, 0), put16be(d, 0x0100), put16be(d, 2);
    put16be(d, 0);
    if (rosctr == 3) put16be(d, 0);
    put8(d, fn), put8(d, 0);
}

static void t_s7_codes(void **state)
{
    (void)state;
    for (unsigned rosctr = 1; rosctr <= 7; rosctr++) {
        for (unsigned fn = 0; fn < 256; fn++) {
            pdu_t d = {.n = 0};
            s7_pdu(&d, (uint8_t)rosctr, (uint8_t)fn);
            bool want = (rosctr == 1 || rosctr == 3) && in_list(s7_watched, sizeof s7_watched, fn);
            if (watch_run(probe_ev_s7_watch, d.b, d.n) != want)
                fail_msg("rosctr %u fn 0x%02x", rosctr, fn);
            assert_prefixes_false(probe_ev_s7_watch, d.b, d.n);
            if (!want) continue;
            probe_ev_buf_t out;
            assert_int_equal(ev_run(probe_ev_s7, d.b, d.n, &out), SSF_OK);
            assert_non_null(ev_find(&out, PROBE_EVF_S7_FUNCTION));
        }
    }
}

/* A PLC stop accepted behind a read var reply, in one payload; a COTP connection request and
 * a bare TPKT are not watched. */
static void t_s7_frames(void **state)
{
    (void)state;
    pdu_t d = {.n = 0};
    s7_pdu(&d, 3, 0x04);
    assert_false(watch_run(probe_ev_s7_watch, d.b, d.n));
    s7_pdu(&d, 3, 0x29);
    assert_true(watch_run(probe_ev_s7_watch, d.b, d.n));
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_s7, d.b, d.n, &out), SSF_OK);
    assert_true(has_value(&out, "0x29 plc_stop reply: ok"));
    static const uint8_t cr[] = {3, 0, 0, 11, 6, 0xe0, 0, 0, 0, 1, 0};
    assert_false(watch_run(probe_ev_s7_watch, cr, sizeof cr));
    /* The parameter length says 0: no function to read. */
    d.n = 0, s7_pdu(&d, 1, 0x05), d.b[7 + 6] = 0, d.b[7 + 7] = 0;
    assert_false(watch_run(probe_ev_s7_watch, d.b, d.n));
}

/* S7comm-Plus: 0x72, version, length, opcode (0x31 request, 0x32 response), 2 reserved bytes,
 * function. CreateObject, DeleteObject, SetVariable, SetMultiVariables, SetVarSubStreamed are
 * watched; Explore, GetMultiVariables are not. */
static void s7p_pdu(pdu_t *d, uint8_t version, uint8_t opcode, uint16_t fn)
{
    size_t digest = version == 3 ? 33 : 0;
    s7_tpkt_dt(d, 4 + digest + 5 + 4);
    put8(d, 0x72), put8(d, version), put16be(d, (uint16_t)(digest + 5 + 4));
    if (digest) {
        put8(d, 0x20);
        for (int i = 0; i < 32; i++)
            put8(d, 0xa5);
    }
    put8(d, opcode), put16be(d, 0), put16be(d, fn), put16be(d, 0), put16be(d, 1);
}

static void t_s7plus(void **state)
{
    (void)state;
    static const uint16_t yes[] = {0x04CA, 0x04D4, 0x04F2, 0x0542, 0x057C};
    static const uint16_t no[] = {0x04BB, 0x04FC, 0x054C, 0x0556, 0x0586};
    for (uint8_t version = 1; version <= 3; version++) {
        for (uint8_t op = 0x31; op <= 0x33; op++) {
            for (size_t i = 0; i < SSF_ARRAY_LEN(yes); i++) {
                pdu_t d = {.n = 0};
                s7p_pdu(&d, version, op, yes[i]);
                assert_int_equal(watch_run(probe_ev_s7_watch, d.b, d.n), op != 0x33);
                assert_prefixes_false(probe_ev_s7_watch, d.b, d.n);
            }
            for (size_t i = 0; i < SSF_ARRAY_LEN(no); i++) {
                pdu_t d = {.n = 0};
                s7p_pdu(&d, version, op, no[i]);
                assert_false(watch_run(probe_ev_s7_watch, d.b, d.n));
            }
        }
    }
}

/* ---- DNP3 (IEEE 1815-2012: link frame, transport, application) ---- */

/* Write, select, operate, direct operate (with and without ack), cold and warm restart,
 * initialize data, initialize / start / stop application, save configuration, enable and
 * disable unsolicited, open / close / delete / abort file, activate configuration. */
static const uint8_t dnp_watched[] = {2,  3,  4,  5,  6,  13, 14, 15, 16, 17,
                                      18, 19, 20, 21, 25, 26, 27, 30, 31};

/* CRC-16/DNP (IEEE 1815 clause 9.2.6): polynomial 0x3D65 reflected, initial 0, complemented,
 * low byte first. */
static void put_dnp_crc(pdu_t *d, const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA6BC) : (uint16_t)(crc >> 1);
    }
    crc = (uint16_t)~crc;
    put16le(d, crc);
}

/* One link frame of unconfirmed user data: control DIR|PRM|4 from the master (0xC4) or PRM|4
 * from the outstation (0x44), destination 10, source 1, then transport FIR|FIN, application
 * control FIR|FIN and fc, in one block. */
static void dnp_frame(pdu_t *d, bool from_master, uint8_t fc)
{
    size_t at = d->n;
    put8(d, 0x05), put8(d, 0x64), put8(d, 5 + 3), put8(d, from_master ? 0xC4 : 0x44);
    put16le(d, 10), put16le(d, 1);
    put_dnp_crc(d, d->b + at, 8);
    size_t ud = d->n;
    put8(d, 0xC0), put8(d, 0xC0), put8(d, fc);
    put_dnp_crc(d, d->b + ud, 3);
}

static void t_dnp3_codes(void **state)
{
    (void)state;
    for (unsigned fc = 0; fc < 256; fc++) {
        for (int master = 0; master <= 1; master++) {
            pdu_t d = {.n = 0};
            dnp_frame(&d, master, (uint8_t)fc);
            bool want = master && in_list(dnp_watched, sizeof dnp_watched, fc);
            if (watch_run(probe_ev_dnp3_watch, d.b, d.n) != want)
                fail_msg("fc %u master %d", fc, master);
            assert_prefixes_false(probe_ev_dnp3_watch, d.b, d.n);
            if (!want) continue;
            probe_ev_buf_t out;
            assert_int_equal(ev_run(probe_ev_dnp3, d.b, d.n, &out), SSF_OK);
            assert_non_null(ev_find(&out, PROBE_EVF_DNP3_FUNCTION));
        }
    }
}

/* A read (class poll) then a cold restart in one payload; a later segment of a fragment
 * (transport without FIR) says nothing about its function. */
static void t_dnp3_frames(void **state)
{
    (void)state;
    pdu_t d = {.n = 0};
    dnp_frame(&d, true, 1);
    assert_false(watch_run(probe_ev_dnp3_watch, d.b, d.n));
    dnp_frame(&d, true, 13);
    assert_true(watch_run(probe_ev_dnp3_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_dnp3_watch, d.b, d.n);
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_dnp3, d.b, d.n, &out), SSF_OK);
    assert_true(has_value(&out, "13 cold_restart"));
    d.n = 0, dnp_frame(&d, true, 13), d.b[10] = 0x81; /* transport: FIN only, sequence 1 */
    assert_false(watch_run(probe_ev_dnp3_watch, d.b, d.n));
}

/* ---- IEC 60870-5-104 (APCI, ASDU of IEC 60870-5-101) ---- */

/* Process commands 45-51 and 58-64, clock synchronisation 103, reset process 105. */
static const uint8_t i104_watched[] = {45, 46, 47, 48, 49, 50, 51,  58,
                                       59, 60, 61, 62, 63, 64, 103, 105};

/* An I-format APDU: start, length, send and receive sequence numbers, then type, one object,
 * cause activation, originator 0, common address 1, IOA 0x000001 and one element byte. */
static void i104_apdu(pdu_t *d, uint8_t type)
{
    put8(d, 0x68), put8(d, 4 + 6 + 3 + 1), put16le(d, 0), put16le(d, 0);
    put8(d, type), put8(d, 1), put8(d, 6), put8(d, 0), put16le(d, 1);
    put8(d, 1), put8(d, 0), put8(d, 0), put8(d, 0x01);
}

static void t_iec104_codes(void **state)
{
    (void)state;
    for (unsigned type = 0; type < 256; type++) {
        pdu_t d = {.n = 0};
        i104_apdu(&d, (uint8_t)type);
        bool want = in_list(i104_watched, sizeof i104_watched, type);
        if (watch_run(probe_ev_iec104_watch, d.b, d.n) != want) fail_msg("type %u", type);
        assert_prefixes_false(probe_ev_iec104_watch, d.b, d.n);
        if (!want) continue;
        probe_ev_buf_t out;
        assert_int_equal(ev_run(probe_ev_iec104, d.b, d.n, &out), SSF_OK);
        assert_non_null(ev_find(&out, PROBE_EVF_IEC104_TYPE));
    }
}

/* S-format acknowledgements and a general interrogation, then a single command; a U-format
 * TESTFR alone is not watched. */
static void t_iec104_frames(void **state)
{
    (void)state;
    static const uint8_t s_ack[] = {0x68, 0x04, 0x01, 0x00, 0x02, 0x00};
    static const uint8_t testfr[] = {0x68, 0x04, 0x43, 0x00, 0x00, 0x00};
    assert_false(watch_run(probe_ev_iec104_watch, testfr, sizeof testfr));
    pdu_t d = {.n = 0};
    put(&d, s_ack, sizeof s_ack);
    i104_apdu(&d, 100);
    assert_false(watch_run(probe_ev_iec104_watch, d.b, d.n));
    i104_apdu(&d, 45);
    assert_true(watch_run(probe_ev_iec104_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_iec104_watch, d.b, d.n);
}

/* ---- EtherNet/IP explicit messages (CIP Vol. 2 chapter 2, Vol. 1 appendix A) ---- */

/* Set attributes all / list / single, reset, start, stop, create, delete, restore, set member,
 * and the Logix tag writes (write tag, read-modify-write tag, write tag fragmented). */
static const uint8_t cip_watched[] = {0x02, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                      0x10, 0x15, 0x19, 0x4D, 0x4E, 0x53};

/* SendRRData (0x6F) or SendUnitData (0x70): header, interface handle, timeout, two CPF items
 * (a null or connected address, then an unconnected or connected data item) around cip. */
static void enip_msg(pdu_t *d, uint16_t cmd, const uint8_t *cip, size_t n)
{
    bool connected = cmd == 0x70;
    size_t data = n + (connected ? 2 : 0), addr = connected ? 4 : 0;
    size_t body = 4 + 2 + 2 + 4 + addr + 4 + data;
    put16le(d, cmd), put16le(d, (uint16_t)body);
    for (int i = 0; i < 20; i++)
        put8(d, 0); /* session, status, context, options */
    put16le(d, 0), put16le(d, 0), put16le(d, 0), put16le(d, 2);
    put16le(d, connected ? 0xA1 : 0x00), put16le(d, (uint16_t)addr);
    if (connected) put16le(d, 0x1234), put16le(d, 0);
    put16le(d, connected ? 0xB1 : 0xB2), put16le(d, (uint16_t)data);
    if (connected) put16le(d, 7);
    put(d, cip, n);
}

static void t_enip_codes(void **state)
{
    (void)state;
    for (unsigned svc = 0; svc < 256; svc++) {
        for (uint16_t cmd = 0x6F; cmd <= 0x70; cmd++) {
            /* A request to class 2 instance 1 and the reply with general status 0. */
            uint8_t req[] = {(uint8_t)svc, 2, 0x20, 0x02, 0x24, 0x01, 0x00};
            uint8_t rsp[] = {(uint8_t)(svc | 0x80), 0, 0, 0};
            const uint8_t *msgs[] = {req, rsp};
            size_t lens[] = {sizeof req, sizeof rsp};
            for (int k = 0; k < 2; k++) {
                if ((msgs[k][0] & 0x7f) == 0x0A) continue; /* t_enip_multiple */
                pdu_t d = {.n = 0};
                enip_msg(&d, cmd, msgs[k], lens[k]);
                bool want = in_list(cip_watched, sizeof cip_watched, msgs[k][0] & 0x7f);
                if (watch_run(probe_ev_enip_watch, d.b, d.n) != want)
                    fail_msg("cmd 0x%x service 0x%02x", cmd, msgs[k][0]);
                assert_prefixes_false(probe_ev_enip_watch, d.b, d.n);
                if (!want) continue;
                probe_ev_buf_t out;
                assert_int_equal(ev_run(probe_ev_enip, d.b, d.n, &out), SSF_OK);
                assert_non_null(ev_find(&out, PROBE_EVF_ENIP_CIP_SERVICE));
            }
        }
    }
}

/* A ListIdentity reply (CIP Vol 2, 2-4.3) is let through at any time, as a tool may ask for
 * one late in a connection; with an error status it is not. */
static void t_enip_list_identity(void **state)
{
    (void)state;
    pdu_t d = {.n = 0};
    put16le(&d, 0x63), put16le(&d, 10);
    for (int i = 0; i < 20; i++)
        put8(&d, 0); /* session, status, context, options */
    put16le(&d, 1), put16le(&d, 0x0C), put16le(&d, 4), put16le(&d, 1), put16le(&d, 0);
    assert_true(watch_run(probe_ev_enip_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_enip_watch, d.b, d.n);
    d.b[8] = 1;
    assert_false(watch_run(probe_ev_enip_watch, d.b, d.n));
}

/* A Multiple Service Packet (to the Message Router, class 2 instance 1) of two reads is a
 * poll; one read and one write tag is watched, as is the reply of that one. An error status in
 * the encapsulation header is not. */
static void t_enip_multiple(void **state)
{
    (void)state;
    uint8_t msp[] = {0x0A, 2, 0x20, 0x02, 0x24, 0x01, /* service, path to the router */
                     2,    0, 6,    0,    10,   0,    /* count 2, offsets 6 and 10   */
                     0x4C, 1, 0x91, 0x00,             /* read tag                    */
                     0x4C, 1, 0x91, 0x00};
    pdu_t d = {.n = 0};
    enip_msg(&d, 0x6F, msp, sizeof msp);
    assert_false(watch_run(probe_ev_enip_watch, d.b, d.n));
    msp[16] = 0x4D; /* the second one writes */
    d.n = 0, enip_msg(&d, 0x6F, msp, sizeof msp);
    assert_true(watch_run(probe_ev_enip_watch, d.b, d.n));
    assert_prefixes_false(probe_ev_enip_watch, d.b, d.n);
    d.b[8] = 1; /* encapsulation status: invalid command */
    assert_false(watch_run(probe_ev_enip_watch, d.b, d.n));
    static const uint8_t reply[] = {0x8A, 0, 0, 0, /* reply, status 0, no extra   */
                                    2,    0, 6, 0, 10, 0, 0xCC, 0, 0, 0, 0xCD, 0, 0, 0};
    d.n = 0, enip_msg(&d, 0x70, reply, sizeof reply);
    assert_true(watch_run(probe_ev_enip_watch, d.b, d.n));
    probe_ev_buf_t out;
    assert_int_equal(ev_run(probe_ev_enip, d.b, d.n, &out), SSF_OK);
    assert_true(has_value(&out, "0x4d write_tag reply: status 0x00"));
}

/* Nothing that is not the protocol is watched: empty input, zeros, and the other protocols'
 * watched PDUs. */
static void t_cross(void **state)
{
    (void)state;
    static const watch_fn fns[] = {probe_ev_modbus_watch, probe_ev_s7_watch, probe_ev_dnp3_watch,
                                   probe_ev_iec104_watch, probe_ev_enip_watch};
    pdu_t pdus[5] = {{.n = 0}};
    mb_frame(&pdus[0], 6);
    s7_pdu(&pdus[1], 1, 0x29);
    dnp_frame(&pdus[2], true, 13);
    i104_apdu(&pdus[3], 45);
    static const uint8_t write_tag[] = {0x4D, 2, 0x20, 0x6B, 0x24, 0x01, 0xC4, 0x00, 1, 0};
    enip_msg(&pdus[4], 0x6F, write_tag, sizeof write_tag);
    static const uint8_t zeros[64] = {0};
    for (size_t f = 0; f < SSF_ARRAY_LEN(fns); f++) {
        assert_false(watch_run(fns[f], zeros, 0));
        assert_false(watch_run(fns[f], zeros, sizeof zeros));
        for (size_t p = 0; p < SSF_ARRAY_LEN(pdus); p++)
            if (watch_run(fns[f], pdus[p].b, pdus[p].n) != (f == p))
                fail_msg("predicate %zu on pdu %zu", f, p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_modbus_codes),
        cmocka_unit_test(t_modbus_frames),
        cmocka_unit_test(t_modbus_diagnostics),
        cmocka_unit_test(t_modbus_identification),
        cmocka_unit_test(t_enip_list_identity),
        cmocka_unit_test(t_s7_codes),
        cmocka_unit_test(t_s7_frames),
        cmocka_unit_test(t_s7plus),
        cmocka_unit_test(t_dnp3_codes),
        cmocka_unit_test(t_dnp3_frames),
        cmocka_unit_test(t_iec104_codes),
        cmocka_unit_test(t_iec104_frames),
        cmocka_unit_test(t_enip_codes),
        cmocka_unit_test(t_enip_multiple),
        cmocka_unit_test(t_cross),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
