#!/usr/bin/env bash
# Builds the deployable Function App package (docs/hosting.md "Packaging"):
#   artifacts/functionapp/      host.json, one folder per function with its function.json, the published handler
#   artifacts/functionapp.zip   the same folder zipped, executable bit kept (zip on Linux/macOS/WSL, never on Windows)
# The handler is published self-contained for linux-x64: the Flex Consumption 'custom' runtime image has no .NET, and
# host.json's defaultExecutablePath names the apphost, which must sit at the package root (workingDirectory "").
#
# Usage: scripts/package.sh [--out DIR] [--publish-dir DIR]
#   --out DIR          where to write functionapp/ and functionapp.zip (default: artifacts/)
#   --publish-dir DIR  package an existing publish output instead of running dotnet publish (used by the tests)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts"
publish_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --publish-dir) publish_dir="$2"; shift 2 ;;
    *) echo "usage: scripts/package.sh [--out DIR] [--publish-dir DIR]" >&2; exit 2 ;;
  esac
done

# zip keeps Unix modes; Python's zipfile module does too and serves where zip is not installed.
if command -v zip >/dev/null; then
  zip_dir() { (cd "$1" && zip -qr -X "$2" .); }
elif command -v python3 >/dev/null; then
  zip_dir() { (cd "$1" && python3 -m zipfile -c "$2" .); }
else
  echo "package: 'zip' (or python3) is needed to build the zip (apt-get install zip)" >&2; exit 1
fi

# The executable the host starts, as host.json names it.
executable="$(sed -n 's/.*"defaultExecutablePath"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$root/host.json")"
[ -n "$executable" ] || { echo "package: host.json has no customHandler.description.defaultExecutablePath" >&2; exit 1; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
app="$out/functionapp"
rm -rf "$app" "$out/functionapp.zip"
mkdir -p "$app"

if [ -z "$publish_dir" ]; then
  dotnet publish "$root/functions/ServiceLedger.Functions.csproj" --nologo -c Release -r linux-x64 --self-contained true -o "$app"
else
  cp -R "$publish_dir"/. "$app"/
fi

[ -f "$app/$executable" ] || { echo "package: the publish output has no '$executable' (host.json defaultExecutablePath)" >&2; exit 1; }
chmod +x "$app/$executable"
cp "$root/host.json" "$app/host.json"

count=0
for dir in "$root"/functions/definitions/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/function.json" ] || { echo "package: $dir has no function.json" >&2; exit 1; }
  [ ! -e "$app/$name" ] || { echo "package: function folder '$name' clashes with a published file" >&2; exit 1; }
  mkdir "$app/$name"
  cp "$dir/function.json" "$app/$name/function.json"
  count=$((count + 1))
done

# The Unix mode travels in the zip, so the host can execute the handler.
zip_dir "$app" "$out/functionapp.zip"
echo "package: $count functions, executable '$executable' -> $out/functionapp.zip"
