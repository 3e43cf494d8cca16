/* ssfscan bench: replays a capture from memory through the whole pipeline and reports rates.
 *
 * The headline run is uninstrumented. A second, instrumented pass reads the time-stamp
 * counter around each stage to split the cost into decode, flow, nDPI and identity; that
 * pass is slower, so its per-stage figures are shares of its own total, not of the headline. */
#include "cli.h"

#include "probe/capture.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <x86intrin.h>

static const char bench_help[] =
    "Usage: ssfscan bench [OPTIONS] FILE\n"
    "\n"
    "Loads FILE (pcap or pcapng) into memory, then replays it through the full pipeline\n"
    "(decode, flows, nDPI, identity, observations to the engine over inproc ZeroMQ, engine\n"
    "merge) and reports packets, flows, Mpps, Gbps, ns per packet, the cost of each stage\n"
    "and peak memory. Each loop shifts timestamps a day past the idle timeout, so every\n"
    "loop starts its flows afresh, as new traffic would (no flow resumes a conversation\n"
    "of the loop before).\n"
    "\n"
    "  -l, --loops N        replay N times (default 1)\n"
    "  -j, --jobs N         worker threads (default 1; with 1 the reader does the work\n"
    "                       itself, with more it fans out over rings)\n"
    "      --flow-memory SZ flow table memory, e.g. 256M (default)\n"
    "      --idle-timeout S, --flow-lifetime S\n"
    "                       flow timeouts as for scan (defaults 120 and 86400 s); raise\n"
    "                       them to keep flows alive across gaps in a trace's timestamps\n"
    "      --no-stages      skip the instrumented per-stage pass\n"
    "      --inline-share F with -j 2 or more: a fixed split, the reader's own inline worker\n"
    "                       taking the fraction F (0..1) of the flow hash space, the same\n"
    "                       on every run (default: idle hash buckets go to the worker\n"
    "                       furthest below its share, and the reader's share grows while\n"
    "                       another worker's ring stays over half full; see 'split')\n"
    "      --rules DIR      also load DIR/*.rules (repeatable)\n"
    "      --no-rules       no signature rules: identity from raw evidence only (to measure\n"
    "                       what matching the rules costs)\n"
    "      --json           one JSON object on stdout instead of text\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 success; 1 the file could not be read; 2 usage error.\n"
    "Compare with ndpiReader and a bare libpcap loop: perf/compare.sh FILE\n";

typedef struct bench_trace {
    uint8_t *data;         /* all frames back to back                     */
    probe_frame_t *frames; /* data pointers into `data`                   */
    size_t n;
    uint64_t bytes;   /* wire bytes                                  */
    uint64_t span_us; /* last timestamp - first                      */
} bench_trace_t;

typedef struct bench_result {
    double secs;
    uint64_t reader_cpu_ns;
    probe_worker_stats_t st;
    uint64_t engine_cpu_ns;
    uint64_t devices;
    uint64_t reader_waits; /* pushes that found a worker's ring full (-j 2 and up) */
    probe_pipeline_split_t split;
} bench_result_t;

static void trace_free(bench_trace_t *t)
{
    free(t->data);
    free(t->frames);
    memset(t, 0, sizeof *t);
}

static bool trace_append(bench_trace_t *t, size_t *cap_f, size_t *cap_d, size_t *used,
                         const probe_frame_t *f)
{
    if (t->n == *cap_f) {
        size_t nc = *cap_f ? *cap_f * 2 : 65536;
        probe_frame_t *nf = realloc(t->frames, nc * sizeof *nf);
        if (!nf) return false;
        t->frames = nf, *cap_f = nc;
    }
    while (*used + f->caplen > *cap_d) {
        size_t nc = *cap_d ? *cap_d * 2 : (size_t)16 << 20;
        uint8_t *nd = realloc(t->data, nc);
        if (!nd) return false;
        t->data = nd, *cap_d = nc;
    }
    memcpy(t->data + *used, f->data, f->caplen);
    t->frames[t->n] = *f;
    t->frames[t->n].data = (const uint8_t *)(uintptr_t)*used; /* rebased after loading */
    *used += f->caplen;
    t->bytes += f->wirelen;
    t->n++;
    return true;
}

