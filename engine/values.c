/* The values signature rules match on for one host, walked the same way for identity
 * (identity.c) and findings (findings.c), so a rule's pseudo-field spelling ("S7Comm tcp/102")
 * means the same to both. */
#include "site_internal.h"

#include "probe/evidence.h"

#include <ndpi/ndpi_api.h>
#include <netinet/in.h>
#include <stdio.h>

const char *eng_l4_name(uint8_t l4)
{
    switch (l4) {
    case IPPROTO_TCP:
        return "tcp";
    case IPPROTO_UDP:
        return "udp";
    case IPPROTO_ICMP:
        return "icmp";
    case IPPROTO_ICMPV6:
        return "icmpv6";
    default:
        return "ip";
    }
}

static void each_service(const eng_host_t *h, bool served, eng_value_fn fn, void *ud)
{
    char v[COLL_NAME_MAX + 16];
    const eng_proto_t *p = served ? h->served.v : h->used.v;
    size_t n = served ? h->served.n : h->used.n;
    for (size_t k = 0; k < n; k++) {
        snprintf(v, sizeof v, "%s %s/%u", p[k].name, eng_l4_name(p[k].l4), p[k].port);
        fn(ud, h, served ? "service.served" : "service.used", v, NULL);
    }
}

void eng_host_values(const eng_host_t *h, eng_value_fn fn, void *ud)
{
    for (size_t k = 0; k < h->ev.n; k++) {
        const eng_ev_t *e = &h->ev.v[k];
        fn(ud, h, probe_ev_field_name((probe_ev_field)e->field), e->value, e);
    }
    each_service(h, true, fn, ud);
    each_service(h, false, fn, ud);
    for (int b = 1; b < 64; b++) {
        if (h->risk_server & (1ull << b))
            fn(ud, h, "risk.as_server", ndpi_risk2str((ndpi_risk_enum)b), NULL);
        if (h->risk_client & (1ull << b))
            fn(ud, h, "risk.as_client", ndpi_risk2str((ndpi_risk_enum)b), NULL);
    }
}
