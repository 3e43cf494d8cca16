#include "worker_internal.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <x86intrin.h>

#define WK_EXPIRE_EVERY 256 /* packets between idle-expiry passes            */
#define WK_EXPIRE_MAX   64  /* flows ended per pass: bounds one pass's cost  */

static void wk_on_flow_end(probe_flow_t *f, probe_flow_end why, void *ctx)
{
    probe_worker_t *w = ctx;
    if (why == PROBE_FLOW_END_EVICTED)
        w->st.flows_evicted++;
    else if (why != PROBE_FLOW_END_FLUSH)
        w->st.flows_expired++;
    if (!wk_flow(f)->initialised) return;
    wk_dpi_end(w, f);
    /* Only a conversation that went quiet can carry on (worker_resume.c). */
    if (why == PROBE_FLOW_END_IDLE) wk_resume_store(w, f);
    wk_emit_flow(w, f, true);
    wk_dpi_release(f);
    wk_ident_release(w, f);
}

static ssf_rc wk_alloc_pools(probe_worker_t *w, ssf_err *err)
{
    w->tls_bufs = malloc((size_t)WK_TLS_SLOTS * WK_TLS_BUF);
    w->dedup = calloc(WK_DEDUP_SLOTS, sizeof *w->dedup);
    w->auth = calloc(WK_AUTH_SLOTS, sizeof *w->auth);
    w->resume = calloc(WK_RESUME_SLOTS, sizeof *w->resume);
    if (!w->tls_bufs || !w->dedup || !w->auth || !w->resume)
        return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < WK_TLS_SLOTS; i++)
        w->tls_free[i] = (int16_t)(WK_TLS_SLOTS - 1 - i);
    w->n_tls_free = WK_TLS_SLOTS;
    return SSF_OK;
}

probe_worker_t *probe_worker_new(const probe_worker_cfg_t *cfg, ssf_err *err)
{
    probe_worker_t *w = calloc(1, sizeof *w);
    if (!w) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    w->cfg = *cfg;
    if (wk_alloc_pools(w, err) != SSF_OK) goto out_free;
    if (wk_dpi_init(w, err) != SSF_OK) goto out_free;
    probe_flow_cfg_t fc = {
        .memory_bytes = cfg->flow_memory,
        .user_size = ((sizeof(wk_flow_t) + 15) & ~15ul) + wk_dpi_flow_size(),
        .idle_timeout_us = cfg->idle_timeout_us,
        .abs_timeout_us = cfg->abs_timeout_us,
        .on_end = wk_on_flow_end,
        .ctx = w,
    };
    if (!(w->flows = probe_flow_table_new(&fc, err))) goto out_free;
    if (!(w->tx = coll_sender_new(cfg->zctx, cfg->endpoint, err))) goto out_free;
    return w;
out_free:
    probe_worker_free(&w);
    return NULL;
}

void probe_worker_free(probe_worker_t **wp)
{
    if (!wp || !*wp) return;
    probe_worker_t *w = *wp;
    probe_flow_table_free(&w->flows);
    wk_dpi_free(w);
    coll_sender_free(&w->tx);
    free(w->tls_bufs);
    free(w->dedup);
    free(w->auth);
    free(w->resume);
    free(w);
    *wp = NULL;
}

static void wk_count_anomalies(probe_worker_t *w, uint32_t anom)
{
    while (anom) {
        int bit = __builtin_ctz(anom);
        w->st.anomalies[bit]++;
        anom &= anom - 1;
    }
}

/* Registered ports of the services an inventory cares about, above 1024. A capture that
 * begins mid-conversation, or a UDP exchange whose request was missed, shows the server
 * speaking first; its port still says it is the server. */
static bool wk_service_port(uint16_t port)
{
    static const uint16_t ports[] = {
        1883, 1900, 1911,  2190,  2222,  2404,  3389,  3671,  4712,  4713,  4840, 4843,
        5050, 5060, 5094,  5095,  5353,  5683,  6060,  6666,  6667,  8080,  8443, 8883,
        9100, 9600, 10001, 18246, 20000, 34962, 34964, 44818, 47808, 48898,
    };
    if (port < 1024) return true;
    for (size_t i = 0; i < SSF_ARRAY_LEN(ports); i++)
        if (ports[i] == port) return true;
    return false;
}

/* Decides which key side opened the flow: the SYN's sender, else the side on a service port
 * (when the other is not on one) is the server, else the first sender. */
static uint8_t wk_client_side(const probe_pkt_t *pkt, uint8_t dir)
{
    if (pkt->l4_proto == IPPROTO_TCP && (pkt->tcp_flags & 0x02))
        return (pkt->tcp_flags & 0x10) ? (uint8_t)!dir : dir;
    bool src_svc = wk_service_port(pkt->sport), dst_svc = wk_service_port(pkt->dport);
    if (src_svc && !dst_svc) return (uint8_t)!dir;
    if (pkt->sport == 67 || pkt->sport == 547) return (uint8_t)!dir;
    return dir;
}

static void wk_flow_init(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir)
{
    wk_flow_t *wf = wk_flow(f);
    wk_endpoint(&wf->ep[dir], pkt, true);
    wk_endpoint(&wf->ep[!dir], pkt, false);
    wf->port[dir] = pkt->sport;
    wf->port[!dir] = pkt->dport;
    wf->tls_slot[0] = wf->tls_slot[1] = -1;
    wf->initialised = 1;
    wf->last_report_us = pkt->ts_us;
    wf->first_frame = w->cur_frame;
    wf->first_input = w->cur_input;
    f->client_dir = wk_client_side(pkt, dir);
    if (!wk_resume_take(w, f, pkt)) wk_expect_take(w, f, pkt, dir);
}

