/* ev_hart.c - identity from HART-IP (HCF_SPEC-085) pass-through responses: HART universal
 * commands 0 (Read Unique Identifier), 13 (Read Tag, Descriptor, Date) and 20 (Read Long
 * Tag), HCF_SPEC-127.
 *
 * A HART-IP message is an 8-byte header (version, message type, message id, status, sequence
 * number, big-endian byte count of the whole message) and a body. For pass-through (id 3) the
 * body is a HART token-passing PDU: delimiter, address (1 or 5 bytes, plus 0-3 expansion
 * bytes), command, byte count, data, and an XOR checksum over all of it. A reply (ACK, or a
 * burst BACK frame) has the response code and field device status as its first two data bytes.
 *
 * Command 0 changed meaning with HART 7: bytes 1-2 became the expanded device type and the
 * manufacturer id moved to bytes 17-18; before, byte 1 was the manufacturer id and byte 2 the
 * device type. The universal revision in byte 4 says which layout applies. */
#include "evidence_internal.h"
#include "sig/plant_ids.h"

enum {
    HIP_HDR = 8,
    HIP_VERSION_MIN = 1,
    HIP_VERSION_MAX = 2,
    HIP_TYPE_RESPONSE = 1,
    HIP_TYPE_PUBLISH = 2,
    HIP_TYPE_ERROR = 3,
    HIP_TYPE_NAK = 15,
    HIP_ID_MAX = 15, /* message ids defined so far are 0..14               */
    HIP_ID_PASS_THROUGH = 3,
    HIP_MSGS_MAX = 16,  /* messages walked per TCP payload                      */
    HART_FRAME_ACK = 6, /* delimiter frame types (bits 0-2)                    */
    HART_FRAME_BACK = 1,
    HART_LONG_ADDR = 0x80, /* delimiter bit 7: 5-byte address                     */
    HART_CMD_UNIQUE_ID = 0,
    HART_CMD_TAG = 13,
    HART_CMD_LONG_TAG = 20,
    HART_ID_MIN = 12,     /* command 0 reply bytes up to the device id            */
    HART7_ID_MIN = 19,    /* HART 7 reply bytes up to the manufacturer id          */
    HART_EXPANSION = 254, /* command 0 byte 0                                      */
    HART_TAG_PACKED = 6,  /* packed ASCII: 8 characters in 6 bytes                 */
    HART_LONG_TAG = 32,
};

static void hart_hex(probe_ev_buf_t *out, probe_ev_field f, const uint8_t *p, size_t n)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "0x", 2);
    for (size_t i = 0; i < n; i++)
        probe_ev_str_hex(&s, p[i]);
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

/* d/n: command 0 data after response code and device status. */
static void hart_unique_id(const uint8_t *d, size_t n, probe_ev_buf_t *out)
{
    if (n < HART_ID_MIN || d[0] != HART_EXPANSION) return;
    uint8_t rev = d[4];
    if (rev >= 7 && n >= HART7_ID_MIN) {
        uint16_t mfr = (uint16_t)(d[17] << 8 | d[18]);
        probe_ev_add_named(out, PROBE_EVF_HART_MANUFACTURER, sig_hart_vendor(mfr), "id ", mfr);
        hart_hex(out, PROBE_EVF_HART_DEVICE_TYPE, d + 1, 2);
    } else {
        probe_ev_add_named(out, PROBE_EVF_HART_MANUFACTURER, sig_hart_vendor(d[1]), "id ", d[1]);
        hart_hex(out, PROBE_EVF_HART_DEVICE_TYPE, d + 2, 1);
    }
    hart_hex(out, PROBE_EVF_HART_DEVICE_ID, d + 9, 3);
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "hart ", 5);
    probe_ev_str_u64(&s, rev);
    probe_ev_str_put(&s, ", device ", 9);
    probe_ev_str_u64(&s, d[5]);
    probe_ev_str_put(&s, ", sw ", 5);
    probe_ev_str_u64(&s, d[6]);
    probe_ev_add_str(out, PROBE_EVF_HART_REVISION, PROBE_EV_SRC, &s);
}

/* Packed ASCII: four 6-bit codes per 3 bytes; codes 0-31 are '@'..'_', 32-63 are ' '..'?'.
 * A tag of only '@' (all zero bytes) or spaces is unset. */
