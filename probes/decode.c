/* decode.c - L2 to L4 decoding of one frame into a probe_pkt_t.
 *
 * One static function per layer, called in a straight line: link -> (VLAN) -> ARP/IP -> L4.
 * Each layer takes a cursor that ends where its data ends (IP total length, UDP length), so a
 * layer can never read into the one below it or past the capture. Fixed-size headers are taken
 * with ssf_cur_bytes() and then indexed within that checked block. */
#include "probe/decode.h"

#include <stdio.h>

/* Tags we follow. Q-in-Q is the deepest stacking seen on plant networks; a third tag is more
 * likely garbage or an evasion attempt than a real frame. */
#define VLAN_MAX 2
/* RFC 8200 puts at most one of each extension header in a sane packet (Destination Options
 * twice); eight covers every legitimate chain and bounds the work on hostile ones. */
#define IP6_EXT_MAX 8

enum {
    ETH_HLEN = 14,
    SLL_HLEN = 16,
    SLL2_HLEN = 20,
    NULL_HLEN = 4,
    IP4_HLEN = 20,
    IP6_HLEN = 40,
    TCP_HLEN = 20,
    UDP_HLEN = 8,
    ICMP_HLEN = 4,
    ARP_LEN = 28,
};

enum {
    ET_IPV4 = 0x0800,
    ET_ARP = 0x0806,
    ET_VLAN = 0x8100,
    ET_QINQ = 0x88a8,
    ET_QINQ_OLD = 0x9100,
    ET_IPV6 = 0x86dd,
    ET_PPPOE_SESSION = 0x8864,
    ET_MIN = 0x0600, /* below this the field is an 802.3 length */
};

enum {
    IPP_HOPOPTS = 0,
    IPP_ICMP = 1,
    IPP_IPIP = 4,
    IPP_TCP = 6,
    IPP_UDP = 17,
    IPP_IPV6_IN = 41,
    IPP_ROUTING = 43,
    IPP_FRAGMENT = 44,
    IPP_ESP = 50,
    IPP_AH = 51,
    IPP_ICMPV6 = 58,
    IPP_NONE = 59,
    IPP_DSTOPTS = 60,
};

/* ARPHRD_ETHER: the SLL address field holds a 6-byte MAC. */
#define ARPHRD_ETHER_ 1

static inline uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Points at the next n bytes without consuming them; NULL when fewer are left. */
static inline const uint8_t *cur_peek(const ssf_cur *c, size_t n)
{
    return ssf_cur_left(c) >= n ? c->p : NULL;
}

/* A cut that the capture made (snaplen) is not the sender's fault; tell the two apart. */
static inline uint32_t cut_anom(const probe_pkt_t *pkt, uint32_t malformed)
{
    return pkt->caplen < pkt->wirelen ? PROBE_ANOM_SNAPLEN : malformed;
}

static inline void set_payload(probe_pkt_t *pkt, const ssf_cur *c)
{
    size_t n = ssf_cur_left(c);
    pkt->payload = n ? c->p : NULL;
    pkt->payload_len = (uint32_t)n;
}

static inline ssf_rc l2_trunc(probe_pkt_t *pkt)
{
    pkt->anom |= PROBE_ANOM_L2_TRUNC;
    return SSF_ETRUNC;
}

/* ---- L4 ----------------------------------------------------------------------------------- */

static void decode_tcp(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, TCP_HLEN, &h)) {
        pkt->anom |= PROBE_ANOM_TCP_TRUNC;
        return;
    }
    pkt->sport = rd16(h);
    pkt->dport = rd16(h + 2);
    pkt->tcp_seq = rd32(h + 4);
    pkt->tcp_ack = rd32(h + 8);
    pkt->tcp_flags = h[13];
    size_t off = (size_t)(h[12] >> 4) * 4;
    if (off < TCP_HLEN) {
        pkt->anom |= PROBE_ANOM_TCP_BADOFF;
        return;
    }
    if (!ssf_cur_skip(c, off - TCP_HLEN)) {
        pkt->anom |= PROBE_ANOM_TCP_TRUNC;
        return;
    }
    set_payload(pkt, c);
}

