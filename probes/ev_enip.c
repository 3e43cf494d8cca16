/* ev_enip.c - identity from EtherNet/IP ListIdentity replies (CIP Vol. 2, chapter 2).
 *
 * Only the first encapsulation message in a payload is read: ListIdentity replies come alone,
 * over UDP or TCP 44818. SendRRData and SendUnitData carry explicit CIP messages: each
 * request's service (and, in a Multiple Service Packet, each embedded one) is reported as
 * enip.cip_service about its sender, and each reply's service with its general status, so a
 * write a PLC accepted shows as "0x4d write_tag reply: status 0x00". Other commands are
 * recognised (SSF_OK) and yield nothing, when the header's command, status and options are
 * ones the specification defines. All
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
    ENIP_CMD_SEND_RR = 0x006F,       /* unconnected explicit messages              */
    ENIP_CMD_SEND_UNIT = 0x0070,     /* connected explicit messages                */
    ENIP_ITEM_CONNECTED = 0x00B1,    /* CPF data item: sequence count + CIP        */
    ENIP_ITEM_UNCONNECTED = 0x00B2,  /* CPF data item: CIP                         */
    CIP_REPLY = 0x80,                /* service bit of a reply                     */
    CIP_MULTIPLE = 0x0A,             /* Multiple Service Packet                    */
    CIP_MULTI_MAX = 8,               /* embedded services read per packet          */
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

/* Service names of the CIP common services (Vol. 1, Appendix A) and of the Logix tag and
 * connection services seen on plant networks. Services 0x4B..0x63 are object-specific: their
 * meaning depends on the class addressed, so those names are the usual ones on a ControlLogix
 * (tags) and the Connection Manager (forward open/close). */
static const char *cip_service_name(uint8_t s)
{
    static const struct {
        uint8_t s;
        const char *name;
    } names[] = {
        {0x01, "get_attributes_all"},
        {0x02, "set_attributes_all"},
        {0x03, "get_attribute_list"},
        {0x04, "set_attribute_list"},
        {0x05, "reset"},
        {0x06, "start"},
        {0x07, "stop"},
        {0x08, "create"},
        {0x09, "delete"},
        {0x0A, "multiple_service_packet"},
        {0x0D, "apply_attributes"},
        {0x0E, "get_attribute_single"},
        {0x10, "set_attribute_single"},
        {0x11, "find_next_object_instance"},
        {0x15, "restore"},
        {0x16, "save"},
        {0x17, "nop"},
        {0x18, "get_member"},
        {0x19, "set_member"},
        {0x4B, "execute_pccc"},
        {0x4C, "read_tag"},
        {0x4D, "write_tag"},
        {0x4E, "read_modify_write_tag"},
        {0x52, "read_tag_fragmented"},
        {0x53, "write_tag_fragmented"},
        {0x54, "forward_open"},
        {0x5B, "large_forward_open"},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(names); i++)
        if (names[i].s == s) return names[i].name;
    return NULL;
}

/* One CIP message: "0x4c read_tag", or for a reply "0xcc"'s service and its general status. */
static void cip_emit(ssf_cur m, probe_ev_buf_t *out)
{
    uint8_t svc, reserved, status;
    if (!ssf_cur_u8(&m, &svc)) return;
    uint8_t code = svc & (uint8_t)~CIP_REPLY;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "0x", 2);
    probe_ev_str_hex(&s, code);
    const char *name = cip_service_name(code);
    if (name) probe_ev_str_putc(&s, ' '), probe_ev_str_put(&s, name, strlen(name));
    if ((svc & CIP_REPLY) && ssf_cur_u8(&m, &reserved) && ssf_cur_u8(&m, &status)) {
        probe_ev_str_put(&s, " reply: status 0x", 17);
        probe_ev_str_hex(&s, status);
    }
    for (size_t i = 0; i < out->n; i++)
        if (out->items[i].field == PROBE_EVF_ENIP_CIP_SERVICE && !strcmp(out->items[i].value, s.s))
            return;
    probe_ev_add_str(out, PROBE_EVF_ENIP_CIP_SERVICE, PROBE_EV_SRC, &s);
}

/* The services inside a Multiple Service Packet: a request's data (after service, path size
 * and path) or a reply's (after the 4-byte reply header) is a count and offsets, from the
 * count's own position, to each embedded message. */
static void cip_multiple(ssf_cur m, probe_ev_buf_t *out)
{
    uint8_t svc, words, ext;
    if (!ssf_cur_u8(&m, &svc)) return;
    if (svc & CIP_REPLY) {
        if (!ssf_cur_skip(&m, 2) || !ssf_cur_u8(&m, &ext) || !ssf_cur_skip(&m, (size_t)ext * 2))
            return;
    } else if (!ssf_cur_u8(&m, &words) || !ssf_cur_skip(&m, (size_t)words * 2)) {
        return;
    }
    ssf_cur list = m;
    uint16_t count, off, next;
    if (!enip_u16le(&m, &count)) return;
    for (uint16_t i = 0; i < count && i < CIP_MULTI_MAX; i++) {
        ssf_cur at = m;
        if (!enip_u16le(&m, &off)) return;
        if (i + 1 < count && enip_u16le(&at, &next) && enip_u16le(&at, &next)) {
            /* next is the following offset: the embedded message ends there. */
        } else {
            next = (uint16_t)ssf_cur_left(&list);
        }
        if (off >= ssf_cur_left(&list) || next <= off || next > ssf_cur_left(&list)) return;
        ssf_cur one = {list.p + off, list.p + next};
        cip_emit(one, out);
    }
}

