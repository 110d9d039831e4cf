#!/usr/bin/env bash
# make fresh-host-check: the README's two commands on a pristine Debian 12 system, from a clean clone of HEAD.
#
# The system is made by mmdebstrap (priority important, plus make and git, which the README asks for) and run
# as a privileged container, so the podman that `make test` installs inside it runs containers of its own.
# Nothing of this machine goes in but the clone, its Debian mirrors' addresses and the machine's local CA
# certificates: the network reaches PyPI and npm through a proxy that a machine on it must trust.
# Everything it makes is removed on every way out.
set -euo pipefail

top=$(git rev-parse --show-toplevel)
work=$(mktemp -d /var/tmp/runbook-fresh-host.XXXXXX)
name=runbook-fresh-host-$$
image=localhost/runbook-fresh-host:$$
cleanup() {
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  podman network rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

clock() { date +%s; }
began=$(clock)
say() { printf 'fresh-host-check [%4d s]: %s\n' "$(( $(clock) - began ))" "$*"; }

# A run that was killed outright (no trap runs on SIGKILL) leaves its container and network behind, holding
# the subnet below: each is named after its run's PID, so those whose run is gone are removed first.
for stale in $(podman network ls --format '{{.Name}}' | grep -E '^runbook-fresh-host-[0-9]+$' || true); do
  kill -0 "${stale##*-}" 2>/dev/null && continue
  podman rm -f -t 0 "$stale" >/dev/null 2>&1 || true
  podman network rm -f "$stale" >/dev/null
  podman rmi -f "localhost/runbook-fresh-host:${stale##*-}" >/dev/null 2>&1 || true
  say "removed $stale, left by a run that was killed"
done
git clone --quiet --no-local "$top" "$work/kb"
say "cloned $(git -C "$work/kb" rev-parse --short HEAD) (committed files only)"

cas=()
compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null &&
  cas=(--customize-hook='copy-in /usr/local/share/ca-certificates /usr/local/share'
       --customize-hook='chroot "$1" update-ca-certificates --fresh >/dev/null 2>&1')
# The system gets every suite this machine's apt has (bookworm, its updates, its security suite), written as
# the Debian installer writes them: one-line entries in /etc/apt/sources.list.
apt-get indextargets --format 'deb $(REPO_URI) $(RELEASE) $(COMPONENT)' | sort -u >"$work/sources.list"
mmdebstrap --quiet --variant=important --include=ca-certificates,make,git "${cas[@]}" \
  bookworm "$work/root.tar" "$work/sources.list"
podman import --quiet "$work/root.tar" "$image" >/dev/null
rm -f "$work/root.tar"
say "made a pristine Debian 12 system ($image)"

# Inside: make serve until it answers with the home page, then make test. /var/lib/containers is a volume,
# so the inner podman's overlay storage sits on a real file system; --rm removes it with the container.
inner='
set -euo pipefail
cd /root/kb
began=$(date +%s)
setsid make serve ADDR=127.0.0.1:8000 >/tmp/serve.log 2>&1 &
serve=$!
up=""
for _ in $(seq 900); do
  if ! kill -0 "$serve" 2>/dev/null; then cat /tmp/serve.log; echo "make serve ended before it served the site"; exit 1; fi
  if [ -x .venv/bin/python ] && .venv/bin/python -c "
import sys, urllib.request
page = urllib.request.urlopen(\"http://127.0.0.1:8000/\", timeout=5).read().decode()
sys.exit(0 if \"<title>\" in page and \"runbook\" in page.lower() else 1)" 2>/dev/null; then up=1; break; fi
  sleep 1
done
kill -- "-$serve" 2>/dev/null || true
wait "$serve" 2>/dev/null || true
[ -n "$up" ] || { tail -n 40 /tmp/serve.log; echo "make serve did not serve the site within 15 minutes"; exit 1; }
echo "fresh-host-check: make serve served the home page $(( $(date +%s) - began )) s after it started"
began=$(date +%s)
make test
echo "fresh-host-check: make test passed in $(( $(date +%s) - began )) s"
'
# Its own network, on a subnet the inner podman never takes: on this machine's default network (10.88.0.0/16)
# the inner default network, which image builds use, would shadow the route out and no build reaches the mirror.
podman network create --subnet 10.251.0.0/24 "$name" >/dev/null
podman run --rm --name "$name" --network "$name" --privileged --shm-size=2g -v /var/lib/containers \
  -v "$work/kb:/root/kb" "$image" bash -c "$inner"
say "passed: make serve and make test on a pristine Debian 12"
