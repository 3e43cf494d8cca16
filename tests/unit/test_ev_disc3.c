/* test_ev_disc3.c - the vendor discovery and building extractors (probes/ev_ubnt.c, ev_tuya.c,
 * ev_tivo.c, ev_knx.c, ev_c37118.c) and syslog's tag and message items (ev_syslog.c), on
 * payloads built here from the protocol descriptions: identity found, other bytes rejected,
 * every cut of each valid sample, and lengths that lie. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "ev_test.h"

/* The i-th item is field f with this value. */
static void assert_nth(const probe_ev_buf_t *b, size_t i, probe_ev_field f, const char *value)
{
    if (i >= b->n) fail_msg("no item %zu", i);
    assert_int_equal(b->items[i].field, f);
    assert_string_equal(b->items[i].value, value);
    assert_int_equal(b->items[i].role, PROBE_EV_SRC);
}

/* A byte builder for samples whose lengths and checksums are computed. */
typedef struct {
    uint8_t b[1024];
    size_t n;
} bytes_t;

static void put(bytes_t *s, const void *p, size_t n)
{
    assert_true(s->n + n <= sizeof s->b);
    memcpy(s->b + s->n, p, n);
    s->n += n;
}
static void put8(bytes_t *s, uint8_t v)
{
    put(s, &v, 1);
}
static void put16(bytes_t *s, uint16_t v)
{
    put8(s, (uint8_t)(v >> 8));
    put8(s, (uint8_t)v);
}
static void put32(bytes_t *s, uint32_t v)
{
    put16(s, (uint16_t)(v >> 16));
    put16(s, (uint16_t)v);
}
/* A string padded with pad to exactly width bytes. */
static void put_padded(bytes_t *s, const char *str, size_t width, uint8_t pad)
{
    size_t k = strlen(str);
    assert_true(k <= width);
    put(s, str, k);
    for (; k < width; k++)
        put8(s, pad);
}
static void set16(bytes_t *s, size_t at, uint16_t v)
{
    s->b[at] = (uint8_t)(v >> 8);
    s->b[at + 1] = (uint8_t)v;
}

/* ---- Ubiquiti discovery ---- */

static void ubnt_tlv(bytes_t *s, uint8_t type, const void *v, uint16_t len)
{
    put8(s, type);
    put16(s, len);
    put(s, v, len);
}

/* Version 1 reply: hardware address, MAC+IP, firmware, hostname, short model, ESSID, full model.
 * Length set after the TLVs. */
static void ubnt_v1(bytes_t *s)
{
    static const uint8_t mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    static const uint8_t mac_ip[10] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 7};
    memset(s, 0, sizeof *s);
    put8(s, 1);
    put8(s, 0);
    put16(s, 0);
    ubnt_tlv(s, 0x01, mac, 6);
    ubnt_tlv(s, 0x02, mac_ip, 10);
    ubnt_tlv(s, 0x03, "XW.ar934x.v5.6.2.27929.150710.1423", 34);
    ubnt_tlv(s, 0x0B, "rooftop-ap", 10);
    ubnt_tlv(s, 0x0C, "LM5", 3);
    ubnt_tlv(s, 0x0D, "my-wifi", 7);
    ubnt_tlv(s, 0x14, "NanoStation loco M5", 19);
    set16(s, 2, (uint16_t)(s->n - 4));
}

static void t_ubnt_v1(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    ubnt_v1(&s);
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_UBNT_FIRMWARE, "XW.ar934x.v5.6.2.27929.150710.1423");
    ev_assert_item(&b, PROBE_EVF_UBNT_HOSTNAME, "rooftop-ap");
    ev_assert_item(&b, PROBE_EVF_UBNT_MODEL, "LM5");
    ev_assert_item(&b, PROBE_EVF_UBNT_PLATFORM, "NanoStation loco M5");
    assert_null(ev_find(&b, PROBE_EVF_NONE));
    ev_assert_cuts(probe_ev_ubnt, s.b, s.n, NULL, 0);
}

