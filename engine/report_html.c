/* The self-contained HTML report of a risk.json: the IoT-SSF risk map as SVG, a sortable
 * device table and the findings with their evidence. One file, inline CSS and JS, nothing
 * fetched. Every value came from the network, so each goes out through eng_html_puts (or
 * eng_js_puts inside the data script); the script builds nothing from strings, it only moves
 * and sorts elements the renderer escaped. */
#include "eng/placement.h"
#include "eng/risk.h"

#include <json-c/json.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#define CELL_W        150
#define CELL_H        110
#define MAP_X0        110 /* left margin: the human axis labels */
#define MAP_Y0        20
#define MARK_STEP_MAX 22

void eng_html_puts(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

void eng_js_puts(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            fprintf(f, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
            p += 2;
        } else if (*p < 0x20 || strchr("\"\\<>&/'", *p)) {
            fprintf(f, "\\u%04x", *p);
        } else {
            fputc(*p, f);
        }
    }
}

static const char *jstr(const struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static int64_t jint(const struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v)) return 0;
    return json_object_get_int64(v);
}

static struct json_object *jget(const struct json_object *o, const char *key)
{
    struct json_object *v;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static size_t jlen(const struct json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *jat(const struct json_object *a, size_t i)
{
    return json_object_array_get_idx(a, i);
}

static void h(FILE *f, const char *s)
{
    eng_html_puts(f, s ? s : "-");
}

static const char css[] =
    "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#eee;cursor:pointer}.s0{fill:#fff}.s1{fill:#e8f3e8}.s2{fill:#fdf1c7}.s3{fill:#"
    "fbd3a4}"
    ".s4{fill:#f2a89c}.cell{stroke:#999}.g0{fill:#2e7d32}.g1{fill:#f9a825}.g2{fill:#ef6c00}"
    ".g3{fill:#b71c1c}.mark{stroke:#fff;stroke-width:1.5;cursor:pointer}.mark.sel{stroke:#000;"
    "stroke-width:3}svg text{font-size:11px}.cat{fill:#555;font-style:italic}"
    "#detail{border:1px solid #ccc;padding:.5em;min-height:3em;max-width:60em}"
    ".tg0{background:#c8e6c9}.tg1{background:#fff3b0}.tg2{background:#ffd0a0}"
    ".tg3{background:#f4a09a}.wrap{display:flex;gap:1.5em;flex-wrap:wrap}"
    ".mark.sys text{fill:#222;stroke:none;font-size:10px;font-weight:bold}";

/* Sorts the device table by a column (numbers by data-v), and shows a device's details when
 * its mark or row is clicked. Marks the page ready once both are built, for the browser test. */
static const char script[] =
    "window.onerror=function(m){var e=document.createElement('div');e.id='ssf-error';"
    "e.textContent=String(m);document.body.appendChild(e);};\n"
    "(function(){var data=JSON.parse(document.getElementById('risk-data').textContent);\n"
    "var tb=document.querySelector('#devices tbody');\n"
    "document.querySelectorAll('#devices th').forEach(function(th,i){var asc=true;"
    "th.addEventListener('click',function(){var rows=Array.prototype.slice.call(tb.rows);"
    "rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v'),"
    "y=b.cells[i].getAttribute('data-v');var nx=parseFloat(x),ny=parseFloat(y);"
    "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});"
    "asc=!asc;rows.forEach(function(r){tb.appendChild(r);});});});\n"
    "function show(n){var src=document.getElementById('dd-'+n),dst=document.getElementById("
    "'detail');if(!src)return;dst.innerHTML=src.innerHTML;"
    "document.querySelectorAll('.mark').forEach(function(m){m.classList.toggle('sel',"
    "m.getAttribute('data-dev')===String(n));});}\n"
    "document.querySelectorAll('[data-dev]').forEach(function(el){el.addEventListener('click',"
    "function(){show(el.getAttribute('data-dev'));});});\n"
    "var marks=document.querySelectorAll('#map .mark').length;"
    "var ok=data.devices.length===tb.rows.length&&marks===data.marks;"
    "var r=document.createElement('div');r.id='ssf-ready';r.hidden=true;"
    "r.setAttribute('data-devices',String(tb.rows.length));r.setAttribute('data-marks',"
    "String(marks));r.setAttribute('data-ok',ok?'1':'0');document.body.appendChild(r);"
    "document.body.setAttribute('data-ready',ok?'1':'0');})();\n";

static unsigned clamp_level(int64_t v)
{
    return v >= 1 && v <= ENG_IOTSSF_LEVELS ? (unsigned)v : 0;
}

/* x of economic level e (left edge), y of human level hu (top edge): human rises upwards. */
static unsigned cell_x(unsigned e)
{
    return MAP_X0 + (e - 1) * CELL_W;
}
static unsigned cell_y(unsigned hu)
{
    return MAP_Y0 + (ENG_IOTSSF_LEVELS - hu) * CELL_H;
}

static void map_cells(FILE *f, const struct json_object *r)
{
    const struct json_object *cats = jget(r, "categories");
    for (size_t i = 0; i < jlen(cats); i++) {
        const struct json_object *c = jat(cats, i);
        unsigned hu = clamp_level(jint(c, "human")), e = clamp_level(jint(c, "economic"));
        unsigned st = clamp_level(jint(c, "strength"));
        if (!hu || !e) continue;
        fprintf(f, "<rect class=\"cell s%u\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\"/>", st,
                cell_x(e), cell_y(hu), CELL_W, CELL_H);
        fprintf(f, "<text class=\"cat\" x=\"%u\" y=\"%u\">", cell_x(e) + 4, cell_y(hu) + 13);
        h(f, jstr(c, "category"));
        fprintf(f, " (%u)</text>", st);
    }
}

static void map_axes(FILE *f, const struct json_object *r)
{
    const struct json_object *ax = jget(r, "axes");
    const struct json_object *hum = jget(ax, "human"), *eco = jget(ax, "economic");
    for (size_t i = 0; i < jlen(hum); i++) {
        unsigned lv = clamp_level(jint(jat(hum, i), "level"));
        if (!lv) continue;
        fprintf(f, "<text x=\"32\" y=\"%u\">", cell_y(lv) + CELL_H / 2);
        h(f, jstr(jat(hum, i), "name"));
        fputs("</text>", f);
    }
    for (size_t i = 0; i < jlen(eco); i++) {
        unsigned lv = clamp_level(jint(jat(eco, i), "level"));
        if (!lv) continue;
        fprintf(f, "<text x=\"%u\" y=\"%u\">", cell_x(lv) + 4, cell_y(1) + CELL_H + 16);
        h(f, jstr(jat(eco, i), "name"));
        fputs("</text>", f);
    }
    fprintf(f,
            "<text x=\"%u\" y=\"%u\" font-weight=\"bold\">economic impact &#8594;</text>"
            "<text x=\"14\" y=\"%u\" font-weight=\"bold\" transform=\"rotate(-90 14 %u)\">"
            "human damage (difficulty of recovery) &#8594;</text>",
            MAP_X0 + 2 * CELL_W - 50, cell_y(1) + CELL_H + 34, cell_y(1) + CELL_H - 10,
            cell_y(1) + CELL_H - 10);
}

static const char *ident_val(const struct json_object *d, const char *key)
{
    return jstr(jget(jget(d, "identity"), key), "value");
}

static void kinds_list(FILE *f, const struct json_object *d)
{
    const struct json_object *fs = jget(d, "findings");
    for (size_t i = 0; i < jlen(fs); i++) {
        if (i) fputs(", ", f);
        h(f, jstr(jat(fs, i), "kind"));
    }
}

/* A system is drawn when it has members and a placement; then its members are not drawn on
 * their own: the IoT-SSF map shows them only as part of the system. */
static bool sys_drawn(const struct json_object *sys)
{
    const struct json_object *p = jget(sys, "placement");
    return jlen(jget(sys, "members")) && clamp_level(jint(p, "human")) &&
           clamp_level(jint(p, "economic"));
}

/* The drawn system a device belongs to, NULL when it is drawn on its own. */
static const struct json_object *drawn_system_of(const struct json_object *r,
                                                 const struct json_object *d)
{
    const char *name = jstr(d, "system");
    const struct json_object *sys = jget(r, "systems");
    for (size_t i = 0; name && i < jlen(sys); i++)
        if (jstr(jat(sys, i), "name") && !strcmp(jstr(jat(sys, i), "name"), name))
            return sys_drawn(jat(sys, i)) ? jat(sys, i) : NULL;
    return NULL;
}

static size_t count_marks(const struct json_object *r)
{
    size_t n = 0;
    const struct json_object *sys = jget(r, "systems"), *devs = jget(r, "devices");
    for (size_t i = 0; i < jlen(sys); i++)
        n += sys_drawn(jat(sys, i));
    for (size_t i = 0; i < jlen(devs); i++) {
        const struct json_object *p = jget(jat(devs, i), "placement");
        n += !drawn_system_of(r, jat(devs, i)) && clamp_level(jint(p, "human")) &&
             clamp_level(jint(p, "economic"));
    }
    return n;
}

/* The members of a system, in the document's (rank) order. */
static bool is_member(const struct json_object *sys, const struct json_object *d)
{
    const char *name = jstr(sys, "name"), *in = jstr(d, "system");
    return name && in && !strcmp(name, in);
}

static void sys_title(FILE *f, const struct json_object *r, const struct json_object *sys)
{
    const struct json_object *devs = jget(r, "devices");
    fprintf(f, "#%" PRId64 " system ", jint(sys, "rank"));
    h(f, jstr(sys, "name"));
    size_t n = jlen(jget(sys, "members"));
    fprintf(f,
            ": %zu member%s; required %" PRId64 ", assurance %" PRId64
            " (weakest member), gap %" PRId64,
            n, n == 1 ? "" : "s", jint(sys, "required_strength"), jint(sys, "assurance"),
            jint(sys, "gap"));
    for (size_t i = 0; i < jlen(devs); i++) {
        const struct json_object *d = jat(devs, i);
        if (!is_member(sys, d)) continue;
        fputs("\n- ", f);
        h(f, jstr(d, "name") ? jstr(d, "name") : jstr(d, "id"));
        if (ident_val(d, "device_type")) {
            fputs(" (", f);
            h(f, ident_val(d, "device_type"));
            fputc(')', f);
        }
        fprintf(f, " gap %" PRId64, jint(d, "gap"));
        if (jlen(jget(d, "findings"))) {
            fputs(": ", f);
            kinds_list(f, d);
        }
    }
}

/* The hover text: rank, name, identity, posture and the finding kinds. */
static void mark_title(FILE *f, const struct json_object *d)
{
    static const char *const keys[] = {"vendor", "model", "firmware", "device_type"};
    fprintf(f, "#%" PRId64 " ", jint(d, "rank"));
    h(f, jstr(d, "name") ? jstr(d, "name") : jstr(d, "id"));
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (ident_val(d, keys[i])) {
            fputs(i ? " " : ": ", f);
            h(f, ident_val(d, keys[i]));
        }
    fprintf(f, "; required %" PRId64 ", assurance %" PRId64 ", gap %" PRId64,
            jint(d, "required_strength"), jint(d, "assurance"), jint(d, "gap"));
    if (jlen(jget(d, "findings"))) {
        fputs("; findings: ", f);
        kinds_list(f, d);
    }
}

/* A system's mark: a rounded square with its name, a row of its own at the bottom of the
 * cell, so the name is readable and no device mark covers it. */
static void sys_mark(FILE *f, const struct json_object *r, size_t k, unsigned hu, unsigned e,
                     unsigned row, unsigned row_h)
{
    const struct json_object *sys = jat(jget(r, "systems"), k);
    unsigned gap = (unsigned)jint(sys, "gap"), side = row_h - 3;
    unsigned x = cell_x(e) + 6, y = cell_y(hu) + CELL_H - (row + 1) * row_h;
    fprintf(f,
            "<g class=\"mark sys g%u\" data-dev=\"s%zu\"><rect x=\"%u\" y=\"%u\" width=\"%u\" "
            "height=\"%u\" rx=\"3\"/><text x=\"%u\" y=\"%u\">",
            gap > 3 ? 3 : gap, k, x, y, side, side, x + side + 4, y + side - 2);
    /* Long names are cut to the cell's width; the hover and the panel give them whole. */
    const char *name = jstr(sys, "name");
    char cut[24];
    snprintf(cut, sizeof cut, "%s", name ? name : "-");
    h(f, cut);
    fputs("</text><title>", f);
    sys_title(f, r, sys);
    fputs("</title></g>", f);
}

static bool in_cell(const struct json_object *o, unsigned hu, unsigned e)
{
    const struct json_object *p = jget(o, "placement");
    return clamp_level(jint(p, "human")) == hu && clamp_level(jint(p, "economic")) == e;
}

/* Marks of one cell: its systems as rows at the bottom, its devices on a grid above them, so
 * several never overlap: the step shrinks as the count grows, and the radius stays under half
 * the step. */
static void map_marks_cell(FILE *f, const struct json_object *r, unsigned hu, unsigned e)
{
    const struct json_object *devs = jget(r, "devices"), *sys = jget(r, "systems");
    size_t n = 0, n_sys = 0;
    for (size_t i = 0; i < jlen(sys); i++)
        n_sys += sys_drawn(jat(sys, i)) && in_cell(jat(sys, i), hu, e);
    for (size_t i = 0; i < jlen(devs); i++)
        n += in_cell(jat(devs, i), hu, e) && !drawn_system_of(r, jat(devs, i));
    unsigned row_h = n_sys ? (CELL_H - 40) / (unsigned)n_sys : 0;
    if (row_h > 20) row_h = 20;
    for (size_t i = 0, row = 0; i < jlen(sys); i++)
        if (sys_drawn(jat(sys, i)) && in_cell(jat(sys, i), hu, e))
            sys_mark(f, r, i, hu, e, (unsigned)row++, row_h);
    if (!n) return;
    unsigned cols = 1;
    while (cols * cols < n)
        cols++;
    unsigned step = (CELL_W - 12) / cols;
    unsigned rows_step = (CELL_H - 24 - (unsigned)n_sys * row_h) / cols;
    if (rows_step < step) step = rows_step;
    if (step > MARK_STEP_MAX) step = MARK_STEP_MAX;
    double rad = step * 0.4;
    size_t k = 0;
    for (size_t i = 0; i < jlen(devs); i++) {
        const struct json_object *d = jat(devs, i);
        if (!in_cell(d, hu, e) || drawn_system_of(r, d)) continue;
        unsigned gap = (unsigned)jint(d, "gap");
        fprintf(f,
                "<circle class=\"mark g%u\" data-dev=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\">"
                "<title>",
                gap > 3 ? 3 : gap, i, cell_x(e) + 8 + step * (k % cols + 0.5),
                cell_y(hu) + 20 + step * (k / cols + 0.5), rad);
        mark_title(f, d);
        fputs("</title></circle>", f);
        k++;
    }
}

static void html_map(FILE *f, const struct json_object *r)
{
    fprintf(f, "<svg id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\">",
            MAP_X0 + 4 * CELL_W + 10, MAP_Y0 + 4 * CELL_H + 45);
    map_cells(f, r);
    map_axes(f, r);
    for (unsigned hu = 1; hu <= ENG_IOTSSF_LEVELS; hu++)
        for (unsigned e = 1; e <= ENG_IOTSSF_LEVELS; e++)
            map_marks_cell(f, r, hu, e);
    fputs("</svg>", f);
}

static void td_num(FILE *f, int64_t v)
{
    fprintf(f, "<td data-v=\"%" PRId64 "\">%" PRId64 "</td>", v, v);
}

static void td_str(FILE *f, const char *s)
{
    fputs("<td data-v=\"", f);
    h(f, s);
    fputs("\">", f);
    h(f, s);
    fputs("</td>", f);
}

static void td_ips(FILE *f, const struct json_object *d)
{
    const struct json_object *ips = jget(d, "ips");
    fputs("<td data-v=\"", f);
    h(f, jlen(ips) ? json_object_get_string(jat(ips, 0)) : "");
    fputs("\">", f);
    for (size_t i = 0; i < jlen(ips); i++) {
        if (i) fputs(" ", f);
        h(f, json_object_get_string(jat(ips, i)));
    }
    fputs("</td>", f);
}

static void html_table(FILE *f, const struct json_object *devs)
{
    fputs(
        "<table id=\"devices\"><thead><tr><th>rank</th><th>gap</th><th>required</th>"
        "<th>assurance</th><th>device</th><th>system</th><th>IPs</th><th>vendor</th><th>model</th>"
        "<th>firmware</th><th>type</th><th>category</th><th>findings</th></tr></thead><tbody>",
        f);
    for (size_t i = 0; i < jlen(devs); i++) {
        const struct json_object *d = jat(devs, i);
        int64_t gap = jint(d, "gap");
        fprintf(f, "<tr class=\"tg%d\" data-dev=\"%zu\">", gap > 3 ? 3 : (int)gap, i);
        td_num(f, jint(d, "rank"));
        td_num(f, gap);
        td_num(f, jint(d, "required_strength"));
        td_num(f, jint(d, "assurance"));
        td_str(f, jstr(d, "name") ? jstr(d, "name") : jstr(d, "id"));
        td_str(f, jstr(d, "system"));
        td_ips(f, d);
        td_str(f, ident_val(d, "vendor"));
        td_str(f, ident_val(d, "model"));
        td_str(f, ident_val(d, "firmware"));
        td_str(f, ident_val(d, "device_type"));
        td_str(f, jstr(jget(d, "placement"), "category"));
        fputs("<td data-v=\"", f);
        kinds_list(f, d);
        fputs("\">", f);
        kinds_list(f, d);
        fputs("</td></tr>", f);
    }
    fputs("</tbody></table>", f);
}

static void evidence_list(FILE *f, const struct json_object *fd)
{
    const struct json_object *ev = jget(fd, "evidence");
    fputs("<ul>", f);
    for (size_t i = 0; i < jlen(ev); i++) {
        const struct json_object *e = jat(ev, i);
        fputs("<li><code>", f);
        h(f, jstr(e, "field"));
        fputs("</code> = <code>", f);
        h(f, jstr(e, "value"));
        fputs("</code> (", f);
        if (jstr(e, "source")) {
            h(f, jstr(e, "source"));
            fputs(", ", f);
        }
        if (jstr(e, "input")) {
            h(f, jstr(e, "input"));
            fputc(' ', f);
        }
        if (jint(e, "frame")) fprintf(f, "frame %" PRId64 ", ", jint(e, "frame"));
        if (jstr(e, "packet")) {
            h(f, jstr(e, "packet"));
            fputs(", ", f);
        }
        fputs(jstr(e, "rule") ? "rule " : "check ", f);
        h(f, jstr(e, "rule") ? jstr(e, "rule") : jstr(e, "check"));
        if (jstr(e, "policy")) {
            fputs(", policy ", f);
            h(f, jstr(e, "policy"));
        }
        fputs(")</li>", f);
    }
    fputs("</ul>", f);
}

static void findings_table(FILE *f, const struct json_object *d)
{
    const struct json_object *fs = jget(d, "findings");
    if (!jlen(fs)) {
        fputs(json_object_get_boolean(jget(d, "no_evidence")) ? "<p>No evidence inspected.</p>"
                                                              : "<p>No findings.</p>",
              f);
        return;
    }
    fputs("<table class=\"findings\"><tr><th>kind</th><th>severity</th><th>provisions</th>"
          "<th>count</th><th>first seen</th><th>last seen</th><th>evidence</th></tr>",
          f);
    for (size_t i = 0; i < jlen(fs); i++) {
        const struct json_object *x = jat(fs, i), *pv = jget(x, "provisions");
        fputs("<tr><td>", f);
        h(f, jstr(x, "kind"));
        fputs("</td><td>", f);
        h(f, jstr(x, "severity"));
        fputs("</td><td>", f);
        for (size_t k = 0; k < jlen(pv); k++) {
            if (k) fputs(", ", f);
            h(f, json_object_get_string(jat(pv, k)));
        }
        fprintf(f, "</td><td>%" PRId64 "</td><td>", jint(x, "count"));
        h(f, jstr(x, "first_seen"));
        fputs("</td><td>", f);
        h(f, jstr(x, "last_seen"));
        fputs("</td><td>", f);
        evidence_list(f, x);
        fputs("</td></tr>", f);
    }
    fputs("</table>", f);
}

static void ident_line(FILE *f, const struct json_object *d)
{
    static const char *const keys[] = {"vendor", "model", "firmware", "os", "device_type"};
    fputs("<p>", f);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const struct json_object *o = jget(jget(d, "identity"), keys[i]);
        fprintf(f, "%s%s: <b>", i ? "; " : "", keys[i]);
        h(f, jstr(o, "value"));
        if (o)
            fprintf(f, "</b> (%" PRId64 "%%)", jint(o, "confidence"));
        else
            fputs("</b>", f);
    }
    fputs("</p>", f);
}

static void device_section(FILE *f, const struct json_object *d)
{
    const struct json_object *p = jget(d, "placement");
    fprintf(f, "<h3>#%" PRId64 " ", jint(d, "rank"));
    h(f, jstr(d, "name") ? jstr(d, "name") : jstr(d, "id"));
    fputs(" <small>", f);
    h(f, jstr(d, "id"));
    fputs("</small></h3>", f);
    ident_line(f, d);
    fprintf(f, "<p>placement human %" PRId64 ", economic %" PRId64 ", category ", jint(p, "human"),
            jint(p, "economic"));
    h(f, jstr(p, "category"));
    fprintf(f, "; required strength %" PRId64 ", assurance %" PRId64 ", gap %" PRId64,
            jint(d, "required_strength"), jint(d, "assurance"), jint(d, "gap"));
    if (jstr(d, "system")) {
        fputs("; member of system <b>", f);
        h(f, jstr(d, "system"));
        fputs("</b>, whose rank it shares", f);
    }
    fputs("</p>", f);
    findings_table(f, d);
}

/* A member's findings in a line: "kind (severity, count)". */
static void member_findings(FILE *f, const struct json_object *d)
{
    const struct json_object *fs = jget(d, "findings");
    if (!jlen(fs)) fputs("none", f);
    for (size_t i = 0; i < jlen(fs); i++) {
        const struct json_object *x = jat(fs, i);
        if (i) fputs(", ", f);
        h(f, jstr(x, "kind"));
        fputs(" (", f);
        h(f, jstr(x, "severity"));
        fprintf(f, ", %" PRId64 ")", jint(x, "count"));
    }
}

static void system_members(FILE *f, const struct json_object *r, const struct json_object *sys)
{
    const struct json_object *devs = jget(r, "devices");
    fputs("<table class=\"members\"><tr><th>member</th><th>IPs</th><th>type</th><th>human</th>"
          "<th>economic</th><th>required</th><th>assurance</th><th>gap</th><th>findings</th></tr>",
          f);
    for (size_t i = 0; i < jlen(devs); i++) {
        const struct json_object *d = jat(devs, i), *p = jget(d, "placement");
        if (!is_member(sys, d)) continue;
        fputs("<tr><td>", f);
        h(f, jstr(d, "name") ? jstr(d, "name") : jstr(d, "id"));
        fputs("</td>", f);
        td_ips(f, d);
        fputs("<td>", f);
        h(f, ident_val(d, "device_type"));
        fprintf(f,
                "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64
                "</td><td>%" PRId64 "</td><td>",
                jint(p, "human"), jint(p, "economic"), jint(d, "required_strength"),
                jint(d, "assurance"), jint(d, "gap"));
        member_findings(f, d);
        fputs("</td></tr>", f);
    }
    fputs("</table>", f);
}

static void system_section(FILE *f, const struct json_object *r, const struct json_object *sys)
{
    const struct json_object *p = jget(sys, "placement");
    const char *src = jstr(p, "source");
    if (jint(sys, "rank"))
        fprintf(f, "<h3>#%" PRId64 " system ", jint(sys, "rank"));
    else
        fputs("<h3>system ", f);
    h(f, jstr(sys, "name"));
    fputs(" <small>policy ", f);
    h(f, jstr(sys, "policy"));
    fputs("</small></h3>", f);
    if (!jlen(jget(sys, "members"))) {
        fputs("<p>No device of the capture is covered by this line.</p>", f);
        return;
    }
    fprintf(f, "<p>placed as one: human %" PRId64 ", economic %" PRId64 " (%s), category ",
            jint(p, "human"), jint(p, "economic"),
            src && !strcmp(src, "members") ? "its most critical members" : "set by the line");
    h(f, jstr(p, "category"));
    fprintf(f,
            "; required strength %" PRId64 ", assurance %" PRId64
            " (its weakest member), gap %" PRId64 "</p>",
            jint(sys, "required_strength"), jint(sys, "assurance"), jint(sys, "gap"));
    system_members(f, r, sys);
}

/* Each device's details twice over would bloat the file: the findings section holds them,
 * and the detail panel copies a device's (or system's) section when its mark is clicked. */
static void html_findings(FILE *f, const struct json_object *r, const struct json_object *devs)
{
    const struct json_object *sys = jget(r, "systems");
    if (jlen(sys)) fputs("<h2>Systems</h2>", f);
    for (size_t i = 0; i < jlen(sys); i++) {
        fprintf(f, "<section class=\"sys\" id=\"dd-s%zu\">", i);
        system_section(f, r, jat(sys, i));
        fputs("</section>", f);
    }
    fputs("\n<h2>Findings and evidence</h2>", f);
    for (size_t i = 0; i < jlen(devs); i++) {
        fprintf(f, "<section class=\"dev\" id=\"dd-%zu\">", i);
        device_section(f, jat(devs, i));
        fputs("</section>", f);
    }
}

/* What the script checks against: the device ids, as JSON safe inside <script>. */
static void html_data(FILE *f, const struct json_object *r, const struct json_object *devs)
{
    fputs("<script type=\"application/json\" id=\"risk-data\">{\"site\":\"", f);
    eng_js_puts(f, jstr(r, "site"));
    fputs("\",\"devices\":[", f);
    for (size_t i = 0; i < jlen(devs); i++) {
        fputs(i ? ",\"" : "\"", f);
        eng_js_puts(f, jstr(jat(devs, i), "id"));
        fputc('"', f);
    }
    fprintf(f, "],\"marks\":%zu}</script>\n", count_marks(r));
}

ssf_rc eng_report_html(const struct json_object *r, FILE *f, ssf_err *err)
{
    const char *schema = jstr(r, "schema");
    if (!schema || strcmp(schema, ENG_RISK_SCHEMA))
        return ssf_err_set(err, SSF_EINVAL, NULL, 0, "not an %s document (schema %s)",
                           ENG_RISK_SCHEMA, schema ? schema : "missing");
    const struct json_object *devs = jget(r, "devices");
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>ssfscan risk map: ",
          f);
    h(f, jstr(r, "site"));
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>Risk map: ", css);
    h(f, jstr(r, "site"));
    fputs("</h1><p>", f);
    h(f, jstr(r, "generator"));
    fputs(", ", f);
    h(f, jstr(r, "time"));
    fprintf(f,
            "; %zu devices. Marks: green no gap, yellow 1, orange 2, red 3; a rounded square "
            "is a system of the site policy, placed as one (its members are not drawn "
            "apart). Cells: required strength 1 (light) to 4 (dark).</p>\n<div class=\"wrap\">",
            jlen(devs));
    html_map(f, r);
    fputs("<div id=\"detail\">Click a mark or a row for its identity and "
          "findings.</div></div>\n<h2>Devices (fix first)</h2>",
          f);
    html_table(f, devs);
    html_findings(f, r, devs);
    html_data(f, r, devs);
    fprintf(f, "<script>%s</script></body></html>\n", script);
    return ferror(f) ? SSF_EIO : SSF_OK;
}
