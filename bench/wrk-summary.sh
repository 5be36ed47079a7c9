#!/usr/bin/env bash
# Runs wrk and prints one line: requests/s, p50, p99, errors. Usage: wrk-summary.sh NAME URL DURATION CONNECTIONS [HEADER...]
set -euo pipefail
name=$1 url=$2 duration=$3 connections=$4
shift 4
args=(-t2 -c"$connections" -d"$duration" --latency)
for header in "$@"; do [ -n "$header" ] && args+=(-H "$header"); done
out=$(wrk "${args[@]}" "$url")
rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
total=$(awk '/requests in/ {print $1}' <<<"$out")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
socket=$(awk -F'[ ,]+' '/Socket errors:/ {print $4+$6+$8+$10}' <<<"$out")
echo "$name: ${rps} req/s, p50 ${p50}, p99 ${p99}, ${total} requests, errors: ${non2xx:-0} non-2xx, ${socket:-0} socket"