static int trace_load(const char *path, bench_trace_t *t)
{
    const char *files[1] = {path};
    probe_capture_cfg_t cc = {.files = files, .n_files = 1};
    ssf_err err = {0};
    probe_capture_t *cap = probe_capture_new(&cc, &err);
    size_t cap_f = 0, cap_d = 0, used = 0;
    probe_frame_t f;
    memset(t, 0, sizeof *t);
    while (cap && probe_capture_next(cap, &f) == 1)
        if (!trace_append(t, &cap_f, &cap_d, &used, &f)) break;
    const probe_source_result_t *r;
    probe_capture_results(cap, &r);
    int rc = CLI_EXIT_OK;
    if (r[0].status == PROBE_SRC_FAILED || r[0].status == PROBE_SRC_DAMAGED || t->n == 0) {
        fprintf(stderr, "ssfscan bench: %s\n",
                r[0].msg[0] ? r[0].msg : "no decodable frames in the file");
        rc = CLI_EXIT_INPUT;
    }
    probe_capture_free(&cap);
    for (size_t i = 0; i < t->n; i++)
        t->frames[i].data = t->data + (uintptr_t)t->frames[i].data;
    if (t->n) t->span_us = t->frames[t->n - 1].ts_us - t->frames[0].ts_us;
    return rc;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bench_once(const bench_trace_t *t, const cli_common_t *c, const sig_set_t *sigs,
                      long loops, bool timing, double share, bench_result_t *out)
{
    cli_engine_t eng;
    ssf_err err = {0};
    memset(out, 0, sizeof *out);
    if (cli_engine_start(&eng, "bench", NULL, sigs, c->jobs, &err) != SSF_OK) goto out_err;
    probe_pipeline_cfg_t pc;
    cli_pipeline_cfg(c, &eng, &pc);
    pc.worker.stage_timing = timing;
    pc.inline_share = share;
    pc.frames_stable = true; /* the trace stays loaded until after probe_pipeline_finish() */
    probe_pipeline_t *pl = probe_pipeline_new(&pc, &err);
    if (!pl) goto out_err;
    /* Shift each loop past the idle timeout and the resume horizon, so its flows are new
     * conversations, classified afresh: the worst case, and what the figures have meant. */
    uint64_t shift = t->span_us + probe_worker_forget_us(&pc.worker) + 1000000u;
    uint64_t t0 = ssf_now_ns(), c0 = thread_cpu_ns();
    for (long l = 0; l < loops; l++)
        for (size_t i = 0; i < t->n; i++) {
            probe_frame_t f = t->frames[i];
            f.ts_us += (uint64_t)l * shift;
            probe_pipeline_push(pl, &f);
        }
    probe_pipeline_finish(pl);
    out->reader_cpu_ns = thread_cpu_ns() - c0;
    cli_engine_join(&eng, false);
    out->secs = (double)(ssf_now_ns() - t0) / 1e9;
    probe_pipeline_stats(pl, &out->st);
    out->reader_waits = probe_pipeline_reader_waits(pl);
    probe_pipeline_split(pl, &out->split);
    out->engine_cpu_ns = eng.cpu_ns;
    eng_site_stats_t es;
    eng_site_stats(eng.site, &es);
    out->devices = es.devices;
    probe_pipeline_free(&pl);
    cli_engine_free(&eng);
    return CLI_EXIT_OK;
out_err:
    fprintf(stderr, "ssfscan bench: %s\n", err.msg);
    cli_engine_free(&eng);
    return CLI_EXIT_INPUT;
}

/* Nanoseconds per TSC cycle, measured against the monotonic clock. */
static double tsc_ns_per_cycle(void)
{
    uint64_t n0 = ssf_now_ns(), c0 = __rdtsc();
    while (ssf_now_ns() - n0 < 20000000u) {
    }
    return (double)(ssf_now_ns() - n0) / (double)(__rdtsc() - c0);
}

typedef struct bench_opts {
    cli_common_t common;
    long loops;
    bool json, stages, no_rules;
    double inline_share;
    const char *file;
} bench_opts_t;

static int bench_parse(bench_opts_t *o, int argc, char **argv)
{
    static const struct option lo[] = {{"loops", required_argument, NULL, 'l'},
                                       {"jobs", required_argument, NULL, 'j'},
                                       {"flow-memory", required_argument, NULL, 'm'},
                                       {"no-stages", no_argument, NULL, 's'},
                                       {"idle-timeout", required_argument, NULL, 'I'},
                                       {"flow-lifetime", required_argument, NULL, 'L'},
                                       {"json", no_argument, NULL, 'J'},
                                       {"rules", required_argument, NULL, 'R'},
                                       {"no-rules", no_argument, NULL, 'N'},
                                       {"inline-share", required_argument, NULL, 'S'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    cli_common_defaults(&o->common);
    o->common.jobs = 1;
    o->loops = 1;
    o->stages = true;
    optind = 1;
    opterr = 0;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "l:j:h", lo, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (!cli_parse_int(optarg, 1, 1000000, &o->loops))
                return cli_usage_error("bench", "--loops wants 1..1000000, not '%s'", optarg);
            break;
        case 'j':
            if (!cli_parse_int(optarg, 1, 64, &v))
                return cli_usage_error("bench", "-j wants 1..64, not '%s'", optarg);
            o->common.jobs = (int)v;
            break;
        case 'm':
            if (!cli_parse_size(optarg, &o->common.flow_memory) ||
                o->common.flow_memory < (1u << 20))
                return cli_usage_error(
                    "bench", "--flow-memory wants a size of at least 1M, not '%s'", optarg);
            break;
        case 'I':
        case 'L':
            if ((v = cli_timeout_opt(&o->common, "bench", c == 'L', optarg))) return (int)v;
            break;
        case 's':
            o->stages = false;
            break;
        case 'J':
            o->json = true;
            break;
        case 'R':
            if ((v = cli_rules_opt(&o->common, "bench", optarg))) return (int)v;
            break;
        case 'N':
            o->no_rules = true;
            break;
        case 'S': {
            char *end;
            o->inline_share = strtod(optarg, &end);
            if (*end || !(o->inline_share > 0 && o->inline_share < 1))
                return cli_usage_error(
                    "bench", "--inline-share wants a fraction in (0, 1), not '%s'", optarg);
            break;
        }
        case 'h':
            fputs(bench_help, stdout);
            return -1;
        default:
            return cli_usage_error("bench", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        }
    }
    if (argc - optind != 1) return cli_usage_error("bench", "give exactly one capture file");
    o->file = argv[optind];
    return 0;
}

static const char *const stage_names[PROBE_STAGE_N] = {"decode", "flow", "ndpi", "identity"};

static void cpu_model(char *buf, size_t len)
{
    snprintf(buf, len, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) || !colon) continue;
        snprintf(buf, len, "%s", colon + 2);
        buf[strcspn(buf, "\n")] = 0;
        break;
    }
    if (f) fclose(f);
}

