#!/usr/bin/env bash
# A Java runtime for Spark's local mode (the linking tests run the Spark engine against DuckDB).
# PySpark 4 needs Java 17 or newer; Debian 12's default-jre-headless is 17. Installed only when
# no `java` is on the PATH.
set -euo pipefail
command -v java >/dev/null 2>&1 && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends default-jre-headless
