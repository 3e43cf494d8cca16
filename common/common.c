#include "ssf/common.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

ssf_rc ssf_err_set(ssf_err *err, ssf_rc rc, const char *file, unsigned line, const char *fmt, ...)
{
    if (!err) return rc;
    err->rc = rc;
    err->file = file;
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ssf_rc_str(ssf_rc rc)
{
    switch (rc) {
    case SSF_OK:
        return "ok";
    case SSF_ENOMEM:
        return "out of memory";
    case SSF_EINVAL:
        return "invalid input";
    case SSF_ETRUNC:
        return "truncated input";
    case SSF_EIO:
        return "I/O error";
    case SSF_EFULL:
        return "full";
    case SSF_ENOTSUP:
        return "not supported";
    case SSF_EAGAIN:
        return "try again";
    case SSF_EPERM:
        return "permission denied";
    }
    return "unknown error";
}

char *ssf_addr_str(const ssf_addr *a, char *buf, size_t len)
{
    if (ssf_addr_is_v4(a))
        inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len);
    else
        inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
    return buf;
}

bool ssf_addr_parse(const char *s, ssf_addr *a)
{
    uint8_t v4[4];
    if (inet_pton(AF_INET, s, v4) == 1) {
        ssf_addr_from_v4(a, v4);
        return true;
    }
    return inet_pton(AF_INET6, s, a->b) == 1;
}

static bool v4_is_local(const uint8_t *v)
{
    return v[0] == 10 || v[0] == 127 || v[0] == 0 || v[0] >= 224 ||
           (v[0] == 172 && (v[1] & 0xf0) == 16) || (v[0] == 192 && v[1] == 168) ||
           (v[0] == 169 && v[1] == 254) || (v[0] == 100 && (v[1] & 0xc0) == 64);
}

bool ssf_addr_is_local(const ssf_addr *a)
{
    if (ssf_addr_is_v4(a)) return v4_is_local(a->b + 12);
    if (ssf_addr_is_zero(a)) return true;
    static const uint8_t lo[16] = {[15] = 1};
    if (memcmp(a->b, lo, 16) == 0) return true;
    return a->b[0] == 0xff || (a->b[0] & 0xfe) == 0xfc ||
           (a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80);
}

char *ssf_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
    snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
             mac[5]);
    return buf;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Exactly "xx:xx:xx:xx:xx:xx" or "xx-xx-xx-xx-xx-xx": scanf's %x would also take signs,
 * blanks, single digits and "0x", so the text is checked by hand. */
bool ssf_mac_parse(const char *s, uint8_t mac[6])
{
    if (strlen(s) != 17 || (s[2] != ':' && s[2] != '-')) return false;
    uint8_t v[6];
    for (int i = 0; i < 6; i++) {
        const char *p = s + i * 3;
        int hi = hex_digit(p[0]), lo = hex_digit(p[1]);
        if (hi < 0 || lo < 0 || (i < 5 && p[2] != s[2])) return false;
        v[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(mac, v, 6);
    return true;
}

uint64_t ssf_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
