/* test_ev_ics2b.c - plant protocols, part 2: UMAS (in probes/ev_modbus.c), Omron FINS,
 * Saia-Burgess Ether-S-Bus, Beckhoff ADS, HART-IP and PROFINET DCP extractors, and the HART and
 * PROFINET vendor tables (sig/plant_ids.h). Every sample is built here field by field from the
 * protocol descriptions; lengths, checksums and CRCs are computed, not pasted. Each valid
 * sample is also cut at every length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"
#include "sig/plant_ids.h"

/* Every proper prefix of length k gives ETRUNC, except k == 0 (EINVAL), k >= ok_from (OK:
 * the rest is optional) and the boundaries in ok_at (OK: whole messages). */
static void assert_cuts(ev_fn fn, const uint8_t *p, size_t n, size_t ok_from, const size_t *ok_at,
                        size_t n_ok)
{
    probe_ev_buf_t b;
    assert_int_equal(ev_run(fn, p, 0, &b), SSF_EINVAL);
    for (size_t k = 1; k < n; k++) {
        ssf_rc want = k >= ok_from ? SSF_OK : SSF_ETRUNC;
        for (size_t i = 0; i < n_ok; i++)
            if (ok_at[i] == k) want = SSF_OK;
        ssf_rc rc = ev_run(fn, p, k, &b);
        if (rc != want) fail_msg("cut at %zu of %zu: rc %d, want %d", k, n, rc, want);
        assert_true(b.n <= PROBE_EV_BUF_ITEMS);
    }
    assert_int_equal(ev_run(fn, p, n, &b), SSF_OK);
}

static void put16be(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32be(uint8_t *p, uint32_t v)
{
    put16be(p, (uint16_t)(v >> 16));
    put16be(p + 2, (uint16_t)v);
}

static void put16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32le(uint8_t *p, uint32_t v)
{
    put16le(p, (uint16_t)v);
    put16le(p + 2, (uint16_t)(v >> 16));
}

/* ---- UMAS (Modbus FC 90) ---- */

/* MBAP (tid, proto 0, length, unit 0), FC 0x5A, key, status, then `data`. */
static size_t umas_build(uint8_t *b, uint8_t status, const uint8_t *data, size_t n)
{
    put16be(b, 0x0102);
    put16be(b + 2, 0);
    put16be(b + 4, (uint16_t)(1 + 3 + n));
    b[6] = 0x00;
    b[7] = 0x5a;
    b[8] = 0x00;
    b[9] = status;
    memcpy(b + 10, data, n);
    return 10 + n;
}

/* A read-ID answer: 22 fixed bytes, the name length and name, then a 5-byte tail. */
static size_t umas_read_id(uint8_t *data, const char *name, size_t tail)
{
    memset(data, 0x01, 22);
    size_t len = strlen(name);
    data[22] = (uint8_t)len;
    memcpy(data + 23, name, len);
    memset(data + 23 + len, 0x00, tail);
    return 23 + len + tail;
}

static void t_umas_read_id(void **state)
{
    (void)state;
    uint8_t data[96], frame[128];
    probe_ev_buf_t b;
    size_t n = umas_build(frame, 0xfe, data, umas_read_id(data, "BMX P34 2020", 5));
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 1);
    ev_assert_item(&b, PROBE_EVF_UMAS_MODEL, "BMX P34 2020");
    assert_cuts(probe_ev_modbus, frame, n, SIZE_MAX, NULL, 0);
}

