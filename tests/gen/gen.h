/* ssfgen internals: packet builder, capture writers and protocol payload builders shared by the
 * capture modules (cap_*.c). Single-threaded test tool; all state lives in caller-owned structs. */
#ifndef SSF_TESTS_GEN_H
#define SSF_TESTS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest frame we build: a 3000-byte SNMP datagram before fragmentation plus headers. */
#define GEN_BUF_MAX 4096

/* 2024-01-15 08:00:00 UTC: every capture's first packet carries this timestamp. */
#define GEN_T0_SEC 1705305600u

/* Default gap between consecutive packets of one capture, microseconds. */
#define GEN_STEP_US 1000u

/* ---- byte buffer --------------------------------------------------------------------------- */

/* An append-only byte buffer. Appends past GEN_BUF_MAX set `overflow` instead of writing, so
 * builders stay simple and the writer refuses the frame once at the end. */
typedef struct {
    uint8_t b[GEN_BUF_MAX];
    size_t len;       /* bytes used                                       */
    bool overflow;    /* an append did not fit; the content is unusable   */
    size_t l3_off;    /* offset of the IPv4/IPv6 header, SIZE_MAX if none */
    size_t l4_off;    /* offset of the TCP/UDP/ICMP header, SIZE_MAX      */
    uint8_t l4_proto; /* IP protocol number of the header at l4_off    */
} gen_buf;

void gen_buf_init(gen_buf *b);
void gen_put(gen_buf *b, const void *p, size_t n);
void gen_zero(gen_buf *b, size_t n);
void gen_u8(gen_buf *b, uint8_t v);
void gen_u16(gen_buf *b, uint16_t v);    /* big-endian */
void gen_u32(gen_buf *b, uint32_t v);    /* big-endian */
void gen_str(gen_buf *b, const char *s); /* without the NUL */
/* Length prefixes: gen_len_begin reserves `width` (1-3 bytes, big-endian) and returns its
 * offset; gen_len_end writes the number of bytes appended since then. */
size_t gen_len_begin(gen_buf *b, unsigned width);
void gen_len_end(gen_buf *b, size_t at, unsigned width);
void gen_set_u16(gen_buf *b, size_t at, uint16_t v);

/* ---- hosts and link layer ------------------------------------------------------------------ */

typedef struct {
    uint8_t mac[6];
    uint8_t ip[16]; /* IPv4 uses ip[0..3] */
    bool v6;
} gen_host;

/* VLAN stack of an Ethernet frame, outermost tag first. */
typedef struct {
    uint8_t n;        /* number of tags, 0..3        */
    uint16_t tpid[3]; /* 0x8100 or 0x88a8            */
    uint16_t vid[3];  /* VLAN id, priority 0         */
} gen_vlans;

typedef struct gen_out gen_out;

/* Writes the link-layer header the output's linktype needs. `outgoing` picks the SLL packet type
 * (the capturing host is the sender). Ethertype selects the DLT_NULL/LOOP family as well. */
void gen_link(gen_buf *b, const gen_out *o, const gen_vlans *v, const uint8_t src[6],
              const uint8_t dst[6], uint16_t ethertype, bool outgoing);
void gen_eth(gen_buf *b, const uint8_t dst[6], const uint8_t src[6], uint16_t type);
void gen_vlan(gen_buf *b, uint16_t vid, uint16_t next_type);

/* ---- network and transport ----------------------------------------------------------------- */

typedef struct {
    uint16_t id;   /* IPv4 identification                    */
    uint16_t frag; /* flags+offset field as on the wire      */
    uint8_t ttl;   /* TTL / hop limit; 0 means 64            */
    bool v6_ext;   /* IPv6: Hop-by-Hop + Destination Options  */
} gen_ipopt;

void gen_ipv4(gen_buf *b, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
              const gen_ipopt *opt);
void gen_ipv6(gen_buf *b, const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
              const gen_ipopt *opt);
/* Picks gen_ipv4 or gen_ipv6 from the hosts' family. */
void gen_ip(gen_buf *b, const gen_host *src, const gen_host *dst, uint8_t proto,
            const gen_ipopt *opt);

enum { GEN_FIN = 0x01, GEN_SYN = 0x02, GEN_RST = 0x04, GEN_PSH = 0x08, GEN_ACK = 0x10 };

typedef struct {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;
    bool mss; /* append an MSS 1460 option (SYN segments) */
} gen_tcphdr;

void gen_tcp(gen_buf *b, const gen_tcphdr *t);
void gen_udp(gen_buf *b, uint16_t sport, uint16_t dport);
void gen_icmp(gen_buf *b, uint8_t type, uint8_t code, uint32_t rest);
void gen_icmp6(gen_buf *b, uint8_t type, uint8_t code, uint32_t rest);

/* ARP for IPv4 over Ethernet; op 1 request, 2 reply. */
void gen_arp(gen_buf *b, uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
             const uint8_t tha[6], const uint8_t tpa[4]);

/* Fills IP total/payload length, UDP length and every checksum from the recorded offsets. Call
 * once after the payload is appended. */
void gen_finish(gen_buf *b);
/* Internet checksum of a byte range with an initial partial sum. */
uint16_t gen_csum(const uint8_t *p, size_t n, uint32_t sum);
/* Pads an Ethernet frame with zeros to the 60-byte minimum, as a receiving NIC would. */
void gen_pad60(gen_buf *b);

