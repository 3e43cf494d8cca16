/* ev_iec104.c - station address and information types from IEC 60870-5-104 on TCP 2404.
 *
 * Each APDU is an APCI (0x68, length, four control octets) and, in I-format frames only, an
 * ASDU: type id, variable structure qualifier, cause of transmission (two octets in 104:
 * cause and originator), and the two-octet common address of the station. The common address
 * always names the controlled station (the outstation), so the role depends on direction:
 * monitor-direction types, and confirmations or terminations of commands, come from the
 * station (role SRC); commands in activation, deactivation or request (COT 6, 8, 5 on a
 * control type) go to it (role DST). */
#include "evidence_internal.h"

enum {
    I104_START = 0x68,
    I104_LEN_MIN = 4,     /* control field only (S- and U-format)                   */
    I104_LEN_MAX = 253,   /* IEC 60870-5-104 section 5: APDU at most 255 octets      */
    I104_ASDU_MIN = 6,    /* type, VSQ, COT, originator, common address (2)          */
    I104_FRAMES_MAX = 32, /* APDUs walked per payload                                */
    I104_CTRL_TYPE = 45,  /* type ids from here on are control direction             */
    I104_COT_MASK = 0x3f, /* low six bits: cause; T and P/N bits above               */
    I104_COT_REQ = 5,
    I104_COT_ACT = 6,
    I104_COT_DEACT = 8,
    I104_COT_ACTTERM = 10,
    I104_COT_NEGATIVE = 0x40, /* P/N bit: negative confirmation                        */
    I104_CTRL_LAST = 64,      /* process commands end here (C_BO_TA_1)                  */
    I104_SYS_FIRST = 100,     /* system commands: interrogation ... reset process, delay */
    I104_SYS_LAST = 107,
};

/* IEC 60870-5-101/104 standard type identifications. */
static const struct {
    uint8_t id;
    const char *name;
} i104_types[] = {
    {1, "M_SP_NA_1"},   {2, "M_SP_TA_1"},   {3, "M_DP_NA_1"},   {4, "M_DP_TA_1"},
    {5, "M_ST_NA_1"},   {6, "M_ST_TA_1"},   {7, "M_BO_NA_1"},   {8, "M_BO_TA_1"},
    {9, "M_ME_NA_1"},   {10, "M_ME_TA_1"},  {11, "M_ME_NB_1"},  {12, "M_ME_TB_1"},
    {13, "M_ME_NC_1"},  {14, "M_ME_TC_1"},  {15, "M_IT_NA_1"},  {16, "M_IT_TA_1"},
    {17, "M_EP_TA_1"},  {18, "M_EP_TB_1"},  {19, "M_EP_TC_1"},  {20, "M_PS_NA_1"},
    {21, "M_ME_ND_1"},  {30, "M_SP_TB_1"},  {31, "M_DP_TB_1"},  {32, "M_ST_TB_1"},
    {33, "M_BO_TB_1"},  {34, "M_ME_TD_1"},  {35, "M_ME_TE_1"},  {36, "M_ME_TF_1"},
    {37, "M_IT_TB_1"},  {38, "M_EP_TD_1"},  {39, "M_EP_TE_1"},  {40, "M_EP_TF_1"},
    {45, "C_SC_NA_1"},  {46, "C_DC_NA_1"},  {47, "C_RC_NA_1"},  {48, "C_SE_NA_1"},
    {49, "C_SE_NB_1"},  {50, "C_SE_NC_1"},  {51, "C_BO_NA_1"},  {58, "C_SC_TA_1"},
    {59, "C_DC_TA_1"},  {60, "C_RC_TA_1"},  {61, "C_SE_TA_1"},  {62, "C_SE_TB_1"},
    {63, "C_SE_TC_1"},  {64, "C_BO_TA_1"},  {70, "M_EI_NA_1"},  {100, "C_IC_NA_1"},
    {101, "C_CI_NA_1"}, {102, "C_RD_NA_1"}, {103, "C_CS_NA_1"}, {104, "C_TS_NA_1"},
    {105, "C_RP_NA_1"}, {106, "C_CD_NA_1"}, {107, "C_TS_TA_1"}, {110, "P_ME_NA_1"},
    {111, "P_ME_NB_1"}, {112, "P_ME_NC_1"}, {113, "P_AC_NA_1"}, {120, "F_FR_NA_1"},
    {121, "F_SR_NA_1"}, {122, "F_SC_NA_1"}, {123, "F_LS_NA_1"}, {124, "F_AF_NA_1"},
    {125, "F_SG_NA_1"}, {126, "F_DR_TA_1"}, {127, "F_SC_NB_1"},
};

static const char *i104_type_name(uint8_t id)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(i104_types); i++)
        if (i104_types[i].id == id) return i104_types[i].name;
    return NULL;
}

/* A payload often carries many APDUs of one kind: add each value once. */
static void i104_add_once(probe_ev_buf_t *out, probe_ev_field f, probe_ev_role role,
                          const probe_ev_str_t *s)
{
    for (size_t i = 0; i < out->n; i++) {
        const probe_ev_t *it = &out->items[i];
        if (it->field == f && it->role == role && strcmp(it->value, s->s) == 0) return;
    }
    probe_ev_add_str(out, f, role, s);
}

