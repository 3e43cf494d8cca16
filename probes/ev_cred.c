/* ev_cred.c - see ev_cred.h. */
#include "ev_cred.h"

#include "sig/defcreds.h"

void ev_cred_user(probe_ev_cred_t *st, const uint8_t *user, size_t ulen)
{
    uint32_t h = ulen ? sig_defcred_hash(user, ulen) : 0;
    st->user_hash[0] = (uint16_t)h;
    st->user_hash[1] = (uint16_t)(h >> 16);
}

static void ev_cred_add(probe_ev_buf_t *out, probe_ev_field f, probe_ev_role role, const char *what,
                        const sig_defcred_t *row)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, what, strlen(what));
    if (row->user[0]) {
        probe_ev_str_putc(&s, ' ');
        probe_ev_str_put(&s, row->user, strlen(row->user));
    }
    probe_ev_str_put(&s, " (", 2);
    probe_ev_str_put(&s, row->who, strlen(row->who));
    probe_ev_str_putc(&s, ')');
    probe_ev_add_str(out, f, role, &s);
}

void ev_cred_check(probe_ev_cred_t *st, const char *proto, const char *what, const uint8_t *user,
                   size_t ulen, const uint8_t *pass, size_t plen, probe_ev_buf_t *out)
{
    uint32_t h = (uint32_t)st->user_hash[0] | (uint32_t)st->user_hash[1] << 16;
    const sig_defcred_t *row = user ? sig_defcred_find(proto, user, ulen, pass, plen)
                                    : sig_defcred_find_hashed(proto, h, pass, plen);
    st->tried = row ? (uint16_t)(row - sig_defcreds + 1) : 0;
    if (row) ev_cred_add(out, PROBE_EVF_AUTH_DEFAULT_TRIED, PROBE_EV_DST, what, row);
}

void ev_cred_answer(probe_ev_cred_t *st, const char *what, bool accepted, probe_ev_buf_t *out)
{
    if (st->tried && st->tried <= sig_defcreds_n && accepted)
        ev_cred_add(out, PROBE_EVF_AUTH_DEFAULT, PROBE_EV_SRC, what, &sig_defcreds[st->tried - 1]);
    st->tried = 0;
}
