/* ev_bacnet.c - identity from BACnet/IP (ASHRAE 135, Annex J for BVLC, clause 6 for the NPDU,
 * clause 20 for APDU encoding).
 *
 * Read: I-Am (device instance, vendor id) and the Complex-ACKs of ReadProperty and
 * ReadPropertyMultiple for the device object's vendor-name, model-name, firmware-revision,
 * application-software-version and object-name, when the value is a character string in
 * UTF-8/ANSI (encoding 0). Everything else that is well-formed BVLC is SSF_OK with no items.
 * The BVLC length must equal the payload length (one message per UDP datagram). */
#include "evidence_internal.h"
#include "sig/bacnet.h"

enum {
    BVLC_TYPE_BIP = 0x81,     /* BACnet/IP (Annex J)                                 */
    BVLC_HDR_LEN = 4,         /* type, function, length (BE, includes the header)   */
    BVLC_FN_MAX = 0x0c,       /* highest defined function (Secure-BVLL)             */
    NPDU_VERSION = 1,         /* the only protocol version                           */
    NPDU_NET_MSG = 0x80,      /* control: network layer message, no APDU            */
    NPDU_RESERVED = 0x50,     /* control bits 6 and 4 must be 0                      */
    NPDU_DNET = 0x20,         /* control: DNET, DLEN, DADR and hop count present     */
    NPDU_SNET = 0x08,         /* control: SNET, SLEN, SADR present                   */
    APDU_CONFIRMED = 0,       /* PDU type: Confirmed-Request                         */
    APDU_UNCONFIRMED = 1,     /* PDU type: Unconfirmed-Request                       */
    APDU_SIMPLE_ACK = 2,      /* PDU type: SimpleACK                                 */
    APDU_ERROR = 5,           /* PDU type: Error                                     */
    APDU_COMPLEX_ACK = 3,     /* PDU type: Complex-ACK                               */
    APDU_SEG = 0x08,          /* Complex-ACK flag: segmented message                 */
    SVC_I_AM = 0,             /* unconfirmed service choice                          */
    SVC_READ_PROP = 12,       /* confirmed service choice                            */
    SVC_READ_PROP_MULTI = 14, /* confirmed service choice                            */
    TAG_APP_BOOLEAN = 1,      /* application tag whose value sits in the tag byte    */
    TAG_APP_UNSIGNED = 2,     /* application tags used below                        */
    TAG_APP_CHARSTRING = 7,
    TAG_APP_ENUMERATED = 9,
    TAG_APP_OBJECT_ID = 12,
    OBJ_DEVICE = 8, /* object type of the device object                    */
    CHARSET_UTF8 = 0,
    BAC_INSTANCE_MASK = 0x3fffff,
    /* low 22 bits of an object identifier; all ones = wildcard */ /* character string encoding
                                                                      byte: UTF-8 / ANSI X3.4   */
};

/* Where the NPDU starts after the BVLC header, for the functions that carry one. */
static const struct {
    uint8_t fn;
    uint8_t skip; /* bytes between the BVLC header and the NPDU */
} bvlc_npdu_fns[] = {
    {0x04, 6}, /* Forwarded-NPDU: original source B/IP address and port */
    {0x09, 0}, /* Distribute-Broadcast-To-Network                         */
    {0x0a, 0}, /* Original-Unicast-NPDU                                   */
    {0x0b, 0}, /* Original-Broadcast-NPDU                                 */
};

/* Device-object properties we report. */
static const struct {
    uint32_t prop;
    probe_ev_field field;
} bac_props[] = {
    {121, PROBE_EVF_BACNET_VENDOR_NAME}, /* vendor-name                   */
    {70, PROBE_EVF_BACNET_MODEL},        /* model-name                    */
    {44, PROBE_EVF_BACNET_FIRMWARE},     /* firmware-revision             */
    {12, PROBE_EVF_BACNET_APP_VERSION},  /* application-software-version  */
    {77, PROBE_EVF_BACNET_OBJECT_NAME},  /* object-name                   */
};

typedef enum { BAC_APP, BAC_CTX, BAC_OPEN, BAC_CLOSE } bac_kind;

/* One decoded tag. For BAC_APP and BAC_CTX the content has been consumed and is [v, v+len). */
typedef struct {
    uint8_t num;      /* tag number, 0..254                                 */
    bac_kind kind;    /* application, context, opening or closing           */
    uint32_t len;     /* content length; 0 for open/close and app booleans  */
    const uint8_t *v; /* content                                            */
} bac_tag_t;

