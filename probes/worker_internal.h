/* worker_internal.h - state shared by the worker's translation units (worker*.c). */
#ifndef PROBE_WORKER_INTERNAL_H
#define PROBE_WORKER_INTERNAL_H

#include "coll/link.h"
#include "probe/decode.h"
#include "probe/evidence.h"
#include "probe/flow.h"
#include "probe/worker.h"

#include <ndpi/ndpi_api.h>

#define WK_TLS_BUF            16384 /* a certificate chain rarely exceeds this               */
#define WK_TLS_SLOTS          128   /* TLS streams reassembled at once per worker            */
#define WK_DEDUP_SLOTS        8192  /* direct-mapped cache of evidence already sent         */
#define WK_AUTH_SLOTS         1024  /* (server, client, protocol) refusal counts per worker */
#define WK_DPI_MAX_PKTS       12    /* give nDPI this many packets before giving up          */
#define WK_DPI_EXTRA_MAX      32    /* and at most this many when it wants extra dissection */
#define WK_IDENT_MAX_PAYLOADS 8     /* payload packets per direction offered to extractors */
#define WK_PORT_MAX_PAYLOADS  32    /* the same for port-matched (plant) protocols            */
/* ...and a plant side is watched early after this many payloads in a row taught nothing new */
#define WK_PORT_STALE_MAX 8
/* Conversations remembered after an idle timeout (worker_resume.c), direct-mapped. A slot is
 * filled when a flow ends idle and emptied when its key comes back, so it holds the pollers
 * that are between two polls: a plant has tens to hundreds per worker, far below 8192, and
 * at 80 bytes a slot the table costs 640 KiB per worker, next to its share of --flow-memory
 * (256 MiB by default). Every idle end takes a slot, so a burst of one-shot flows (DNS, a
 * scan) can push a poller out; that only costs it a fresh classification, as before. */
#define WK_RESUME_SLOTS 8192

/* Bits of probe_flow.flags, which the flow table leaves to the worker. */
enum {
    WK_FLOW_CLOSING = 1u << 0, /* a TCP FIN or RST was seen: the conversation is ending   */
};

/* Per-direction identity state bits. */
enum {
    WK_ID_HTTP = 1u << 0,
    WK_ID_SSH = 1u << 1,
    WK_ID_TLS = 1u << 2,
    WK_ID_DHCP = 1u << 3,
    WK_ID_ALL = 0x0f,
};

/* Lives in the flow's user area, followed by nDPI's flow struct. Zeroed on flow creation. */
typedef struct wk_flow {
    coll_endpoint_t ep[2];     /* endpoints by key side, as first seen                 */
    uint16_t port[2];          /* ports by key side                                    */
    uint8_t initialised;       /* endpoints filled                                     */
    uint8_t dpi_done;          /* nDPI has nothing left to teach                       */
    uint8_t dpi_detected;      /* nDPI named an application                            */
    uint8_t dpi_final;         /* verdict is final (given up or done)                  */
    uint8_t answered[2];       /* per key side: sent a SYN-ACK or payload (TCP), or any packet
                                  (others); a RST alone is not an answer                 */
    uint8_t ident_off[2];      /* per side: extractors finished (WK_ID_* seen/closed)  */
    uint8_t ident_payloads[2]; /* payload packets offered to extractors, per side      */
    uint8_t ident_stale[2];    /* ...and in a row that taught nothing new (plant rows) */
    int16_t tls_slot[2];       /* reassembly buffer per side, -1 none                  */
    uint32_t tls_len[2];       /* bytes in that buffer                                 */
    uint32_t tls_next_seq[2];  /* next expected TCP sequence number                    */
    uint16_t dpi_pkts;         /* packets nDPI has seen                                */
    ndpi_protocol proto;       /* nDPI's verdict so far                                */
    uint8_t port_row;          /* port_extractors row + 1 of the flow's ports, 0xff none,
                                  0 not looked up yet                                    */
    const char *own_proto;     /* an extractor of ours recognised the flow ("bacnet"): the
                                  flow's name where nDPI 4.2 has none                    */
    bool own_renames;          /* ...or even where it has one: nDPI 4.2 is wrong there   */
    uint64_t risk;             /* nDPI risk bitmap                                     */
    uint64_t rep_pkts[2];      /* counters already reported, per key side              */
    uint64_t rep_bytes[2];
    uint64_t last_report_us;
    uint16_t auth_slot; /* refusal count slot + 1 its last refusal went to, 0 none */
    /* issue 4: USER hash and default tried; 6 bytes that fill what was tail padding */
    probe_ev_cred_t cred;
    /* The packet that created the flow, so a finding about the whole flow (internet_exposed)
     * can cite it; 16 bytes more leave the flow's user stride (rounded to 64) unchanged. */
    uint64_t first_frame;
    uint16_t first_input;
} wk_flow_t;

/* One conversation that ended by idle timeout: what a flow resuming it inherits. The fields
 * carry the names of the wk_flow_t (and probe_flow) fields they are copied from. */
typedef struct wk_resume {
    probe_flow_key_t key;  /* the ended flow's key, compared whole on lookup         */
    ndpi_protocol proto;   /* nDPI's verdict, category included                      */
    uint64_t risk;         /* nDPI risk bits                                         */
    const char *own_proto; /* our extractors' name for the flow, or NULL             */
    uint8_t used;          /* 1: the slot holds a conversation                       */
    uint8_t client_dir;    /* probe_flow.client_dir                                  */
    uint8_t dpi_detected;  /* the wk_flow_t flags of the same names                  */
    uint8_t dpi_done;
    uint8_t dpi_final;
    uint8_t port_row;
    bool own_renames;
    uint8_t ident_off[2]; /* identity inspection state, per key side                */
    uint8_t ident_payloads[2];
    uint32_t last_s; /* capture time of its last packet, s (mod 2^32)           */
} wk_resume_t;

