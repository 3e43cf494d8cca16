/* probe/evidence.h - identity evidence: what a packet says about who a device is.
 *
 * An extractor reads one protocol's bytes and appends items to a fixed-size buffer; nothing is
 * allocated. Each item names a field (from a table that later issues extend), the end of the
 * packet the fact is about (its sender or its receiver), and a printable value. The field names
 * are the ones signature rules match on ("http.server", "dhcp.vendor_class" ...). */
#ifndef PROBE_EVIDENCE_H
#define PROBE_EVIDENCE_H

#include "ssf/common.h"

typedef enum {
    PROBE_EVF_NONE = 0,
    PROBE_EVF_DHCP_HOSTNAME,    /* dhcp.hostname     option 12                             */
    PROBE_EVF_DHCP_VENDOR,      /* dhcp.vendor_class option 60                             */
    PROBE_EVF_DHCP_CLIENT_ID,   /* dhcp.client_id    option 61, hex                        */
    PROBE_EVF_DHCP_FINGERPRINT, /* dhcp.fingerprint  option 55 as "1,3,6,15"               */
    PROBE_EVF_HTTP_SERVER,      /* http.server       Server: header                        */
    PROBE_EVF_HTTP_UA,          /* http.user_agent   User-Agent: header                    */
    PROBE_EVF_HTTP_HOST,        /* http.host         Host: header (names the server)       */
    PROBE_EVF_SSH_BANNER,       /* ssh.banner        "SSH-2.0-OpenSSH_8.4p1 Debian-5"       */
    PROBE_EVF_TLS_SNI,          /* tls.sni           server_name from the ClientHello       */
    PROBE_EVF_TLS_SUBJECT,      /* tls.cert_subject  leaf certificate subject, RFC 4514-ish */
    PROBE_EVF_TLS_ISSUER,       /* tls.cert_issuer   leaf certificate issuer                */
    PROBE_EVF_TLS_NOT_BEFORE,   /* tls.cert_not_before leaf validity "2023-01-01T00:00:00Z" */
    PROBE_EVF_TLS_NOT_AFTER,    /* tls.cert_not_after  leaf validity end, same form         */
    PROBE_EVF_TLS_KEY,          /* tls.cert_key      "RSA 2048", "EC 256", "Ed25519", OID   */
    /* Plant protocols (issue 3). Each is about the device that answered (role SRC of the
     * response), except where noted. */
    PROBE_EVF_MODBUS_VENDOR,       /* modbus.vendor     FC 43/14 object 0x00 VendorName        */
    PROBE_EVF_MODBUS_PRODUCT_CODE, /* modbus.product_code  object 0x01                    */
    PROBE_EVF_MODBUS_REVISION,     /* modbus.revision   object 0x02 MajorMinorRevision         */
    PROBE_EVF_MODBUS_PRODUCT,      /* modbus.product    object 0x04 ProductName                */
    PROBE_EVF_MODBUS_MODEL,        /* modbus.model      object 0x05 ModelName                  */
    PROBE_EVF_MODBUS_UNIT,         /* modbus.unit_id    unit ids a server answered for         */
    PROBE_EVF_S7_MODULE,           /* s7.module         SZL 0x001C module name / type          */
    PROBE_EVF_S7_ORDER,            /* s7.order_number   SZL 0x0011 (e.g. "6ES7 315-2EH14-0AB0")*/
    PROBE_EVF_S7_SERIAL,           /* s7.serial         SZL 0x001C serial number               */
    PROBE_EVF_S7_FIRMWARE,         /* s7.firmware       SZL 0x0011 firmware "V3.2.6"           */
    PROBE_EVF_S7_PLANT_ID,         /* s7.plant_id       SZL 0x001C plant identification        */
    PROBE_EVF_S7_NAME,             /* s7.name           SZL 0x001C PLC / station name          */
    PROBE_EVF_S7_PLUS,             /* s7.protocol       "S7comm-Plus" when that protocol runs  */
    PROBE_EVF_ENIP_VENDOR,         /* enip.vendor       ListIdentity vendor (name, else id)    */
    PROBE_EVF_ENIP_DEVICE_TYPE,    /* enip.device_type  CIP device type (name, else number)    */
    PROBE_EVF_ENIP_PRODUCT_CODE,   /* enip.product_code                                      */
    PROBE_EVF_ENIP_REVISION,       /* enip.revision     "major.minor"                          */
    PROBE_EVF_ENIP_SERIAL,         /* enip.serial       "0x%08x"                               */
    PROBE_EVF_ENIP_PRODUCT,        /* enip.product_name                                        */
    PROBE_EVF_BACNET_INSTANCE,     /* bacnet.device_instance  from I-Am                        */
    PROBE_EVF_BACNET_VENDOR,       /* bacnet.vendor     I-Am vendor id (name, else id)         */
    PROBE_EVF_BACNET_VENDOR_NAME,  /* bacnet.vendor_name  ReadProperty ack vendor-name        */
    PROBE_EVF_BACNET_MODEL,        /* bacnet.model      model-name                             */
    PROBE_EVF_BACNET_FIRMWARE,     /* bacnet.firmware   firmware-revision                      */
    PROBE_EVF_BACNET_APP_VERSION,  /* bacnet.app_version application-software-version        */
    PROBE_EVF_BACNET_OBJECT_NAME,  /* bacnet.object_name object-name of the device object    */
    /* Discovery and management (issue 3). Role SRC of the packet that carried it. */
    PROBE_EVF_SNMP_SYSDESCR,    /* snmp.sysdescr     GetResponse 1.3.6.1.2.1.1.1.0           */
    PROBE_EVF_SNMP_SYSOBJECTID, /* snmp.sysobjectid  GetResponse 1.3.6.1.2.1.1.2.0 (dotted)  */
    PROBE_EVF_SNMP_SYSNAME,     /* snmp.sysname      GetResponse 1.3.6.1.2.1.1.5.0           */
    PROBE_EVF_SNMP_COMMUNITY,   /* snmp.community    masked: well-known defaults by name,
                                   anything else as "<masked, N chars>"                     */
    PROBE_EVF_SYSLOG_HOSTNAME,  /* syslog.hostname   RFC 3164 / RFC 5424 HOSTNAME            */
    PROBE_EVF_NETBIOS_NAME,     /* netbios.name      NetBIOS-NS name (and <suffix>)          */
    PROBE_EVF_MDNS_SERVICE,     /* mdns.service      DNS-SD service type "_ipp._tcp"         */
    PROBE_EVF_MDNS_INSTANCE,    /* mdns.instance     service instance name                   */
    PROBE_EVF_MDNS_HOSTNAME,    /* mdns.hostname     A/AAAA owner name "printer.local"       */
    PROBE_EVF_MDNS_TXT,         /* mdns.txt          selected TXT pairs "md=HP LaserJet"     */
    PROBE_EVF_SSDP_SERVER,      /* ssdp.server       SERVER header                           */
    PROBE_EVF_SSDP_USN,         /* ssdp.usn          USN header                              */
    PROBE_EVF_SSDP_NT,          /* ssdp.nt           NT (NOTIFY) or ST (response) header     */
    PROBE_EVF_SSDP_LOCATION,    /* ssdp.location     LOCATION URL of the description XML     */
    /* Link layer (issue 3): about the frame's sender, known by MAC. */
    PROBE_EVF_LLDP_CHASSIS,  /* lldp.chassis_id   chassis id (MAC as text, or name)       */
    PROBE_EVF_LLDP_PORT,     /* lldp.port_id      port id                                 */
    PROBE_EVF_LLDP_SYSNAME,  /* lldp.sysname      system name                             */
    PROBE_EVF_LLDP_SYSDESCR, /* lldp.sysdescr     system description                      */
    PROBE_EVF_LLDP_CAPS,     /* lldp.capabilities enabled capabilities "bridge,router"     */
    PROBE_EVF_LLDP_MGMT,     /* lldp.mgmt_addr    management address (IPv4/IPv6 text)     */
    PROBE_EVF_CDP_DEVICE,    /* cdp.device_id                                             */
    PROBE_EVF_CDP_PLATFORM,  /* cdp.platform      "cisco WS-C2960-24TT-L"                 */
    PROBE_EVF_CDP_SOFTWARE,  /* cdp.software      first line of the software version      */
    PROBE_EVF_CDP_CAPS,      /* cdp.capabilities  "router,switch"                         */
    PROBE_EVF_CDP_ADDRESS,   /* cdp.address       an IPv4/IPv6 address it announces       */
    /* Banners (issue 3, second increment). Role SRC of the packet unless noted. */
    PROBE_EVF_HTTP_REALM,    /* http.realm               WWW-Authenticate realm="..." of a 401 */
    PROBE_EVF_HTTP_TITLE,    /* http.title               <title> of an HTML response */
    PROBE_EVF_UPNP_FRIENDLY, /* upnp.friendly_name       UPnP description <friendlyName> */
    PROBE_EVF_UPNP_MANUFACTURER, /* upnp.manufacturer        <manufacturer> */
    PROBE_EVF_UPNP_MODEL,        /* upnp.model               <modelName> */
    PROBE_EVF_UPNP_MODEL_NUMBER, /* upnp.model_number        <modelNumber> */
    PROBE_EVF_UPNP_SERIAL,       /* upnp.serial              <serialNumber> */
    PROBE_EVF_UPNP_DEVICE_TYPE,  /* upnp.device_type         <deviceType> URN */
    PROBE_EVF_TLS_JA3, /* tls.ja3                  JA3 MD5 of a ClientHello (role SRC = client) */
    PROBE_EVF_TLS_JA3_STRING,   /* tls.ja3_string           the JA3 string before hashing */
    PROBE_EVF_SSH_HASSH,        /* ssh.hassh                HASSH MD5 of a client KEXINIT */
    PROBE_EVF_SSH_HASSH_SERVER, /* ssh.hassh_server         HASSHServer MD5 of a server KEXINIT */
    PROBE_EVF_FTP_BANNER,       /* ftp.banner               220 greeting text */
    PROBE_EVF_TELNET_BANNER,    /* telnet.banner            first printable server line(s) */
    PROBE_EVF_TELNET_PROMPT,    /* telnet.prompt            a login/password prompt "login:" */
    PROBE_EVF_RTSP_SERVER,      /* rtsp.server              RTSP Server: header */
    PROBE_EVF_RTSP_UA,          /* rtsp.user_agent          RTSP User-Agent: header */
    PROBE_EVF_SIP_UA,           /* sip.user_agent           SIP User-Agent: header */
    PROBE_EVF_SIP_SERVER,       /* sip.server               SIP Server: header */
    PROBE_EVF_SMB_NATIVE_OS,    /* smb.native_os            SMB1 Session Setup NativeOS */
    PROBE_EVF_SMB_LANMAN,       /* smb.lanman               SMB1 Session Setup NativeLanMan */
    PROBE_EVF_SMB_DIALECT,      /* smb.dialect              dialect a server chose, "NT LM 0.12" /
                                   "SMB 3.1.1" */
    PROBE_EVF_SMB_HOSTNAME, /* smb.hostname             NetBIOS/DNS computer name from NTLMSSP or
                               the response */
    PROBE_EVF_SMB_DOMAIN,   /* smb.domain               primary domain */
    /* IoT. */
    PROBE_EVF_MQTT_CLIENT_ID,   /* mqtt.client_id           CONNECT client identifier (role SRC =
                                   client) */
    PROBE_EVF_MQTT_VERSION,     /* mqtt.version             "3.1", "3.1.1", "5.0" */
    PROBE_EVF_MQTT_CREDENTIALS, /* mqtt.credentials         "username+password", "username", "none"
                                 */
    PROBE_EVF_MQTT_TRANSPORT,   /* mqtt.transport           "tcp" (clear) or "tls" */
    PROBE_EVF_COAP_URI,      /* coap.uri                 a URI path a client requested (role DST =
                                server) */
    PROBE_EVF_COAP_RESOURCE, /* coap.resource            a link from /.well-known/core (role SRC =
                                server) */
    PROBE_EVF_DHCPV6_VENDOR, /* dhcpv6.vendor_class      option 16 "enterprise:data" */
    PROBE_EVF_DHCPV6_FQDN,   /* dhcpv6.fqdn              option 39 client FQDN */
    PROBE_EVF_DHCPV6_DUID,   /* dhcpv6.duid              client DUID, hex */
    PROBE_EVF_DHCPV6_FINGERPRINT, /* dhcpv6.fingerprint       option 6 request list "23,24,39" */
    PROBE_EVF_DHCPV6_ENTERPRISE,  /* dhcpv6.enterprise        option 17 enterprise number */
    PROBE_EVF_UBNT_MODEL,       /* ubnt.model               Ubiquiti discovery short model "UGW3" */
    PROBE_EVF_UBNT_FIRMWARE,    /* ubnt.firmware            firmware string */
    PROBE_EVF_UBNT_HOSTNAME,    /* ubnt.hostname            hostname */
    PROBE_EVF_UBNT_PLATFORM,    /* ubnt.platform            platform / ESSID-free model text */
    PROBE_EVF_TUYA_PRODUCT_KEY, /* tuya.product_key         productKey of a Tuya LAN broadcast */
    PROBE_EVF_TUYA_GW_ID,       /* tuya.gw_id               gwId (device id) */
    PROBE_EVF_TUYA_VERSION,     /* tuya.version             protocol version "3.3" */
    PROBE_EVF_TIVO_MACHINE,     /* tivo.machine             TiVoConnect beacon machine= */
    PROBE_EVF_TIVO_PLATFORM,    /* tivo.platform            platform= */
    /* Plant and building (issue 3, second increment). Role SRC = the device that answered. */
    PROBE_EVF_UMAS_MODEL,    /* umas.model               UMAS (Modbus FC 90) identification "140 CPU
                                311 10" */
    PROBE_EVF_UMAS_FIRMWARE, /* umas.firmware            UMAS firmware version */
    PROBE_EVF_DNP3_OUTSTATION, /* dnp3.outstation          DNP3 outstation link address */
    PROBE_EVF_DNP3_MASTER, /* dnp3.master              DNP3 master link address (role SRC = master)
                            */
    PROBE_EVF_DNP3_FUNCTION,  /* dnp3.function            application function "13 cold_restart" */
    PROBE_EVF_IEC104_ADDRESS, /* iec104.common_address    ASDU common address */
    PROBE_EVF_IEC104_TYPE,    /* iec104.type              type id "36 M_ME_TF_1" */
    PROBE_EVF_OPCUA_ENDPOINT, /* opcua.endpoint_url       Hello EndpointUrl (role DST = server) */
    PROBE_EVF_OPCUA_APPLICATION, /* opcua.application        ApplicationDescription name */
    PROBE_EVF_OPCUA_APP_URI,     /* opcua.application_uri    ApplicationUri */
    PROBE_EVF_OPCUA_PRODUCT_URI, /* opcua.product_uri        ProductUri */
    PROBE_EVF_OPCUA_POLICY,      /* opcua.security_policy    SecurityPolicyUri short name "None" */
    PROBE_EVF_OPCUA_MODE,        /* opcua.security_mode      "None", "Sign", "SignAndEncrypt" */
    PROBE_EVF_PN_STATION,        /* profinet.station_name    DCP NameOfStation */
    PROBE_EVF_PN_VENDOR,         /* profinet.vendor          DCP vendor id (name, else id) */
    PROBE_EVF_PN_DEVICE_ID,      /* profinet.device_id       DCP device id "0x0a01" */
    PROBE_EVF_PN_ROLE, /* profinet.role            "io-device", "io-controller", "supervisor" */
    PROBE_EVF_PN_DEVICE_VENDOR,  /* profinet.type_of_station DCP DeviceVendorValue "S7-1500" */
    PROBE_EVF_PN_ORDER,          /* profinet.order_number    I&M0 order id */
    PROBE_EVF_PN_SERIAL,         /* profinet.serial          I&M0 serial number */
    PROBE_EVF_PN_FIRMWARE,       /* profinet.firmware        I&M0 software revision "V2.1.0" */
    PROBE_EVF_KNX_NAME,          /* knx.name                 KNXnet/IP friendly name */
    PROBE_EVF_KNX_SERIAL,        /* knx.serial               KNX serial number, hex */
    PROBE_EVF_KNX_MAC,           /* knx.mac                  MAC from the DIB */
    PROBE_EVF_KNX_ADDRESS,       /* knx.address              individual address "1.0.135" */
    PROBE_EVF_KNX_SERVICE,       /* knx.service              service families "core,tunnelling" */
    PROBE_EVF_HART_MANUFACTURER, /* hart.manufacturer        HART manufacturer id (name, else id) */
    PROBE_EVF_HART_DEVICE_TYPE,  /* hart.device_type         expanded device type "0x264e" */
    PROBE_EVF_HART_TAG,          /* hart.tag                 short / long tag */
    PROBE_EVF_HART_DEVICE_ID,    /* hart.device_id           device id, hex */
    PROBE_EVF_HART_REVISION,     /* hart.revision            "hart 7, device 1, sw 2" */
    PROBE_EVF_FINS_MODEL, /* fins.model               Controller Data Read model "CP1L-EL20DR-D" */
    PROBE_EVF_FINS_VERSION,   /* fins.version             controller version "01.00" */
    PROBE_EVF_SBUS_TYPE,      /* sbus.pcd_type            Ether-S-Bus PCD type "D2M48" */
    PROBE_EVF_SBUS_FIRMWARE,  /* sbus.firmware            firmware version "020" */
    PROBE_EVF_ADS_NAME,       /* ads.device_name          ADS Read Device Info name "PLC Server" */
    PROBE_EVF_ADS_VERSION,    /* ads.version              "2.11.2100" */
    PROBE_EVF_C37118_STATION, /* c37118.station           IEEE C37.118 station name */
    /* syslog message text, so rules can read what a device says about itself. */
    PROBE_EVF_SYSLOG_TAG,   /* syslog.tag        APP-NAME / TAG "nbd", "%LINK-5-CHANGED" */
    PROBE_EVF_SYSLOG_MSG,   /* syslog.message    MSG, first PROBE_EV_VALUE_MAX-1 bytes   */
    PROBE_EVF_S7_CLIENT,    /* s7.client  S7comm-Plus client application "OMS+ for SMART Runtime" */
    PROBE_EVF_MQTT_CONNACK, /* mqtt.connack    CONNACK "accepted" / "refused: N" (broker) */
    PROBE_EVF_MMS_VENDOR,   /* mms.vendor      MMS Identify response vendorName          */
    PROBE_EVF_MMS_MODEL,    /* mms.model       modelName                                 */
    PROBE_EVF_MMS_REVISION, /* mms.revision    revision                                  */
    PROBE_EVF_MODBUS_FUNCTION,  /* modbus.function  "16 write_multiple_registers", with
                                   " exception N" for an exception response (role SRC)       */
    PROBE_EVF_ENIP_CIP_SERVICE, /* enip.cip_service "0x4c read_tag", a reply adds
                                  " reply: status 0x00" (role SRC)                          */
    /* Weak points (issue 4). Presence and kind only: never a credential's value. */
    PROBE_EVF_HTTP_AUTHORIZATION, /* http.authorization  Authorization scheme "Basic", "Digest",
                                     "Bearer", "NTLM", "Negotiate" (role SRC = client)      */
    PROBE_EVF_HTTP_REQUEST_URI,   /* http.request_uri    "download /fw/x.bin": a GET of a
                                     firmware/package file (role SRC = the fetching client) */
    PROBE_EVF_FTP_LOGIN,          /* ftp.login           "user+password" / "user" (role SRC =
                                     client)                                                 */
    PROBE_EVF_FTP_LOGIN_RESULT,   /* ftp.login_result    "accepted" on a 230 (role SRC = server)*/
    PROBE_EVF_POP_LOGIN,          /* pop.login           "user+password", "apop", "auth PLAIN"
                                     (role SRC = client)                                     */
    PROBE_EVF_IMAP_LOGIN,         /* imap.login          "user+password", "authenticate PLAIN"
                                     (role SRC = client)                                     */
    PROBE_EVF_TLS_VERSION,        /* tls.version         ServerHello's "TLS 1.2", "SSL 3.0"
                                     (role SRC = server)                                     */
    PROBE_EVF_TLS_CIPHER,         /* tls.cipher          IANA suite name, else "0xC02F"
                                     (role SRC = server)                                     */
    PROBE_EVF_TLS_CLIENT_VERSION, /* tls.client_version  highest version a ClientHello offers
                                     (role SRC = client)                                     */
    PROBE_EVF_S7_FUNCTION,        /* s7.function         job "0x1a request_download", "0x28
                                     pi_service _INSE"; ack "0x05 write_var reply: ok" /
                                     "... reply: error 0x8104" (role SRC)                    */
    PROBE_EVF_BACNET_SERVICE,     /* bacnet.service      "15 write_property", "15
                                     write_property reply: ack" / "... reply: error" (SRC)   */
    PROBE_EVF_IEC104_COMMAND,     /* iec104.command      "45 C_SC_NA_1 act" (master),
                                     "45 C_SC_NA_1 actcon positive"/"negative" (station)     */
    PROBE_EVF_SNMP_PDU,           /* snmp.pdu            "get", "getnext", "getbulk", "set",
                                     "response", "trap", "inform", "report" (role SRC)       */
    /* @probes4-fields */
    /* Failed logins and insecure updates (issue 4). Never a user name or a password. */
    PROBE_EVF_AUTH_FAILURE, /* auth.failure        a server refused a login: "ftp 530", "telnet
                               login incorrect", "http 401 Basic", "pop -ERR", "imap NO LOGIN"
                               (role SRC = server). The worker counts them per client and server
                               and sends "<that> xN from CLIENT" at N = 1..10, 20, 50, 100 ... */
    PROBE_EVF_AUTH_SUCCESS, /* auth.success        the server took a login: "ftp 230", "imap OK
                               LOGIN", "pop +OK", "http 2xx"; the worker sends it only after
                               failures, as "<that> after N failures from CLIENT" */
    PROBE_EVF_FTP_RETR,     /* ftp.retr            RETR file name (role SRC = client)        */
    PROBE_EVF_FTP_STOR,     /* ftp.stor            STOR file name (role SRC = client)        */
    PROBE_EVF_TFTP_READ,    /* tftp.read           RRQ file name (role SRC = client)          */
    PROBE_EVF_TFTP_WRITE,   /* tftp.write          WRQ file name (role SRC = client)          */
    /* Default credentials (issue 4): a clear-text login whose (user, password) is listed in
     * signatures/data/default_credentials.tsv. The value names the protocol, the table's user
     * name and the vendors that ship it, "ftp admin (generic, ...)"; never the password. */
    PROBE_EVF_AUTH_DEFAULT_TRIED, /* auth.default_tried  a client sent a listed default (role
                                     DST = the server it was sent to)                        */
    PROBE_EVF_AUTH_DEFAULT,       /* auth.default        the server accepted it: 230, 2xx, +OK,
                                     tagged OK, CONNACK 0 (role SRC = server)                */
    PROBE_EVF_AUTH_LOCKOUT,       /* auth.lockout        the server locked a client out or
                                     throttled it: "ftp 421", "pop -ERR [LOGIN-DELAY]", "http
                                     429" (role SRC = server). The worker counts them like
                                     auth.failure: "<that> from CLIENT" x N                  */
    PROBE_EVF_COUNT
} probe_ev_field;

