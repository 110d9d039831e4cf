#!/usr/bin/env bash
# Installs what a target needs on a Debian host, and nothing when it is all there already.
#   setup-host.sh python   Python with venv, and npm, for the site build (make serve, make site)
#   setup-host.sh labs     everything the labs and browser tests run on (make test)
# Packages are asked for by name and installed without Recommends, so a piece the labs rely on is here because
# this list names it, never because another package happened to recommend it.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" = "ii " ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

case "${1:-}" in
  python)
    # Any python3 that makes virtual environments will do; Debian's needs python3-venv for it.
    python3 -c 'import ensurepip, venv' 2>/dev/null || install_missing python3 python3-venv
    # The breakage report's web component comes from npm (the Makefile pins it); see below on npm.
    command -v npm >/dev/null 2>&1 || install_missing npm
    exit 0 ;;
  labs) ;;
  *) echo "usage: $0 python|labs" >&2; exit 2 ;;
esac

packages=(
  podman runc
  catatonit                    # the init behind `podman run --init`, which every lab container gets
  containernetworking-plugins  # the CNI network backend, chosen below
  golang-github-containernetworking-plugin-dnsname  # lab hosts find each other by name on a CNI network
  uidmap fuse-overlayfs slirp4netns  # rootless podman, for a user who is not root
  mmdebstrap                   # the base images, made from the Debian mirror (there is no registry)
  qemu-system-x86              # the micro-VM for what needs a kernel of its own
  chromium                     # the browser tests
  libatomic1                   # Playwright's bundled Node.js links it; Debian's minimal system lacks it
)
# axe-core comes from npm; a Node.js that brings its own npm (nodesource's does) conflicts with Debian's, so
# Debian's is installed only where there is none.
command -v npm >/dev/null 2>&1 || packages+=(npm)
install_missing "${packages[@]}"

# crun fails on kernels with hybrid cgroups, and container ulimits above the hard limits make runc refuse to
# start anything. The network backend is named rather than left to podman's first run: netavark's aardvark-dns
# resolves lab hosts, but then image builds on its bridge cannot resolve the package mirror, while CNI with the
# dnsname plugin does both. A drop-in keeps the machine's own containers.conf untouched.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 20000 ] && nofile=20000
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
conf=/etc/containers/containers.conf.d/50-runbook-lab.conf
want=$(printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n\n[network]\nnetwork_backend = "cni"\n\n[engine]\nruntime = "runc"\n' \
  "$nofile" "$nofile" "$nproc" "$nproc")
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
  as_root mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$want" | as_root tee "$conf" >/dev/null
  echo "wrote $conf"
fi
