/* probe/decode.h - L2 to L4 decoding of one captured frame into a flat summary.
 *
 * The summary points into the caller's frame buffer; it owns nothing. Every read is checked
 * against the captured length. A malformed layer sets a PROBE_ANOM_* bit and stops decoding
 * at that layer; what was decoded above it stays valid. Thread-safe: no shared state. */
#ifndef PROBE_DECODE_H
#define PROBE_DECODE_H

#include "ssf/common.h"

/* libpcap DLT_* values we decode. Anything else is PROBE_LINK_UNKNOWN. */
enum {
    PROBE_DLT_NULL = 0,
    PROBE_DLT_EN10MB = 1,
    PROBE_DLT_RAW = 12,     /* LINKTYPE_RAW (101) is mapped to this by libpcap on Linux */
    PROBE_DLT_RAW_BSD = 14, /* DLT_RAW on OpenBSD captures */
    PROBE_DLT_LOOP = 108,
    PROBE_DLT_LINUX_SLL = 113,
    PROBE_DLT_IPV4 = 228,
    PROBE_DLT_IPV6 = 229,
    PROBE_DLT_LINUX_SLL2 = 276,
};

/* Anomaly bits: one per kind of malformation. Counted by the worker, never logged. */
enum {
    PROBE_ANOM_L2_TRUNC = 1u << 0,     /* link header shorter than its type needs */
    PROBE_ANOM_VLAN_TRUNC = 1u << 1,   /* 802.1Q tag cut short, or more than 2 tags */
    PROBE_ANOM_ARP_TRUNC = 1u << 2,    /* ARP body cut short or not Ethernet/IPv4 */
    PROBE_ANOM_IP4_TRUNC = 1u << 3,    /* IPv4 header or options cut short */
    PROBE_ANOM_IP4_BADHDR = 1u << 4,   /* version/IHL/total length inconsistent */
    PROBE_ANOM_IP6_TRUNC = 1u << 5,    /* IPv6 header or extension header cut short */
    PROBE_ANOM_TCP_TRUNC = 1u << 6,    /* TCP header or data offset beyond captured data */
    PROBE_ANOM_UDP_TRUNC = 1u << 7,    /* UDP header cut short, or length field too big */
    PROBE_ANOM_ICMP_TRUNC = 1u << 8,   /* ICMP/ICMPv6 header cut short */
    PROBE_ANOM_SNAPLEN = 1u << 9,      /* frame was cut by the capture's snaplen */
    PROBE_ANOM_IP6_EXTLOOP = 1u << 10, /* too many extension headers */
    PROBE_ANOM_TCP_BADOFF = 1u << 11,  /* TCP data offset < 5 */
    PROBE_ANOM_IP6_BADHDR = 1u << 12,  /* version not 6, or payload length beyond frame */
    PROBE_ANOM_UDP_BADLEN = 1u << 13,  /* UDP length field < 8 (the header's own size) */
    PROBE_ANOM_PPPOE_TRUNC = 1u << 14, /* PPPoE/PPP header cut short, or not IP inside */
    PROBE_ANOM_TUNNEL = 1u << 15,      /* IP in IP nested deeper than one tunnel */
};

enum { PROBE_FRAG_NONE = 0, PROBE_FRAG_FIRST = 1, PROBE_FRAG_LATER = 2 };