static void t_ubnt_v2_and_request(void **state)
{
    (void)state;
    bytes_t s = {{0}, 0};
    probe_ev_buf_t b;
    put8(&s, 2);
    put8(&s, 6);
    put16(&s, 0);
    ubnt_tlv(&s, 0x0B, "gw", 2);
    ubnt_tlv(&s, 0x0C, "UGW3", 4);
    ubnt_tlv(&s, 0x15, "UGW3", 4);
    ubnt_tlv(&s, 0x17, "\x00", 1);
    set16(&s, 2, (uint16_t)(s.n - 4));
    put(&s, "\x00\x00", 2); /* padding after LENGTH is ignored */
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_UBNT_MODEL, "UGW3");
    ev_assert_item(&b, PROBE_EVF_UBNT_PLATFORM, "UGW3");
    /* A discovery request has no TLVs. */
    assert_int_equal(ev_run(probe_ev_ubnt, "\x01\x00\x00\x00", 4, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

static void t_ubnt_hostile(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    ubnt_v1(&s);
    /* A TLV longer than the packet's LENGTH: the TLVs do not tile, so not ours. */
    s.b[4 + 1] = 0xFF;
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    /* LENGTH 65535 over a short packet: cut. */
    ubnt_v1(&s);
    set16(&s, 2, 0xFFFF);
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_ETRUNC);
    assert_int_equal(b.n, 0);
    /* LENGTH one short: the last TLV crosses it. */
    ubnt_v1(&s);
    set16(&s, 2, (uint16_t)(s.n - 5));
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_EINVAL);
    ubnt_v1(&s);
    s.b[0] = 3;
    assert_int_equal(ev_run(probe_ev_ubnt, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_ubnt, "GET /", 5, &b), SSF_EINVAL);
}

/* ---- Tuya LAN discovery ---- */

static const char tuya_json[] = "{\"ip\":\"10.0.0.42\",\"gwId\":\"bf0123456789abcdefxyz\","
                                "\"active\":2,\"encrypt\":true,\"productKey\":\"keyabcd1234efgh\","
                                "\"version\": \"3.3\"}";

/* The frame around a payload: PREFIX SEQ CMD LEN RETCODE payload CRC SUFFIX. The CRC is not
 * checked by the extractor, so it is a constant here. */
static void tuya_frame(bytes_t *s, uint32_t cmd, const uint8_t *payload, size_t n)
{
    memset(s, 0, sizeof *s);
    put32(s, 0x000055AA);
    put32(s, 0);
    put32(s, cmd);
    put32(s, (uint32_t)(4 + n + 8));
    put32(s, 0);
    put(s, payload, n);
    put32(s, 0x12345678);
    put32(s, 0x0000AA55);
}

/* AES-128-ECB with PKCS#7 under MD5("yGAdlopoPVldABfn"), the published broadcast key. */
static size_t tuya_encrypt(const char *plain, uint8_t *out, size_t room)
{
    static const uint8_t key[16] = {0x6c, 0x1e, 0xc8, 0xe2, 0xbb, 0x9b, 0xb5, 0x9a,
                                    0xb5, 0x0b, 0x0d, 0xaf, 0x64, 0x9b, 0x41, 0x0a};
    size_t n = strlen(plain);
    assert_true(n + 16 <= room);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    assert_non_null(ctx);
    int a = 0, b = 0;
    assert_true(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL));
    assert_true(EVP_EncryptUpdate(ctx, out, &a, (const uint8_t *)plain, (int)n));
    assert_true(EVP_EncryptFinal_ex(ctx, out + a, &b));
    EVP_CIPHER_CTX_free(ctx);
    return (size_t)(a + b);
}

static void assert_tuya_items(const probe_ev_buf_t *b)
{
    assert_int_equal(b->n, 3);
    ev_assert_item(b, PROBE_EVF_TUYA_PRODUCT_KEY, "keyabcd1234efgh");
    ev_assert_item(b, PROBE_EVF_TUYA_GW_ID, "bf0123456789abcdefxyz");
    ev_assert_item(b, PROBE_EVF_TUYA_VERSION, "3.3");
}

static void t_tuya_clear(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    tuya_frame(&s, 0x12, (const uint8_t *)tuya_json, strlen(tuya_json));
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_OK);
    assert_tuya_items(&b);
    ev_assert_cuts(probe_ev_tuya, s.b, s.n, NULL, 0);
}

