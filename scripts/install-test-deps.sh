#!/usr/bin/env bash
# Installs the real servers the test suite runs against, from Debian's packages:
# redis-server (the queue and index contract suites), OpenStack Swift with s3api and memcached
# (the S3 blob store contract suite). Installs only what is missing, so a second run is instant.
set -euo pipefail

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("${@:2}"); }
need redis-server redis-server
need swift-proxy-server swift swift-proxy
need swift-account-server swift-account
need swift-container-server swift-container
need swift-object-server swift-object
need memcached memcached
need swift-ring-builder python3-swift
need swaks swaks

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${packages[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "error: need root (or sudo) to install ${packages[*]} with apt-get" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# The packages' own services are not wanted: tests start private instances on loopback ports.
$sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
for service in redis-server memcached; do
  $sudo service "$service" stop >/dev/null 2>&1 || true
done
