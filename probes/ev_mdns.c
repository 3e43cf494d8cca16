/* ev_mdns.c - identity from multicast DNS responses (RFC 1035 wire format, RFC 6762 mDNS,
 * RFC 6763 DNS-SD).
 *
 * Only responses describe their sender: the records in a query's known-answer section are the
 * querier's cache, so queries are checked (header and questions) and yield nothing. From a
 * response's answer, authority and additional records we read DNS-SD service PTRs (service
 * type and instance name), A/AAAA owner names under .local, and TXT pairs whose key is in a
 * small identity table. Everything else is skipped by its rdlength. */
#include "evidence_internal.h"

#include <strings.h>

enum {
    MDNS_HDR_LEN = 12,        /* id, flags, qd/an/ns/ar counts                        */
    MDNS_QR = 0x8000,         /* flags: this is a response                            */
    MDNS_OPCODE = 0x7800,     /* flags: RFC 6762 s18.3, must be 0 (standard query)    */
    MDNS_RCODE = 0x000f,      /* flags: RFC 6762 s18.11, must be 0                    */
    MDNS_CLASS_MASK = 0x7fff, /* top bit is cache-flush (records) / unicast (questions) */
    MDNS_CLASS_IN = 1,
    MDNS_T_A = 1,
    MDNS_T_PTR = 12,
    MDNS_T_TXT = 16,
    MDNS_T_AAAA = 28,
    MDNS_MAX_RECORDS = 64, /* questions, then records, walked per packet              */
    MDNS_MAX_JUMPS = 16,   /* compression pointers followed in one name              */
    MDNS_NAME_MAX = 255,   /* wire bytes of a name, RFC 1035 s3.1                   */
    MDNS_MAX_LABELS = 128, /* 255 bytes hold at most 127 labels plus the root        */
    MDNS_TXT_MAX = 8,      /* mdns.txt items per packet                              */
    MDNS_LABEL_PTR = 0xc0, /* the two top bits of a length byte: compression pointer  */
};

/* A decoded name in uncompressed wire form, with where each label starts. */
typedef struct {
    uint8_t wire[MDNS_NAME_MAX + 1]; /* length-prefixed labels, no root byte         */
    size_t len;                      /* bytes used in wire                           */
    size_t nlab;                     /* labels                                       */
    uint8_t off[MDNS_MAX_LABELS];    /* offset in wire of each label's length byte   */
} mdns_name_t;

/* The whole message (compression pointers index it) and what one packet has emitted. */
typedef struct {
    const uint8_t *p;    /* message start                                    */
    size_t n;            /* message length                                   */
    probe_ev_buf_t *out; /* items                                            */
    unsigned ntxt;       /* mdns.txt items so far                            */
} mdns_msg_t;

/* TXT keys that name a make, model or firmware (RFC 6763 s6, Bonjour printing and AirPlay). */
static const char *const mdns_txt_keys[] = {
    "model",  "md", "ty", "manufacturer", "mfg", "mdl",      "product", "usb_MFG", "usb_MDL",
    "vendor", "fv", "fw", "firmware",     "am",  "deviceid", "srcvers", "osxvers", "rpMd",
};

/* Appends one label to nm. False when the name would exceed 255 bytes. */
static bool mdns_name_put(mdns_name_t *nm, const uint8_t *lab, uint8_t len)
{
    if (nm->len + 1 + len + 1 > MDNS_NAME_MAX || nm->nlab >= MDNS_MAX_LABELS) return false;
    nm->off[nm->nlab++] = (uint8_t)nm->len;
    nm->wire[nm->len++] = len;
    memcpy(nm->wire + nm->len, lab, len);
    nm->len += len;
    return true;
}

/* Reads a possibly compressed name at *c into nm, and leaves *c after the name's in-line part.
 * A pointer must point strictly before itself; jumps and length are capped, so a pointer loop
 * ends in SSF_EINVAL. Reads after a jump are bounded by the message. */
