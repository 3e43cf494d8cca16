/* ev_ssh.c - the SSH identification string (RFC 4253 section 4.2):
 * "SSH-protoversion-softwareversion SP comments CR LF". A server may send other lines first;
 * none of them may start with "SSH-". */
#include "evidence_internal.h"

enum {
    SSH_MAX_LINES = 8, /* lines scanned for the identification string        */
    SSH_MIN_CUT = 8,   /* a cut identification this long is worth reporting  */
};
static const char ssh_magic[] = "SSH-";
#define SSH_MAGIC_LEN (sizeof ssh_magic - 1)

/* "SSH-" then protoversion ([0-9.]+) then '-' then a non-empty softwareversion. A cut line
 * (complete=false) only has to be consistent with that as far as it goes. */
static bool ssh_id_ok(const uint8_t *p, size_t len, bool complete)
{
    size_t i = SSH_MAGIC_LEN;
    while (i < len && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'))
        i++;
    if (i == len) return !complete;
    if (i == SSH_MAGIC_LEN || p[i] != '-') return false;
    return i + 1 < len || !complete;
}

static ssf_rc ssh_emit(const uint8_t *p, size_t len, bool complete, probe_ev_buf_t *out)
{
    if (!ssh_id_ok(p, len, complete)) return SSF_EINVAL;
    probe_ev_add(out, PROBE_EVF_SSH_BANNER, PROBE_EV_SRC, p, len);
    return SSF_OK;
}

/* The data ended inside a line: report it if it is a long enough identification, ask for more
 * if it could still become one, give up otherwise. */
static ssf_rc ssh_cut_line(const uint8_t *p, size_t len, probe_ev_buf_t *out)
{
    size_t k = len < SSH_MAGIC_LEN ? len : SSH_MAGIC_LEN;
    if (!len || memcmp(p, ssh_magic, k) != 0) return SSF_EINVAL;
    if (len < SSH_MAGIC_LEN) return SSF_ETRUNC;
    if (len < SSH_MIN_CUT) return ssh_id_ok(p, len, false) ? SSF_ETRUNC : SSF_EINVAL;
    return ssh_emit(p, len, false, out);
}

ssf_rc probe_ev_ssh(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    for (int line = 0; line < SSH_MAX_LINES; line++) {
        const uint8_t *lf = memchr(c.p, '\n', ssf_cur_left(&c));
        if (!lf) return ssh_cut_line(c.p, ssf_cur_left(&c), out);
        size_t len = (size_t)(lf - c.p);
        if (len && c.p[len - 1] == '\r') len--;
        if (len >= SSH_MAGIC_LEN && memcmp(c.p, ssh_magic, SSH_MAGIC_LEN) == 0)
            return ssh_emit(c.p, len, true, out);
        c.p = lf + 1;
    }
    return SSF_EINVAL;
}

/* ---- HASSH: the algorithms a KEXINIT offers (RFC 4253 section 7.1) ----
 *
 * HASSH (github.com/salesforce/hassh) is the MD5 of "kex;enc;mac;comp" using the client to
 * server lists of a client's KEXINIT, and hasshServer of "kex;enc;mac;comp" with the server
 * to client lists of a server's. Which end sent the packet is not in it, so the caller says:
 * probe_ev_hassh for the client's bytes, probe_ev_hassh_server for the server's. */

#include <ndpi/ndpi_api.h> /* ndpi_md5: we link nDPI already */

enum {
    SSH_MSG_KEXINIT = 20,
    SSH_PACKET_MAX = 35000, /* RFC 4253 6.1: the largest packet an end must accept  */
    SSH_COOKIE = 16,
    SSH_HASSH_MAX = 4096, /* a longer HASSH string (absurd lists) is not hashed   */
};

/* Name-lists of a KEXINIT, in packet order. */
enum {
    KX_KEX,
    KX_HOSTKEY,
    KX_ENC_C2S,
    KX_ENC_S2C,
    KX_MAC_C2S,
    KX_MAC_S2C,
    KX_COMP_C2S,
    KX_COMP_S2C,
    KX_LISTS
};

/* Skips identification and other text lines (up to and with the "SSH-" one) when the
 * payload starts with text, so a banner and a KEXINIT sharing a segment both count. */
static bool ssh_skip_banner(ssf_cur *c)
{
    if (ssf_cur_left(c) < SSH_MAGIC_LEN || memcmp(c->p, ssh_magic, SSH_MAGIC_LEN) != 0) return true;
    const uint8_t *lf = memchr(c->p, '\n', ssf_cur_left(c));
    if (!lf) return false;
    c->p = lf + 1;
    return true;
}

/* Points lists[] at the ten name-lists' first eight; rc as probe_ev_hassh. */
static ssf_rc ssh_kexinit(const uint8_t *p, size_t n, ssf_cur lists[KX_LISTS])
{
    if (!p || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n), pkt;
    if (!ssh_skip_banner(&c)) return SSF_ETRUNC;
    if (!ssf_cur_left(&c)) return SSF_ETRUNC; /* the banner alone: KEXINIT to follow */
    uint32_t len;
    uint8_t pad, msg;
    /* Checks on what is there so far, so other bytes are refused early. */
    if (ssf_cur_left(&c) >= 4) {
        len = (uint32_t)c.p[0] << 24 | (uint32_t)c.p[1] << 16 | (uint32_t)c.p[2] << 8 | c.p[3];
        if (len < 1 + 1 + SSH_COOKIE || len > SSH_PACKET_MAX) return SSF_EINVAL;
    }
    if (ssf_cur_left(&c) >= 6 && c.p[5] != SSH_MSG_KEXINIT) return SSF_EINVAL;
    if (!ssf_cur_u32be(&c, &len) || !ssf_cur_u8(&c, &pad) || !ssf_cur_u8(&c, &msg))
        return SSF_ETRUNC;
    if (pad >= len - 1) return SSF_EINVAL;
    /* The lists need not all have arrived for us to judge; read what the packet holds. */
    size_t body = len - 1 - pad - 1, have = ssf_cur_left(&c);
    pkt = ssf_cur_make(c.p, body < have ? body : have);
    if (!ssf_cur_skip(&pkt, SSH_COOKIE)) return body <= have ? SSF_EINVAL : SSF_ETRUNC;
    for (int i = 0; i < KX_LISTS; i++) {
        uint32_t k;
        if (!ssf_cur_u32be(&pkt, &k) || !ssf_cur_sub(&pkt, k, &lists[i]))
            return body <= have ? SSF_EINVAL : SSF_ETRUNC;
    }
    return SSF_OK;
}

static ssf_rc ssh_hassh(const uint8_t *p, size_t n, bool server, probe_ev_buf_t *out)
{
    ssf_cur l[KX_LISTS];
    ssf_rc rc = ssh_kexinit(p, n, l);
    if (rc != SSF_OK) return rc;
    const int pick[4] = {KX_KEX, server ? KX_ENC_S2C : KX_ENC_C2S, server ? KX_MAC_S2C : KX_MAC_C2S,
                         server ? KX_COMP_S2C : KX_COMP_C2S};
    char s[SSH_HASSH_MAX];
    size_t used = 0;
    for (int i = 0; i < 4; i++) {
        size_t k = ssf_cur_left(&l[pick[i]]);
        if (k + 1 > sizeof s - used) return SSF_OK; /* too long to hash: SSH, no item */
        memcpy(s + used, l[pick[i]].p, k);
        used += k;
        if (i < 3) s[used++] = ';';
    }
    uint8_t md[16];
    ndpi_md5((const u_char *)s, used, md);
    probe_ev_str_t hex;
    probe_ev_str_init(&hex);
    for (size_t i = 0; i < sizeof md; i++)
        probe_ev_str_hex(&hex, md[i]);
    probe_ev_add_str(out, server ? PROBE_EVF_SSH_HASSH_SERVER : PROBE_EVF_SSH_HASSH, PROBE_EV_SRC,
                     &hex);
    return SSF_OK;
}

ssf_rc probe_ev_hassh(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!out) return SSF_EINVAL;
    return ssh_hassh(p, n, false, out);
}

ssf_rc probe_ev_hassh_server(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!out) return SSF_EINVAL;
    return ssh_hassh(p, n, true, out);
}
