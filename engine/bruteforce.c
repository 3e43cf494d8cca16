/* bruteforce_no_lockout (ETSI EN 303 645 5.1-5): a server that keeps answering failed logins at
 * the pace they come, without locking the client out or slowing it down.
 *
 * The probes count refusals per (server, client, protocol) and send the count at 1..5, 10,
 * 20, 50, 100 ... as auth.failure "ftp 530 x5 from 10.0.0.9" (probes/worker_ident.c); each
 * worker counts on its own, so the same milestone can arrive more than once (eng_ev_t.count)
 * and the attempts are the sum, over milestones, of count times the step from the milestone
 * before. auth.success "ftp 230 after 8 failures from 10.0.0.9" says a run got in. */
#include "site_internal.h"

#include "probe/evidence.h"

#include <stdio.h>
#include <stdlib.h>

/* Five refusals from one client is past any typing slip, and ten against one server from
 * several clients is a spread-out guessing run: NIST SP 800-63B 5.2.2 caps consecutive failed
 * attempts at 100 but expects throttling long before, and common lockout policies trip at 3 to
 * 10. Four refusals is still someone who forgot a password. */
#define BF_PER_CLIENT 5
#define BF_PER_SERVER 10
/* A server that makes each attempt cost this long on average, or whose last attempts came
 * this many times slower than its first, does slow guessing down: no finding. 30 s per try
 * bounds a guesser to under 3,000 tries a day per client. */
#define BF_SLOW_US   (30ull * 1000000)
#define BF_GROWTH    4
#define BF_GROWTH_US (5ull * 1000000) /* ... and the slow end is at least this long per try */
#define BF_RUNS_MAX  ENG_EV_PER_FIELD_MAX
#define BF_EVERY     10 /* the probes send every count up to this (WK_AUTH_EVERY) */

/* One protocol and client's refusals on one host. */
typedef struct {
    char proto[16];  /* "ftp"                                                   */
    char label[64];  /* "ftp 530"                                               */
    char client[64]; /* "10.0.0.9"                                              */
    uint64_t attempts;
    uint64_t top; /* highest milestone: from BF_EVERY on, attempts is a lower bound  */
    uint64_t first_us, last_us;
    const eng_ev_t *first; /* the milestone item seen first                     */
    /* Time per attempt at the start (milestones 1..2) and at the end (last two). */
    uint32_t lo_n, hi_n, prev_n;
    uint64_t lo_us, hi_us, prev_us;
} bf_run;

/* The milestone before n in 1..10, 20, 50, 100 ...: the attempts n's item stands for. */
static uint64_t bf_prev(uint64_t n)
{
    if (n <= BF_EVERY) return n - 1;
    uint64_t m = n;
    while (m % 10 == 0)
        m /= 10;
    return m == 5 ? n / 5 * 2 : n / 2;
}

/* Splits "LABEL xN from CLIENT" (what) or "LABEL after N failures from CLIENT"; false when the
 * value has another shape. */
static bool bf_parse(const char *v, const char *what, char *label, size_t llen, uint64_t *n,
                     char *client, size_t clen)
{
    const char *from = strstr(v, " from ");
    if (!from) return false;
    const char *mark = NULL;
    for (const char *q = v; (q = strstr(q, what)) && q < from; q++)
        mark = q;
    if (!mark) return false;
    char *end;
    unsigned long long x = strtoull(mark + strlen(what), &end, 10);
    if (end == mark + strlen(what) || x == 0) return false;
    *n = x;
    snprintf(label, llen, "%.*s", (int)(mark - v), v);
    snprintf(client, clen, "%s", from + 6);
    return true;
}

static bf_run *bf_run_of(bf_run *runs, size_t *n, const char *label, const char *client)
{
    char proto[16];
    snprintf(proto, sizeof proto, "%.*s", (int)strcspn(label, " "), label);
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(runs[i].proto, proto) && !strcmp(runs[i].client, client)) return &runs[i];
    if (*n >= BF_RUNS_MAX) return NULL;
    bf_run *r = &runs[(*n)++];
    memset(r, 0, sizeof *r);
    snprintf(r->proto, sizeof r->proto, "%s", proto);
    snprintf(r->label, sizeof r->label, "%s", label);
    snprintf(r->client, sizeof r->client, "%s", client);
    return r;
}

static void bf_add(bf_run *r, const eng_ev_t *e, uint64_t n)
{
    r->attempts += e->count * (n - bf_prev(n));
    if (n > r->top) r->top = n;
    if (!r->first || e->first_us < r->first_us) r->first_us = e->first_us, r->first = e;
    if (e->last_us > r->last_us) r->last_us = e->last_us;
}

static int bf_ev_cmp(const void *a, const void *b)
{
    const eng_ev_t *x = *(const eng_ev_t *const *)a, *y = *(const eng_ev_t *const *)b;
    return x->first_us < y->first_us ? -1 : x->first_us > y->first_us;
}