/* wire: L4 bytes the IP header claims, which may exceed what was captured. A length field
 * beyond the captured bytes is only the sender's fault when the capture did not cut the frame;
 * in a first fragment it names the whole datagram, so it is not checked there. */
static void decode_udp(ssf_cur *c, probe_pkt_t *pkt, size_t wire)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, UDP_HLEN, &h)) {
        pkt->anom |= PROBE_ANOM_UDP_TRUNC;
        return;
    }
    pkt->sport = rd16(h);
    pkt->dport = rd16(h + 2);
    size_t ulen = rd16(h + 4);
    size_t cap = ssf_cur_left(c) + UDP_HLEN;
    if (ulen < UDP_HLEN) {
        /* Unusable length (0 is also the RFC 2675 jumbogram marker): keep what IP gave us. */
        pkt->anom |= PROBE_ANOM_UDP_BADLEN;
        set_payload(pkt, c);
        return;
    }
    if (pkt->frag == PROBE_FRAG_NONE &&
        (ulen > wire || (ulen > cap && !(pkt->anom & PROBE_ANOM_SNAPLEN))))
        pkt->anom |= PROBE_ANOM_UDP_TRUNC;
    if (ulen < cap) c->end = c->p + (ulen - UDP_HLEN);
    set_payload(pkt, c);
}

static void decode_icmp(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, ICMP_HLEN, &h)) {
        pkt->anom |= PROBE_ANOM_ICMP_TRUNC;
        return;
    }
    pkt->icmp_type = h[0];
    pkt->icmp_code = h[1];
    set_payload(pkt, c);
}

static void decode_ipv4(ssf_cur *c, probe_pkt_t *pkt);
static void decode_ipv6(ssf_cur *c, probe_pkt_t *pkt);

/* IPv4 or IPv6 inside IP (6in4 tunnels, IP-in-IP): the inner packet is the conversation, so
 * its addresses and ports replace the outer ones. One level only: deeper nesting is counted
 * and left undecoded, which bounds the work a hostile packet can ask for. */
static void decode_tunnel(ssf_cur *c, probe_pkt_t *pkt, uint8_t proto)
{
    if (pkt->tunnels) {
        pkt->anom |= PROBE_ANOM_TUNNEL;
        return;
    }
    pkt->tunnels++;
    pkt->l4_proto = 0;
    /* The outer source still tells which address the sending MAC uses: kept as a binding. */
    if (pkt->has_mac) {
        memcpy(pkt->arp_sha, pkt->src_mac, 6);
        pkt->arp_spa = pkt->src_ip;
    }
    if (proto == IPP_IPIP)
        decode_ipv4(c, pkt);
    else
        decode_ipv6(c, pkt);
}

/* c covers exactly the captured L4 bytes of this IP packet (or first fragment). */
static inline void decode_l4(ssf_cur *c, probe_pkt_t *pkt, size_t wire)
{
    switch (pkt->l4_proto) {
    case IPP_IPIP:
    case IPP_IPV6_IN:
        decode_tunnel(c, pkt, pkt->l4_proto);
        break;
    case IPP_TCP:
        decode_tcp(c, pkt);
        break;
    case IPP_UDP:
        decode_udp(c, pkt, wire);
        break;
    case IPP_ICMP:
        if (pkt->ip_ver == 4) decode_icmp(c, pkt);
        break;
    case IPP_ICMPV6:
        if (pkt->ip_ver == 6) decode_icmp(c, pkt);
        break;
    default:
        break;
    }
}

/* ---- L3 ----------------------------------------------------------------------------------- */

/* Fragment bits of the IPv4 flags/offset word: MF, or a non-zero offset. */
static inline uint8_t ip4_frag(uint16_t fo)
{
    if (fo & 0x1fff) return PROBE_FRAG_LATER;
    return (fo & 0x2000) ? PROBE_FRAG_FIRST : PROBE_FRAG_NONE;
}

