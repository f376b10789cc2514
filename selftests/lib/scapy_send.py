#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made IPv4 packets into the test topology and capture what
arrives (selftests/lib/topo.bash draws the namespaces).

    scapy_send.py --from NS:IFACE --to NS:IFACE [--cap NAME=NS:IFACE ...]
                  [--src A] [--dst A] [--after CMD] [--wait S] CASE...

Every CASE (see CASES below) is one or more IPv4 packets; each leaves NS:IFACE
of --from as an Ethernet frame addressed to the MAC address of the --to
interface, through an AF_PACKET socket: the sender's kernel neither routes,
checks, fragments nor fixes them. Capture sockets (AF_PACKET, every IPv4
frame in both directions) are open on each --cap interface before the first
packet leaves and are read until --wait seconds after the last one.

--after CMD runs (bash -c, in the namespace this program started in) once
before the first case and once after each; its output, parsed as JSON when
it is JSON, goes into the report, so the caller can check a counter case by
case (e.g. `vipctl -n LB -j stats`).

One JSON object on stdout:
    {"before": AFTER-OUTPUT,
     "cases": [{"case": NAME, "sent": [IP-HEX, ...], "after": AFTER-OUTPUT}],
     "cap": {NAME: [{"dir": "in"|"out", "ip": IP-HEX, "proto": N,
                     "inner": IP-HEX-OR-NULL, "summary": TEXT,
                     ICMP only: "icmp_type", "icmp_code", "icmp_mtu",
                     "icmp_quoted": IP-HEX}, ...]}}
"inner" is the packet inside an IPIP (protocol 4) packet: for comparing
what a backend received with what the client sent, byte for byte.

