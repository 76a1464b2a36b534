#!/usr/bin/env bash
# Installs Debian packages (run as root) without starting their services: installing
# openssh-server or postgresql must not leave a system sshd on port 22 or a cluster running — the
# tests start their own, on 127.0.0.1, and stop them. A policy-rc.d already in place is kept.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
made=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  made=1
fi
trap '[ -n "$made" ] && rm -f "$policy"' EXIT
apt-get update -q
apt-get install -y -q --no-install-recommends "$@"
