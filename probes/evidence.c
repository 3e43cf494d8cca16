/* evidence.c - the field-name table, item sanitising, and the string builder the extractors
 * render into. */
#include "evidence_internal.h"

#include <string.h>

/* One row per field. Signature rules name fields by these strings, so they never change once
 * released; new fields are appended. */
static const struct {
    probe_ev_field field;
    const char *name;
} ev_fields[] = {
    {PROBE_EVF_DHCP_HOSTNAME, "dhcp.hostname"},
    {PROBE_EVF_DHCP_VENDOR, "dhcp.vendor_class"},
    {PROBE_EVF_DHCP_CLIENT_ID, "dhcp.client_id"},
    {PROBE_EVF_DHCP_FINGERPRINT, "dhcp.fingerprint"},
    {PROBE_EVF_HTTP_SERVER, "http.server"},
    {PROBE_EVF_HTTP_UA, "http.user_agent"},
    {PROBE_EVF_HTTP_HOST, "http.host"},
    {PROBE_EVF_SSH_BANNER, "ssh.banner"},
    {PROBE_EVF_TLS_SNI, "tls.sni"},
    {PROBE_EVF_TLS_SUBJECT, "tls.cert_subject"},
    {PROBE_EVF_TLS_ISSUER, "tls.cert_issuer"},
    {PROBE_EVF_TLS_NOT_BEFORE, "tls.cert_not_before"},
    {PROBE_EVF_TLS_NOT_AFTER, "tls.cert_not_after"},
    {PROBE_EVF_TLS_KEY, "tls.cert_key"},
    {PROBE_EVF_MODBUS_VENDOR, "modbus.vendor"},
    {PROBE_EVF_MODBUS_PRODUCT_CODE, "modbus.product_code"},
    {PROBE_EVF_MODBUS_REVISION, "modbus.revision"},
    {PROBE_EVF_MODBUS_PRODUCT, "modbus.product"},
    {PROBE_EVF_MODBUS_MODEL, "modbus.model"},
    {PROBE_EVF_MODBUS_UNIT, "modbus.unit_id"},
    {PROBE_EVF_S7_MODULE, "s7.module"},
    {PROBE_EVF_S7_ORDER, "s7.order_number"},
    {PROBE_EVF_S7_SERIAL, "s7.serial"},
    {PROBE_EVF_S7_FIRMWARE, "s7.firmware"},
    {PROBE_EVF_S7_PLANT_ID, "s7.plant_id"},
    {PROBE_EVF_S7_NAME, "s7.name"},
    {PROBE_EVF_S7_PLUS, "s7.protocol"},
    {PROBE_EVF_ENIP_VENDOR, "enip.vendor"},
    {PROBE_EVF_ENIP_DEVICE_TYPE, "enip.device_type"},
    {PROBE_EVF_ENIP_PRODUCT_CODE, "enip.product_code"},
    {PROBE_EVF_ENIP_REVISION, "enip.revision"},
    {PROBE_EVF_ENIP_SERIAL, "enip.serial"},
    {PROBE_EVF_ENIP_PRODUCT, "enip.product_name"},
    {PROBE_EVF_BACNET_INSTANCE, "bacnet.device_instance"},
    {PROBE_EVF_BACNET_VENDOR, "bacnet.vendor"},
    {PROBE_EVF_BACNET_VENDOR_NAME, "bacnet.vendor_name"},
    {PROBE_EVF_BACNET_MODEL, "bacnet.model"},
    {PROBE_EVF_BACNET_FIRMWARE, "bacnet.firmware"},
    {PROBE_EVF_BACNET_APP_VERSION, "bacnet.app_version"},
    {PROBE_EVF_BACNET_OBJECT_NAME, "bacnet.object_name"},
    {PROBE_EVF_SNMP_SYSDESCR, "snmp.sysdescr"},
    {PROBE_EVF_SNMP_SYSOBJECTID, "snmp.sysobjectid"},
    {PROBE_EVF_SNMP_SYSNAME, "snmp.sysname"},
    {PROBE_EVF_SNMP_COMMUNITY, "snmp.community"},
    {PROBE_EVF_SYSLOG_HOSTNAME, "syslog.hostname"},
    {PROBE_EVF_NETBIOS_NAME, "netbios.name"},
    {PROBE_EVF_MDNS_SERVICE, "mdns.service"},
    {PROBE_EVF_MDNS_INSTANCE, "mdns.instance"},
    {PROBE_EVF_MDNS_HOSTNAME, "mdns.hostname"},
    {PROBE_EVF_MDNS_TXT, "mdns.txt"},
    {PROBE_EVF_SSDP_SERVER, "ssdp.server"},
    {PROBE_EVF_SSDP_USN, "ssdp.usn"},
    {PROBE_EVF_SSDP_NT, "ssdp.nt"},
    {PROBE_EVF_SSDP_LOCATION, "ssdp.location"},
    {PROBE_EVF_LLDP_CHASSIS, "lldp.chassis_id"},
    {PROBE_EVF_LLDP_PORT, "lldp.port_id"},
    {PROBE_EVF_LLDP_SYSNAME, "lldp.sysname"},
    {PROBE_EVF_LLDP_SYSDESCR, "lldp.sysdescr"},
    {PROBE_EVF_LLDP_CAPS, "lldp.capabilities"},
    {PROBE_EVF_LLDP_MGMT, "lldp.mgmt_addr"},
    {PROBE_EVF_CDP_DEVICE, "cdp.device_id"},
    {PROBE_EVF_CDP_PLATFORM, "cdp.platform"},
    {PROBE_EVF_CDP_SOFTWARE, "cdp.software"},
    {PROBE_EVF_CDP_CAPS, "cdp.capabilities"},
    {PROBE_EVF_CDP_ADDRESS, "cdp.address"},
    {PROBE_EVF_HTTP_REALM, "http.realm"},
    {PROBE_EVF_HTTP_TITLE, "http.title"},
    {PROBE_EVF_UPNP_FRIENDLY, "upnp.friendly_name"},
    {PROBE_EVF_UPNP_MANUFACTURER, "upnp.manufacturer"},
    {PROBE_EVF_UPNP_MODEL, "upnp.model"},
    {PROBE_EVF_UPNP_MODEL_NUMBER, "upnp.model_number"},
    {PROBE_EVF_UPNP_SERIAL, "upnp.serial"},
    {PROBE_EVF_UPNP_DEVICE_TYPE, "upnp.device_type"},
    {PROBE_EVF_TLS_JA3, "tls.ja3"},
    {PROBE_EVF_TLS_JA3_STRING, "tls.ja3_string"},
    {PROBE_EVF_SSH_HASSH, "ssh.hassh"},
    {PROBE_EVF_SSH_HASSH_SERVER, "ssh.hassh_server"},
    {PROBE_EVF_FTP_BANNER, "ftp.banner"},
    {PROBE_EVF_TELNET_BANNER, "telnet.banner"},
    {PROBE_EVF_TELNET_PROMPT, "telnet.prompt"},
    {PROBE_EVF_RTSP_SERVER, "rtsp.server"},
    {PROBE_EVF_RTSP_UA, "rtsp.user_agent"},
    {PROBE_EVF_SIP_UA, "sip.user_agent"},
    {PROBE_EVF_SIP_SERVER, "sip.server"},
    {PROBE_EVF_SMB_NATIVE_OS, "smb.native_os"},
    {PROBE_EVF_SMB_LANMAN, "smb.lanman"},
    {PROBE_EVF_SMB_DIALECT, "smb.dialect"},
    {PROBE_EVF_SMB_HOSTNAME, "smb.hostname"},
    {PROBE_EVF_SMB_DOMAIN, "smb.domain"},
    {PROBE_EVF_MQTT_CLIENT_ID, "mqtt.client_id"},
    {PROBE_EVF_MQTT_VERSION, "mqtt.version"},
    {PROBE_EVF_MQTT_CREDENTIALS, "mqtt.credentials"},
    {PROBE_EVF_MQTT_TRANSPORT, "mqtt.transport"},
    {PROBE_EVF_COAP_URI, "coap.uri"},
    {PROBE_EVF_COAP_RESOURCE, "coap.resource"},
    {PROBE_EVF_DHCPV6_VENDOR, "dhcpv6.vendor_class"},
    {PROBE_EVF_DHCPV6_FQDN, "dhcpv6.fqdn"},
    {PROBE_EVF_DHCPV6_DUID, "dhcpv6.duid"},
    {PROBE_EVF_DHCPV6_FINGERPRINT, "dhcpv6.fingerprint"},
    {PROBE_EVF_DHCPV6_ENTERPRISE, "dhcpv6.enterprise"},
    {PROBE_EVF_UBNT_MODEL, "ubnt.model"},
    {PROBE_EVF_UBNT_FIRMWARE, "ubnt.firmware"},
    {PROBE_EVF_UBNT_HOSTNAME, "ubnt.hostname"},
    {PROBE_EVF_UBNT_PLATFORM, "ubnt.platform"},
    {PROBE_EVF_TUYA_PRODUCT_KEY, "tuya.product_key"},
    {PROBE_EVF_TUYA_GW_ID, "tuya.gw_id"},
    {PROBE_EVF_TUYA_VERSION, "tuya.version"},
    {PROBE_EVF_TIVO_MACHINE, "tivo.machine"},
    {PROBE_EVF_TIVO_PLATFORM, "tivo.platform"},
    {PROBE_EVF_UMAS_MODEL, "umas.model"},
    {PROBE_EVF_UMAS_FIRMWARE, "umas.firmware"},
    {PROBE_EVF_DNP3_OUTSTATION, "dnp3.outstation"},
    {PROBE_EVF_DNP3_MASTER, "dnp3.master"},
    {PROBE_EVF_DNP3_FUNCTION, "dnp3.function"},
    {PROBE_EVF_IEC104_ADDRESS, "iec104.common_address"},
    {PROBE_EVF_IEC104_TYPE, "iec104.type"},
    {PROBE_EVF_OPCUA_ENDPOINT, "opcua.endpoint_url"},
    {PROBE_EVF_OPCUA_APPLICATION, "opcua.application"},
    {PROBE_EVF_OPCUA_APP_URI, "opcua.application_uri"},
    {PROBE_EVF_OPCUA_PRODUCT_URI, "opcua.product_uri"},
    {PROBE_EVF_OPCUA_POLICY, "opcua.security_policy"},
    {PROBE_EVF_OPCUA_MODE, "opcua.security_mode"},
    {PROBE_EVF_PN_STATION, "profinet.station_name"},
    {PROBE_EVF_PN_VENDOR, "profinet.vendor"},
    {PROBE_EVF_PN_DEVICE_ID, "profinet.device_id"},
    {PROBE_EVF_PN_ROLE, "profinet.role"},
    {PROBE_EVF_PN_DEVICE_VENDOR, "profinet.type_of_station"},
    {PROBE_EVF_PN_ORDER, "profinet.order_number"},
    {PROBE_EVF_PN_SERIAL, "profinet.serial"},
    {PROBE_EVF_PN_FIRMWARE, "profinet.firmware"},
    {PROBE_EVF_KNX_NAME, "knx.name"},
    {PROBE_EVF_KNX_SERIAL, "knx.serial"},
    {PROBE_EVF_KNX_MAC, "knx.mac"},
    {PROBE_EVF_KNX_ADDRESS, "knx.address"},
    {PROBE_EVF_KNX_SERVICE, "knx.service"},
    {PROBE_EVF_HART_MANUFACTURER, "hart.manufacturer"},
    {PROBE_EVF_HART_DEVICE_TYPE, "hart.device_type"},
    {PROBE_EVF_HART_TAG, "hart.tag"},
    {PROBE_EVF_HART_DEVICE_ID, "hart.device_id"},
    {PROBE_EVF_HART_REVISION, "hart.revision"},
    {PROBE_EVF_FINS_MODEL, "fins.model"},
    {PROBE_EVF_FINS_VERSION, "fins.version"},
    {PROBE_EVF_SBUS_TYPE, "sbus.pcd_type"},
    {PROBE_EVF_SBUS_FIRMWARE, "sbus.firmware"},
    {PROBE_EVF_ADS_NAME, "ads.device_name"},
    {PROBE_EVF_ADS_VERSION, "ads.version"},
    {PROBE_EVF_C37118_STATION, "c37118.station"},
    {PROBE_EVF_SYSLOG_TAG, "syslog.tag"},
    {PROBE_EVF_SYSLOG_MSG, "syslog.message"},
    {PROBE_EVF_S7_CLIENT, "s7.client"},
    {PROBE_EVF_MQTT_CONNACK, "mqtt.connack"}, /* d2 */
    {PROBE_EVF_MMS_VENDOR, "mms.vendor"},
    {PROBE_EVF_MMS_MODEL, "mms.model"},
    {PROBE_EVF_MMS_REVISION, "mms.revision"},
    {PROBE_EVF_MODBUS_FUNCTION, "modbus.function"},
    {PROBE_EVF_ENIP_CIP_SERVICE, "enip.cip_service"},
    {PROBE_EVF_HTTP_AUTHORIZATION, "http.authorization"},
    {PROBE_EVF_HTTP_REQUEST_URI, "http.request_uri"},
    {PROBE_EVF_FTP_LOGIN, "ftp.login"},
    {PROBE_EVF_FTP_LOGIN_RESULT, "ftp.login_result"},
    {PROBE_EVF_POP_LOGIN, "pop.login"},
    {PROBE_EVF_IMAP_LOGIN, "imap.login"},
    {PROBE_EVF_TLS_VERSION, "tls.version"},
    {PROBE_EVF_TLS_CIPHER, "tls.cipher"},
    {PROBE_EVF_TLS_CLIENT_VERSION, "tls.client_version"},
    {PROBE_EVF_S7_FUNCTION, "s7.function"},
    {PROBE_EVF_BACNET_SERVICE, "bacnet.service"},
    {PROBE_EVF_IEC104_COMMAND, "iec104.command"},
    {PROBE_EVF_SNMP_PDU, "snmp.pdu"},
    /* @probes4-names */
    {PROBE_EVF_AUTH_FAILURE, "auth.failure"},
    {PROBE_EVF_AUTH_SUCCESS, "auth.success"},
    {PROBE_EVF_FTP_RETR, "ftp.retr"},
    {PROBE_EVF_FTP_STOR, "ftp.stor"},
    {PROBE_EVF_TFTP_READ, "tftp.read"},
    {PROBE_EVF_TFTP_WRITE, "tftp.write"},
    {PROBE_EVF_AUTH_DEFAULT_TRIED, "auth.default_tried"},
    {PROBE_EVF_AUTH_DEFAULT, "auth.default"},
    {PROBE_EVF_AUTH_LOCKOUT, "auth.lockout"},
};
_Static_assert(SSF_ARRAY_LEN(ev_fields) == PROBE_EVF_COUNT - 1,
               "every probe_ev_field needs a row in ev_fields");

