#!/bin/sh
# Re-records the golden IGMP captures in a throw-away namespace lab (run as root, needs tcpdump, python3).
# Everything is named mcgc-* and deleted at the end.
set -eu
OUT=${1:-$(dirname "$0")}
HOST=mcgc-host
RTR=mcgc-rtr
G=239.1.2.3
S=10.99.0.7

cleanup() {
    ip netns del $HOST 2>/dev/null || true
    ip netns del $RTR 2>/dev/null || true
}
trap cleanup EXIT
cleanup

ip netns add $HOST
ip netns add $RTR
ip link add mcgc-h0 netns $HOST type veth peer name mcgc-r0 netns $RTR
ip -n $HOST link set mcgc-h0 address 02:00:00:00:00:02
ip -n $RTR link set mcgc-r0 address 02:00:00:00:00:01
ip -n $HOST addr add 10.99.0.2/24 dev mcgc-h0
ip -n $HOST link set lo up
ip -n $HOST link set mcgc-h0 up
# no IPv6 on the host side, so no MLD noise
ip netns exec $HOST sysctl -q net.ipv6.conf.all.disable_ipv6=1
ip -n $RTR link set lo up
ip -n $RTR link set mcgc-r0 up

# join.py MODE GROUP [SOURCE]: joins (any-source or source-specific) on 10.99.0.2, waits, leaves, exits.
JOIN=$(mktemp /tmp/mcgc-join.XXXXXX.py)
cat > "$JOIN" <<'PY'
import socket, struct, sys, time
mode, group = sys.argv[1], sys.argv[2]
iface = socket.inet_aton("10.99.0.2")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if mode == "asm":
    mreq = socket.inet_aton(group) + iface
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    time.sleep(float(sys.argv[3]))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, mreq)
else:
    # struct ip_mreq_source on Linux: multiaddr, interface, sourceaddr; 39/40 = IP_{ADD,DROP}_SOURCE_MEMBERSHIP
    mreq = socket.inet_aton(group) + iface + socket.inet_aton(sys.argv[3])
    s.setsockopt(socket.IPPROTO_IP, 39, mreq)
    time.sleep(float(sys.argv[4]))
    s.setsockopt(socket.IPPROTO_IP, 40, mreq)
time.sleep(0.5)
PY

capture() { # capture FILE COUNT: tcpdump IGMP on the host's interface in the background
    ip netns exec $HOST tcpdump -q -U -i mcgc-h0 -c "$2" -w "$OUT/$1" igmp 2>/dev/null &
    TCPDUMP=$!
    sleep 1
}
finish() { # wait for the capture to end (at most $1 seconds)
    i=0
    while kill -0 $TCPDUMP 2>/dev/null && [ $i -lt "$1" ]; do sleep 1; i=$((i+1)); done
    kill $TCPDUMP 2>/dev/null || true
    wait $TCPDUMP 2>/dev/null || true
}
force() { ip netns exec $HOST sysctl -q net.ipv4.conf.mcgc-h0.force_igmp_version=$1; }

# Host reports: no querier on the wire, so only unsolicited reports and leaves.
force 1; capture host-v1-join.pcap 1; ip netns exec $HOST python3 "$JOIN" asm $G 1; finish 5
force 2; capture host-v2-join-leave.pcap 3; ip netns exec $HOST python3 "$JOIN" asm $G 1; finish 5
force 3; capture host-v3-join-leave.pcap 4; ip netns exec $HOST python3 "$JOIN" asm $G 2; finish 5
force 3; capture host-v3-source-join-leave.pcap 4; ip netns exec $HOST python3 "$JOIN" ssm 232.1.2.3 $S 2; finish 5

# Queries from a Linux bridge querier in the router namespace: one general query at start (startup count 1),
# then a member joins and leaves, and the bridge sends its last-member (group / group-and-source-specific) queries.
# The bridge's own reports for 224.0.0.106 are filtered out.
for V in 3 2; do  # v3 first: a v2 query leaves the host in v2 mode for minutes, whatever force_igmp_version says
    ip -n $RTR link add mcgc-br0 type bridge mcast_snooping 1 mcast_querier 1 mcast_igmp_version $V \
        mcast_query_use_ifaddr 1 mcast_startup_query_interval 100 mcast_query_interval 3000 \
        mcast_last_member_interval 20 mcast_startup_query_count 1
    ip -n $RTR addr add 10.99.0.1/24 dev mcgc-br0
    ip -n $RTR link set mcgc-r0 master mcgc-br0
    force $V
    ip netns exec $HOST tcpdump -q -U -i mcgc-h0 -c 7 -w "$OUT/querier-v$V.pcap" \
        "igmp and not (src 10.99.0.1 and dst 224.0.0.22)" 2>/dev/null &
    TCPDUMP=$!
    sleep 1
    ip -n $RTR link set mcgc-br0 up
    sleep 1.5
    if [ $V = 3 ]; then
        ip netns exec $HOST python3 "$JOIN" ssm $G $S 1.5
    else
        ip netns exec $HOST python3 "$JOIN" asm $G 1.5
    fi
    finish 6
    ip -n $RTR link del mcgc-br0
done
rm -f "$JOIN"
ls -l "$OUT"/*.pcap
