#include "cli.h"

#include "probe/decode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static void *engine_main(void *arg)
{
    cli_engine_t *e = arg;
    pthread_setname_np(pthread_self(), "ssf-engine");
    struct timespec a, b;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    eng_site_ingest(e->site, e->rx, (uint64_t)e->senders, &e->abort);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    e->cpu_ns =
        (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u + (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec;
    return NULL;
}

ssf_rc cli_engine_start(cli_engine_t *e, const char *site, const sig_oui_t *oui,
                        const sig_set_t *sigs, int senders, ssf_err *err)
{
    memset(e, 0, sizeof *e);
    atomic_init(&e->abort, false);
    e->senders = senders;
    if (!(e->zctx = zmq_ctx_new()))
        return ssf_err_set(err, SSF_EIO, NULL, 0, "zmq_ctx_new: %s", zmq_strerror(errno));
    if (!(e->site = eng_site_new(site, oui, err))) return err->rc;
    eng_site_set_signatures(e->site, sigs);
    if (!(e->rx = coll_receiver_new(e->zctx, CLI_OBS_ENDPOINT, err))) return err->rc;
    if (pthread_create(&e->thread, NULL, engine_main, e) != 0)
        return ssf_err_set(err, SSF_ENOMEM, NULL, 0, "cannot start the engine thread");
    e->started = true;
    return SSF_OK;
}

void cli_engine_join(cli_engine_t *e, bool abort)
{
    if (abort) atomic_store(&e->abort, true);
    if (e->started) pthread_join(e->thread, NULL);
    e->started = false;
    if (e->site) eng_site_finalize(e->site);
}

void cli_engine_free(cli_engine_t *e)
{
    cli_engine_join(e, true);
    coll_receiver_free(&e->rx);
    eng_site_free(&e->site);
    if (e->zctx) zmq_ctx_term(e->zctx);
    e->zctx = NULL;
}

int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void cli_common_defaults(cli_common_t *c)
{
    c->jobs = cli_default_jobs();
    c->flow_memory = (size_t)256 << 20;
    c->idle_timeout_s = 120;
    c->lifetime_s = 86400;
    c->ieee_dir = SSF_IEEE_DIR;
}

void cli_pipeline_cfg(const cli_common_t *c, cli_engine_t *e, probe_pipeline_cfg_t *pc)
{
    memset(pc, 0, sizeof *pc);
    pc->n_workers = c->jobs;
    pc->flow_memory_total = c->flow_memory;
    pc->worker.idle_timeout_us = (uint64_t)(c->idle_timeout_s * 1e6);
    pc->worker.abs_timeout_us = (uint64_t)(c->lifetime_s * 1e6);
    pc->worker.report_every_us = (uint64_t)60 * 1000000u;
    pc->worker.zctx = e->zctx;
    pc->worker.endpoint = CLI_OBS_ENDPOINT;
}

bool cli_parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-') return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10, end++;
        break;
    case 'm':
    case 'M':
        shift = 20, end++;
        break;
    case 'g':
    case 'G':
        shift = 30, end++;
        break;
    default:
        break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v == 0 || v > (1ull << 40) >> shift) return false;
    *out = (size_t)(v << shift);
    return true;
}

bool cli_parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) return false;
    *out = v;
    return true;
}

bool cli_parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= min && v <= max)) return false;
    *out = v;
    return true;
}

int cli_timeout_opt(cli_common_t *c, const char *cmd, bool lifetime, const char *arg)
{
    const char *name = lifetime ? "--flow-lifetime" : "--idle-timeout";
    double *v = lifetime ? &c->lifetime_s : &c->idle_timeout_s;
    /* Capture timestamps span decades at most; 1e10 s keeps µs arithmetic in 64 bits. */
    if (!cli_parse_double(arg, 1, 1e10, v))
        return cli_usage_error(cmd, "%s wants seconds from 1 to 1e10, not '%s'", name, arg);
    return 0;
}

int cli_rules_opt(cli_common_t *c, const char *cmd, const char *dir)
{
    if (c->n_rules_dirs >= CLI_RULES_DIRS_MAX)
        return cli_usage_error(cmd, "--rules may be given at most %d times", CLI_RULES_DIRS_MAX);
    c->rules_dirs[c->n_rules_dirs++] = dir;
    return 0;
}

sig_oui_t *cli_load_oui(const char *dir)
{
    ssf_err err = {0};
    sig_oui_t *o = sig_oui_new(dir, &err);
    if (!o) fprintf(stderr, "ssfscan: warning: %s; MAC vendors will be missing\n", err.msg);
    return o;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ssfscan %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see ssfscan %s --help)\n", cmd);
    return CLI_EXIT_USAGE;
}

const char *cli_anom_name(int bit)
{
    static const char *const names[] = {
        "l2_truncated",    "vlan_truncated", "arp_truncated",   "ipv4_truncated",
        "ipv4_bad_header", "ipv6_truncated", "tcp_truncated",   "udp_truncated",
        "icmp_truncated",  "snaplen_cut",    "ipv6_ext_chain",  "tcp_bad_offset",
        "ipv6_bad_header", "udp_bad_length", "pppoe_truncated", "tunnel_nested",
    };
    return bit >= 0 && (size_t)bit < SSF_ARRAY_LEN(names) ? names[bit] : "other";
}
