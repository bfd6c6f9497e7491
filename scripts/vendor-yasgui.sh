#!/usr/bin/env bash
# Vendor YASGUI (@zazuko/yasgui, the exact version pinned in scripts/yasgui/package.json and its
# package-lock.json) into server/static/vendor/yasgui/: the built browser bundle (yasgui.min.js,
# yasgui.min.css), its licence and the licences of the packages the bundle is built from.
# The vendored files are committed, so the query page needs no npm (and no network) at run time;
# rerun this script only to change the version (edit package.json, then
# `npm install --package-lock-only` in scripts/yasgui/). Needs node and npm; no root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pinned="$root/scripts/yasgui"
out="$root/server/static/vendor/yasgui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$pinned/package.json" "$pinned/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
package="$work/node_modules/@zazuko/yasgui"
version="$(node -p "require('$package/package.json').version")"

rm -rf "$out"
mkdir -p "$out"
# the source map is not vendored: drop the comment that points to it (a 404 otherwise)
sed '/^\/\/# sourceMappingURL=/d' "$package/build/yasgui.min.js" >"$out/yasgui.min.js"
sed 's#/\*\# sourceMappingURL=[^*]*\*/##' "$package/build/yasgui.min.css" >"$out/yasgui.min.css"

# The npm package declares MIT but ships no licence file: write the MIT text for its authors
author="$(node -p "require('$package/package.json').author")"
{
  echo "@zazuko/yasgui $version — $(node -p "require('$package/package.json').homepage")"
  echo "Licence declared in its package.json: $(node -p "require('$package/package.json').license")"
  echo
  echo "MIT License"
  echo
  echo "Copyright (c) $author and Zazuko GmbH (contributors)"
  echo
  cat <<'MIT'
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
MIT
} >"$out/LICENSE"

# Every package npm installed with it (a superset of what the bundle includes): name, version,
# licence, and its licence file when it ships one
node - "$work/node_modules" >"$out/THIRD-PARTY-NOTICES" <<'JS'
const fs = require("fs"), path = require("path");
const top = process.argv[2];
const dirs = [];
for (const name of fs.readdirSync(top).sort()) {
  if (name.startsWith(".")) continue;
  if (name.startsWith("@")) {
    for (const sub of fs.readdirSync(path.join(top, name)).sort()) dirs.push(path.join(name, sub));
  } else dirs.push(name);
}
for (const dir of dirs) {
  const meta = JSON.parse(fs.readFileSync(path.join(top, dir, "package.json"), "utf8"));
  console.log(`==== ${meta.name} ${meta.version} (${meta.license || "no licence field"})`);
  const file = fs.readdirSync(path.join(top, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
  if (file) console.log(fs.readFileSync(path.join(top, dir, file), "utf8").trim());
  console.log();
}
JS
echo "$version" >"$out/VERSION"
echo "vendored @zazuko/yasgui $version into ${out#"$root/"}:"
ls -l "$out"
