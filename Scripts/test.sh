#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need, then runs the Swift
# tests (unit, fixture sites, command line, WeasyPrint PDFs) and the browser checks (Nu HTML
# checker, axe-core in Chromium, screenshots into Screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/require.sh
dossier_require_base
dossier_require_pdf
dossier_require_browser
swift build --build-tests
swift test --skip-build
python3 -m pytest -q Tests/Browser