static void t_tuya_encrypted(void **state)
{
    (void)state;
    uint8_t c[512];
    bytes_t s;
    probe_ev_buf_t b;
    size_t n = tuya_encrypt(tuya_json, c, sizeof c);
    tuya_frame(&s, 0x13, c, n);
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_OK);
    assert_tuya_items(&b);
    ev_assert_cuts(probe_ev_tuya, s.b, s.n, NULL, 0);
    /* Ciphertext under another key is Tuya with nothing readable. */
    c[0] ^= 0x55;
    c[1] ^= 0x55;
    tuya_frame(&s, 0x13, c, n);
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_OK);
    assert_null(ev_find(&b, PROBE_EVF_TUYA_GW_ID));
}

static void t_tuya_hostile(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    tuya_frame(&s, 0x12, (const uint8_t *)tuya_json, strlen(tuya_json));
    s.b[s.n - 1] = 0x56; /* suffix */
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    tuya_frame(&s, 0x12, (const uint8_t *)tuya_json, strlen(tuya_json));
    s.b[12] = 0x7F; /* LEN huge */
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_EINVAL);
    tuya_frame(&s, 0x12, (const uint8_t *)tuya_json, strlen(tuya_json));
    s.b[15] = 4; /* LEN shorter than CRC and suffix */
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_EINVAL);
    /* A member whose string never closes, and one that is not a string. */
    static const char open_str[] = "{\"gwId\":\"abc,\"productKey\":17}";
    tuya_frame(&s, 0x12, (const uint8_t *)open_str, strlen(open_str));
    assert_int_equal(ev_run(probe_ev_tuya, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_TUYA_GW_ID, "abc,");
    /* An empty frame (no payload, no return code). */
    static const uint8_t empty[] = {0, 0, 0x55, 0xAA, 0, 0, 0, 1, 0, 0, 0,    9,
                                    0, 0, 0,    8,    1, 2, 3, 4, 0, 0, 0xAA, 0x55};
    assert_int_equal(ev_run(probe_ev_tuya, empty, sizeof empty, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_tuya, "\x00\x00\x66\x99", 4, &b), SSF_EINVAL);
}

/* ---- TiVoConnect ---- */

static const char tivo_beacon[] = "TiVoConnect=1\nswversion=1.0\nmethod=broadcast\n"
                                  "identity=uuid:0000-1111\nmachine=Den Media\n"
                                  "platform=pc/pytivo\nservices=TiVoMediaServer:9032/http\n";