static void t_umas_other_replies(void **state)
{
    (void)state;
    uint8_t data[200], frame[240];
    probe_ev_buf_t b;
    /* Not OK (0xFD): nothing. */
    size_t n = umas_build(frame, 0xfd, data, umas_read_id(data, "BMX P34 2020", 5));
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    /* An echo reply: the "name" is followed by far more than a read-ID tail. */
    n = umas_build(frame, 0xfe, data, umas_read_id(data, "TTTTTTTT", 100));
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    /* A name with control bytes, and one shorter than 2. */
    n = umas_build(frame, 0xfe, data,
                   umas_read_id(data,
                                "AB\x01"
                                "CD",
                                5));
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    n = umas_build(frame, 0xfe, data, umas_read_id(data, "A", 5));
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    /* A name length beyond the PDU (hostile length). */
    size_t k = umas_read_id(data, "BMX P34 2020", 0);
    data[22] = 0xff;
    n = umas_build(frame, 0xfe, data, k);
    assert_int_equal(ev_run(probe_ev_modbus, frame, n, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
    /* A request: key, function 0x02. */
    static const uint8_t req[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x5a, 0x00, 0x02};
    assert_int_equal(ev_run(probe_ev_modbus, req, sizeof req, &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_MODBUS_FUNCTION), 0);
}

/* ---- FINS ---- */

enum { FINS_CDR = 12 + 2 + 40 + 8 };

/* A Controller Data Read response frame: header (ICF icf, RSV 0, GCT 2, DNA 0, DA1 1, DA2 0,
 * SNA 0, SA1 10, SA2 0, SID 5), MRC 05 SRC 01, end code, model, version and 8 more data
 * bytes (program area size and so on). */
static size_t fins_cdr(uint8_t *b, uint8_t icf, uint16_t end, const char *model, const char *ver)
{
    static const uint8_t hdr[] = {0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x05, 0x05, 0x01};
    memset(b, 0, FINS_CDR);
    b[0] = icf;
    memcpy(b + 1, hdr, sizeof hdr);
    put16be(b + 12, end);
    memcpy(b + 14, model, strlen(model));
    memcpy(b + 34, ver, strlen(ver));
    memset(b + 54, 0x10, 8);
    return FINS_CDR;
}

static void t_fins_udp(void **state)
{
    (void)state;
    uint8_t f[FINS_CDR];
    probe_ev_buf_t b;
    size_t n = fins_cdr(f, 0xc0, 0x0000, "CJ2M-CPU33", "02.01");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_FINS_MODEL, "CJ2M-CPU33");
    ev_assert_item(&b, PROBE_EVF_FINS_VERSION, "02.01");
    /* UDP has no length: once model and version are in, the rest is optional. */
    assert_cuts(probe_ev_fins, f, n, 54, NULL, 0);
    /* Space padding, and the non-fatal CPU error flag in the end code, are fine. */
    fins_cdr(f, 0xc0, 0x0040, "CS1H-CPU67H         ", "03.00");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FINS_MODEL, "CS1H-CPU67H");
}

static void t_fins_tcp(void **state)
{
    (void)state;
    uint8_t m[2 * (16 + FINS_CDR)];
    probe_ev_buf_t b;
    memcpy(m, "FINS", 4);
    put32be(m + 4, 8 + FINS_CDR);
    put32be(m + 8, 2); /* FINS frame send */
    put32be(m + 12, 0);
    fins_cdr(m + 16, 0xc0, 0, "CP1E-N30DR-A", "01.10");
    size_t one = 16 + FINS_CDR;
    assert_int_equal(ev_run(probe_ev_fins, m, one, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_FINS_MODEL, "CP1E-N30DR-A");
    ev_assert_item(&b, PROBE_EVF_FINS_VERSION, "01.10");
    /* A second message: a node address exchange (command 1, client node 0x0a). */
    memcpy(m + one, "FINS", 4);
    put32be(m + one + 4, 12);
    put32be(m + one + 8, 0);
    put32be(m + one + 12, 0);
    put32be(m + one + 16, 0x0000000a);
    size_t two = one + 20;
    size_t boundary[] = {one};
    assert_cuts(probe_ev_fins, m, two, SIZE_MAX, boundary, 1);
    /* A FINS/TCP message whose frame is cut inside it is malformed. */
    put32be(m + 4, 8 + 20);
    assert_int_equal(ev_run(probe_ev_fins, m, 16 + 20, &b), SSF_EINVAL);
    /* Hostile lengths. */
    put32be(m + 4, 0xffffffff);
    assert_int_equal(ev_run(probe_ev_fins, m, one, &b), SSF_EINVAL);
    put32be(m + 4, 4);
    assert_int_equal(ev_run(probe_ev_fins, m, one, &b), SSF_EINVAL);
}

static void t_fins_no_junk(void **state)
{
    (void)state;
    uint8_t f[FINS_CDR];
    probe_ev_buf_t b;
    /* A command with the same MRC/SRC: a request, nothing. */
    size_t n = fins_cdr(f, 0x80, 0, "CJ2M-CPU33", "02.01");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A forged response filled with letters: no padding, no evidence. */
    fins_cdr(f, 0xc1, 0, "AAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBB");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* An error end code (0x0401: not supported). */
    fins_cdr(f, 0xc0, 0x0401, "CJ2M-CPU33", "02.01");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Model text with control bytes. */
    fins_cdr(f, 0xc0, 0, "CJ2M\x07", "02.01");
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_FINS_VERSION, "02.01");
}

