/* Observations to the engine. Evidence and ARP bindings already sent are suppressed by a
 * direct-mapped cache of fingerprints, so a banner repeated in every flow crosses the seam
 * once (or again, rarely, after a collision evicts it: harmless, the engine merges). */
#include "worker_internal.h"

/* Fingerprints for the dedup cache, eight bytes per step: every evidence item of every
 * inspected payload is fingerprinted (polling protocols repeat theirs in each frame), so a
 * byte-wise hash was a visible share of the packet path. Not a cryptographic hash: a collision
 * only makes the cache forget to suppress, or suppress a repeat, never lose a new fact for
 * long (the slot is overwritten by the next distinct item). */
static uint64_t fp_mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static uint64_t fp_hash(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t w;
    for (; n >= 8; b += 8, n -= 8) {
        memcpy(&w, b, 8);
        h = fp_mix(h, w);
    }
    if (n) {
        w = 0;
        memcpy(&w, b, n);
        h = fp_mix(h, w ^ ((uint64_t)n << 56));
    }
    return h;
}

/* fp_hash(h, ev->value, ev->len), the same value, for the one call made on every evidence item
 * of every inspected payload: the last partial word is one load and a mask instead of a byte
 * copy. The value array always has those 8 bytes (len < its size, which is a multiple of 8). */