/* Length/value/type 5 means the length follows: one byte, or 254 + 2 bytes, or 255 + 4. */
static bool bac_ext_len(ssf_cur *c, uint32_t *len)
{
    uint8_t x;
    uint16_t l16;
    if (!ssf_cur_u8(c, &x)) return false;
    if (x == 254) {
        if (!ssf_cur_u16be(c, &l16)) return false;
        *len = l16;
        return true;
    }
    if (x == 255) return ssf_cur_u32be(c, len);
    *len = x;
    return true;
}

/* Reads one tag and its content. SSF_ETRUNC when the header or content runs past the cursor:
 * a hostile 4-byte length is checked against what is left, never trusted. */
static ssf_rc bac_tag_read(ssf_cur *c, bac_tag_t *t)
{
    uint8_t b;
    if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
    t->num = (uint8_t)(b >> 4);
    if (t->num == 15 && !ssf_cur_u8(c, &t->num)) return SSF_ETRUNC;
    uint8_t lvt = b & 7;
    bool ctx = (b & 8) != 0;
    t->len = 0;
    t->v = c->p;
    if (ctx && lvt >= 6) {
        t->kind = lvt == 6 ? BAC_OPEN : BAC_CLOSE;
        return SSF_OK;
    }
    t->kind = ctx ? BAC_CTX : BAC_APP;
    if (!ctx && t->num == TAG_APP_BOOLEAN) return SSF_OK;
    if (lvt < 5)
        t->len = lvt;
    else if (!bac_ext_len(c, &t->len))
        return SSF_ETRUNC;
    return ssf_cur_bytes(c, t->len, &t->v) ? SSF_OK : SSF_ETRUNC;
}

/* An unsigned of 1..4 bytes (object identifiers included). */
static bool bac_uint(const bac_tag_t *t, uint32_t *v)
{
    if (t->len < 1 || t->len > 4) return false;
    *v = 0;
    for (uint32_t i = 0; i < t->len; i++)
        *v = *v << 8 | t->v[i];
    return true;
}

/* Reads a tag that must be of kind k and number num, holding an unsigned when it has content. */
static ssf_rc bac_expect(ssf_cur *c, bac_kind k, uint8_t num, uint32_t *v)
{
    bac_tag_t t;
    ssf_rc rc = bac_tag_read(c, &t);
    if (rc != SSF_OK) return rc;
    if (t.kind != k || t.num != num) return SSF_EINVAL;
    if ((k == BAC_APP || k == BAC_CTX) && !bac_uint(&t, v)) return SSF_EINVAL;
    return SSF_OK;
}

/* Skips tags up to and including the closing tag that pairs with an opening tag `num` the
 * caller has read. Every step consumes at least one byte, so the walk ends within the cursor. */
static ssf_rc bac_skip_to_close(ssf_cur *c, uint8_t num)
{
    size_t depth = 0;
    bac_tag_t t;
    for (;;) {
        ssf_rc rc = bac_tag_read(c, &t);
        if (rc != SSF_OK) return rc;
        if (t.kind == BAC_OPEN) {
            depth++;
        } else if (t.kind == BAC_CLOSE) {
            if (depth == 0) return t.num == num ? SSF_OK : SSF_EINVAL;
            depth--;
        }
    }
}

static void bac_emit_prop(probe_ev_buf_t *out, uint32_t objid, uint32_t prop, const bac_tag_t *t)
{
    if (objid >> 22 != OBJ_DEVICE || t->len < 1 || t->v[0] != CHARSET_UTF8) return;
    for (size_t i = 0; i < SSF_ARRAY_LEN(bac_props); i++)
        if (bac_props[i].prop == prop)
            probe_ev_add(out, bac_props[i].field, PROBE_EV_SRC, t->v + 1, t->len - 1);
}

/* A property value between opening and closing tag `num`: reports it when its first datum is a
 * character string, then skips to the closing tag. */
static ssf_rc bac_value(ssf_cur *c, uint8_t num, uint32_t objid, uint32_t prop, probe_ev_buf_t *out)
{
    ssf_cur peek = *c;
    bac_tag_t t;
    if (bac_tag_read(&peek, &t) == SSF_OK && t.kind == BAC_APP && t.num == TAG_APP_CHARSTRING)
        bac_emit_prop(out, objid, prop, &t);
    return bac_skip_to_close(c, num);
}

/* ReadProperty-ACK: objectIdentifier [0], propertyIdentifier [1], propertyArrayIndex [2]
 * OPTIONAL, propertyValue [3]. */
static ssf_rc bac_rp_ack(ssf_cur *c, probe_ev_buf_t *out)
{
    uint32_t objid, prop;
    bac_tag_t t;
    ssf_rc rc;
    if ((rc = bac_expect(c, BAC_CTX, 0, &objid)) != SSF_OK) return rc;
    if ((rc = bac_expect(c, BAC_CTX, 1, &prop)) != SSF_OK) return rc;
    if ((rc = bac_tag_read(c, &t)) != SSF_OK) return rc;
    if (t.kind == BAC_CTX && t.num == 2 && (rc = bac_tag_read(c, &t)) != SSF_OK) return rc;
    if (t.kind != BAC_OPEN || t.num != 3) return SSF_EINVAL;
    return bac_value(c, 3, objid, prop, out);
}

