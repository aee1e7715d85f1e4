#!/bin/sh
# Find or install a Chromium for the browser tests, in the order the README gives:
# $PLANSITE_CHROMIUM; /usr/bin/chromium; as root, Debian's chromium package; otherwise Playwright's
# own download.
# Never fatal: if nothing works, the browser tests fail with a message saying how to get one.
set -u
if [ -n "${PLANSITE_CHROMIUM:-}" ] && [ -x "${PLANSITE_CHROMIUM}" ]; then
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure_browser: installing Debian's chromium package" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    && [ -x /usr/bin/chromium ] && exit 0
fi
echo "ensure_browser: trying 'playwright install chromium'" >&2
"${PYTHON:-python3}" -m playwright install chromium >/dev/null 2>&1 || \
  echo "ensure_browser: no Chromium could be had; browser tests will fail with instructions" >&2
exit 0
