/* sig/defcreds.h - publicly documented vendor default credentials (default_credentials).
 *
 * The rows come from signatures/data/default_credentials.tsv, compiled into a sorted array at
 * build time: no file is read and nothing is allocated at run time, so the probes look
 * credentials up on the packet path. A row is found by its user name and password; the
 * password is public data here, but callers only ever learn *that* a credential is listed,
 * and print the row's user name and vendors, never the password. Thread-safe. */
#ifndef SIG_DEFCREDS_H
#define SIG_DEFCREDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *proto; /* "http", "ftp", "pop3", "imap", "mqtt", "snmp" or "any"      */
    const char *user;  /* "" where the protocol has none (an SNMP community)          */
    const char *pass;  /* never printed                                               */
    const char *who;   /* vendors that ship it, "Hikvision (firmware before 5.3), ..." */
} sig_defcred_t;

/* The generated table, sorted by (proto, user, pass) with no duplicates. */
extern const sig_defcred_t sig_defcreds[];
extern const size_t sig_defcreds_n;

/* The row listing (user, pass) for proto, among proto's own rows first and then the "any"
 * ones; NULL when the credential is not a listed default. ulen 0: no user name (SNMP). */
const sig_defcred_t *sig_defcred_find(const char *proto, const uint8_t *user, size_t ulen,
                                      const uint8_t *pass, size_t plen);
/* The same for a user name known only by its sig_defcred_hash (FTP and POP3 send it in an
 * earlier command than the password). A walk over the rows whose password matches. */
const sig_defcred_t *sig_defcred_find_hashed(const char *proto, uint32_t user_hash,
                                             const uint8_t *pass, size_t plen);
/* 32-bit FNV-1a of a user name, never 0 (0 means "no user seen"). */
uint32_t sig_defcred_hash(const uint8_t *p, size_t n);
size_t sig_defcred_count(void);

#endif
