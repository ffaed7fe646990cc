#!/usr/bin/env bash
# Benchmark jovl beside a plain directory, kernel overlayfs, fuse-overlayfs and unionfs-fuse in ONE run of the
# shared harness (../shared/bench/ovlbench.sh), so ratios between them are comparable.
#   integration-tests/bench/run.sh --quick                 a few minutes
#   integration-tests/bench/run.sh --workloads meta,copyup  any ovlbench.sh option passes through
# Needs root. Installs fuse-overlayfs and unionfs-fuse if missing; builds target/jovl first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench="${OVLBENCH:-$root/../shared/bench/ovlbench.sh}"
if [ ! -f "$bench" ]; then
  echo "run.sh: benchmark harness not found at $bench (set OVLBENCH=/path/to/ovlbench.sh)" >&2
  exit 2
fi
missing=()
command -v fuse-overlayfs >/dev/null || missing+=(fuse-overlayfs)
command -v unionfs >/dev/null || missing+=(unionfs-fuse)
command -v fusermount3 >/dev/null || missing+=(fuse3)
if [ "${#missing[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd "$root" && mvn -q -B package -DskipTests)
jovl_cmd="$root/target/jovl mount --backend=fuse -o lowerdir={lower},upperdir={upper},workdir={work} {mnt}"
exec bash "$bench" --impls native,kernel,fuse-overlayfs,unionfs-fuse --impl "jovl=$jovl_cmd" "$@"