static void decode_ipv4(ssf_cur *c, probe_pkt_t *pkt)
{
    size_t avail = ssf_cur_left(c);
    const uint8_t *h = cur_peek(c, IP4_HLEN);
    if (!h) {
        pkt->anom |= PROBE_ANOM_IP4_TRUNC;
        return;
    }
    size_t hlen = (size_t)(h[0] & 0x0f) * 4;
    if ((h[0] >> 4) != 4 || hlen < IP4_HLEN) {
        pkt->anom |= PROBE_ANOM_IP4_BADHDR;
        return;
    }
    if (hlen > avail) {
        pkt->anom |= PROBE_ANOM_IP4_TRUNC;
        return;
    }
    pkt->ip_ver = 4;
    pkt->ttl = h[8];
    pkt->l4_proto = h[9];
    pkt->frag = ip4_frag(rd16(h + 6));
    ssf_addr_from_v4(&pkt->src_ip, h + 12);
    ssf_addr_from_v4(&pkt->dst_ip, h + 16);
    pkt->l3 = h;

    size_t tot = rd16(h + 2);
    size_t len = tot;
    if (tot < hlen) {
        pkt->anom |= PROBE_ANOM_IP4_BADHDR;
        pkt->l3_len = (uint32_t)hlen;
        return;
    }
    if (tot > avail) {
        pkt->anom |= cut_anom(pkt, PROBE_ANOM_IP4_BADHDR);
        len = avail;
    }
    /* len < avail: the rest is Ethernet padding, never part of the packet. */
    pkt->l3_len = (uint32_t)len;
    if (pkt->frag == PROBE_FRAG_LATER) return;
    ssf_cur l4 = {h + hlen, h + len};
    decode_l4(&l4, pkt, tot - hlen);
}

/* Walks the extension header chain to the upper-layer protocol. wire: bytes after the fixed
 * header that the payload length claims (>= what c holds). */
static void decode_ip6_ext(ssf_cur *c, probe_pkt_t *pkt, uint8_t nh, size_t wire)
{
    const uint8_t *start = c->p;
    for (unsigned n = 0;; n++) {
        if (nh != IPP_HOPOPTS && nh != IPP_ROUTING && nh != IPP_DSTOPTS && nh != IPP_FRAGMENT &&
            nh != IPP_AH)
            break;
        if (n == IP6_EXT_MAX) {
            pkt->anom |= PROBE_ANOM_IP6_EXTLOOP;
            pkt->l4_proto = nh;
            return;
        }
        /* Every extension header is at least 8 bytes. */
        const uint8_t *e = cur_peek(c, 8);
        if (!e) {
            pkt->anom |= PROBE_ANOM_IP6_TRUNC;
            return;
        }
        size_t len = (size_t)(e[1] + 1) * 8;
        if (nh == IPP_AH) len = (size_t)(e[1] + 2) * 4;
        if (nh == IPP_FRAGMENT) {
            uint16_t fo = rd16(e + 2);
            len = 8;
            if (fo >> 3) {
                pkt->frag = PROBE_FRAG_LATER;
                pkt->l4_proto = e[0];
                return;
            }
            if (fo & 1) pkt->frag = PROBE_FRAG_FIRST;
        }
        if (!ssf_cur_skip(c, len)) {
            pkt->anom |= PROBE_ANOM_IP6_TRUNC;
            return;
        }
        nh = e[0];
    }
    pkt->l4_proto = nh;
    /* ESP and No Next Header end the chain with nothing we can read. */
    if (nh == IPP_ESP || nh == IPP_NONE) return;
    size_t used = (size_t)(c->p - start);
    decode_l4(c, pkt, wire > used ? wire - used : 0);
}

