#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/require.sh
dossier_require_base
dossier_require_pdf
swift build --build-tests
swift test --skip-build
