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
 * ssh:  the identification line may follow up to 7 other lines. ETRUNC: a cut "SSH-" prefix
 *       shorter than 8 bytes; a cut line of 8+ bytes is emitted as is and gives SSF_OK.
 * tls:  SSF_OK once a ClientHello (tls.sni) or the leaf of a Certificate (subject, issuer,
 *       validity, key) is parsed, or the clear-text handshake ended without one (TLS 1.3,
 *       ServerHelloDone). ETRUNC otherwise: the caller feeds more of the stream, from the
 *       first record again, and should give up after a bound of its own (e.g. 64 KiB). */
ssf_rc probe_ev_dhcp(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_http(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_ssh(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_tls(const uint8_t *p, size_t n, probe_ev_buf_t *out);

/* Plant protocols (one L4 payload each; role SRC is the device that sent it). */
ssf_rc probe_ev_modbus(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_s7(const uint8_t *p, size_t n, probe_ev_buf_t *out);
ssf_rc probe_ev_enip(const uint8_t *p, size_t n, probe_ev_buf_t *out);
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

#endif
