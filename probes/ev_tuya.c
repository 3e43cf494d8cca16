/* ev_tuya.c - identity from Tuya LAN discovery broadcasts (UDP 6666 and 6667), which Tuya-based
 * smart plugs, bulbs and switches send every few seconds:
 *
 *   PREFIX 000055AA | SEQ | CMD | LEN | RETCODE | PAYLOAD | CRC32 | SUFFIX 0000AA55
 *
 * (all 32-bit big-endian; LEN counts what follows it). On port 6666 (protocol 3.1) the payload
 * is clear JSON; on 6667 (protocol 3.3) it is AES-128-ECB under a key every device shares, the
 * MD5 of a string published in the open-source Tuya clients. The JSON names the device:
 * {"ip":..., "gwId":..., "productKey":..., "version":"3.3", ...}.
 *
 * Decryption uses OpenSSL's EVP interface, which allocates its context. That is acceptable only
 * because this runs for discovery broadcasts on two UDP ports, one every few seconds per device,
 * never on the bulk packet path; the ciphertext decrypted is bounded by TUYA_CIPHER_MAX. */
#include "evidence_internal.h"

#include <openssl/evp.h>

enum {
    TUYA_PREFIX = 0x000055AA,
    TUYA_SUFFIX = 0x0000AA55,
    TUYA_HDR_LEN = 16,     /* PREFIX, SEQ, CMD, LEN                          */
    TUYA_TAIL_LEN = 8,     /* CRC32, SUFFIX                                  */
    TUYA_RETCODE_LEN = 4,  /* device-to-app frames carry a return code       */
    TUYA_FRAME_MAX = 4096, /* LEN above this is not a discovery frame        */
    TUYA_CIPHER_MAX = 512, /* bytes decrypted; broadcasts are about 160      */
    TUYA_AES_BLOCK = 16,
    TUYA_JSON_VALUE_MAX = 64, /* longer values are not ids                      */
};

/* MD5("yGAdlopoPVldABfn"): the UDP broadcast key of protocol 3.3, public since 2019. */
static const uint8_t tuya_udp_key[16] = {0x6c, 0x1e, 0xc8, 0xe2, 0xbb, 0x9b, 0xb5, 0x9a,
                                         0xb5, 0x0b, 0x0d, 0xaf, 0x64, 0x9b, 0x41, 0x0a};

static const struct {
    const char *key; /* JSON member name, quoted */
    probe_ev_field field;
} tuya_members[] = {
    {"\"productKey\"", PROBE_EVF_TUYA_PRODUCT_KEY},
    {"\"gwId\"", PROBE_EVF_TUYA_GW_ID},
    {"\"version\"", PROBE_EVF_TUYA_VERSION},
};

static const uint8_t *tuya_find(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == (uint8_t)needle[0] && memcmp(p + i, needle, k) == 0) return p + i + k;
    return NULL;
}

/* The string value after a member name: optional spaces, ':', spaces, '"', text, '"'. */
static void tuya_member(const uint8_t *json, size_t n, const char *key, probe_ev_field f,
                        probe_ev_buf_t *out)
{
    const uint8_t *v = tuya_find(json, n, key), *end = json + n;
    if (!v) return;
    while (v < end && *v == ' ')
        v++;
    if (v == end || *v++ != ':') return;
    while (v < end && *v == ' ')
        v++;
    if (v == end || *v++ != '"') return;
    const uint8_t *q = memchr(v, '"', (size_t)(end - v));
    if (!q || q - v > TUYA_JSON_VALUE_MAX) return;
    probe_ev_add(out, f, PROBE_EV_SRC, v, (size_t)(q - v));
}

static void tuya_json(const uint8_t *json, size_t n, probe_ev_buf_t *out)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(tuya_members); i++)
        tuya_member(json, n, tuya_members[i].key, tuya_members[i].field, out);
}

/* Decrypts whole blocks of c (at most TUYA_CIPHER_MAX bytes) into plain; returns the length,
 * 0 on failure. ECB decrypts each block alone, so a prefix of the ciphertext is enough and the
 * padding is ignored (left in place: it is not JSON). */
static size_t tuya_decrypt(const uint8_t *c, size_t n, uint8_t *plain)
{
    if (n > TUYA_CIPHER_MAX) n = TUYA_CIPHER_MAX;
    n -= n % TUYA_AES_BLOCK;
    if (n == 0) return 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return 0;
    int len = 0, ok = EVP_DecryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, tuya_udp_key, NULL) &&
                      EVP_CIPHER_CTX_set_padding(ctx, 0) &&
                      EVP_DecryptUpdate(ctx, plain, &len, c, (int)n);
    EVP_CIPHER_CTX_free(ctx);
    return ok && len > 0 ? (size_t)len : 0;
}

/* The payload between RETCODE and CRC: clear JSON, or ciphertext. */
static void tuya_payload(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (n && p[0] == '{') {
        tuya_json(p, n, out);
        return;
    }
    uint8_t plain[TUYA_CIPHER_MAX];
    size_t k = tuya_decrypt(p, n, plain);
    if (k && plain[0] == '{') tuya_json(plain, k, out);
}

ssf_rc probe_ev_tuya(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    static const uint8_t prefix[4] = {0x00, 0x00, 0x55, 0xAA};
    if (!p || !out || n == 0) return SSF_EINVAL;
    if (memcmp(p, prefix, n < 4 ? n : 4) != 0) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    uint32_t magic, seq, cmd, len, retcode, crc, suffix;
    if (!ssf_cur_u32be(&c, &magic) || !ssf_cur_u32be(&c, &seq) || !ssf_cur_u32be(&c, &cmd) ||
        !ssf_cur_u32be(&c, &len))
        return SSF_ETRUNC;
    if (len < TUYA_TAIL_LEN || len > TUYA_FRAME_MAX) return SSF_EINVAL;
    if (len > ssf_cur_left(&c)) return SSF_ETRUNC;
    c.end = c.p + len;
    ssf_cur tail = {c.end - TUYA_TAIL_LEN, c.end};
    if (!ssf_cur_u32be(&tail, &crc) || !ssf_cur_u32be(&tail, &suffix) || suffix != TUYA_SUFFIX)
        return SSF_EINVAL;
    c.end -= TUYA_TAIL_LEN;
    /* Device frames carry a return code, app frames do not: a payload starting with three zero
     * bytes has one (JSON never starts so; ciphertext does once in 2^24). */
    if (ssf_cur_left(&c) >= TUYA_RETCODE_LEN && c.p[0] == 0 && c.p[1] == 0 && c.p[2] == 0)
        ssf_cur_u32be(&c, &retcode);
    tuya_payload(c.p, ssf_cur_left(&c), out);
    return SSF_OK;
}
