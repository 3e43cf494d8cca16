/* Application payloads: DHCP (BOOTP), TLS 1.2 handshake messages, an SSH KEXINIT binary packet
 * and a DNS query. Field values are documented in SCENARIO.md; change both together. */
#include "gen.h"

#include <string.h>

/* ---- DHCP ---------------------------------------------------------------------------------- */

void gen_dhcp_payload(gen_buf *b, const gen_dhcp *d)
{
    static const uint8_t cookie[4] = {99, 130, 83, 99};
    size_t start = b->len;
    gen_u8(b, d->op);
    gen_u8(b, 1); /* htype Ethernet */
    gen_u8(b, 6); /* hlen */
    gen_u8(b, 0); /* hops */
    gen_u32(b, d->xid);
    gen_u16(b, 0);      /* secs */
    gen_u16(b, 0x8000); /* broadcast flag: the client has no address yet */
    gen_zero(b, 4);     /* ciaddr */
    gen_put(b, d->yiaddr, 4);
    gen_put(b, d->siaddr, 4);
    gen_zero(b, 4); /* giaddr */
    gen_put(b, d->chaddr, 6);
    gen_zero(b, 10 + 64 + 128); /* chaddr padding, sname, file */
    gen_put(b, cookie, sizeof cookie);
    gen_u8(b, 53);
    gen_u8(b, 1);
    gen_u8(b, d->msg_type);
    gen_put(b, d->opts, d->opts_len);
    gen_u8(b, 255);
    /* RFC 1542 minimum BOOTP message size; real clients pad like this. */
    if (b->len - start < 300) gen_zero(b, 300 - (b->len - start));
}

void gen_dhcp_opt(gen_buf *b, uint8_t code, const void *val, size_t len)
{
    gen_u8(b, code);
    gen_u8(b, (uint8_t)len);
    gen_put(b, val, len);
}

/* ---- HTTP ---------------------------------------------------------------------------------- */

void gen_http_get(gen_buf *b, const char *host, const char *path, const char *ua)
{
    gen_str(b, "GET ");
    gen_str(b, path);
    gen_str(b, " HTTP/1.1\r\nHost: ");
    gen_str(b, host);
    gen_str(b, "\r\nUser-Agent: ");
    gen_str(b, ua);
    gen_str(b, "\r\nAccept: */*\r\nConnection: close\r\n\r\n");
}

void gen_http_ok(gen_buf *b, const char *server, const char *body)
{
    char clen[32];
    snprintf(clen, sizeof clen, "%zu", strlen(body));
    gen_str(b, "HTTP/1.1 200 OK\r\nDate: Mon, 15 Jan 2024 08:00:00 GMT\r\nServer: ");
    gen_str(b, server);
    gen_str(b, "\r\nContent-Type: text/html\r\nContent-Length: ");
    gen_str(b, clen);
    gen_str(b, "\r\nConnection: close\r\n\r\n");
    gen_str(b, body);
}

/* ---- TLS ----------------------------------------------------------------------------------- */

static void gen_tls_random(gen_buf *b, uint8_t seed)
{
    for (unsigned i = 0; i < 32; i++)
        gen_u8(b, (uint8_t)(seed + i * 37u));
}

static void gen_tls_u16_list(gen_buf *b, const uint16_t *v, size_t n)
{
    size_t at = gen_len_begin(b, 2);
    for (size_t i = 0; i < n; i++)
        gen_u16(b, v[i]);
    gen_len_end(b, at, 2);
}

static void gen_tls_ext_sni(gen_buf *b, const char *sni)
{
    gen_u16(b, 0x0000);
    size_t ext = gen_len_begin(b, 2);
    size_t list = gen_len_begin(b, 2);
    gen_u8(b, 0); /* host_name */
    size_t name = gen_len_begin(b, 2);
    gen_str(b, sni);
    gen_len_end(b, name, 2);
    gen_len_end(b, list, 2);
    gen_len_end(b, ext, 2);
}

static void gen_tls_client_exts(gen_buf *b, const char *sni)
{
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018, 0x0019};
    static const uint16_t sigalgs[] = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805,
                                       0x0806, 0x0401, 0x0501, 0x0601, 0x0201};
    size_t exts = gen_len_begin(b, 2);
    gen_tls_ext_sni(b, sni);
    gen_u16(b, 0x000a); /* supported_groups */
    size_t at = gen_len_begin(b, 2);
    gen_tls_u16_list(b, groups, sizeof groups / sizeof *groups);
    gen_len_end(b, at, 2);
    gen_u16(b, 0x000b); /* ec_point_formats: uncompressed */
    gen_u32(b, 0x00020100u);
    gen_u16(b, 0x000d); /* signature_algorithms */
    at = gen_len_begin(b, 2);
    gen_tls_u16_list(b, sigalgs, sizeof sigalgs / sizeof *sigalgs);
    gen_len_end(b, at, 2);
    gen_u32(b, 0x00170000u); /* extended_master_secret, empty */
    gen_u32(b, 0xff010001u); /* renegotiation_info, one empty byte */
    gen_u8(b, 0);
    gen_len_end(b, exts, 2);
}

