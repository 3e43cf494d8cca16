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