const char *probe_ev_field_name(probe_ev_field f)
{
    for (size_t i = 0; i < SSF_ARRAY_LEN(ev_fields); i++)
        if (ev_fields[i].field == f) return ev_fields[i].name;
    return "?";
}

probe_ev_field probe_ev_field_by_name(const char *name)
{
    if (!name) return PROBE_EVF_NONE;
    for (size_t i = 0; i < SSF_ARRAY_LEN(ev_fields); i++)
        if (strcmp(ev_fields[i].name, name) == 0) return ev_fields[i].field;
    return PROBE_EVF_NONE;
}

static bool ev_blank(uint8_t c)
{
    return c == ' ' || c == '\t';
}

probe_ev_t *probe_ev_add(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                         const void *value, size_t len)
{
    const uint8_t *v = value;
    if (!buf || f <= PROBE_EVF_NONE || f >= PROBE_EVF_COUNT || (!v && len)) return NULL;
    /* Trim the raw bytes, cut, then trim again: the cut can expose an inner blank. */
    while (len && ev_blank(v[0]))
        v++, len--;
    if (len > PROBE_EV_VALUE_MAX - 1) len = PROBE_EV_VALUE_MAX - 1;
    while (len && ev_blank(v[len - 1]))
        len--;
    if (!len) return NULL;
    if (buf->n >= PROBE_EV_BUF_ITEMS) {
        buf->dropped++;
        return NULL;
    }
    probe_ev_t *it = &buf->items[buf->n++];
    /* Only the header and the value's own bytes: every item of every inspected payload passes
     * here, most of them repeats the dedup drops, so clearing all 200 bytes is wasted work. */
    it->field = (uint16_t)f;
    it->role = (uint8_t)role;
    it->has_mac = 0;
    memset(it->mac, 0, sizeof it->mac);
    it->len = (uint16_t)len;
    for (size_t i = 0; i < len; i++)
        it->value[i] = (v[i] < 0x20 || v[i] >= 0x7f) ? '.' : (char)v[i];
    it->value[len] = '\0';
    return it;
}

