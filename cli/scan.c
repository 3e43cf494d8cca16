/* ssfscan scan: capture -> probes -> (inproc ZeroMQ) -> engine -> inventory. */
#include "cli.h"

#include "eng/advisories.h"
#include "eng/risk.h"
#include "probe/capture.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_MIN_BYTES (16ull << 20) /* smaller inputs finish before a bar helps */

static const char scan_help[] =
    "Usage: ssfscan scan [OPTIONS] FILE...\n"
    "       ssfscan scan [OPTIONS] -i IFACE [--duration S]\n"
    "\n"
    "Passively inventories the devices in pcap/pcapng captures (read in the order given) or\n"
    "on a live interface. Nothing is ever sent. Prints a table of devices (IP, MAC, MAC\n"
    "identity with confidence, device type, services, nDPI risks) and writes DIR/inventory.json,\n"
    "and the posture outputs: DIR/risk.json (docs/risk-schema.md), DIR/findings.ndjson and\n"
    "DIR/report.html (the risk map; render it again with ssfscan report DIR/risk.json).\n"
    "\n"
    "Input:\n"
    "  FILE...              pcap or pcapng files; link types Ethernet, Linux SLL/SLL2,\n"
    "                       raw IPv4/IPv6 and BSD null/loop (others are counted and named)\n"
    "  -i, --interface IF   capture live from IF (needs root or CAP_NET_RAW)\n"
    "      --duration S     stop a live capture after S seconds (default: until Ctrl-C)\n"
    "  -f, --filter BPF     only packets matching this BPF filter (man pcap-filter)\n"
    "      --snaplen N      live capture snap length (default 262144)\n"
    "      --no-promisc     do not put the interface in promiscuous mode\n"
    "\n"
    "Processing:\n"
    "  -j, --jobs N         worker threads (default: number of cores)\n"
    "      --flow-memory SZ memory for flow tables, all workers together, e.g. 256M (default)\n"
    "      --idle-timeout S end a flow after S seconds without packets (default 120); if it\n"
    "                       then carries on without a TCP SYN, the new flow keeps its\n"
    "                       application instead of being classified again\n"
    "      --flow-lifetime S end a flow S seconds after it began, even if busy (default\n"
    "                       86400); long flows report their counters every 60 s anyway\n"
    "      --ieee-dir DIR   IEEE MAC registry (default " SSF_IEEE_DIR ", from ieee-data)\n"
    "      --rules DIR      also load the signature rules in DIR/*.rules (repeatable; the\n"
    "                       built-in rules always load; check them: ssfscan sigs check DIR)\n"
    "      --policy FILE    site policy: zones and IoT-SSF placement overrides (format in\n"
    "                       docs/iotssf.md); a bad file stops the scan with FILE:LINE lines\n"
    "      --advisories DIR read the CSAF 2.0 advisories in DIR/**/*.json and report the\n"
    "                       devices whose vendor, model and firmware they list as affected\n"
    "                       (known_vulnerable_firmware; docs/advisories.md); bad files are\n"
    "                       named on stderr and skipped\n"
    "\n"
    "Output:\n"
    "      --site NAME      site name recorded in the inventory (default \"default\")\n"
    "  -o, --out DIR        write the output files in DIR (default ./ssfscan-out)\n"
    "      --no-report      write DIR/inventory.json only: no risk.json, findings.ndjson or\n"
    "                       report.html\n"
    "      --json           stream NDJSON to stdout (one device per line, then a summary)\n"
    "                       instead of the table\n"
    "      --explain IP|MAC print why: each identity field's candidates, with the rules and\n"
    "                       evidence (input, frame) behind them, then every evidence item\n"
    "      --no-progress    never draw the progress bar (drawn on a terminal for inputs\n"
    "                       over 16 MB)\n"
    "  -q, --quiet          no summary on stderr\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 success; 1 some inputs could not be read (each is named, with the reason)\n"
    "or the output could not be written; 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  ssfscan scan plant.pcap\n"
    "  ssfscan scan -j 2 --site plant-a --out /var/lib/ssfscan day1.pcapng day2.pcapng\n"
    "  sudo ssfscan scan -i eth1 --duration 600 -f 'not port 22'\n"
    "  ssfscan scan --explain 192.168.10.20 plant.pcap\n";

typedef struct scan_opts {
    cli_common_t common;
    probe_capture_cfg_t cap;
    const char *site;
    const char *out_dir;
    const char *explain;
    const char *policy;     /* --policy FILE                                         */
    const char *advisories; /* --advisories DIR                                  */
    bool json, quiet, progress;
    bool no_report; /* --no-report: inventory.json only                         */
} scan_opts_t;

