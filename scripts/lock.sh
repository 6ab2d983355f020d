#!/usr/bin/env bash
# Rewrites package-lock.json for every platform, then checks it as `npm ci` will.
#
#   scripts/lock.sh                                   after editing package.json by hand
#   scripts/lock.sh -D --save-exact wrangler@4.x.y    add or bump packages (name exact versions:
#                                                     under Node 20, npm may pick old ones)
#   rm package-lock.json && scripts/lock.sh           re-resolve everything from scratch
#
# `npm install --package-lock-only` resolves the tree from the registry without reading or
# writing node_modules, and keeps every platform's optional binaries in the lock
# (@cloudflare/workerd-*, @esbuild/*, @rolldown/binding-*, lightningcss-*, @img/sharp-*,
# @biomejs/cli-*, fsevents) with their integrity hashes. A lock without another platform's
# binaries makes `npm ci` fail there ("Missing: @cloudflare/workerd-darwin-64@… from lock
# file") and makes `npm install` on a fresh clone rewrite the lock.
#
# The lock carries no `resolved` URLs (.npmrc: omit-lockfile-registry-resolved), so it names
# no registry; npm fetches each tarball from the configured registry and checks its integrity.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --package-lock-only --no-audit --no-fund "$@"
npm ci --dry-run --no-audit --no-fund >/dev/null
echo "package-lock.json: complete for every platform (npm ci --dry-run accepts it)"