/* Which end of the packet the fact describes. */
typedef enum { PROBE_EV_SRC = 0, PROBE_EV_DST = 1 } probe_ev_role;

#define PROBE_EV_VALUE_MAX 192 /* longer values are truncated (banners, DNs)            */
#define PROBE_EV_BUF_ITEMS 16  /* items one packet can yield; extra items are dropped   */

typedef struct probe_ev {
    uint16_t field;                 /* probe_ev_field                                   */
    uint8_t role;                   /* probe_ev_role                                    */
    uint8_t has_mac;                /* mac below overrides the packet's L2 address      */
    uint8_t mac[6];                 /* e.g. DHCP chaddr, which survives relays          */
    uint16_t len;                   /* strlen(value)                                     */
    char value[PROBE_EV_VALUE_MAX]; /* printable ASCII, NUL-terminated                   */
} probe_ev_t;

typedef struct probe_ev_buf {
    size_t n;       /* items used                                        */
    size_t dropped; /* items that did not fit                            */
    probe_ev_t items[PROBE_EV_BUF_ITEMS];
} probe_ev_buf_t;

/* The dotted name of a field ("http.server"), or "?" */
const char *probe_ev_field_name(probe_ev_field f);
/* Looks a dotted name up; PROBE_EVF_NONE if unknown. */
probe_ev_field probe_ev_field_by_name(const char *name);