static ssf_rc mdns_name_read(const mdns_msg_t *m, ssf_cur *c, mdns_name_t *nm)
{
    ssf_cur at = *c; /* where labels are read now; *c is only advanced before the first jump */
    bool jumped = false;
    nm->len = nm->nlab = 0;
    for (unsigned jumps = 0;;) {
        uint8_t b, b2;
        const uint8_t *lab;
        const uint8_t *here = at.p;
        if (!ssf_cur_u8(&at, &b)) return SSF_ETRUNC;
        if ((b & MDNS_LABEL_PTR) == MDNS_LABEL_PTR) {
            if (!ssf_cur_u8(&at, &b2)) return SSF_ETRUNC;
            size_t target = (size_t)(b & ~MDNS_LABEL_PTR) << 8 | b2;
            if (target >= (size_t)(here - m->p) || ++jumps > MDNS_MAX_JUMPS) return SSF_EINVAL;
            if (!jumped) c->p = at.p;
            jumped = true;
            at = ssf_cur_make(m->p + target, m->n - target);
            continue;
        }
        if (b & MDNS_LABEL_PTR) return SSF_EINVAL; /* 0x40/0x80: extended label types */
        if (b == 0) break;
        if (!ssf_cur_bytes(&at, b, &lab)) return SSF_ETRUNC;
        if (!mdns_name_put(nm, lab, b)) return SSF_EINVAL;
    }
    if (!jumped) c->p = at.p;
    return SSF_OK;
}

/* Label i counted from the end (0 = last), compared case-insensitively with s. */
static bool mdns_label_is(const mdns_name_t *nm, size_t from_end, const char *s)
{
    if (from_end >= nm->nlab) return false;
    const uint8_t *l = nm->wire + nm->off[nm->nlab - 1 - from_end];
    return l[0] == strlen(s) && strncasecmp((const char *)l + 1, s, l[0]) == 0;
}

/* Adds an item unless the packet already gave the same field and value: DNS-SD responses
 * repeat a PTR in answers and additionals, and A and AAAA share an owner. */
static void mdns_add(mdns_msg_t *m, probe_ev_field f, const void *v, size_t len)
{
    size_t before = m->out->n;
    probe_ev_t *it = probe_ev_add(m->out, f, PROBE_EV_SRC, v, len);
    if (!it) return;
    for (size_t i = 0; i < before; i++) {
        const probe_ev_t *o = &m->out->items[i];
        if (o->field == it->field && o->len == it->len && !memcmp(o->value, it->value, it->len)) {
            m->out->n--; /* undo: it is the last item */
            return;
        }
    }
}

/* Owner "<_svc>.<_tcp|_udp>.local" (possibly under "<sub>._sub."): a DNS-SD service type. */
static bool mdns_is_service(const mdns_name_t *owner)
{
    if (owner->nlab < 3 || !mdns_label_is(owner, 0, "local")) return false;
    if (!mdns_label_is(owner, 1, "_tcp") && !mdns_label_is(owner, 1, "_udp")) return false;
    const uint8_t *svc = owner->wire + owner->off[owner->nlab - 3];
    /* _services._dns-sd._udp.local enumerates types; b/db/lb._dns-sd browse domains. */
    return svc[0] > 1 && svc[1] == '_' && !mdns_label_is(owner, 2, "_dns-sd");
}

/* A service PTR: its owner gives mdns.service, the target's first label mdns.instance. */
static ssf_rc mdns_ptr(mdns_msg_t *m, const mdns_name_t *owner, ssf_cur *rdata)
{
    if (!mdns_is_service(owner)) return SSF_OK;
    mdns_name_t target;
    ssf_rc rc = mdns_name_read(m, rdata, &target);
    if (rc != SSF_OK) return rc;
    const uint8_t *svc = owner->wire + owner->off[owner->nlab - 3];
    const uint8_t *proto = owner->wire + owner->off[owner->nlab - 2];
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, svc + 1, svc[0]);
    probe_ev_str_putc(&s, '.');
    probe_ev_str_put(&s, proto + 1, proto[0]);
    mdns_add(m, PROBE_EVF_MDNS_SERVICE, s.s, s.n);
    if (target.nlab) mdns_add(m, PROBE_EVF_MDNS_INSTANCE, target.wire + 1, target.wire[0]);
    return SSF_OK;
}

/* An A/AAAA owner under .local, written with dots. */
static void mdns_host(mdns_msg_t *m, const mdns_name_t *owner)
{
    if (owner->nlab < 2 || !mdns_label_is(owner, 0, "local")) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    for (size_t i = 0; i < owner->nlab; i++) {
        const uint8_t *l = owner->wire + owner->off[i];
        if (i) probe_ev_str_putc(&s, '.');
        probe_ev_str_put(&s, l + 1, l[0]);
    }
    mdns_add(m, PROBE_EVF_MDNS_HOSTNAME, s.s, s.n);
}

