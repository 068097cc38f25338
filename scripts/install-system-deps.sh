#!/usr/bin/env bash
# System packages the tests need, installed from Debian's archive when missing. Safe to rerun.
set -euo pipefail

needed=()
# The packages come as arguments: .ci/run names every one the tests need.
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done

if ((${#needed[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing system packages (${needed[*]}); run this script as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}"
fi
