#!/bin/sh
# Find or install a Chromium for the browser tests, in the order the README gives:
# $PLANSITE_CHROMIUM; /usr/bin/chromium; as root, Debian's chromium package; otherwise Playwright's
# own download. As root it also adds a small Chinese font, so the screenshots the tests save are
# readable. Never fatal: if nothing works, the browser tests fail with a message saying how to get one.
set -u
is_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_install() { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null); }

have_browser() {
  { [ -n "${PLANSITE_CHROMIUM:-}" ] && [ -x "${PLANSITE_CHROMIUM}" ]; } || [ -x /usr/bin/chromium ]
}

if ! have_browser && is_root; then
  echo "ensure_browser: installing Debian's chromium package" >&2
  apt_install chromium || true
fi
if is_root && command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  apt_install fonts-wqy-microhei || true
fi
if ! have_browser; then
  echo "ensure_browser: trying 'playwright install chromium'" >&2
  "${PYTHON:-python3}" -m playwright install chromium >/dev/null 2>&1 || \
    echo "ensure_browser: no Chromium could be had; browser tests will fail with instructions" >&2
fi
exit 0