/* A data flow a control exchange announced (worker_expect.c). */
#define WK_EXPECT_SLOTS 32 /* transfers requested and not yet begun, per worker */
typedef struct wk_expect {
    ssf_addr client, server; /* the requester, and the server it asked             */
    uint64_t until_us;       /* 0: free                                          */
    const char *proto;       /* the name the data flow takes                     */
    uint16_t client_port;    /* the requester's port, which the server answers to */
    uint16_t vlan;
} wk_expect_t;

/* One (server, client, protocol)'s refused logins (worker_ident.c). */
typedef struct wk_auth_slot {
    uint64_t key; /* 0: empty */
    uint64_t last_us;
    uint32_t fails;  /* refusals counted                                  */
    uint32_t sent;   /* of which the engine has been told                 */
    coll_obs_t last; /* the last refusal, ready to report what is left    */
} wk_auth_slot;

struct probe_worker {
    probe_worker_cfg_t cfg;
    probe_flow_table_t *flows;
    struct ndpi_detection_module_struct *ndpi;
    coll_sender_t *tx;
    uint8_t *tls_bufs;              /* WK_TLS_SLOTS * WK_TLS_BUF                            */
    int16_t tls_free[WK_TLS_SLOTS]; /* stack of free slot indices                          */
    int n_tls_free;
    uint64_t *dedup;                     /* WK_DEDUP_SLOTS fingerprints                          */
    wk_auth_slot *auth;                  /* WK_AUTH_SLOTS refusal counts                         */
    wk_resume_t *resume;                 /* WK_RESUME_SLOTS conversations ended by idle timeout  */
    wk_expect_t expect[WK_EXPECT_SLOTS]; /* announced data flows, a ring          */
    unsigned expect_next;                /* the slot the next one overwrites      */
    uint64_t expect_until_us;            /* the latest expiry among them          */
    wk_flow_t *ident_flow; /* the flow whose payload the extractors read, NULL for L2 */
    uint64_t cur_frame;    /* frame number of the packet being processed          */
    uint16_t cur_input;    /* input file of that packet                          */
    uint64_t now_us;
    probe_worker_stats_t st;
};

static inline wk_flow_t *wk_flow(probe_flow_t *f)
{
    return (wk_flow_t *)f->user;
}
static inline struct ndpi_flow_struct *wk_ndpi_flow(probe_flow_t *f)
{
    return (struct ndpi_flow_struct *)((uint8_t *)f->user + ((sizeof(wk_flow_t) + 15) & ~15ul));
}

/* worker_dpi.c */
ssf_rc wk_dpi_init(probe_worker_t *w, ssf_err *err);
void wk_dpi_free(probe_worker_t *w);
void wk_dpi_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt);
void wk_dpi_end(probe_worker_t *w, probe_flow_t *f);
void wk_dpi_release(probe_flow_t *f);
size_t wk_dpi_flow_size(void);

/* worker_ident.c */
void wk_ident_packet(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t side);
void wk_ident_release(probe_worker_t *w, probe_flow_t *f);
void wk_ident_l2(probe_worker_t *w, const probe_pkt_t *pkt);

/* worker_expect.c */
/* A TFTP read or write request: the transfer's flow is expected from the server. */
void wk_expect_tftp(probe_worker_t *w, const probe_pkt_t *pkt);
/* A new flow an expectation announced takes its requester as client, and its name. */
void wk_expect_take(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt, uint8_t dir);

/* worker_resume.c */
/* The resume table's slot for key k; the same for every worker and every run. */
size_t wk_resume_slot(const probe_flow_key_t *k);
/* Remembers flow f, which has just ended by idle timeout and whose nDPI verdict is final,
 * if it is TCP or UDP and no FIN or RST closed it. Overwrites whatever the slot held. */
void wk_resume_store(probe_worker_t *w, const probe_flow_t *f);
/* On a flow just created and initialised from its first packet pkt: if the previous flow on
 * its key ended idle and pkt is not a TCP SYN, the flow inherits that flow's verdict, client
 * side and inspection state, counts in flows_resumed, and true is returned. Either way the
 * remembered conversation is forgotten: it has one successor. */
bool wk_resume_take(probe_worker_t *w, probe_flow_t *f, const probe_pkt_t *pkt);

/* worker_emit.c */
/* Fills *ep with the packet's source (src) or destination end. An all-zero MAC (SLL gives
 * only the sender's) or address (DHCP clients before they have one) counts as absent. */
void wk_endpoint(coll_endpoint_t *ep, const probe_pkt_t *pkt, bool src);
void wk_emit_flow(probe_worker_t *w, probe_flow_t *f, bool final);
void wk_emit_evidence(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_t *ev,
                      const char *source);
/* The observation wk_emit_evidence would send (count 1), built whether or not it was sent
 * before; wk_emit_obs sends it. For items the worker counts itself (refused logins). */
void wk_evidence_obs(probe_worker_t *w, const probe_pkt_t *pkt, const probe_ev_t *ev,
                     const char *source, coll_obs_t *o);
void wk_emit_obs(probe_worker_t *w, coll_obs_t *o);
void wk_emit_arp(probe_worker_t *w, const probe_pkt_t *pkt);

#endif