/* The CPF items of SendRRData / SendUnitData: interface handle, timeout, then items. */
static void enip_send_data(ssf_cur c, probe_ev_buf_t *out)
{
    uint16_t count, type, len, seq;
    if (!ssf_cur_skip(&c, 6) || !enip_u16le(&c, &count)) return;
    for (uint16_t i = 0; i < count && i < ENIP_MAX_ITEMS; i++) {
        ssf_cur item;
        if (!enip_u16le(&c, &type) || !enip_u16le(&c, &len) || !ssf_cur_sub(&c, len, &item)) return;
        if (type == ENIP_ITEM_CONNECTED && !enip_u16le(&item, &seq)) continue;
        if (type != ENIP_ITEM_CONNECTED && type != ENIP_ITEM_UNCONNECTED) continue;
        if (!ssf_cur_left(&item)) continue;
        cip_emit(item, out);
        if ((item.p[0] & (uint8_t)~CIP_REPLY) == CIP_MULTIPLE) cip_multiple(item, out);
    }
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
    if ((cmd == ENIP_CMD_SEND_RR || cmd == ENIP_CMD_SEND_UNIT) && status == 0) {
        enip_send_data(body, out);
        return SSF_OK;
    }
    /* A request has no body; a reply with an error status has nothing to read. */
    if (cmd != ENIP_CMD_LIST_IDENTITY || len == 0 || status != 0) return SSF_OK;
    return enip_list_identity(&body, out);
}

/* CIP services (request or reply) that change a device: set attributes (0x02, 0x04, 0x10),
 * reset, start, stop (0x05-0x07), create and delete (0x08, 0x09), restore (0x15), set member
 * (0x19), and the Logix tag writes (0x4D, 0x4E, 0x53). */
static bool cip_watch_service(uint8_t svc)
{
    switch (svc & (uint8_t)~CIP_REPLY) {
    case 0x02:
    case 0x04:
    case 0x05:
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x10:
    case 0x15:
    case 0x19:
    case 0x4D:
    case 0x4E:
    case 0x53:
        return true;
    default:
        return false;
    }
}

static uint16_t watch_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The services a Multiple Service Packet embeds, as cip_multiple finds them: m and n hold the
 * packet's CIP message. */
static bool cip_watch_multiple(const uint8_t *m, size_t n)
{
    if (n < 4) return false; /* a service, its path or reply header, and the count at least */
    size_t at = (m[0] & CIP_REPLY) ? 4 + (size_t)m[3] * 2 : 2 + (size_t)m[1] * 2;
    if (at + 2 > n) return false;
    const uint8_t *list = m + at;
    size_t left = n - at;
    uint16_t count = watch_u16le(list);
    for (uint16_t i = 0; i < count && i < CIP_MULTI_MAX && 2 + 2 * (size_t)i + 2 <= left; i++) {
        uint16_t off = watch_u16le(list + 2 + 2 * i);
        if (off < left && cip_watch_service(list[off])) return true;
    }
    return false;
}

/* SendRRData or SendUnitData with status 0: the encapsulation header, then the CPF items of the
 * first message in the payload; each data item's first byte is the CIP service. */
bool probe_ev_enip_watch(const uint8_t *p, size_t n)
{
    enum { CPF_COUNT_AT = ENIP_HDR_LEN + 6 };
    if (n < CPF_COUNT_AT + 2) return false;
    uint16_t cmd = watch_u16le(p);
    size_t end = ENIP_HDR_LEN + (size_t)watch_u16le(p + 2);
    if (p[8] | p[9] | p[10] | p[11] || end > n) return false;
    /* A ListIdentity reply, which a tool may ask for at any time, names the device. */
    if (cmd == ENIP_CMD_LIST_IDENTITY) return true;
    if (cmd != ENIP_CMD_SEND_RR && cmd != ENIP_CMD_SEND_UNIT) return false;
    uint16_t count = watch_u16le(p + CPF_COUNT_AT);
    size_t at = CPF_COUNT_AT + 2;
    for (uint16_t i = 0; i < count && i < ENIP_MAX_ITEMS && at + 4 <= end; i++) {
        uint16_t type = watch_u16le(p + at), len = watch_u16le(p + at + 2);
        at += 4;
        if (len > end - at) return false;
        size_t skip = type == ENIP_ITEM_CONNECTED ? 2 : type == ENIP_ITEM_UNCONNECTED ? 0 : len;
        if (skip < len) {
            const uint8_t *m = p + at + skip;
            if (cip_watch_service(m[0])) return true;
            if ((m[0] & (uint8_t)~CIP_REPLY) == CIP_MULTIPLE && cip_watch_multiple(m, len - skip))
                return true;
        }
        at += len;
    }
    return false;
}
