/* ev_enip.c - identity from EtherNet/IP ListIdentity replies (CIP Vol. 2, chapter 2).
 *
 * Only the first encapsulation message in a payload is read: ListIdentity replies come alone,
 * over UDP or TCP 44818. Other commands are recognised (SSF_OK) and yield nothing, when the
 * header's command, status and options are ones the specification defines. All
 * encapsulation fields are little-endian except the socket address, which is a big-endian
 * sockaddr_in that we skip. */
#include "evidence_internal.h"
#include "sig/cip.h"

enum {
    ENIP_HDR_LEN = 24,               /* command .. options                         */
    ENIP_CMD_LIST_IDENTITY = 0x0063, /* the one command whose reply names a device */
    ENIP_ITEM_IDENTITY = 0x000C,     /* CPF item type: CIP Identity                */
    ENIP_SOCKADDR_LEN = 16,          /* sin_family, sin_port, sin_addr, sin_zero   */
    ENIP_MAX_ITEMS = 8,              /* replies carry one; bound hostile counts    */
};

/* Commands the encapsulation layer defines; anything else is not EtherNet/IP. NOP (0x0000) is
 * left out on purpose: it carries nothing, and zero-filled payloads of other protocols would
 * pass for it. */
static const uint16_t enip_commands[] = {
    0x0004, /* ListServices       */
    0x0063, /* ListIdentity       */
    0x0064, /* ListInterfaces     */
    0x0065, /* RegisterSession    */
    0x0066, /* UnRegisterSession  */
    0x006F, /* SendRRData         */
    0x0070, /* SendUnitData       */
    0x0072, /* IndicateStatus     */
    0x0073, /* Cancel             */
};

/* Encapsulation status codes the specification defines; others mean a look-alike. */
static const uint32_t enip_statuses[] = {
    0x0000, /* success                              */
    0x0001, /* invalid or unsupported command       */
    0x0002, /* insufficient memory                  */
    0x0003, /* incorrect data                       */
    0x0064, /* invalid session handle               */
    0x0065, /* invalid length                       */
    0x0069, /* unsupported protocol revision        */
};

static bool enip_u16le(ssf_cur *c, uint16_t *v)
{
    const uint8_t *b;
    if (!ssf_cur_bytes(c, 2, &b)) return false;
    *v = (uint16_t)(b[0] | b[1] << 8);
    return true;
}

static bool enip_u32le(ssf_cur *c, uint32_t *v)
{
    const uint8_t *b;
    if (!ssf_cur_bytes(c, 4, &b)) return false;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

static bool enip_known_command(uint16_t cmd)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(enip_commands); i++)
        if (enip_commands[i] == cmd) return true;
    return false;
}

static bool enip_known_status(uint32_t status)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(enip_statuses); i++)
        if (enip_statuses[i] == status) return true;
    return false;
}

/* The fixed part of a CIP Identity item, in wire order after the socket address. */
typedef struct {
    uint16_t vendor;       /* ODVA vendor id                                  */
    uint16_t device_type;  /* CIP device profile                              */
    uint16_t product_code; /* vendor-specific product number                  */
    uint8_t rev_major;     /* revision major                                  */
    uint8_t rev_minor;     /* revision minor                                  */
    uint16_t status;       /* Identity object status word (not reported)      */
    uint32_t serial;       /* serial number                                   */
    const uint8_t *name;   /* product name (SHORT_STRING), not NUL-terminated */
    uint8_t name_len;      /* its length                                      */
} enip_identity_t;

static bool enip_identity_parse(ssf_cur *c, enip_identity_t *id)
{
    uint16_t version;
    return enip_u16le(c, &version) && ssf_cur_skip(c, ENIP_SOCKADDR_LEN) &&
           enip_u16le(c, &id->vendor) && enip_u16le(c, &id->device_type) &&
           enip_u16le(c, &id->product_code) && ssf_cur_u8(c, &id->rev_major) &&
           ssf_cur_u8(c, &id->rev_minor) && enip_u16le(c, &id->status) &&
           enip_u32le(c, &id->serial) && ssf_cur_u8(c, &id->name_len) &&
           ssf_cur_bytes(c, id->name_len, &id->name);
}

static void enip_identity_emit(probe_ev_buf_t *out, const enip_identity_t *id)
{
    probe_ev_str_t s;
    probe_ev_add_named(out, PROBE_EVF_ENIP_VENDOR, sig_cip_vendor(id->vendor), "vendor id ",
                       id->vendor);
    probe_ev_add_named(out, PROBE_EVF_ENIP_DEVICE_TYPE, sig_cip_device_type(id->device_type), "",
                       id->device_type);
    probe_ev_add_named(out, PROBE_EVF_ENIP_PRODUCT_CODE, NULL, "", id->product_code);

    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, id->rev_major);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_u64(&s, id->rev_minor);
    probe_ev_add_str(out, PROBE_EVF_ENIP_REVISION, PROBE_EV_SRC, &s);

    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "0x", 2);
    for (int shift = 24; shift >= 0; shift -= 8)
        probe_ev_str_hex(&s, (uint8_t)(id->serial >> shift));
    probe_ev_add_str(out, PROBE_EVF_ENIP_SERIAL, PROBE_EV_SRC, &s);

    probe_ev_add(out, PROBE_EVF_ENIP_PRODUCT, PROBE_EV_SRC, id->name, id->name_len);
}

/* Walks the CPF item list of a ListIdentity reply. An item that claims more bytes than the
 * message holds is malformed (the message length was already checked against n). */
static ssf_rc enip_list_identity(ssf_cur *c, probe_ev_buf_t *out)
{
    uint16_t count, type, len;
    if (!enip_u16le(c, &count)) return SSF_EINVAL;
    for (uint16_t i = 0; i < count && i < ENIP_MAX_ITEMS; i++) {
        ssf_cur item;
        if (!enip_u16le(c, &type) || !enip_u16le(c, &len) || !ssf_cur_sub(c, len, &item))
            return SSF_EINVAL;
        if (type != ENIP_ITEM_IDENTITY) continue;
        enip_identity_t id;
        if (!enip_identity_parse(&item, &id)) return SSF_EINVAL;
        enip_identity_emit(out, &id);
    }
    return SSF_OK;
}

ssf_rc probe_ev_enip(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    uint16_t cmd, len;
    uint32_t session, status, options;
    if (!enip_u16le(&c, &cmd)) return SSF_ETRUNC;
    if (!enip_known_command(cmd)) return SSF_EINVAL;
    if (n < ENIP_HDR_LEN) return SSF_ETRUNC;
    if (!enip_u16le(&c, &len) || !enip_u32le(&c, &session) || !enip_u32le(&c, &status) ||
        !ssf_cur_skip(&c, 8) || !enip_u32le(&c, &options))
        return SSF_ETRUNC;
    /* The specification requires options 0; it is cheap evidence against look-alikes. */
    if (options != 0 || !enip_known_status(status)) return SSF_EINVAL;
    ssf_cur body;
    if (!ssf_cur_sub(&c, len, &body)) return SSF_ETRUNC;
    /* A request has no body; a reply with an error status has nothing to read. */
    if (cmd != ENIP_CMD_LIST_IDENTITY || len == 0 || status != 0) return SSF_OK;
    return enip_list_identity(&body, out);
}
