/* ssfscan sigs: check, list and try signature rules (docs/signatures.md). Rule authors run
 * this; scan and bench load rules through cli_sigs_load(). */
#include "cli.h"

#include "probe/evidence.h"
#include "ssf/json.h"

#include <stdio.h>
#include <stdlib.h>

static const char sigs_help[] =
    "Usage: ssfscan sigs check [--only] [DIR...]\n"
    "       ssfscan sigs list [--json] [--only] [DIR...]\n"
    "       ssfscan sigs fields\n"
    "       ssfscan sigs match [--only] FIELD VALUE [DIR...]\n"
    "\n"
    "Signature rules turn evidence values into identity claims (docs/signatures.md). The\n"
    "built-in rules are part of the binary; DIRs add every *.rules file in them, as\n"
    "`scan --rules DIR` would.\n"
    "\n"
    "Commands:\n"
    "  check    load and compile the built-in rules and DIRs, run every example; print each\n"
    "           problem as FILE:LINE: reason on stderr and a summary on stdout\n"
    "  list     every rule: id, FILE:LINE, fields, weight and literal outputs\n"
    "  fields   the field names a rule can match\n"
    "  match    which rules match VALUE of FIELD, with their expanded outputs\n"
    "\n"
    "Options:\n"
    "      --only   DIRs only, without the built-in rules\n"
    "      --json   (list) one JSON object per rule\n"
    "      --       the arguments after it are not options (a VALUE starting with '-')\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 clean (match: some rule matched); 1 a rule has an error (match: no rule\n"
    "matched); 2 usage error.\n"
    "\n"
    "Examples:\n"
    "  ssfscan sigs check ./my-rules\n"
    "  ssfscan sigs match http.server 'AXIS P1346 Network Camera 5.40.9.2'\n";

/* Names a rule may use in `field`: every probe evidence field, then the engine's pseudo-fields. */
static const char *const sigs_pseudo[] = {"mac.vendor", "service.served", "service.used",
                                          "risk.as_server", "risk.as_client"};
#define SIGS_N_FIELDS (PROBE_EVF_COUNT - 1 + SSF_ARRAY_LEN(sigs_pseudo))

size_t cli_sig_fields(const char **out, size_t max)
{
    size_t n = 0;
    for (int f = 1; f < PROBE_EVF_COUNT && n < max; f++)
        out[n++] = probe_ev_field_name((probe_ev_field)f);
    for (size_t i = 0; i < SSF_ARRAY_LEN(sigs_pseudo) && n < max; i++)
        out[n++] = sigs_pseudo[i];
    return n;
}

