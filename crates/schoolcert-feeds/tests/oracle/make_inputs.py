#!/usr/bin/env python3
"""Write the oracle test inputs: real-format Shadowserver reports (the schema's columns as the
header, made-up but realistic rows) for a dozen report types, IPv4 and IPv6, plus edge rows
(bad IP, empty timestamp, odd values) that exercise every conversion.

Deterministic; re-running rewrites the same files. Usage:
    python3 make_inputs.py  # writes ./input/*.csv next to this script
"""
import csv
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "data", "shadowserver-schema.json")
OUT = os.path.join(HERE, "input")
DAY = "2026-11-20"

TYPES = [
    "scan_rdp", "scan6_rdp", "scan_http", "scan_ssl", "scan_ntp", "scan_exchange",
    "event4_sinkhole_http", "event6_sinkhole_http", "compromised_website", "blocklist",
    "device_id6", "sandbox_url", "event4_honeypot_darknet", "scan_http_vulnerable",
]

V4_NETS = ["145.97.12", "192.87.101", "82.94.200", "213.125.44", "31.3.110"]
V6_NETS = ["2001:610:188:40", "2a02:a440:8000:1", "2001:67c:2564:a1"]


def ip(rng, v6):
    if v6:
        return f"{rng.choice(V6_NETS)}::{rng.randrange(1, 0xffff):x}"
    return f"{rng.choice(V4_NETS)}.{rng.randrange(1, 255)}"


def value(rng, col, conv, v6, kind):
    c = col
    if c == "timestamp":
        return f"{DAY} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    if c in ("ip", "src_ip"):
        return ip(rng, v6)
    if c == "dst_ip":
        return ip(rng, v6 and rng.random() < 0.5)
    if c in ("port", "src_port", "dst_port"):
        return str(rng.choice([80, 443, 3389, 8080, 123, 49152 + rng.randrange(1000)]))
    if c.endswith("asn"):
        return str(rng.choice([1103, 1136, 3265, 8315, 0]))
    if c.endswith("geo"):
        return rng.choice(["NL", "nl", "DE"])
    if c.endswith("region"):
        return rng.choice(["NOORD-HOLLAND", "UTRECHT", "GELDERLAND"])
    if c.endswith("city"):
        return rng.choice(["AMSTERDAM", "UTRECHT", "NIJMEGEN", ""])
    if c.endswith("naics"):
        return rng.choice(["0", "611110", "517311"])
    if c.endswith("sector"):
        return rng.choice(["", "Education", "Government"])
    if c == "severity":
        return rng.choice(["high", "medium", "critical", "info"])
    if c == "protocol":
        return rng.choice(["tcp", "udp", "TCP"])
    if c in ("hostname", "src_hostname", "dst_hostname"):
        return rng.choice(["", f"host-{rng.randrange(99)}.School.NL.", "mail.scholengroep.nl",
                           "dc01.bestuur-a.nl"])
    if c == "tag":
        if kind == "scan_exchange":
            return rng.choice(["exchange;cve-2021-26855", "exchange;webshell", "exchange"])
        if kind == "scan_http_vulnerable":
            return rng.choice(["cve-2023-46604;cve-2021-44228", "vulnerable-http", "cve-2024-3400"])
        if kind.startswith("event4_honeypot_darknet"):
            return rng.choice(["icmp-scan", "telnet-scan", ""])
        return rng.choice(["rdp", "rdp;cve-2019-0708", "", "ssl-poodle"])
    if c in ("infection", "family"):
        return rng.choice(["andromeda", "mirai", "qakbot", ""])
    if c in ("http_host", "cc_dns"):
        return rng.choice(["www.basisschool-demo.nl", "portal.lyceum.nl", "", "School.Example.NL"])
    if c in ("http_url", "url"):
        return rng.choice(["GET /wp-login.php HTTP/1.1", "/index.php?id=1", "/", "",
                           "POST /gate.php HTTP/1.0"])
    if c == "application":
        return rng.choice(["http", "https", "smtp"])
    if c == "http_date":
        return rng.choice(["Fri, 20 Nov 2026 04:12:33 GMT", "", "2026-11-20 04:12:33"])
    if c == "category":
        return rng.choice(["webshell", "", "phishing"])
    if c == "detail":
        return rng.choice(["wso shell found", ""])
    if conv == "convert_bool":
        return rng.choice(["Y", "N", "yes", "", "true", "maybe"])
    if conv == "convert_int":
        return rng.choice([str(rng.randrange(1, 5000)), ""])
    if conv == "convert_float":
        return rng.choice(["12.5", "0.001", "", "3", "1e-07"])
    if conv == "validate_network" or c == "network":
        return rng.choice(["145.97.12.0/24", "10.0.0.1/8", ""])
    if c in ("md5", "sha1", "sha256"):
        n = {"md5": 32, "sha1": 40, "sha256": 64}[c]
        return "%0*x" % (n, rng.getrandbits(4 * n))
    if c == "source":
        return rng.choice(["spamhaus-drop", "ciarmy"])
    if c == "method":
        return rng.choice(["GET", "POST", ""])
    if c == "user_agent":
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
    if c == "count":
        return str(rng.randrange(1, 90))
    return rng.choice(["", f"{c}-{rng.randrange(1000)}", "unknown", "0"])


