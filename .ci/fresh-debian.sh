#!/usr/bin/env bash
# Proves the README on a brand-new Debian 12: makes a minimal Debian 12 root (debootstrap --variant=minbase,
# nothing else installed), copies this checkout and ../shared into it, and runs there, as a new user would,
# the README's two commands (scripts/example.sh, scripts/test.sh), then scripts/test.sh --sanitize (ASan +
# UBSan) and scripts/test.sh --fuzz (each libFuzzer harness for a bounded time).
#
# The root trusts this machine's extra CA certificates and npm settings (/usr/local/share/ca-certificates,
# /etc/npmrc), as a new machine on this network would; its package sources are the Debian mirrors this
# machine's apt uses. Nothing else of this machine is changed (debootstrap is installed if missing).
# Needs root (debootstrap, chroot, bind mounts).
#
# Usage: .ci/fresh-debian.sh [COMMAND...]   (default: the three commands above; COMMAND runs in the
#        checkout's copy instead). IFNSIG_FRESH_ROOT=DIR keeps the root in DIR (made anew) instead of a
#        temporary directory that is removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$repo/../shared" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
if [ $# -eq 0 ]; then
  set -- bash -c 'scripts/example.sh /tmp/example-output && scripts/test.sh && scripts/test.sh --sanitize &&
    scripts/test.sh --fuzz 30'
fi

export DEBIAN_FRONTEND=noninteractive
command -v debootstrap >/dev/null ||
  { apt-get install -y --no-install-recommends debootstrap >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends debootstrap >/dev/null; }; }

# The mirror of a suite's main component, as this machine's apt reaches it ("500 URL bookworm/main ...").
mirror_of() { apt-cache policy | awk -v suite="$1/main" '$3 == suite {print $2; exit}'; }
[ -n "$(mirror_of bookworm)" ] || apt-get update >/dev/null
main_mirror=$(mirror_of bookworm)
[ -n "$main_mirror" ] || { echo "fresh-debian.sh: this machine's apt knows no bookworm/main mirror" >&2; exit 1; }

root=${IFNSIG_FRESH_ROOT:-$(mktemp -d /var/tmp/ifnsig-fresh-debian.XXXXXX)}
mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  # Removed only when nothing is mounted below it any more (never delete through a bind mount).
  if [ -z "${IFNSIG_FRESH_ROOT:-}" ] && ! grep -q " $root/" /proc/self/mounts; then
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT
rm -rf --one-file-system "$root" && mkdir -p "$root"

echo "fresh-debian: debootstrap --variant=minbase bookworm ($(date -u +%H:%M:%S))"
debootstrap --variant=minbase bookworm "$root" "$main_mirror" >"$root.debootstrap.log" 2>&1 ||
  { tail -20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
{
  echo "deb $main_mirror bookworm main"
  updates=$(mirror_of bookworm-updates); [ -n "$updates" ] && echo "deb $updates bookworm-updates main"
  security=$(mirror_of bookworm-security); [ -n "$security" ] && echo "deb $security bookworm-security main"
} >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
[ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"

for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  mount --bind "/$m" "$root/$m"
  mounts+=("$root/$m")
done

# The checkout as it stands (tracked files and new ones git does not ignore) and shared/, read-only as CI has it.
mkdir -p "$root/work/main" "$root/work/shared"
git -C "$repo" ls-files -z --cached --others --exclude-standard |
  (cd "$repo" && xargs -0 -r stat --printf '%n\0' 2>/dev/null) |
  tar -C "$repo" --null -T - -cf - | tar -C "$root/work/main" -xf -
cp -r "$shared/." "$root/work/shared/"
chmod -R a-w "$root/work/shared"

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 CI="${CI:-}" TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
# The machine's trust store, with this network's CA certificates (a new machine here has them).
in_root bash -c 'apt-get update >/dev/null && apt-get install -y --no-install-recommends ca-certificates >/dev/null'
echo "fresh-debian: $(in_root dpkg-query -W -f='${binary:Package}\n' | wc -l) packages installed; running in the root: $*"
in_root bash -c 'cd /work/main && exec "$@"' bash "$@"
echo "fresh-debian: passed ($(date -u +%H:%M:%S))"
