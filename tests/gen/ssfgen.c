/* ssfgen: writes the project's own test captures into OUTDIR, byte-identical on every run.
 * Each capture module owns its files; this file only parses arguments and runs the table. */
#include "gen.h"

#include <string.h>

typedef struct {
    int (*write)(const char *dir);
} gen_module;

typedef struct {
    const char *name; /* path below OUTDIR     */
    const char *what; /* one line for --list   */
} gen_file;

static const gen_module gen_modules[] = {
    {cap_identity},  {cap_plant},     {cap_exposure},  {cap_vlan_ipv6},
    {cap_fragments}, {cap_truncated}, {cap_linktypes}, {cap_unknown_linktype},
    {cap_malformed}, {cap_flood},     {cap_auth},      {cap_watch},
};

static const gen_file gen_files[] = {
    {"identity.pcap", "plant LAN: DHCP+ARP PLC, HTTP camera, SSH switch, TLS HMI (split cert)"},
    {"plant.pcap", "control network: S7 SZL, Modbus device id, ListIdentity, BACnet I-Am + reads"},
    {"exposure.pcap", "cell behind a router: PLC/HMI/gateway talk to public hosts, PLC programmed"},
    {"vlan-ipv6.pcapng", "pcapng: VLAN 100 HTTP, QinQ DHCP, IPv6 SSH with ext headers, ND, ping"},
    {"fragments.pcap", "IPv4 fragments: 3000-byte SNMP in 3, ICMP echo in 2, 5 TCP between"},
    {"truncated.pcap", "snaplen 96: HTTP responses cut short plus hostile header fields"},
    {"linktype-sll.pcap", "DLT_LINUX_SLL (113): TCP/HTTP and DNS/UDP"},
    {"linktype-sll2.pcap", "DLT_LINUX_SLL2 (276): TCP/HTTP and DNS/UDP"},
    {"linktype-raw.pcap", "LINKTYPE_RAW (101): IPv4 TCP/HTTP, IPv4 and IPv6 DNS/UDP"},
    {"linktype-null.pcap", "DLT_NULL (0), little-endian family: IPv4, IPv6 as 30 and as 24"},
    {"linktype-loop.pcap", "DLT_LOOP (108), big-endian family: IPv4, IPv6 as 24"},
    {"unknown-linktype.pcap", "valid pcap with linktype 147 (USER0), 3 packets"},
    {"malformed/zero-length.pcap", "empty file"},
    {"malformed/bad-magic.pcap", "header with magic 0xdeadbeef, then one record"},
    {"malformed/truncated-file.pcap", "10-packet pcap cut inside the 6th packet's data"},
    {"malformed/record-past-eof.pcap", "record says incl_len 1500, 100 bytes follow"},
    {"malformed/header-only-short.pcap", "12 bytes: half a global header"},
    {"malformed/huge-caplen.pcap", "record with incl_len 0x7fffffff"},
    {"flood.pcap", "50,000 TCP SYNs from 10.0.0.0/16 to 10.1.0.1:80 (seeded PRNG)"},
    {"auth.pcap", "failed logins (FTP, Telnet, IMAP, HTTP Basic), firmware over TFTP and FTP"},
    {"watch.pcap", "100 polls, then one late Modbus write, DNP3 cold restart and S7 PLC stop"},
};

static void gen_usage(FILE *f)
{
    fputs("usage: ssfgen OUTDIR     write every test capture into OUTDIR (created if needed)\n"
          "       ssfgen --list     name and describe each capture\n"
          "       ssfgen --help     this text\n"
          "Output is deterministic byte for byte. Exit 0 ok, 1 I/O error, 2 usage error.\n",
          f);
}

static void gen_list(void)
{
    for (size_t i = 0; i < sizeof gen_files / sizeof *gen_files; i++)
        printf("%-34s %s\n", gen_files[i].name, gen_files[i].what);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '\0') {
        gen_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        gen_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--list")) {
        gen_list();
        return 0;
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "ssfgen: unknown option %s\n", argv[1]);
        gen_usage(stderr);
        return 2;
    }
    const char *dir = argv[1];
    if (gen_mkdir(dir, NULL) != 0 || gen_mkdir(dir, "malformed") != 0) return 1;
    for (size_t i = 0; i < sizeof gen_modules / sizeof *gen_modules; i++)
        if (gen_modules[i].write(dir) != 0) return 1;
    return 0;
}