static probe_capture_t *volatile g_cap; /* for the signal handler only */

static void scan_on_signal(int sig)
{
    (void)sig;
    if (g_cap) probe_capture_stop(g_cap);
}

enum {
    OPT_DURATION = 256,
    OPT_SNAPLEN,
    OPT_NOPROMISC,
    OPT_FLOWMEM,
    OPT_IDLE,
    OPT_LIFE,
    OPT_IEEE,
    OPT_SITE,
    OPT_JSON,
    OPT_EXPLAIN,
    OPT_NOPROGRESS,
    OPT_RULES,
    OPT_POLICY,
    OPT_NOREPORT,
    OPT_ADVISORIES
};

static const struct option scan_longopts[] = {
    {"interface", required_argument, NULL, 'i'},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"filter", required_argument, NULL, 'f'},
    {"snaplen", required_argument, NULL, OPT_SNAPLEN},
    {"no-promisc", no_argument, NULL, OPT_NOPROMISC},
    {"jobs", required_argument, NULL, 'j'},
    {"flow-memory", required_argument, NULL, OPT_FLOWMEM},
    {"idle-timeout", required_argument, NULL, OPT_IDLE},
    {"flow-lifetime", required_argument, NULL, OPT_LIFE},
    {"ieee-dir", required_argument, NULL, OPT_IEEE},
    {"rules", required_argument, NULL, OPT_RULES},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"advisories", required_argument, NULL, OPT_ADVISORIES},
    {"site", required_argument, NULL, OPT_SITE},
    {"out", required_argument, NULL, 'o'},
    {"json", no_argument, NULL, OPT_JSON},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"no-progress", no_argument, NULL, OPT_NOPROGRESS},
    {"no-report", no_argument, NULL, OPT_NOREPORT},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int scan_opt(scan_opts_t *o, int c, const char *arg)
{
    long v;
    switch (c) {
    case 'i':
        o->cap.iface = arg;
        break;
    case 'f':
        o->cap.bpf = arg;
        break;
    case 'o':
        o->out_dir = arg;
        break;
    case 'q':
        o->quiet = true;
        break;
    case OPT_NOPROMISC:
        o->cap.promisc = false;
        break;
    case OPT_IEEE:
        o->common.ieee_dir = arg;
        break;
    case OPT_RULES:
        return cli_rules_opt(&o->common, "scan", arg);
    /* @advisories-opt */
    case OPT_ADVISORIES:
        o->advisories = arg;
        break;
    case OPT_POLICY:
        o->policy = arg;
        break;
    case OPT_SITE:
        o->site = arg;
        break;
    case OPT_JSON:
        o->json = true;
        break;
    case OPT_EXPLAIN:
        o->explain = arg;
        break;
    case OPT_NOREPORT:
        o->no_report = true;
        break;
    case OPT_NOPROGRESS:
        o->progress = false;
        break;
    case 'j':
        if (!cli_parse_int(arg, 1, 64, &v))
            return cli_usage_error("scan", "-j wants 1..64, not '%s'", arg);
        o->common.jobs = (int)v;
        break;
    case OPT_SNAPLEN:
        if (!cli_parse_int(arg, 64, 262144, &v))
            return cli_usage_error("scan", "--snaplen wants 64..262144, not '%s'", arg);
        o->cap.snaplen = (int)v;
        break;
    case OPT_DURATION:
        if (!cli_parse_double(arg, 0.001, 1e9, &o->cap.duration_s))
            return cli_usage_error("scan", "--duration wants seconds > 0, not '%s'", arg);
        break;
    case OPT_IDLE:
    case OPT_LIFE:
        return cli_timeout_opt(&o->common, "scan", c == OPT_LIFE, arg);
    case OPT_FLOWMEM:
        if (!cli_parse_size(arg, &o->common.flow_memory) || o->common.flow_memory < (1u << 20))
            return cli_usage_error(
                "scan", "--flow-memory wants a size of at least 1M, like 256M, not '%s'", arg);
        break;
    case 'h':
        fputs(scan_help, stdout);
        return -1;
    default:
        return cli_usage_error("scan", "unknown option");
    }
    return 0;
}

