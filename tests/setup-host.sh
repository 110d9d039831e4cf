#!/usr/bin/env bash
# Installs what the labs need on a Debian host, and nothing when it is all there already.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pair in podman:podman runc:runc mmdebstrap:mmdebstrap newuidmap:uidmap fuse-overlayfs:fuse-overlayfs \
            slirp4netns:slirp4netns chromium:chromium npm:npm qemu-system-x86_64:qemu-system-x86; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# crun fails on kernels with hybrid cgroups, and container ulimits above the hard limits make runc refuse to
# start anything; a drop-in keeps the machine's own containers.conf untouched.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 20000 ] && nofile=20000
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
conf=/etc/containers/containers.conf.d/50-runbook-lab.conf
want=$(printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n\n[engine]\nruntime = "runc"\n' \
  "$nofile" "$nofile" "$nproc" "$nproc")
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
  as_root mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$want" | as_root tee "$conf" >/dev/null
  echo "wrote $conf"
fi