static void t_fins_rejects(void **state)
{
    (void)state;
    uint8_t f[FINS_CDR];
    probe_ev_buf_t b;
    size_t n = fins_cdr(f, 0x00, 0, "X", "Y"); /* ICF without the gateway bit */
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_EINVAL);
    fins_cdr(f, 0xc4, 0, "X", "Y"); /* reserved ICF bit */
    assert_int_equal(ev_run(probe_ev_fins, f, 1, &b), SSF_EINVAL);
    fins_cdr(f, 0xc0, 0, "X", "Y");
    f[1] = 1; /* RSV */
    assert_int_equal(ev_run(probe_ev_fins, f, n, &b), SSF_EINVAL);
    f[1] = 0;
    f[2] = 9; /* GCT */
    assert_int_equal(ev_run(probe_ev_fins, f, 3, &b), SSF_EINVAL);
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_fins, http, sizeof http - 1, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_fins, "FIX", 3, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- Ether-S-Bus ---- */

static uint16_t crc16_xmodem(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int k = 0; k < 8; k++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

/* Header (length, version, protocol type 0, sequence 7), attribute, data, CRC. */
static size_t sbus_build(uint8_t *b, uint8_t version, uint8_t attr, const void *data, size_t n)
{
    size_t len = 8 + 1 + n + 2;
    put32be(b, (uint32_t)len);
    b[4] = version;
    b[5] = 0;
    put16be(b + 6, 7);
    b[8] = attr;
    memcpy(b + 9, data, n);
    put16be(b + 9 + n, crc16_xmodem(b, 9 + n));
    return len;
}

static void t_sbus_firmware(void **state)
{
    (void)state;
    uint8_t t[64];
    probe_ev_buf_t b;
    size_t n = sbus_build(t, 0, 1, "D3M55017", 9); /* with its trailing NUL */
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_SBUS_TYPE, "D3M55");
    ev_assert_item(&b, PROBE_EVF_SBUS_FIRMWARE, "017");
    assert_cuts(probe_ev_sbus, t, n, SIZE_MAX, NULL, 0);
    /* Without the last byte, and with padding after the telegram. */
    n = sbus_build(t, 0, 1, "D1M12009", 8);
    memset(t + n, 0, 4);
    assert_int_equal(ev_run(probe_ev_sbus, t, n + 4, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_SBUS_TYPE, "D1M12");
    ev_assert_item(&b, PROBE_EVF_SBUS_FIRMWARE, "009");
}

static void t_sbus_other(void **state)
{
    (void)state;
    uint8_t t[64];
    probe_ev_buf_t b;
    /* Bad CRC. */
    size_t n = sbus_build(t, 0, 1, "D3M55017", 9);
    t[n - 1] ^= 1;
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A request: station 10, command 0x20. */
    static const uint8_t req[] = {0x0a, 0x20};
    n = sbus_build(t, 1, 0, req, sizeof req);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Text answers to memory reads are not firmware. */
    n = sbus_build(t, 0, 1, "Model\r\0\0", 8);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    n = sbus_build(t, 0, 1, "D3M55X17", 8);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    n = sbus_build(t, 0, 1, "D3M5501700", 10);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_sbus_rejects(void **state)
{
    (void)state;
    uint8_t t[64];
    probe_ev_buf_t b;
    size_t n = sbus_build(t, 0, 1, "D3M55017", 9);
    t[3] = 5; /* length below header + attribute + CRC */
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_EINVAL);
    n = sbus_build(t, 0, 1, "D3M55017", 9);
    t[2] = 0x10; /* 4 KiB */
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_EINVAL);
    n = sbus_build(t, 0, 1, "D3M55017", 9);
    t[0] = 0x80; /* hostile 2 GiB length */
    assert_int_equal(ev_run(probe_ev_sbus, t, 1, &b), SSF_EINVAL);
    n = sbus_build(t, 7, 1, "D3M55017", 9);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_EINVAL);
    n = sbus_build(t, 0, 9, "D3M55017", 9);
    assert_int_equal(ev_run(probe_ev_sbus, t, n, &b), SSF_EINVAL);
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_sbus, http, sizeof http - 1, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- ADS ---- */

