#!/usr/bin/env bash
# Installs the Debian 12 packages vapidash builds and tests with, when any is missing. Needs root.
set -euo pipefail
packages=(cmake ninja-build g++ clang-format libboost1.81-dev libboost-url1.81-dev libcli11-dev
          nlohmann-json3-dev libspdlog-dev libsqlite3-dev libssl-dev libgtest-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
