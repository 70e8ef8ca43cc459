#!/usr/bin/env bash
# docs/perf/summarize.sh DUMP_DIR REQUESTS LABEL: the top inclusive functions of each callgrind dump that
# `ossd-bench icount --keep-dumps DUMP_DIR` kept, in instructions per request, paths shortened.
dir=$1; n=$2; label=$3
for k in get_4KiB get_4KiB_miss head_4KiB put_4KiB list_100; do
  f=$dir/callgrind.$k
  total=$(grep -m1 '^summary:\|^totals:' "$f" | awk '{print $2}')
  echo "## $k ($label): $((total / n)) instructions per request ($n requests)"
  echo
  callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null |
    sed -n '/^Ir *file:function/,$p' | sed 1,2d |
    sed -E 's#/root/.cargo/registry/src/index.crates.io-[0-9a-f]+/##; s#/[^ :]*/crates/##; s# crates/# #; s#/rustc/[0-9a-f]+/##; s# \[[^]]*\]$##' |
    sed -E 's/\( *[0-9.]+%\) +/ /' | grep -vE 'tokio-1\.[0-9.]+/src/runtime|hyper-util|clone\.S|pthread_create|thread_start|lifecycle\.rs|backtrace' |
    awk -v n="$n" 'NF>=2 { gsub(",", "", $1); printf "%9d  %s\n", $1/n, substr($0, index($0,$2)) }' |
    awk '!seen[$2]++' | head -40
  echo
done
