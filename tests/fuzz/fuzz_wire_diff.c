/* fuzz_wire_diff.c - libFuzzer target: the wire codec against its reference (fuzz_wire_ref.h).
 *
 * Any bytes must get the same return code and the same observation from both decoders. Whatever
 * decodes is then re-encoded by both, into every capacity up to the message's length, and both
 * encoders must agree on the length and on every byte before the capacity. The input is also
 * read as a raw coll_obs_t (a probe's struct, not a message) and encoded by both, so the
 * encoders' refusals are compared on values no decoder would produce. */
#define _POSIX_C_SOURCE 200809L /* strnlen, in the reference */
#include <stdlib.h>

#include "fuzz_wire_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_encoding(const coll_obs_t *o)
{
    uint8_t a[COLL_WIRE_MAX], b[COLL_WIRE_MAX];
    size_t na = coll_wire_encode(o, a, sizeof a), nb = ref_wire_encode(o, b, sizeof b);
    if (na != nb || memcmp(a, b, na)) abort();
    for (size_t cap = na ? na - 1 : 0; cap && cap + 16 >= na; cap--) {
        memset(a, 0xa5, sizeof a);
        if (coll_wire_encode(o, a, cap) != 0) abort();
        for (size_t j = cap; j < sizeof a; j++)
            if (a[j] != 0xa5) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    coll_obs_t a, b;
    memset(&a, 0x5a, sizeof a);
    memset(&b, 0xc3, sizeof b);
    ssf_rc ra = coll_wire_decode(data, size, &a), rb = ref_wire_decode(data, size, &b);
    if (ra != rb || memcmp(&a, &b, sizeof a)) abort();
    if (coll_wire_record_len(data, size) != ref_wire_record_len(data, size)) abort();
    if (ra == SSF_OK) same_encoding(&a);

    /* Raw structs: strings may lack a NUL or hold any byte, flags and limits anything. */
    coll_obs_t raw;
    memset(&raw, 0, sizeof raw);
    memcpy(&raw, data, size < sizeof raw ? size : sizeof raw);
    raw.kind = (uint8_t)(raw.kind % 5);
    same_encoding(&raw);
    return 0;
}
