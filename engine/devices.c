/* Grouping hosts (MAC, IP endpoints) into devices.
 *
 * A MAC normally belongs to one device whatever addresses it uses. A MAC that carries many
 * addresses, or a public address next to others, is a router's: the hosts behind it are told
 * apart by IP, and the router keeps only the addresses it claimed in ARP. */
#include "site_internal.h"

#include "probe/evidence.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint8_t mac[6];
    size_t n_v4;       /* distinct non-link-local IPv4 addresses with this MAC */
    size_t n_v6;       /* distinct non-link-local IPv6 addresses              */
    bool public_v4;    /* one of the IPv4 addresses is public                  */
    eng_device_t *dev; /* the device of this MAC (router or not)              */
} mac_info;

static bool addr_counts(const ssf_addr *a)
{
    /* Link-local IPv6 (and IPv4) addresses come with every interface: not a sign of routing. */
    if (ssf_addr_is_v4(a)) return !(a->b[12] == 169 && a->b[13] == 254);
    return !(a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80);
}

static mac_info *mac_find(zhashx_t *macs, const uint8_t mac[6])
{
    char key[SSF_MAC_STRLEN];
    ssf_mac_str(mac, key, sizeof key);
    mac_info *m = zhashx_lookup(macs, key);
    if (!m && (m = calloc(1, sizeof *m))) {
        memcpy(m->mac, mac, 6);
        zhashx_insert(macs, key, m);
    }
    return m;
}

static void mac_info_free(void **item)
{
    free(*item);
    *item = NULL;
}

static eng_device_t *device_new(eng_site_t *s, const char *id)
{
    eng_device_t *d = calloc(1, sizeof *d), **slot;
    if (!d) return NULL;
    if (!ENG_VEC_PUSH(s->devices, slot)) {
        free(d);
        return NULL;
    }
    *slot = d;
    snprintf(d->id, sizeof d->id, "%s", id);
    return d;
}

static void device_add_host(eng_device_t *d, eng_host_t *h)
{
    eng_host_t **slot;
    if (!ENG_VEC_PUSH(d->hosts, slot)) return;
    *slot = h;
    h->dev = d;
    if (h->has_ip && ssf_addr_is_local(&h->ip)) d->local = true;
}

static void count_macs(eng_site_t *s, zhashx_t *macs)
{
    for (eng_host_t *h = zhashx_first(s->hosts); h; h = zhashx_next(s->hosts)) {
        if (!h->has_mac) continue;
        mac_info *m = mac_find(macs, h->mac);
        if (!m || !h->has_ip || !addr_counts(&h->ip)) continue;
        if (!ssf_addr_is_v4(&h->ip)) {
            m->n_v6++;
            continue;
        }
        m->n_v4++;
        /* Only a public IPv4 address is a sign of routing: an ordinary dual-stack host has a
         * global IPv6 address next to its private IPv4 one. */
        if (!ssf_addr_is_local(&h->ip)) m->public_v4 = true;
    }
}

static eng_device_t *device_for_ip(eng_site_t *s, const eng_host_t *h, bool via_router)
{
    char id[64], ip[SSF_ADDR_STRLEN];
    snprintf(id, sizeof id, "ip:%s", ssf_addr_str(&h->ip, ip, sizeof ip));
    eng_device_t *d = device_new(s, id);
    if (d) d->via_router = via_router;
    return d;
}

static eng_device_t *device_for_mac(eng_site_t *s, mac_info *m)
{
    if (m->dev) return m->dev;
    char id[64], mac[SSF_MAC_STRLEN];
    snprintf(id, sizeof id, "mac:%s", ssf_mac_str(m->mac, mac, sizeof mac));
    if ((m->dev = device_new(s, id))) {
        m->dev->has_mac = true;
        memcpy(m->dev->mac, m->mac, 6);
        m->dev->router = m->n_v4 > ENG_ROUTER_MIN_V4 || (m->public_v4 && m->n_v4 > 1) ||
                         m->n_v6 > ENG_ROUTER_MIN_V6;
    }
    return m->dev;
}

/* Addresses of MAC-identified (non-router) devices, so a host seen without a MAC (raw-IP or
 * cooked captures) joins the device that owns its address. An address claimed by two devices
 * maps to `ambiguous` and joins neither. */
static char ambiguous;

static void index_ips(eng_site_t *s, zhashx_t *ips)
{
    char key[SSF_ADDR_STRLEN];
    for (size_t i = 0; i < s->devices.n; i++) {
        eng_device_t *d = s->devices.v[i];
        if (d->router || !d->has_mac) continue;
        for (size_t k = 0; k < d->hosts.n; k++) {
            if (!d->hosts.v[k]->has_ip) continue;
            ssf_addr_str(&d->hosts.v[k]->ip, key, sizeof key);
            void *cur = zhashx_lookup(ips, key);
            if (!cur)
                zhashx_insert(ips, key, d);
            else if (cur != d)
                zhashx_update(ips, key, &ambiguous);
        }
    }
}

static eng_device_t *device_owning_ip(zhashx_t *ips, const eng_host_t *h)
{
    char key[SSF_ADDR_STRLEN];
    void *d = zhashx_lookup(ips, ssf_addr_str(&h->ip, key, sizeof key));
    return d == &ambiguous ? NULL : d;
}

static void place_host(eng_site_t *s, zhashx_t *macs, zhashx_t *ips, eng_host_t *h)
{
    eng_device_t *d = NULL;
    if (!h->has_mac) {
        if (!(d = device_owning_ip(ips, h))) d = device_for_ip(s, h, false);
    } else {
        mac_info *m = mac_find(macs, h->mac);
        if (!m) return;
        eng_device_t *md = device_for_mac(s, m);
        bool behind = md && md->router && h->has_ip && !h->arp_owned && addr_counts(&h->ip);
        d = behind ? device_for_ip(s, h, true) : md;
    }
    if (d) device_add_host(d, h);
}

