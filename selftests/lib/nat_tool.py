#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for selftests/nat.bats (no scapy: plain and raw sockets start
fast under a TCG VM).

    nat_tool.py udpecho PORT                  echo server, logs each peer
    nat_tool.py tcpecho ADDR PORT IN OUT [SRC] send IN, read the echo to OUT
    nat_tool.py udpecho-client SPORT ADDR PORT IN OUT
    nat_tool.py spread N ADDR PORT             N UDP flows, one echo each
    nat_tool.py refused ADDR PORT              expect ECONNREFUSED (UDP)
    nat_tool.py frag-needed SRC VIP VPORT CLIENT CPORT MTU
        an ICMP fragmentation-needed from SRC to VIP quoting a UDP packet
        VIP:VPORT -> CLIENT:CPORT (what a router between lb and the client
        would send about a reply it could not forward)

Each client prints one line per check: the peer address the socket saw.
"""
import socket
import struct
import sys


def log(*a):
    print(*a, flush=True)


def udpecho(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    seen = set()
    while True:
        data, peer = s.recvfrom(65535)
        if peer not in seen:
            seen.add(peer)
            log("peer %s:%d local port %d" % (peer[0], peer[1], port))
        s.sendto(data, peer)


def tcpecho(addr, port, src, out, bind=None):
    data = open(src, "rb").read()
    s = socket.create_connection((addr, port), timeout=10,
                                 source_address=(bind, 0) if bind else None)
    log("peer %s:%d" % s.getpeername())
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    open(out, "wb").write(got)


def udpecho_client(sport, addr, port, src, out):
    data = open(src, "rb").read()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    s.settimeout(5)
    peers = set()
    got = bytearray()
    for i in range(0, len(data), 1024):
        chunk = data[i:i + 1024]
        s.sendto(chunk, (addr, port))
        b, peer = s.recvfrom(65535)
        peers.add("%s:%d" % peer)
        got += b
    open(out, "wb").write(got)
    for p in sorted(peers):
        log("peer " + p)


def spread(n, addr, port):
    ok = 0
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.connect((addr, port))
        s.send(b"spread")
        if s.recv(100) == b"spread":
            ok += 1
        s.close()
    log("echoed %d" % ok)


def refused(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.connect((addr, port))
    s.send(b"anyone there?")
    try:
        s.recv(100)
        log("answered")
    except ConnectionRefusedError:
        log("refused")
    except socket.timeout:
        log("timeout")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234,
                    0x4000, 64, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def frag_needed(src, vip, vport, client, cport, mtu):
    # The quoted packet: a 100-byte UDP reply, its first 8 bytes quoted.
    udp = struct.pack("!HHHH", vport, cport, 8 + 92, 0)
    quoted = ip4(vip, client, socket.IPPROTO_UDP, udp + b"q" * 92)[:28]
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip4(src, vip, socket.IPPROTO_ICMP, icmp), (vip, 0))
    log("sent frag-needed %s -> %s about %s:%d -> %s:%d mtu %d" %
        (src, vip, vip, vport, client, cport, mtu))


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == "udpecho":
        udpecho(int(a[0]))
    elif cmd == "tcpecho":
        tcpecho(a[0], int(a[1]), a[2], a[3], a[4] if len(a) > 4 else None)
    elif cmd == "udpecho-client":
        udpecho_client(int(a[0]), a[1], int(a[2]), a[3], a[4])
    elif cmd == "spread":
        spread(int(a[0]), a[1], int(a[2]))
    elif cmd == "refused":
        refused(a[0], int(a[1]))
    elif cmd == "frag-needed":
        frag_needed(a[0], a[1], int(a[2]), a[3], int(a[4]), int(a[5]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