static void decode_ipv6(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, IP6_HLEN, &h)) {
        pkt->anom |= PROBE_ANOM_IP6_TRUNC;
        return;
    }
    if ((h[0] >> 4) != 6) {
        pkt->anom |= PROBE_ANOM_IP6_BADHDR;
        return;
    }
    pkt->ip_ver = 6;
    pkt->ttl = h[7];
    memcpy(pkt->src_ip.b, h + 8, 16);
    memcpy(pkt->dst_ip.b, h + 24, 16);
    pkt->l3 = h;

    size_t cap = ssf_cur_left(c);
    size_t plen = rd16(h + 4);
    if (plen == 0) {
        plen = cap; /* jumbogram: the real length is in a Hop-by-Hop option; trust the capture */
    } else if (plen > cap) {
        pkt->anom |= cut_anom(pkt, PROBE_ANOM_IP6_BADHDR);
    } else {
        cap = plen; /* drop Ethernet padding */
    }
    pkt->l3_len = (uint32_t)(IP6_HLEN + cap);
    ssf_cur body = {c->p, c->p + cap};
    decode_ip6_ext(&body, pkt, h[6], plen);
}

static void decode_arp(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *a;
    /* htype 1 (Ethernet), ptype IPv4, hlen 6, plen 4: the only ARP a plant network uses. */
    if (!ssf_cur_bytes(c, ARP_LEN, &a) || rd16(a) != 1 || rd16(a + 2) != ET_IPV4 || a[4] != 6 ||
        a[5] != 4) {
        pkt->anom |= PROBE_ANOM_ARP_TRUNC;
        return;
    }
    pkt->arp_op = rd16(a + 6);
    memcpy(pkt->arp_sha, a + 8, 6);
    ssf_addr_from_v4(&pkt->arp_spa, a + 14);
    ssf_addr_from_v4(&pkt->arp_tpa, a + 24);
}

/* ---- L2 ----------------------------------------------------------------------------------- */

static inline bool is_vlan_tpid(uint16_t et)
{
    return et == ET_VLAN || et == ET_QINQ || et == ET_QINQ_OLD;
}

/* Follows up to VLAN_MAX tags, then hands the payload to its L3 decoder. */
/* Other frames (LLDP, CDP, PROFINET ...) keep their bytes after the type field for link-layer
 * extractors. An 802.3 frame's type field is its length: trailing padding is cut off. */
static void decode_l2_payload(ssf_cur *c, probe_pkt_t *pkt, uint16_t et)
{
    size_t n = ssf_cur_left(c);
    if (et < 0x0600 && et < n) n = et;
    if (n == 0) return;
    pkt->payload = c->p;
    pkt->payload_len = (uint32_t)n;
}

/* PPPoE session stage (RFC 2516): version/type 0x11, code 0, session id, length, then the
 * PPP protocol field (RFC 1661): 0x0021 IPv4, 0x0057 IPv6. DSL routers and the captures taken
 * on their WAN side carry every packet this way. Discovery and PPP control frames stay L2. */
static void decode_pppoe(ssf_cur *c, probe_pkt_t *pkt, uint16_t et)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, 8, &h) || h[0] != 0x11 || h[1] != 0) {
        pkt->anom |= PROBE_ANOM_PPPOE_TRUNC;
        return;
    }
    size_t len = rd16(h + 4);
    if (len < 2) {
        pkt->anom |= PROBE_ANOM_PPPOE_TRUNC;
        return;
    }
    /* The PPPoE length bounds the PPP frame: Ethernet padding follows it. */
    if (len - 2 < ssf_cur_left(c)) c->end = c->p + (len - 2);
    switch (rd16(h + 6)) {
    case 0x0021:
        decode_ipv4(c, pkt);
        break;
    case 0x0057:
        decode_ipv6(c, pkt);
        break;
    default:
        decode_l2_payload(c, pkt, et);
        break;
    }
}

static void decode_ethertype(ssf_cur *c, probe_pkt_t *pkt, uint16_t et)
{
    while (is_vlan_tpid(et)) {
        const uint8_t *t;
        if (pkt->n_vlan == VLAN_MAX || !ssf_cur_bytes(c, 4, &t)) {
            pkt->anom |= PROBE_ANOM_VLAN_TRUNC;
            pkt->ethertype = et;
            return;
        }
        pkt->vlan[pkt->n_vlan++] = rd16(t) & 0x0fff;
        et = rd16(t + 2);
    }
    pkt->ethertype = et;
    switch (et) {
    case ET_IPV4:
        decode_ipv4(c, pkt);
        break;
    case ET_IPV6:
        decode_ipv6(c, pkt);
        break;
    case ET_ARP:
        decode_arp(c, pkt);
        break;
    case ET_PPPOE_SESSION:
        decode_pppoe(c, pkt, et);
        break;
    default:
        decode_l2_payload(c, pkt, et);
        break;
    }
}

