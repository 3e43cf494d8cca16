/* auth.pcap: failed logins and clear-text updates (issue 4). A laptop guesses passwords on an
 * FTP server (8 refused in three sessions, then one taken), a Telnet router (6 refused in one
 * session), an IMAP server (3 refused: below the threshold) and an HTTP camera (12 Basic
 * attempts refused with 401, over four keep-alive connections, after the usual challenge). A
 * PLC fetches firmware_v2.1.bin over TFTP, a gateway RETRieves update.img over FTP, and a
 * phone loads its configuration over TFTP (a configuration, not firmware). Default credentials
 * (signatures/data/default_credentials.tsv): an engineering PC logs into a second camera with
 * Basic admin/12345 (taken), into a Modicon-style FTP server as loader/fwdownload (taken) and
 * into a third FTP server as admin/admin (refused: a try, no finding); a Raspberry Pi connects
 * to an MQTT broker as pi/raspberry (taken), the PC as admin with a password of its own (taken,
 * not a default). Lockouts (auth.lockout): a historian's FTP server locks the laptop out after 5
 * refused guesses (421, its FIN, and 421 to the next two connections: no finding), another ends
 * each session with 421 after 3 but refuses the next session's guesses again (a per-session
 * limit: still a finding), a third locks out only after 12 (still a finding). SCENARIO.md lists
 * it; keep the two in step. Every other user name and password below is made up for this file,
 * and tests/integration/it_auth.sh checks that none of them, nor any default's password,
 * reaches any output. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

static const gen_host au_laptop = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x66}, {192, 168, 40, 66}, false};
static const gen_host au_ftp = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x10}, {192, 168, 40, 10}, false};
static const gen_host au_telnet = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x11}, {192, 168, 40, 11}, false};
static const gen_host au_imap = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x12}, {192, 168, 40, 12}, false};
static const gen_host au_cam = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x13}, {192, 168, 40, 13}, false};
static const gen_host au_files = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x05}, {192, 168, 40, 5}, false};
static const gen_host au_plc = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x20}, {192, 168, 40, 20}, false};
static const gen_host au_gw = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x21}, {192, 168, 40, 21}, false};
static const gen_host au_phone = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x30}, {192, 168, 40, 30}, false};
static const gen_host au_eng = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x67}, {192, 168, 40, 67}, false};
static const gen_host au_pi = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x68}, {192, 168, 40, 68}, false};
static const gen_host au_cam2 = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x14}, {192, 168, 40, 14}, false};
static const gen_host au_ftp2 = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x15}, {192, 168, 40, 15}, false};
static const gen_host au_mqtt = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x16}, {192, 168, 40, 16}, false};
static const gen_host au_ftp3 = {{0x02, 0x00, 0x00, 0x40, 0x00, 0x17}, {192, 168, 40, 17}, false};
static const gen_host au_ftp_lock = {
    {0x02, 0x00, 0x00, 0x40, 0x00, 0x18}, {192, 168, 40, 18}, false};
static const gen_host au_ftp_cap = {
    {0x02, 0x00, 0x00, 0x40, 0x00, 0x19}, {192, 168, 40, 19}, false};
static const gen_host au_ftp_late = {
    {0x02, 0x00, 0x00, 0x40, 0x00, 0x23}, {192, 168, 40, 23}, false};

#define AU_TRY_GAP_US   700000u /* between two guesses: a tool, not a person */
#define AU_SCENE_GAP_US 2000000u

static void au_say(gen_conv *c, int dir, const char *s)
{
    gen_tcp_talk(c, dir, s, strlen(s));
}