probe_ev_t *probe_ev_add_str(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                             const probe_ev_str_t *s)
{
    return probe_ev_add(buf, f, role, s->s, s->n);
}

void probe_ev_str_put(probe_ev_str_t *s, const void *p, size_t len)
{
    size_t room = sizeof s->s - 1 - s->n;
    if (len > room) {
        len = room;
        s->cut = true;
    }
    memcpy(s->s + s->n, p, len);
    s->n += len;
    s->s[s->n] = '\0';
}

void probe_ev_str_putc(probe_ev_str_t *s, char c)
{
    probe_ev_str_put(s, &c, 1);
}

void probe_ev_str_u64(probe_ev_str_t *s, uint64_t v)
{
    char d[20];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i);
    probe_ev_str_put(s, d + i, sizeof d - i);
}

void probe_ev_str_hex(probe_ev_str_t *s, uint8_t b)
{
    static const char hx[] = "0123456789abcdef";
    char d[2] = {hx[b >> 4], hx[b & 15]};
    probe_ev_str_put(s, d, 2);
}

void probe_ev_add_named(probe_ev_buf_t *out, probe_ev_field f, const char *name, const char *prefix,
                        uint64_t v)
{
    probe_ev_str_t s;
    probe_ev_str_init(&s);
    if (name) {
        probe_ev_str_put(&s, name, strlen(name));
    } else {
        probe_ev_str_put(&s, prefix, strlen(prefix));
        probe_ev_str_u64(&s, v);
    }
    probe_ev_add_str(out, f, PROBE_EV_SRC, &s);
}