static void t_tivo_udp(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    const uint8_t *p = (const uint8_t *)tivo_beacon;
    size_t n = strlen(tivo_beacon);
    assert_int_equal(ev_run(probe_ev_tivo, p, n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_TIVO_MACHINE, "Den Media");
    ev_assert_item(&b, PROBE_EVF_TIVO_PLATFORM, "pc/pytivo");
    /* A cut ending right after a LF is a whole beacon as far as anyone can tell. */
    size_t ok[16], n_ok = 0;
    for (size_t k = 1; k < n; k++)
        if (p[k - 1] == '\n') ok[n_ok++] = k;
    ev_assert_cuts(probe_ev_tivo, p, n, ok, n_ok);
}

static void t_tivo_tcp(void **state)
{
    (void)state;
    bytes_t s = {{0}, 0};
    probe_ev_buf_t b;
    static const char text[] = "tivoconnect=1\nmachine=Living Room\nplatform=tcd/Series3";
    put32(&s, (uint32_t)strlen(text));
    put(&s, text, strlen(text));
    assert_int_equal(ev_run(probe_ev_tivo, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_TIVO_MACHINE, "Living Room");
    ev_assert_item(&b, PROBE_EVF_TIVO_PLATFORM, "tcd/Series3");
    ev_assert_cuts(probe_ev_tivo, s.b, s.n, NULL, 0);
    set16(&s, 0, 0x0100); /* length 16 M */
    assert_int_equal(ev_run(probe_ev_tivo, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tivo, "tivo=1\n", 7, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_tivo, "\x00\x00\x00\x05hello", 9, &b), SSF_EINVAL);
}

/* ---- KNXnet/IP ---- */

static void knx_header(bytes_t *s, uint16_t service)
{
    memset(s, 0, sizeof *s);
    put8(s, 0x06);
    put8(s, 0x10);
    put16(s, service);
    put16(s, 0);
}

static void knx_hpai(bytes_t *s)
{
    static const uint8_t hpai[8] = {0x08, 0x01, 192, 168, 7, 20, 0x0E, 0x57};
    put(s, hpai, sizeof hpai);
}

/* SEARCH_RESPONSE: HPAI, Device Information DIB (TP1, IA 1.1.250, serial 00:83:49:7f:01:ec,
 * MAC 00:24:6d:01:02:03, name), Supported Service Families DIB (core v1, device management v1,
 * tunnelling v1 and v2, routing v1). */
static void knx_search_res(bytes_t *s)
{
    static const uint8_t serial[6] = {0x00, 0x83, 0x49, 0x7F, 0x01, 0xEC};
    static const uint8_t mcast[4] = {224, 0, 23, 12};
    static const uint8_t mac[6] = {0x00, 0x24, 0x6D, 0x01, 0x02, 0x03};
    static const uint8_t families[] = {0x02, 1, 0x03, 1, 0x04, 1, 0x04, 2, 0x05, 1};
    knx_header(s, 0x0202);
    knx_hpai(s);
    put8(s, 54);
    put8(s, 0x01);
    put8(s, 0x02); /* medium TP1 */
    put8(s, 0x00); /* status */
    put16(s, 0x11FA);
    put16(s, 0x0000); /* project id */
    put(s, serial, 6);
    put(s, mcast, 4);
    put(s, mac, 6);
    put_padded(s, "Office IP Router", 30, 0);
    put8(s, (uint8_t)(2 + sizeof families));
    put8(s, 0x02);
    put(s, families, sizeof families);
    set16(s, 4, (uint16_t)s->n);
}

static void t_knx_search_response(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    knx_search_res(&s);
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
    ev_assert_item(&b, PROBE_EVF_KNX_ADDRESS, "1.1.250");
    ev_assert_item(&b, PROBE_EVF_KNX_SERIAL, "0083497f01ec");
    ev_assert_item(&b, PROBE_EVF_KNX_MAC, "00:24:6d:01:02:03");
    ev_assert_item(&b, PROBE_EVF_KNX_NAME, "Office IP Router");
    ev_assert_item(&b, PROBE_EVF_KNX_SERVICE, "core,device_management,tunnelling,routing");
    ev_assert_cuts(probe_ev_knx, s.b, s.n, NULL, 0);
    /* DESCRIPTION_RESPONSE carries the same DIBs without the HPAI. */
    bytes_t d;
    knx_header(&d, 0x0204);
    put(&d, s.b + 14, s.n - 14);
    set16(&d, 4, (uint16_t)d.n);
    assert_int_equal(ev_run(probe_ev_knx, d.b, d.n, &b), SSF_OK);
    assert_int_equal(b.n, 5);
    ev_assert_item(&b, PROBE_EVF_KNX_NAME, "Office IP Router");
}

/* TUNNELLING_FEATURE_RESPONSE then _INFO for IndividualAddress, in one TCP payload; then a
 * CONNECT_RESPONSE whose CRD names the tunnel address. */
static void t_knx_tunnelling(void **state)
{
    (void)state;
    bytes_t s = {{0}, 0};
    probe_ev_buf_t b;
    static const uint8_t feature[] = {
        0x06, 0x10, 0x04, 0x23, 0x00, 0x0E, 0x04, 0x07, 0x05, 0x00, 0x06, 0x00, 0x21, 0x05,
        0x06, 0x10, 0x04, 0x25, 0x00, 0x0E, 0x04, 0x07, 0x06, 0x00, 0x06, 0x00, 0x21, 0x05,
    };
    assert_int_equal(ev_run(probe_ev_knx, feature, sizeof feature, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    assert_nth(&b, 0, PROBE_EVF_KNX_ADDRESS, "2.1.5");
    assert_nth(&b, 1, PROBE_EVF_KNX_ADDRESS, "2.1.5");
    static const size_t boundary[] = {14};
    ev_assert_cuts(probe_ev_knx, feature, sizeof feature, boundary, 1);
    /* A failed feature read names nothing. */
    uint8_t failed[14];
    memcpy(failed, feature, sizeof failed);
    failed[11] = 0x29;
    assert_int_equal(ev_run(probe_ev_knx, failed, sizeof failed, &b), SSF_OK);
    assert_int_equal(b.n, 0);

    knx_header(&s, 0x0206);
    put8(&s, 0x15); /* channel */
    put8(&s, 0x00); /* E_NO_ERROR */
    knx_hpai(&s);
    put8(&s, 4);
    put8(&s, 0x04); /* TUNNEL_CONNECTION */
    put16(&s, 0xF00C);
    set16(&s, 4, (uint16_t)s.n);
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_KNX_ADDRESS, "15.0.12");
    ev_assert_cuts(probe_ev_knx, s.b, s.n, NULL, 0);
}

static void t_knx_hostile(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    knx_search_res(&s);
    set16(&s, 4, 0xFFFF);
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_ETRUNC);
    set16(&s, 4, 5);
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_EINVAL);
    /* A DIB that claims more than the frame holds, and one of length 0: nothing, no loop. */
    knx_search_res(&s);
    s.b[14] = 0xFF;
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    s.b[14] = 0;
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* An HPAI of length 0 cannot be skipped. */
    knx_search_res(&s);
    s.b[6] = 0;
    assert_int_equal(ev_run(probe_ev_knx, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A search request and a frame cut to its header are KNX without identity. */
    static const uint8_t req[] = {0x06, 0x10, 0x02, 0x01, 0x00, 0x0E, 0x08,
                                  0x01, 10,   0,    0,    1,    0x0E, 0x57};
    assert_int_equal(ev_run(probe_ev_knx, req, sizeof req, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_knx, "\x06\x20\x02\x01\x00\x06", 6, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_knx, "\x05\x10", 2, &b), SSF_EINVAL);
}

/* ---- IEEE C37.118 ---- */

/* CRC-CCITT, polynomial 0x1021, initial 0xFFFF, as the standard defines CHK. */
static uint16_t crc_ccitt(const uint8_t *p, size_t n)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int k = 0; k < 8; k++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

/* Sets FRAMESIZE and appends CHK to a frame that starts at `at`. */
static void c37_finish(bytes_t *s, size_t at)
{
    set16(s, at + 2, (uint16_t)(s->n - at + 2));
    put16(s, crc_ccitt(s->b + at, s->n - at));
}

static void c37_header(bytes_t *s, uint8_t type_version, uint16_t idcode)
{
    put8(s, 0xAA);
    put8(s, type_version);
    put16(s, 0);
    put16(s, idcode);
    put32(s, 1700000000); /* SOC */
    put32(s, 0);          /* FRACSEC */
}

/* CFG-2 (0x31): two PMUs, the first with one phasor and one analog, the second with one
 * digital word (16 channel names). */
static void c37_cfg2(bytes_t *s)
{
    memset(s, 0, sizeof *s);
    c37_header(s, 0x31, 7);
    put32(s, 1000000); /* TIME_BASE */
    put16(s, 2);       /* NUM_PMU */
    put_padded(s, "Feeder 7 PMU", 16, ' ');
    put16(s, 71);     /* IDCODE */
    put16(s, 0x000F); /* FORMAT */
    put16(s, 1);      /* PHNMR */
    put16(s, 1);      /* ANNMR */
    put16(s, 0);      /* DGNMR */
    put_padded(s, "VA", 16, ' ');
    put_padded(s, "FREQ2", 16, ' ');
    put32(s, 0);          /* PHUNIT */
    put32(s, 0x01000001); /* ANUNIT */
    put16(s, 0);          /* FNOM */
    put16(s, 3);          /* CFGCNT */
    put_padded(s, "Bus-2", 16, '\0');
    put16(s, 72);
    put16(s, 0);
    put16(s, 0);
    put16(s, 0);
    put16(s, 1);
    for (int i = 0; i < 16; i++)
        put_padded(s, "BRK", 16, ' ');
    put32(s, 0x0000FFFF); /* DIGUNIT */
    put16(s, 1);
    put16(s, 1);
    put16(s, 30); /* DATA_RATE */
    c37_finish(s, 0);
}

static void t_c37118_cfg2(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    c37_cfg2(&s);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    assert_nth(&b, 0, PROBE_EVF_C37118_STATION, "Feeder 7 PMU");
    assert_nth(&b, 1, PROBE_EVF_C37118_STATION, "Bus-2");
    ev_assert_cuts(probe_ev_c37118, s.b, s.n, NULL, 0);
    /* Followed by a data frame (0x01) in the same payload. */
    size_t first = s.n;
    c37_header(&s, 0x01, 7);
    put16(&s, 0); /* STAT */
    c37_finish(&s, first);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    size_t boundary[] = {first};
    ev_assert_cuts(probe_ev_c37118, s.b, s.n, boundary, 1);
}

/* CFG-3 (0x52): CONT_IDX 0, one PMU with a length-prefixed name and one phasor. */
static void t_c37118_cfg3(void **state)
{
    (void)state;
    bytes_t s = {{0}, 0};
    probe_ev_buf_t b;
    static const uint8_t guid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    c37_header(&s, 0x52, 9);
    put16(&s, 0);       /* CONT_IDX */
    put32(&s, 1000000); /* TIME_BASE */
    put16(&s, 1);
    put8(&s, 18);
    put(&s, "Substation North 1", 18);
    put16(&s, 9);
    put(&s, guid, 16);
    put16(&s, 0);
    put16(&s, 1);
    put16(&s, 0);
    put16(&s, 0);
    put8(&s, 2);
    put(&s, "VA", 2);
    for (int i = 0; i < 12 + 4 * 3 + 1 + 4 + 4 + 2 + 2; i++)
        put8(&s, 0); /* PHSCALE, LAT/LON/ELEV, SVC_CLASS, WINDOW, GRP_DLY, FNOM, CFGCNT */
    put16(&s, 60);
    c37_finish(&s, 0);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_C37118_STATION, "Substation North 1");
    ev_assert_cuts(probe_ev_c37118, s.b, s.n, NULL, 0);
}

static void t_c37118_hostile(void **state)
{
    (void)state;
    bytes_t s;
    probe_ev_buf_t b;
    c37_cfg2(&s);
    s.b[s.n - 1] ^= 1; /* CHK */
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    /* NUM_PMU 3 where two fit, CRC right: the list overruns its frame. */
    c37_cfg2(&s);
    s.n -= 2;
    s.b[19] = 3;
    c37_finish(&s, 0);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    /* PHNMR 0xFFFF: the sizes computed must not wrap. */
    c37_cfg2(&s);
    s.n -= 2;
    s.b[40] = s.b[41] = 0xFF;
    c37_finish(&s, 0);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_EINVAL);
    /* FRAMESIZE 65535 over a short payload, and below the minimum. */
    c37_cfg2(&s);
    set16(&s, 2, 0xFFFF);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_ETRUNC);
    set16(&s, 2, 15);
    assert_int_equal(ev_run(probe_ev_c37118, s.b, s.n, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_c37118, "\xAA\x71", 2, &b), SSF_EINVAL); /* type 7 */
    assert_int_equal(ev_run(probe_ev_c37118, "\xAA\x30", 2, &b), SSF_EINVAL); /* version 0 */
    assert_int_equal(ev_run(probe_ev_c37118, "\xAB\x31", 2, &b), SSF_EINVAL);
}