typedef struct probe_pkt {
    uint64_t ts_us;       /* capture timestamp, microseconds since the epoch */
    const uint8_t *frame; /* frame as captured */
    uint32_t caplen;      /* bytes captured */
    uint32_t wirelen;     /* bytes on the wire */
    uint32_t anom;        /* PROBE_ANOM_* bits */

    uint8_t has_mac; /* link layer carries Ethernet addresses. Linux SLL/SLL2
                      * carry only one (the sender's): src_mac is set and
                      * dst_mac stays all-zero */
    uint8_t src_mac[6];
    uint8_t dst_mac[6];
    uint8_t n_vlan;     /* 0..2 tags decoded */
    uint16_t vlan[2];   /* VLAN ids, outer first */
    uint16_t ethertype; /* after VLAN tags (SLL: its protocol field); 0 for raw,
                         * NULL and LOOP links. < 0x0600 is an 802.3 length */

    uint16_t arp_op;    /* 1 request, 2 reply; 0 if not ARP */
    uint8_t arp_sha[6]; /* sender hardware address (also a tunnel's outer sender MAC) */
    ssf_addr arp_spa;   /* sender protocol address (also a tunnel's outer source)    */
    ssf_addr arp_tpa;   /* target protocol address */

    uint8_t ip_ver;   /* 0 (no IP), 4 or 6 */
    uint8_t l4_proto; /* IPPROTO_* of the payload after extension headers */
    uint8_t frag;     /* PROBE_FRAG_*. An IPv6 atomic fragment (offset 0, M=0)
                       * is a whole datagram: PROBE_FRAG_NONE */
    uint8_t ttl;      /* TTL or hop limit */
    uint8_t tunnels;  /* IP-in-IP (4, 41) headers passed: the addresses are the inner ones */
    ssf_addr src_ip;
    ssf_addr dst_ip;
    const uint8_t *l3; /* start of the IP header (what nDPI wants) */
    uint32_t l3_len;   /* IP bytes available: min(captured, IP total length) */

    uint16_t sport, dport; /* host order; 0 when there are no ports */
    uint8_t tcp_flags;     /* TH_* bits */
    uint32_t tcp_seq;
    uint32_t tcp_ack;
    uint8_t icmp_type, icmp_code;
    const uint8_t *payload; /* L4 payload; NULL exactly when payload_len is 0. For frames
                               that are neither IP nor ARP (LLDP, CDP ...): the bytes after
                               the ethertype, or after an 802.3 length, cut to that length */
    uint32_t payload_len;   /* captured payload bytes, clamped to the IP length */
} probe_pkt_t;

/* Decodes one frame of the given link type into *pkt (which it zeroes first).
 * Returns SSF_OK when at least the link layer was understood (check pkt->anom for damage
 * further up), SSF_ENOTSUP for a link type we do not decode, SSF_ETRUNC when not even the
 * link header fits. */
ssf_rc probe_decode(int dlt, const uint8_t *frame, uint32_t caplen, uint32_t wirelen,
                    uint64_t ts_us, probe_pkt_t *pkt);

/* True when probe_decode() understands this libpcap DLT. */
bool probe_decode_dlt_supported(int dlt);

/* A short name for a DLT, for summaries ("EN10MB", "LINUX_SLL2", or "DLT 147"). Writes into
 * buf and returns it. */
const char *probe_decode_dlt_name(int dlt, char *buf, size_t len);

/* Symmetric flow hash of the 5-tuple plus VLAN: the same for both directions, so the reader
 * can pick a worker without knowing which side is the client. Non-IP frames hash by MACs.
 *
 * IP (ip_ver != 0): each side (address, port) is folded to 64 bits and mixed with murmur3's
 * fmix64 on its own, the two sides are added (order-free), and the sum is mixed again with
 * l4_proto and the outer VLAN id. Mixing each side first keeps sequential address pairs such
 * as (.1,.4) and (.2,.3) apart, which a plain xor/add of raw addresses would collide.
 * A first fragment hashes with its ports, so it reaches its flow's worker. Later fragments
 * carry no ports and hash by addresses only; workers count and skip them, so where they land
 * does not matter.
 * Non-IP: the same scheme over (src_mac, dst_mac) with the ethertype (0 for 802.3 lengths)
 * and outer VLAN. Cost: three fmix64, no loops. Pure function; thread-safe. */
uint32_t probe_decode_flow_hash(const probe_pkt_t *pkt);

#endif
