#include "probe/capture.h"

#include "probe/decode.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

struct probe_capture {
    probe_capture_cfg_t cfg;
    pcap_t *pc;                 /* open source, or NULL between files              */
    size_t cur;                 /* index of the open (or next) file                */
    probe_source_result_t *res; /* one per file, or one for the interface          */
    size_t n_res;
    uint64_t total_bytes; /* sum of file sizes                               */
    uint64_t done_bytes;  /* sizes of files finished                         */
    uint64_t start_ns;    /* live: when capture began                        */
    atomic_bool stop;
};

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static ssf_rc cap_apply_bpf(pcap_t *pc, const char *bpf, char *msg, size_t len)
{
    if (!bpf || !*bpf) return SSF_OK;
    struct bpf_program prog;
    if (pcap_compile(pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(msg, len, "bad BPF filter '%s': %s (see man pcap-filter)", bpf, pcap_geterr(pc));
        return SSF_EINVAL;
    }
    int rc = pcap_setfilter(pc, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        snprintf(msg, len, "cannot set BPF filter: %s", pcap_geterr(pc));
        return SSF_EINVAL;
    }
    return SSF_OK;
}

/* Explains libpcap's open errors in terms of what the user can do about them. */
static void cap_open_hint(const char *path, const char *why, char *msg, size_t len)
{
    const char *hint = "check that it is a pcap or pcapng capture";
    if (errno == ENOENT || strstr(why, "No such file"))
        hint = "check the path";
    else if (errno == EACCES || strstr(why, "Permission denied"))
        hint = "check the file's permissions";
    else if (strstr(why, "truncated dump file") || strstr(why, "only got 0"))
        hint = "the file is empty or cut short before its header ends";
    else if (strstr(why, "unknown file format"))
        hint = "its first 4 bytes are not a pcap or pcapng magic number";
    snprintf(msg, len, "%s: cannot open: %s (%s)", path, why, hint);
}

static bool cap_open_next_file(probe_capture_t *c)
{
    while (c->cur < c->cfg.n_files) {
        probe_source_result_t *r = &c->res[c->cur];
        char ebuf[PCAP_ERRBUF_SIZE] = "";
        errno = 0;
        c->pc = pcap_open_offline_with_tstamp_precision(r->path, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
        if (!c->pc) {
            r->status = PROBE_SRC_FAILED;
            cap_open_hint(r->path, ebuf, r->msg, sizeof r->msg);
        } else if (cap_apply_bpf(c->pc, c->cfg.bpf, r->msg, sizeof r->msg) != SSF_OK) {
            r->status = PROBE_SRC_FAILED;
            pcap_close(c->pc);
            c->pc = NULL;
        } else {
            r->dlt = pcap_datalink(c->pc);
            r->status =
                probe_decode_dlt_supported(r->dlt) ? PROBE_SRC_OK : PROBE_SRC_UNSUPPORTED_DLT;
            return true;
        }
        c->done_bytes += r->file_size;
        c->cur++;
    }
    return false;
}

static void cap_close_file(probe_capture_t *c, int rc)
{
    probe_source_result_t *r = &c->res[c->cur];
    if (rc == PCAP_ERROR) {
        FILE *fp = pcap_file(c->pc);
        r->err_offset = fp ? (int64_t)ftell(fp) : -1;
        r->status = PROBE_SRC_DAMAGED;
        const char *why = pcap_geterr(c->pc);
        /* libpcap reads one link type and snap length per pcapng file; a second interface
         * that differs is a limit of the reader, not damage to the file. */
        if (strstr(why, "interface has a"))
            snprintf(r->msg, sizeof r->msg,
                     "%s: libpcap cannot read past byte %lld (after %llu frames): %s (split the "
                     "file per interface, e.g. with editcap, and scan the parts)",
                     r->path, (long long)r->err_offset, (unsigned long long)r->frames, why);
        else
            snprintf(r->msg, sizeof r->msg,
                     "%s: damaged after %llu frames, near byte %lld: %s (the frames before it "
                     "were scanned; the rest of the file cannot be read)",
                     r->path, (unsigned long long)r->frames, (long long)r->err_offset, why);
    } else if (r->status == PROBE_SRC_UNSUPPORTED_DLT) {
        char name[32];
        snprintf(r->msg, sizeof r->msg,
                 "%s: link type %s is not decoded; %llu frames counted and skipped", r->path,
                 probe_decode_dlt_name(r->dlt, name, sizeof name), (unsigned long long)r->frames);
    }
    pcap_close(c->pc);
    c->pc = NULL;
    c->done_bytes += r->file_size;
    c->cur++;
}

static probe_capture_t *cap_new_files(probe_capture_t *c, ssf_err *err)
{
    c->n_res = c->cfg.n_files;
    if (!(c->res = calloc(c->n_res ? c->n_res : 1, sizeof *c->res))) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < c->n_res; i++) {
        c->res[i].path = c->cfg.files[i];
        c->res[i].err_offset = -1;
        c->res[i].file_size = file_size(c->cfg.files[i]);
        c->total_bytes += c->res[i].file_size;
    }
    return c;
}

static ssf_rc cap_activate_error(pcap_t *pc, int rc, const char *iface, ssf_err *err)
{
    const char *why = pcap_geterr(pc);
    switch (rc) {
    case PCAP_ERROR_PERM_DENIED:
        return ssf_err_set(err, SSF_EPERM, NULL, 0,
                           "cannot capture on %s: permission denied (run as root or grant "
                           "CAP_NET_RAW: setcap cap_net_raw,cap_net_admin=eip ssfscan)",
                           iface);
    case PCAP_ERROR_NO_SUCH_DEVICE:
        return ssf_err_set(err, SSF_EINVAL, NULL, 0,
                           "no interface named %s (list them with `ip link`)", iface);
    case PCAP_ERROR_IFACE_NOT_UP:
        return ssf_err_set(err, SSF_EINVAL, NULL, 0,
                           "interface %s is down (bring it up: ip link set %s up)", iface, iface);
    default:
        return ssf_err_set(err, SSF_EIO, NULL, 0, "cannot capture on %s: %s", iface, why);
    }
}

static probe_capture_t *cap_new_live(probe_capture_t *c, ssf_err *err)
{
    char ebuf[PCAP_ERRBUF_SIZE] = "";
    c->n_res = 1;
    if (!(c->res = calloc(1, sizeof *c->res))) goto out_nomem;
    c->res[0].path = c->cfg.iface;
    c->res[0].err_offset = -1;
    if (!(c->pc = pcap_create(c->cfg.iface, ebuf))) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot capture on %s: %s", c->cfg.iface, ebuf);
        goto out_free;
    }
    pcap_set_snaplen(c->pc, c->cfg.snaplen > 0 ? c->cfg.snaplen : 262144);
    pcap_set_promisc(c->pc, c->cfg.promisc);
    pcap_set_timeout(c->pc, 100);
    pcap_set_buffer_size(c->pc, 64 << 20);
    int rc = pcap_activate(c->pc);
    if (rc < 0) {
        cap_activate_error(c->pc, rc, c->cfg.iface, err);
        goto out_close;
    }
    if (cap_apply_bpf(c->pc, c->cfg.bpf, err->msg, sizeof err->msg) != SSF_OK) {
        err->rc = SSF_EINVAL;
        goto out_close;
    }
    if (pcap_setnonblock(c->pc, 1, ebuf) != 0) {
        ssf_err_set(err, SSF_EIO, NULL, 0, "cannot capture on %s: %s", c->cfg.iface, ebuf);
        goto out_close;
    }
    c->res[0].dlt = pcap_datalink(c->pc);
    c->res[0].status = PROBE_SRC_OK;
    c->start_ns = ssf_now_ns();
    return c;
out_close:
    pcap_close(c->pc);
out_free:
    free(c->res);
    free(c);
    return NULL;
out_nomem:
    ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
    free(c);
    return NULL;
}

