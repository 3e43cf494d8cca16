/* ssf/common.h - status codes, the caller-owned error struct, and the bounds-checked cursor
 * that every decoder reads through. */
#ifndef SSF_COMMON_H
#define SSF_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SSF_LIKELY(x)    __builtin_expect(!!(x), 1)
#define SSF_UNLIKELY(x)  __builtin_expect(!!(x), 0)
#define SSF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One status enum for the whole project. Negative is failure. */
typedef enum {
    SSF_OK = 0,
    SSF_ENOMEM = -1,  /* allocation failed                               */
    SSF_EINVAL = -2,  /* malformed input or bad argument                  */
    SSF_ETRUNC = -3,  /* input shorter than its own lengths claim         */
    SSF_EIO = -4,     /* a file or socket operation failed                */
    SSF_EFULL = -5,   /* a bounded structure is full; caller counts a drop */
    SSF_ENOTSUP = -6, /* recognised but unsupported (link type, version) */
    SSF_EAGAIN = -7,  /* nothing available yet                            */
    SSF_EPERM = -8,   /* the OS refused (capture permissions)             */
} ssf_rc;

/* Error detail written by libraries, printed by main(). file/line name a position in a user
 * file (rules, policy) when there is one. */
typedef struct {
    ssf_rc rc;
    char msg[256];
    const char *file;
    unsigned line;
} ssf_err;

/* Sets *err (if err is not NULL) and returns rc, so callers can `return ssf_err_set(...)`. */
ssf_rc ssf_err_set(ssf_err *err, ssf_rc rc, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

const char *ssf_rc_str(ssf_rc rc);

/* A read cursor over untrusted bytes. Every accessor checks the remaining length first and
 * leaves the cursor untouched on failure. */
typedef struct {
    const uint8_t *p;
    const uint8_t *end;
} ssf_cur;

static inline ssf_cur ssf_cur_make(const void *p, size_t n)
{
    ssf_cur c = {(const uint8_t *)p, (const uint8_t *)p + n};
    return c;
}
static inline size_t ssf_cur_left(const ssf_cur *c)
{
    return (size_t)(c->end - c->p);
}
static inline bool ssf_cur_skip(ssf_cur *c, size_t n)
{
    if (ssf_cur_left(c) < n) return false;
    c->p += n;
    return true;
}
static inline bool ssf_cur_u8(ssf_cur *c, uint8_t *v)
{
    if (c->p >= c->end) return false;
    *v = *c->p++;
    return true;
}
static inline bool ssf_cur_u16be(ssf_cur *c, uint16_t *v)
{
    if (ssf_cur_left(c) < 2) return false;
    *v = (uint16_t)(c->p[0] << 8 | c->p[1]);
    c->p += 2;
    return true;
}
static inline bool ssf_cur_u24be(ssf_cur *c, uint32_t *v)
{
    if (ssf_cur_left(c) < 3) return false;
    *v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
    c->p += 3;
    return true;
}
static inline bool ssf_cur_u32be(ssf_cur *c, uint32_t *v)
{
    if (ssf_cur_left(c) < 4) return false;
    *v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 | (uint32_t)c->p[2] << 8 | c->p[3];
    c->p += 4;
    return true;
}
static inline bool ssf_cur_bytes(ssf_cur *c, size_t n, const uint8_t **out)
{
    if (ssf_cur_left(c) < n) return false;
    *out = c->p;
    c->p += n;
    return true;
}
/* Splits off the next n bytes as a sub-cursor. */
static inline bool ssf_cur_sub(ssf_cur *c, size_t n, ssf_cur *sub)
{
    if (ssf_cur_left(c) < n) return false;
    sub->p = c->p;
    sub->end = c->p + n;
    c->p += n;
    return true;
}

/* An IP address in 16 bytes: IPv4 is stored v4-mapped (::ffff:a.b.c.d) so one key type holds
 * both families. */
typedef struct {
    uint8_t b[16];
} ssf_addr;

static inline void ssf_addr_from_v4(ssf_addr *a, const uint8_t v4[4])
{
    memset(a->b, 0, 10);
    a->b[10] = a->b[11] = 0xff;
    memcpy(a->b + 12, v4, 4);
}
static inline bool ssf_addr_is_v4(const ssf_addr *a)
{
    static const uint8_t pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a->b, pfx, 12) == 0;
}
/* 0.0.0.0: a host that has no address yet. */
static inline bool ssf_addr_is_v4_any(const ssf_addr *a)
{
    return ssf_addr_is_v4(a) && !(a->b[12] | a->b[13] | a->b[14] | a->b[15]);
}
static inline bool ssf_addr_is_zero(const ssf_addr *a)
{
    static const uint8_t z[16];
    return memcmp(a->b, z, 16) == 0;
}

#define SSF_ADDR_STRLEN 46
/* Writes the address in its usual text form (dotted quad for v4-mapped). Returns buf. */
char *ssf_addr_str(const ssf_addr *a, char *buf, size_t len);
/* Parses dotted quad or IPv6 text. */
bool ssf_addr_parse(const char *s, ssf_addr *a);
/* True for RFC 1918, CGNAT, loopback, link-local, multicast/broadcast, ULA and unspecified:
 * addresses that are not a host on the public Internet. */
bool ssf_addr_is_local(const ssf_addr *a);

#define SSF_MAC_STRLEN 18
char *ssf_mac_str(const uint8_t mac[6], char *buf, size_t len);
bool ssf_mac_parse(const char *s, uint8_t mac[6]);

/* Copies the C string src into dst of size n (n > 0), always NUL-terminating, truncating if
 * needed. Returns strlen(dst). */
static inline size_t ssf_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = 0; /* strnlen is POSIX, and this header is plain C11 */
    while (len < n - 1 && src[len])
        len++;
    memcpy(dst, src, len);
    dst[len] = 0;
    return len;
}

/* Monotonic clock in nanoseconds. */
uint64_t ssf_now_ns(void);

#endif