static void bench_print(const bench_opts_t *o, const bench_trace_t *t, const bench_result_t *r,
                        const bench_result_t *staged, double ns_cycle)
{
    uint64_t pkts = r->st.packets, bytes = t->bytes * (uint64_t)o->loops;
    double mpps = (double)pkts / r->secs / 1e6, gbps = (double)bytes * 8 / r->secs / 1e9;
    double ns = r->secs * 1e9 / (double)pkts;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    double stage_ns[PROBE_STAGE_N] = {0};
    for (int s = 0; staged && s < PROBE_STAGE_N; s++)
        stage_ns[s] = (double)staged->st.stage_cycles[s] * ns_cycle / (double)staged->st.packets;
    double engine_ns = (double)r->engine_cpu_ns / (double)pkts;
    /* Fractions of the run: the reader on full rings, the threaded workers on empty ones. */
    double reader_waiting = (double)r->split.reader_wait_ns / 1e9 / r->secs;
    double workers_idle =
        o->common.jobs > 1 ? (double)r->split.idle_ns / 1e9 / r->secs / (o->common.jobs - 1) : 0;
    if (o->json) {
        printf("{\"file\":\"%s\",\"threads\":%d,\"loops\":%ld,\"packets\":%llu,\"bytes\":%llu,"
               "\"flows\":%llu,\"flows_classified\":%llu,\"flows_resumed\":%llu,"
               "\"devices\":%llu,\"seconds\":%.6f,\"mpps\":%.4f,\"gbps\":%.4f,"
               "\"ns_per_pkt\":%.1f,\"stages_ns_per_pkt\":{",
               o->file, o->common.jobs, o->loops, (unsigned long long)pkts,
               (unsigned long long)bytes, (unsigned long long)r->st.flows_created,
               (unsigned long long)r->st.dpi_detected, (unsigned long long)r->st.flows_resumed,
               (unsigned long long)r->devices, r->secs, mpps, gbps, ns);
        for (int s = 0; s < PROBE_STAGE_N; s++)
            printf("%s\"%s\":%.1f", s ? "," : "", stage_names[s], stage_ns[s]);
        printf(",\"engine_cpu\":%.1f},\"cpu_ns_per_pkt\":{\"reader\":%.1f,\"workers\":%.1f,"
               "\"engine\":%.1f},",
               engine_ns, (double)r->reader_cpu_ns / (double)pkts,
               (double)r->st.thread_cpu_ns / (double)pkts, engine_ns);
        printf("\"reader_waits\":%llu,\"split\":{\"worker0_frames\":%.4f,\"target_start\":%.2f,"
               "\"target_end\":%.2f,\"target_peak\":%.2f,"
               "\"reader_waiting\":%.4f,\"workers_idle\":%.4f},\"ndpi_allocs_per_pkt\":%.3f,"
               "\"peak_rss_mb\":%.1f,\"cpu\":\"%s\"}\n",
               (unsigned long long)r->reader_waits, r->split.taken, r->split.start, r->split.end,
               r->split.peak, reader_waiting, workers_idle, (double)r->st.dpi_allocs / (double)pkts,
               (double)ru.ru_maxrss / 1024, cpu);
        return;
    }
    printf("file        %s (%zu frames, %.1f MB in memory)\n", o->file, t->n,
           (double)t->bytes / 1e6);
    printf("machine     %s, %d worker thread%s, %ld loop%s\n", cpu, o->common.jobs,
           o->common.jobs == 1 ? "" : "s", o->loops, o->loops == 1 ? "" : "s");
    printf("packets     %llu\nflows       %llu (%llu classified by nDPI, %llu given up, %llu "
           "resumed after an idle gap)\ndevices     %llu\n",
           (unsigned long long)pkts, (unsigned long long)r->st.flows_created,
           (unsigned long long)r->st.dpi_detected, (unsigned long long)r->st.dpi_giveup,
           (unsigned long long)r->st.flows_resumed, (unsigned long long)r->devices);
    printf("time        %.3f s\nrate        %.3f Mpps, %.3f Gbps, %.1f ns/packet\n", r->secs, mpps,
           gbps, ns);
    if (staged) {
        printf("stages      (instrumented pass, ns/packet)");
        for (int s = 0; s < PROBE_STAGE_N; s++)
            printf(" %s %.1f", stage_names[s], stage_ns[s]);
        printf("\n");
    }
    printf("cpu         %.1f ns/packet reader%s, %.1f workers, %.1f engine (thread CPU time)\n",
           (double)r->reader_cpu_ns / (double)pkts, o->common.jobs == 1 ? " (= the worker)" : "",
           (double)r->st.thread_cpu_ns / (double)pkts, engine_ns);
    if (o->common.jobs > 1) {
        printf("waits       the reader found a worker's ring full %llu times\n",
               (unsigned long long)r->reader_waits);
        printf("split       worker 0 (in the reader) took %.1f%% of the frames; its target "
               "%.2f -> %.2f (peak %.2f)\n",
               100 * r->split.taken, r->split.start, r->split.end, r->split.peak);
        printf("idle        the reader waited on full rings %.1f%% of the run; the other "
               "workers waited for frames %.1f%%\n",
               100 * reader_waiting, 100 * workers_idle);
    }
    printf("observations %.4f per packet to the engine (%.4f evidence, %.4f repeats dropped)\n",
           (double)r->st.obs_sent / (double)pkts, (double)r->st.evidence / (double)pkts,
           (double)r->st.evidence_dedup / (double)pkts);
    printf("nDPI allocs %.3f per packet (inside nDPI; ssfscan's packet path allocates none)\n",
           (double)r->st.dpi_allocs / (double)pkts);
    printf("peak memory %.1f MB RSS\n", (double)ru.ru_maxrss / 1024);
}

int cli_bench(int argc, char **argv)
{
    bench_opts_t o;
    int rc = bench_parse(&o, argc, argv);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    sig_set_t *sigs = NULL;
    if (!o.no_rules &&
        (rc = cli_sigs_load(o.common.rules_dirs, o.common.n_rules_dirs, &sigs)) != CLI_EXIT_OK)
        return rc;
    bench_trace_t t;
    if ((rc = trace_load(o.file, &t)) != CLI_EXIT_OK) goto out;
    bench_result_t r, staged;
    rc = bench_once(&t, &o.common, sigs, o.loops, false, o.inline_share, &r);
    if (rc == CLI_EXIT_OK && o.stages)
        rc = bench_once(&t, &o.common, sigs, 1, true, o.inline_share, &staged);
    if (rc == CLI_EXIT_OK) bench_print(&o, &t, &r, o.stages ? &staged : NULL, tsc_ns_per_cycle());
out:
    trace_free(&t);
    sig_set_free(&sigs);
    return rc;
}