void gen_tls_client_hello(gen_buf *b, const char *sni)
{
    static const uint16_t suites[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                                      0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    gen_u8(b, 22);
    gen_u16(b, 0x0303); /* record version: TLS 1.2 throughout, unambiguous for tests */
    size_t rec = gen_len_begin(b, 2);
    gen_u8(b, 1);
    size_t hs = gen_len_begin(b, 3);
    gen_u16(b, 0x0303);
    gen_tls_random(b, 0x11);
    gen_u8(b, 0); /* session id */
    gen_tls_u16_list(b, suites, sizeof suites / sizeof *suites);
    gen_u16(b, 0x0100); /* one compression method: null */
    gen_tls_client_exts(b, sni);
    gen_len_end(b, hs, 3);
    gen_len_end(b, rec, 2);
}

static void gen_tls_server_hello(gen_buf *b)
{
    gen_u8(b, 2);
    size_t hs = gen_len_begin(b, 3);
    gen_u16(b, 0x0303);
    gen_tls_random(b, 0x5a);
    gen_u8(b, 32);
    gen_tls_random(b, 0xa5); /* session id */
    gen_u16(b, 0xc02f);      /* ECDHE-RSA-AES128-GCM-SHA256 */
    gen_u8(b, 0);
    size_t exts = gen_len_begin(b, 2);
    gen_u32(b, 0xff010001u);
    gen_u8(b, 0);
    gen_u16(b, 0x000b);
    gen_u32(b, 0x00020100u);
    gen_u32(b, 0x00170000u);
    gen_len_end(b, exts, 2);
    gen_len_end(b, hs, 3);
}

size_t gen_tls_server_flight(gen_buf *b, const uint8_t *der, size_t der_len)
{
    gen_u8(b, 22);
    gen_u16(b, 0x0303);
    size_t rec = gen_len_begin(b, 2);
    gen_tls_server_hello(b);
    gen_u8(b, 11); /* Certificate */
    size_t hs = gen_len_begin(b, 3);
    size_t list = gen_len_begin(b, 3);
    size_t one = gen_len_begin(b, 3);
    size_t der_off = b->len;
    gen_put(b, der, der_len);
    gen_len_end(b, one, 3);
    gen_len_end(b, list, 3);
    gen_len_end(b, hs, 3);
    gen_u32(b, 0x0e000000u); /* ServerHelloDone */
    gen_len_end(b, rec, 2);
    return der_off;
}

/* ---- SSH ----------------------------------------------------------------------------------- */

/* KEXINIT name-lists in protocol order: kex, host key, cipher c2s/s2c, MAC c2s/s2c,
 * compression c2s/s2c, language c2s/s2c. Row 0 is the PuTTY client, row 1 the Cisco server. */
static const char *const gen_kex_lists[2][10] = {
    {"curve25519-sha256,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1",
     "ssh-ed25519,rsa-sha2-512,rsa-sha2-256,ssh-rsa", "aes256-ctr,aes128-ctr",
     "aes256-ctr,aes128-ctr", "hmac-sha2-256,hmac-sha1", "hmac-sha2-256,hmac-sha1", "none,zlib",
     "none,zlib", "", ""},
    {"diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1", "ssh-rsa",
     "aes128-ctr,aes192-ctr,aes256-ctr", "aes128-ctr,aes192-ctr,aes256-ctr", "hmac-sha1",
     "hmac-sha1", "none", "none", "", ""},
};

void gen_ssh_kexinit(gen_buf *b, bool server)
{
    size_t start = b->len;
    gen_zero(b, 5); /* packet_length and padding_length, filled below */
    gen_u8(b, 20);  /* SSH_MSG_KEXINIT */
    for (unsigned i = 0; i < 16; i++)
        gen_u8(b, (uint8_t)(i * 11u + (server ? 3u : 7u))); /* cookie */
    for (unsigned i = 0; i < 10; i++) {
        const char *s = gen_kex_lists[server ? 1 : 0][i];
        gen_u32(b, (uint32_t)strlen(s));
        gen_str(b, s);
    }
    gen_u8(b, 0);  /* first_kex_packet_follows */
    gen_u32(b, 0); /* reserved */
    /* Pad so the whole packet is a multiple of 8, with at least 4 padding bytes (RFC 4253). */
    size_t body = b->len - start;
    size_t pad = 8 - body % 8;
    if (pad < 4) pad += 8;
    gen_zero(b, pad);
    if (b->overflow) return;
    uint32_t plen = (uint32_t)(b->len - start - 4);
    for (unsigned i = 0; i < 4; i++)
        b->b[start + i] = (uint8_t)(plen >> (24 - 8 * i));
    b->b[start + 4] = (uint8_t)pad;
}

/* ---- DNS ----------------------------------------------------------------------------------- */

void gen_dns_query(gen_buf *b, const uint16_t id, const char *qname)
{
    gen_u16(b, id);
    gen_u16(b, 0x0100); /* standard query, recursion desired */
    gen_u16(b, 1);
    gen_zero(b, 6);
    while (*qname) {
        size_t n = strcspn(qname, ".");
        gen_u8(b, (uint8_t)n);
        gen_put(b, qname, n);
        qname += n + (qname[n] == '.');
    }
    gen_u8(b, 0);
    gen_u16(b, 1); /* A */
    gen_u16(b, 1); /* IN */
}
