/* ev_opcua.c - server identity from OPC UA binary (OPC 10000-6, UA Connection Protocol and UA
 * Secure Conversation) on TCP 4840 or any port its first bytes are recognised on.
 *
 * Every message starts with a three-letter type, a chunk letter and a little-endian size.
 * Hello names the endpoint URL the client asks for (the server: role DST).
 * OpenSecureChannel carries the security policy in clear, whatever the policy; with policy
 * None its body (request or response) is clear as well, which tells us the direction. Only
 * unencrypted GetEndpoints and CreateSession responses can be read: their endpoint
 * descriptions name the server application and the security modes and policies it offers
 * (role SRC). Encrypted bodies are not recognised: their type NodeId and the strict structure
 * after it do not parse. */
#include "evidence_internal.h"

enum {
    UA_HDR = 8,
    UA_SIZE_MAX = 1u << 24, /* far above any negotiated buffer: a sanity bound  */
    UA_MSGS_MAX = 8,        /* messages walked per payload                       */
    UA_ENDPOINTS_MAX = 16,  /* endpoint descriptions read per response           */
    UA_TOKENS_MAX = 16,     /* user token policies read per endpoint             */
    UA_ARRAY_MAX = 64,      /* strings skipped per string array                  */
    UA_DIAG_DEPTH = 4,      /* nested DiagnosticInfo levels skipped              */
    UA_OPN_REQ = 446,       /* OpenSecureChannelRequest_Encoding_DefaultBinary   */
    UA_OPN_RESP = 449,
    UA_GETEP_RESP = 431,  /* GetEndpointsResponse_Encoding_DefaultBinary       */
    UA_CREATE_RESP = 464, /* CreateSessionResponse_Encoding_DefaultBinary     */
};

/* ---- built-in types (OPC 10000-6 section 5.2), all little-endian ---- */