/* One FTP session: `fails` refused guesses, then (if ok) the right one. */
static void au_ftp_session(gen_out *o, uint16_t port, int fails, bool ok, int *guess)
{
    char line[64];
    gen_conv c;
    gen_conv_init(&c, o, &au_laptop, port, &au_ftp, 21);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "220 (vsFTPd 3.0.3)\r\n");
    for (int i = 0; i < fails + ok; i++) {
        au_say(&c, GEN_C2S, "USER ftpuser-zq7\r\n");
        au_say(&c, GEN_S2C, "331 Please specify the password.\r\n");
        if (i < fails)
            snprintf(line, sizeof line, "PASS Guess-%02d-xk\r\n", ++*guess);
        else
            snprintf(line, sizeof line, "PASS Right-Pw-77q\r\n");
        au_say(&c, GEN_C2S, line);
        au_say(&c, GEN_S2C, i < fails ? "530 Login incorrect.\r\n" : "230 Login successful.\r\n");
        gen_out_sleep(o, AU_TRY_GAP_US);
    }
    gen_tcp_close(&c);
}

static void au_scene_ftp(gen_out *o)
{
    int guess = 0;
    au_ftp_session(o, 51001, 3, false, &guess);
    au_ftp_session(o, 51002, 3, false, &guess);
    au_ftp_session(o, 51003, 2, true, &guess);
}

/* Telnet in line mode: the client echoes locally, so the server's bytes are its prompts and
 * replies. The last round echoes the user name (as a character-mode server would), which must
 * not be reported as a banner. */
static void au_scene_telnet(gen_out *o)
{
    static const uint8_t will_echo[] = {0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03};
    char pw[32];
    gen_conv c;
    gen_conv_init(&c, o, &au_laptop, 51010, &au_telnet, 23);
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_S2C, will_echo, sizeof will_echo);
    au_say(&c, GEN_S2C, "\r\nEdge Router ER-7 telnet service\r\n\r\nrouter login: ");
    for (int i = 0; i < 6; i++) {
        au_say(&c, GEN_C2S, "tnuser-q4\r\n");
        if (i == 5) au_say(&c, GEN_S2C, "tnuser-q4\r\n");
        au_say(&c, GEN_S2C, "Password: ");
        snprintf(pw, sizeof pw, "Tn-guess-%d-zz\r\n", i);
        au_say(&c, GEN_C2S, pw);
        au_say(&c, GEN_S2C, "\r\n");
        au_say(&c, GEN_S2C, "Login incorrect\r\n\r\nrouter login: ");
        gen_out_sleep(o, AU_TRY_GAP_US);
    }
    gen_tcp_close(&c);
}

static void au_scene_imap(gen_out *o)
{
    char line[64];
    gen_conv c;
    gen_conv_init(&c, o, &au_laptop, 51020, &au_imap, 143);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.\r\n");
    for (int i = 0; i < 3; i++) {
        snprintf(line, sizeof line, "a%d LOGIN mailuser-r8 Imap-guess-%d-qq\r\n", i + 1, i);
        au_say(&c, GEN_C2S, line);
        snprintf(line, sizeof line, "a%d NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                 i + 1);
        au_say(&c, GEN_S2C, line);
        gen_out_sleep(o, AU_TRY_GAP_US);
    }
    au_say(&c, GEN_C2S, "a4 LOGOUT\r\n");
    au_say(&c, GEN_S2C, "* BYE Logging out\r\na4 OK Logout completed.\r\n");
    gen_tcp_close(&c);
}

static void au_http_401(gen_conv *c)
{
    au_say(c, GEN_S2C,
           "HTTP/1.1 401 Unauthorized\r\nServer: IPCam-httpd\r\n"
           "WWW-Authenticate: Basic realm=\"IPCam\"\r\nContent-Length: 0\r\n\r\n");
}

/* Four keep-alive connections of three guesses each; the first opens with the request
 * without credentials that every browser sends first. Basic credentials are base64 of
 * "camuser-w2:Cam-guess-N" (made up; never decoded by anything). */
static void au_scene_http(gen_out *o)
{
    static const char *const creds[] = {
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMA==", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMQ==",
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMg==", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMw==",
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtNA==", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtNQ==",
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtNg==", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtNw==",
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtOA==", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtOQ==",
        "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMTA=", "Y2FtdXNlci13MjpDYW0tZ3Vlc3MtMTE="};
    char req[256];
    for (int k = 0; k < 4; k++) {
        gen_conv c;
        gen_conv_init(&c, o, &au_laptop, (uint16_t)(51030 + k), &au_cam, 80);
        gen_tcp_open(&c);
        if (k == 0) {
            au_say(&c, GEN_C2S, "GET / HTTP/1.1\r\nHost: 192.168.40.13\r\n\r\n");
            au_http_401(&c);
        }
        for (int i = 0; i < 3; i++) {
            snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 192.168.40.13\r\nAuthorization: Basic %s\r\n\r\n",
                     creds[k * 3 + i]);
            au_say(&c, GEN_C2S, req);
            au_http_401(&c);
            gen_out_sleep(o, AU_TRY_GAP_US);
        }
        gen_tcp_close(&c);
    }
}

