#!/usr/bin/env bash
# Builds the sample site into Public/ on a fresh machine: installs libcmark, then runs `dossier build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/require.sh
dossier_require_base
swift run -c release dossier build "$@"
