#!/usr/bin/env bash
# Installs OpenStack Swift (with its s3api middleware) and memcached from Debian's packages:
# the local S3-compatible server that scripts/swift-s3/start.sh runs for tests. Run as root.
set -euo pipefail

packages=(swift swift-proxy swift-account swift-container swift-object memcached python3-swift)
if dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | grep -qv '^install ok installed$' \
    || ! dpkg-query -W "${packages[@]}" >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # The packages' postinst scripts try to start services via invoke-rc.d; in a container
    # without an init system that fails harmlessly, and start.sh runs the servers itself.
    apt-get install -y "${packages[@]}"
fi
echo "Swift S3 test server packages are installed."
