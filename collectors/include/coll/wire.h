/* coll/wire.h - the versioned binary encoding of observations.
 *
 * Messages arrive from probes over the network, so decoding treats every byte as hostile:
 * any length, kind, or string that does not check out is refused with SSF_EINVAL and nothing
 * in *out may be trusted. Encoding and decoding are pure functions: thread-safe, no
 * allocation. The format is documented in collectors/WIRE.md. */
#ifndef COLL_WIRE_H
#define COLL_WIRE_H

#include "coll/obs.h"

#define COLL_WIRE_VERSION    3
#define COLL_WIRE_VERSION_AT 4    /* the version byte's offset in a record's header */
#define COLL_WIRE_MAX        1024 /* no encoded observation is larger than this */

/* Encodes *obs into buf. Returns the number of bytes written (> 0), or 0 when cap is too small
 * or *obs holds something the decoder would refuse (unknown kind, bad string, vlan > 4095 ...);
 * callers count that as a drop. */
size_t coll_wire_encode(const coll_obs_t *obs, uint8_t *buf, size_t cap);

/* Decodes one message of exactly n bytes. SSF_OK and *out filled, or SSF_EINVAL (bad magic,
 * version, kind, length, or an unterminated/non-printable string), SSF_ETRUNC (too short). */
ssf_rc coll_wire_decode(const uint8_t *buf, size_t n, coll_obs_t *out);

/* Observations travel in batches: one transport message holds one or more encoded records
 * back to back, each self-delimiting through its header's body length. Returns the length of
 * the record at the start of buf (header + body), or 0 when fewer than a header's bytes are
 * there or the header's magic is wrong; the record itself is validated by coll_wire_decode(). */
size_t coll_wire_record_len(const uint8_t *buf, size_t n);

#endif
