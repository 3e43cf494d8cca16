/* probe/flow.h - the per-worker flow table: bidirectional 5-tuple+VLAN flows in a fixed pool.
 *
 * One table per worker thread. Nothing in here locks: a table must only ever be touched by the
 * thread that owns it. Every byte is allocated once, in probe_flow_table_new(), from a memory
 * budget; no call after that allocates (STYLE C8). When the pool is full, probe_flow_get()
 * evicts the least recently used flow, so it never fails and never grows.
 *
 * Life of a flow: probe_flow_get() creates it or finds it; the worker updates the public fields
 * of struct probe_flow directly; the table ends it (idle or absolute timeout, LRU eviction,
 * flush, or probe_flow_end_now()) by calling cfg.on_end once, then reuses the slot.
 *
 * Time: all times are capture timestamps in microseconds. Captures can run backwards (several
 * files concatenated); a `now` older than a flow's last_us counts as equal to last_us, so no
 * difference ever underflows and a flow's last_us never decreases. */
#ifndef PROBE_FLOW_H
#define PROBE_FLOW_H

#include "probe/decode.h"
#include "ssf/common.h"

/* Canonical bidirectional flow key: both directions of a conversation give the same key.
 * The two (ip, port) endpoints are ordered, the lower first (memcmp of the 16-byte address,
 * then the port). A plain value with no implicit padding: `pad` is always 0, so the whole
 * struct can be hashed and compared with memcmp. Build it with probe_flow_key_make(), or zero
 * it first if filling it by hand. */
typedef struct probe_flow_key {
    ssf_addr lo_ip;   /* lower endpoint's address (IPv4 stored v4-mapped)              */
    ssf_addr hi_ip;   /* higher endpoint's address                                     */
    uint16_t lo_port; /* lower endpoint's port, host order; 0 for ICMP and other L4    */
    uint16_t hi_port; /* higher endpoint's port, host order                            */
    uint16_t vlan;    /* outer VLAN id as decoded, 0 when untagged                     */
    uint8_t proto;    /* IPPROTO_* of the L4 payload                                   */
    uint8_t pad;      /* always 0                                                      */
} probe_flow_key_t;

/* Builds the key for an IP packet. *dir (if dir is not NULL) is 0 when the packet's source is
 * the key's lo endpoint and 1 when it is hi; it indexes probe_flow.pkts[] and .bytes[]. When
 * both endpoints are equal (a host talking to itself on one port) dir is 0.
 * Returns false, leaving *k zeroed, when the packet carries no IP (pkt->ip_ver not 4 or 6).
 * Note: non-first IP fragments carry no ports, so they key to the port-0 flow of the same
 * address pair, not to their datagram's flow. Thread-safe: no shared state. */
bool probe_flow_key_make(const probe_pkt_t *pkt, probe_flow_key_t *k, uint8_t *dir);

/* Why a flow ended, as passed to cfg.on_end. */
typedef enum {
    PROBE_FLOW_END_IDLE = 0, /* no packet for longer than idle_timeout_us               */
    PROBE_FLOW_END_ABSOLUTE, /* older than abs_timeout_us since its first packet        */
    PROBE_FLOW_END_EVICTED,  /* least recently used when the table was full             */
    PROBE_FLOW_END_FLUSH,    /* probe_flow_flush(): end of input or shutdown            */
    PROBE_FLOW_END_CLOSED,   /* probe_flow_end_now(): the worker decided (TCP FIN/RST)  */
} probe_flow_end;

#define PROBE_FLOW_DIR_UNKNOWN  0xff /* client_dir before the worker has decided     */
#define PROBE_FLOW_MIN_CAPACITY 16   /* a budget holding fewer flows is refused      */
#define PROBE_FLOW_USER_ALIGN   64   /* each flow's user area starts on this boundary */

/* One flow. The worker reads and writes the public fields directly; the table sets them on
 * creation (counters zeroed, client_dir = PROBE_FLOW_DIR_UNKNOWN, user area zeroed). The
 * record is 128 bytes, aligned to a cache line. Everything probe_flow_get() touches on a hit
 * (key, hash chain, LRU links, last_us) is in the first line, so a hit costs one line of this
 * flow and one of each LRU neighbour; the fields with a trailing underscore are private to
 * flow.c and must not be touched. */
typedef struct probe_flow probe_flow_t;
struct probe_flow {
    _Alignas(64) probe_flow_key_t key; /* the flow's key; read-only for the worker         */
    uint32_t hash_;                    /* private: low 32 bits of the key's hash           */
    uint32_t hnext_;                   /* private: next in bucket chain / free list        */
    uint32_t lru_prev_;                /* private: towards the LRU head (newer)            */
    uint32_t lru_next_;                /* private: towards the LRU tail (older)            */
    uint64_t last_us;                  /* capture time of the latest packet, us            */
    uint64_t first_us;                 /* capture time of the first packet, us (line 2)    */
    uint64_t pkts[2];                  /* packets, [0] = lo->hi, [1] = hi->lo              */
    uint64_t bytes[2];                 /* wire bytes, same indexing as pkts                */
    void *user;                        /* this flow's user_size bytes; never reassign      */
    uint32_t flags;                    /* free for the worker; 0 on creation               */
    uint8_t client_dir;                /* key side that initiated (0 lo, 1 hi) or 0xff     */
    uint8_t live_;                     /* private: 1 while the flow is in the table        */
};

