#!/usr/bin/env bash
# Launch to usable mount: time from starting `LAUNCHER mount --backend=fuse -o lowerdir=..,upperdir=..,workdir=..
# MNT` until it returns (it returns once the mount is usable), on one-file layers in a temporary directory. Each
# round runs every variant once, in turn, so that a busy machine slows them alike; medians per variant.
#   integration-tests/bench/launch.sh [-n ROUNDS] NAME=LAUNCHER[:JOVL_JAVA_OPTS] ...
#   integration-tests/bench/launch.sh -n 21 new=target/jovl old=/tmp/old/target/jovl c2=target/jovl:-XX:TieredStopAtLevel=4
# Also prints the CPU time of both JVMs (the command's user+sys, plus the daemon's at the moment the command
# returned), which a busy machine disturbs less than the wall time. Checks that the file on the mount reads
# right after; unmounts after every round. Needs FUSE (root, or /dev/fuse and fusermount3).
set -euo pipefail
rounds=11
if [ "${1:-}" = "-n" ]; then
  rounds=$2
  shift 2
fi
if [ $# -eq 0 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jovl-launch.XXXXXX")
mkdir "$tmp/lower" "$tmp/upper" "$tmp/work" "$tmp/mnt"
echo hi >"$tmp/lower/file"
current= # the launcher of a mount that may be up, for the cleanup
cleanup() {
  if mountpoint -q "$tmp/mnt"; then
    "${current:-false}" umount "$tmp/mnt" >/dev/null 2>&1 || fusermount3 -u "$tmp/mnt" || umount -l "$tmp/mnt"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# one mount: prints "WALL_MS CPU_MS", or "FAIL MESSAGE"
once() {
  local launcher=$1 opts=$2 start end status daemon dcpu fcpu TIMEFORMAT="%U %S"
  rm -rf "$tmp/upper" "$tmp/work" && mkdir "$tmp/upper" "$tmp/work"
  start=$(date +%s%N)
  set +e
  # bash's time keyword: the command's user and sys seconds, into $tmp/time
  { time JOVL_JAVA_OPTS="$opts" "$launcher" mount --backend=fuse \
    -o "lowerdir=$tmp/lower,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/mnt" >"$tmp/out" 2>&1; } 2>"$tmp/time"
  status=$?
  set -e
  end=$(date +%s%N)
  fcpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/time")
  daemon=$(ps -ww -eo pid=,args= | awk -v m="$tmp/mnt" '/--ready-file=/ && $NF == m { print $1; exit }')
  dcpu=0
  if [ -n "$daemon" ]; then
    dcpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$daemon/stat")
  fi
  if [ $status -ne 0 ] || [ "$(cat "$tmp/mnt/file" 2>&1)" != hi ]; then
    echo "FAIL exit $status: $(tr '\n' ' ' <"$tmp/out")"
    return
  fi
  "$launcher" umount "$tmp/mnt" >/dev/null
  echo "$(((end - start) / 1000000)) $((fcpu + dcpu))"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A wall cpu
for ((r = 1; r <= rounds; r++)); do
  for v in "$@"; do
    name=${v%%=*}
    spec=${v#*=}
    launcher=${spec%%:*}
    opts=
    [ "$spec" != "$launcher" ] && opts=${spec#*:}
    current=$launcher
    read -r w c < <(once "$launcher" "$opts")
    if [ "$w" = FAIL ]; then
      echo "launch.sh: $name ($launcher): the mount failed or was not usable: $c" >&2
      exit 1
    fi
    current=
    wall[$name]+="$w "
    cpu[$name]+="$c "
  done
done
echo "launch to usable mount, $rounds interleaved rounds, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for v in "$@"; do
  name=${v%%=*}
  printf '%-16s wall median %5s ms  cpu median %5s ms  wall: %s\n' "$name" \
    "$(tr ' ' '\n' <<<"${wall[$name]}" | grep . | median)" "$(tr ' ' '\n' <<<"${cpu[$name]}" | grep . | median)" \
    "$(tr ' ' '\n' <<<"${wall[$name]}" | grep . | sort -n | tr '\n' ' ')"
done
