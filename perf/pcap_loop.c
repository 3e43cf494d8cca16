/* pcap_loop - the cost floor: read a capture with libpcap and do nothing else. Any analyser
 * reading through libpcap can at best match this, so ssfscan's throughput is quoted against it.
 *
 * Usage: pcap_loop FILE [--loops N]
 * Prints one line: packets=... bytes=... seconds=... mpps=... gbps=... loops=...
 * bytes are wire lengths (pcap's len, no preamble or CRC); seconds cover every open and read. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    uint64_t packets; /* packets read, all loops                 */
    uint64_t bytes;   /* sum of wire lengths (pcap_pkthdr.len)     */
    uint8_t sink;     /* XOR of every first byte: forces the reads */
} loop_totals;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One pass over the file. Returns 0, or -1 after printing why. */
static int read_once(const char *path, loop_totals *t)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;
    pcap_t *p = pcap_open_offline(path, errbuf);
    if (!p) {
        fprintf(stderr, "pcap_loop: %s\n", errbuf);
        return -1;
    }
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        t->packets++;
        t->bytes += h->len;
        if (h->caplen) t->sink ^= data[0];
    }
    if (rc == PCAP_ERROR) fprintf(stderr, "pcap_loop: %s: %s\n", path, pcap_geterr(p));
    pcap_close(p);
    return rc == PCAP_ERROR ? -1 : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: pcap_loop FILE [--loops N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    long loops = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--loops") == 0 && i + 1 < argc) {
            char *end;
            loops = strtol(argv[++i], &end, 10);
            if (*end || loops < 1) return usage();
        } else if (!path && argv[i][0] != '-') {
            path = argv[i];
        } else {
            return usage();
        }
    }
    if (!path) return usage();

    loop_totals t = {0};
    double t0 = now_s();
    for (long i = 0; i < loops; i++)
        if (read_once(path, &t) != 0) return 1;
    double s = now_s() - t0;
    /* volatile store: the compiler must compute every first byte */
    volatile uint8_t keep = t.sink;
    (void)keep;
    printf("packets=%llu bytes=%llu seconds=%.6f mpps=%.3f gbps=%.3f loops=%ld\n",
           (unsigned long long)t.packets, (unsigned long long)t.bytes, s,
           s > 0 ? (double)t.packets / s / 1e6 : 0.0, s > 0 ? (double)t.bytes * 8 / s / 1e9 : 0.0,
           loops);
    return 0;
}