enum { ADS_INFO_PKT = 6 + 32 + 24 };

/* AMS/TCP + AMS header (to 10.0.0.2.1.1:32905 from 10.0.0.1.1.1:851), command cmd, state flags,
 * error code, invoke id 9, then `n` data bytes. */
static size_t ams_build(uint8_t *b, uint16_t cmd, uint16_t flags, const uint8_t *data, size_t n)
{
    static const uint8_t ids[16] = {10, 0, 0, 2, 1, 1, 0x89, 0x80, 10, 0, 0, 1, 1, 1, 0x53, 0x03};
    put16le(b, 0);
    put32le(b + 2, (uint32_t)(32 + n));
    memcpy(b + 6, ids, sizeof ids);
    put16le(b + 22, cmd);
    put16le(b + 24, flags);
    put32le(b + 26, (uint32_t)n);
    put32le(b + 30, 0);
    put32le(b + 34, 9);
    memcpy(b + 38, data, n);
    return 38 + n;
}

static size_t ads_info(uint8_t *d, uint32_t result, const char *name)
{
    memset(d, 0, 24);
    put32le(d, result);
    d[4] = 3;
    d[5] = 1;
    put16le(d + 6, 4024);
    memcpy(d + 8, name, strlen(name));
    return 24;
}

static void t_ads_device_info(void **state)
{
    (void)state;
    uint8_t d[24], p[2 * ADS_INFO_PKT];
    probe_ev_buf_t b;
    size_t one = ams_build(p, 1, 0x0005, d, ads_info(d, 0, "TC3 Test Runtime"));
    assert_int_equal(ev_run(probe_ev_ads, p, one, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_ADS_NAME, "TC3 Test Runtime"); /* all 16 bytes, no NUL */
    ev_assert_item(&b, PROBE_EVF_ADS_VERSION, "3.1.4024");
    /* A second packet in the segment: the request for the next read (command 2, no data). */
    size_t two = one + ams_build(p + one, 2, 0x0004, d, 0);
    size_t boundary[] = {one};
    assert_cuts(probe_ev_ads, p, two, SIZE_MAX, boundary, 1);
}

static void t_ads_other(void **state)
{
    (void)state;
    uint8_t d[24], p[ADS_INFO_PKT];
    probe_ev_buf_t b;
    /* An ADS error result, a request, another command: nothing. */
    size_t n = ams_build(p, 1, 0x0005, d, ads_info(d, 0x0701, "Runtime"));
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_OK);
    n = ams_build(p, 1, 0x0004, d, ads_info(d, 0, "Runtime"));
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_OK);
    n = ams_build(p, 2, 0x0005, d, ads_info(d, 0, "Runtime"));
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_OK);
    /* A response too short for the device info. */
    n = ams_build(p, 1, 0x0005, d, 8);
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_ads_rejects(void **state)
{
    (void)state;
    uint8_t d[24], p[ADS_INFO_PKT];
    probe_ev_buf_t b;
    size_t n = ams_build(p, 1, 0x0005, d, ads_info(d, 0, "Runtime"));
    p[1] = 1; /* reserved */
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_ads, p, 2, &b), SSF_EINVAL);
    p[1] = 0;
    put32le(p + 2, 0xffffffff); /* hostile length */
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_EINVAL);
    put32le(p + 2, 16); /* shorter than the AMS header */
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_EINVAL);
    put32le(p + 2, 32 + 24);
    put32le(p + 26, 25); /* data length disagrees with the AMS/TCP length */
    assert_int_equal(ev_run(probe_ev_ads, p, n, &b), SSF_EINVAL);
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_ads, http, sizeof http - 1, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- HART-IP ---- */

/* HART-IP header (version 1, type, message id 3, status 0, sequence 4, byte count), then a
 * long-frame HART PDU: delimiter, address 0x26 0x4e 0x00 0x00 0x07, command, byte count,
 * response code, device status, data, XOR checksum. */