static int device_cmp(const void *a, const void *b)
{
    const eng_device_t *x = *(eng_device_t *const *)a, *y = *(eng_device_t *const *)b;
    if (x->local != y->local) return x->local ? -1 : 1;
    const eng_host_t *hx = x->hosts.n ? x->hosts.v[0] : NULL,
                     *hy = y->hosts.n ? y->hosts.v[0] : NULL;
    bool ix = hx && hx->has_ip, iy = hy && hy->has_ip;
    if (ix != iy) return ix ? -1 : 1;
    if (ix) {
        int c = memcmp(&hx->ip, &hy->ip, sizeof hx->ip);
        if (c) return c;
    }
    return strcmp(x->id, y->id);
}

/* Sorts a device's hosts so its first host carries its main (lowest) address. */
static int host_cmp(const void *a, const void *b)
{
    const eng_host_t *x = *(eng_host_t *const *)a, *y = *(eng_host_t *const *)b;
    if (x->has_ip != y->has_ip) return x->has_ip ? -1 : 1;
    return memcmp(&x->ip, &y->ip, sizeof x->ip);
}

void eng_devices_build(eng_site_t *s)
{
    zhashx_t *macs = zhashx_new(), *ips = zhashx_new();
    if (!macs || !ips) goto out;
    zhashx_set_destructor(macs, mac_info_free);
    count_macs(s, macs);
    /* Hosts with a MAC first, so MAC-less ones can find the device that owns their address. */
    for (eng_host_t *h = zhashx_first(s->hosts); h; h = zhashx_next(s->hosts))
        if (h->has_mac) place_host(s, macs, ips, h);
    index_ips(s, ips);
    for (eng_host_t *h = zhashx_first(s->hosts); h; h = zhashx_next(s->hosts))
        if (!h->has_mac) place_host(s, macs, ips, h);
out:
    zhashx_destroy(&macs);
    zhashx_destroy(&ips);
    for (size_t i = 0; i < s->devices.n; i++) {
        eng_device_t *d = s->devices.v[i];
        /* A router whose addresses all moved behind it has no hosts (and v == NULL): qsort
         * must not see a NULL base, even with n == 0. */
        if (d->hosts.n > 1) qsort(d->hosts.v, d->hosts.n, sizeof *d->hosts.v, host_cmp);
        d->local = d->local || (d->hosts.n && !d->hosts.v[0]->has_ip);
    }
    if (s->devices.n > 1) qsort(s->devices.v, s->devices.n, sizeof *s->devices.v, device_cmp);
}

void eng_devices_free(eng_site_t *s)
{
    for (size_t i = 0; i < s->devices.n; i++) {
        eng_identity_free(s->devices.v[i]);
        eng_findings_free(s->devices.v[i]);
        free(s->devices.v[i]->hosts.v);
        free(s->devices.v[i]);
    }
    free(s->devices.v);
    memset(&s->devices, 0, sizeof s->devices);
}

/* Where devices name themselves, most deliberate first: a name an operator configured
 * (station, system, host names) before one a protocol derives. */
static const probe_ev_field name_fields[] = {
    PROBE_EVF_LLDP_SYSNAME,  PROBE_EVF_CDP_DEVICE,     PROBE_EVF_SNMP_SYSNAME,
    PROBE_EVF_PN_STATION,    PROBE_EVF_S7_NAME,        PROBE_EVF_BACNET_OBJECT_NAME,
    PROBE_EVF_KNX_NAME,      PROBE_EVF_DHCP_HOSTNAME,  PROBE_EVF_DHCPV6_FQDN,
    PROBE_EVF_NETBIOS_NAME,  PROBE_EVF_SMB_HOSTNAME,   PROBE_EVF_MDNS_HOSTNAME,
    PROBE_EVF_UPNP_FRIENDLY, PROBE_EVF_UBNT_HOSTNAME,  PROBE_EVF_SYSLOG_HOSTNAME,
    PROBE_EVF_HART_TAG,      PROBE_EVF_C37118_STATION,
};

const eng_ev_t *eng_device_name(const eng_device_t *d)
{
    for (size_t f = 0; f < SSF_ARRAY_LEN(name_fields); f++)
        for (size_t i = 0; i < d->hosts.n; i++)
            for (size_t k = 0; k < d->hosts.v[i]->ev.n; k++)
                if (d->hosts.v[i]->ev.v[k].field == name_fields[f]) return &d->hosts.v[i]->ev.v[k];
    return NULL;
}

eng_device_t *eng_device_of_ip(const eng_site_t *s, const ssf_addr *a)
{
    for (size_t i = 0; i < s->devices.n; i++)
        for (size_t k = 0; k < s->devices.v[i]->hosts.n; k++) {
            const eng_host_t *h = s->devices.v[i]->hosts.v[k];
            if (h->has_ip && !memcmp(&h->ip, a, sizeof *a)) return s->devices.v[i];
        }
    return NULL;
}

const char *eng_device_vendor(const eng_site_t *s, const eng_device_t *d)
{
    if (!d->has_mac || !s->oui) return NULL;
    return sig_oui_lookup(s->oui, d->mac);
}

void eng_site_finalize(eng_site_t *s)
{
    if (s->finalized) return;
    eng_devices_build(s);
    eng_identity_build(s);
    /* @findings-build */
    eng_findings_build(s);
    /* @advisories-build */
    eng_advisories_build(s);
    /* @placement-build */
    eng_placement_build(s);
    s->st.devices = s->devices.n;
    s->finalized = true;
}
