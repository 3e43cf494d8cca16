/* fuzz_decode.c - libFuzzer target for probe_decode() and the flow hash.
 *
 * The first byte picks a link type from the supported list; the rest is the frame, passed in
 * a buffer of exactly its size so ASan sees any over-read. Bit 7 of the first byte says
 * whether the frame was cut by snaplen, so both SNAPLEN and BADHDR paths run. */
#include <stddef.h>
#include <stdint.h>

#include "probe/decode.h"

static const int dlts[] = {
    PROBE_DLT_NULL, PROBE_DLT_EN10MB,    PROBE_DLT_RAW,  PROBE_DLT_RAW_BSD,    PROBE_DLT_LOOP,
    PROBE_DLT_IPV4, PROBE_DLT_LINUX_SLL, PROBE_DLT_IPV6, PROBE_DLT_LINUX_SLL2,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > UINT32_MAX / 2) return 0;
    int dlt = dlts[(data[0] & 0x7f) % SSF_ARRAY_LEN(dlts)];
    uint32_t caplen = (uint32_t)(size - 1);
    uint32_t wirelen = (data[0] & 0x80) ? caplen + 100 : caplen;
    const uint8_t *frame = data + 1;

    probe_pkt_t pkt;
    ssf_rc rc = probe_decode(dlt, frame, caplen, wirelen, 1, &pkt);
    if (rc != SSF_OK && rc != SSF_ETRUNC) __builtin_trap();
    if (rc == SSF_ETRUNC && !pkt.anom) __builtin_trap();
    /* Contract: views stay inside the capture. */
    if (pkt.payload && (pkt.payload < frame || pkt.payload + pkt.payload_len > frame + caplen))
        __builtin_trap();
    if (!pkt.payload && pkt.payload_len) __builtin_trap();
    if (pkt.l3 && (pkt.l3 < frame || pkt.l3 + pkt.l3_len > frame + caplen)) __builtin_trap();
    if (pkt.n_vlan > 2) __builtin_trap();

    /* Symmetry must hold for whatever the decoder produced. */
    uint32_t h = probe_decode_flow_hash(&pkt);
    probe_pkt_t rev = pkt;
    rev.src_ip = pkt.dst_ip;
    rev.dst_ip = pkt.src_ip;
    rev.sport = pkt.dport;
    rev.dport = pkt.sport;
    memcpy(rev.src_mac, pkt.dst_mac, 6);
    memcpy(rev.dst_mac, pkt.src_mac, 6);
    if (probe_decode_flow_hash(&rev) != h) __builtin_trap();
    return 0;
}