/* RRQ (RFC 1350 5): opcode 1, file name, NUL, mode, NUL; then the server's first DATA block
 * from its own transfer port and the client's ACK. */
static void au_tftp_get(gen_out *o, const gen_host *cli, uint16_t cport, const char *file,
                        const char *data)
{
    gen_buf b;
    gen_buf_init(&b);
    gen_u16(&b, 1), gen_str(&b, file), gen_u8(&b, 0), gen_str(&b, "octet"), gen_u8(&b, 0);
    gen_str(&b, "blksize"), gen_u8(&b, 0), gen_str(&b, "512"), gen_u8(&b, 0);
    gen_udp_send(o, NULL, cli, cport, &au_files, 69, b.b, b.len);
    gen_buf_init(&b);
    gen_u16(&b, 3), gen_u16(&b, 1), gen_str(&b, data);
    gen_udp_send(o, NULL, &au_files, 50069, cli, cport, b.b, b.len);
    static const uint8_t ack[] = {0, 4, 0, 1};
    gen_udp_send(o, NULL, cli, cport, &au_files, 50069, ack, sizeof ack);
}

static void au_scene_updates(gen_out *o)
{
    au_tftp_get(o, &au_plc, 3001, "firmware_v2.1.bin", "FWIMG");
    gen_out_sleep(o, AU_SCENE_GAP_US);
    au_tftp_get(o, &au_phone, 3002, "SEP020000400030.cnf.xml", "<device/>");
    gen_out_sleep(o, AU_SCENE_GAP_US);
    gen_conv c;
    gen_conv_init(&c, o, &au_gw, 51040, &au_files, 21);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "220 files.plant ready\r\n");
    au_say(&c, GEN_C2S, "USER anonymous\r\n");
    au_say(&c, GEN_S2C, "331 Guest login ok, send your e-mail as password.\r\n");
    au_say(&c, GEN_C2S, "PASS gw@\r\n");
    au_say(&c, GEN_S2C, "230 Guest login ok.\r\n");
    au_say(&c, GEN_C2S, "TYPE I\r\n");
    au_say(&c, GEN_S2C, "200 Type set to I.\r\n");
    au_say(&c, GEN_C2S, "PASV\r\n");
    au_say(&c, GEN_S2C, "227 Entering Passive Mode (192,168,40,5,195,80).\r\n");
    au_say(&c, GEN_C2S, "RETR update.img\r\n");
    au_say(&c, GEN_S2C, "150 Opening BINARY mode data connection.\r\n");
    au_say(&c, GEN_S2C, "226 Transfer complete.\r\n");
    au_say(&c, GEN_C2S, "QUIT\r\n");
    au_say(&c, GEN_S2C, "221 Goodbye.\r\n");
    gen_tcp_close(&c);
}

