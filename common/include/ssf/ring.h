/* ssf/ring.h - a bounded single-producer/single-consumer ring of variable-length records.
 *
 * The reader thread copies each captured frame into a worker's ring; the worker consumes the
 * records in order. Records never wrap: when the tail of the buffer is too short the producer
 * leaves a skip marker and continues at the start. Each side caches the other side's index
 * and reloads it only when it seems to have caught up, so in steady state a record costs no
 * cache-line transfer beyond its own bytes.
 *
 * Thread-safety: exactly one producer thread and one consumer thread. */
#ifndef SSF_RING_H
#define SSF_RING_H

#include "ssf/common.h"

typedef struct ssf_ring ssf_ring_t;

/* cap_bytes is rounded up to a power of two (>= 4096). NULL on allocation failure. */
ssf_ring_t *ssf_ring_new(size_t cap_bytes);
void ssf_ring_free(ssf_ring_t **r);

/* Producer: returns space for a record of len bytes (8-byte aligned), or NULL when the ring is
 * full right now. The record becomes visible to the consumer at the next ssf_ring_publish(). */
void *ssf_ring_reserve(ssf_ring_t *r, size_t len);
void ssf_ring_commit(ssf_ring_t *r);
/* Makes every committed record visible. Producers publish once per burst, not per record. */
void ssf_ring_publish(ssf_ring_t *r);
/* No more records will come; the consumer sees end of stream once it has drained the ring. */
void ssf_ring_close(ssf_ring_t *r);

/* Producer: bytes committed that the consumer has not yet handed back (as of its last
 * ssf_ring_release_publish), and the ring's size in bytes. How far behind the consumer is. */
size_t ssf_ring_backlog(ssf_ring_t *r);
size_t ssf_ring_capacity(const ssf_ring_t *r);

/* Consumer: the next record and its length, or NULL when none is visible. When NULL,
 * *closed tells whether the producer has closed the ring (and nothing is left). */
const void *ssf_ring_peek(ssf_ring_t *r, size_t *len, bool *closed);
/* Drops the record returned by the last peek. Space is handed back at ssf_ring_release_publish,
 * once per burst. */
void ssf_ring_release(ssf_ring_t *r);
void ssf_ring_release_publish(ssf_ring_t *r);

/* Waits politely: spins briefly, then yields, then sleeps. `spins` counts consecutive waits
 * and is reset by the caller after progress. Used by both sides when the ring is full/empty,
 * because on a 2-core machine the reader and two workers must share cores. */
void ssf_ring_backoff(unsigned *spins);

#endif
