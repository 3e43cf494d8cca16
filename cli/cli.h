/* cli.h - what the subcommands of the ssfscan binary share. */
#ifndef SSF_CLI_H
#define SSF_CLI_H

#include "eng/placement.h"
#include "eng/site.h"
#include "probe/pipeline.h"
#include "sig/rules.h"

#include <pthread.h>
#include <stdatomic.h>

/* Exit codes, as documented in --help and the README. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_INPUT = 1, CLI_EXIT_USAGE = 2 };

#define CLI_OBS_ENDPOINT "inproc://ssf-observations"

/* The engine side of a local run: a receiver and a site, merged by their own thread. */
typedef struct cli_engine {
    void *zctx;
    coll_receiver_t *rx;
    eng_site_t *site;
    pthread_t thread;
    bool started;
    int senders;
    atomic_bool abort;
    uint64_t cpu_ns; /* engine thread CPU time                                 */
} cli_engine_t;

/* sigs may be NULL (identity from the MAC registry only). */
ssf_rc cli_engine_start(cli_engine_t *e, const char *site, const sig_oui_t *oui,
                        const sig_set_t *sigs, int senders, ssf_err *err);
/* Waits for every sender's goodbye (or aborts at once when `abort`), then finalizes. */
void cli_engine_join(cli_engine_t *e, bool abort);
void cli_engine_free(cli_engine_t *e);

#define CLI_RULES_DIRS_MAX 8

/* Common options of scan and bench. */
typedef struct cli_common {
    int jobs;
    size_t flow_memory;
    double idle_timeout_s;
    double lifetime_s; /* absolute flow timeout                                  */
    const char *ieee_dir;
    const char *rules_dirs[CLI_RULES_DIRS_MAX]; /* --rules, in the order given              */
    size_t n_rules_dirs;
} cli_common_t;

void cli_common_defaults(cli_common_t *c);
/* Fills a pipeline config from the common options. */
void cli_pipeline_cfg(const cli_common_t *c, cli_engine_t *e, probe_pipeline_cfg_t *pc);
/* Parses "512M", "2G", "65536"; false if malformed or zero. */
bool cli_parse_size(const char *s, size_t *out);
bool cli_parse_int(const char *s, long min, long max, long *out);
bool cli_parse_double(const char *s, double min, double max, double *out);
/* Parses --idle-timeout (lifetime false) or --flow-lifetime into c; 0 or a usage error. */
int cli_timeout_opt(cli_common_t *c, const char *cmd, bool lifetime, const char *arg);
/* Adds a --rules DIR; 0 or a usage error. */
int cli_rules_opt(cli_common_t *c, const char *cmd, const char *dir);
/* Loads the MAC registry; NULL (after a warning on stderr) when it is missing. */
sig_oui_t *cli_load_oui(const char *dir);
/* "ssfscan CMD: " + message + " (see ssfscan CMD --help)" on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Names of PROBE_ANOM_* bits for summaries. */
const char *cli_anom_name(int bit);
int cli_default_jobs(void);

int cli_scan(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_sigs(int argc, char **argv);
int cli_report(int argc, char **argv);
/* Renders the HTML report of the risk.json at risk_path into out ("-": stdout); a CLI_EXIT_*
 * code, with the reason on stderr. Shared by scan and report. */
int cli_report_render(const char *risk_path, const char *out);

/* The signature rules scan and bench use: the built-in set plus every *.rules file of dirs
 * (n may be 0), compiled and with every example checked. On any problem it prints each as
 * FILE:LINE: reason on stderr, then one line saying how to fix or check them, and returns
 * CLI_EXIT_INPUT with *out NULL; otherwise CLI_EXIT_OK and the set (free with sig_set_free). */
int cli_sigs_load(const char *const *dirs, size_t n, sig_set_t **out);
/* The --policy file (docs/iotssf.md): every problem as FILE:LINE: reason on stderr and
 * CLI_EXIT_INPUT with *out NULL; CLI_EXIT_OK otherwise (*out NULL when path is NULL). */
int cli_policy_load(const char *path, eng_policy_t **out);
/* The names a rule may put in `field` (evidence fields, then mac.vendor, service.served,
 * service.used); writes up to max and returns how many. */
size_t cli_sig_fields(const char **out, size_t max);

#endif