/* iec104.command (issue 4: unauth_ics_control): a process or system command and where it is
 * in its exchange, about the sender: the master's "45 C_SC_NA_1 act", the station's
 * "45 C_SC_NA_1 actcon positive" / "... negative" (the P/N bit), deact/deactcon, actterm.
 * Spontaneous or other causes on a command type are not an exchange step and are left out. */
static void i104_command(uint8_t type, uint8_t cot_octet, const char *name, probe_ev_buf_t *out)
{
    static const char *const steps[] = {"act", "actcon", "deact", "deactcon", "actterm"};
    uint8_t cot = cot_octet & I104_COT_MASK;
    bool command = (type >= I104_CTRL_TYPE && type <= I104_CTRL_LAST) ||
                   (type >= I104_SYS_FIRST && type <= I104_SYS_LAST);
    if (!command || !name || cot < I104_COT_ACT || cot > I104_COT_ACTTERM) return;
    const char *step = steps[cot - I104_COT_ACT];
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, type);
    probe_ev_str_putc(&s, ' ');
    probe_ev_str_put(&s, name, strlen(name));
    probe_ev_str_putc(&s, ' ');
    probe_ev_str_put(&s, step, strlen(step));
    if (cot == I104_COT_ACT + 1 || cot == I104_COT_DEACT + 1) {
        const char *pn = cot_octet & I104_COT_NEGATIVE ? " negative" : " positive";
        probe_ev_str_put(&s, pn, strlen(pn));
    }
    i104_add_once(out, PROBE_EVF_IEC104_COMMAND, PROBE_EV_SRC, &s);
}

static void i104_asdu(const uint8_t *a, probe_ev_buf_t *out)
{
    uint8_t type = a[0], cot = a[2] & I104_COT_MASK;
    if (type == 0) return; /* not defined: no ASDU we can name */
    bool to_station = type >= I104_CTRL_TYPE &&
                      (cot == I104_COT_REQ || cot == I104_COT_ACT || cot == I104_COT_DEACT);
    probe_ev_role role = to_station ? PROBE_EV_DST : PROBE_EV_SRC;
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, (uint16_t)(a[4] | a[5] << 8));
    i104_add_once(out, PROBE_EVF_IEC104_ADDRESS, role, &s);
    probe_ev_str_init(&s);
    probe_ev_str_u64(&s, type);
    const char *name = i104_type_name(type);
    if (name) {
        probe_ev_str_putc(&s, ' ');
        probe_ev_str_put(&s, name, strlen(name));
    }
    i104_add_once(out, PROBE_EVF_IEC104_TYPE, role, &s);
    i104_command(type, a[2], name, out);
}

/* One APDU. EINVAL: wrong start octet or length, an I-format frame too short for an ASDU
 * header, or an undefined U-format function; ETRUNC: the APDU runs past the data. */
static ssf_rc i104_frame(ssf_cur *c, probe_ev_buf_t *out)
{
    size_t left = ssf_cur_left(c);
    const uint8_t *h = c->p;
    if (h[0] != I104_START) return SSF_EINVAL;
    if (left < 2) return SSF_ETRUNC;
    uint8_t len = h[1];
    if (len < I104_LEN_MIN || len > I104_LEN_MAX) return SSF_EINVAL;
    if (left >= 3) {
        bool i_format = !(h[2] & 1), u_format = (h[2] & 3) == 3;
        if (i_format && len < I104_LEN_MIN + I104_ASDU_MIN) return SSF_EINVAL;
        if (!i_format && len != I104_LEN_MIN) return SSF_EINVAL; /* S and U carry no ASDU */
        /* U-format: exactly one of STARTDT/STOPDT/TESTFR act or con is set. */
        if (u_format && __builtin_popcount(h[2] & 0xfc) != 1) return SSF_EINVAL;
    }
    if (left < (size_t)len + 2) return SSF_ETRUNC;
    if (!(h[2] & 1)) i104_asdu(h + 6, out);
    c->p += (size_t)len + 2;
    return SSF_OK;
}

ssf_rc probe_ev_iec104(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    if (!p || !out || !n) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = i104_frame(&c, out);
    if (rc != SSF_OK) return rc;
    for (int i = 1; i < I104_FRAMES_MAX && ssf_cur_left(&c); i++) {
        rc = i104_frame(&c, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}

/* Is type a command the rules act on: process commands 45-51 and 58-64 (single, double,
 * regulating step, set points, bitstring, with and without time tag), clock synchronisation
 * (103) and reset process (105)? Interrogations, reads and tests (100-102, 104, 106, 107) are
 * what a master polls with. */
static bool i104_watch_type(uint8_t type)
{
    return (type >= I104_CTRL_TYPE && type <= 51) || (type >= 58 && type <= I104_CTRL_LAST) ||
           type == 103 || type == 105;
}

/* Walks APCIs by their length octet and reads the type id of each I-format ASDU. */
bool probe_ev_iec104_watch(const uint8_t *p, size_t n)
{
    enum { I104_APCI = 6 }; /* start, length, four control octets */
    for (int i = 0; i < I104_FRAMES_MAX && n > I104_APCI; i++) {
        size_t len = p[1];
        if (p[0] != I104_START || len < I104_LEN_MIN || len > I104_LEN_MAX || len + 2 > n)
            return false;
        bool i_format = !(p[2] & 1);
        if (i_format && len >= I104_LEN_MIN + I104_ASDU_MIN && i104_watch_type(p[I104_APCI]))
            return true;
        p += len + 2, n -= len + 2;
    }
    return false;
}