static int scan_parse(scan_opts_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    cli_common_defaults(&o->common);
    o->cap.promisc = true;
    o->progress = true;
    o->out_dir = "ssfscan-out";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "i:f:j:o:qh", scan_longopts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return cli_usage_error("scan", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        int rc = scan_opt(o, c, optarg);
        if (rc) return rc;
    }
    o->cap.files = (const char *const *)argv + optind;
    o->cap.n_files = (size_t)(argc - optind);
    if (!o->cap.iface && o->cap.n_files == 0)
        return cli_usage_error("scan", "give capture files to read, or -i IFACE to capture live");
    if (o->cap.iface && o->cap.n_files)
        return cli_usage_error("scan", "give either files or -i IFACE, not both");
    if (o->cap.duration_s > 0 && !o->cap.iface)
        return cli_usage_error("scan", "--duration only applies to live capture (-i)");
    return 0;
}

static int term_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 80)
        return ws.ws_col;
    return 200;
}

static void draw_progress(const probe_capture_t *cap, uint64_t frames, uint64_t start_ns)
{
    uint64_t done, total;
    probe_capture_progress(cap, &done, &total);
    double secs = (double)(ssf_now_ns() - start_ns) / 1e9;
    double pct = total ? 100.0 * (double)done / (double)total : 0;
    int bars = (int)(pct / 4);
    fprintf(stderr, "\r[%-25.*s] %5.1f%%  %llu/%llu MB  %.2f Mpps ", bars,
            "#########################", pct, (unsigned long long)(done >> 20),
            (unsigned long long)(total >> 20), secs > 0 ? (double)frames / secs / 1e6 : 0.0);
}

/* The reader loop: every frame to the pipeline, with a progress bar when it helps. */
static uint64_t scan_read(probe_capture_t *cap, probe_pipeline_t *pl, bool progress)
{
    probe_frame_t f;
    uint64_t frames = 0, start = ssf_now_ns(), last_draw = start;
    uint64_t done, total;
    probe_capture_progress(cap, &done, &total);
    progress = progress && isatty(STDERR_FILENO) && total >= PROGRESS_MIN_BYTES;
    int rc;
    while ((rc = probe_capture_next(cap, &f)) != 0) {
        if (rc < 0) {
            probe_pipeline_idle(pl);
            continue;
        }
        probe_pipeline_push(pl, &f);
        if (progress && (++frames & 0xffff) == 0 && ssf_now_ns() - last_draw > 200000000u) {
            draw_progress(cap, frames, start);
            last_draw = ssf_now_ns();
        }
    }
    if (progress) fputs("\r\033[K", stderr);
    return frames;
}

/* Names each input that failed, and link types that were only counted. Returns how many
 * inputs could not be (fully) read. */
static int scan_report_sources(const probe_capture_t *cap, bool quiet)
{
    const probe_source_result_t *r;
    size_t n = probe_capture_results(cap, &r);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        switch (r[i].status) {
        case PROBE_SRC_FAILED:
        case PROBE_SRC_DAMAGED:
            fprintf(stderr, "ssfscan: error: %s\n", r[i].msg);
            failed++;
            break;
        case PROBE_SRC_UNSUPPORTED_DLT:
            if (!quiet) fprintf(stderr, "ssfscan: note: %s\n", r[i].msg);
            break;
        default:
            if (r[i].msg[0]) fprintf(stderr, "ssfscan: note: %s\n", r[i].msg);
            break;
        }
    }
    return failed;
}

static void scan_summary(const probe_worker_stats_t *st, const eng_site_t *site, size_t n_inputs,
                         int failed, double secs)
{
    eng_site_stats_t es;
    eng_site_stats(site, &es);
    /* Resumed flows are named only when there are some: most captures have none. */
    char resumed[64] = "";
    if (st->flows_resumed)
        snprintf(resumed, sizeof resumed, " (%llu resumed after an idle gap)",
                 (unsigned long long)st->flows_resumed);
    fprintf(stderr,
            "ssfscan: %llu packets from %zu input%s (%d unreadable), %llu flows%s, %llu devices, "
            "%llu evidence items in %.2f s\n",
            (unsigned long long)st->packets, n_inputs, n_inputs == 1 ? "" : "s", failed,
            (unsigned long long)st->flows_created, resumed, (unsigned long long)es.devices,
            (unsigned long long)es.evidence, secs);
    uint64_t anom = 0;
    for (int b = 0; b < 32; b++)
        anom += st->anomalies[b];
    if (!anom && !st->truncated && !st->frag_later && !st->flows_evicted) return;
    fprintf(stderr,
            "ssfscan: counted: %llu frames too short for their link header, "
            "%llu later IP fragments skipped, %llu flows evicted (flow memory full)",
            (unsigned long long)st->truncated, (unsigned long long)st->frag_later,
            (unsigned long long)st->flows_evicted);
    for (int b = 0; b < 32; b++)
        if (st->anomalies[b])
            fprintf(stderr, ", %s=%llu", cli_anom_name(b), (unsigned long long)st->anomalies[b]);
    fputc('\n', stderr);
}