static ssf_rc decode_en10mb(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, ETH_HLEN, &h)) return l2_trunc(pkt);
    memcpy(pkt->dst_mac, h, 6);
    memcpy(pkt->src_mac, h + 6, 6);
    pkt->has_mac = 1;
    decode_ethertype(c, pkt, rd16(h + 12));
    return SSF_OK;
}

/* Cooked captures keep only the sender's link address; there is no destination MAC. */
static inline void sll_mac(probe_pkt_t *pkt, uint16_t hatype, unsigned halen, const uint8_t *a)
{
    if (hatype != ARPHRD_ETHER_ || halen != 6) return;
    memcpy(pkt->src_mac, a, 6);
    pkt->has_mac = 1;
}

static ssf_rc decode_sll(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, SLL_HLEN, &h)) return l2_trunc(pkt);
    sll_mac(pkt, rd16(h + 2), rd16(h + 4), h + 6);
    decode_ethertype(c, pkt, rd16(h + 14));
    return SSF_OK;
}

static ssf_rc decode_sll2(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, SLL2_HLEN, &h)) return l2_trunc(pkt);
    sll_mac(pkt, rd16(h + 8), h[11], h + 12);
    decode_ethertype(c, pkt, rd16(h));
    return SSF_OK;
}

/* Raw IP: the version nibble picks the family, whatever the DLT promised. */
static ssf_rc decode_raw(ssf_cur *c, probe_pkt_t *pkt)
{
    const uint8_t *h = cur_peek(c, 1);
    if (!h) return l2_trunc(pkt);
    switch (h[0] >> 4) {
    case 4:
        decode_ipv4(c, pkt);
        break;
    case 6:
        decode_ipv6(c, pkt);
        break;
    default:
        pkt->anom |= PROBE_ANOM_IP4_BADHDR;
        break;
    }
    return SSF_OK;
}

/* BSD loopback: a 4-byte address family. DLT_NULL writes it in the capturing host's order,
 * which the file does not record; families are < 256, so whichever end holds the non-zero
 * byte is the low end. DLT_LOOP is always network order. IPv6 is 24 (Net/OpenBSD), 28
 * (FreeBSD) or 30 (macOS). */
static ssf_rc decode_null(ssf_cur *c, probe_pkt_t *pkt, bool net_order)
{
    const uint8_t *h;
    if (!ssf_cur_bytes(c, NULL_HLEN, &h)) return l2_trunc(pkt);
    uint32_t fam = rd32(h);
    if (!net_order && (fam & 0xffffff00u)) fam = __builtin_bswap32(fam);
    switch (fam) {
    case 2:
        decode_ipv4(c, pkt);
        break;
    case 24:
    case 28:
    case 30:
        decode_ipv6(c, pkt);
        break;
    default:
        break;
    }
    return SSF_OK;
}

/* GCC -O2 emits `rep stosq` for one memset of the whole struct; its start-up cost was ~75% of
 * the decode time of a TCP/IPv4 frame. Memsets of at most 64 bytes become plain vector stores.
 * Zeroing everything is still cheaper than tracking which fields a frame left unset. */
static inline void zero_pkt(probe_pkt_t *pkt)
{
    _Static_assert(sizeof(probe_pkt_t) > 128 && sizeof(probe_pkt_t) <= 192,
                   "probe_pkt_t changed size: adjust zero_pkt's chunks");
    uint8_t *b = (uint8_t *)pkt;
    memset(b, 0, 64);
    memset(b + 64, 0, 64);
    memset(b + 128, 0, sizeof(probe_pkt_t) - 128);
}

/* ---- public ------------------------------------------------------------------------------- */