/* ---- syslog tag and message ---- */

/* Runs a line; expects OK, and tag and message (NULL: no such item). */
static void check_tag_msg(const char *line, const char *tag, const char *msg)
{
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_syslog, line, strlen(line), &b), SSF_OK);
    const probe_ev_t *t = ev_find(&b, PROBE_EVF_SYSLOG_TAG), *m = ev_find(&b, PROBE_EVF_SYSLOG_MSG);
    if (tag)
        ev_assert_item(&b, PROBE_EVF_SYSLOG_TAG, tag);
    else if (t)
        fail_msg("unexpected tag \"%s\"", t->value);
    if (msg)
        ev_assert_item(&b, PROBE_EVF_SYSLOG_MSG, msg);
    else if (m)
        fail_msg("unexpected message \"%s\"", m->value);
}

static void t_syslog_tag_message(void **state)
{
    (void)state;
    check_tag_msg("<34>Oct 11 22:14:15 mymachine su: 'su root' failed on /dev/pts/8\n", "su",
                  "'su root' failed on /dev/pts/8");
    check_tag_msg("<30>Jan  2 10:09:52 gw dnsmasq[4222]: query from 10.0.0.5", "dnsmasq",
                  "query from 10.0.0.5");
    check_tag_msg("<13>Oct 11 22:14:15 sshd[42]: no host here", "sshd", "no host here");
    check_tag_msg("<189>123: *Mar  1 00:00:00.123: %LINK-5-CHANGED: Interface Gi0/1, changed",
                  "%LINK-5-CHANGED", "Interface Gi0/1, changed");
    check_tag_msg("<190>9: R1: *Sep 1 10:00:00: %IPV6_ACL-6-ACCESSLOGP: list x permitted",
                  "%IPV6_ACL-6-ACCESSLOGP", "list x permitted");
    /* Not Cisco tokens: severity of two digits, no mnemonic, no colon, mid-word. */
    check_tag_msg("<13>load 5%: %LINK-55-X: y", NULL, "load 5%: %LINK-55-X: y");
    check_tag_msg("<13>%LINK-5: y", NULL, "%LINK-5: y");
    check_tag_msg("<13>%LINK-5-CHANGED", NULL, "%LINK-5-CHANGED");
    check_tag_msg("<13>a%LINK-5-CHANGED: x", NULL, "a%LINK-5-CHANGED: x");
    check_tag_msg("<13>ssg: NetScreen device_id=0001 [Root]system", "ssg",
                  "NetScreen device_id=0001 [Root]system");
    check_tag_msg("<189>date=2021-12-09 devname=\"fw\" devid=\"FGT60F0000000000\"", NULL,
                  "date=2021-12-09 devname=\"fw\" devid=\"FGT60F0000000000\"");
    check_tag_msg("<13>123: just a number", NULL, "123: just a number");
    check_tag_msg("<13>su[12: unclosed pid", NULL, "su[12: unclosed pid");
    /* RFC 5424: APP-NAME, structured data skipped (with an escaped bracket), BOM dropped. */
    check_tag_msg("<165>1 2003-10-11T22:14:15.003Z host.example.com evntslog - ID47 "
                  "[exampleSDID@32473 iut=\"3\" x=\"a\\]b\"][b@1 y=\"2\"] \xEF\xBB\xBF"
                  "An application event",
                  "evntslog", "An application event");
    check_tag_msg("<45>1 2022-03-02T12:39:47.689392-01:00 pfSense.localdomain suricata 37046 - - "
                  "{\"event_type\": \"alert\"}",
                  "suricata", "{\"event_type\": \"alert\"}");
    check_tag_msg("<165>1 2003-08-24T05:14:15.000003-07:00 - - 8710 - -", NULL, NULL);
    check_tag_msg("<165>1 - - app - - [unterminated", "app", NULL);
    check_tag_msg("<134>854 08/20/2013-19:05:23 CONFIG FCPT", NULL,
                  "854 08/20/2013-19:05:23 CONFIG FCPT");
}