static size_t hart_build(uint8_t *b, uint8_t type, uint8_t delim, uint8_t cmd, uint8_t rc,
                         const uint8_t *data, size_t n)
{
    static const uint8_t addr[5] = {0x26, 0x4e, 0x00, 0x00, 0x07};
    size_t pdu = 1 + 5 + 2 + 2 + n + 1, len = 8 + pdu;
    b[0] = 1;
    b[1] = type;
    b[2] = 3;
    b[3] = 0;
    put16be(b + 4, 4);
    put16be(b + 6, (uint16_t)len);
    uint8_t *h = b + 8;
    h[0] = delim;
    memcpy(h + 1, addr, 5);
    h[6] = cmd;
    h[7] = (uint8_t)(2 + n);
    h[8] = rc;
    h[9] = 0x00;
    memcpy(h + 10, data, n);
    uint8_t x = 0;
    for (size_t i = 0; i < pdu - 1; i++)
        x ^= h[i];
    h[pdu - 1] = x;
    return len;
}

/* Command 0 data, HART 7 layout: 254, expanded type, preambles, revisions, flags, device id,
 * preambles, device variables, change counter, extended status, manufacturer, distributor,
 * profile. */
static const uint8_t hart_cmd0_h7[22] = {254,  0x11, 0xaa, 5, 7, 2, 3, 0x08, 0x00, 0x12, 0x34,
                                         0x56, 5,    4,    0, 1, 0, 0, 0x11, 0x00, 0x11, 0x01};

static void t_hart_cmd0(void **state)
{
    (void)state;
    uint8_t m[64];
    probe_ev_buf_t b;
    size_t n = hart_build(m, 1, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_HART_MANUFACTURER, "Endress+Hauser");
    ev_assert_item(&b, PROBE_EVF_HART_DEVICE_TYPE, "0x11aa");
    ev_assert_item(&b, PROBE_EVF_HART_DEVICE_ID, "0x123456");
    ev_assert_item(&b, PROBE_EVF_HART_REVISION, "hart 7, device 2, sw 3");
    assert_cuts(probe_ev_hart, m, n, SIZE_MAX, NULL, 0);
    /* HART 5 layout: manufacturer in byte 1, device type in byte 2. */
    uint8_t h5[12];
    memcpy(h5, hart_cmd0_h7, sizeof h5);
    h5[1] = 38;
    h5[2] = 0x05;
    h5[4] = 5;
    n = hart_build(m, 1, 0x86, 0, 0, h5, sizeof h5);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HART_MANUFACTURER, "Rosemount");
    ev_assert_item(&b, PROBE_EVF_HART_DEVICE_TYPE, "0x05");
    ev_assert_item(&b, PROBE_EVF_HART_REVISION, "hart 5, device 2, sw 3");
    /* An unlisted manufacturer. */
    uint8_t h7[22];
    memcpy(h7, hart_cmd0_h7, sizeof h7);
    put16be(h7 + 17, 0x1234);
    n = hart_build(m, 2, 0x81, 0, 0, h7, sizeof h7); /* a published burst frame */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HART_MANUFACTURER, "id 4660");
}

/* Packs 8 characters (0x20..0x5f) into 6 bytes of HART packed ASCII. */
static void hart_pack(uint8_t out[6], const char tag[8])
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++)
        v = v << 6 | ((unsigned)tag[i] & 0x3f);
    for (size_t i = 0; i < 6; i++)
        out[i] = (uint8_t)(v >> (40 - 8 * i));
}

