#!/usr/bin/env sh
# The browser tests drive Debian's Chromium (Playwright's own browser download does not work
# here). Install it when it is missing and we are root; otherwise say how.
set -eu
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium. Install it, then run make test again:" >&2
echo "  sudo apt-get install chromium      (Debian/Ubuntu)" >&2
echo "or set CHROMIUM_PATH to a Chromium or Chrome executable." >&2
exit 1
