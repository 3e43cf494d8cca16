/* ev_netbios.c - identity from NetBIOS Name Service over UDP 137 (RFC 1001/1002).
 *
 * The packets that say who their SENDER is are reported, as "NAME<XX>" (trailing padding
 * trimmed, XX the suffix byte in upper-case hex, as nbtstat prints it):
 *   - registrations and refreshes (opcodes 5, 8, 9, 15), requests whose additional record is
 *     the name the sender claims;
 *   - positive name query responses: the answering host owns the answer record's name;
 *   - node status (NBSTAT) responses: the names in the sender's own name table.
 * Plain queries ask about other hosts, and releases announce a name going away: they yield
 * nothing. Group names (NB_FLAGS G bit: workgroups, domains, __MSBROWSE__) are shared by many
 * hosts and are not reported either.
 *
 * Names are 32 bytes of first-level encoding ('A'..'P' nibbles) followed by scope labels, and
 * may be a compression pointer (0xC0) to an earlier name, which registrations use for their
 * additional record. */
#include "evidence_internal.h"

enum {
    NB_F_RESPONSE = 0x8000,     /* R bit of the header flags                        */
    NB_OP_QUERY = 0,            /* opcode (flags bits 11-14)                        */
    NB_RR_NB = 0x20,            /* general name record                              */
    NB_RR_NBSTAT = 0x21,        /* node status record                               */
    NB_NB_FLAGS_GROUP = 0x8000, /* G bit of NB_FLAGS and of NAME_FLAGS             */
    NB_SECTIONS = 4,            /* question, answer, authority, additional          */
    NB_COUNT_MAX = 8,           /* per section; real packets carry 0 or 1           */
    NB_ENCODED_LEN = 32,        /* first-level encoded NetBIOS name                 */
    NB_NAME_LEN = 16,           /* 15 characters and the suffix byte                */
    NB_LABELS_MAX = 16,         /* labels and pointers followed per name            */
    NB_STAT_ENTRY_PAD = 2,      /* NAME_FLAGS after each node status name           */
    NB_STAT_EMIT_MAX = 8,       /* names reported from one node status table        */
};

/* Opcodes RFC 1002 defines; any other is not NetBIOS-NS. */
static const uint8_t nb_opcodes[] = {0, 5, 6, 7, 8, 9, 15};
/* Opcodes whose request claims a name for the sender. */
static const uint8_t nb_claim_opcodes[] = {
    5,  /* name registration            */
    8,  /* name refresh                 */
    9,  /* name refresh (alternate)     */
    15, /* multi-homed name registration */
};

static bool nb_in(const uint8_t *set, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v) return true;
    return false;
}

/* First-level decoding: each byte of the name is two letters 'A'+nibble. */
static bool nb_decode(const uint8_t enc[NB_ENCODED_LEN], uint8_t name[NB_NAME_LEN])
{
    for (size_t i = 0; i < NB_NAME_LEN; i++) {
        uint8_t hi = enc[2 * i], lo = enc[2 * i + 1];
        if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P') return false;
        name[i] = (uint8_t)((hi - 'A') << 4 | (lo - 'A'));
    }
    return true;
}

/* Reads the name at *c (leaving *c after it) and decodes its first label into name. A
 * pointer is an offset into msg, the whole payload. */
static ssf_rc nb_name(const ssf_cur *msg, ssf_cur *c, uint8_t name[NB_NAME_LEN])
{
    ssf_cur r = *c;
    bool jumped = false, have = false;
    uint8_t len, lo;
    const uint8_t *label;
    for (int i = 0; i < NB_LABELS_MAX; i++) {
        if (!ssf_cur_u8(&r, &len)) return SSF_ETRUNC;
        if ((len & 0xC0) == 0xC0) {
            if (!ssf_cur_u8(&r, &lo)) return SSF_ETRUNC;
            if (!jumped) *c = r;
            jumped = true;
            size_t off = (size_t)(len & 0x3F) << 8 | lo;
            if (off >= ssf_cur_left(msg)) return SSF_EINVAL;
            r = ssf_cur_make(msg->p + off, ssf_cur_left(msg) - off);
            continue;
        }
        if (len & 0xC0) return SSF_EINVAL;
        if (len == 0) {
            if (!jumped) *c = r;
            return have ? SSF_OK : SSF_EINVAL;
        }
        if (!ssf_cur_bytes(&r, len, &label)) return SSF_ETRUNC;
        if (!have && (len != NB_ENCODED_LEN || !nb_decode(label, name))) return SSF_EINVAL;
        have = true;
    }
    return SSF_EINVAL;
}

typedef struct {
    uint8_t name[NB_NAME_LEN]; /* decoded owner name               */
    uint16_t type;             /* NB_RR_NB, NB_RR_NBSTAT, ...       */
    ssf_cur rdata;             /* within the payload                */
} nb_rr_t;

static ssf_rc nb_question(const ssf_cur *msg, ssf_cur *c)
{
    uint8_t name[NB_NAME_LEN];
    ssf_rc rc = nb_name(msg, c, name);
    if (rc != SSF_OK) return rc;
    return ssf_cur_skip(c, 4) ? SSF_OK : SSF_ETRUNC; /* type, class */
}