static void t_hart_tags(void **state)
{
    (void)state;
    uint8_t m[80], d[32];
    probe_ev_buf_t b;
    memset(d, 0, sizeof d);
    hart_pack(d, "PT-101  ");
    size_t n = hart_build(m, 1, 0x86, 13, 0, d, 21); /* tag, descriptor, date */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_HART_TAG, "PT-101");
    /* An unset tag: all zero bytes are "@@@@@@@@". */
    memset(d, 0, sizeof d);
    n = hart_build(m, 1, 0x86, 13, 0, d, 21);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    memcpy(d, "boiler-feed-pump", 16);
    n = hart_build(m, 1, 0x86, 20, 0, d, 32);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HART_TAG, "boiler-feed-pump");
    n = hart_build(m, 1, 0x86, 20, 0, d, 31); /* one byte short of a long tag */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_hart_other(void **state)
{
    (void)state;
    uint8_t m[2 * 64];
    probe_ev_buf_t b;
    /* A request (type 0), a STX frame, an error response code, a bad checksum. */
    size_t n = hart_build(m, 0, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    n = hart_build(m, 1, 0x82, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    n = hart_build(m, 1, 0x86, 0, 64, hart_cmd0_h7, sizeof hart_cmd0_h7);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    n = hart_build(m, 1, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    m[n - 1] ^= 0x55;
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    /* A PDU byte count beyond the message (hostile length). */
    n = hart_build(m, 1, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    m[8 + 7] = 0xff;
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* TCP: a keep-alive response (header only) and then a command 0 reply. */
    static const uint8_t keep[8] = {1, 1, 2, 0, 0, 3, 0, 8};
    memcpy(m, keep, 8);
    n = 8 + hart_build(m + 8, 1, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    size_t boundary[] = {8};
    assert_cuts(probe_ev_hart, m, n, SIZE_MAX, boundary, 1);
}

static void t_hart_rejects(void **state)
{
    (void)state;
    uint8_t m[64];
    probe_ev_buf_t b;
    size_t n = hart_build(m, 1, 0x86, 0, 0, hart_cmd0_h7, sizeof hart_cmd0_h7);
    m[0] = 0; /* version */
    assert_int_equal(ev_run(probe_ev_hart, m, 1, &b), SSF_EINVAL);
    m[0] = 1;
    m[1] = 7; /* message type */
    assert_int_equal(ev_run(probe_ev_hart, m, 2, &b), SSF_EINVAL);
    m[1] = 1;
    m[2] = 200; /* message id */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_EINVAL);
    m[2] = 3;
    put16be(m + 6, 4); /* byte count below the header */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_EINVAL);
    put16be(m + 6, 0xffff); /* hostile byte count */
    assert_int_equal(ev_run(probe_ev_hart, m, n, &b), SSF_ETRUNC);
    static const char http[] = "GET / HTTP/1.1\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_hart, http, sizeof http - 1, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
}

/* ---- PROFINET DCP ---- */

/* Appends a response block (option, suboption, length, BlockInfo 0, data, pad). */
static size_t dcp_block(uint8_t *b, uint8_t opt, uint8_t sub, const void *data, size_t n)
{
    b[0] = opt;
    b[1] = sub;
    put16be(b + 2, (uint16_t)(2 + n));
    put16be(b + 4, 0);
    memcpy(b + 6, data, n);
    size_t len = 6 + n;
    if (n & 1) b[len++] = 0;
    return len;
}

/* FrameID, ServiceID, ServiceType, Xid, reserved, DCPDataLength, then the blocks: station
 * name, type of station, device id (vendor, device), role, and an IP block that is skipped. */
static size_t dcp_build(uint8_t *b, uint16_t frame_id, uint8_t service, uint8_t type,
                        uint16_t vendor, uint8_t role)
{
    static const uint8_t ip[12] = {192, 168, 0, 10, 255, 255, 255, 0, 192, 168, 0, 1};
    put16be(b, frame_id);
    b[2] = service;
    b[3] = type;
    put32be(b + 4, 0x01020304);
    put16be(b + 8, 0);
    size_t n = 12;
    n += dcp_block(b + n, 2, 2, "plc-line-3", 10);
    n += dcp_block(b + n, 2, 1, "S7-1500", 7);
    uint8_t id[4] = {(uint8_t)(vendor >> 8), (uint8_t)vendor, 0x0e, 0x0f};
    n += dcp_block(b + n, 2, 3, id, sizeof id);
    uint8_t r[2] = {role, 0};
    n += dcp_block(b + n, 2, 4, r, sizeof r);
    n += dcp_block(b + n, 1, 2, ip, sizeof ip);
    put16be(b + 10, (uint16_t)(n - 12));
    return n;
}

static void t_dcp_identify(void **state)
{
    (void)state;
    uint8_t f[128];
    probe_ev_buf_t b;
    size_t n = dcp_build(f, 0xfeff, 5, 1, 0x002a, 0x02);
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
    ev_assert_item(&b, PROBE_EVF_PN_STATION, "plc-line-3");
    ev_assert_item(&b, PROBE_EVF_PN_DEVICE_VENDOR, "S7-1500");
    ev_assert_item(&b, PROBE_EVF_PN_VENDOR, "Siemens");
    ev_assert_item(&b, PROBE_EVF_PN_DEVICE_ID, "0x0e0f");
    ev_assert_item(&b, PROBE_EVF_PN_ROLE, "io-controller");
    assert_cuts(probe_ev_profinet, f, n, SIZE_MAX, NULL, 0);
    /* Ethernet padding after the DCP data is ignored. */
    memset(f + n, 0, 6);
    assert_int_equal(ev_run(probe_ev_profinet, f, n + 6, &b), SSF_OK);
    assert_int_equal(b.n, 5);
}

static void t_dcp_hello(void **state)
{
    (void)state;
    uint8_t f[128];
    probe_ev_buf_t b;
    size_t n = dcp_build(f, 0xfefc, 6, 0, 0xbeef, 0x09);
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_PN_VENDOR, "id 0xbeef");
    ev_assert_item(&b, PROBE_EVF_PN_ROLE, "io-device,supervisor");
    assert_cuts(probe_ev_profinet, f, n, SIZE_MAX, NULL, 0);
}

static void t_dcp_other(void **state)
{
    (void)state;
    uint8_t f[128];
    probe_ev_buf_t b;
    /* An Identify request and a "not supported" response: filters, not facts. */
    size_t n = dcp_build(f, 0xfefe, 5, 0, 0x002a, 2);
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_OK);
    n = dcp_build(f, 0xfeff, 5, 5, 0x002a, 2);
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_OK);
    /* Cyclic real-time data (FrameID 0x8000). */
    static const uint8_t rt[] = {0x80, 0x00, 0x01, 0x02, 0x03, 0x04};
    assert_int_equal(ev_run(probe_ev_profinet, rt, sizeof rt, &b), SSF_OK);
    assert_int_equal(ev_run(probe_ev_profinet, rt, 1, &b), SSF_ETRUNC);
    assert_int_equal(b.n, 0);
}