static uint64_t fp_hash_value(uint64_t h, const probe_ev_t *ev)
{
    _Static_assert(sizeof ev->value % 8 == 0, "a value's last word lies inside its array");
    size_t n = ev->len;
    if (n >= sizeof ev->value) return fp_hash(h, ev->value, n);
    const uint8_t *b = (const uint8_t *)ev->value;
    uint64_t w;
    for (; n >= 8; b += 8, n -= 8) {
        memcpy(&w, b, 8);
        h = fp_mix(h, w);
    }
    if (n) {
        memcpy(&w, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w &= ~0ull << (8 * (8 - n)); /* memcpy of n bytes fills the high end */
#else
        w &= (1ull << (8 * n)) - 1;
#endif
        h = fp_mix(h, w ^ ((uint64_t)n << 56));
    }
    return h;
}

/* True if this fingerprint was sent before; remembers it otherwise. */
static bool emit_seen(probe_worker_t *w, uint64_t fp)
{
    fp |= 1; /* 0 marks an empty slot */
    uint64_t *slot = &w->dedup[(fp >> 17) & (WK_DEDUP_SLOTS - 1)];
    if (*slot == fp) {
        w->st.evidence_dedup++;
        return true;
    }
    *slot = fp;
    return false;
}

static void emit_send(probe_worker_t *w, coll_obs_t *o)
{
    o->probe_id = w->cfg.id;
    if (coll_sender_send(w->tx, o) == SSF_OK)
        w->st.obs_sent++;
    else
        w->st.obs_failed++;
}

void wk_endpoint(coll_endpoint_t *ep, const probe_pkt_t *pkt, bool src)
{
    static const uint8_t zero_mac[6];
    const uint8_t *mac = src ? pkt->src_mac : pkt->dst_mac;
    memset(ep, 0, sizeof *ep);
    if (pkt->has_mac && memcmp(mac, zero_mac, 6) != 0) {
        ep->has_mac = 1;
        memcpy(ep->mac, mac, 6);
    }
    ep->ip = src ? pkt->src_ip : pkt->dst_ip;
    ep->has_ip = !ssf_addr_is_zero(&ep->ip) && !ssf_addr_is_v4_any(&ep->ip);
    if (!ep->has_ip) memset(&ep->ip, 0, sizeof ep->ip);
    ep->vlan = pkt->n_vlan ? pkt->vlan[0] : 0;
}

static void emit_subject(coll_endpoint_t *subject, const probe_pkt_t *pkt, const probe_ev_t *ev)
{
    wk_endpoint(subject, pkt, ev->role == PROBE_EV_SRC);
    if (ev->has_mac) {
        subject->has_mac = 1;
        memcpy(subject->mac, ev->mac, 6);
    }
}

void wk_evidence_obs(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_t *ev,
                     const char *source, coll_obs_t *o)
{
    bool src = ev->role == PROBE_EV_SRC;
    memset(o, 0, sizeof *o);
    o->kind = COLL_OBS_EVIDENCE;
    coll_obs_evidence_t *e = &o->u.ev;
    emit_subject(&e->subject, pkt, ev);
    wk_endpoint(&e->peer, pkt, !src);
    e->field = ev->field;
    e->l4_proto = pkt->l4_proto;
    e->sport = src ? pkt->sport : pkt->dport; /* the subject's port first */
    e->dport = src ? pkt->dport : pkt->sport;
    e->ts_us = pkt->ts_us;
    e->frame = w->cur_frame;
    e->input = w->cur_input;
    ssf_strlcpy(e->source, source, sizeof e->source);
    /* The whole array in one fixed-size copy, then the last byte cut: the same C string as
     * ssf_strlcpy gives, without its byte-by-byte length scan of a value that may be long. */
    _Static_assert(sizeof e->value == sizeof ev->value, "evidence values keep their size");
    memcpy(e->value, ev->value, sizeof e->value);
    e->value[sizeof e->value - 1] = '\0';
    e->count = 1;
}

void wk_emit_obs(probe_worker_t *w, coll_obs_t *o)
{
    w->st.evidence++;
    emit_send(w, o);
}

void wk_emit_evidence(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_t *ev,
                      const char *source)
{
    coll_endpoint_t subject;
    emit_subject(&subject, pkt, ev);
    uint64_t fp = fp_hash(0xcbf29ce484222325ull, &subject, sizeof subject);
    fp = fp_hash(fp, &ev->field, sizeof ev->field);
    /* Polling protocols repeat the same facts in every frame: most items end here, before
     * the observation is even built. */
    if (emit_seen(w, fp_hash_value(fp, ev))) return;
    coll_obs_t o;
    wk_evidence_obs(w, pkt, ev, source, &o);
    wk_emit_obs(w, &o);
}

void wk_emit_arp(probe_worker_t *w, const probe_pkt_t *pkt)
{
    if (ssf_addr_is_zero(&pkt->arp_spa)) return; /* ARP probes carry no binding */
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_ARP;
    memcpy(o.u.arp.mac, pkt->arp_sha, 6);
    o.u.arp.ip = pkt->arp_spa;
    o.u.arp.vlan = pkt->n_vlan ? pkt->vlan[0] : 0;
    o.u.arp.ts_us = pkt->ts_us;
    uint64_t fp = fp_hash(0x84222325cbf29ce4ull, &o.u.arp.mac, 6);
    fp = fp_hash(fp, &o.u.arp.ip, sizeof o.u.arp.ip);
    if (emit_seen(w, fp_hash(fp, &o.u.arp.vlan, 2))) return;
    emit_send(w, &o);
}

/* "Master.App" as ndpi_protocol2name() writes it, without its snprintf (every flow end pays
 * for this line). */
static void emit_proto_name(probe_worker_t *w, ndpi_protocol p, char *out, size_t n)
{
    uint16_t m = p.master_protocol, a = p.app_protocol;
    if (m == NDPI_PROTOCOL_UNKNOWN || m == a) {
        ssf_strlcpy(out, ndpi_get_proto_name(w->ndpi, a), n);
        return;
    }
    size_t len = ssf_strlcpy(out, ndpi_get_proto_name(w->ndpi, m), n);
    if (a == NDPI_PROTOCOL_UNKNOWN || len + 2 >= n) return;
    out[len++] = '.';
    ssf_strlcpy(out + len, ndpi_get_proto_name(w->ndpi, a), n - len);
}

static void emit_names(probe_worker_t *w, const wk_flow_t *wf, coll_obs_flow_t *fl)
{
    ndpi_protocol p = wf->proto;
    if (wf->own_proto && (wf->own_renames || (p.app_protocol == NDPI_PROTOCOL_UNKNOWN &&
                                              p.master_protocol == NDPI_PROTOCOL_UNKNOWN)))
        ssf_strlcpy(fl->app_name, wf->own_proto, sizeof fl->app_name);
    else
        emit_proto_name(w, p, fl->app_name, sizeof fl->app_name);
    ssf_strlcpy(fl->category, ndpi_category_get_name(w->ndpi, p.category), sizeof fl->category);
    fl->app_proto = p.app_protocol;
    fl->master_proto = p.master_protocol;
}

void wk_emit_flow(probe_worker_t *w, probe_flow_t *f, bool final)
{
    wk_flow_t *wf = wk_flow(f);
    coll_obs_t o;
    memset(&o, 0, sizeof o);
    o.kind = COLL_OBS_FLOW;
    coll_obs_flow_t *fl = &o.u.flow;
    uint8_t c = f->client_dir <= 1 ? f->client_dir : 0, s = (uint8_t)!c;
    fl->client = wf->ep[c];
    fl->server = wf->ep[s];
    fl->client_port = wf->port[c];
    fl->server_port = wf->port[s];
    fl->l4_proto = f->key.proto;
    fl->final = final;
    fl->answered = wf->answered[s];
    emit_names(w, wf, fl);
    fl->risk = wf->risk;
    fl->first_us = f->first_us;
    fl->frame = wf->first_frame;
    fl->input = wf->first_input;
    fl->last_us = f->last_us < f->first_us ? f->first_us : f->last_us;
    fl->pkts[0] = f->pkts[c] - wf->rep_pkts[c];
    fl->pkts[1] = f->pkts[s] - wf->rep_pkts[s];
    fl->bytes[0] = f->bytes[c] - wf->rep_bytes[c];
    fl->bytes[1] = f->bytes[s] - wf->rep_bytes[s];
    memcpy(wf->rep_pkts, f->pkts, sizeof wf->rep_pkts);
    memcpy(wf->rep_bytes, f->bytes, sizeof wf->rep_bytes);
    wf->last_report_us = f->last_us;
    emit_send(w, &o);
}