static void sigs_diag(void *ud, const char *file, unsigned line, const char *msg)
{
    size_t *count = ud;
    (*count)++;
    if (line)
        fprintf(stderr, "%s:%u: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

typedef struct {
    sig_set_t *set;
    size_t problems;    /* every diagnostic printed                         */
    size_t examples;    /* examples run                                     */
    size_t ex_problems; /* diagnostics from the examples                    */
    bool nomem;
} sigs_load_t;

/* Loads built-ins (unless only) and dirs, compiles, and runs the examples. Problems go to
 * stderr as FILE:LINE: reason; bad rules are left out, the rest is usable. */
static bool sigs_build(sigs_load_t *l, bool builtin, const char *const *dirs, size_t n)
{
    const char *fields[SIGS_N_FIELDS];
    size_t nf = cli_sig_fields(fields, SIGS_N_FIELDS);
    memset(l, 0, sizeof *l);
    if (!(l->set = sig_set_new(fields, nf))) goto out_nomem;
    ssf_rc rc = builtin ? sig_set_add_builtin(l->set, sigs_diag, &l->problems) : SSF_OK;
    for (size_t i = 0; i < n && rc != SSF_ENOMEM; i++)
        if (sig_set_add_dir(l->set, dirs[i], sigs_diag, &l->problems) == SSF_ENOMEM)
            rc = SSF_ENOMEM;
    if (rc == SSF_ENOMEM || sig_set_compile(l->set, sigs_diag, &l->problems) == SSF_ENOMEM)
        goto out_nomem;
    size_t before = l->problems;
    if (sig_set_check_examples(l->set, sigs_diag, &l->problems, &l->examples) == SSF_ENOMEM)
        goto out_nomem;
    l->ex_problems = l->problems - before;
    return true;
out_nomem:
    fprintf(stderr, "ssfscan: out of memory loading signature rules\n");
    sig_set_free(&l->set);
    l->nomem = true;
    return false;
}

int cli_sigs_load(const char *const *dirs, size_t n, sig_set_t **out)
{
    sigs_load_t l;
    *out = NULL;
    if (!sigs_build(&l, true, dirs, n)) return CLI_EXIT_INPUT;
    if (l.problems) {
        fprintf(stderr,
                "ssfscan: %zu problem%s in the signature rules; fix the rules above, or check "
                "them with: ssfscan sigs check",
                l.problems, l.problems == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %s", dirs[i]);
        fputc('\n', stderr);
        sig_set_free(&l.set);
        return CLI_EXIT_INPUT;
    }
    *out = l.set;
    return CLI_EXIT_OK;
}

/* Options common to the subcommands: --only, --json, --help; the rest are positional. */
typedef struct {
    bool only, json;
    const char **pos;
    size_t n_pos;
} sigs_opts_t;

static int sigs_parse(const char *sub, int argc, char **argv, bool json_ok, sigs_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->pos = (const char **)argv; /* positional arguments are compacted in place */
    bool dashdash = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || !a[1]) {
            o->pos[o->n_pos++] = a;
        } else if (!strcmp(a, "--")) {
            dashdash = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(sigs_help, stdout);
            return -1;
        } else if (!strcmp(a, "--only")) {
            o->only = true;
        } else if (json_ok && !strcmp(a, "--json")) {
            o->json = true;
        } else {
            char cmd[32];
            snprintf(cmd, sizeof cmd, "sigs %s", sub);
            return cli_usage_error(cmd, "unknown option '%s'", a);
        }
    }
    return 0;
}

static int sigs_check(int argc, char **argv)
{
    sigs_opts_t o;
    int rc = sigs_parse("check", argc, argv, false, &o);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    if (o.only && !o.n_pos) return cli_usage_error("sigs check", "--only needs a DIR to check");
    sigs_load_t l;
    if (!sigs_build(&l, !o.only, o.pos, o.n_pos)) return CLI_EXIT_INPUT;
    sig_set_stats_t st = sig_set_stats(l.set);
    printf("%zu rules in %zu files, %zu fields, %zu vendors; ", st.rules, st.files, st.fields,
           st.vendors);
    if (l.ex_problems)
        printf("%zu examples checked, %zu failed\n", l.examples, l.ex_problems);
    else
        printf("%zu examples passed\n", l.examples);
    if (l.problems)
        printf("%zu problem%s (listed on stderr as FILE:LINE: reason)\n", l.problems,
               l.problems == 1 ? "" : "s");
    sig_set_free(&l.set);
    return l.problems ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

typedef struct {
    bool json;
    ssf_json_t j;
} sigs_list_ctx;

static void sigs_list_one(void *ud, const sig_rule_t *r)
{
    sigs_list_ctx *c = ud;
    if (c->json) {
        ssf_json_obj_begin(&c->j, NULL);
        ssf_json_str(&c->j, "id", sig_rule_id(r));
        ssf_json_str(&c->j, "file", sig_rule_file(r));
        ssf_json_u64(&c->j, "line", sig_rule_line(r));
        ssf_json_str(&c->j, "fields", sig_rule_fields(r));
        ssf_json_u64(&c->j, "weight", sig_rule_weight(r));
        for (int o = 0; o < SIG_OUT_COUNT; o++)
            if (*sig_rule_output(r, (sig_out)o))
                ssf_json_str(&c->j, sig_out_name((sig_out)o), sig_rule_output(r, (sig_out)o));
        if (sig_rule_on_peer(r)) ssf_json_str(&c->j, "on", "peer");
        ssf_json_obj_end(&c->j);
        fputc('\n', stdout);
        ssf_json_init(&c->j, stdout, false); /* NDJSON: each object starts afresh */
        return;
    }
    printf("%s  %s:%u  %s  weight %u", sig_rule_id(r), sig_rule_file(r), sig_rule_line(r),
           sig_rule_fields(r), sig_rule_weight(r));
    for (int o = 0; o < SIG_OUT_COUNT; o++)
        if (*sig_rule_output(r, (sig_out)o))
            printf("  %s=\"%s\"", sig_out_name((sig_out)o), sig_rule_output(r, (sig_out)o));
    if (sig_rule_on_peer(r)) printf("  on=peer");
    putchar('\n');
}

static int sigs_list(int argc, char **argv)
{
    sigs_opts_t o;
    int rc = sigs_parse("list", argc, argv, true, &o);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    if (o.only && !o.n_pos) return cli_usage_error("sigs list", "--only needs a DIR to list");
    sigs_load_t l;
    if (!sigs_build(&l, !o.only, o.pos, o.n_pos)) return CLI_EXIT_INPUT;
    sigs_list_ctx c = {.json = o.json};
    ssf_json_init(&c.j, stdout, false);
    sig_set_each(l.set, sigs_list_one, &c);
    sig_set_free(&l.set);
    return l.problems ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}

static int sigs_fields(int argc, char **argv)
{
    sigs_opts_t o;
    int rc = sigs_parse("fields", argc, argv, false, &o);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    if (o.n_pos || o.only) return cli_usage_error("sigs fields", "takes no arguments");
    const char *fields[SIGS_N_FIELDS];
    size_t n = cli_sig_fields(fields, SIGS_N_FIELDS);
    for (size_t i = 0; i < n; i++)
        puts(fields[i]);
    return CLI_EXIT_OK;
}

static int sigs_match(int argc, char **argv)
{
    sigs_opts_t o;
    int rc = sigs_parse("match", argc, argv, false, &o);
    if (rc) return rc < 0 ? CLI_EXIT_OK : rc;
    if (o.n_pos < 2) return cli_usage_error("sigs match", "give a FIELD and a VALUE");
    const char *fields[SIGS_N_FIELDS];
    size_t nf = cli_sig_fields(fields, SIGS_N_FIELDS);
    bool known = false;
    for (size_t i = 0; i < nf && !known; i++)
        known = !strcmp(fields[i], o.pos[0]);
    if (!known)
        return cli_usage_error("sigs match", "unknown field '%s' (ssfscan sigs fields lists them)",
                               o.pos[0]);
    sigs_load_t l;
    if (!sigs_build(&l, !o.only, o.pos + 2, o.n_pos - 2)) return CLI_EXIT_INPUT;
    sig_scratch_t *sc = sig_scratch_new(l.set);
    static sig_match_t m[SIG_MATCH_MAX]; /* 10 KB: kept off the stack */
    size_t n =
        sc ? sig_set_match(l.set, sc, o.pos[0], o.pos[1], strlen(o.pos[1]), m, SIG_MATCH_MAX) : 0;
    for (size_t i = 0; i < n; i++) {
        const sig_rule_t *r = m[i].rule;
        printf("%s (%s:%u, weight %u):", sig_rule_id(r), sig_rule_file(r), sig_rule_line(r),
               sig_rule_weight(r));
        for (int k = 0; k < SIG_OUT_COUNT; k++)
            if (m[i].out[k][0]) printf(" %s=\"%s\"", sig_out_name((sig_out)k), m[i].out[k]);
        putchar('\n');
    }
    if (!n) printf("no rule matches %s \"%s\"\n", o.pos[0], o.pos[1]);
    sig_scratch_free(&sc);
    sig_set_free(&l.set);
    return n ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

int cli_sigs(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {
        {"check", sigs_check},
        {"list", sigs_list},
        {"fields", sigs_fields},
        {"match", sigs_match},
    };
    if (argc < 2) return cli_usage_error("sigs", "give a command: check, list, fields or match");
    const char *sub = argv[1];
    if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
        fputs(sigs_help, stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < SSF_ARRAY_LEN(subs); i++)
        if (!strcmp(sub, subs[i].name)) return subs[i].run(argc - 2, argv + 2);
    return cli_usage_error("sigs", "unknown command '%s' (check, list, fields or match)", sub);
}
