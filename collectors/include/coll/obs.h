/* coll/obs.h - observations: what a probe tells the engine.
 *
 * A probe emits an observation when it learns something new, never per packet: a flow's
 * counters and classification (as deltas, when the flow ends or at a periodic update), one
 * identity evidence item, or an ARP binding. The same records cross inproc:// inside
 * `ssfscan scan` and tcp:// between a fleet's probes and engine, encoded by coll/wire.h. */
#ifndef COLL_OBS_H
#define COLL_OBS_H

#include "ssf/common.h"

typedef enum {
    COLL_OBS_FLOW = 1,     /* flow counters + nDPI classification               */
    COLL_OBS_EVIDENCE = 2, /* one identity evidence item about one endpoint     */
    COLL_OBS_ARP = 3,      /* an ARP sender binding MAC <-> IPv4                */
    COLL_OBS_KIND_MAX = 3
} coll_obs_kind;

#define COLL_NAME_MAX   32  /* protocol and category names                      */
#define COLL_VALUE_MAX  192 /* evidence values (matches PROBE_EV_VALUE_MAX)      */
#define COLL_SOURCE_MAX 16  /* evidence source ("dhcp", "http" ...)             */

typedef struct coll_endpoint {
    uint8_t has_mac; /* the frame carried Ethernet addresses              */
    uint8_t mac[6];
    uint8_t has_ip;
    ssf_addr ip;
    uint16_t vlan; /* outer VLAN id, 0 for untagged                     */
} coll_endpoint_t;

typedef struct coll_obs_flow {
    coll_endpoint_t client; /* initiator, as far as the probe could tell         */
    coll_endpoint_t server;
    uint16_t client_port;
    uint16_t server_port;
    uint8_t l4_proto;             /* IPPROTO_*                                         */
    uint8_t final;                /* 1 when the flow ended (timeout, eviction, EOF)    */
    uint16_t app_proto;           /* nDPI app protocol id, 0 unknown                   */
    uint16_t master_proto;        /* nDPI master protocol id, 0 none                   */
    char app_name[COLL_NAME_MAX]; /* "TLS.Google", "Modbus", "Unknown"           */
    char category[COLL_NAME_MAX]; /* nDPI category name                           */
    uint64_t risk;                /* nDPI 4.2 ndpi_risk bitmap (bit = ndpi_risk_enum)  */
    uint64_t first_us;            /* first packet, µs since epoch                      */
    uint64_t last_us;             /* last packet                                        */
    uint64_t pkts[2];             /* delta since the last observation; [0] client->server */
    uint64_t bytes[2];            /* wire bytes, same directions                       */
    uint8_t answered;             /* 1 once the server really answered: a SYN-ACK or payload
                                     (TCP), any packet (others); a RST alone is not one   */
    uint64_t frame;               /* the flow's first packet: its frame number in the input,
                                     1-based (0 live), as evidence's frame               */
    uint16_t input;               /* which input file that frame is in (0-based)       */
} coll_obs_flow_t;

typedef struct coll_obs_evidence {
    coll_endpoint_t subject; /* the device the fact is about                      */
    coll_endpoint_t peer;    /* the other end of the packet (may be empty)        */
    uint16_t field;          /* probe_ev_field                                    */
    uint8_t l4_proto;
    uint16_t sport, dport;        /* subject's port, peer's port, in that packet        */
    uint64_t ts_us;               /* that packet's timestamp                           */
    uint64_t frame;               /* its frame number in the input, 1-based (0 live)   */
    uint16_t input;               /* which input file (0-based, in the order given)    */
    char source[COLL_SOURCE_MAX]; /* extractor that produced it                   */
    char value[COLL_VALUE_MAX];   /* NUL-terminated, printable                    */
    uint32_t count;               /* sightings this observation stands for, >= 1: 1 for
                                     every extractor, refused logins counted since the
                                     worker's last report for auth.failure            */
} coll_obs_evidence_t;

typedef struct coll_obs_arp {
    uint8_t mac[6];
    ssf_addr ip;
    uint16_t vlan;
    uint64_t ts_us;
} coll_obs_arp_t;

typedef struct coll_obs {
    uint8_t kind;      /* coll_obs_kind                                     */
    uint16_t probe_id; /* which probe (worker) sent it                      */
    union {
        coll_obs_flow_t flow;
        coll_obs_evidence_t ev;
        coll_obs_arp_t arp;
    } u;
} coll_obs_t;

#endif