/* A message is cut to PROBE_EV_VALUE_MAX-1 bytes; the tag stays whole. */
static void t_syslog_long_message(void **state)
{
    (void)state;
    char line[600];
    probe_ev_buf_t b;
    int k = snprintf(line, sizeof line, "<13>Oct 11 22:14:15 h app: ");
    memset(line + k, 'x', 400);
    line[k + 400] = '\0';
    assert_int_equal(ev_run(probe_ev_syslog, line, strlen(line), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_SYSLOG_TAG, "app");
    const probe_ev_t *m = ev_find(&b, PROBE_EVF_SYSLOG_MSG);
    assert_non_null(m);
    assert_int_equal(m->len, PROBE_EV_VALUE_MAX - 1);
    /* Every prefix of a Cisco line is syslog, cut only while "72" could still be an RFC 5424
     * VERSION; none reads past its end (ASan). */
    static const char cisco[] = "<189>72: Mar  3 19:57:17.371: %LINK-5-CHANGED: Interface up";
    for (size_t n = 5; n <= strlen(cisco); n++)
        assert_int_equal(ev_run(probe_ev_syslog, cisco, n, &b), n < 8 ? SSF_ETRUNC : SSF_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_ubnt_v1),
        cmocka_unit_test(t_ubnt_v2_and_request),
        cmocka_unit_test(t_ubnt_hostile),
        cmocka_unit_test(t_tuya_clear),
        cmocka_unit_test(t_tuya_encrypted),
        cmocka_unit_test(t_tuya_hostile),
        cmocka_unit_test(t_tivo_udp),
        cmocka_unit_test(t_tivo_tcp),
        cmocka_unit_test(t_knx_search_response),
        cmocka_unit_test(t_knx_tunnelling),
        cmocka_unit_test(t_knx_hostile),
        cmocka_unit_test(t_c37118_cfg2),
        cmocka_unit_test(t_c37118_cfg3),
        cmocka_unit_test(t_c37118_hostile),
        cmocka_unit_test(t_syslog_tag_message),
        cmocka_unit_test(t_syslog_long_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
