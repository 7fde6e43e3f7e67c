#!/bin/sh
# Re-records the golden MLD captures in a throw-away namespace lab (run as root; needs ip, tcpdump, python3).
# Everything is named mcgm-* and deleted at the end. See README.md for what each file holds.
set -eu
OUT=${1:-$(dirname "$0")}
HOST=mcgm-host
RTR=mcgm-rtr
G=ff15::1:2:3
SSM=ff3e::8000:1
S=2001:db8::7

cleanup() {
    ip netns del $HOST 2>/dev/null || true
    ip netns del $RTR 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add $HOST
ip netns add $RTR
ip link add mcgm-h0 netns $HOST type veth peer name mcgm-r0 netns $RTR
ip -n $HOST link set mcgm-h0 address 02:00:00:00:00:02
ip -n $RTR link set mcgm-r0 address 02:00:00:00:00:01
# Link-local addresses from the MACs (EUI-64): fe80::ff:fe00:2 on the host, no DAD so that no report leaves from ::.
for NS in $HOST $RTR; do
    ip netns exec $NS sysctl -q net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
    ip -n $NS link set lo up
done
# The router's veth is a bridge port later: no address of its own, so no MLD of its own.
ip netns exec $RTR sysctl -q net.ipv6.conf.mcgm-r0.disable_ipv6=1
ip netns exec $HOST sysctl -q net.ipv6.conf.mcgm-h0.mldv1_unsolicited_report_interval=1000
ip -n $HOST link set mcgm-h0 up
ip -n $RTR link set mcgm-r0 up
# Let the host's reports for its solicited-node address (ff02::1:ff00:2) go by before anything is recorded.
sleep 4

# join.py MODE GROUP [SOURCE] SECONDS: joins on mcgm-h0 (any-source or source-specific), waits, leaves, exits.
JOIN=$(mktemp /tmp/mcgm-join.XXXXXX.py)
cat > "$JOIN" <<'PY'
import socket, struct, sys, time
mode, group = sys.argv[1], sys.argv[2]
index = socket.if_nametoindex("mcgm-h0")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
def sockaddr(address):  # struct sockaddr_in6 in a struct sockaddr_storage (128 octets)
    return struct.pack("=HHI16sI", socket.AF_INET6, 0, 0, socket.inet_pton(socket.AF_INET6, address), 0).ljust(128, b"\0")
if mode == "asm":
    mreq = socket.inet_pton(socket.AF_INET6, group) + struct.pack("=I", index)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    time.sleep(float(sys.argv[3]))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP, mreq)
else:
    # struct group_source_req: interface, padding to 8, group, source; 46/47 = MCAST_{JOIN,LEAVE}_SOURCE_GROUP
    req = struct.pack("=I4x", index) + sockaddr(group) + sockaddr(sys.argv[3])
    s.setsockopt(socket.IPPROTO_IPV6, 46, req)
    time.sleep(float(sys.argv[4]))
    s.setsockopt(socket.IPPROTO_IPV6, 47, req)
time.sleep(0.5)
PY

# MLD only: ICMPv6 types 130-132 and 143 behind the Hop-by-Hop header, and not the bridge's own reports.
FILTER="ip6[6] == 0 and ip6[40] == 58 and (ip6[48] == 130 or ip6[48] == 131 or ip6[48] == 132 or ip6[48] == 143)"
FILTER="$FILTER and not (ether src 02:00:00:00:00:01 and ip6[48] != 130)"
capture() { # capture FILE: tcpdump MLD on the host's interface in the background
    ip netns exec $HOST tcpdump -q -U -i mcgm-h0 -w "$OUT/$1" "$FILTER" 2>/dev/null &
    TCPDUMP=$!
    sleep 1
}
finish() { # let the last retransmissions go by, then stop the capture
    sleep "$1"
    kill $TCPDUMP 2>/dev/null || true
    wait $TCPDUMP 2>/dev/null || true
}
force() { ip netns exec $HOST sysctl -q net.ipv6.conf.mcgm-h0.force_mld_version=$1; }

# Host reports: no querier on the wire, so only unsolicited reports and Done.
force 1; capture host-mldv1-join-done.pcap; ip netns exec $HOST python3 "$JOIN" asm $G 2; finish 2
force 2; capture host-mldv2-join-leave.pcap; ip netns exec $HOST python3 "$JOIN" asm $G 2; finish 3
force 2; capture host-mldv2-source-join-leave.pcap; ip netns exec $HOST python3 "$JOIN" ssm $SSM $S 2; finish 3

# Queries from a Linux bridge querier in the router namespace: one general query at start (startup count 1, response
# interval 1 s, so that the host's answer comes before the join), then a listener joins and leaves and the bridge sends
# its last-listener (address-specific / address-and-source-specific) queries.
for V in 2 1; do
    ip -n $RTR link add mcgm-br0 address 02:00:00:00:00:01 type bridge mcast_snooping 1 mcast_querier 1 \
        mcast_mld_version $V mcast_query_use_ifaddr 1 mcast_startup_query_interval 100 mcast_query_interval 3000 \
        mcast_query_response_interval 100 mcast_last_member_interval 20 mcast_startup_query_count 1
    ip -n $RTR link set mcgm-r0 master mcgm-br0
    force $V
    capture querier-mldv$V.pcap
    ip -n $RTR link set mcgm-br0 up
    sleep 3
    if [ $V = 2 ]; then
        ip netns exec $HOST python3 "$JOIN" ssm $G $S 2
    else
        ip netns exec $HOST python3 "$JOIN" asm $G 2
    fi
    finish 2
    ip -n $RTR link del mcgm-br0
done
rm -f "$JOIN"
ls -l "$OUT"/*.pcap
