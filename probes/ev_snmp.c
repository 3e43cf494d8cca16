/* ev_snmp.c - identity from SNMP v1/v2c messages over UDP (RFC 1157, RFC 3416).
 *
 * A message is BER: SEQUENCE { INTEGER version, OCTET STRING community, PDU }. Every v1/v2c
 * message yields the community, masked: a community is a password, and evidence is written to
 * reports, so only the defaults that signatures/data/default_credentials.tsv lists for snmp
 * are named and anything else becomes its length. A
 * GetResponse also yields sysDescr, sysObjectID and sysName when it carries them. SNMPv3
 * (version 3) is recognised and yields nothing: its PDUs are authenticated or encrypted.
 *
 * The BER reader accepts single-byte tags and definite lengths of at most 4 length bytes; the
 * rest (indefinite lengths, high tag numbers) does not occur in SNMP and is SSF_EINVAL. When
 * the outer SEQUENCE claims more than n bytes the message was cut, so an inner element that
 * runs past n is SSF_ETRUNC; when the outer SEQUENCE is whole, such an element is malformed. */
#include "evidence_internal.h"
#include "sig/defcreds.h"

enum {
    BER_SEQUENCE = 0x30,
    BER_INTEGER = 0x02,
    BER_OCTET_STRING = 0x04,
    BER_OID = 0x06,
    BER_LEN_BYTES_MAX = 4, /* long-form length bytes; SNMP messages are far below 4 GiB */
    SNMP_VERSION_V1 = 0,   /* RFC 1157                                               */
    SNMP_VERSION_V2C = 1,  /* RFC 1901                                               */
    SNMP_VERSION_V3 = 3,   /* RFC 3412: no community, PDU possibly encrypted          */
    SNMP_PDU_RESPONSE = 0xA2,
    SNMP_VARBINDS_MAX = 64,  /* varbinds walked per response; agents send a few dozen  */
    SNMP_OID_ARCS_MAX = 128, /* RFC 2578 caps an OID at 128 sub-identifiers            */
};

/* PDU tags (context-specific, constructed) that a v1/v2c message may carry. */
static const uint8_t snmp_pdu_tags[] = {
    0xA0, /* GetRequest         */
    0xA1, /* GetNextRequest     */
    0xA2, /* GetResponse        */
    0xA3, /* SetRequest         */
    0xA4, /* Trap (v1)          */
    0xA5, /* GetBulkRequest     */
    0xA6, /* InformRequest      */
    0xA7, /* SNMPv2-Trap        */
    0xA8, /* Report             */
};

/* The system group scalars we report, by their BER-encoded OID, and the value type each must
 * have. */
static const struct {
    uint8_t oid[8];       /* 1.3.6.1.2.1.1.X.0 encoded                    */
    uint8_t value_tag;    /* OCTET STRING, or OID for sysObjectID          */
    probe_ev_field field; /* what it becomes                              */
} snmp_system_oids[] = {
    {{0x2B, 6, 1, 2, 1, 1, 1, 0}, BER_OCTET_STRING, PROBE_EVF_SNMP_SYSDESCR},
    {{0x2B, 6, 1, 2, 1, 1, 2, 0}, BER_OID, PROBE_EVF_SNMP_SYSOBJECTID},
    {{0x2B, 6, 1, 2, 1, 1, 5, 0}, BER_OCTET_STRING, PROBE_EVF_SNMP_SYSNAME},
};

/* Reads one tag and definite length. SSF_ETRUNC when the header runs past the cursor,
 * SSF_EINVAL for forms SNMP does not use. */
static ssf_rc ber_hdr(ssf_cur *c, uint8_t *tag, size_t *len)
{
    uint8_t b;
    if (!ssf_cur_u8(c, tag)) return SSF_ETRUNC;
    if ((*tag & 0x1F) == 0x1F) return SSF_EINVAL;
    if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
    *len = b;
    if (!(b & 0x80)) return SSF_OK;
    unsigned k = b & 0x7Fu;
    if (k == 0 || k > BER_LEN_BYTES_MAX) return SSF_EINVAL;
    *len = 0;
    for (unsigned i = 0; i < k; i++) {
        if (!ssf_cur_u8(c, &b)) return SSF_ETRUNC;
        *len = *len << 8 | b;
    }
    return SSF_OK;
}

