#include "site_internal.h"

#include "probe/evidence.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

bool eng_vec_grow(void **v, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return true;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *nv = realloc(*v, ncap * elem);
    if (!nv) return false;
    *v = nv;
    *cap = ncap;
    return true;
}

/* Hosts are keyed by (MAC, IP) in binary; absent parts are zero. */
typedef struct {
    uint8_t has_mac, has_ip;
    uint8_t mac[6];
    ssf_addr ip;
} host_key;

_Static_assert(sizeof(host_key) % 8 == 0, "host keys are hashed as 8-byte words");

/* Every flow observation looks up two hosts: a byte-wise hash was a tenth of the engine
 * thread's instructions, which on two cores are taken from the workers. */
static size_t host_key_hash(const void *k)
{
    const uint8_t *b = k;
    uint64_t h = 0xcbf29ce484222325ull, w;
    for (size_t i = 0; i < sizeof(host_key); i += 8) {
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    return (size_t)h;
}

static int host_key_cmp(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(host_key));
}

static bool addr_eq(const ssf_addr *a, const ssf_addr *b)
{
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a->b, 8);
    memcpy(&a1, a->b + 8, 8);
    memcpy(&b0, b->b, 8);
    memcpy(&b1, b->b + 8, 8);
    return !((a0 ^ b0) | (a1 ^ b1));
}

/* strcmp(a, b) == 0 for NUL-terminated strings in two char[size] arrays (size a multiple of
 * 8), a word at a time: every flow end compares its app name with each protocol its client
 * used, every evidence item its value with the host's others of that field. Bytes of b past
 * its NUL are masked off, so neither array needs zero padding. */
static bool str_eq(const char *a, const char *b, size_t size)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
    for (size_t i = 0; i + 8 <= size; i += 8) {
        uint64_t u, v;
        memcpy(&u, a + i, 8);
        memcpy(&v, b + i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        u = __builtin_bswap64(u);
        v = __builtin_bswap64(v);
#endif
        /* high bit of each zero byte of v, exactly (no carries between bytes) */
        uint64_t zero = ~(((v & low7) + low7) | v) & ~low7;
        if (!zero) {
            if (u != v) return false;
            continue;
        }
        unsigned at = (unsigned)__builtin_ctzll(zero) / 8; /* the NUL, counted in */
        uint64_t keep = at == 7 ? ~0ull : (1ull << (8 * (at + 1))) - 1;
        return !((u ^ v) & keep);
    }
    return false; /* b unterminated: cannot happen for a decoded observation */
}

_Static_assert(sizeof(((eng_proto_t *)0)->name) == COLL_NAME_MAX && COLL_NAME_MAX % 8 == 0,
               "protocol names are compared as whole words");
_Static_assert(sizeof(((eng_ev_t *)0)->value) == COLL_VALUE_MAX && COLL_VALUE_MAX % 8 == 0,
               "evidence values are compared as whole words");

/* Copies a NUL-terminated string between two char arrays of one size as ssf_strlcpy would,
 * without its byte-by-byte length scan: the whole array, then its last byte cut. */
#define STR_COPY(dst, src)                                                                         \
    do {                                                                                           \
        _Static_assert(sizeof(dst) == sizeof(src), "same-size arrays");                            \
        memcpy(dst, src, sizeof(dst));                                                             \
        (dst)[sizeof(dst) - 1] = '\0';                                                             \
    } while (0)

/* ssf_addr_is_v4() and _v4_any() as word compares: the libc memcmp they call was 2% of the
 * engine thread, two per observation. */
static bool addr_is_v4(const ssf_addr *a)
{
    static const uint8_t mapped[4] = {0, 0, 0xff, 0xff};
    uint64_t hi;
    uint32_t mid, want;
    memcpy(&hi, a->b, 8);
    memcpy(&mid, a->b + 8, 4);
    memcpy(&want, mapped, 4);
    return hi == 0 && mid == want;
}

static bool addr_is_v4_any(const ssf_addr *a)
{
    uint32_t lo;
    memcpy(&lo, a->b + 12, 4);
    return addr_is_v4(a) && lo == 0;
}

