#include "ssf/json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <time.h>

void ssf_json_init(ssf_json_t *j, FILE *f, bool pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->pretty = pretty;
}

static void json_escaped(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fputs("\\u00", f);
                fputc(hex[*p >> 4], f);
                fputc(hex[*p & 15], f);
            } else {
                fputc(*p, f);
            }
        }
    }
    fputc('"', f);
}

/* Writes the separator, indentation and key that precede every member. */
static void json_member(ssf_json_t *j, const char *key)
{
    if (j->has_member[j->depth]) fputc(',', j->f);
    j->has_member[j->depth] = true;
    if (j->pretty && j->depth > 0) {
        fputc('\n', j->f);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->f);
    }
    if (key) {
        json_escaped(j->f, key);
        fputs(j->pretty ? ": " : ":", j->f);
    }
}

static void json_open(ssf_json_t *j, const char *key, char c)
{
    json_member(j, key);
    fputc(c, j->f);
    assert(j->depth + 1 < SSF_JSON_DEPTH);
    j->has_member[++j->depth] = false;
}

static void json_close(ssf_json_t *j, char c)
{
    bool had = j->has_member[j->depth];
    assert(j->depth > 0);
    j->depth--;
    if (j->pretty && had) {
        fputc('\n', j->f);
        for (int i = 0; i < j->depth; i++)
            fputs("  ", j->f);
    }
    fputc(c, j->f);
}

void ssf_json_obj_begin(ssf_json_t *j, const char *key)
{
    json_open(j, key, '{');
}
void ssf_json_obj_end(ssf_json_t *j)
{
    json_close(j, '}');
}
void ssf_json_arr_begin(ssf_json_t *j, const char *key)
{
    json_open(j, key, '[');
}
void ssf_json_arr_end(ssf_json_t *j)
{
    json_close(j, ']');
}

void ssf_json_str(ssf_json_t *j, const char *key, const char *v)
{
    json_member(j, key);
    if (v)
        json_escaped(j->f, v);
    else
        fputs("null", j->f);
}

void ssf_json_str_list(ssf_json_t *j, const char *key, const char *list)
{
    char item[64];
    ssf_json_arr_begin(j, key);
    for (const char *q = list ? list : ""; *q;) {
        while (*q == ' ')
            q++;
        size_t n = strcspn(q, ",");
        size_t k = n;
        while (k && q[k - 1] == ' ')
            k--;
        snprintf(item, sizeof item, "%.*s", (int)(k < sizeof item ? k : sizeof item - 1), q);
        if (k) ssf_json_str(j, NULL, item);
        q += n + (q[n] == ',');
    }
    ssf_json_arr_end(j);
}

void ssf_json_u64(ssf_json_t *j, const char *key, uint64_t v)
{
    json_member(j, key);
    fprintf(j->f, "%" PRIu64, v);
}

void ssf_json_i64(ssf_json_t *j, const char *key, int64_t v)
{
    json_member(j, key);
    fprintf(j->f, "%" PRId64, v);
}

void ssf_json_dbl(ssf_json_t *j, const char *key, double v, int decimals)
{
    json_member(j, key);
    if (isfinite(v))
        fprintf(j->f, "%.*f", decimals, v);
    else
        fputs("null", j->f);
}

void ssf_json_bool(ssf_json_t *j, const char *key, bool v)
{
    json_member(j, key);
    fputs(v ? "true" : "false", j->f);
}

char *ssf_time_iso(uint64_t us, char *buf, size_t len)
{
    time_t secs = (time_t)(us / 1000000u);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06uZ", date, (unsigned)(us % 1000000u));
    return buf;
}

void ssf_json_time(ssf_json_t *j, const char *key, uint64_t us)
{
    char buf[40];
    ssf_json_str(j, key, us ? ssf_time_iso(us, buf, sizeof buf) : NULL);
}
