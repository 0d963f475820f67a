#!/usr/bin/env bash
# Installs the Debian packages Parallax needs, only those that are missing.
set -euo pipefail

packages=(pkg-config libncursesw5-dev libopenblas-dev libsqlite3-dev python3-pip tmux poppler-utils)

if ! command -v swift >/dev/null 2>&1; then
  echo "error: no Swift toolchain on PATH. Parallax needs Swift 6.0 or newer (swift.org/install)." >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