static ssf_rc nb_rr(const ssf_cur *msg, ssf_cur *c, nb_rr_t *rr)
{
    uint16_t cls, rdlen;
    uint32_t ttl;
    ssf_rc rc = nb_name(msg, c, rr->name);
    if (rc != SSF_OK) return rc;
    if (!ssf_cur_u16be(c, &rr->type) || !ssf_cur_u16be(c, &cls) || !ssf_cur_u32be(c, &ttl) ||
        !ssf_cur_u16be(c, &rdlen) || !ssf_cur_sub(c, rdlen, &rr->rdata))
        return SSF_ETRUNC;
    return SSF_OK;
}

static void nb_emit(probe_ev_buf_t *out, const uint8_t name[NB_NAME_LEN])
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = NB_NAME_LEN - 1;
    while (len && (name[len - 1] == ' ' || name[len - 1] == 0))
        len--;
    if (!len) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, name, len);
    probe_ev_str_putc(&s, '<');
    probe_ev_str_putc(&s, hex[name[NB_NAME_LEN - 1] >> 4]);
    probe_ev_str_putc(&s, hex[name[NB_NAME_LEN - 1] & 0xF]);
    probe_ev_str_putc(&s, '>');
    probe_ev_add_str(out, PROBE_EVF_NETBIOS_NAME, PROBE_EV_SRC, &s);
}

/* An NB record names its owner unless its first NB_FLAGS says the name is a group. */
static void nb_emit_nb(probe_ev_buf_t *out, const nb_rr_t *rr)
{
    ssf_cur rd = rr->rdata;
    uint16_t flags = 0;
    if (ssf_cur_u16be(&rd, &flags) && (flags & NB_NB_FLAGS_GROUP)) return;
    nb_emit(out, rr->name);
}

/* Node status: NUM_NAMES, then 18-byte entries (name, suffix, NAME_FLAGS). Unique names only,
 * each once, at most NB_STAT_EMIT_MAX. */
static ssf_rc nb_emit_stat(probe_ev_buf_t *out, ssf_cur rd)
{
    uint8_t count, seen[NB_STAT_EMIT_MAX][NB_NAME_LEN];
    size_t nseen = 0;
    if (!ssf_cur_u8(&rd, &count)) return SSF_EINVAL;
    for (unsigned i = 0; i < count && nseen < NB_STAT_EMIT_MAX; i++) {
        const uint8_t *e;
        uint16_t flags;
        if (!ssf_cur_bytes(&rd, NB_NAME_LEN, &e) || !ssf_cur_u16be(&rd, &flags)) return SSF_EINVAL;
        if (flags & NB_NB_FLAGS_GROUP) continue;
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = memcmp(seen[k], e, NB_NAME_LEN) == 0;
        if (dup) continue;
        memcpy(seen[nseen++], e, NB_NAME_LEN);
        nb_emit(out, e);
    }
    return SSF_OK;
}

/* A positive query response: the first answer record. */
static ssf_rc nb_answer(const ssf_cur *msg, ssf_cur *c, probe_ev_buf_t *out)
{
    nb_rr_t rr;
    ssf_rc rc = nb_rr(msg, c, &rr);
    if (rc != SSF_OK) return rc;
    if (rr.type == NB_RR_NB) nb_emit_nb(out, &rr);
    if (rr.type == NB_RR_NBSTAT) return nb_emit_stat(out, rr.rdata);
    return SSF_OK;
}

/* A claim: skips answer and authority records, then reports the first additional record. */
static ssf_rc nb_claim(const ssf_cur *msg, ssf_cur *c, const uint16_t count[NB_SECTIONS],
                       probe_ev_buf_t *out)
{
    nb_rr_t rr;
    ssf_rc rc = SSF_OK;
    for (unsigned i = 0; i < (unsigned)count[1] + count[2] && rc == SSF_OK; i++)
        rc = nb_rr(msg, c, &rr);
    if (rc == SSF_OK) rc = nb_rr(msg, c, &rr);
    if (rc == SSF_OK && rr.type == NB_RR_NB) nb_emit_nb(out, &rr);
    return rc;
}

ssf_rc probe_ev_netbios(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur msg = ssf_cur_make(p, n), c = msg;
    uint16_t id, flags, count[NB_SECTIONS], total = 0;
    if (!ssf_cur_u16be(&c, &id) || !ssf_cur_u16be(&c, &flags)) return SSF_ETRUNC;
    uint8_t opcode = (uint8_t)(flags >> 11 & 0xF);
    if (!nb_in(nb_opcodes, sizeof nb_opcodes, opcode)) return SSF_EINVAL;
    for (int i = 0; i < NB_SECTIONS; i++) {
        if (!ssf_cur_u16be(&c, &count[i])) return SSF_ETRUNC;
        if (count[i] > NB_COUNT_MAX) return SSF_EINVAL;
        total = (uint16_t)(total + count[i]);
    }
    if (!total) return SSF_EINVAL; /* an empty message: zero-filled look-alikes */
    ssf_rc rc = SSF_OK;
    for (unsigned i = 0; i < count[0] && rc == SSF_OK; i++)
        rc = nb_question(&msg, &c);
    if (rc != SSF_OK) return rc;
    bool response = flags & NB_F_RESPONSE;
    if (response && opcode == NB_OP_QUERY && (flags & 0xF) == 0 && count[1])
        return nb_answer(&msg, &c, out);
    if (!response && count[3] && nb_in(nb_claim_opcodes, sizeof nb_claim_opcodes, opcode))
        return nb_claim(&msg, &c, count, out);
    return SSF_OK;
}