/* Appends an item. Leading/trailing spaces and tabs are trimmed, the rest is cut to
 * PROBE_EV_VALUE_MAX-1 bytes and copied with control and non-ASCII bytes replaced by '.'; an
 * empty result is not added. Returns the item (so a caller can set has_mac/mac), or NULL when
 * the value was empty, the field is out of range, or the buffer is full (dropped++).
 * Thread-safe for distinct buffers. */
probe_ev_t *probe_ev_add(probe_ev_buf_t *buf, probe_ev_field f, probe_ev_role role,
                         const void *value, size_t len);

/* Extractors. Each reads one L4 payload (or, for TLS, a contiguous stream of TLS records from
 * one direction) and appends what it finds. They return SSF_OK when the bytes were this
 * protocol (even if they held no identity), SSF_EINVAL when they are not, SSF_ETRUNC when the
 * bytes are this protocol but stop early (TLS: feed more of the stream). None reads beyond n,
 * allocates, or keeps state: all are thread-safe. Items found before an ETRUNC stay in out.
 *
 * dhcp: BOOTREQUESTs yield options 12/60/61/55 with has_mac=1, mac=chaddr (Ethernet only);
 *       BOOTREPLYs yield nothing yet. ETRUNC: an option runs past n.
 * http: HTTP/1.x only. ETRUNC: the header block has no blank line within n (complete header
 *       lines before it are still used; a cut one is ignored) or the start line is cut.
 *       Responses also yield http.realm (WWW-Authenticate) and, from the body bytes after the
 *       blank line, what probe_ev_http_body finds. Requests yield http.authorization (the
 *       scheme only) and, for a GET of a firmware/package file, http.request_uri.
 * ssh:  the identification line may follow up to 7 other lines. ETRUNC: a cut "SSH-" prefix
 *       shorter than 8 bytes; a cut line of 8+ bytes is emitted as is and gives SSF_OK.
 * tls:  SSF_OK once a ClientHello (tls.sni; tls.ja3 and tls.ja3_string, role SRC, when the
 *       hello is well formed and within 16 KiB) or the leaf of a Certificate (subject, issuer,
 *       validity, key) is parsed, or the clear-text handshake ended without one (TLS 1.3,
 *       ServerHelloDone). ETRUNC otherwise: the caller feeds more of the stream, from the
 *       first record again, and should give up after a bound of its own (e.g. 64 KiB).
 *       A ServerHello on the way adds tls.version and tls.cipher (SRC = server), a ClientHello
 *       tls.client_version; a malformed ServerHello adds nothing and is stepped over. */
