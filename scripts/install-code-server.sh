#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench + Node extension host, from the npm registry) into
# .test-work/code-server (git-ignored, never packed) for the integration and e2e layers, or into
# $CODE_SERVER_DIR (e.g. a cache folder shared by several clones). Idempotent: seconds when there.
# Why each step: see the e2e recipe (no GitHub downloads work here; native modules build from source).
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${CODE_SERVER_DIR:-$ROOT/.test-work/code-server}"
MARKER="$DEST/.installed-$CODE_SERVER_VERSION"

log() { printf '[install-code-server] %s\n' "$*"; }

# 1. Debian packages: chromium drives the workbench; the rest build kerberos/argon2/node-pty from source.
"$ROOT/scripts/install-debian-packages.sh" chromium ripgrep libkrb5-dev build-essential python3

# One install at a time (two test runs started together share the folder).
mkdir -p "$DEST"
exec 9>"$DEST/.install.lock"
flock 9

if [ -f "$MARKER" ] && [ -x "$DEST/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $DEST"
  exit 0
fi

log "installing code-server@$CODE_SERVER_VERSION into $DEST (about 2 minutes)"
mkdir -p "$DEST/tmp"
# 2. @vscode/ripgrep's postinstall downloads rg from GitHub unless this cached asset exists in os.tmpdir().
export TMPDIR="$DEST/tmp"
CACHE="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
if [ ! -s "$CACHE/$RIPGREP_ASSET" ]; then
  mkdir -p "$CACHE"
  stage="$(mktemp -d)"
  cp /usr/bin/rg "$stage/rg"
  tar -C "$stage" -czf "$CACHE/$RIPGREP_ASSET" rg
  rm -rf "$stage"
fi

# 3. A private package so the install never touches the project's node_modules.
[ -f "$DEST/package.json" ] || printf '{"name":"letta-step-trace-code-server","version":"1.0.0","private":true}\n' > "$DEST/package.json"
export npm_config_unsafe_perm=true            # code-server's postinstall refuses root otherwise
export npm_config_yes=true                    # node-pty's postinstall runs `npx node-gyp`
export npm_config_nodedir=/usr                # local Node headers, no header download
export npm_config_dangerously_allow_all_scripts=true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
(cd "$DEST" && npm install --no-save --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION")

# 4. Check the parts that fail quietly before marking the install good.
CS="$DEST/node_modules/code-server"
pty="$(find "$CS/lib/vscode/node_modules/node-pty" -name pty.node -path '*Release*' 2>/dev/null | head -n1)"
rg="$(find "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin" -name rg 2>/dev/null | head -n1)"
[ -n "$pty" ] || { log "node-pty's pty.node is missing: the native build failed"; exit 1; }
[ -n "$rg" ] && [ -x "$rg" ] || { log "@vscode/ripgrep/bin/rg is missing"; exit 1; }
"$DEST/node_modules/.bin/code-server" --version >/dev/null
touch "$MARKER"
log "done: $("$DEST/node_modules/.bin/code-server" --version | head -n1)"
