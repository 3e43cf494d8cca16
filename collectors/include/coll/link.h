/* coll/link.h - carries observations from probes to the engine over ZeroMQ PUSH/PULL.
 *
 * `ssfscan scan` uses inproc:// inside one process; the fleet (later) uses tcp:// with CURVE.
 * The seam is the same either way: every message is a batch of coll/wire.h records (see
 * collectors/WIRE.md), and a zero-length message is a sender's goodbye. A sender holds
 * observations back until its batch is full, COLL_LINK_FLUSH_NS have passed since the oldest
 * one, or it is flushed. Each sender and receiver belongs to one thread, as ZeroMQ sockets do. */
#ifndef COLL_LINK_H
#define COLL_LINK_H

#include "coll/obs.h"

#define COLL_LINK_BATCH    32768        /* bytes of records per message             */
#define COLL_LINK_FLUSH_NS 100000000ull /* oldest pending observation waits <= 100 ms */

typedef struct coll_sender coll_sender_t;
typedef struct coll_receiver coll_receiver_t;

typedef struct {
    uint64_t received;  /* valid observations delivered                              */
    uint64_t malformed; /* batches cut short by a record the wire decoder refused      */
    uint64_t version;   /* ...of which the record was of another wire version: a probe
                           and an engine not upgraded together (collectors/WIRE.md)   */
    uint64_t messages;  /* transport messages received                               */
    uint64_t goodbyes;  /* senders that said they are done                           */
} coll_receiver_stats_t;

/* zctx is a ZeroMQ context shared by all sockets of the process. The receiver binds, so
 * create it before any sender connects. NULL and *err set on failure. */
coll_receiver_t *coll_receiver_new(void *zctx, const char *endpoint, ssf_err *err);
void coll_receiver_free(coll_receiver_t **r);
/* Waits up to timeout_ms (-1: forever) for one message. SSF_OK with *out filled;
 * SSF_EAGAIN on timeout or after a goodbye (check stats); SSF_EINVAL for a refused message
 * (counted, safe to continue); SSF_EIO when the socket failed. */
ssf_rc coll_receiver_recv(coll_receiver_t *r, coll_obs_t *out, int timeout_ms);
void coll_receiver_stats(const coll_receiver_t *r, coll_receiver_stats_t *out);

coll_sender_t *coll_sender_new(void *zctx, const char *endpoint, ssf_err *err);
/* Queues one observation, sending the batch when it is full or old; sending blocks while the
 * receiver is at its high-water mark, so nothing is dropped in a local scan. SSF_EINVAL when
 * the observation cannot be encoded (counted by the caller as a drop). */
ssf_rc coll_sender_send(coll_sender_t *s, const coll_obs_t *obs);
/* Sends whatever is queued (call when idle). */
ssf_rc coll_sender_flush(coll_sender_t *s);
/* Flushes, then sends the goodbye. */
ssf_rc coll_sender_bye(coll_sender_t *s);
void coll_sender_free(coll_sender_t **s);

#endif
