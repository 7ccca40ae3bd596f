#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet (apt-get, with sudo
# when not root); does nothing, in milliseconds, when all are there. The one place `npm test`
# (through install-code-server.sh) and `npm run bench` install what they need, e.g. chromium.
#
#   scripts/install-debian-packages.sh chromium [more packages…]
set -euo pipefail

log() { printf '[install-debian-packages] %s\n' "$*"; }

need=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if ((${#need[@]} == 0)); then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
log "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