/* ber_hdr, then splits the value off as *val; SSF_ETRUNC when it runs past the cursor. */
static ssf_rc ber_any(ssf_cur *c, uint8_t *tag, ssf_cur *val)
{
    size_t len;
    ssf_rc rc = ber_hdr(c, tag, &len);
    if (rc != SSF_OK) return rc;
    return ssf_cur_sub(c, len, val) ? SSF_OK : SSF_ETRUNC;
}

/* ber_any, but the tag must be `want`; checked before the length, so a wrong tag is
 * SSF_EINVAL however short the input. */
static ssf_rc ber_expect(ssf_cur *c, uint8_t want, ssf_cur *val)
{
    if (ssf_cur_left(c) && *c->p != want) return SSF_EINVAL;
    uint8_t tag;
    return ber_any(c, &tag, val);
}

/* A small non-negative INTEGER (the version); SSF_EINVAL if negative or over 4 bytes. */
static ssf_rc ber_small_uint(ssf_cur *c, uint32_t *v)
{
    ssf_cur val;
    ssf_rc rc = ber_expect(c, BER_INTEGER, &val);
    if (rc != SSF_OK) return rc;
    size_t n = ssf_cur_left(&val);
    if (n == 0 || n > 4 || (val.p[0] & 0x80)) return SSF_EINVAL;
    *v = 0;
    for (size_t i = 0; i < n; i++)
        *v = *v << 8 | val.p[i];
    return SSF_OK;
}

/* Renders a BER OID value as dotted text. False (nothing rendered) when it is empty, ends
 * mid-arc, has an arc over 32 bits or more than SNMP_OID_ARCS_MAX arcs. */
static bool ber_oid_text(ssf_cur oid, probe_ev_str_t *s)
{
    uint32_t arc = 0;
    unsigned arcs = 0;
    uint8_t b = 0;
    probe_ev_str_init(s);
    if (!ssf_cur_left(&oid)) return false;
    while (ssf_cur_u8(&oid, &b)) {
        if (arc > (UINT32_MAX >> 7)) return false;
        arc = arc << 7 | (b & 0x7Fu);
        if (b & 0x80) continue;
        if (++arcs > SNMP_OID_ARCS_MAX) return false;
        if (arcs == 1) {
            /* The first sub-identifier packs two arcs as 40*x+y, x in 0..2. */
            uint32_t x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            probe_ev_str_u64(s, x);
            arc -= 40 * x;
        }
        probe_ev_str_putc(s, '.');
        probe_ev_str_u64(s, arc);
        arc = 0;
    }
    return !(b & 0x80);
}

static void snmp_emit_community(probe_ev_buf_t *out, ssf_cur comm)
{
    /* Naming a default is the point (a device answering to "public" is a finding); every
     * community the table lists for snmp is one we are willing to print. */
    size_t n = ssf_cur_left(&comm);
    const sig_defcred_t *row = sig_defcred_find("snmp", NULL, 0, comm.p, n);
    if (row) {
        probe_ev_add(out, PROBE_EVF_SNMP_COMMUNITY, PROBE_EV_SRC, row->pass, strlen(row->pass));
        return;
    }
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "<masked, ", 9);
    probe_ev_str_u64(&s, n);
    probe_ev_str_put(&s, " chars>", 7);
    probe_ev_add_str(out, PROBE_EVF_SNMP_COMMUNITY, PROBE_EV_SRC, &s);
}

/* One VarBind { name OID, value }: reports it when it is one of snmp_system_oids. */
static ssf_rc snmp_varbind(ssf_cur *c, probe_ev_buf_t *out)
{
    ssf_cur vb, name, value;
    uint8_t tag;
    ssf_rc rc = ber_expect(c, BER_SEQUENCE, &vb);
    if (rc == SSF_OK) rc = ber_expect(&vb, BER_OID, &name);
    if (rc == SSF_OK) rc = ber_any(&vb, &tag, &value);
    if (rc != SSF_OK) return rc;
    for (size_t i = 0; i < SSF_ARRAY_LEN(snmp_system_oids); i++) {
        const uint8_t *oid = snmp_system_oids[i].oid;
        if (ssf_cur_left(&name) != sizeof snmp_system_oids[i].oid ||
            memcmp(name.p, oid, sizeof snmp_system_oids[i].oid) != 0)
            continue;
        /* noSuchObject and friends come back with other tags: nothing to report. */
        if (tag != snmp_system_oids[i].value_tag) return SSF_OK;
        probe_ev_field f = snmp_system_oids[i].field;
        probe_ev_str_t s;
        if (tag == BER_OID) {
            if (ber_oid_text(value, &s)) probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
        } else {
            probe_ev_add(out, f, PROBE_EV_SRC, value.p, ssf_cur_left(&value));
        }
        return SSF_OK;
    }
    return SSF_OK;
}