static bool ua_u32(ssf_cur *c, uint32_t *v)
{
    const uint8_t *b;
    if (!ssf_cur_bytes(c, 4, &b)) return false;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

/* String and ByteString: Int32 length, -1 for null (*s NULL, *len 0). */
static bool ua_string(ssf_cur *c, const uint8_t **s, size_t *len)
{
    uint32_t l;
    if (!ua_u32(c, &l)) return false;
    *s = NULL;
    *len = 0;
    if (l == 0xffffffffu) return true;
    if (l > INT32_MAX || !ssf_cur_bytes(c, l, s)) return false;
    *len = l;
    return true;
}

static bool ua_skip_string(ssf_cur *c)
{
    const uint8_t *s;
    size_t len;
    return ua_string(c, &s, &len);
}

/* Array length: -1 (null) reads as 0; anything longer than the bytes left cannot be real. */
static bool ua_array_len(ssf_cur *c, uint32_t *count, uint32_t min_item)
{
    if (!ua_u32(c, count)) return false;
    if (*count == 0xffffffffu) *count = 0;
    return *count <= ssf_cur_left(c) / min_item;
}

static bool ua_skip_string_array(ssf_cur *c)
{
    uint32_t count;
    if (!ua_array_len(c, &count, 4) || count > UA_ARRAY_MAX) return false;
    for (uint32_t i = 0; i < count; i++)
        if (!ua_skip_string(c)) return false;
    return true;
}

/* NodeId (or ExpandedNodeId); *id is the numeric identifier, or UINT32_MAX for other kinds. */
static bool ua_nodeid(ssf_cur *c, uint32_t *id)
{
    uint8_t enc;
    const uint8_t *q;
    bool ok;
    *id = UINT32_MAX;
    if (!ssf_cur_u8(c, &enc)) return false;
    switch (enc & 0x3f) {
    case 0: /* two-byte: identifier only */
        ok = ssf_cur_bytes(c, 1, &q);
        if (ok) *id = q[0];
        break;
    case 1: /* four-byte: namespace u8, identifier u16 */
        ok = ssf_cur_bytes(c, 3, &q);
        if (ok) *id = (uint32_t)q[1] | (uint32_t)q[2] << 8;
        break;
    case 2:
        ok = ssf_cur_skip(c, 2) && ua_u32(c, id);
        break;
    case 3: /* string */
    case 5:
        ok = ssf_cur_skip(c, 2) && ua_skip_string(c);
        break; /* opaque */
    case 4:
        ok = ssf_cur_skip(c, 2 + 16);
        break; /* guid */
    default:
        return false;
    }
    if (ok && (enc & 0x80)) ok = ua_skip_string(c);  /* namespace URI */
    if (ok && (enc & 0x40)) ok = ssf_cur_skip(c, 4); /* server index */
    return ok;
}

static bool ua_skip_diag(ssf_cur *c)
{
    for (int depth = 0; depth < UA_DIAG_DEPTH; depth++) {
        uint8_t m;
        if (!ssf_cur_u8(c, &m)) return false;
        /* SymbolicId, NamespaceUri, LocalizedText, Locale: Int32 each. */
        size_t ints = (size_t) !!(m & 0x01) + !!(m & 0x02) + !!(m & 0x04) + !!(m & 0x08);
        if (!ssf_cur_skip(c, 4 * ints)) return false;
        if ((m & 0x10) && !ua_skip_string(c)) return false;
        if ((m & 0x20) && !ssf_cur_skip(c, 4)) return false;
        if (!(m & 0x40)) return (m & 0x80) == 0;
    }
    return false;
}

static bool ua_skip_extobj(ssf_cur *c)
{
    uint32_t id;
    uint8_t enc;
    if (!ua_nodeid(c, &id) || !ssf_cur_u8(c, &enc)) return false;
    if (enc == 0) return true;
    return (enc == 1 || enc == 2) && ua_skip_string(c);
}

/* LocalizedText: mask, then Locale if bit 0, Text if bit 1. */
static bool ua_localized(ssf_cur *c, const uint8_t **t, size_t *len)
{
    uint8_t m;
    *t = NULL;
    *len = 0;
    if (!ssf_cur_u8(c, &m) || (m & 0xfc)) return false;
    if ((m & 1) && !ua_skip_string(c)) return false;
    return !(m & 2) || ua_string(c, t, len);
}

/* ---- evidence ---- */

/* Endpoint lists repeat the same application and modes: add each value once. */
static void ua_add_once(probe_ev_buf_t *out, probe_ev_field f, probe_ev_role role, const uint8_t *v,
                        size_t len)
{
    if (!len) return; /* a null or empty string: nothing to say, and v may be NULL */
    for (size_t i = 0; i < out->n; i++) {
        const probe_ev_t *it = &out->items[i];
        if (it->field == f && it->role == role && it->len == len && !memcmp(it->value, v, len))
            return;
    }
    probe_ev_add(out, f, role, v, len);
}

/* "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256" -> "Basic256Sha256". */
static void ua_add_policy(probe_ev_buf_t *out, probe_ev_role role, const uint8_t *u, size_t len)
{
    if (!len) return; /* null string: u is NULL */
    size_t i = len;
    while (i > 0 && u[i - 1] != '#')
        i--;
    ua_add_once(out, PROBE_EVF_OPCUA_POLICY, role, u + i, len - i);
}

static bool ua_app_desc(ssf_cur *c, probe_ev_buf_t *out)
{
    const uint8_t *uri, *prod, *name;
    size_t ulen, plen, nlen;
    uint32_t type;
    if (!ua_string(c, &uri, &ulen) || !ua_string(c, &prod, &plen) ||
        !ua_localized(c, &name, &nlen) || !ua_u32(c, &type) || type > 3)
        return false;
    ua_add_once(out, PROBE_EVF_OPCUA_APP_URI, PROBE_EV_SRC, uri, ulen);
    ua_add_once(out, PROBE_EVF_OPCUA_PRODUCT_URI, PROBE_EV_SRC, prod, plen);
    ua_add_once(out, PROBE_EVF_OPCUA_APPLICATION, PROBE_EV_SRC, name, nlen);
    return ua_skip_string(c) && ua_skip_string(c) && ua_skip_string_array(c);
}

static bool ua_skip_tokens(ssf_cur *c)
{
    uint32_t count, type;
    if (!ua_array_len(c, &count, 20) || count > UA_TOKENS_MAX) return false;
    for (uint32_t i = 0; i < count; i++)
        if (!ua_skip_string(c) || !ua_u32(c, &type) || !ua_skip_string(c) || !ua_skip_string(c) ||
            !ua_skip_string(c))
            return false;
    return true;
}

static bool ua_endpoint(ssf_cur *c, probe_ev_buf_t *out)
{
    static const char *const modes[] = {"None", "Sign", "SignAndEncrypt"};
    const uint8_t *pol;
    size_t plen;
    uint32_t mode;
    if (!ua_skip_string(c) || !ua_app_desc(c, out) || !ua_skip_string(c) || !ua_u32(c, &mode) ||
        mode < 1 || mode > 3)
        return false;
    ua_add_once(out, PROBE_EVF_OPCUA_MODE, PROBE_EV_SRC, (const uint8_t *)modes[mode - 1],
                strlen(modes[mode - 1]));
    if (!ua_string(c, &pol, &plen)) return false;
    ua_add_policy(out, PROBE_EV_SRC, pol, plen);
    return ua_skip_tokens(c) && ua_skip_string(c) && ssf_cur_skip(c, 1);
}

static void ua_endpoints(ssf_cur *c, probe_ev_buf_t *out)
{
    uint32_t count;
    if (!ua_array_len(c, &count, 30)) return;
    for (uint32_t i = 0; i < count && i < UA_ENDPOINTS_MAX; i++)
        if (!ua_endpoint(c, out)) return;
}

static bool ua_skip_response_header(ssf_cur *c)
{
    return ssf_cur_skip(c, 8 + 4 + 4) && ua_skip_diag(c) && ua_skip_string_array(c) &&
           ua_skip_extobj(c);
}

/* ---- messages ---- */

static void ua_hello(ssf_cur b, probe_ev_buf_t *out)
{
    const uint8_t *url;
    size_t len;
    if (ssf_cur_skip(&b, 5 * 4) && ua_string(&b, &url, &len))
        probe_ev_add(out, PROBE_EVF_OPCUA_ENDPOINT, PROBE_EV_DST, url, len);
}

/* Secure channel id, asymmetric security header, sequence header, then (clear only with
 * policy None) the body's type: a request goes to the server, a response comes from it. */
static void ua_open(ssf_cur b, probe_ev_buf_t *out)
{
    const uint8_t *pol;
    size_t plen;
    uint32_t id;
    if (!ssf_cur_skip(&b, 4) || !ua_string(&b, &pol, &plen) || !ua_skip_string(&b) ||
        !ua_skip_string(&b) || !ssf_cur_skip(&b, 8) || !ua_nodeid(&b, &id))
        return;
    if (id == UA_OPN_REQ) ua_add_policy(out, PROBE_EV_DST, pol, plen);
    if (id == UA_OPN_RESP) ua_add_policy(out, PROBE_EV_SRC, pol, plen);
}

static void ua_msg(ssf_cur b, probe_ev_buf_t *out)
{
    uint32_t id;
    if (!ssf_cur_skip(&b, 16) || !ua_nodeid(&b, &id)) return;
    if (id != UA_GETEP_RESP && id != UA_CREATE_RESP) return;
    if (!ua_skip_response_header(&b)) return;
    if (id == UA_CREATE_RESP) {
        uint32_t sess, tok;
        if (!ua_nodeid(&b, &sess) || !ua_nodeid(&b, &tok) || !ssf_cur_skip(&b, 8) ||
            !ua_skip_string(&b) || !ua_skip_string(&b))
            return;
    }
    ua_endpoints(&b, out);
}

/* The type and chunk letters of a message header; false when they are not OPC UA. */
static bool ua_type_ok(const uint8_t *h, size_t left)
{
    static const char types[][4] = {"HEL", "ACK", "ERR", "RHE", "OPN", "MSG", "CLO"};
    size_t k = left < 3 ? left : 3, t;
    for (t = 0; t < SSF_ARRAY_LEN(types); t++)
        if (memcmp(h, types[t], k) == 0) break;
    if (t == SSF_ARRAY_LEN(types)) return false;
    if (left < 4) return true;
    /* Only secure-channel messages are chunked: 'C' intermediate, 'A' abort. */
    return h[3] == 'F' || (t >= 4 && (h[3] == 'C' || h[3] == 'A'));
}

/* One message. EINVAL: not an OPC UA header (type, chunk letter, size out of bounds); ETRUNC:
 * the message runs past the data (what its first bytes held is still used). */
static ssf_rc ua_message(ssf_cur *c, probe_ev_buf_t *out)
{
    const uint8_t *h = c->p;
    size_t left = ssf_cur_left(c);
    if (!ua_type_ok(h, left)) return SSF_EINVAL;
    if (left < UA_HDR) return SSF_ETRUNC;
    uint32_t size =
        (uint32_t)h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24;
    if (size < UA_HDR || size > UA_SIZE_MAX) return SSF_EINVAL;
    ssf_cur body = ssf_cur_make(h + UA_HDR, (size <= left ? size : left) - UA_HDR);
    if (h[0] == 'H') ua_hello(body, out);
    if (h[0] == 'O' && h[3] != 'A') ua_open(body, out);
    if (h[0] == 'M' && h[3] != 'A') ua_msg(body, out);
    if (size > left) return SSF_ETRUNC;
    c->p += size;
    return SSF_OK;
}

ssf_rc probe_ev_opcua(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = ua_message(&c, out);
    if (rc != SSF_OK) return rc;
    for (int i = 1; i < UA_MSGS_MAX && ssf_cur_left(&c); i++) {
        rc = ua_message(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}
