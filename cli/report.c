/* ssfscan report: renders the HTML report again from a saved risk.json. */
#include "cli.h"

#include "eng/risk.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char report_help[] =
    "Usage: ssfscan report [-o FILE] RISK.json\n"
    "\n"
    "Renders the self-contained HTML report (risk map, device table, findings with their\n"
    "evidence) from a risk.json that ssfscan scan wrote (schema ssfscan.risk/1,\n"
    "docs/risk-schema.md). The file needs no network to view.\n"
    "\n"
    "  -o, --out FILE   write the report to FILE (default: report.html next to RISK.json;\n"
    "                   - for stdout)\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 success; 1 the input could not be read or is not a risk.json, or the\n"
    "report could not be written; 2 usage error.\n";

/* Writes the report through a temporary file so a browser never shows half of it. */
static int render_to(const struct json_object *risk, const char *out)
{
    ssf_err err = {0};
    if (!strcmp(out, "-")) {
        ssf_rc rc = eng_report_html(risk, stdout, &err);
        if (rc == SSF_EINVAL) fprintf(stderr, "ssfscan: error: %s\n", err.msg);
        return rc == SSF_OK ? CLI_EXIT_OK : CLI_EXIT_INPUT;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "ssfscan: error: cannot write %s: %s\n", tmp, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    ssf_rc rc = eng_report_html(risk, f, &err);
    if (fclose(f) != 0 || rc != SSF_OK || rename(tmp, out) != 0) {
        if (rc == SSF_EINVAL)
            fprintf(stderr, "ssfscan: error: %s\n", err.msg);
        else
            fprintf(stderr, "ssfscan: error: writing %s failed: %s\n", out, strerror(errno));
        remove(tmp);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

int cli_report_render(const char *risk_path, const char *out)
{
    struct json_object *risk = json_object_from_file(risk_path);
    if (!risk) {
        fprintf(stderr, "ssfscan: error: cannot read %s as JSON: %s\n", risk_path,
                json_util_get_last_err() ? json_util_get_last_err() : "unknown error");
        return CLI_EXIT_INPUT;
    }
    int rc = render_to(risk, out);
    json_object_put(risk);
    return rc;
}

static const struct option report_longopts[] = {
    {"out", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cli_report(int argc, char **argv)
{
    const char *out = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", report_longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(report_help, stdout);
            return CLI_EXIT_OK;
        }
        if (c != 'o')
            return cli_usage_error("report", "unknown option or missing value: '%s'",
                                   argv[optind - 1]);
        out = optarg;
    }
    if (argc - optind != 1) return cli_usage_error("report", "give one risk.json to render");
    const char *in = argv[optind];
    char def[4096];
    if (!out) {
        const char *slash = strrchr(in, '/');
        int dir = slash ? (int)(slash - in) : 0;
        snprintf(def, sizeof def, "%.*s%sreport.html", dir, in, slash ? "/" : "");
        out = def;
    }
    return cli_report_render(in, out);
}