static void *host_key_dup(const void *k)
{
    void *d = malloc(sizeof(host_key));
    if (d) memcpy(d, k, sizeof(host_key));
    return d;
}

static void host_key_free(void **k)
{
    free(*k);
    *k = NULL;
}

static void host_destroy(void **item)
{
    eng_host_t *h = *item;
    if (!h) return;
    free(h->served.v);
    free(h->used.v);
    free(h->peers.v);
    free(h->ev.v);
    free(h->pub.v);
    free(h);
    *item = NULL;
}

eng_site_t *eng_site_new(const char *name, const sig_oui_t *oui, ssf_err *err)
{
    eng_site_t *s = calloc(1, sizeof *s);
    if (!s || !(s->hosts = zhashx_new())) {
        free(s);
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    zhashx_set_destructor(s->hosts, host_destroy);
    zhashx_set_key_hasher(s->hosts, host_key_hash);
    zhashx_set_key_comparator(s->hosts, host_key_cmp);
    zhashx_set_key_duplicator(s->hosts, host_key_dup);
    zhashx_set_key_destructor(s->hosts, host_key_free);
    snprintf(s->name, sizeof s->name, "%s", name ? name : "default");
    s->oui = oui;
    return s;
}

void eng_site_free(eng_site_t **sp)
{
    if (!sp || !*sp) return;
    eng_site_t *s = *sp;
    eng_devices_free(s);
    zhashx_destroy(&s->hosts);
    free(s);
    *sp = NULL;
}

/* Multicast and broadcast addresses are destinations, never devices. */
static bool ep_is_device(const coll_endpoint_t *ep)
{
    if (ep->has_mac && (ep->mac[0] & 1)) return false;
    if (!ep->has_ip) return ep->has_mac;
    const uint8_t *b = ep->ip.b;
    if (addr_is_v4(&ep->ip)) return b[12] < 224;
    return b[0] != 0xff;
}

static eng_host_t *site_host(eng_site_t *s, const coll_endpoint_t *in, uint64_t ts_us)
{
    coll_endpoint_t norm = *in, *ep = &norm;
    if (ep->has_ip && addr_is_v4_any(&ep->ip)) ep->has_ip = 0; /* no address yet */
    if (!ep_is_device(ep)) return NULL;
    host_key key;
    memset(&key, 0, sizeof key);
    if ((key.has_mac = ep->has_mac)) memcpy(key.mac, ep->mac, 6);
    if ((key.has_ip = ep->has_ip)) key.ip = ep->ip;
    eng_host_t *h = zhashx_lookup(s->hosts, &key);
    if (!h) {
        if (!(h = calloc(1, sizeof *h))) return NULL;
        h->has_mac = ep->has_mac;
        memcpy(h->mac, ep->mac, 6);
        h->has_ip = ep->has_ip;
        h->ip = ep->ip;
        h->first_us = ts_us;
        zhashx_insert(s->hosts, &key, h);
        s->st.hosts++;
    }
    if (ts_us && (ts_us < h->first_us || !h->first_us)) h->first_us = ts_us;
    if (ts_us > h->last_us) h->last_us = ts_us;
    bool known = false;
    for (unsigned i = 0; i < h->n_vlans; i++)
        known |= h->vlans[i] == ep->vlan;
    if (!known && ep->vlan && h->n_vlans < SSF_ARRAY_LEN(h->vlans))
        h->vlans[h->n_vlans++] = ep->vlan;
    return h;
}

/* Served protocols are kept per port; used ones per name, with the first server port seen
 * (a client of many web servers uses "HTTP", whatever their ports). */
static void host_proto(eng_host_t *h, bool served, const coll_obs_flow_t *fl)
{
    uint16_t port = fl->server_port;
    eng_proto_t *p;
    if (served) {
        for (size_t i = 0; i < h->served.n; i++) {
            p = &h->served.v[i];
            if (p->l4 == fl->l4_proto && p->port == port &&
                str_eq(p->name, fl->app_name, COLL_NAME_MAX))
                goto found;
        }
        if (!ENG_VEC_PUSH(h->served, p)) return;
    } else {
        for (size_t i = 0; i < h->used.n; i++) {
            p = &h->used.v[i];
            if (p->l4 == fl->l4_proto && str_eq(p->name, fl->app_name, COLL_NAME_MAX)) goto found;
        }
        if (!ENG_VEC_PUSH(h->used, p)) return;
    }
    ssf_strlcpy(p->name, fl->app_name, sizeof p->name);
    p->l4 = fl->l4_proto;
    p->port = port;
found:
    p->flows++;
}

static void host_peer(eng_host_t *h, const coll_endpoint_t *peer)
{
    if (!peer->has_ip) return;
    for (size_t i = 0; i < h->peers.n; i++)
        if (addr_eq(&h->peers.v[i], &peer->ip)) return;
    h->n_peers_total++;
    ssf_addr *a;
    if (h->peers.n < ENG_PEERS_MAX && ENG_VEC_PUSH(h->peers, a)) *a = peer->ip;
}

/* The flow a public-peer entry cites: its ports, application and first packet all come from one
 * flow, so the item's value, packet and frame agree. */
static void pubflow_cite(eng_pubflow_t *p, const coll_obs_flow_t *fl, bool is_client)
{
    p->host_port = is_client ? fl->client_port : fl->server_port;
    p->peer_port = is_client ? fl->server_port : fl->client_port;
    p->first_us = fl->first_us;
    p->frame = fl->frame;
    p->input = fl->input;
    ssf_strlcpy(p->app, fl->app_name, sizeof p->app);
}

/* A local host's flow with a public peer: what internet_exposed reports (exposure.c). A public
 * host's own flows are not kept: seen from the site, it is the Internet. */
static void host_pubflow(eng_host_t *h, const coll_obs_flow_t *fl, bool is_client)
{
    const coll_endpoint_t *peer = is_client ? &fl->server : &fl->client;
    if (!h->has_ip || !peer->has_ip || eng_addr_is_public(&h->ip) || !eng_addr_is_public(&peer->ip))
        return;
    eng_pubflow_t *p;
    for (size_t i = 0; i < h->pub.n; i++) {
        p = &h->pub.v[i];
        if (addr_eq(&p->peer, &peer->ip) && p->l4 == fl->l4_proto &&
            p->server_port == fl->server_port && p->inbound == !is_client)
            goto found;
    }
    h->n_pub_total++;
    if (h->pub.n >= ENG_PUBFLOWS_MAX || !ENG_VEC_PUSH(h->pub, p)) return;
    p->peer = peer->ip;
    p->l4 = fl->l4_proto;
    p->server_port = fl->server_port;
    p->inbound = !is_client;
    pubflow_cite(p, fl, is_client);
found:
    /* The earliest flow is the one cited, as merge_evidence keeps an item's first sighting:
     * workers report flows as they end, not in the order they began. */
    if (fl->first_us < p->first_us) pubflow_cite(p, fl, is_client);
    if (fl->last_us > p->last_us) p->last_us = fl->last_us;
    p->flows++;
}

static void merge_flow(eng_site_t *s, const coll_obs_flow_t *fl)
{
    eng_host_t *c = site_host(s, &fl->client, fl->first_us);
    eng_host_t *v = site_host(s, &fl->server, fl->first_us);
    if (c) {
        c->pkts_tx += fl->pkts[0], c->pkts_rx += fl->pkts[1];
        c->bytes_tx += fl->bytes[0], c->bytes_rx += fl->bytes[1];
        if (fl->last_us > c->last_us) c->last_us = fl->last_us;
        c->risk_client |= fl->risk;
        if (fl->final) host_proto(c, false, fl), host_peer(c, &fl->server);
        /* Unanswered, a try is not a conversation: a blocked call home or a port scan. */
        if (fl->final && fl->answered) host_pubflow(c, fl, true);
    }
    if (v) {
        v->pkts_tx += fl->pkts[1], v->pkts_rx += fl->pkts[0];
        v->bytes_tx += fl->bytes[1], v->bytes_rx += fl->bytes[0];
        if (fl->last_us > v->last_us) v->last_us = fl->last_us;
        v->risk_server |= fl->risk;
        /* A server "serves" only what answered: a SYN met by silence or a RST is not a
         * service, and ICMP has no ports to serve on. */
        bool ported = fl->l4_proto == IPPROTO_TCP || fl->l4_proto == IPPROTO_UDP;
        if (fl->final && fl->answered && ported) host_proto(v, true, fl);
        if (fl->final) host_peer(v, &fl->client);
        /* Only an answered flow exposes the server: an unanswered scan from the Internet shows
         * the firewall let it through, not that the device talks to the Internet. */
        if (fl->final && fl->answered) host_pubflow(v, fl, false);
    }
    if (fl->final) s->st.flows++;
}

static void merge_evidence(eng_site_t *s, const coll_obs_evidence_t *e)
{
    eng_host_t *h = site_host(s, &e->subject, e->ts_us);
    if (!h) return;
    eng_ev_t *x;
    for (size_t i = 0; i < h->ev.n; i++) {
        x = &h->ev.v[i];
        if (x->field == e->field && str_eq(x->value, e->value, COLL_VALUE_MAX)) {
            x->count = x->count + e->count < x->count ? UINT64_MAX : x->count + e->count;
            if (e->ts_us < x->first_us)
                x->first_us = e->ts_us, x->frame = e->frame, x->input = e->input;
            if (e->ts_us > x->last_us) x->last_us = e->ts_us;
            return;
        }
    }
    size_t same = 0;
    for (size_t i = 0; i < h->ev.n; i++)
        same += h->ev.v[i].field == e->field;
    if (same >= ENG_EV_PER_FIELD_MAX) {
        s->st.ev_capped++;
        return;
    }
    if (!ENG_VEC_PUSH(h->ev, x)) return;
    x->field = e->field;
    STR_COPY(x->value, e->value);
    STR_COPY(x->source, e->source);
    x->count = e->count;
    x->first_us = x->last_us = e->ts_us;
    x->frame = e->frame;
    x->input = e->input;
    x->peer = e->peer.ip;
    x->sport = e->sport, x->dport = e->dport, x->l4 = e->l4_proto;
    s->st.evidence++;
}

static void merge_arp(eng_site_t *s, const coll_obs_arp_t *a)
{
    coll_endpoint_t ep = {.has_mac = 1, .has_ip = 1, .ip = a->ip, .vlan = a->vlan};
    memcpy(ep.mac, a->mac, 6);
    eng_host_t *h = site_host(s, &ep, a->ts_us);
    if (h) h->arp_owned = true;
}

ssf_rc eng_site_merge(eng_site_t *s, const coll_obs_t *o)
{
    if (s->finalized) return SSF_EINVAL;
    switch (o->kind) {
    case COLL_OBS_FLOW:
        merge_flow(s, &o->u.flow);
        break;
    case COLL_OBS_EVIDENCE:
        if (o->u.ev.field == PROBE_EVF_NONE || o->u.ev.field >= PROBE_EVF_COUNT || !o->u.ev.count)
            goto refuse;
        merge_evidence(s, &o->u.ev);
        break;
    case COLL_OBS_ARP:
        merge_arp(s, &o->u.arp);
        break;
    default:
        goto refuse;
    }
    s->st.observations++;
    return SSF_OK;
refuse:
    s->st.refused++;
    return SSF_EINVAL;
}

ssf_rc eng_site_ingest(eng_site_t *s, coll_receiver_t *rx, uint64_t senders,
                       const atomic_bool *abort)
{
    coll_receiver_stats_t rs = {0};
    while (rs.goodbyes < senders && !(abort && atomic_load(abort))) {
        coll_obs_t o;
        ssf_rc rc = coll_receiver_recv(rx, &o, 200);
        if (rc == SSF_OK)
            eng_site_merge(s, &o);
        else if (rc == SSF_EIO)
            return rc;
        coll_receiver_stats(rx, &rs);
    }
    return SSF_OK;
}

void eng_site_set_signatures(eng_site_t *s, const sig_set_t *sigs)
{
    s->sigs = sigs;
}

void eng_site_stats(const eng_site_t *s, eng_site_stats_t *out)
{
    *out = s->st;
}
