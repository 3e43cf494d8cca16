/* probe/capture.h - frames from pcap/pcapng files (in the order given) or a live interface.
 *
 * A file that cannot be opened or is damaged part-way does not stop the run: its error is
 * recorded (with the byte offset where reading stopped) and the next file is opened. Link
 * types the decoder does not know are read through and counted per file, so the summary can
 * name them. One thread uses a capture; only probe_capture_stop() may be called from another
 * thread or a signal handler. */
#ifndef PROBE_CAPTURE_H
#define PROBE_CAPTURE_H

#include "ssf/common.h"

typedef struct probe_capture probe_capture_t;

typedef struct probe_capture_cfg {
    const char *const *files; /* pcap/pcapng paths, read in order; NULL when live       */
    size_t n_files;
    const char *iface; /* live interface name, or NULL                            */
    const char *bpf;   /* BPF filter for files and live, or NULL                  */
    int snaplen;       /* live only; 0 = 262144                                   */
    bool promisc;      /* live only                                               */
    double duration_s; /* live only; 0 = until stopped                            */
} probe_capture_cfg_t;

typedef struct probe_frame {
    const uint8_t *data; /* valid until the next probe_capture_next()               */
    uint32_t caplen;
    uint32_t wirelen;
    uint64_t ts_us;    /* µs since the epoch                                      */
    uint64_t frame_no; /* 1-based within its file (as Wireshark numbers them)     */
    int dlt;           /* libpcap DLT_* of the frame's file/interface             */
    uint16_t source;   /* index of the file (0 for live)                          */
} probe_frame_t;

typedef enum {
    PROBE_SRC_PENDING = 0,     /* not opened yet                                          */
    PROBE_SRC_OK,              /* read to the end                                         */
    PROBE_SRC_UNSUPPORTED_DLT, /* read to the end; its frames were counted, not decoded   */
    PROBE_SRC_FAILED,          /* could not be opened                                     */
    PROBE_SRC_DAMAGED,         /* opened, but reading stopped early at err_offset         */
} probe_src_status;

typedef struct probe_source_result {
    const char *path; /* as given (interface name when live)                     */
    probe_src_status status;
    int dlt;
    uint64_t frames;    /* frames read                                             */
    uint64_t bytes;     /* wire bytes of those frames                              */
    uint64_t file_size; /* bytes on disk (0 live)                                  */
    int64_t err_offset; /* file offset where reading stopped, -1 if unknown        */
    char msg[256];      /* what went wrong and what to do                         */
} probe_source_result_t;

/* Opens a live interface at once (so permission errors surface before any work); files are
 * opened lazily one after the other. NULL with *err on failure (live only: a file's failure
 * is a per-file result, never a constructor failure). */
probe_capture_t *probe_capture_new(const probe_capture_cfg_t *cfg, ssf_err *err);
void probe_capture_free(probe_capture_t **c);

/* 1 and *f filled with the next frame, 0 at the end of all input (or when stopped), -1 when a
 * live capture's read timeout (100 ms) passed with no frame: a chance to flush and tick. */
int probe_capture_next(probe_capture_t *c, probe_frame_t *f);

/* Safe from signal handlers and other threads. */
void probe_capture_stop(probe_capture_t *c);

/* Per-source results, in input order. */
size_t probe_capture_results(const probe_capture_t *c, const probe_source_result_t **out);

/* Progress for files: bytes consumed so far and total bytes of all files. */
void probe_capture_progress(const probe_capture_t *c, uint64_t *done, uint64_t *total);

#endif
