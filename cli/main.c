/* ssfscan: one binary, one subcommand per job. */
#include "cli.h"

#include <stdio.h>
#ifdef SSF_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

static const char main_help[] =
    "Usage: ssfscan COMMAND [OPTIONS] ...\n"
    "\n"
    "Passive security-posture scanner for plant and building networks: works out what each\n"
    "device is from the traffic it sends, and never sends a packet itself.\n"
    "\n"
    "Commands:\n"
    "  scan    inventory the devices in capture files or on a live interface\n"
    "  bench   measure detection throughput on a capture replayed from memory\n"
    "  sigs    check, list and try signature rules (sigs check DIR, sigs match FIELD VALUE)\n"
    "  report  render the HTML risk report again from a risk.json (report [-o FILE] FILE)\n"
    "\n"
    "Run `ssfscan COMMAND --help` for a command's options.\n"
    "  -V, --version   print the version\n"
    "  -h, --help      this help\n"
    "\n"
    "Exit status: 0 success; 1 some input could not be read; 2 usage error.\n";

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
} cli_command;

static const cli_command commands[] = {
    {"scan", cli_scan},
    {"bench", cli_bench},
    {"sigs", cli_sigs},
    {"report", cli_report},
};

static void print_version(void)
{
    printf("ssfscan %s\n", SSF_VERSION);
#ifdef SSF_HAVE_JEMALLOC
    const char *v = "?";
    size_t len = sizeof v;
    mallctl("version", &v, &len, NULL, 0);
    printf("allocator: jemalloc %s\n", v);
#else
    printf("allocator: libc (sanitizer build)\n");
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_help, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        print_version();
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < SSF_ARRAY_LEN(commands); i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(
        stderr,
        "ssfscan: unknown command '%s' (commands: scan, bench, sigs, report; see ssfscan --help)\n",
        cmd);
    return CLI_EXIT_USAGE;
}