/* GetResponse body: request-id, error-status, error-index, then the VarBind list. */
static ssf_rc snmp_response(ssf_cur *pdu, probe_ev_buf_t *out)
{
    ssf_cur skip, list;
    ssf_rc rc = SSF_OK;
    for (int i = 0; i < 3 && rc == SSF_OK; i++)
        rc = ber_expect(pdu, BER_INTEGER, &skip);
    if (rc == SSF_OK) rc = ber_expect(pdu, BER_SEQUENCE, &list);
    for (int i = 0; rc == SSF_OK && ssf_cur_left(&list) && i < SNMP_VARBINDS_MAX; i++)
        rc = snmp_varbind(&list, out);
    return rc;
}

static bool snmp_known_pdu(uint8_t tag)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(snmp_pdu_tags); i++)
        if (snmp_pdu_tags[i] == tag) return true;
    return false;
}

/* snmp.pdu: the PDU type; a response adds its error-status when not noError (RFC 3416 3), so
 * a rule can tell a write that was refused ("response: error 17", notWritable) from one that
 * was not. */
static void snmp_emit_pdu(uint8_t tag, ssf_cur pdu, probe_ev_buf_t *out)
{
    static const char *const names[] = {"get",     "getnext", "response", "set",   "trap",
                                        "getbulk", "inform",  "trap",     "report"};
    if (tag < 0xA0 || tag > 0xA8) return;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, names[tag - 0xA0], strlen(names[tag - 0xA0]));
    ssf_cur id;
    uint32_t status;
    if (tag == SNMP_PDU_RESPONSE && ber_expect(&pdu, BER_INTEGER, &id) == SSF_OK &&
        ber_small_uint(&pdu, &status) == SSF_OK && status != 0) {
        probe_ev_str_put(&s, ": error ", 8);
        probe_ev_str_u64(&s, status);
    }
    probe_ev_add_str(out, PROBE_EVF_SNMP_PDU, PROBE_EV_SRC, &s);
}

/* Everything after the outer SEQUENCE header. */
static ssf_rc snmp_message(ssf_cur *msg, bool cut, probe_ev_buf_t *out)
{
    uint32_t version;
    ssf_cur comm, pdu;
    uint8_t tag;
    ssf_rc rc = ber_small_uint(msg, &version);
    if (rc != SSF_OK) return rc;
    if (version == SNMP_VERSION_V3) return cut ? SSF_ETRUNC : SSF_OK;
    if (version != SNMP_VERSION_V1 && version != SNMP_VERSION_V2C) return SSF_EINVAL;
    if ((rc = ber_expect(msg, BER_OCTET_STRING, &comm)) != SSF_OK) return rc;
    if (ssf_cur_left(msg) && !snmp_known_pdu(*msg->p)) return SSF_EINVAL;
    if ((rc = ber_any(msg, &tag, &pdu)) != SSF_OK) return rc;
    snmp_emit_community(out, comm);
    ssf_cur whole = pdu;
    rc = tag == SNMP_PDU_RESPONSE ? snmp_response(&pdu, out) : SSF_OK;
    /* After the identity items, and only from a whole message: a cut response could hide
     * its error-status. */
    if (rc == SSF_OK && !cut) snmp_emit_pdu(tag, whole, out);
    return rc;
}

ssf_rc probe_ev_snmp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur msg = ssf_cur_make(p, n);
    uint8_t tag;
    size_t len;
    if (n && p[0] != BER_SEQUENCE) return SSF_EINVAL;
    ssf_rc rc = ber_hdr(&msg, &tag, &len);
    if (rc != SSF_OK) return rc;
    /* A cut message is still parsed as far as it goes: a wrong version or tag inside proves
     * it is not SNMP, and what runs past n is then SSF_ETRUNC rather than malformed. */
    bool cut = len > ssf_cur_left(&msg);
    if (!cut) msg.end = msg.p + len;
    rc = snmp_message(&msg, cut, out);
    if (rc == SSF_ETRUNC && !cut) return SSF_EINVAL;
    if (rc == SSF_OK && cut) return SSF_ETRUNC;
    return rc;
}
