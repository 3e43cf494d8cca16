/* defcreds.c - lookups in the build-time default credential table (gen_defcreds.cmake). The
 * table is immutable, so every function here is thread-safe and allocation-free. */
#include "sig/defcreds.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *proto;
    const uint8_t *user, *pass;
    size_t ulen, plen;
} defcred_key_t;

/* Orders a length-counted string against a C string as strcmp would: the table holds no byte
 * below '!', so a packet string with a NUL or a blank still sorts consistently. */
static int defcred_cmp_str(const uint8_t *a, size_t alen, const char *b)
{
    size_t blen = strlen(b), k = alen < blen ? alen : blen;
    int c = memcmp(a, b, k);
    if (c) return c;
    return (alen > blen) - (alen < blen);
}

static int defcred_cmp(const void *key, const void *elem)
{
    const defcred_key_t *k = key;
    const sig_defcred_t *e = elem;
    int c = strcmp(k->proto, e->proto);
    if (!c) c = defcred_cmp_str(k->user, k->ulen, e->user);
    if (!c) c = defcred_cmp_str(k->pass, k->plen, e->pass);
    return c;
}

const sig_defcred_t *sig_defcred_find(const char *proto, const uint8_t *user, size_t ulen,
                                      const uint8_t *pass, size_t plen)
{
    if (!proto || !pass || !plen || (ulen && !user)) return NULL;
    defcred_key_t k = {proto, ulen ? user : (const uint8_t *)"", pass, ulen, plen};
    const sig_defcred_t *hit = bsearch(&k, sig_defcreds, sig_defcreds_n, sizeof *hit, defcred_cmp);
    if (hit || !ulen) return hit; /* "any" rows all have a user name */
    k.proto = "any";
    return bsearch(&k, sig_defcreds, sig_defcreds_n, sizeof *hit, defcred_cmp);
}

uint32_t sig_defcred_hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ? h : 1;
}

const sig_defcred_t *sig_defcred_find_hashed(const char *proto, uint32_t user_hash,
                                             const uint8_t *pass, size_t plen)
{
    if (!proto || !pass || !plen || !user_hash) return NULL;
    const sig_defcred_t *any = NULL;
    for (size_t i = 0; i < sig_defcreds_n; i++) {
        const sig_defcred_t *e = &sig_defcreds[i];
        bool mine = strcmp(e->proto, proto) == 0;
        if (!mine && strcmp(e->proto, "any") != 0) continue;
        if (defcred_cmp_str(pass, plen, e->pass) != 0 || !e->user[0]) continue;
        if (sig_defcred_hash((const uint8_t *)e->user, strlen(e->user)) != user_hash) continue;
        if (mine) return e;
        if (!any) any = e;
    }
    return any;
}

size_t sig_defcred_count(void)
{
    return sig_defcreds_n;
}
