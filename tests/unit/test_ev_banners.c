/* test_ev_banners.c - the banner extractors (FTP, Telnet, RTSP, SIP, SMB, SSH HASSH, HTTP
 * realm/title/UPnP) on payloads built here from their specifications: what each yields, every
 * cut of each sample, and hostile lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ev_test.h"

#include <ndpi/ndpi_api.h> /* ndpi_md5, which JA3 and HASSH hash with */

/* Every proper prefix of p (1..n-1) gives ETRUNC except those at or past ok_from, which give
 * OK; the empty one is EINVAL and the whole sample OK. */
static void assert_cuts(ev_fn fn, const void *p, size_t n, size_t ok_from)
{
    probe_ev_buf_t b;
    assert_int_equal(ev_run(fn, p, 0, &b), SSF_EINVAL);
    for (size_t k = 1; k < n; k++) {
        ssf_rc want = k >= ok_from ? SSF_OK : SSF_ETRUNC;
        ssf_rc rc = ev_run(fn, p, k, &b);
        if (rc != want) fail_msg("cut at %zu of %zu: rc %d, want %d", k, n, rc, want);
        assert_true(b.n <= PROBE_EV_BUF_ITEMS);
    }
    assert_int_equal(ev_run(fn, p, n, &b), SSF_OK);
}

#define S(lit) (const uint8_t *)(lit), sizeof(lit) - 1

/* A byte builder for the binary samples. */
typedef struct {
    uint8_t b[1024];
    size_t n;
} bb_t;

static void put8(bb_t *b, unsigned v)
{
    assert_true(b->n < sizeof b->b);
    b->b[b->n++] = (uint8_t)v;
}
static void put16le(bb_t *b, unsigned v)
{
    put8(b, v & 0xff);
    put8(b, v >> 8);
}
static void put16be(bb_t *b, unsigned v)
{
    put8(b, v >> 8);
    put8(b, v & 0xff);
}
static void put32le(bb_t *b, uint32_t v)
{
    put16le(b, v & 0xffff);
    put16le(b, v >> 16);
}
static void put32be(bb_t *b, uint32_t v)
{
    put16be(b, v >> 16);
    put16be(b, v & 0xffff);
}
static void putn(bb_t *b, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(b, ((const uint8_t *)p)[i]);
}
static void putz(bb_t *b, unsigned v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put8(b, v);
}
/* UTF-16LE of an ASCII string, with (nul) its terminator. */
static void pututf16(bb_t *b, const char *s, bool nul)
{
    for (; *s; s++)
        put16le(b, (uint8_t)*s);
    if (nul) put16le(b, 0);
}
static void set16le(bb_t *b, size_t at, unsigned v)
{
    b->b[at] = (uint8_t)v;
    b->b[at + 1] = (uint8_t)(v >> 8);
}

/* ---- FTP (RFC 959 4.2) ---- */