/* listOfResults [1] of one object: propertyIdentifier [2], propertyArrayIndex [3] OPTIONAL,
 * then propertyValue [4] or propertyAccessError [5], until the closing tag [1]. */
static ssf_rc bac_rpm_results(ssf_cur *c, uint32_t objid, probe_ev_buf_t *out)
{
    bac_tag_t t;
    uint32_t prop;
    ssf_rc rc;
    for (;;) { /* each result consumes bytes: ends within the cursor */
        if ((rc = bac_tag_read(c, &t)) != SSF_OK) return rc;
        if (t.kind == BAC_CLOSE && t.num == 1) return SSF_OK;
        if (t.kind != BAC_CTX || t.num != 2 || !bac_uint(&t, &prop)) return SSF_EINVAL;
        if ((rc = bac_tag_read(c, &t)) != SSF_OK) return rc;
        if (t.kind == BAC_CTX && t.num == 3 && (rc = bac_tag_read(c, &t)) != SSF_OK) return rc;
        if (t.kind != BAC_OPEN || (t.num != 4 && t.num != 5)) return SSF_EINVAL;
        if ((rc = bac_value(c, t.num, objid, prop, out)) != SSF_OK) return rc;
    }
}

/* ReadPropertyMultiple-ACK: a sequence of objectIdentifier [0] + listOfResults [1]. */
static ssf_rc bac_rpm_ack(ssf_cur *c, probe_ev_buf_t *out)
{
    uint32_t objid, unused;
    ssf_rc rc;
    while (ssf_cur_left(c)) {
        if ((rc = bac_expect(c, BAC_CTX, 0, &objid)) != SSF_OK) return rc;
        if ((rc = bac_expect(c, BAC_OPEN, 1, &unused)) != SSF_OK) return rc;
        if ((rc = bac_rpm_results(c, objid, out)) != SSF_OK) return rc;
    }
    return SSF_OK;
}

/* I-Am: iAmDeviceIdentifier, maxAPDULengthAccepted, segmentationSupported, vendorID, all
 * application-tagged. */
static ssf_rc bac_iam(ssf_cur *c, probe_ev_buf_t *out)
{
    static const uint8_t tags[] = {TAG_APP_OBJECT_ID, TAG_APP_UNSIGNED, TAG_APP_ENUMERATED,
                                   TAG_APP_UNSIGNED};
    uint32_t v[SSF_ARRAY_LEN(tags)];
    for (size_t i = 0; i < SSF_ARRAY_LEN(tags); i++) {
        ssf_rc rc = bac_expect(c, BAC_APP, tags[i], &v[i]);
        if (rc != SSF_OK) return rc;
    }
    if (v[0] >> 22 != OBJ_DEVICE || v[3] > UINT16_MAX) return SSF_EINVAL;
    /* 4194303 is the wildcard instance that stands for "this device", not a configured number. */
    if ((v[0] & BAC_INSTANCE_MASK) != BAC_INSTANCE_MASK)
        probe_ev_add_named(out, PROBE_EVF_BACNET_INSTANCE, NULL, "", v[0] & BAC_INSTANCE_MASK);
    probe_ev_add_named(out, PROBE_EVF_BACNET_VENDOR, sig_bacnet_vendor((uint16_t)v[3]),
                       "vendor id ", v[3]);
    return SSF_OK;
}

/* Confirmed services that change a device or its objects (issue 4: unauth_ics_write,
 * unauth_ics_control), by service choice (clause 21). */
static const char *bac_service_name(uint8_t svc)
{
    switch (svc) {
    case 15:
        return "write_property";
    case 16:
        return "write_property_multiple";
    case 17:
        return "device_communication_control";
    case 20:
        return "reinitialize_device";
    default:
        return NULL;
    }
}

/* bacnet.service "15 write_property", with " reply: ack" / " reply: error" for the answer. */
static void bac_service(uint8_t svc, const char *reply, probe_ev_buf_t *out)
{
    const char *name = bac_service_name(svc);
    if (!name) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, svc);
    probe_ev_str_putc(&s, ' ');
    probe_ev_str_put(&s, name, strlen(name));
    if (reply) probe_ev_str_put(&s, reply, strlen(reply));
    probe_ev_add_str(out, PROBE_EVF_BACNET_SERVICE, PROBE_EV_SRC, &s);
}

