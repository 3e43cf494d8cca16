/* ev_tftp.c - TFTP read and write requests (RFC 1350 section 5; options RFC 2347) on UDP 69.
 *
 * A request is opcode (2 bytes, 1 RRQ or 2 WRQ), the file name and NUL, the mode and NUL, then
 * option/value pairs, each NUL-terminated. Only the request reaches port 69: the transfer runs
 * between two other ports. The file name says what the client fetched or sent: a device that
 * loads its firmware or its configuration over TFTP does so without any protection of the
 * image (insecure_update in signatures/rules/weakpoints.rules). Other opcodes (DATA, ACK,
 * ERROR, OACK) are TFTP without a file name. */
#include "ev_text.h"

#include <strings.h>

enum {
    TFTP_RRQ = 1,
    TFTP_WRQ = 2,
    TFTP_OACK = 6,       /* the last opcode defined (RFC 2347)                                */
    TFTP_NAME_MAX = 512, /* a request fits one 512-byte datagram's worth of text (RFC 1350) */
};

/* Length of the NUL-terminated string at p within the first lim bytes, or lim when no NUL
 * ends it there. */
static size_t tftp_str(const uint8_t *p, size_t lim)
{
    const uint8_t *z = memchr(p, 0, lim);
    return z ? (size_t)(z - p) : lim;
}

/* The transfer modes RFC 1350 defines, in any case. */
static bool tftp_mode_ok(const uint8_t *p, size_t k)
{
    static const char *const modes[] = {"netascii", "octet", "mail"};
    for (size_t i = 0; i < SSF_ARRAY_LEN(modes); i++)
        if (strlen(modes[i]) == k && strncasecmp((const char *)p, modes[i], k) == 0) return true;
    return false;
}

bool probe_ev_tftp_opens(const uint8_t *p, size_t n)
{
    return p && n >= 4 && p[0] == 0 && (p[1] == TFTP_RRQ || p[1] == TFTP_WRQ);
}

ssf_rc probe_ev_tftp(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    if (n < 2) return p[0] == 0 ? SSF_ETRUNC : SSF_EINVAL;
    unsigned op = (unsigned)p[0] << 8 | p[1];
    if (op == 0 || op > TFTP_OACK) return SSF_EINVAL;
    if (op != TFTP_RRQ && op != TFTP_WRQ) return SSF_OK;
    const uint8_t *name = p + 2;
    size_t left = n - 2;
    size_t lim = left < TFTP_NAME_MAX ? left : TFTP_NAME_MAX;
    size_t k = tftp_str(name, lim);
    if (k == lim) return lim == TFTP_NAME_MAX ? SSF_EINVAL : SSF_ETRUNC;
    if (k == 0) return SSF_EINVAL; /* RFC 1350 has no empty file name */
    const uint8_t *mode = name + k + 1;
    size_t mleft = left - k - 1;
    size_t m = tftp_str(mode, mleft);
    if (m == mleft) return SSF_ETRUNC;
    if (!tftp_mode_ok(mode, m)) return SSF_EINVAL;
    /* Options (blksize, tsize ...) follow; they say nothing about the device. */
    probe_ev_add(out, op == TFTP_RRQ ? PROBE_EVF_TFTP_READ : PROBE_EVF_TFTP_WRITE, PROBE_EV_SRC,
                 name, k);
    return SSF_OK;
}