static void t_dcp_hostile(void **state)
{
    (void)state;
    uint8_t f[128];
    probe_ev_buf_t b;
    size_t n = dcp_build(f, 0xfeff, 5, 1, 0x002a, 2);
    put16be(f + 10, 0xffff); /* DCP data length past the frame */
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_ETRUNC);
    n = dcp_build(f, 0xfeff, 5, 1, 0x002a, 2);
    put16be(f + 14, 0xffff); /* first block past the DCP data */
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    n = dcp_build(f, 0xfeff, 5, 1, 0x002a, 2);
    put16be(f + 14, 0); /* a zero block length misaligns the walk into a block overrun */
    assert_int_equal(ev_run(probe_ev_profinet, f, n, &b), SSF_EINVAL);
}

/* ---- PN-IO Read response with I&M0 ---- */

/* A connectionless DCE/RPC response of the PNIO device interface (drep little- or big-endian,
 * opnum 5), PNIOStatus status, the NDR header, IODReadResHeader and an I&M0 block. */
static size_t pnio_build(uint8_t *b, bool le, uint8_t ptype, uint32_t status, uint16_t vendor)
{
    static const uint8_t if_le[16] = {0x01, 0x00, 0xa0, 0xde, 0x97, 0x6c, 0xd1, 0x11,
                                      0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d};
    static const uint8_t if_be[16] = {0xde, 0xa0, 0x00, 0x01, 0x6c, 0x97, 0x11, 0xd1,
                                      0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d};
    void (*p16)(uint8_t *, uint16_t) = le ? put16le : put16be;
    void (*p32)(uint8_t *, uint32_t) = le ? put32le : put32be;
    memset(b, 0, 80);
    b[0] = 4;
    b[1] = ptype;
    b[4] = le ? 0x10 : 0x00;
    memcpy(b + 24, le ? if_le : if_be, 16);
    p16(b + 68, 5);
    /* IODReadResHeader: type 0x8009, length 60, version 1.0, the rest zero here. */
    uint8_t *blk = b + 80 + 20;
    memset(blk, 0, 64);
    put16be(blk, 0x8009);
    put16be(blk + 2, 60);
    blk[4] = 1;
    /* I&M0: type 0x0020, length 56, version 1.0, vendor, order id, serial, hardware revision,
     * software revision 'V' 2.1.0, revision counter, profile id and type, I&M version,
     * supported. */
    uint8_t *im = blk + 64;
    memset(im, ' ', 60);
    put16be(im, 0x0020);
    put16be(im + 2, 56);
    im[4] = 1;
    im[5] = 0;
    put16be(im + 6, vendor);
    memcpy(im + 8, "2404267", 7);
    memcpy(im + 28, "PN-0042-7", 9);
    put16be(im + 44, 3);
    memcpy(im + 46, "V\x02\x01\x00", 4);
    memset(im + 50, 0, 10);
    size_t body = 20 + 64 + 60;
    p32(b + 80, status);
    p32(b + 84, 64 + 60);
    p32(b + 88, 0x8040);
    p32(b + 92, 0);
    p32(b + 96, 64 + 60);
    p16(b + 74, (uint16_t)body);
    return 80 + body;
}