ssf_rc probe_decode(int dlt, const uint8_t *frame, uint32_t caplen, uint32_t wirelen,
                    uint64_t ts_us, probe_pkt_t *pkt)
{
    zero_pkt(pkt);
    if (SSF_UNLIKELY(!frame)) caplen = 0;
    pkt->ts_us = ts_us;
    pkt->frame = frame;
    pkt->caplen = caplen;
    pkt->wirelen = wirelen;
    ssf_cur c = {frame, frame ? frame + caplen : frame};

    switch (dlt) {
    case PROBE_DLT_EN10MB:
        return decode_en10mb(&c, pkt);
    case PROBE_DLT_LINUX_SLL:
        return decode_sll(&c, pkt);
    case PROBE_DLT_LINUX_SLL2:
        return decode_sll2(&c, pkt);
    case PROBE_DLT_RAW:
    case PROBE_DLT_RAW_BSD:
    case PROBE_DLT_IPV4:
    case PROBE_DLT_IPV6:
        return decode_raw(&c, pkt);
    case PROBE_DLT_NULL:
        return decode_null(&c, pkt, false);
    case PROBE_DLT_LOOP:
        return decode_null(&c, pkt, true);
    default:
        return SSF_ENOTSUP;
    }
}

static const struct {
    int dlt;
    const char *name;
} dlt_names[] = {
    {PROBE_DLT_NULL, "NULL"},   {PROBE_DLT_EN10MB, "EN10MB"}, {PROBE_DLT_RAW, "RAW"},
    {PROBE_DLT_RAW_BSD, "RAW"}, {PROBE_DLT_LOOP, "LOOP"},     {PROBE_DLT_LINUX_SLL, "LINUX_SLL"},
    {PROBE_DLT_IPV4, "IPV4"},   {PROBE_DLT_IPV6, "IPV6"},     {PROBE_DLT_LINUX_SLL2, "LINUX_SLL2"},
};

bool probe_decode_dlt_supported(int dlt)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(dlt_names); i++)
        if (dlt_names[i].dlt == dlt) return true;
    return false;
}

const char *probe_decode_dlt_name(int dlt, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    for (size_t i = 0; i < SSF_ARRAY_LEN(dlt_names); i++) {
        if (dlt_names[i].dlt == dlt) {
            snprintf(buf, len, "%s", dlt_names[i].name);
            return buf;
        }
    }
    snprintf(buf, len, "DLT %d", dlt);
    return buf;
}

/* ---- flow hash ---------------------------------------------------------------------------- */

/* murmur3's 64-bit finaliser: full avalanche in two multiplies. */
static inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* One end of a flow. The port is spread by a golden-ratio multiply so it does not line up with
 * the (host-order dependent) position of the v4 address inside the 16 bytes. */
static inline uint64_t hash_ip_side(const ssf_addr *a, uint16_t port)
{
    return fmix64(load64(a->b) ^ load64(a->b + 8) ^ (port * 0x9e3779b97f4a7c15ULL));
}

static inline uint64_t hash_mac_side(const uint8_t m[6])
{
    return fmix64((uint64_t)rd16(m) << 32 | rd32(m + 2));
}

uint32_t probe_decode_flow_hash(const probe_pkt_t *pkt)
{
    uint64_t vlan = pkt->n_vlan ? pkt->vlan[0] : 0;
    uint64_t sum, extra;
    if (pkt->ip_ver) {
        bool ports = pkt->frag != PROBE_FRAG_LATER;
        sum = hash_ip_side(&pkt->src_ip, ports ? pkt->sport : 0) +
              hash_ip_side(&pkt->dst_ip, ports ? pkt->dport : 0);
        extra = (uint64_t)pkt->l4_proto << 16 | vlan;
    } else {
        uint64_t et = pkt->ethertype >= ET_MIN ? pkt->ethertype : 0;
        sum = hash_mac_side(pkt->src_mac) + hash_mac_side(pkt->dst_mac);
        extra = et << 16 | vlan | 1ULL << 40; /* keep non-IP apart from IP */
    }
    uint64_t h = fmix64(sum ^ (extra * 0xc2b2ae3d27d4eb4fULL));
    return (uint32_t)(h ^ (h >> 32));
}