static void hart_packed_tag(const uint8_t *d, probe_ev_buf_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < HART_TAG_PACKED; i++)
        v = v << 8 | d[i];
    char tag[8];
    bool set = false;
    for (size_t i = 0; i < sizeof tag; i++) {
        unsigned code = (unsigned)(v >> (42 - 6 * i)) & 0x3F;
        tag[i] = (char)(code < 32 ? code + 0x40 : code);
        if (tag[i] != '@' && tag[i] != ' ') set = true;
    }
    if (set) probe_ev_add(out, PROBE_EVF_HART_TAG, PROBE_EV_SRC, tag, sizeof tag);
}

static void hart_long_tag(const uint8_t *d, probe_ev_buf_t *out)
{
    size_t len = 0;
    while (len < HART_LONG_TAG && d[len])
        len++;
    probe_ev_add(out, PROBE_EVF_HART_TAG, PROBE_EV_SRC, d, len);
}

/* One HART PDU, the whole of c; yields nothing unless it is a well-formed reply. */
static void hart_pdu(ssf_cur c, probe_ev_buf_t *out)
{
    const uint8_t *start = c.p;
    uint8_t delim, cmd, bc, rc, status, sum;
    const uint8_t *data;
    if (!ssf_cur_u8(&c, &delim)) return;
    uint8_t ftype = delim & 7;
    if (ftype != HART_FRAME_ACK && ftype != HART_FRAME_BACK) return;
    size_t addr = (delim & HART_LONG_ADDR ? 5 : 1) + ((delim >> 5) & 3);
    if (!ssf_cur_skip(&c, addr) || !ssf_cur_u8(&c, &cmd) || !ssf_cur_u8(&c, &bc)) return;
    if (bc < 2 || !ssf_cur_bytes(&c, bc, &data) || !ssf_cur_u8(&c, &sum)) return;
    uint8_t x = 0;
    for (const uint8_t *q = start; q < c.p - 1; q++)
        x ^= *q;
    rc = data[0];
    status = data[1];
    (void)status;
    if (x != sum || rc != 0) return;
    const uint8_t *d = data + 2;
    size_t n = (size_t)bc - 2;
    if (cmd == HART_CMD_UNIQUE_ID)
        hart_unique_id(d, n, out);
    else if (cmd == HART_CMD_TAG && n >= HART_TAG_PACKED)
        hart_packed_tag(d, out);
    else if (cmd == HART_CMD_LONG_TAG && n >= HART_LONG_TAG)
        hart_long_tag(d, out);
}

/* One HART-IP message; advances c past it. Header bytes are checked as far as present, so a
 * cut message of something else is EINVAL. */
static ssf_rc hart_msg(ssf_cur *c, probe_ev_buf_t *out)
{
    const uint8_t *p = c->p;
    size_t n = ssf_cur_left(c);
    if (n >= 1 && (p[0] < HIP_VERSION_MIN || p[0] > HIP_VERSION_MAX)) return SSF_EINVAL;
    if (n >= 2 && p[1] > HIP_TYPE_ERROR && p[1] != HIP_TYPE_NAK) return SSF_EINVAL;
    if (n >= 3 && p[2] > HIP_ID_MAX) return SSF_EINVAL;
    if (n < HIP_HDR) return SSF_ETRUNC;
    size_t len = (size_t)(p[6] << 8 | p[7]);
    if (len < HIP_HDR) return SSF_EINVAL;
    ssf_cur msg;
    if (!ssf_cur_sub(c, len, &msg)) return SSF_ETRUNC;
    ssf_cur_skip(&msg, HIP_HDR);
    if ((p[1] == HIP_TYPE_RESPONSE || p[1] == HIP_TYPE_PUBLISH) && p[2] == HIP_ID_PASS_THROUGH)
        hart_pdu(msg, out);
    return SSF_OK;
}

ssf_rc probe_ev_hart(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = hart_msg(&c, out);
    if (rc != SSF_OK) return rc;
    /* Later messages (TCP): a cut one is ETRUNC; one that does not parse ends the walk. */
    for (int i = 1; i < HIP_MSGS_MAX && ssf_cur_left(&c); i++) {
        rc = hart_msg(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}