/* ---- capture writer ------------------------------------------------------------------------ */

enum { GEN_FMT_PCAP, GEN_FMT_PCAPNG };

struct gen_out {
    FILE *f;
    char path[512];    /* for messages                                  */
    int err;           /* errno of the first failed write, 0 if none    */
    int fmt;           /* GEN_FMT_*                                     */
    uint32_t linktype; /* DLT/LINKTYPE value in the file header         */
    uint32_t snaplen;  /* written to the header; records are not clipped */
    uint64_t ts_us;    /* timestamp of the next record, µs since epoch  */
    uint32_t null_af6; /* DLT_NULL/LOOP family word for IPv6: 24 or 30   */
    uint64_t off;      /* bytes written so far                          */
    uint32_t npkts;    /* records written so far                        */
    bool failed;       /* sticky: a write failed or a frame overflowed  */
};

int gen_out_open(gen_out *o, const char *dir, const char *name, int fmt, uint32_t linktype,
                 uint32_t snaplen);
/* Writes one record; caplen bytes of data, orig_len as the original length. Advances time. */
void gen_out_rec(gen_out *o, const uint8_t *data, uint32_t caplen, uint32_t orig_len);
/* Writes a whole frame from a buffer (caplen clipped to the file snaplen). */
void gen_out_buf(gen_out *o, const gen_buf *b);
void gen_out_sleep(gen_out *o, uint64_t us);
/* Closes the file. Returns 0, or -1 after printing why to stderr. */
int gen_out_close(gen_out *o);
/* Creates dir/sub if needed; returns 0 or -1 with a message. */
int gen_mkdir(const char *dir, const char *sub);

/* ---- flows --------------------------------------------------------------------------------- */

enum { GEN_C2S = 0, GEN_S2C = 1 };

/* One TCP connection on one output. seq[] is the next sequence number each side sends. */
typedef struct {
    gen_out *out;
    const gen_host *host[2]; /* [GEN_C2S]=client, [GEN_S2C]=server */
    uint16_t port[2];        /* client port, server port            */
    uint32_t seq[2];         /* next sequence number to send        */
    uint16_t ipid[2];        /* next IPv4 id per side               */
    gen_vlans vlans;         /* Ethernet VLAN stack                  */
    bool cli_v6_ext;         /* client's IPv6 packets carry HbH+DstOpts */
} gen_conv;

void gen_conv_init(gen_conv *c, gen_out *o, const gen_host *cli, uint16_t cport,
                   const gen_host *srv, uint16_t sport);
void gen_tcp_send(gen_conv *c, int dir, uint8_t flags, const void *data, size_t n);
void gen_tcp_open(gen_conv *c);
void gen_tcp_close(gen_conv *c);
/* Sends data from one side with PSH|ACK and lets the peer acknowledge it. */
void gen_tcp_talk(gen_conv *c, int dir, const void *data, size_t n);
/* Sends a UDP datagram between two hosts (no VLAN unless given). */
void gen_udp_send(gen_out *o, const gen_vlans *v, const gen_host *src, uint16_t sport,
                  const gen_host *dst, uint16_t dport, const void *data, size_t n);

/* ---- protocol payloads --------------------------------------------------------------------- */

typedef struct {
    uint8_t op;          /* 1 request, 2 reply                       */
    uint8_t msg_type;    /* DHCP option 53 value                     */
    uint32_t xid;        /* transaction id                           */
    uint8_t chaddr[6];   /* client MAC                               */
    uint8_t yiaddr[4];   /* "your" address (server replies)          */
    uint8_t siaddr[4];   /* next server                              */
    const uint8_t *opts; /* TLV options after 53, without the 255 end */
    size_t opts_len;
} gen_dhcp;

void gen_dhcp_payload(gen_buf *b, const gen_dhcp *d);
void gen_tls_client_hello(gen_buf *b, const char *sni);
/* Returns the offset of the certificate DER within the appended bytes. */
size_t gen_tls_server_flight(gen_buf *b, const uint8_t *der, size_t der_len);
void gen_ssh_kexinit(gen_buf *b, bool server);
/* Appends one option: code, length, value. */
void gen_dhcp_opt(gen_buf *b, uint8_t code, const void *val, size_t len);
void gen_http_get(gen_buf *b, const char *host, const char *path, const char *ua);
/* A 200 response with Server, Content-Type text/html and a correct Content-Length. */
void gen_http_ok(gen_buf *b, const char *server, const char *body);
void gen_dns_query(gen_buf *b, uint16_t id, const char *qname);

extern const uint8_t gen_hmi_cert_der[];
extern const size_t gen_hmi_cert_der_len;

/* ---- deterministic PRNG -------------------------------------------------------------------- */

typedef struct {
    uint64_t s;
} gen_rng;

uint32_t gen_rand(gen_rng *r);

/* ---- capture modules: each writes its files into dir, returns 0 or -1 ---------------------- */

int cap_identity(const char *dir);
int cap_plant(const char *dir);
int cap_exposure(const char *dir);
int cap_vlan_ipv6(const char *dir);
int cap_fragments(const char *dir);
int cap_truncated(const char *dir);
int cap_linktypes(const char *dir);
int cap_unknown_linktype(const char *dir);
int cap_malformed(const char *dir);
int cap_flood(const char *dir);
int cap_auth(const char *dir);
int cap_watch(const char *dir);

#endif