/* Confirmed-Request (20.1.2), SimpleACK (20.1.4), Error (20.1.7): the service choice only. */
static ssf_rc bac_confirmed(uint8_t type, uint8_t b0, ssf_cur *c, probe_ev_buf_t *out)
{
    uint8_t skip = type == APDU_CONFIRMED ? 2 : 1;            /* max segments/APDU, invoke id */
    if (type == APDU_CONFIRMED && (b0 & APDU_SEG)) skip += 2; /* sequence, window */
    uint8_t svc;
    if (!ssf_cur_skip(c, skip) || !ssf_cur_u8(c, &svc)) return SSF_ETRUNC;
    bac_service(svc,
                type == APDU_SIMPLE_ACK ? " reply: ack"
                : type == APDU_ERROR    ? " reply: error"
                                        : NULL,
                out);
    return SSF_OK;
}

static ssf_rc bac_apdu(ssf_cur *c, probe_ev_buf_t *out)
{
    uint8_t b0, invoke, svc, seq = 0, window;
    if (!ssf_cur_u8(c, &b0)) return SSF_EINVAL; /* no network message bit, yet no APDU */
    uint8_t type = b0 >> 4;
    if (type == APDU_CONFIRMED || type == APDU_SIMPLE_ACK || type == APDU_ERROR)
        return bac_confirmed(type, b0, c, out);
    if (b0 >> 4 == APDU_UNCONFIRMED) {
        if (!ssf_cur_u8(c, &svc)) return SSF_ETRUNC;
        return svc == SVC_I_AM ? bac_iam(c, out) : SSF_OK;
    }
    if (b0 >> 4 > 7) return SSF_EINVAL; /* PDU types 8..15 are undefined */
    if (b0 >> 4 != APDU_COMPLEX_ACK) return SSF_OK;
    if (!ssf_cur_u8(c, &invoke)) return SSF_ETRUNC;
    if ((b0 & APDU_SEG) && (!ssf_cur_u8(c, &seq) || !ssf_cur_u8(c, &window))) return SSF_ETRUNC;
    if (!ssf_cur_u8(c, &svc)) return SSF_ETRUNC;
    /* Later segments continue a value mid-stream: nothing to anchor on. */
    if (seq != 0) return SSF_OK;
    if (svc == SVC_READ_PROP) return bac_rp_ack(c, out);
    if (svc == SVC_READ_PROP_MULTI) return bac_rpm_ack(c, out);
    return SSF_OK;
}

/* A network number, address length and address (DNET/DLEN/DADR or SNET/SLEN/SADR). */
static bool bac_skip_addr(ssf_cur *c)
{
    uint16_t net;
    uint8_t len;
    return ssf_cur_u16be(c, &net) && ssf_cur_u8(c, &len) && ssf_cur_skip(c, len);
}

static ssf_rc bac_npdu(ssf_cur *c, probe_ev_buf_t *out)
{
    uint8_t ver, ctl;
    if (!ssf_cur_u8(c, &ver) || !ssf_cur_u8(c, &ctl)) return SSF_ETRUNC;
    if (ver != NPDU_VERSION || (ctl & NPDU_RESERVED)) return SSF_EINVAL;
    if ((ctl & NPDU_DNET) && !bac_skip_addr(c)) return SSF_ETRUNC;
    if ((ctl & NPDU_SNET) && !bac_skip_addr(c)) return SSF_ETRUNC;
    if ((ctl & NPDU_DNET) && !ssf_cur_skip(c, 1)) return SSF_ETRUNC; /* hop count */
    if (ctl & NPDU_NET_MSG) return SSF_OK;
    return bac_apdu(c, out);
}

ssf_rc probe_ev_bacnet(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    if (n < 1) return SSF_ETRUNC;
    if (p[0] != BVLC_TYPE_BIP) return SSF_EINVAL;
    if (n < BVLC_HDR_LEN) return SSF_ETRUNC;
    uint8_t fn = p[1];
    size_t len = (size_t)(p[2] << 8 | p[3]);
    if (fn > BVLC_FN_MAX || len < BVLC_HDR_LEN) return SSF_EINVAL;
    if (len > n) return SSF_ETRUNC;
    /* One B/IP message fills its UDP datagram; trailing bytes mean a look-alike (NetBIOS
     * session packets also start with 0x81). */
    if (len < n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p + BVLC_HDR_LEN, len - BVLC_HDR_LEN);
    for (size_t i = 0; i < SSF_ARRAY_LEN(bvlc_npdu_fns); i++) {
        if (bvlc_npdu_fns[i].fn != fn) continue;
        if (!ssf_cur_skip(&c, bvlc_npdu_fns[i].skip)) return SSF_EINVAL;
        return bac_npdu(&c, out);
    }
    return SSF_OK; /* BVLC control functions (registration, BDT/FDT) carry no identity */
}
