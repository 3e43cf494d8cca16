/* Conversations that resume after an idle timeout keep their classification.
 *
 * A PLC polled every few minutes, or a capture with gaps, ends its flows by idle timeout and
 * starts them again on the next packet. Without this file each restart would be classified by
 * nDPI and inspected by the extractors from scratch. But TCP cannot change application in the
 * middle of a connection, and a monitor that re-classifies mid-stream gets a worse verdict
 * (nDPI sees no handshake) at full cost. So a flow that starts on the key (5-tuple and VLAN)
 * of a flow that ended by idle timeout, and does not start with a TCP SYN, is the same
 * conversation resumed: it inherits the nDPI verdict, the client side and the identity
 * inspection state; nDPI never sees it. It is still reported as a flow of its own, with its
 * own counters. UDP resumes the same way, on the same two ports; protocols without ports
 * do not.
 *
 * Not resumed: a flow that comes back more than PROBE_RESUME_HORIZON_US after its
 * predecessor's last packet (that connection is long gone), a flow that saw a FIN or RST, one
 * evicted, flushed or past its lifetime (it did not end for being quiet), and any flow that starts
 * with a SYN, since a new connection may carry anything. A collision in the direct-mapped table
 * only loses the older conversation: the whole key is compared, so no flow ever inherits another's
 * verdict. */
#include "worker_internal.h"

#include <netinet/in.h>

_Static_assert((WK_RESUME_SLOTS & (WK_RESUME_SLOTS - 1)) == 0, "slots: a power of two");
_Static_assert(sizeof(wk_resume_t) == 80, "the slot size WK_RESUME_SLOTS is justified with");

/* Unseeded on purpose: which conversation survives a collision must not change from run to
 * run, or two scans of one capture could report different applications. */
size_t wk_resume_slot(const probe_flow_key_t *k)
{
    const uint8_t *b = (const uint8_t *)k;
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof *k; i += 8) {
        uint64_t word;
        memcpy(&word, b + i, 8);
        h = (h ^ word) * UINT64_C(0x9e3779b97f4a7c15);
        h ^= h >> 32;
    }
    h *= UINT64_C(0xff51afd7ed558ccd);
    return (size_t)(h >> 40) & (WK_RESUME_SLOTS - 1);
}

void wk_resume_store(probe_worker_t *w, const probe_flow_t *f)
{
    /* Without ports (ICMP, GRE ...) a key names a pair of hosts, not a conversation: a ping
     * back the other way a minute later is another one. */
    if (f->key.proto != IPPROTO_TCP && f->key.proto != IPPROTO_UDP) return;
    if (f->flags & WK_FLOW_CLOSING) return;
    const wk_flow_t *wf = (const wk_flow_t *)f->user;
    wk_resume_t *r = &w->resume[wk_resume_slot(&f->key)];
    r->key = f->key;
    r->proto = wf->proto;
    r->risk = wf->risk;
    r->own_proto = wf->own_proto;
    r->used = 1;
    r->client_dir = f->client_dir;
    r->dpi_detected = wf->dpi_detected;
    r->dpi_done = wf->dpi_done;
    r->dpi_final = wf->dpi_final;
    r->port_row = wf->port_row;
    r->own_renames = wf->own_renames;
    memcpy(r->ident_off, wf->ident_off, sizeof r->ident_off);
    memcpy(r->ident_payloads, wf->ident_payloads, sizeof r->ident_payloads);
    r->last_s = (uint32_t)(f->last_us / 1000000);
}

static void resume_apply(const wk_resume_t *r, probe_flow_t *f)
{
    wk_flow_t *wf = wk_flow(f);
    wf->proto = r->proto;
    wf->risk = r->risk;
    wf->own_proto = r->own_proto;
    f->client_dir = r->client_dir;
    wf->dpi_detected = r->dpi_detected;
    wf->dpi_done = r->dpi_done;
    wf->dpi_final = r->dpi_final;
    wf->port_row = r->port_row;
    wf->own_renames = r->own_renames;
    memcpy(wf->ident_off, r->ident_off, sizeof wf->ident_off);
    memcpy(wf->ident_payloads, r->ident_payloads, sizeof wf->ident_payloads);
}

bool wk_resume_take(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt)
{
    wk_resume_t *r = &w->resume[wk_resume_slot(&f->key)];
    if (!r->used || memcmp(&r->key, &f->key, sizeof r->key) != 0) return false;
    r->used = 0;
    bool syn = pkt->l4_proto == IPPROTO_TCP && (pkt->tcp_flags & 0x12) == 0x02;
    /* Unsigned: a capture whose time runs backwards gives a huge gap, and no resume. */
    uint32_t gap_s = (uint32_t)(pkt->ts_us / 1000000) - r->last_s;
    if (syn || gap_s > PROBE_RESUME_HORIZON_US / 1000000) return false;
    resume_apply(r, f);
    w->st.flows_resumed++;
    return true;
}