static int mkdir_p(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

typedef ssf_rc (*scan_writer)(const eng_site_t *s, FILE *f, const eng_report_meta_t *meta);

/* Writes DIR/NAME through a temporary file, so readers never see half of it. */
static int scan_write_file(const scan_opts_t *o, const char *name, scan_writer write,
                           const eng_site_t *site, const eng_report_meta_t *meta)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", o->out_dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr,
                "ssfscan: error: cannot write %s: %s (choose another directory with --out)\n", tmp,
                strerror(errno));
        return CLI_EXIT_INPUT;
    }
    ssf_rc rc = write(site, f, meta);
    if (fclose(f) != 0 || rc != SSF_OK || rename(tmp, path) != 0) {
        fprintf(stderr, "ssfscan: error: writing %s failed: %s\n", path, strerror(errno));
        remove(tmp);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

/* inventory.json, and unless --no-report risk.json, findings.ndjson and report.html; the
 * report is rendered from the risk.json just written, as `ssfscan report` would. */
static int scan_write_outputs(const scan_opts_t *o, const eng_site_t *site,
                              const eng_report_meta_t *meta)
{
    if (mkdir_p(o->out_dir) != 0) {
        fprintf(
            stderr,
            "ssfscan: error: cannot create output directory %s: %s (choose another with --out)\n",
            o->out_dir, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    int rc = scan_write_file(o, "inventory.json", eng_site_write_json, site, meta);
    if (rc || o->no_report) return rc;
    if ((rc = scan_write_file(o, "risk.json", eng_site_write_risk, site, meta))) return rc;
    if ((rc = scan_write_file(o, "findings.ndjson", eng_site_write_findings_ndjson, site, meta)))
        return rc;
    char risk[4096], html[4096];
    snprintf(risk, sizeof risk, "%s/risk.json", o->out_dir);
    snprintf(html, sizeof html, "%s/report.html", o->out_dir);
    return cli_report_render(risk, html);
}

static int scan_output(const scan_opts_t *o, const eng_site_t *site, const eng_report_meta_t *meta)
{
    if (o->explain) {
        if (!eng_site_write_explain(site, stdout, o->explain, meta)) {
            fprintf(stderr, "ssfscan: no device with address %s was seen\n", o->explain);
            return CLI_EXIT_INPUT;
        }
    } else if (o->json) {
        eng_site_write_ndjson(site, stdout, meta);
    } else {
        eng_site_write_table(site, stdout, term_width());
    }
    fflush(stdout);
    return scan_write_outputs(o, site, meta);
}

/* Runs the probes and the engine over the inputs; the engine is left finalized in *eng. */
static int scan_run(scan_opts_t *o, cli_engine_t *eng, probe_worker_stats_t *st, int *failed)
{
    ssf_err err = {0};
    probe_capture_t *cap = probe_capture_new(&o->cap, &err);
    if (!cap) {
        fprintf(stderr, "ssfscan: error: %s\n", err.msg);
        return CLI_EXIT_INPUT;
    }
    probe_pipeline_cfg_t pc;
    cli_pipeline_cfg(&o->common, eng, &pc);
    probe_pipeline_t *pl = probe_pipeline_new(&pc, &err);
    if (!pl) {
        fprintf(stderr, "ssfscan: error: %s\n", err.msg);
        probe_capture_free(&cap);
        return CLI_EXIT_INPUT;
    }
    g_cap = cap;
    signal(SIGINT, scan_on_signal);
    signal(SIGTERM, scan_on_signal);
    scan_read(cap, pl, o->progress);
    g_cap = NULL;
    probe_pipeline_finish(pl);
    cli_engine_join(eng, false);
    probe_pipeline_stats(pl, st);
    *failed = scan_report_sources(cap, o->quiet);
    probe_pipeline_free(&pl);
    probe_capture_free(&cap);
    return CLI_EXIT_OK;
}

static void advisories_diag(void *ud, const char *file, const char *reason)
{
    (void)ud;
    fprintf(stderr, "ssfscan: warning: %s: %s (skipped)\n", file, reason);
}

/* --advisories: indexed once, before capture, so a wrong directory fails fast. */
static int scan_advisories_load(const scan_opts_t *o, sig_csaf_index_t **out)
{
    if (!o->advisories) return CLI_EXIT_OK;
    ssf_err err = {0};
    uint64_t t0 = ssf_now_ns();
    if (!(*out = sig_csaf_index_new(o->advisories, advisories_diag, NULL, &err))) {
        fprintf(stderr, "ssfscan: error: --advisories %s\n", err.msg);
        return CLI_EXIT_INPUT;
    }
    if (!o->quiet)
        fprintf(stderr,
                "ssfscan: advisories: %zu documents, %zu affected products from %s indexed in %.1f "
                "ms\n",
                sig_csaf_index_advisories(*out), sig_csaf_index_products(*out), o->advisories,
                (double)(ssf_now_ns() - t0) / 1e6);
    return CLI_EXIT_OK;
}

static void scan_advisories_summary(const eng_site_t *site)
{
    uint64_t ns;
    size_t n;
    eng_site_advisory_stats(site, &ns, &n);
    fprintf(stderr, "ssfscan: advisories: matched %zu device%s in %.1f us (%.1f us per device)\n",
            n, n == 1 ? "" : "s", (double)ns / 1e3, n ? (double)ns / 1e3 / (double)n : 0.0);
}

int cli_scan(int argc, char **argv)
{
    scan_opts_t o;
    int rc = scan_parse(&o, argc, argv);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    sig_set_t *sigs = NULL;
    if ((rc = cli_sigs_load(o.common.rules_dirs, o.common.n_rules_dirs, &sigs))) return rc;
    eng_policy_t *policy = NULL;
    if ((rc = cli_policy_load(o.policy, &policy))) {
        sig_set_free(&sigs);
        return rc;
    }
    sig_csaf_index_t *csaf = NULL;
    if ((rc = scan_advisories_load(&o, &csaf))) {
        sig_set_free(&sigs);
        eng_policy_free(&policy);
        return rc;
    }
    sig_oui_t *oui = cli_load_oui(o.common.ieee_dir);
    cli_engine_t eng;
    ssf_err err = {0};
    uint64_t t0 = ssf_now_ns();
    probe_worker_stats_t st = {0};
    int failed = 0;
    if (cli_engine_start(&eng, o.site, oui, sigs, o.common.jobs, &err) != SSF_OK) {
        fprintf(stderr, "ssfscan: error: %s\n", err.msg);
        rc = CLI_EXIT_INPUT;
    } else {
        /* Only finalize (after the engine thread is joined) reads the policy. */
        eng_site_set_policy(eng.site, policy);
        eng_site_set_advisories(eng.site, csaf);
        rc = scan_run(&o, &eng, &st, &failed);
    }
    if (rc == CLI_EXIT_OK) {
        const char *live[1] = {o.cap.iface};
        eng_report_meta_t meta = {o.cap.iface ? live : o.cap.files, o.cap.iface ? 1 : o.cap.n_files,
                                  st.packets, st.flows_created, "scan"};
        rc = scan_output(&o, eng.site, &meta);
        if (!o.quiet)
            scan_summary(&st, eng.site, meta.n_inputs, failed, (double)(ssf_now_ns() - t0) / 1e9);
        if (!o.quiet && csaf) scan_advisories_summary(eng.site);
        if (failed && rc == CLI_EXIT_OK) rc = CLI_EXIT_INPUT;
    }
    cli_engine_free(&eng);
    sig_oui_free(&oui);
    sig_set_free(&sigs);
    eng_policy_free(&policy);
    sig_csaf_index_free(&csaf);
    return rc;
}

static void policy_diag(void *ud, const ssf_err *e)
{
    (*(unsigned *)ud)++;
    fprintf(stderr, "%s\n", e->msg);
}

int cli_policy_load(const char *path, eng_policy_t **out)
{
    unsigned n = 0;
    ssf_err err = {0};
    *out = NULL;
    if (!path) return CLI_EXIT_OK;
    if ((*out = eng_policy_load(path, policy_diag, &n, &err))) return CLI_EXIT_OK;
    if (!n)
        fprintf(stderr, "ssfscan: error: %s\n", err.msg);
    else
        fprintf(stderr,
                "ssfscan: error: %u problem%s in policy %s; fix %s (format: docs/iotssf.md)\n", n,
                n == 1 ? "" : "s", path, n == 1 ? "it" : "them");
    return CLI_EXIT_INPUT;
}