ssf_rc probe_ev_dhcp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_http(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_ssh(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_tls(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Plant protocols (one L4 payload each; role SRC is the device that sent it). */
ssf_rc probe_ev_modbus(const uint8_t *p, size_t n, probe_ev_buf_t *out);
/* The same for a payload a client sent to port 502: its items describe the server it went to
 * (role DST), function items end in " request", and no identity is read from it. */
ssf_rc probe_ev_modbus_request(const uint8_t *p, size_t n, probe_ev_buf_t *out);
/* probe_ev_<proto>_watch: true when the payload holds a whole PDU that changes a device's
 * state (a write, control, restart, program change) or answers one, read from a few header
 * bytes with every read bounds-checked. Once a plant flow's inspection budget is spent, only
 * such payloads reach the extractor (docs/findings.md). */
bool probe_ev_modbus_watch(const uint8_t *p, size_t n);
ssf_rc probe_ev_s7(const uint8_t *p, size_t n, probe_ev_buf_t *out);
bool probe_ev_s7_watch(const uint8_t *p, size_t n);
ssf_rc probe_ev_enip(const uint8_t *p, size_t n, probe_ev_buf_t *out);
bool probe_ev_enip_watch(const uint8_t *p, size_t n);
ssf_rc probe_ev_bacnet(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Discovery and management (UDP payloads). */
ssf_rc probe_ev_snmp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_syslog(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_netbios(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_mdns(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_ssdp(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Link layer: p is the frame after its ethertype (LLDP, 0x88cc) or after its 802.3 length
 * (CDP: starts with the LLC/SNAP header AA AA 03 00 00 0C 20 00).
 *
 * lldp: EINVAL unless the first three TLVs are Chassis ID, Port ID and TTL. ETRUNC: a TLV runs
 *       past n, or n ends before the End TLV (LLDP has no total length to tell a cut frame
 *       from a malformed one).
 * cdp:  EINVAL for another SNAP header, a version other than 1 or 2, or a TLV length below 4.
 *       ETRUNC: a TLV runs past n. A frame that ends between TLVs is whole (CDP has no end
 *       marker). */
ssf_rc probe_ev_lldp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_cdp(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* mms: ISO-on-TCP data TPDUs whose payload is an OSI session SPDU (what MMS/IEC 61850 runs
 *      on; S7 has 0x32/0x72 there) give SSF_OK; an Identify response adds mms.vendor,
 *      mms.model and mms.revision (role SRC). ETRUNC: a cut TPKT frame. */
ssf_rc probe_ev_mms(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Plant protocols, second increment (UMAS, FINS, S-Bus, ADS, HART-IP, PROFINET). */
/* @d1-extractors */
/* One payload each (role SRC = the device that answered). None of these tells a request from a
 * response by port; each checks the shape of the reply it reads.
 *
 * fins: Omron FINS over UDP (the bare frame) or TCP (FINS/TCP header "FINS", one or more
 *       messages). A Controller Data Read response (MRC 05 SRC 01, end code normal) yields
 *       fins.model and fins.version. EINVAL: ICF/RSV/GCT bytes no FINS frame has, or a FINS/TCP
 *       length below 8. ETRUNC: the 12-byte frame header, a FINS/TCP message, or the 40 bytes of
 *       model and version of a Controller Data Read response run past n.
 * sbus: Saia-Burgess Ether-S-Bus telegram (UDP). A response whose CRC-16 checks and whose data
 *       is the "read firmware version" answer (5-char PCD type, 3-digit version) yields
 *       sbus.pcd_type and sbus.firmware. EINVAL: a length below 11 or over 1024, an unknown
 *       version, protocol type or attribute. ETRUNC: the telegram is longer than n.
 * ads:  Beckhoff AMS/TCP (one or more AMS packets). An ADS Read Device Info response (command
 *       1, response flag, result 0) yields ads.device_name and ads.version "major.minor.build".
 *       EINVAL: reserved bytes not zero, or a length that does not match the AMS header.
 *       ETRUNC: an AMS packet runs past n.
 * hart: HART-IP (UDP or TCP). Pass-through responses and publish messages whose HART PDU is an
 *       ACK/burst frame with a good checksum: command 0 yields hart.manufacturer (name, else
 *       "id N"), hart.device_type, hart.device_id, hart.revision; commands 13 and 20 yield
 *       hart.tag. EINVAL: version, message type or id HART-IP does not have, byte count below
 *       8. ETRUNC: a message runs past n.
 * profinet: p is the frame after ethertype 0x8892. DCP Identify responses and Hello requests
 *       yield profinet.station_name, profinet.vendor (name, else "id 0x...."),
 *       profinet.device_id, profinet.role and profinet.type_of_station; other frame ids are
 *       PROFINET that yields nothing. EINVAL: n is 0, or a DCP block runs past the DCP data
 *       length. ETRUNC: the frame id, DCP header or the DCP data run past n.
 * pnio: PN-IO connectionless DCE/RPC (UDP 34964). A Read / Read Implicit response of the PNIO
 *       device interface whose record holds an I&M0 block yields profinet.vendor,
 *       profinet.order_number, profinet.serial and profinet.firmware ("V2.1.0"). Other
 *       DCE/RPC interfaces, requests and records give SSF_OK with nothing. EINVAL: RPC version
 *       not 4 or an unknown packet type. ETRUNC: the 80-byte header or the fragment runs past
 *       n. */
ssf_rc probe_ev_fins(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_sbus(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_ads(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_hart(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_profinet(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_pnio(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Plant and IoT protocols (DNP3, IEC 104, OPC UA, MQTT, CoAP, DHCPv6). */
/* @d2-extractors */
/* dnp3:   every link frame (header CRC checked) names the outstation (role SRC when the
 *         outstation sent it, DST when the master did, never a broadcast address) and, from the
 *         master, dnp3.master (SRC) and the request function "13 cold_restart" (SRC).
 *         EINVAL: start bytes, length below 5, a header or first-block CRC mismatch. ETRUNC: a
 *         frame runs past n (a whole header still yields the addresses).
 * iec104: I-format ASDUs give iec104.common_address and iec104.type "36 M_ME_TF_1": role SRC
 *         from the controlled station, DST for commands sent to it (COT 5, 6 or 8 on a control
 *         type). EINVAL: start octet, length outside 4..253, S/U frames with an ASDU, undefined
 *         U functions. ETRUNC: an APDU runs past n.
 * opcua:  Hello: opcua.endpoint_url (DST). OpenSecureChannel with a clear body:
 *         opcua.security_policy (DST on requests, SRC on responses). Clear GetEndpoints and
 *         CreateSession responses: opcua.security_mode, opcua.security_policy,
 *         opcua.application_uri, opcua.product_uri, opcua.application (SRC). EINVAL: unknown
 *         message type or chunk letter, size outside 8..16 MiB. ETRUNC: a message runs past n
 *         (what its first bytes held is still used).
 * mqtt:   CONNECT: mqtt.client_id, mqtt.version, mqtt.credentials (presence only), mqtt.transport
 *         "tcp" (SRC = client); CONNACK: mqtt.connack (SRC = broker). EINVAL: reserved packet
 *         type or flags, a remaining length over 4 octets, a CONNECT/CONNACK that does not
 *         parse. ETRUNC: a packet runs past n.
 * coap:   requests: coap.uri from Uri-Path (DST); 2.xx responses in link format (Content-Format
 *         40): coap.resource per <link>, at most 8 (SRC). EINVAL: version other than 1, token
 *         length over 8, reserved code class, option nibble 15. ETRUNC: header, token or an
 *         option cut, or a payload marker with nothing after it.
 * dhcpv6: client messages: dhcpv6.duid (hex), dhcpv6.fqdn, dhcpv6.vendor_class
 *         "enterprise:data", dhcpv6.enterprise, dhcpv6.fingerprint "23,24,39" (SRC); server
 *         and relay messages yield nothing. EINVAL: message type 0 or unassigned (over 36).
 *         ETRUNC: a header or option runs past n. */
ssf_rc probe_ev_dnp3(const uint8_t *p, size_t n, probe_ev_buf_t *out);
bool probe_ev_dnp3_watch(const uint8_t *p, size_t n); /* see probe_ev_modbus_watch */
ssf_rc probe_ev_iec104(const uint8_t *p, size_t n, probe_ev_buf_t *out);
bool probe_ev_iec104_watch(const uint8_t *p, size_t n);
ssf_rc probe_ev_opcua(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_mqtt(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_coap(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_dhcpv6(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Banners (FTP, Telnet, RTSP, SIP, SMB, HASSH, UPnP description). */
/* @d3-extractors */
/* ftp:    a 220 greeting (multi-line "220-" ... "220 " joined by blanks) -> ftp.banner. USER /
 *         PASS commands -> ftp.login, 230 / 530 replies -> ftp.login_result (issue 4; never the
 *         name or password). Other replies and commands are FTP without identity. ETRUNC: n < 4 on
 * a possible reply, or the greeting's last line is not complete. EINVAL: neither a reply nor a
 * command. telnet: the server's bytes only. IAC negotiation dropped; the first complete non-empty
 * line
 *         -> telnet.banner, a short "login:"/"Username:"/"Password:" line -> telnet.prompt.
 *         ETRUNC: an IAC command or subnegotiation cut. EINVAL: control bytes (binary data).
 * rtsp:   response Server -> rtsp.server, request User-Agent -> rtsp.user_agent. ETRUNC: no
 *         blank line ends the headers within n, or the start line is cut. EINVAL: neither
 *         "RTSP/x.y " nor "METHOD uri RTSP/x.y".
 * sip:    User-Agent -> sip.user_agent, Server -> sip.server. ETRUNC, EINVAL as rtsp.
 * smb:    NetBIOS session frames of SMB1/SMB2: smb.dialect from Negotiate responses, NativeOS,
 *         NativeLanMan, PrimaryDomain from SMB1 Session Setup, NTLMSSP CHALLENGE computer and
 *         domain names -> smb.hostname, smb.domain. ETRUNC: a frame runs past n (what was
 *         there is still read). EINVAL: a first frame that is not NetBIOS or not SMB.
 * http_body: any bytes of an HTTP response body: <title> -> http.title, UPnP description
 *         elements -> upnp.*, first of each, entities decoded. SSF_OK for any n > 0. */
ssf_rc probe_ev_ftp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_telnet(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_rtsp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_sip(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_smb(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_http_body(const uint8_t *p, size_t n, probe_ev_buf_t *out);
/* hassh, hassh_server: an SSH KEXINIT binary packet (RFC 4253 7.1), optionally after the
 *         identification line in the same payload; the caller knows which end sent it. MD5 of
 *         "kex;enc;mac;comp" (client-to-server lists -> ssh.hassh, server-to-client lists ->
 *         ssh.hassh_server). ETRUNC: the banner alone, or the packet's name-lists run past n.
 *         EINVAL: a length out of RFC 4253 6.1's bounds, a message other than 20, lists that
 *         overrun the packet. */
ssf_rc probe_ev_hassh(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_hassh_server(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Vendor discovery and building protocols (Ubiquiti, Tuya, TiVo, KNXnet/IP, C37.118). */
/* @d4-extractors */
/* ubnt:   Ubiquiti discovery (UDP 10001), version 1 or 2: ubnt.model (TLV 0x0C), ubnt.platform
 *         (0x14/0x15), ubnt.firmware (0x03), ubnt.hostname (0x0B). EINVAL: another version, or
 *         TLVs that do not tile the header's length. ETRUNC: the length runs past n.
 * tuya:   Tuya LAN broadcast (UDP 6666 clear JSON, 6667 AES-128-ECB with the public key):
 *         tuya.product_key, tuya.gw_id, tuya.version. EINVAL: no 000055AA prefix or 0000AA55
 *         suffix. ETRUNC: LEN runs past n. Decrypting allocates (see ev_tuya.c).
 * tivo:   TiVoConnect beacon (UDP 2190; TCP 2190 with a 32-bit length): tivo.machine,
 *         tivo.platform. EINVAL: no "tivoconnect=" first. ETRUNC: a cut magic, a UDP beacon
 *         whose last line has no LF, or a TCP length past n.
 * knx:    KNXnet/IP (UDP/TCP 3671): search/description responses yield knx.name, knx.serial,
 *         knx.mac, knx.address, knx.service; connect and tunnelling-feature responses
 *         knx.address. EINVAL: a header other than 06 10 or a total length below 6. ETRUNC: a
 *         frame runs past n.
 * c37118: IEEE C37.118 (TCP 4712, UDP 4713): c37118.station for each PMU of a CFG-1/2/3
 *         frame. EINVAL: no SYNC 0xAA, a bad type or version, FRAMESIZE below 16, a bad CRC, a
 *         CFG-1/2 PMU list past its frame. ETRUNC: a frame runs past n. */
ssf_rc probe_ev_ubnt(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_tuya(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_tivo(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_knx(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_c37118(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Clear-text mail logins (issue 4), one client or server line each; role SRC = the client.
 * pop:  USER -> pop.login "user", PASS -> "user+password", APOP -> "apop", AUTH m ->
 *       "auth M". Server lines (+OK, -ERR, "+ ") and other commands give SSF_OK with nothing.
 *       EINVAL: neither. ETRUNC: fewer than 5 bytes that could begin a command.
 * imap: "tag LOGIN" -> imap.login "user+password", "tag AUTHENTICATE m" -> "authenticate M".
 *       Untagged ("* ") and continuation lines, other commands: SSF_OK with nothing. EINVAL:
 *       no tag. ETRUNC: a lone word that could be a cut tag.
 * Neither reads a user name, password, digest or SASL response. */
ssf_rc probe_ev_pop(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_imap(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* issue 4, default credentials. What one flow remembers between a client's login and the
 * server's answer, and between an FTP/POP3 USER and the PASS that follows: 6 bytes, 2-byte
 * aligned so that it fits the flow's existing padding. Zero is "nothing seen". */
typedef struct probe_ev_cred {
    uint16_t user_hash[2]; /* sig_defcred_hash of the last USER argument, low half first  */
    uint16_t tried;        /* 1 + sig_defcreds row of the listed default sent last         */
} probe_ev_cred_t;

/* The stateful forms of the extractors whose logins carry a password in clear. They do what
 * the plain form does (which is the stateful one with a fresh state) and, when the client's
 * (user, password) is a listed default (sig/defcreds.h), add auth.default_tried and remember
 * the row; the server's answer to it then adds auth.default when it took the login, or clears
 * the row when it refused it. The password is compared where it lies (HTTP Basic and IMAP
 * quoted strings are first decoded into a stack buffer of 128 bytes); it is never kept past
 * the call, and no item carries it: values come from the table's row. http: Authorization:
 * Basic; ftp and pop: USER then PASS, the user name kept as its 32-bit hash; imap: LOGIN with
 * atoms or quoted strings (literals are not read); mqtt: CONNECT user name and password. A
 * command line cut by the end of the payload is not checked. Telnet is not here: the client's
 * keystrokes are never read (WK_PORT_SERVER_ONLY). */
ssf_rc probe_ev_http_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);
ssf_rc probe_ev_ftp_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);
ssf_rc probe_ev_pop_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);
ssf_rc probe_ev_imap_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);
ssf_rc probe_ev_mqtt_st(const uint8_t *p, size_t n, probe_ev_cred_t *st, probe_ev_buf_t *out);
/* Both also read the server's replies: a POP3 -ERR / IMAP tagged NO or BAD whose text speaks
 * of a login, password or authentication -> auth.failure "pop -ERR", "imap NO LOGIN"; such a
 * +OK / tagged OK -> auth.success "pop +OK", "imap OK LOGIN" (role SRC = server). Likewise ftp
 * (530 -> auth.failure "ftp 530", 230 -> auth.success "ftp 230", RETR/STOR -> ftp.retr /
 * ftp.stor), telnet (a short "Login incorrect"-style line -> auth.failure "telnet login
 * incorrect") and http (401 -> auth.failure "http 401 <challenge scheme>", 2xx -> auth.success
 * "http 2xx"; the worker keeps these only when the request carried an Authorization).
 *
 * tftp: UDP 69. RRQ -> tftp.read, WRQ -> tftp.write = the file name (role SRC = client). DATA,
 *       ACK, ERROR, OACK: SSF_OK with nothing. EINVAL: opcode 0 or over 6, an empty file name,
 *       a mode other than netascii/octet/mail, or no NUL within 512 bytes of name. ETRUNC: the
 *       name or mode has no NUL before n. */
ssf_rc probe_ev_tftp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
/* Whether a payload sent to port 69 opens a transfer (RRQ or WRQ, with room for a name): the
 * server will answer from a port of its own (worker_expect.c, pipeline.c). */
bool probe_ev_tftp_opens(const uint8_t *p, size_t n);

#endif
