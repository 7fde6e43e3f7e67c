#!/usr/bin/env bash
# One forwarding trial in a namespace lab built by 'mcgate lab up --prefix PREFIX' (run as root).
#
#   bench/fastpath-trial.sh JAR PREFIX ENGINE LEN PPS RECEIVERS [SECONDS]
#
# ENGINE is pcap or af-packet (mcgate with that packet-io, pinned to CPU 1), or kernel (smcrouted, the kernel's MFC).
# Router ingress is steered to CPU 1 with RPS; sender (iperf2, 32 threads is not used: one stream paced at PPS) and
# receivers (iperf2 servers joined through their kernels) are pinned to CPU 0, as DESIGN.md describes.
# Prints one line: engine, size, receivers, offered pps, received pps per receiver, loss %, forwarder CPU us per
# forwarded packet (process utime+stime; for the kernel CPU 1's softirq+system time), CPU 1 busy us per packet, and
# for mcgate the capture thread's allocated bytes per packet (JFR jdk.ThreadAllocationStatistics).
set -euo pipefail
JAR=$1 P=$2 ENGINE=$3 LEN=$4 PPS=$5 RX=$6 SECS=${7:-5}
GROUP=239.1.2.3
RTR=$P-rtr SRC=$P-src
WORK=$(mktemp -d /tmp/fastpath.XXXXXX)
HZ=$(getconf CLK_TCK)
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# JFR's default settings, with the per-thread allocation counters sampled every second instead of once per chunk.
sed '/jdk.ThreadAllocationStatistics/,/<\/event>/s/everyChunk/1 s/' "$JAVA_HOME/lib/jfr/default.jfc" > "$WORK/alloc.jfc"

ip netns exec "$RTR" sh -c 'echo 2 > /sys/class/net/up0/queues/rx-0/rps_cpus'
for n in 1 2; do ip netns exec "$P-rx$n" sh -c 'echo 1 > /sys/class/net/eth0/queues/rx-0/rps_cpus'; done

cpu1() { awk '$1=="cpu1"{print $2+$3+$4+$6+$7+$8, $7+$8+$4}' /proc/stat; }   # busy ticks, system+irq+softirq ticks
proc_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

outs="down1"; [ "$RX" = 2 ] && outs="down1 down2"
if [ "$ENGINE" = kernel ]; then
    printf 'mroute from up0 source 192.0.2.10 group %s to %s\n' "$GROUP" "$outs" > "$WORK/smcroute.conf"
    ip netns exec "$RTR" nice -n -19 taskset -c 1 smcrouted -n -f "$WORK/smcroute.conf" -u "$WORK/smc.sock" -l none \
        > "$WORK/fwd.log" 2>&1 &
    FWD=$!
    sleep 1
else
    printf 'packet-io %s\n' "$ENGINE" > "$WORK/mcgate.conf"
    cat "/run/mcgate-lab/$P.conf" >> "$WORK/mcgate.conf"
    ip netns exec "$RTR" nice -n -19 taskset -c 1 java -XX:StartFlightRecording=filename="$WORK/rec.jfr",settings="$WORK/alloc.jfc" \
        -jar "$JAR" run -c "$WORK/mcgate.conf" > "$WORK/fwd.log" 2>&1 &
    FWD=$!
    for _ in $(seq 300); do grep -q "running; stop" "$WORK/fwd.log" && break; sleep 0.2; done
fi

for n in $(seq "$RX"); do
    ip netns exec "$P-rx$n" nice -n -19 taskset -c 0 iperf -s -u -B "$GROUP" -p 5001 -e > "$WORK/rx$n.log" 2>&1 &
    echo $! > "$WORK/rx$n.pid"
done
sleep 1.5
# One stream: the first 2 s warm up (JIT, flow set-up), the next SECS are measured, the last second drains.
ip netns exec "$SRC" nice -n -19 taskset -c 0 iperf -u -c "$GROUP" -p 5001 -T 8 -b "${PPS}pps" -l "$LEN" -i 1 -t $((SECS + 3)) \
    > "$WORK/tx.log" 2>&1 &
