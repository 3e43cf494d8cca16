/* bruteforce_no_lockout (ETSI EN 303 645 5.1-5): a server that keeps answering failed logins at
 * the pace they come, without locking the client out or slowing it down.
 *
 * The probes count refusals per (server, client, protocol) and report them as one auth.failure
 * item, "ftp 530 from 10.0.0.9", whose observation count is the refusals since the worker's
 * last report (probes/worker_ident.c); the site adds the counts up, so eng_ev_t.count is the
 * attempts and first_us/last_us bound the run. auth.success "ftp 230 after 8 failures from
 * 10.0.0.9" says a run got in. auth.lockout "ftp 421 from 10.0.0.9" says the server locked
 * that client out or throttled it (probes/ev_ftp.c, ev_mail.c, ev_http.c): a run that the
 * server cut off within BF_LOCKOUT_MAX refusals, and that no refusal followed, is no finding. */
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
/* A server that makes each attempt cost this long on average does slow guessing down: no
 * finding. 30 s per try bounds a guesser to under 3,000 tries a day per client. */
#define BF_SLOW_US (30ull * 1000000)
/* A lockout counts only if it came soon enough. NIST SP 800-63B 5.2.2 lets a verifier allow up
 * to 100 consecutive failures, but that is a ceiling for online services with other defences;
 * hardening baselines for the accounts an OT engineer cares about (CIS Benchmarks' account
 * lockout threshold, vendor guides for PLC and HMI web servers) lock at 3 to 10, and IEC
 * 62443-3-3 SR 1.11 asks for a configurable limit of that kind. Past 10 refusals the server is
 * still weak: at 10 guesses per lockout period a common password list falls in days. */
#define BF_LOCKOUT_MAX 10
#define BF_RUNS_MAX    ENG_EV_PER_FIELD_MAX

/* One protocol and client's refusals on one host. */
typedef struct {
    char proto[16];  /* "ftp"                                                   */
    char label[64];  /* "ftp 530"                                               */
    char client[64]; /* "10.0.0.9"                                              */
    uint64_t attempts;
    uint64_t first_us, last_us;
    const eng_ev_t *first; /* the item seen first                               */
    const eng_ev_t *lock;  /* the client's earliest auth.lockout of proto, NULL */
} bf_run;

/* Splits "LABEL from CLIENT" at its last " from "; false when the value has another shape. */
static bool bf_split(const char *v, char *label, size_t llen, char *client, size_t clen)
{
    const char *from = NULL;
    for (const char *q = v; (q = strstr(q, " from ")); q++)
        from = q;
    if (!from || from == v || !from[6]) return false;
    snprintf(label, llen, "%.*s", (int)(from - v), v);
    snprintf(client, clen, "%s", from + 6);
    return true;
}