/* One FTP login: USER, PASS and the server's answer (230 or 530). */
static void au_ftp_login(gen_out *o, const gen_host *srv, uint16_t port, const char *user,
                         const char *pass, bool ok)
{
    char line[64];
    gen_conv c;
    gen_conv_init(&c, o, &au_eng, port, srv, 21);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "220 FTP server ready.\r\n");
    snprintf(line, sizeof line, "USER %s\r\n", user);
    au_say(&c, GEN_C2S, line);
    au_say(&c, GEN_S2C, "331 Password required.\r\n");
    snprintf(line, sizeof line, "PASS %s\r\n", pass);
    au_say(&c, GEN_C2S, line);
    au_say(&c, GEN_S2C, ok ? "230 User logged in.\r\n" : "530 Login incorrect.\r\n");
    au_say(&c, GEN_C2S, "QUIT\r\n");
    au_say(&c, GEN_S2C, "221 Goodbye.\r\n");
    gen_tcp_close(&c);
}

/* MQTT 3.1.1 CONNECT (OASIS 3.1) with user name and password, then CONNACK 0 (accepted). */
static void au_mqtt_login(gen_out *o, const gen_host *cli, uint16_t port, const char *id,
                          const char *user, const char *pass)
{
    gen_buf v, b;
    gen_buf_init(&v);
    gen_u16(&v, 4), gen_str(&v, "MQTT"), gen_u8(&v, 4), gen_u8(&v, 0xc2), gen_u16(&v, 60);
    gen_u16(&v, (uint16_t)strlen(id)), gen_str(&v, id);
    gen_u16(&v, (uint16_t)strlen(user)), gen_str(&v, user);
    gen_u16(&v, (uint16_t)strlen(pass)), gen_str(&v, pass);
    gen_buf_init(&b);
    gen_u8(&b, 0x10), gen_u8(&b, (uint8_t)v.len), gen_put(&b, v.b, v.len);
    static const uint8_t connack[] = {0x20, 0x02, 0x00, 0x00};
    gen_conv c;
    gen_conv_init(&c, o, cli, port, &au_mqtt, 1883);
    gen_tcp_open(&c);
    gen_tcp_talk(&c, GEN_C2S, b.b, b.len);
    gen_tcp_talk(&c, GEN_S2C, connack, sizeof connack);
    gen_tcp_close(&c);
}

static void au_scene_defaults(gen_out *o)
{
    gen_conv c;
    gen_conv_init(&c, o, &au_eng, 51050, &au_cam2, 80);
    gen_tcp_open(&c);
    au_say(&c, GEN_C2S, "GET / HTTP/1.1\r\nHost: 192.168.40.14\r\n\r\n");
    au_http_401(&c);
    /* base64 of "admin:12345" (RFC 7617) */
    au_say(
        &c, GEN_C2S,
        "GET / HTTP/1.1\r\nHost: 192.168.40.14\r\nAuthorization: Basic YWRtaW46MTIzNDU=\r\n\r\n");
    au_say(&c, GEN_S2C, "HTTP/1.1 200 OK\r\nServer: IPCam-httpd\r\nContent-Length: 0\r\n\r\n");
    gen_tcp_close(&c);
    gen_out_sleep(o, AU_TRY_GAP_US);
    au_ftp_login(o, &au_ftp2, 51051, "loader", "fwdownload", true);
    gen_out_sleep(o, AU_TRY_GAP_US);
    au_ftp_login(o, &au_ftp3, 51052, "admin", "admin", false);
    gen_out_sleep(o, AU_TRY_GAP_US);
    au_mqtt_login(o, &au_pi, 51053, "plant-pi-01", "pi", "raspberry");
    gen_out_sleep(o, AU_TRY_GAP_US);
    au_mqtt_login(o, &au_eng, 51054, "eng-pc-7", "admin", "Mq-Own-Pw-5kz");
}

/* The server ends the session: its FIN first, after its last reply. */
static void au_server_close(gen_conv *c)
{
    gen_tcp_send(c, GEN_S2C, GEN_FIN | GEN_ACK, NULL, 0);
    gen_tcp_send(c, GEN_C2S, GEN_FIN | GEN_ACK, NULL, 0);
    gen_tcp_send(c, GEN_S2C, GEN_ACK, NULL, 0);
}