static bool mdns_txt_key_wanted(const uint8_t *k, size_t len)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(mdns_txt_keys); i++)
        if (strlen(mdns_txt_keys[i]) == len && !strncasecmp((const char *)k, mdns_txt_keys[i], len))
            return true;
    return false;
}

/* TXT rdata: <len><key=value> strings. A string that runs past the rdata is malformed. */
static ssf_rc mdns_txt(mdns_msg_t *m, ssf_cur *rdata)
{
    uint8_t len;
    const uint8_t *str;
    while (ssf_cur_u8(rdata, &len)) { /* each string consumes >= 1 byte */
        if (!ssf_cur_bytes(rdata, len, &str)) return SSF_EINVAL;
        const uint8_t *eq = memchr(str, '=', len);
        if (!eq || !mdns_txt_key_wanted(str, (size_t)(eq - str))) continue;
        if (m->ntxt >= MDNS_TXT_MAX) return SSF_OK;
        size_t before = m->out->n;
        mdns_add(m, PROBE_EVF_MDNS_TXT, str, len);
        if (m->out->n != before) m->ntxt++;
    }
    return SSF_OK;
}

/* One resource record: owner, type, class, TTL, rdlength, rdata (RFC 1035 s4.1.3). The rdata
 * is a sub-cursor, so nothing inside it reads past its rdlength except compression jumps. */
static ssf_rc mdns_record(mdns_msg_t *m, ssf_cur *c)
{
    mdns_name_t owner;
    uint16_t type, cls, rdlen;
    uint32_t ttl;
    ssf_cur rdata;
    ssf_rc rc = mdns_name_read(m, c, &owner);
    if (rc != SSF_OK) return rc;
    if (!ssf_cur_u16be(c, &type) || !ssf_cur_u16be(c, &cls) || !ssf_cur_u32be(c, &ttl) ||
        !ssf_cur_u16be(c, &rdlen) || !ssf_cur_sub(c, rdlen, &rdata))
        return SSF_ETRUNC;
    if ((cls & MDNS_CLASS_MASK) != MDNS_CLASS_IN) return SSF_OK;
    switch (type) {
    case MDNS_T_PTR:
        return mdns_ptr(m, &owner, &rdata);
    case MDNS_T_TXT:
        return mdns_txt(m, &rdata);
    case MDNS_T_A:
    case MDNS_T_AAAA:
        mdns_host(m, &owner);
        return SSF_OK;
    default:
        return SSF_OK;
    }
}

static ssf_rc mdns_question(mdns_msg_t *m, ssf_cur *c)
{
    mdns_name_t qname;
    ssf_rc rc = mdns_name_read(m, c, &qname);
    if (rc != SSF_OK) return rc;
    return ssf_cur_skip(c, 4) ? SSF_OK : SSF_ETRUNC; /* qtype, qclass */
}

ssf_rc probe_ev_mdns(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    uint16_t id, flags, cnt[4]; /* questions, answers, authority, additional */
    if (!ssf_cur_u16be(&c, &id) || !ssf_cur_u16be(&c, &flags)) return SSF_ETRUNC;
    if (flags & (MDNS_OPCODE | MDNS_RCODE)) return SSF_EINVAL;
    for (size_t i = 0; i < SSF_ARRAY_LEN(cnt); i++)
        if (!ssf_cur_u16be(&c, &cnt[i])) return SSF_ETRUNC;
    mdns_msg_t m = {p, n, out, 0};
    size_t budget = MDNS_MAX_RECORDS;
    ssf_rc rc = SSF_OK;
    for (size_t i = 0; i < cnt[0] && budget && rc == SSF_OK; i++, budget--)
        rc = mdns_question(&m, &c);
    if (!(flags & MDNS_QR)) return rc;
    size_t nrec = (size_t)cnt[1] + cnt[2] + cnt[3];
    for (size_t i = 0; i < nrec && budget && rc == SSF_OK; i++, budget--)
        rc = mdns_record(&m, &c);
    return rc;
}
