/* ev_tivo.c - identity from TiVoConnect discovery beacons (UDP and TCP 2190), which TiVo DVRs
 * and media servers that speak to them (minidlna, pyTivo) send:
 *
 *   tivoconnect=1 LF swversion=1.0 LF method=broadcast LF identity=... LF machine=R7000P LF
 *   platform=pc/minidlna LF services=TiVoMediaServer:8200/http LF
 *
 * Keys are matched without regard to case: TiVos send "TiVoConnect=1", others "tivoconnect=1".
 * Over TCP the same text follows a 32-bit big-endian length. The beacon has no length of its
 * own over UDP, so a last line without its LF may be cut: it is not used, and the result is
 * SSF_ETRUNC. */
#include "evidence_internal.h"

enum {
    TIVO_TCP_LEN = 4,       /* length prefix of a beacon over TCP            */
    TIVO_BEACON_MAX = 4096, /* a TCP length above this is not a beacon       */
    TIVO_LINES_MAX = 32,    /* lines walked; beacons have about eight         */
};

static const char tivo_magic[] = "tivoconnect=";
#define TIVO_MAGIC_LEN (sizeof tivo_magic - 1)

static const struct {
    const char *key; /* with its '=' */
    probe_ev_field field;
} tivo_keys[] = {
    {"machine=", PROBE_EVF_TIVO_MACHINE},
    {"platform=", PROBE_EVF_TIVO_PLATFORM},
};

static bool tivo_ieq(const uint8_t *p, const char *s, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        uint8_t a = p[i], b = (uint8_t)s[i];
        if (a >= 'A' && a <= 'Z') a = (uint8_t)(a + ('a' - 'A'));
        if (a != b) return false;
    }
    return true;
}

/* SSF_OK when p starts with the magic, SSF_ETRUNC when p is a proper prefix of it. */
static ssf_rc tivo_magic_at(const uint8_t *p, size_t n)
{
    size_t k = n < TIVO_MAGIC_LEN ? n : TIVO_MAGIC_LEN;
    if (!tivo_ieq(p, tivo_magic, k)) return SSF_EINVAL;
    return k < TIVO_MAGIC_LEN ? SSF_ETRUNC : SSF_OK;
}

static void tivo_line(probe_ev_buf_t *out, const probe_ev_line_t *l)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(tivo_keys); i++) {
        size_t k = strlen(tivo_keys[i].key);
        if (l->len > k && tivo_ieq(l->p, tivo_keys[i].key, k))
            probe_ev_add(out, tivo_keys[i].field, PROBE_EV_SRC, l->p + k, l->len - k);
    }
}

/* Walks the key=value lines of a beacon that starts with the magic. */
static ssf_rc tivo_lines(ssf_cur c, probe_ev_buf_t *out)
{
    probe_ev_line_t l;
    for (unsigned i = 0; i < TIVO_LINES_MAX && ssf_cur_left(&c); i++) {
        if (!probe_ev_next_line(&c, &l)) return SSF_ETRUNC;
        tivo_line(out, &l);
    }
    return SSF_OK;
}

ssf_rc probe_ev_tivo(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || n == 0) return SSF_EINVAL;
    ssf_rc rc = tivo_magic_at(p, n);
    if (rc == SSF_OK) return tivo_lines(ssf_cur_make(p, n), out);
    if (rc == SSF_ETRUNC || p[0] != 0) return rc;
    /* TCP: a length, then the beacon. A beacon is short, so the length's first byte is 0. */
    ssf_cur c = ssf_cur_make(p, n);
    uint32_t len;
    if (!ssf_cur_u32be(&c, &len)) return SSF_ETRUNC;
    if (len < TIVO_MAGIC_LEN || len > TIVO_BEACON_MAX) return SSF_EINVAL;
    rc = tivo_magic_at(c.p, ssf_cur_left(&c));
    if (rc != SSF_OK) return rc;
    if (len > ssf_cur_left(&c)) return SSF_ETRUNC;
    c.end = c.p + len;
    /* The length says where the beacon ends: its last line needs no LF. */
    probe_ev_line_t l;
    for (unsigned i = 0; i < TIVO_LINES_MAX && ssf_cur_left(&c); i++) {
        if (!probe_ev_next_line(&c, &l)) {
            l.p = c.p;
            l.len = ssf_cur_left(&c);
            c.p = c.end;
        }
        tivo_line(out, &l);
    }
    return SSF_OK;
}