/* One guessing session against srv: `fails` refused guesses; then, if bye is set, the server's
 * 421 right after the last refusal and its FIN (RFC 959 4.2.1: "closing control connection"). */
static void au_guess_session(gen_out *o, const gen_host *srv, uint16_t port, int fails,
                             const char *bye, int *guess)
{
    char line[64];
    gen_conv c;
    gen_conv_init(&c, o, &au_laptop, port, srv, 21);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "220 FTP server ready.\r\n");
    for (int i = 0; i < fails; i++) {
        au_say(&c, GEN_C2S, "USER histuser-p3\r\n");
        au_say(&c, GEN_S2C, "331 Password required.\r\n");
        snprintf(line, sizeof line, "PASS Lock-guess-%02d-vv\r\n", ++*guess);
        au_say(&c, GEN_C2S, line);
        au_say(&c, GEN_S2C, "530 Login incorrect.\r\n");
        gen_out_sleep(o, AU_TRY_GAP_US);
    }
    if (bye) {
        au_say(&c, GEN_S2C, bye);
        au_server_close(&c);
    } else {
        gen_tcp_close(&c);
    }
}

/* A banned client's new connection: the 421 comes instead of the greeting. */
static void au_banned_session(gen_out *o, const gen_host *srv, uint16_t port)
{
    gen_conv c;
    gen_conv_init(&c, o, &au_laptop, port, srv, 21);
    gen_tcp_open(&c);
    au_say(&c, GEN_S2C, "421 Locked out: too many failed login attempts.\r\n");
    au_server_close(&c);
    gen_out_sleep(o, AU_TRY_GAP_US);
}

/* The laptop guesses on a historian's FTP server that locks a client out after 5 refusals (3
 * in a first session, 2 in the second, then 421 and its FIN) and keeps answering 421 to the
 * next two connections: no finding. Then on a second server that ends each session with 421
 * after 3 refusals but refuses the guesses of the next session again (3 sessions, 9 refusals):
 * a per-session limit, still a finding. Last, a server that locks out too late: 12 refusals in
 * one session, then 421, and 421 to the next connection (still a finding; past the worker's
 * every-count milestones, so the last two refusals are reported only when the lockout comes). */
static void au_scene_lockout(gen_out *o)
{
    int guess = 0;
    au_guess_session(o, &au_ftp_lock, 51060, 3, NULL, &guess);
    au_guess_session(o, &au_ftp_lock, 51061, 2,
                     "421 Too many failed login attempts; locked out for 15 minutes.\r\n", &guess);
    au_banned_session(o, &au_ftp_lock, 51062);
    au_banned_session(o, &au_ftp_lock, 51063);
    gen_out_sleep(o, AU_SCENE_GAP_US);
    for (int k = 0; k < 3; k++)
        au_guess_session(o, &au_ftp_cap, (uint16_t)(51070 + k), 3,
                         "421 Too many login failures, closing control connection.\r\n", &guess);
    gen_out_sleep(o, AU_SCENE_GAP_US);
    au_guess_session(o, &au_ftp_late, 51080, 12, "421 Locked out.\r\n", &guess);
    au_banned_session(o, &au_ftp_late, 51081);
}

int cap_auth(const char *dir)
{
    static void (*const scenes[])(gen_out *) = {
        au_scene_ftp,     au_scene_telnet,   au_scene_imap,   au_scene_http,
        au_scene_updates, au_scene_defaults, au_scene_lockout};
    gen_out o;
    if (gen_out_open(&o, dir, "auth.pcap", GEN_FMT_PCAP, 1, 65535) != 0) return -1;
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        scenes[i](&o);
        gen_out_sleep(&o, AU_SCENE_GAP_US);
    }
    return gen_out_close(&o);
}
