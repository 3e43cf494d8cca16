/* idtable.c - lookups in the build-time id tables (CIP vendors and device types, BACnet,
 * HART and PROFINET vendors). The tables are immutable, so every function here is
 * thread-safe. */
#include "idtable_internal.h"
#include "sig/bacnet.h"
#include "sig/cip.h"
#include "sig/plant_ids.h"

#include <stdlib.h>

static int sig_idname_cmp(const void *key, const void *elem)
{
    uint16_t id = *(const uint16_t *)key;
    uint16_t e = ((const sig_idname_t *)elem)->id;
    return (id > e) - (id < e);
}

static const char *sig_idtable_find(const sig_idname_t *t, size_t n, uint16_t id)
{
    const sig_idname_t *hit = bsearch(&id, t, n, sizeof *t, sig_idname_cmp);
    return hit ? hit->name : NULL;
}

const char *sig_cip_vendor(uint16_t id)
{
    return sig_idtable_find(sig_cip_vendors, sig_cip_vendors_n, id);
}

const char *sig_cip_device_type(uint16_t t)
{
    return sig_idtable_find(sig_cip_device_types, sig_cip_device_types_n, t);
}

size_t sig_cip_vendor_count(void)
{
    return sig_cip_vendors_n;
}

size_t sig_cip_device_type_count(void)
{
    return sig_cip_device_types_n;
}

const char *sig_bacnet_vendor(uint16_t id)
{
    return sig_idtable_find(sig_bacnet_vendors, sig_bacnet_vendors_n, id);
}

size_t sig_bacnet_vendor_count(void)
{
    return sig_bacnet_vendors_n;
}

const char *sig_hart_vendor(uint16_t id)
{
    return sig_idtable_find(sig_hart_vendors, sig_hart_vendors_n, id);
}

const char *sig_profinet_vendor(uint16_t id)
{
    return sig_idtable_find(sig_profinet_vendors, sig_profinet_vendors_n, id);
}

size_t sig_hart_vendor_count(void)
{
    return sig_hart_vendors_n;
}

size_t sig_profinet_vendor_count(void)
{
    return sig_profinet_vendors_n;
}
