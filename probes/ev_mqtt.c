/* ev_mqtt.c - client identity from MQTT CONNECT and the broker's answer from CONNACK (MQTT
 * 3.1, 3.1.1 (OASIS 2014) and 5.0 (OASIS 2019)) on TCP 1883.
 *
 * CONNECT names the client: its identifier, the protocol level and whether it logs in. The
 * user name and password themselves are never reported, only their presence; the stateful
 * form checks them in place against the default credential table (ev_cred.h), and the CONNACK
 * that follows says whether the broker took them. A payload may hold several control packets;
 * each starts with a type/flags octet and a variable-length remaining length (1 to 4 octets of
 * 7 bits). */
#include "ev_cred.h"

enum {
    MQ_CONNECT = 1,
    MQ_CONNACK = 2,
    MQ_PUBLISH = 3,
    MQ_PACKETS_MAX = 16, /* control packets walked per payload */
    MQ_VARINT_MAX = 4,
    MQ_F_USER = 0x80, /* CONNECT flags */
    MQ_F_PASS = 0x40,
    MQ_F_WILL = 0x04,
};

/* Reads a variable byte integer. 1: done, 0: cut, -1: more than four octets. */
static int mq_varint(ssf_cur *c, uint32_t *v)
{
    uint32_t x = 0;
    for (int i = 0; i < MQ_VARINT_MAX; i++) {
        uint8_t b;
        if (!ssf_cur_u8(c, &b)) return 0;
        x |= (uint32_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return -1;
}

/* Fixed flag bits every packet type but PUBLISH must carry (3.1.1 table 2.2). */
static bool mq_flags_ok(uint8_t b)
{
    uint8_t type = b >> 4, flags = b & 0x0f;
    if (type == 0) return false;
    if (type == MQ_PUBLISH) return (flags & 0x06) != 0x06;          /* QoS 3 is malformed */
    if (type == 6 || type == 8 || type == 10) return flags == 0x02; /* PUBREL, (UN)SUBSCRIBE */
    return flags == 0;
}

static bool mq_string(ssf_cur *c, const uint8_t **s, uint16_t *len)
{
    return ssf_cur_u16be(c, len) && ssf_cur_bytes(c, *len, s);
}

static const char *mq_version(const uint8_t *name, uint16_t nlen, uint8_t level)
{
    if (level == 3 && nlen == 6 && memcmp(name, "MQIsdp", 6) == 0) return "3.1";
    if (nlen != 4 || memcmp(name, "MQTT", 4) != 0) return NULL;
    if (level == 4) return "3.1.1";
    if (level == 5) return "5.0";
    return NULL;
}

static const char *mq_credentials(uint8_t flags)
{
    if ((flags & MQ_F_USER) && (flags & MQ_F_PASS)) return "username+password";
    if (flags & MQ_F_USER) return "username";
    if (flags & MQ_F_PASS) return "password"; /* MQTT 5 allows a password alone */
    return "none";
}

static void mq_add(probe_ev_buf_t *out, probe_ev_field f, const char *s)
{
    probe_ev_add(out, f, PROBE_EV_SRC, s, strlen(s));
}

/* The rest of the CONNECT payload after the client identifier: the will (5.0: its properties
 * first), then user name and password (3.1.1 3.1.3). Only both together are checked, and
 * nothing when a field runs past the packet. */
static void mq_login(ssf_cur b, uint8_t flags, uint8_t level, probe_ev_cred_t *st,
                     probe_ev_buf_t *out)
{
    const uint8_t *skip, *user = NULL, *pass = NULL;
    uint16_t len, ulen = 0, plen = 0;
    uint32_t props;
    st->tried = 0;
    if ((flags & (MQ_F_USER | MQ_F_PASS)) != (MQ_F_USER | MQ_F_PASS)) return;
    if (flags & MQ_F_WILL) {
        if (level == 5 && (mq_varint(&b, &props) != 1 || !ssf_cur_skip(&b, props))) return;
        if (!mq_string(&b, &skip, &len) || !mq_string(&b, &skip, &len)) return;
    }
    if (!mq_string(&b, &user, &ulen) || !mq_string(&b, &pass, &plen) || ulen == 0) return;
    ev_cred_check(st, "mqtt", "mqtt", user, ulen, pass, plen, out);
}

/* CONNECT variable header and the client identifier that leads the payload. False when the
 * body is not a CONNECT (unknown protocol name or level, bad lengths). */
static bool mq_connect(ssf_cur b, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    const uint8_t *name, *id;
    uint16_t nlen, idlen, keepalive;
    uint8_t level, flags;
    if (!mq_string(&b, &name, &nlen) || !ssf_cur_u8(&b, &level) || !ssf_cur_u8(&b, &flags) ||
        !ssf_cur_u16be(&b, &keepalive))
        return false;
    (void)keepalive;
    const char *version = mq_version(name, nlen, level);
    if (!version || (flags & 0x01)) return false; /* reserved flag must be 0 */
    uint32_t plen;
    if (level == 5 && (mq_varint(&b, &plen) != 1 || !ssf_cur_skip(&b, plen))) return false;
    if (!mq_string(&b, &id, &idlen)) return false;
    probe_ev_add(out, PROBE_EVF_MQTT_CLIENT_ID, PROBE_EV_SRC, id, idlen);
    mq_add(out, PROBE_EVF_MQTT_VERSION, version);
    mq_add(out, PROBE_EVF_MQTT_CREDENTIALS, mq_credentials(flags));
    mq_add(out, PROBE_EVF_MQTT_TRANSPORT, "tcp");
    mq_login(b, flags, level, st, out);
    return true;
}

/* CONNACK: acknowledge flags, then the 3.1.1 return code or the 5.0 reason code. */
static bool mq_connack(ssf_cur b, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    uint8_t ack, code;
    if (!ssf_cur_u8(&b, &ack) || !ssf_cur_u8(&b, &code) || (ack & 0xfe)) return false;
    ev_cred_answer(st, "mqtt", code == 0, out);
    if (code == 0) {
        mq_add(out, PROBE_EVF_MQTT_CONNACK, "accepted");
        return true;
    }
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    probe_ev_str_put(&s, "refused: ", 9);
    probe_ev_str_u64(&s, code);
    probe_ev_add_str(out, PROBE_EVF_MQTT_CONNACK, PROBE_EV_SRC, &s);
    return true;
}

/* One control packet. EINVAL: reserved type or flags, a remaining length over four octets, or
 * a CONNECT/CONNACK body that does not parse; ETRUNC: the packet runs past the data. */
static ssf_rc mq_packet(ssf_cur *c, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    ssf_cur h = *c, body;
    uint8_t b0;
    uint32_t len;
    if (!ssf_cur_u8(&h, &b0) || !mq_flags_ok(b0)) return SSF_EINVAL;
    int v = mq_varint(&h, &len);
    if (v < 0) return SSF_EINVAL;
    if (v == 0 || !ssf_cur_sub(&h, len, &body)) return SSF_ETRUNC;
    uint8_t type = b0 >> 4;
    if (type == MQ_CONNECT && !mq_connect(body, st, out)) return SSF_EINVAL;
    if (type == MQ_CONNACK && !mq_connack(body, st, out)) return SSF_EINVAL;
    *c = h;
    return SSF_OK;
}

ssf_rc probe_ev_mqtt(const uint8_t *p, size_t n, probe_ev_buf_t *out)
{
    probe_ev_cred_t st = {{0, 0}, 0};
    return probe_ev_mqtt_st(p, n, &st, out);
}

ssf_rc probe_ev_mqtt_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out)
{
    if (!p || !out || !n || !st) return SSF_EINVAL;
    ssf_cur c = ssf_cur_make(p, n);
    ssf_rc rc = mq_packet(&c, st, out);
    if (rc != SSF_OK) return rc;
    for (int i = 1; i < MQ_PACKETS_MAX && ssf_cur_left(&c); i++) {
        rc = mq_packet(&c, st, out);
        if (rc == SSF_ETRUNC) return rc;
        if (rc != SSF_OK) break;
    }
    return SSF_OK;
}