/* Splits "LABEL after N failures from CLIENT"; false when the value has another shape. */
static bool bf_parse_success(const char *v, char *label, size_t llen, char *client, size_t clen)
{
    char head[COLL_VALUE_MAX];
    if (!bf_split(v, head, sizeof head, client, clen)) return false;
    const char *after = strstr(head, " after ");
    if (!after || after == head) return false;
    snprintf(label, llen, "%.*s", (int)(after - head), head);
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

static void bf_add(bf_run *r, const eng_ev_t *e)
{
    r->attempts = r->attempts + e->count < r->attempts ? UINT64_MAX : r->attempts + e->count;
    if (!r->first || e->first_us < r->first_us) r->first_us = e->first_us, r->first = e;
    if (e->last_us > r->last_us) r->last_us = e->last_us;
}

/* The host's refusals grouped by protocol and client (one item each, unless the server
 * answered one client with several replies, "pop -ERR" and "pop -ERR [AUTH]"). */
static size_t bf_runs(const eng_host_t *h, bf_run *runs)
{
    size_t n = 0;
    for (size_t i = 0; i < h->ev.n; i++) {
        const eng_ev_t *e = &h->ev.v[i];
        char label[64], client[64];
        if (e->field != PROBE_EVF_AUTH_FAILURE ||
            !bf_split(e->value, label, sizeof label, client, sizeof client))
            continue;
        bf_run *r = bf_run_of(runs, &n, label, client);
        if (r) bf_add(r, e);
    }
    return n;
}

/* Each run's earliest lockout reply from the server to that client in that protocol. */
static void bf_lockouts(const eng_host_t *h, bf_run *runs, size_t n)
{
    for (size_t i = 0; i < h->ev.n; i++) {
        const eng_ev_t *e = &h->ev.v[i];
        char label[64], client[64];
        if (e->field != PROBE_EVF_AUTH_LOCKOUT ||
            !bf_split(e->value, label, sizeof label, client, sizeof client))
            continue;
        size_t plen = strcspn(label, " ");
        for (size_t k = 0; k < n; k++) {
            bf_run *r = &runs[k];
            if (strcmp(r->client, client) || strlen(r->proto) != plen ||
                strncmp(r->proto, label, plen))
                continue;
            if (!r->lock || e->first_us < r->lock->first_us) r->lock = e;
        }
    }
}

/* The server locked the client out: no refusal came after its first lockout reply, so every
 * later try (if any) got the lockout instead of a verdict on the password; the lockout answered
 * the run, within BF_SLOW_US of its last refusal (a guesser's next try comes sooner, or the
 * run would have been slow), not a rate limit met an hour later; and it did so within
 * BF_LOCKOUT_MAX refusals. A lockout that ends one session while the next session's
 * guesses are refused again (vsftpd's max_login_fails, ProFTPD's MaxLoginAttempts without a
 * ban) is a per-session limit: the guesser reconnects, and it stays a finding. */
static bool bf_locked(const bf_run *r)
{
    return r->lock && r->last_us <= r->lock->first_us &&
           r->lock->first_us - r->last_us <= BF_SLOW_US && r->attempts <= BF_LOCKOUT_MAX;
}

/* Why a run with a lockout reply is still a finding, for the finding's value; "" without. */
static void bf_lock_why(const bf_run *r, char *out, size_t size)
{
    char label[64], client[64];
    *out = 0;
    if (!r->lock || !bf_split(r->lock->value, label, sizeof label, client, sizeof client)) return;
    uint64_t at = r->lock->first_us;
    if (r->last_us > at)
        snprintf(out, size,
                 "; %s ended a session but later guesses were refused again: a "
                 "per-session limit, not a lockout",
                 label);
    else if (at - r->last_us > BF_SLOW_US)
        snprintf(out, size, "; %s came %llu s after the last refusal, not in answer to the run",
                 label, (unsigned long long)((at - r->last_us) / 1000000));
    else
        snprintf(out, size, "; %s came only after %llu failures (more than %d)", label,
                 (unsigned long long)r->attempts, BF_LOCKOUT_MAX);
}

/* The server slowed the guesser down: attempts came slowly on average. A backoff that grows
 * (1, 2, 4 ... s) passes 30 s on average within a dozen tries, so the average catches it too. */
static bool bf_slowed(const bf_run *r)
{
    uint64_t span = r->last_us > r->first_us ? r->last_us - r->first_us : 0;
    return r->attempts > 1 && span / (r->attempts - 1) >= BF_SLOW_US;
}

static void bf_raise(eng_device_t *d, const eng_host_t *h, const bf_run *r)
{
    char v[COLL_VALUE_MAX], why[160];
    bf_lock_why(r, why, sizeof why);
    eng_ev_t at = *r->first;
    at.count = r->attempts;
    at.first_us = r->first_us;
    at.last_us = r->last_us;
    uint64_t s = (r->last_us - r->first_us) / 1000000;
    /* A long label or reason is cut at the value cap, as every evidence value is. */
    if (snprintf(v, sizeof v, "%s: %llu failed logins from %s in %llu s, not slowed down%s",
                 r->label, (unsigned long long)r->attempts, r->client, (unsigned long long)s,
                 why) >= (int)sizeof v)
        v[sizeof v - 1] = '\0';
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
        if (e->field != PROBE_EVF_AUTH_SUCCESS ||
            !bf_parse_success(e->value, label, sizeof label, client, sizeof client) ||
            strcmp(client, r->client) || strncmp(label, r->proto, strlen(r->proto)))
            continue;
        /* The run's count, not the one worker's that saw the success. */
        snprintf(v, sizeof v, "brute force succeeded: %s after %llu failures from %s", label,
                 (unsigned long long)r->attempts, client);
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
    bf_lockouts(h, runs, n);
    for (size_t i = 0; i < n; i++) {
        uint64_t total = 0; /* the server's refusals in this protocol, all clients */
        for (size_t k = 0; k < n; k++)
            if (!strcmp(runs[k].proto, runs[i].proto)) total += runs[k].attempts;
        if (runs[i].attempts < BF_PER_CLIENT && total < BF_PER_SERVER) continue;
        if (bf_slowed(&runs[i]) || bf_locked(&runs[i])) continue;
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
