#!/usr/bin/env bash
# Refresh the GraphiQL assets that graphsvc serves itself (graphsvc/api/graphiql/static/vendor),
# so that the GraphiQL page loads nothing from outside the server.
#
# The versions are the ones Strawberry's own GraphiQL template pins (strawberry/static/
# graphiql.html); change them here, run `make graphiql-assets`, and commit the result. Each
# package is fetched from npm by name with `npm pack` into a temporary folder (never into
# tests/node), and only the browser builds the page loads are kept, with the package's
# LICENSE next to them and its version, licence and SHA-384 digests in manifest.json, which
# the server reads to fill in the page's asset addresses.
set -euo pipefail

PACKAGES=(
  # npm name               version  files to keep (path inside the package)
  "react                    18.2.0   umd/react.production.min.js"
  "react-dom                18.2.0   umd/react-dom.production.min.js"
  "graphiql                 3.8.3    graphiql.min.js graphiql.min.css"
  "@graphiql/plugin-explorer 1.0.2   dist/index.umd.js dist/style.css"
)

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/graphsvc/api/graphiql/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rm -rf "$dest"
mkdir -p "$dest"
manifest="$work/manifest.tsv"
: >"$manifest"
for line in "${PACKAGES[@]}"; do
  read -r name version files <<<"$line"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$work/$(echo "${name#@}" | tr / -)-$version.tgz"
  unpacked="$work/unpacked-${name//\//-}"
  mkdir -p "$unpacked"
  tar -xzf "$tarball" -C "$unpacked"
  dir="${name#@}"; dir="${dir//\//-}-$version"   # e.g. graphiql-plugin-explorer-1.0.2
  mkdir -p "$dest/$dir"
  for file in $files; do
    cp "$unpacked/package/$file" "$dest/$dir/$(basename "$file")"
  done
  licence="$(node -p "require('$unpacked/package/package.json').license")"
  if [[ -f "$unpacked/package/LICENSE" ]]; then
    cp "$unpacked/package/LICENSE" "$dest/$dir/LICENSE"
  else
    # @graphiql/plugin-explorer ships no LICENSE file: it is part of the graphiql monorepo,
    # whose MIT LICENSE (shipped in the graphiql package) covers it.
    { echo "$name $version ships no LICENSE file; its package.json says \"license\": \"$licence\""
      echo "and it is published from the graphql/graphiql repository, whose LICENSE follows."
      echo
      cat "$dest"/graphiql-[0-9]*/LICENSE; } >"$dest/$dir/LICENSE"
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$version" "$licence" "$dir" >>"$manifest"
done

# manifest.json: per package its version, licence, folder and the SHA-384 of each file.
python3 - "$manifest" "$dest" <<'PY'
import base64, hashlib, json, pathlib, sys
rows = [line.split("\t") for line in pathlib.Path(sys.argv[1]).read_text().splitlines()]
dest = pathlib.Path(sys.argv[2])
manifest = {}
for name, version, licence, folder in rows:
    files = {
        path.name: "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()
        for path in sorted((dest / folder).iterdir())
        if path.name != "LICENSE"
    }
    manifest[name] = {"version": version, "license": licence, "folder": folder, "files": files}
(dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
PY
echo "GraphiQL assets refreshed in ${dest#"$root"/}:" >&2
node -e 'for (const [n, m] of Object.entries(require(process.argv[1]))) console.error(`  ${n} ${m.version} (${m.license})`)' "$dest/manifest.json"