bool probe_ev_next_line(ssf_cur *c, probe_ev_line_t *l)
{
    const uint8_t *lf = memchr(c->p, '\n', ssf_cur_left(c));
    if (!lf) return false;
    l->p = c->p;
    l->len = (size_t)(lf - c->p);
    if (l->len && l->p[l->len - 1] == '\r') l->len--;
    c->p = lf + 1;
    return true;
}

void probe_ev_str_bits(probe_ev_str_t *s, const char *const *names, size_t count, uint32_t bits)
{
    for (size_t i = 0; i < count && i < 32; i++) {
        if (!(bits & (UINT32_C(1) << i))) continue;
        size_t len = strlen(names[i]);
        size_t need = len + (s->n ? 1 : 0);
        if (!probe_ev_str_fits(s, need)) {
            s->cut = true;
            return;
        }
        if (s->n) probe_ev_str_putc(s, ',');
        probe_ev_str_put(s, names[i], len);
    }
}

probe_ev_t *probe_ev_add_ip(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                            const uint8_t *a, size_t len)
{
    ssf_addr addr;
    char text[SSF_ADDR_STRLEN];
    if (len == 4)
        ssf_addr_from_v4(&addr, a);
    else if (len == 16)
        memcpy(addr.b, a, 16);
    else
        return NULL;
    ssf_addr_str(&addr, text, sizeof text);
    return probe_ev_add(buf, f, role, text, strlen(text));
}