static void t_ftp(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char one[] = "220 ProFTPD 1.3.5 Server (Plant FTP) [10.0.0.5]\r\n";
    assert_int_equal(ev_run(probe_ev_ftp, S(one), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_FTP_BANNER, "ProFTPD 1.3.5 Server (Plant FTP) [10.0.0.5]");
    assert_cuts(probe_ev_ftp, S(one), sizeof one - 1);

    static const char multi[] = "220-Welcome to the PLC\r\n"
                                "   authorised users only\r\n"
                                "220 FTP server ready\r\n";
    assert_int_equal(ev_run(probe_ev_ftp, S(multi), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_FTP_BANNER,
                   "Welcome to the PLC authorised users only FTP server ready");
    assert_cuts(probe_ev_ftp, S(multi), sizeof multi - 1);
}

static void t_ftp_other(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_ftp, S("331 Password required\r\n"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* Logins say which command was sent (probes4), never its argument. */
    assert_int_equal(ev_run(probe_ev_ftp, S("USER anonymous\r\n"), &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_FTP_LOGIN), 0);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN, "anonymous");
    assert_int_equal(ev_run(probe_ev_ftp, S("PASS secret\r\n"), &b), SSF_OK);
    assert_int_equal(ev_n_without(&b, PROBE_EVF_FTP_LOGIN), 0);
    ev_assert_item(&b, PROBE_EVF_FTP_LOGIN, "user+password");
    assert_int_equal(ev_run(probe_ev_ftp, S("\x16\x03\x01\x00"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_ftp, S("22x ready\r\n"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_ftp, S("2200 ready\r\n"), &b), SSF_EINVAL);
    /* A greeting that never ends its multi-line form is still bounded. */
    char many[40 * 4 + 1] = {0};
    for (int i = 0; i < 40; i++)
        memcpy(many + i * 4, "x\r\n ", 4);
    memcpy(many, "220-", 4);
    assert_int_equal(ev_run(probe_ev_ftp, many, sizeof many - 1, &b), SSF_OK);
}

/* ---- Telnet (RFC 854, 855) ---- */

/* IAC DO TERMINAL-TYPE, IAC WILL ECHO, IAC SB TERMINAL-TYPE SEND IAC SE, then the text. */
static const uint8_t tn_hello[] = {
    0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0, '\r',
    '\n', 'A',  'c',  'm',  'e',  ' ',  'R',  'T',  'U',  ' ',  'v',  '2',  '.',
    '1',  '\r', '\n', '\r', '\n', 'l',  'o',  'g',  'i',  'n',  ':',  ' ',
};

static void t_telnet(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_telnet, tn_hello, sizeof tn_hello, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_TELNET_BANNER, "Acme RTU v2.1");
    ev_assert_item(&b, PROBE_EVF_TELNET_PROMPT, "login:");
    /* Cut inside a command (the first 12 bytes are commands) is ETRUNC; elsewhere OK, with
     * the banner only once its line has ended. */
    assert_int_equal(ev_run(probe_ev_telnet, tn_hello, 0, &b), SSF_EINVAL);
    for (size_t k = 1; k < sizeof tn_hello; k++) {
        bool in_cmd = k < 12 && k != 3 && k != 6;
        ssf_rc rc = ev_run(probe_ev_telnet, tn_hello, k, &b);
        if (rc != (in_cmd ? SSF_ETRUNC : SSF_OK)) fail_msg("cut at %zu: rc %d", k, rc);
        assert_int_equal(ev_find(&b, PROBE_EVF_TELNET_BANNER) != NULL, k >= 28);
    }
}

static void t_telnet_prompts(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_telnet, S("Password:"), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_TELNET_PROMPT, "Password:");
    assert_int_equal(ev_run(probe_ev_telnet, S("\r\nUser Name : "), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_TELNET_PROMPT, "User Name :");
    /* Character-mode echo and a line with no newline are not banners. */
    assert_int_equal(ev_run(probe_ev_telnet, S("r"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* IAC IAC is a data byte 255, not a command. */
    assert_int_equal(ev_run(probe_ev_telnet, S("\xff\xff"), &b), SSF_OK);
    /* Binary control bytes: not a Telnet text stream. */
    assert_int_equal(ev_run(probe_ev_telnet, S("\x01\x02\x03\x04"), &b), SSF_EINVAL);
    /* A subnegotiation that never ends. */
    assert_int_equal(ev_run(probe_ev_telnet, S("\xff\xfa\x18\x01 no end"), &b), SSF_ETRUNC);
}

/* ---- RTSP (RFC 2326) ---- */

static void t_rtsp(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char resp[] = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: Hikvision-Webs/1.0\r\n"
                               "Public: OPTIONS, DESCRIBE\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_rtsp, S(resp), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_RTSP_SERVER, "Hikvision-Webs/1.0");
    assert_cuts(probe_ev_rtsp, S(resp), sizeof resp - 1);

    static const char req[] = "DESCRIBE rtsp://10.0.0.7:554/Streaming/1 RTSP/1.0\r\nCSeq: 3\r\n"
                              "User-Agent: LibVLC/3.0.18\r\nAccept: application/sdp\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_rtsp, S(req), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_RTSP_UA, "LibVLC/3.0.18");
    assert_cuts(probe_ev_rtsp, S(req), sizeof req - 1);
    /* Server in a request, User-Agent in a response: not what they claim to be about. */
    assert_int_equal(ev_run(probe_ev_rtsp, S("RTSP/1.0 200 OK\r\nUser-Agent: x\r\n\r\n"), &b),
                     SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_rtsp, S("GET / HTTP/1.1\r\n\r\n"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_rtsp, S("PLAY rtsp://x HTTP/1.1\r\n\r\n"), &b), SSF_EINVAL);
}

/* ---- SIP (RFC 3261) ---- */

static void t_sip(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char reg[] =
        "REGISTER sip:pbx.example SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 10.0.0.20:5060;branch=z9hG4bK776\r\n"
        "From: <sip:201@pbx.example>;tag=1\r\nTo: <sip:201@pbx.example>\r\n"
        "User-Agent: Yealink SIP-T46S 66.86.0.15\r\nContent-Length: 0\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_sip, S(reg), &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_SIP_UA, "Yealink SIP-T46S 66.86.0.15");
    assert_cuts(probe_ev_sip, S(reg), sizeof reg - 1);

    static const char ok[] = "SIP/2.0 200 OK\r\nServer: Asterisk PBX 18.2.0\r\n"
                             "User-Agent: FPBX-16.0\r\n\r\n";
    assert_int_equal(ev_run(probe_ev_sip, S(ok), &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_SIP_SERVER, "Asterisk PBX 18.2.0");
    ev_assert_item(&b, PROBE_EVF_SIP_UA, "FPBX-16.0");
    assert_cuts(probe_ev_sip, S(ok), sizeof ok - 1);
    assert_int_equal(ev_run(probe_ev_sip, S("HTTP/1.1 200 OK\r\n\r\n"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_sip, S("INVITE http://x SIP/2.0\r\n\r\n"), &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_sip, S("\x00\x01"), &b), SSF_EINVAL);
}

/* ---- SMB ([MS-CIFS], [MS-SMB2], [MS-NLMP]) ---- */

/* NetBIOS session header and SMB1 header; flags2 Unicode|NT status|ext-sec as asked. */
static void smb1_hdr(bb_t *b, uint8_t cmd, bool reply, uint16_t flags2)
{
    b->n = 0;
    put32be(b, 0); /* session message, length set by nb_len */
    putn(b, "\xffSMB", 4);
    put8(b, cmd);
    put32le(b, 0);
    put8(b, reply ? 0x98 : 0x18);
    put16le(b, flags2);
    putz(b, 0, 12); /* PIDHigh, SecurityFeatures, Reserved */
    put16le(b, 0xffff);
    put16le(b, 0xfeff);
    put16le(b, 0);
    put16le(b, 64);
}
static void nb_len(bb_t *b)
{
    b->b[1] = (uint8_t)((b->n - 4) >> 16);
    b->b[2] = (uint8_t)((b->n - 4) >> 8);
    b->b[3] = (uint8_t)(b->n - 4);
}

/* Negotiate response, NT LM 0.12 form (17 words), no extended security: challenge, then the
 * domain and server names, Unicode and unaligned as Windows sends them. */
static void smb1_negotiate(bb_t *b)
{
    smb1_hdr(b, 0x72, true, 0xc001);
    put8(b, 17);
    put16le(b, 5);      /* DialectIndex */
    put8(b, 3);         /* SecurityMode */
    put16le(b, 50);     /* MaxMpxCount */
    put16le(b, 1);      /* MaxNumberVcs */
    put32le(b, 0x1104); /* MaxBufferSize */
    put32le(b, 0x10000);
    put32le(b, 0);          /* SessionKey */
    put32le(b, 0x0001e3fc); /* Capabilities */
    putz(b, 0x11, 8);       /* SystemTime */
    put16le(b, 0);          /* ServerTimeZone */
    put8(b, 8);             /* ChallengeLength */
    size_t bc = b->n;
    put16le(b, 0);
    putz(b, 0xaa, 8);
    pututf16(b, "PLANTNET", true);
    pututf16(b, "HMI-01", true);
    set16le(b, bc, (unsigned)(b->n - bc - 2));
    nb_len(b);
}

static void t_smb1_negotiate(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    smb1_negotiate(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_SMB_DIALECT, "NT LM 0.12");
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "PLANTNET");
    ev_assert_item(&b, PROBE_EVF_SMB_HOSTNAME, "HMI-01");
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
    /* A one-word (core) response: we do not know the dialect's name. */
    smb1_hdr(&m, 0x72, true, 0);
    put8(&m, 1);
    put16le(&m, 0);
    put16le(&m, 0);
    nb_len(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_SMB_DIALECT, "SMB1");
}

/* Session Setup AndX response, 3 words (no extended security): pad, then NativeOS,
 * NativeLanMan, PrimaryDomain in Unicode. */
static void t_smb1_session_setup_response(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    smb1_hdr(&m, 0x73, true, 0xc001);
    put8(&m, 3);
    put8(&m, 0xff);
    put8(&m, 0);
    put16le(&m, 0);
    put16le(&m, 0); /* Action */
    size_t bc = m.n;
    put16le(&m, 0);
    put8(&m, 0); /* pad: the Bytes start at offset 41 of the SMB header */
    pututf16(&m, "Windows Server 2003 3790 Service Pack 2", true);
    pututf16(&m, "Windows Server 2003 5.2", true);
    pututf16(&m, "PLANT", true);
    set16le(&m, bc, (unsigned)(m.n - bc - 2));
    nb_len(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_SMB_NATIVE_OS, "Windows Server 2003 3790 Service Pack 2");
    ev_assert_item(&b, PROBE_EVF_SMB_LANMAN, "Windows Server 2003 5.2");
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "PLANT");
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
}

/* Session Setup AndX request, 13 words, OEM strings: passwords and account never reported. */
static void t_smb1_session_setup_request(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    smb1_hdr(&m, 0x73, false, 0x0001);
    put8(&m, 13);
    put8(&m, 0xff);
    put8(&m, 0);
    put16le(&m, 0);
    put16le(&m, 4356);
    put16le(&m, 10);
    put16le(&m, 0);
    put32le(&m, 0);
    put16le(&m, 6); /* OEMPasswordLen */
    put16le(&m, 0); /* UnicodePasswordLen */
    put32le(&m, 0);
    put32le(&m, 0xd4);
    size_t bc = m.n;
    put16le(&m, 0);
    putn(&m, "s3cr3t", 6);
    putn(&m, "operator", 9);
    putn(&m, "WORKGROUP", 10);
    putn(&m, "Unix", 5);
    putn(&m, "Samba 3.0.37", 13);
    set16le(&m, bc, (unsigned)(m.n - bc - 2));
    nb_len(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 3);
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "WORKGROUP");
    ev_assert_item(&b, PROBE_EVF_SMB_NATIVE_OS, "Unix");
    ev_assert_item(&b, PROBE_EVF_SMB_LANMAN, "Samba 3.0.37");
    for (size_t i = 0; i < b.n; i++) {
        assert_null(strstr(b.items[i].value, "s3cr3t"));
        assert_null(strstr(b.items[i].value, "operator"));
    }
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
}

static void smb2_hdr(bb_t *b, uint16_t cmd)
{
    b->n = 0;
    put32be(b, 0);
    putn(b, "\xfeSMB", 4);
    put16le(b, 64);
    put16le(b, 0);
    put32le(b, 0);
    put16le(b, cmd);
    put16le(b, 1);
    put32le(b, 1); /* SERVER_TO_REDIR */
    put32le(b, 0);
    putz(b, 0, 8 + 4 + 4 + 8 + 16);
}

static void t_smb2_negotiate(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    static const struct {
        uint16_t rev;
        const char *name;
    } d[] = {{0x0202, "SMB 2.0.2"}, {0x0210, "SMB 2.1"},   {0x0300, "SMB 3.0"},
             {0x0302, "SMB 3.0.2"}, {0x0311, "SMB 3.1.1"}, {0x0399, "SMB2 0x0399"}};
    for (size_t i = 0; i < SSF_ARRAY_LEN(d); i++) {
        smb2_hdr(&m, 0);
        put16le(&m, 65);
        put16le(&m, 1);
        put16le(&m, d[i].rev);
        put16le(&m, 0);
        putz(&m, 0x5a, 16 + 4 + 4 + 4 + 4 + 8 + 8 + 2 + 2 + 4);
        nb_len(&m);
        assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
        assert_int_equal(b.n, 1);
        ev_assert_item(&b, PROBE_EVF_SMB_DIALECT, d[i].name);
    }
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
}

/* SMB2 Session Setup response whose buffer is a raw NTLMSSP CHALLENGE with target info. */
static void smb2_challenge(bb_t *m)
{
    smb2_hdr(m, 1);
    put16le(m, 9);
    put16le(m, 0);
    put16le(m, 64 + 8); /* SecurityBufferOffset */
    size_t blen = m->n;
    put16le(m, 0);
    size_t ntlm = m->n;
    putn(m, "NTLMSSP", 8);
    put32le(m, 2);
    put16le(m, 0), put16le(m, 0), put32le(m, 56); /* TargetName */
    put32le(m, 0xe2898215);
    putz(m, 0x42, 8); /* ServerChallenge */
    putz(m, 0, 8);
    size_t ti = m->n;
    put16le(m, 0), put16le(m, 0), put32le(m, 56); /* TargetInfo, patched below */
    putz(m, 0, 8);                                /* Version */
    size_t start = m->n;
    put16le(m, 2), put16le(m, 10), pututf16(m, "PLANT", false);
    put16le(m, 1), put16le(m, 12), pututf16(m, "SCADA1", false);
    put16le(m, 3), put16le(m, 10), pututf16(m, "scada", false);
    put16le(m, 0), put16le(m, 0);
    set16le(m, ti, (unsigned)(m->n - start));
    set16le(m, ti + 2, (unsigned)(m->n - start));
    set16le(m, blen, (unsigned)(m->n - ntlm));
    nb_len(m);
}

static void t_smb2_ntlm_challenge(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    smb2_challenge(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_SMB_HOSTNAME, "SCADA1");
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "PLANT");
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
    /* Hostile: an AV pair longer than the target info, target info beyond the blob. */
    bb_t h = m;
    set16le(&h, h.n - 4 - 14 + 2, 0xffff);
    assert_int_equal(ev_run(probe_ev_smb, h.b, h.n, &b), SSF_OK);
    h = m;
    h.b[4 + 64 + 8 + 44] = 0xf0;
    assert_int_equal(ev_run(probe_ev_smb, h.b, h.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

/* SMB2 Session Setup request carrying a raw NTLMSSP AUTHENTICATE (Unicode): the client's
 * domain and workstation, never its user name or responses. */
static void smb2_authenticate(bb_t *m)
{
    smb2_hdr(m, 1);
    set16le(m, 4 + 16, 0); /* a request: SERVER_TO_REDIR clear */
    put16le(m, 25);
    put8(m, 0), put8(m, 1);
    put32le(m, 0), put32le(m, 0);
    put16le(m, 64 + 24); /* SecurityBufferOffset */
    size_t blen = m->n;
    put16le(m, 0);
    putz(m, 0, 8); /* PreviousSessionId */
    size_t ntlm = m->n;
    putn(m, "NTLMSSP", 8);
    put32le(m, 3);
    /* Fields: LM, NT, Domain, User, Workstation, SessionKey; payload from offset 72. */
    static const unsigned len[6] = {24, 24, 10, 16, 14, 0};
    unsigned off = 72;
    for (int i = 0; i < 6; i++) {
        put16le(m, len[i]), put16le(m, len[i]), put32le(m, off);
        off += len[i];
    }
    put32le(m, 0xe2888215); /* NegotiateFlags, Unicode set */
    putz(m, 0, 8);          /* Version */
    putz(m, 0x11, 24);      /* LM response */
    putz(m, 0x22, 24);      /* NT response */
    pututf16(m, "PLANT", false);
    pututf16(m, "operator", false);
    pututf16(m, "ENG-WS7", false);
    set16le(m, blen, (unsigned)(m->n - ntlm));
    nb_len(m);
}

static void t_smb2_ntlm_authenticate(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    smb2_authenticate(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 2);
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "PLANT");
    ev_assert_item(&b, PROBE_EVF_SMB_HOSTNAME, "ENG-WS7");
    assert_cuts(probe_ev_smb, m.b, m.n, m.n);
    /* A workstation field pointing past the blob is skipped, the rest still read. */
    m.b[4 + 64 + 24 + 48] = 0xff;
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_SMB_DOMAIN, "PLANT");
}

static void t_smb_hostile(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    /* NetBIOS length far beyond the data: cut, not an over-read. */
    smb1_negotiate(&m);
    m.b[1] = 0xff;
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_ETRUNC);
    /* Word count past the end; byte count past the end. */
    smb1_negotiate(&m);
    m.b[4 + 32] = 0xff;
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 0);
    smb1_negotiate(&m);
    set16le(&m, 4 + 32 + 1 + 34, 0xffff);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    /* Challenge length beyond the bytes. */
    smb1_negotiate(&m);
    m.b[4 + 32 + 1 + 33] = 0xff;
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    /* Keep-alive then a session message; an unknown frame type; not SMB. */
    static const uint8_t ka[] = {0x85, 0, 0, 0};
    assert_int_equal(ev_run(probe_ev_smb, ka, sizeof ka, &b), SSF_OK);
    static const uint8_t bad[] = {0x42, 0, 0, 0};
    assert_int_equal(ev_run(probe_ev_smb, bad, sizeof bad, &b), SSF_EINVAL);
    assert_int_equal(ev_run(probe_ev_smb, S("\0\0\0\x08GET / HT"), &b), SSF_EINVAL);
    /* A Unicode string with no terminator at the end of the data is taken as it is. */
    smb1_hdr(&m, 0x73, true, 0x8000);
    put8(&m, 3);
    putz(&m, 0, 6);
    put16le(&m, 9);
    put8(&m, 0);
    pututf16(&m, "Unix", false);
    nb_len(&m);
    assert_int_equal(ev_run(probe_ev_smb, m.b, m.n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_SMB_NATIVE_OS, "Unix");
}

/* ---- MD5 ---- */

/* The MD5 we link (nDPI's) against RFC 1321 appendix A.5's test suite. */
static void t_md5_rfc1321(void **state)
{
    (void)state;
    static const struct {
        const char *in, *md;
    } v[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"1234567890123456789012345678901234567890" /* 8 x "1234567890" */
         "1234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (size_t i = 0; i < SSF_ARRAY_LEN(v); i++) {
        uint8_t md[16];
        char hex[33];
        ndpi_md5((const u_char *)v[i].in, strlen(v[i].in), md);
        for (size_t k = 0; k < 16; k++)
            snprintf(hex + 2 * k, 3, "%02x", md[k]);
        assert_string_equal(hex, v[i].md);
    }
}

/* ---- SSH HASSH (RFC 4253 7.1) ---- */

static const char *const kex_client[10] = {
    "curve25519-sha256,diffie-hellman-group14-sha256",
    "ssh-ed25519,rsa-sha2-512",
    "aes128-ctr,aes256-gcm@openssh.com",
    "aes256-ctr",
    "hmac-sha2-256",
    "hmac-sha1,hmac-sha2-512",
    "none",
    "zlib@openssh.com,none",
    "",
    "",
};

/* "SSH-2.0-..." CR LF (if banner) then a KEXINIT packet with those lists. Returns the offset
 * where the eighth list ends. */
static size_t kexinit(bb_t *b, bool banner)
{
    b->n = 0;
    if (banner) putn(b, "SSH-2.0-OpenSSH_9.2p1\r\n", 23);
    size_t start = b->n;
    put32be(b, 0);
    put8(b, 4); /* padding */
    put8(b, 20);
    putz(b, 0x33, 16);
    size_t eighth = 0;
    for (int i = 0; i < 10; i++) {
        put32be(b, (uint32_t)strlen(kex_client[i]));
        putn(b, kex_client[i], strlen(kex_client[i]));
        if (i == 7) eighth = b->n;
    }
    put8(b, 0);
    put32be(b, 0);
    putz(b, 0, 4);
    uint32_t len = (uint32_t)(b->n - start - 4);
    b->b[start] = (uint8_t)(len >> 24), b->b[start + 1] = (uint8_t)(len >> 16);
    b->b[start + 2] = (uint8_t)(len >> 8), b->b[start + 3] = (uint8_t)len;
    return eighth;
}

static void t_hassh(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    size_t eighth = kexinit(&m, false);
    /* md5("curve25519-sha256,diffie-hellman-group14-sha256;aes128-ctr,aes256-gcm@openssh.com;"
     *     "hmac-sha2-256;none"), and the server's with the other direction's lists. */
    assert_int_equal(ev_run(probe_ev_hassh, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_SSH_HASSH, "b21aaabfc9d2e45bafeef69aa7e7fada");
    assert_cuts(probe_ev_hassh, m.b, m.n, eighth);
    assert_int_equal(ev_run(probe_ev_hassh_server, m.b, m.n, &b), SSF_OK);
    assert_int_equal(b.n, 1);
    ev_assert_item(&b, PROBE_EVF_SSH_HASSH_SERVER, "b1fa4ffaa39e449eceaa88d293c1bdda");
    /* After the banner in one payload; the banner alone asks for more. */
    eighth = kexinit(&m, true);
    assert_int_equal(ev_run(probe_ev_hassh, m.b, m.n, &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_SSH_HASSH, "b21aaabfc9d2e45bafeef69aa7e7fada");
    assert_cuts(probe_ev_hassh, m.b, m.n, eighth);
}

static void t_hassh_hostile(void **state)
{
    (void)state;
    bb_t m;
    probe_ev_buf_t b;
    kexinit(&m, false);
    bb_t h = m;
    h.b[0] = 0xff; /* packet_length beyond 35000 */
    assert_int_equal(ev_run(probe_ev_hassh, h.b, h.n, &b), SSF_EINVAL);
    h = m;
    h.b[5] = 21; /* NEWKEYS, not KEXINIT */
    assert_int_equal(ev_run(probe_ev_hassh, h.b, h.n, &b), SSF_EINVAL);
    h = m;
    h.b[4] = 0xff; /* padding longer than the packet */
    assert_int_equal(ev_run(probe_ev_hassh, h.b, h.n, &b), SSF_EINVAL);
    h = m;
    h.b[4 + 2 + 16] = 0x7f; /* the first name-list overruns the whole packet */
    assert_int_equal(ev_run(probe_ev_hassh, h.b, h.n, &b), SSF_EINVAL);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_hassh, S("GET / HTTP/1.1\r\n"), &b), SSF_EINVAL);
}

/* ---- HTTP realm, title, UPnP description ---- */

static void t_http_realm_title(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    static const char r401[] =
        "HTTP/1.1 401 Unauthorized\r\nServer: GoAhead-Webs\r\n"
        "WWW-Authenticate: Basic realm=\"Moxa \\\"NPort\\\" 5110\", charset=\"UTF-8\"\r\n"
        "Content-Type: text/html\r\n\r\n"
        "<html><head><TITLE>\r\n  401   Unauthorized &amp; gone\r\n</TITLE></head></html>";
    assert_int_equal(ev_run(probe_ev_http, S(r401), &b), SSF_OK);
    assert_int_equal(b.n, 4);
    ev_assert_item(&b, PROBE_EVF_AUTH_FAILURE, "http 401 Basic"); /* kept if credentials came */
    ev_assert_item(&b, PROBE_EVF_HTTP_SERVER, "GoAhead-Webs");
    ev_assert_item(&b, PROBE_EVF_HTTP_REALM, "Moxa \"NPort\" 5110");
    ev_assert_item(&b, PROBE_EVF_HTTP_TITLE, "401 Unauthorized & gone");
    assert_int_equal(ev_run(probe_ev_http,
                            S("HTTP/1.0 401 X\r\nWWW-Authenticate: Digest realm=plc1, "
                              "nonce=\"abc\"\r\n\r\n"),
                            &b),
                     SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_REALM, "plc1");
    /* Requests carry no realm, and their bodies are not scanned. */
    assert_int_equal(ev_run(probe_ev_http,
                            S("POST / HTTP/1.1\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"
                              "<title>t</title>"),
                            &b),
                     SSF_OK);
    assert_int_equal(b.n, 0);
}

static const char upnp_xml[] =
    "<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
    "<specVersion><major>1</major><minor>0</minor></specVersion>\n<device>\n"
    "<deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType>\n"
    "<friendlyName>Living Room &lt;TV&gt;</friendlyName>\n"
    "<manufacturer>Acme &amp; Sons</manufacturer>\n"
    "<manufacturerURL>http://acme.example/</manufacturerURL>\n"
    "<modelName>Acme &quot;View&quot; 55</modelName>\n<modelNumber>AV-55&apos;X</modelNumber>\n"
    "<serialNumber>SN0001234</serialNumber>\n"
    "<deviceList><device><friendlyName>Embedded</friendlyName></device></deviceList>\n"
    "</device></root>\n";

static void check_upnp(const probe_ev_buf_t *b)
{
    assert_int_equal(ev_n_without(b, PROBE_EVF_AUTH_SUCCESS), 6); /* a 200 adds "http 2xx" */
    ev_assert_item(b, PROBE_EVF_UPNP_DEVICE_TYPE, "urn:schemas-upnp-org:device:MediaRenderer:1");
    ev_assert_item(b, PROBE_EVF_UPNP_FRIENDLY, "Living Room <TV>");
    ev_assert_item(b, PROBE_EVF_UPNP_MANUFACTURER, "Acme & Sons");
    ev_assert_item(b, PROBE_EVF_UPNP_MODEL, "Acme \"View\" 55");
    ev_assert_item(b, PROBE_EVF_UPNP_MODEL_NUMBER, "AV-55'X");
    ev_assert_item(b, PROBE_EVF_UPNP_SERIAL, "SN0001234");
}

static void t_upnp_body(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_http_body, S(upnp_xml), &b), SSF_OK);
    check_upnp(&b);
    /* In the response that carries it. */
    char resp[2048];
    int k = snprintf(resp, sizeof resp,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %zu\r\n\r\n%s",
                     sizeof upnp_xml - 1, upnp_xml);
    assert_true(k > 0 && (size_t)k < sizeof resp);
    assert_int_equal(ev_run(probe_ev_http, resp, (size_t)k, &b), SSF_OK);
    check_upnp(&b);
    /* Any cut: OK, never more than the whole gives, elements cut off are simply absent. */
    assert_int_equal(ev_run(probe_ev_http_body, upnp_xml, 0, &b), SSF_EINVAL);
    for (size_t n = 1; n < sizeof upnp_xml - 1; n++) {
        assert_int_equal(ev_run(probe_ev_http_body, upnp_xml, n, &b), SSF_OK);
        assert_true(b.n <= 6);
    }
}

static void t_body_hostile(void **state)
{
    (void)state;
    probe_ev_buf_t b;
    assert_int_equal(ev_run(probe_ev_http_body, S("<title>never closed"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_http_body, S("<title"), &b), SSF_OK);
    assert_int_equal(ev_run(probe_ev_http_body, S("<titlex>a</title>"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    assert_int_equal(ev_run(probe_ev_http_body, S("<title lang=en>Hi</title>"), &b), SSF_OK);
    ev_assert_item(&b, PROBE_EVF_HTTP_TITLE, "Hi");
    assert_int_equal(ev_run(probe_ev_http_body, S("<friendlyName>&amp</friendlyName>"), &b),
                     SSF_OK);
    ev_assert_item(&b, PROBE_EVF_UPNP_FRIENDLY, "&amp");
    assert_int_equal(ev_run(probe_ev_http_body, S("<serialNumber></serialNumber>"), &b), SSF_OK);
    assert_int_equal(b.n, 0);
    /* A close tag more than 1 KiB past the open one is not looked for. */
    static char big[2100];
    memset(big, 'a', sizeof big);
    memcpy(big, "<title>", 7);
    memcpy(big + sizeof big - 8, "</title>", 8);
    assert_int_equal(ev_run(probe_ev_http_body, big, sizeof big, &b), SSF_OK);
    assert_int_equal(b.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_ftp),
        cmocka_unit_test(t_ftp_other),
        cmocka_unit_test(t_telnet),
        cmocka_unit_test(t_telnet_prompts),
        cmocka_unit_test(t_rtsp),
        cmocka_unit_test(t_sip),
        cmocka_unit_test(t_smb1_negotiate),
        cmocka_unit_test(t_smb1_session_setup_response),
        cmocka_unit_test(t_smb1_session_setup_request),
        cmocka_unit_test(t_smb2_negotiate),
        cmocka_unit_test(t_smb2_ntlm_challenge),
        cmocka_unit_test(t_smb2_ntlm_authenticate),
        cmocka_unit_test(t_smb_hostile),
        cmocka_unit_test(t_md5_rfc1321),
        cmocka_unit_test(t_hassh),
        cmocka_unit_test(t_hassh_hostile),
        cmocka_unit_test(t_http_realm_title),
        cmocka_unit_test(t_upnp_body),
        cmocka_unit_test(t_body_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
