#!/usr/bin/env bash
# Builds the pgbouncer of Debian 13 (trixie, 1.24) from Debian's own source package, for the tests and the bench
# of PG_PREPARED_STATEMENTS=pooled: Debian 12 ships pgbouncer 1.18, which cannot keep prepared statements in
# transaction mode (`max_prepared_statements` came in 1.21). Installs into
# ${XDG_CACHE_HOME:-~/.cache}/relation-gateway/pgbouncer and prints the binary's path; a second run reuses it.
#
# Every download is checked the way apt checks it: trixie's InRelease against Debian's archive keyring (gpgv),
# the source index against InRelease's SHA-256, the tarball against the index's. Needs curl, gpgv, xz, a C
# compiler, pkg-config, libevent-dev and libssl-dev (Debian packages; .ci/run installs the missing ones).
set -euo pipefail

mirror=http://deb.debian.org/debian
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/relation-gateway/pgbouncer"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

curl -fsSL -o "$work/InRelease" "$mirror/dists/trixie/InRelease"
gpgv --quiet --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$work/Release" "$work/InRelease" 2>/dev/null
# The SHA256 section's line for the source index (the MD5Sum section has 32-hex lines for the same file).
index_sha=$(awk '$3 == "main/source/Sources.xz" && length($1) == 64 { print $1 }' "$work/Release")
curl -fsSL -o "$work/Sources.xz" "$mirror/dists/trixie/main/source/Sources.xz"
echo "$index_sha  $work/Sources.xz" | sha256sum -c --quiet -

# The pgbouncer stanza: its version, folder and the upstream tarball's SHA-256 and name.
xz -dc "$work/Sources.xz" | awk '
  /^Package: / { inside = ($2 == "pgbouncer") }
  inside && /^Version: / { print "version", $2 }
  inside && /^Directory: / { print "directory", $2 }
  inside && /^Checksums-Sha256:/ { sums = 1; next }
  inside && sums && /^ / { if ($3 ~ /\.orig\.tar\.gz$/) print "orig", $1, $3; next }
  { sums = 0 }
' >"$work/stanza"
directory=$(awk '$1 == "directory" { print $2; exit }' "$work/stanza")
read -r _ orig_sha orig_name < <(grep '^orig ' "$work/stanza" | head -1)
upstream=${orig_name#pgbouncer_}
upstream=${upstream%.orig.tar.gz}

if "$prefix/bin/pgbouncer" --version 2>/dev/null | grep -qx "PgBouncer $upstream"; then
  echo "$prefix/bin/pgbouncer"
  exit 0
fi

curl -fsSL -o "$work/$orig_name" "$mirror/$directory/$orig_name"
echo "$orig_sha  $work/$orig_name" | sha256sum -c --quiet -
tar -xzf "$work/$orig_name" -C "$work"
cd "$work/pgbouncer-$upstream"
# DNS through libevent's resolver (no c-ares needed); no PAM, no systemd: a test and bench binary.
./configure --prefix="$prefix" --without-cares >"$work/configure.log" 2>&1 || { tail -20 "$work/configure.log" >&2; exit 1; }
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -20 "$work/make.log" >&2; exit 1; }
make install >/dev/null
echo "$prefix/bin/pgbouncer"