/* Called once for every flow that ends, before its slot is reused: this is the only chance to
 * report the flow and to release anything its user area references (the area is zeroed when the
 * slot is taken again, so anything it still points to then leaks). The flow is still in the
 * table while on_end runs; on_end must not call any probe_flow_* function on the same table. */
typedef void (*probe_flow_end_fn)(probe_flow_t *f, probe_flow_end why, void *ctx);

typedef struct {
    size_t memory_bytes;      /* budget for flows + user areas + hash buckets, bytes   */
    size_t user_size;         /* bytes of worker state per flow, 0 for none           */
    uint64_t idle_timeout_us; /* end a flow this long after its last packet; 0 = never */
    uint64_t abs_timeout_us;  /* end a flow this long after its first packet; 0 = never */
    probe_flow_end_fn on_end; /* may be NULL                                           */
    void *ctx;                /* passed to on_end                                      */
} probe_flow_cfg_t;

typedef struct probe_flow_table probe_flow_table_t; /* fields in flow.c */

/* Creates a table sized from cfg->memory_bytes. Capacity is the largest n with
 *     n * (sizeof(struct probe_flow) + roundup(user_size, 64)) + pow2ceil(n) * 4 <= memory_bytes
 * (4 = one uint32 bucket head; the bucket count is the power of two >= n, so chains average
 * at most one flow). The fixed table header (a few hundred bytes) is not counted. All memory is
 * allocated and touched here. Returns NULL with *err set: SSF_EINVAL when cfg is NULL or the
 * budget holds fewer than PROBE_FLOW_MIN_CAPACITY flows, SSF_ENOMEM when allocation fails.
 * The caller frees the table with probe_flow_table_free(). */
probe_flow_table_t *probe_flow_table_new(const probe_flow_cfg_t *cfg, ssf_err *err);

/* Frees the table and sets *t to NULL. NULL-safe. Does NOT call on_end: call
 * probe_flow_flush() first if the flows must be reported or their user areas released. */
void probe_flow_table_free(probe_flow_table_t **t);

/* Finds the flow for *k, or creates it. Never fails and never allocates.
 * - Found and still fresh: moves it to the LRU head and sets last_us = max(last_us, now_us).
 * - Found but idle (now - last_us > idle) or too old (now - first_us > abs): ends it with
 *   PROBE_FLOW_END_IDLE or _ABSOLUTE (idle wins when both hold), then creates a fresh flow.
 * - Not found: takes a free slot; with none free, ends the least recently used flow and
 *   takes its slot. The reason is PROBE_FLOW_END_EVICTED, or _IDLE/_ABSOLUTE if that flow
 *   had timed out anyway (so `evicted` counts only flows lost to a full table).
 * A created flow has first_us = last_us = now_us, zeroed counters, flags and user area, and
 * client_dir = PROBE_FLOW_DIR_UNKNOWN. *created (if not NULL) says whether it was created.
 * The pointer stays valid until the flow ends, i.e. until the next call that can end flows
 * (get, expire, flush, end_now) on this table. */
probe_flow_t *probe_flow_get(probe_flow_table_t *t, const probe_flow_key_t *k, uint64_t now_us,
                             bool *created);

/* Ends flows that are idle or past the absolute timeout at now_us, oldest (LRU tail) first,
 * stopping at the first flow that is neither, or after `max` flows. Returns how many it ended.
 * The cap exists so that one call does bounded work (STYLE C10): after a capture gap or a burst
 * of short flows, thousands of flows can expire at once, and ending them all in one batch
 * would stall packet processing for as long as their on_end callbacks take. Call it once per
 * batch with a small max (e.g. 64); flows it leaves behind are ended on the next call, or by
 * probe_flow_get() if a packet for them arrives first.
 * The LRU order is last_us order as long as time runs forward; after a backwards jump in the
 * capture, flows stamped before the jump can sit behind fresher-stamped ones and are ended
 * later (or evicted), never early. */
size_t probe_flow_expire(probe_flow_table_t *t, uint64_t now_us, size_t max);

/* Ends every flow with PROBE_FLOW_END_FLUSH, least recently used first. The table stays usable
 * and empty. Work is proportional to the number of live flows. */
void probe_flow_flush(probe_flow_table_t *t);

/* Ends one live flow now with PROBE_FLOW_END_CLOSED (e.g. after TCP FIN/RST was seen both ways);
 * on_end is called and the slot is freed. f must be a live flow of this table. */
void probe_flow_end_now(probe_flow_table_t *t, probe_flow_t *f);

typedef struct {
    uint64_t created;      /* flows created                                          */
    uint64_t evicted;      /* ended PROBE_FLOW_END_EVICTED (table full)              */
    uint64_t expired_idle; /* ended PROBE_FLOW_END_IDLE, by get or expire            */
    uint64_t expired_abs;  /* ended PROBE_FLOW_END_ABSOLUTE, by get or expire        */
    uint64_t flushed;      /* ended PROBE_FLOW_END_FLUSH                             */
    uint64_t closed;       /* ended PROBE_FLOW_END_CLOSED                            */
    size_t active;         /* flows live now                                         */
    size_t capacity;       /* flows the table holds                                  */
    size_t peak_active;    /* highest `active` seen                                  */
} probe_flow_stats_t;

/* Copies the table's counters into *out. Same thread as the table's other calls. */
void probe_flow_stats(const probe_flow_table_t *t, probe_flow_stats_t *out);

#endif