probe_capture_t *probe_capture_new(const probe_capture_cfg_t *cfg, ssf_err *err)
{
    probe_capture_t *c = calloc(1, sizeof *c);
    if (!c) {
        ssf_err_set(err, SSF_ENOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    atomic_init(&c->stop, false);
    return cfg->iface ? cap_new_live(c, err) : cap_new_files(c, err);
}

void probe_capture_free(probe_capture_t **cp)
{
    if (!cp || !*cp) return;
    probe_capture_t *c = *cp;
    if (c->pc) pcap_close(c->pc);
    free(c->res);
    free(c);
    *cp = NULL;
}

static bool cap_live_expired(const probe_capture_t *c)
{
    return c->cfg.duration_s > 0 && (double)(ssf_now_ns() - c->start_ns) / 1e9 >= c->cfg.duration_s;
}

/* Waits up to 100 ms for the capture to become readable. libpcap's own read timeout does
 * not fire on Linux (TPACKET_V3) while no packet arrives at all, so the handle is
 * non-blocking and we poll its descriptor ourselves; a signal interrupts the wait. */
static void cap_wait_readable(probe_capture_t *c)
{
    int fd = pcap_get_selectable_fd(c->pc);
    if (fd < 0) return;
    struct pollfd p = {fd, POLLIN, 0};
    poll(&p, 1, 100);
}

static int cap_next_live(probe_capture_t *c, probe_frame_t *f)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    while (!atomic_load(&c->stop) && !cap_live_expired(c)) {
        int rc = pcap_next_ex(c->pc, &h, &data);
        if (rc == 0) {
            cap_wait_readable(c);
            return -1; /* nothing yet: the caller may flush; we check the clock */
        }
        if (rc < 0) {
            snprintf(c->res[0].msg, sizeof c->res[0].msg, "%s: capture stopped: %s", c->cfg.iface,
                     pcap_geterr(c->pc));
            if (rc == PCAP_ERROR) c->res[0].status = PROBE_SRC_DAMAGED;
            return 0;
        }
        *f = (probe_frame_t){data,
                             h->caplen,
                             h->len,
                             (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec,
                             ++c->res[0].frames,
                             c->res[0].dlt,
                             0};
        c->res[0].bytes += h->len;
        return 1;
    }
    return 0;
}

int probe_capture_next(probe_capture_t *c, probe_frame_t *f)
{
    if (c->cfg.iface) return cap_next_live(c, f);
    while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
        if (!c->pc && !cap_open_next_file(c)) return 0;
        struct pcap_pkthdr *h;
        const u_char *data;
        int rc = pcap_next_ex(c->pc, &h, &data);
        if (rc != 1) {
            cap_close_file(c, rc);
            continue;
        }
        probe_source_result_t *r = &c->res[c->cur];
        r->frames++;
        r->bytes += h->len;
        if (r->status == PROBE_SRC_UNSUPPORTED_DLT) continue;
        *f = (probe_frame_t){data,
                             h->caplen,
                             h->len,
                             (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec,
                             r->frames,
                             r->dlt,
                             (uint16_t)c->cur};
        return 1;
    }
    return 0;
}

void probe_capture_stop(probe_capture_t *c)
{
    atomic_store(&c->stop, true);
}

size_t probe_capture_results(const probe_capture_t *c, const probe_source_result_t **out)
{
    *out = c->res;
    return c->n_res;
}

void probe_capture_progress(const probe_capture_t *c, uint64_t *done, uint64_t *total)
{
    uint64_t in_file = 0;
    if (c->pc && !c->cfg.iface) {
        FILE *fp = pcap_file(c->pc);
        long pos = fp ? ftell(fp) : -1;
        in_file = pos > 0 ? (uint64_t)pos : 0;
    }
    *done = c->done_bytes + in_file;
    *total = c->total_bytes;
}
