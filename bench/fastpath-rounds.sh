#!/usr/bin/env bash
# Alternates the engines over the given trials, ROUNDS times: bench/fastpath-rounds.sh JAR PREFIX ROUNDS "LEN PPS RX" ...
# (each trial is bench/fastpath-trial.sh; engines default to "pcap af-packet kernel", override with ENGINES=...;
# an engine written ENGINE@OTHER.jar runs that jar instead, e.g. ENGINES="pcap@/tmp/before.jar pcap af-packet kernel")
set -uo pipefail
JAR=$1 P=$2 ROUNDS=$3; shift 3
here=$(dirname "$0")
for r in $(seq "$ROUNDS"); do
    for trial in "$@"; do
        for e in ${ENGINES:-pcap af-packet kernel}; do
            # shellcheck disable=SC2086
            jar=$JAR; [[ $e == *@* ]] && jar=${e#*@} && e=${e%%@*}
            echo "round $r $jar $("$here/fastpath-trial.sh" "$jar" "$P" "$e" $trial 4 2>&1 | tail -1) load $(cut -d' ' -f1 /proc/loadavg)"
        done
    done
done