TX=$!
sleep 2
rxp() { ip netns exec "$RTR" cat /sys/class/net/up0/statistics/rx_packets; }
read -r b0 s0 < <(cpu1); p0=$(proc_ticks "$FWD"); r0=$(rxp); t0=$(date +%s.%N)
sleep "$SECS"
read -r b1 s1 < <(cpu1); p1=$(proc_ticks "$FWD"); r1=$(rxp); t1=$(date +%s.%N)
wait "$TX" || true
sleep 1
for n in $(seq "$RX"); do kill "$(cat "$WORK/rx$n.pid")" 2>/dev/null || true; done
kill -TERM "$FWD"; wait "$FWD" 2>/dev/null || true
sleep 0.3

# The last report line of each server: "... Lost/Total Datagrams ... (x%)".
total_rx=0 worst_loss=0 rates=""
for n in $(seq "$RX"); do
    line=$(grep -E '[0-9]+/[0-9]+ +\(' "$WORK/rx$n.log" | tail -1 || true)
    lost=$(sed -E 's#.* ([0-9-]+)/ *([0-9]+) +\(.*#\1#' <<< "$line"); tot=$(sed -E 's#.* ([0-9-]+)/ *([0-9]+) +\(.*#\2#' <<< "$line")
    [ -z "$line" ] && lost=0 tot=0
    got=$((tot - lost)); total_rx=$((total_rx + got))
    rates="$rates$got/"
    loss=$(awk -v l="$lost" -v t="$tot" 'BEGIN{printf "%.2f", (t > 0) ? 100 * l / t : 100}')
    worst_loss=$(awk -v a="$worst_loss" -v b="$loss" 'BEGIN{if (b + 0 > a + 0) print b; else print a}')
done
sent=$(grep -Eo '[0-9]+ datagrams' "$WORK/tx.log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
pkts=$((r1 - r0))
[ "$pkts" -gt 0 ] || pkts=1
fwd_us=$(awk -v d=$((p1 - p0)) -v hz="$HZ" -v n="$pkts" 'BEGIN{printf "%.2f", d*1e6/hz/n}')
[ "$ENGINE" = kernel ] && fwd_us=$(awk -v d=$((s1 - s0)) -v hz="$HZ" -v n="$pkts" 'BEGIN{printf "%.2f", d*1e6/hz/n}')
cpu1_us=$(awk -v d=$((b1 - b0)) -v hz="$HZ" -v n="$pkts" 'BEGIN{printf "%.2f", d*1e6/hz/n}')
alloc=-
if [ "$ENGINE" != kernel ] && [ -f "$WORK/rec.jfr" ]; then
    # The capture thread's allocation rate inside the window, over the packet rate inside the window.
    alloc=$(jfr print --events jdk.ThreadAllocationStatistics "$WORK/rec.jfr" | python3 -c '
import re, sys, datetime
t0, t1, pkts = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
day = datetime.datetime.fromtimestamp(t0).date()
units = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
samples = []
for block in sys.stdin.read().split("}\n"):
    if "\"mcgate-capture-up0\"" not in block:
        continue
    t = re.search(r"startTime = (\d+):(\d+):([\d.]+)", block)
    a = re.search(r"allocated = ([\d.]+) (bytes|kB|MB|GB)", block)
    if t and a:
        at = datetime.datetime.combine(day, datetime.time(int(t[1]), int(t[2]))).timestamp() + float(t[3])
        samples.append((at, float(a[1]) * units[a[2]]))
inside = [x for x in samples if t0 <= x[0] <= t1]
if len(inside) < 2:
    print("-")
else:
    (ta, aa), (tb, ab) = inside[0], inside[-1]
    print("%.1f" % ((ab - aa) / (tb - ta) / (pkts / (t1 - t0))))
' "$t0" "$t1" "$pkts")
fi
printf '%s len=%s rx=%s offered=%s sent=%s window_pkts=%s recv_each=%s loss_max=%s%% fwd_us/pkt=%s cpu1_us/pkt=%s alloc_B/pkt=%s\n' \
    "$ENGINE" "$LEN" "$RX" "$PPS" "$sent" "$pkts" "${rates%/}" "$worst_loss" "$fwd_us" "$cpu1_us" "$alloc"
[ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