static inline uint64_t wk_tick(const probe_worker_t *w)
{
    return w->cfg.stage_timing ? __rdtsc() : 0;
}

static void wk_flow_packet(probe_worker_t *w, const probe_pkt_t *pkt, uint64_t t0)
{
    probe_flow_key_t key;
    uint8_t dir;
    if (!probe_flow_key_make(pkt, &key, &dir)) return;
    bool created = false;
    probe_flow_t *f = probe_flow_get(w->flows, &key, pkt->ts_us, &created);
    if (!f) return;
    if (created) {
        w->st.flows_created++;
        wk_flow_init(w, f, pkt, dir);
    }
    f->pkts[dir]++;
    f->bytes[dir] += pkt->wirelen;
    wk_flow_t *wf = wk_flow(f);
    if (pkt->l4_proto != IPPROTO_TCP || pkt->payload_len || (pkt->tcp_flags & 0x12) == 0x12)
        wf->answered[dir] = 1;
    /* FIN or RST: whatever comes on these ports later is another connection, not this one. */
    if (pkt->l4_proto == IPPROTO_TCP && (pkt->tcp_flags & 0x05)) f->flags |= WK_FLOW_CLOSING;
    uint64_t t1 = wk_tick(w);
    w->st.stage_cycles[PROBE_STAGE_FLOW] += t1 - t0;
    if (!wf->dpi_done) wk_dpi_packet(w, f, pkt);
    uint64_t t2 = wk_tick(w);
    w->st.stage_cycles[PROBE_STAGE_DPI] += t2 - t1;
    if ((wf->ident_off[0] & wf->ident_off[1]) != WK_ID_ALL) wk_ident_packet(w, f, pkt, dir);
    w->st.stage_cycles[PROBE_STAGE_IDENT] += wk_tick(w) - t2;
    if (pkt->ts_us > wf->last_report_us + w->cfg.report_every_us) wk_emit_flow(w, f, false);
}

void probe_worker_frame(probe_worker_t *w, const probe_frame_t *fr)
{
    probe_pkt_t pkt;
    uint64_t t0 = wk_tick(w);
    ssf_rc rc = probe_decode(fr->dlt, fr->data, fr->caplen, fr->wirelen, fr->ts_us, &pkt);
    w->st.stage_cycles[PROBE_STAGE_DECODE] += wk_tick(w) - t0;
    probe_worker_decoded(w, fr, rc, &pkt);
}

void probe_worker_decoded(probe_worker_t *w, const probe_frame_t *fr, ssf_rc rc,
                          const probe_pkt_t *pkt_in)
{
    const probe_pkt_t *p = pkt_in;
    uint64_t t1 = wk_tick(w);
    w->st.packets++;
    w->st.bytes += fr->wirelen;
    w->cur_frame = fr->frame_no;
    w->cur_input = fr->source;
    if (SSF_UNLIKELY(rc != SSF_OK)) {
        w->st.truncated++;
        return;
    }
    if (SSF_UNLIKELY(p->anom)) wk_count_anomalies(w, p->anom);
    if (fr->ts_us > w->now_us) w->now_us = fr->ts_us;
    if ((w->st.packets & (WK_EXPIRE_EVERY - 1)) == 0)
        probe_flow_expire(w->flows, w->now_us, WK_EXPIRE_MAX);
    if (p->ip_ver == 0) {
        w->st.non_ip++;
        if (p->arp_op) {
            w->st.arp++;
            wk_emit_arp(w, p);
        } else {
            wk_ident_l2(w, p);
        }
        return;
    }
    /* A tunnel's outer (MAC, address) is a binding like an ARP sender's. */
    if (SSF_UNLIKELY(p->tunnels)) wk_emit_arp(w, p);
    if (p->frag == PROBE_FRAG_LATER) {
        w->st.frag_later++;
        return;
    }
    if (p->frag == PROBE_FRAG_FIRST) w->st.frag_first++;
    wk_flow_packet(w, p, t1);
}

void probe_worker_idle(probe_worker_t *w)
{
    if (coll_sender_flush(w->tx) != SSF_OK) w->st.obs_failed++;
}

void probe_worker_finish(probe_worker_t *w)
{
    probe_flow_flush(w->flows);
    if (coll_sender_bye(w->tx) != SSF_OK) w->st.obs_failed++;
}

void probe_worker_stats(const probe_worker_t *w, probe_worker_stats_t *out)
{
    *out = w->st;
    probe_flow_stats_t fs;
    probe_flow_stats(w->flows, &fs);
    out->flows_active_peak = fs.peak_active;
    out->flow_capacity = fs.capacity;
}

void probe_worker_stats_add(probe_worker_stats_t *a, const probe_worker_stats_t *b)
{
    /* Every field is a uint64_t counter; peaks and capacities add up across workers too. */
    uint64_t *pa = (uint64_t *)a;
    const uint64_t *pb = (const uint64_t *)b;
    for (size_t i = 0; i < sizeof *a / sizeof(uint64_t); i++)
        pa[i] += pb[i];
}