One process does all of it (namespaces are switched with setns(2)): under
a TCG VM, starting Python and importing scapy costs about ten seconds.
"""
import argparse
import ctypes
import json
import os
import select
import socket
import subprocess
import sys
import time

# Only the layers needed: scapy.all takes half as long again to import.
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_RR, fragment
from scapy.layers.l2 import Ether
from scapy.packet import Raw

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4

VIP = "192.168.2.100"
CLIENT = "10.0.1.2"
TCP_PORT = 1433
UDP_PORT = 5353

# Payloads the caller can check for at the receiving socket.
FRAG_PAYLOAD = b"vipfwd fragment test: first part|second part, later fragment\n"
OPTS_PAYLOAD = b"vipfwd ip options test\n"
OK_PAYLOAD = b"vipfwd well-formed datagram\n"

_libc = ctypes.CDLL(None, use_errno=True)


def setns_path(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {path}: {os.strerror(err)}")
    finally:
        os.close(fd)


class Namespaces:
    """Switch into a named namespace and back to where we started."""

    def __init__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)

    def enter(self, name):
        setns_path(f"/run/netns/{name}")

    def leave(self):
        if _libc.setns(self.home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back home")


def packet_socket(nsx, spec):
    """An AF_PACKET socket bound to NS:IFACE; sockets keep their namespace."""
    ns, iface = spec.split(":", 1)
    nsx.enter(ns)
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind((iface, ETH_P_ALL))
        mac = s.getsockname()[4]
    finally:
        nsx.leave()
    return s, ":".join(f"{b:02x}" for b in mac)


# ------------------------------------------------------------------ cases

def case_packets(name, src, dst):
    """The IPv4 packets of one case, as scapy objects."""
    ip = IP(src=src, dst=dst)
    if name == "udp_ok":
        # The control: a well-formed datagram is forwarded.
        return [ip / UDP(sport=40100, dport=UDP_PORT) / OK_PAYLOAD]
    if name == "tcp_ok":
        return [ip / TCP(sport=40101, dport=TCP_PORT, flags="S", seq=1000)]
    if name == "frag":
        # One UDP datagram in two fragments: the first carries the UDP
        # header and 32 bytes, the later one (offset 40) the rest.
        whole = IP(src=src, dst=dst, id=0x4242) / \
            UDP(sport=40102, dport=UDP_PORT) / FRAG_PAYLOAD
        frags = fragment(whole, fragsize=40)
        assert len(frags) == 2, "fragment() made %d fragments" % len(frags)
        return frags
    if name == "frag_first":
        return case_packets("frag", src, dst)[:1]
    if name == "frag_later":
        return case_packets("frag", src, dst)[1:]
    if name == "ip_options":
        # Record Route with three empty slots: a router that forwarded this
        # packet would write its address into it, so an inner packet that
        # arrives byte-identical was not routed by the load balancer.
        return [IP(src=src, dst=dst, options=[IPOption_RR(routers=["0.0.0.0"] * 3)]) /
                UDP(sport=40103, dport=UDP_PORT) / OPTS_PAYLOAD]
    if name == "tcp_truncated":
        # IHL fine, total length 30: the packet ends inside the TCP header.
        th = bytes(TCP(sport=40104, dport=TCP_PORT, flags="S"))
        return [IP(src=src, dst=dst, proto=6) / Raw(th[:10])]
    if name == "tcp_doff_small":
        # A whole 20-byte header that claims to be 8 bytes long.
        return [ip / TCP(sport=40105, dport=TCP_PORT, flags="S", dataofs=2)]
    if name == "tcp_doff_big":
        # A header that claims 60 bytes in a 24-byte segment.
        return [ip / TCP(sport=40106, dport=TCP_PORT, flags="S", dataofs=15) /
                b"abcd"]
    if name == "udp_truncated":
        uh = bytes(UDP(sport=40107, dport=UDP_PORT))
        return [IP(src=src, dst=dst, proto=17) / Raw(uh[:6])]
    if name == "udp_empty":
        return [ip / UDP(sport=40108, dport=UDP_PORT)]
    if name == "icmp_echo":
        return [ip / ICMP(type=8, id=0x7666, seq=1) / b"ping the VIP"]
    if name == "udp_df_fit":
        # 1480 bytes with DF: exactly what fits the tunnel.
        return [IP(src=src, dst=dst, flags="DF") /
                UDP(sport=40110, dport=UDP_PORT) / (b"d" * 1452)]
    if name == "udp_df_big":
        # 1500 bytes with DF: fits the client's link, not the tunnel
        # (1500 - 20).
        return [IP(src=src, dst=dst, flags="DF") /
                UDP(sport=40109, dport=UDP_PORT) / (b"D" * 1472)]
    if name == "udp_nodf_big":
        # 1500 bytes without DF: the outer packet is fragmented instead.
        return [IP(src=src, dst=dst, flags=0) /
                UDP(sport=40111, dport=UDP_PORT) / (b"N" * 1471 + b"\n")]
    raise SystemExit(f"scapy_send.py: unknown case {name}")


CASE_NAMES = ("udp_ok tcp_ok frag frag_first frag_later ip_options "
              "tcp_truncated tcp_doff_small tcp_doff_big udp_truncated "
              "udp_empty icmp_echo udp_df_fit udp_df_big udp_nodf_big").split()


# ---------------------------------------------------------------- capture

def frame_record(frame, pkttype):
    if len(frame) < 14 + 20 or int.from_bytes(frame[12:14], "big") != ETH_P_IP:
        return None
    ipb = frame[14:]
    ihl = (ipb[0] & 0x0F) * 4
    tot = int.from_bytes(ipb[2:4], "big")
    if 20 <= tot <= len(ipb):
        ipb = ipb[:tot]	# no Ethernet padding
    rec = {"dir": "out" if pkttype == PACKET_OUTGOING else "in",
           "ip": ipb.hex(), "proto": ipb[9], "inner": None}
    if ipb[9] == 4 and len(ipb) > ihl:
        rec["inner"] = ipb[ihl:].hex()
    if ipb[9] == 1 and len(ipb) >= ihl + 8:
        # ICMP: type, code, the next-hop MTU of a frag-needed, and the
        # packet it quotes.
        rec["icmp_type"] = ipb[ihl]
        rec["icmp_code"] = ipb[ihl + 1]
        rec["icmp_mtu"] = int.from_bytes(ipb[ihl + 6:ihl + 8], "big")
        rec["icmp_quoted"] = ipb[ihl + 8:].hex()
    try:
        summary = IP(ipb).summary()
    except Exception:	# a malformed packet is what some tests send
        summary = "(unparsable)"
    rec["summary"] = summary
    return rec


def drain(caps, out, until):
    """Read every capture socket until the wall clock reaches @until."""
    socks = {s: name for name, s in caps.items()}
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select(list(socks), [], [], left)
        for s in ready:
            frame, addr = s.recvfrom(65535)
            rec = frame_record(frame, addr[2])
            if rec:
                out[socks[s]].append(rec)


def run_after(cmd):
    if not cmd:
        return None
    res = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True,
                         check=False)
    if res.returncode != 0:
        print(f"scapy_send.py: --after failed ({res.returncode}): {res.stderr}",
              file=sys.stderr)
    try:
        return json.loads(res.stdout)
    except ValueError:
        return res.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="tx", required=True, metavar="NS:IFACE")
    ap.add_argument("--to", required=True, metavar="NS:IFACE",
                    help="the interface whose MAC address the frames go to")
    ap.add_argument("--cap", action="append", default=[],
                    metavar="NAME=NS:IFACE")
    ap.add_argument("--src", default=CLIENT)
    ap.add_argument("--dst", default=VIP)
    ap.add_argument("--after", metavar="CMD")
    ap.add_argument("--wait", type=float, default=2.0)
    ap.add_argument("cases", nargs="+", choices=CASE_NAMES, metavar="CASE")
    args = ap.parse_args()

    nsx = Namespaces()
    tx, src_mac = packet_socket(nsx, args.tx)
    peer, dst_mac = packet_socket(nsx, args.to)
    peer.close()
    caps = {}
    for spec in args.cap:
        name, where = spec.split("=", 1)
        caps[name], _ = packet_socket(nsx, where)

    report = {"before": run_after(args.after), "cases": [],
              "cap": {name: [] for name in caps}}
    for name in args.cases:
        sent = []
        for pkt in case_packets(name, args.src, args.dst):
            raw = bytes(pkt)
            tx.send(bytes(Ether(src=src_mac, dst=dst_mac, type=ETH_P_IP)) + raw)
            sent.append(raw.hex())
        # Let the packets through before counting: the receive path runs
        # in softirq, after send() returns.
        drain(caps, report["cap"], time.monotonic() + 0.3)
        report["cases"].append({"case": name, "sent": sent,
                                "after": run_after(args.after)})
    drain(caps, report["cap"], time.monotonic() + args.wait)
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