static void t_pnio_im0(void **state)
{
    (void)state;
    uint8_t r[256];
    probe_ev_buf_t b;
    size_t n = pnio_build(r, true, 2, 0, 0x00b0);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_PN_VENDOR, "Phoenix Contact");
    ev_assert_item(&b, PROBE_EVF_PN_ORDER, "2404267");
    ev_assert_item(&b, PROBE_EVF_PN_SERIAL, "PN-0042-7");
    ev_assert_item(&b, PROBE_EVF_PN_FIRMWARE, "V2.1.0");
    assert_cuts(probe_ev_pnio, r, n, SIZE_MAX, NULL, 0);
    n = pnio_build(r, false, 2, 0, 0x1234);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_PN_VENDOR, "id 0x1234");
}

static void t_pnio_other(void **state)
{
    (void)state;
    uint8_t r[256];
    probe_ev_buf_t b;
    /* A request, an error status, another interface, an I&M0 block overrunning the record. */
    size_t n = pnio_build(r, true, 0, 0, 0x00b0);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    n = pnio_build(r, true, 2, 0xde80b000, 0x00b0);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    n = pnio_build(r, true, 2, 0, 0x00b0);
    r[24] = 0x08; /* epmv4 or anything but the PNIO device interface */
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    n = pnio_build(r, true, 2, 0, 0x00b0);
    put16be(r + 80 + 20 + 64 + 2, 0xffff);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Not DCE/RPC: version 5 (connection-oriented) and unknown packet types. */
    n = pnio_build(r, true, 2, 0, 0x00b0);
    r[0] = 5;
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_EINVAL);
    r[0] = 4;
    r[1] = 0x20;
    assert_int_equal(ev_run(probe_ev_pnio, r, 2, &b), SSF_EINVAL);
    /* Hostile fragment length. */
    n = pnio_build(r, true, 2, 0, 0x00b0);
    put16le(r + 74, 0xffff);
    assert_int_equal(ev_run(probe_ev_pnio, r, n, &b), SSF_ETRUNC);
}

/* ---- vendor tables ---- */

static void t_plant_tables(void **state)
{
    (void)state;
    assert_string_equal(sig_hart_vendor(38), "Rosemount");
    assert_string_equal(sig_hart_vendor(17), "Endress+Hauser");
    assert_null(sig_hart_vendor(0x1234));
    assert_string_equal(sig_profinet_vendor(0x002a), "Siemens");
    assert_string_equal(sig_profinet_vendor(0x00b0), "Phoenix Contact");
    assert_null(sig_profinet_vendor(0xbeef));
    assert_true(sig_hart_vendor_count() >= 1);
    assert_true(sig_profinet_vendor_count() >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_umas_read_id),  cmocka_unit_test(t_umas_other_replies),
        cmocka_unit_test(t_fins_udp),      cmocka_unit_test(t_fins_tcp),
        cmocka_unit_test(t_fins_no_junk),  cmocka_unit_test(t_fins_rejects),
        cmocka_unit_test(t_sbus_firmware), cmocka_unit_test(t_sbus_other),
        cmocka_unit_test(t_sbus_rejects),  cmocka_unit_test(t_ads_device_info),
        cmocka_unit_test(t_ads_other),     cmocka_unit_test(t_ads_rejects),
        cmocka_unit_test(t_hart_cmd0),     cmocka_unit_test(t_hart_tags),
        cmocka_unit_test(t_hart_other),    cmocka_unit_test(t_hart_rejects),
        cmocka_unit_test(t_dcp_identify),  cmocka_unit_test(t_dcp_hello),
        cmocka_unit_test(t_dcp_other),     cmocka_unit_test(t_dcp_hostile),
        cmocka_unit_test(t_pnio_im0),      cmocka_unit_test(t_pnio_other),
        cmocka_unit_test(t_plant_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