/* The host's refusals grouped by protocol and client. */
static size_t bf_runs(const eng_host_t *h, bf_run *runs)
{
    const eng_ev_t *evs[BF_RUNS_MAX * 4];
    size_t ne = 0, n = 0;
    for (size_t i = 0; i < h->ev.n && ne < SSF_ARRAY_LEN(evs); i++)
        if (h->ev.v[i].field == PROBE_EVF_AUTH_FAILURE) evs[ne++] = &h->ev.v[i];
    qsort(evs, ne, sizeof *evs, bf_ev_cmp); /* in time order: the pace reads left to right */
    for (size_t i = 0; i < ne; i++) {
        char label[64], client[64];
        uint64_t k;
        if (!bf_parse(evs[i]->value, " x", label, sizeof label, &k, client, sizeof client))
            continue;
        bf_run *r = bf_run_of(runs, &n, label, client);
        if (!r) continue;
        bf_add(r, evs[i], k);
        /* Time per attempt between consecutive milestones of one worker's count. */
        if (r->prev_n && k > r->prev_n && evs[i]->first_us >= r->prev_us) {
            uint64_t per = (evs[i]->first_us - r->prev_us) / (k - r->prev_n);
            if (!r->lo_n) r->lo_n = (uint32_t)k, r->lo_us = per;
            r->hi_n = (uint32_t)k, r->hi_us = per;
        }
        r->prev_n = (uint32_t)k, r->prev_us = evs[i]->first_us;
    }
    return n;
}

/* The server slowed the guesser down: a slow average, or a pace that grew. */
static bool bf_slowed(const bf_run *r)
{
    uint64_t span = r->last_us > r->first_us ? r->last_us - r->first_us : 0;
    if (r->attempts > 1 && span / (r->attempts - 1) >= BF_SLOW_US) return true;
    return r->hi_n > r->lo_n && r->hi_us >= BF_GROWTH_US && r->hi_us >= BF_GROWTH * r->lo_us;
}

static void bf_raise(eng_device_t *d, const eng_host_t *h, const bf_run *r)
{
    char v[COLL_VALUE_MAX];
    eng_ev_t at = *r->first;
    at.count = r->attempts;
    at.first_us = r->first_us;
    at.last_us = r->last_us;
    uint64_t s = (r->last_us - r->first_us) / 1000000;
    snprintf(v, sizeof v, "%s: %s%llu failed logins from %s in %llu s, not slowed down", r->label,
             r->top >= BF_EVERY ? "at least " : "", (unsigned long long)r->attempts, r->client,
             (unsigned long long)s);
    eng_finding_raise(d, &(eng_check_hit_t){.kind = "bruteforce_no_lockout",
                                            .check = "bruteforce.failures",
                                            .field = "auth.failure",
                                            .value = v,
                                            .host = h,
                                            .ev = &at});
}

/* auth.success items that follow refusals from a client of a raised run. */
static void bf_success(eng_device_t *d, const eng_host_t *h, const bf_run *r)
{
    for (size_t i = 0; i < h->ev.n; i++) {
        const eng_ev_t *e = &h->ev.v[i];
        char label[64], client[64], v[COLL_VALUE_MAX];
        uint64_t k;
        if (e->field != PROBE_EVF_AUTH_SUCCESS ||
            !bf_parse(e->value, " after ", label, sizeof label, &k, client, sizeof client) ||
            strcmp(client, r->client) || strncmp(label, r->proto, strlen(r->proto)))
            continue;
        /* The run's count, not the one worker's that saw the success. */
        snprintf(v, sizeof v, "brute force succeeded: %s after %s%llu failures from %s", label,
                 r->top >= BF_EVERY ? "at least " : "", (unsigned long long)r->attempts, client);
        eng_finding_raise(d, &(eng_check_hit_t){.kind = "bruteforce_no_lockout",
                                                .check = "bruteforce.success",
                                                .field = "auth.success",
                                                .value = v,
                                                .host = h,
                                                .ev = e});
    }
}

static void bf_host(eng_device_t *d, const eng_host_t *h)
{
    bf_run runs[BF_RUNS_MAX];
    size_t n = bf_runs(h, runs);
    for (size_t i = 0; i < n; i++) {
        uint64_t total = 0; /* the server's refusals in this protocol, all clients */
        for (size_t k = 0; k < n; k++)
            if (!strcmp(runs[k].proto, runs[i].proto)) total += runs[k].attempts;
        if (runs[i].attempts < BF_PER_CLIENT && total < BF_PER_SERVER) continue;
        if (bf_slowed(&runs[i])) continue;
        bf_raise(d, h, &runs[i]);
        bf_success(d, h, &runs[i]);
    }
}

void eng_bruteforce_check(eng_site_t *s)
{
    for (size_t i = 0; i < s->devices.n; i++) {
        eng_device_t *d = s->devices.v[i];
        for (size_t k = 0; k < d->hosts.n; k++)
            bf_host(d, d->hosts.v[k]);
    }
}
