/* ev_cred.h - the default credential check the login extractors share (issue 4). Internal to
 * probes/. A credential is looked up in the build-time table (sig/defcreds.h) where it lies in
 * the payload: nothing is copied, and what is reported comes from the table's row (its user
 * name and vendors), never from the packet, so no password can reach the evidence. */
#ifndef PROBE_EV_CRED_H
#define PROBE_EV_CRED_H

#include "evidence_internal.h"

/* Remembers the hash of a USER argument for the PASS that follows (FTP, POP3). */
void ev_cred_user(probe_ev_cred_t *st, const uint8_t *user, size_t ulen);

/* Checks (user, pass) for proto ("http", "ftp", ...); user NULL: the one ev_cred_user kept. A
 * listed default adds auth.default_tried "<what> <user> (<vendors>)" (role DST, the server)
 * and is remembered; anything else clears what was remembered. */
void ev_cred_check(probe_ev_cred_t *st, const char *proto, const char *what, const uint8_t *user,
                   size_t ulen, const uint8_t *pass, size_t plen, probe_ev_buf_t *out);

/* The server answered the last login: accepted adds auth.default "<what> <user> (<vendors>)"
 * (role SRC) when that login was a listed default. Either way the row is forgotten. */
void ev_cred_answer(probe_ev_cred_t *st, const char *what, bool accepted, probe_ev_buf_t *out);

#endif
