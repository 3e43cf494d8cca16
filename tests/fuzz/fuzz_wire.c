/* fuzz_wire.c - libFuzzer target for coll_wire_decode.
 *
 * The encoding is canonical, so anything that decodes must re-encode to the very same bytes and
 * decode again to the very same observation; a refusal must leave the output all zero. */
#include <stdlib.h>

#include "coll/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t zero[sizeof(coll_obs_t)];
    coll_obs_t a, b;
    uint8_t buf[COLL_WIRE_MAX];

    if (coll_wire_decode(data, size, &a) != SSF_OK) {
        if (memcmp(&a, zero, sizeof a)) abort();
        return 0;
    }
    size_t n = coll_wire_encode(&a, buf, sizeof buf);
    if (n != size || memcmp(buf, data, n)) abort();
    if (coll_wire_decode(buf, n, &b) != SSF_OK || memcmp(&a, &b, sizeof a)) abort();
    return 0;
}