def edge_rows(header, kind, v6):
    """Rows that exercise IntelMQ's surprises; each row starts from a valid one."""
    base = {h: "" for h in header}
    ipcol = "src_ip" if "src_ip" in header else "ip"
    portcol = "src_port" if "src_port" in header else ("port" if "port" in header else None)
    good_ip = "2001:610:188:40::7" if v6 else "145.97.12.7"
    base.update({"timestamp": f"{DAY} 01:02:03", ipcol: good_ip})
    if portcol:
        base[portcol] = "443"
    rows = []

    def row(**kw):
        r = dict(base)
        r.update(kw)
        rows.append([r[h] for h in header])

    row()                                        # minimal row: only required values
    row(**{ipcol: "not-an-ip"})                  # bad IP: IntelMQ keeps it in extra, we refuse
    row(timestamp="")                            # empty timestamp: IntelMQ says "today"
    row(timestamp="20-11-2026 garbage")          # unparsable timestamp
    row(**{ipcol: "0.0.0.0"})                    # refused address
    if portcol:
        row(**{portcol: "70000"})                # port out of range
        row(**{portcol: "abc"})                  # unconvertible port: IntelMQ refuses too
        row(**{portcol: ""})                     # empty port (ICMP etc.)
    row(**{ipcol: " 145.97.12.9 "})              # surrounding spaces
    if not v6:
        row(**{ipcol: "2443783177"})             # an integer IP (145.169.*)
    asncol = "src_asn" if "src_asn" in header else "asn"
    if asncol in header:
        row(**{asncol: "AS1103"})                # ASN with prefix: invalidate_zero raises
        row(**{asncol: "4294967296"})            # out of range: falls back to extra
    for col in ("geo", "src_geo"):
        if col in header:
            row(**{col: "N/A"})                  # ignored value
            row(**{col: "NLD"})                  # invalid cc: falls back to extra
    for col in ("hostname", "src_hostname"):
        if col in header:
            row(**{col: "-"})
            row(**{col: "bad host name:8080"})
    if "severity" in header:
        row(severity="urgent")                   # not a severity: extra
    if "protocol" in header:
        row(protocol="  UDP ")
    return rows


def main():
    schema = json.load(open(SCHEMA))
    by_file = {v["file_name"]: v for k, v in schema.items() if k != "_meta"}
    os.makedirs(OUT, exist_ok=True)
    for kind in TYPES:
        rt = by_file[kind]
        header = []
        for f in rt["required_fields"] + rt["optional_fields"]:
            if f[1] not in header:
                header.append(f[1])
        convs = {}
        for f in rt["required_fields"] + rt["optional_fields"]:
            if len(f) > 2 and f[1] not in convs:
                convs[f[1]] = f[2]
        v6 = "6" in kind.split("_")[0]
        rng = random.Random(kind)
        rows = []
        for _ in range(12):
            rows.append([value(rng, h, convs.get(h), v6, kind) for h in header])
        if not v6 and kind in ("scan_rdp", "blocklist", "compromised_website"):
            # IPv6 rows in an IPv4-named report.
            for _ in range(2):
                rows.append([value(rng, h, convs.get(h), True, kind) for h in header])
        rows.extend(edge_rows(header, kind, v6))
        name = os.path.join(OUT, f"{DAY}-{kind}-nl-geo.csv")
        with open(name, "w", newline="") as fh:
            w = csv.writer(fh, dialect="unix")
            w.writerow(header)
            w.writerows(rows)
        print(name, len(rows))


if __name__ == "__main__":
    main()
