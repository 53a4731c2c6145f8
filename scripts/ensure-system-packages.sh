#!/usr/bin/env sh
# System packages the app needs from the operating system: WeasyPrint (the PDF briefs) needs
# Pango and a font; the translations are compiled with GNU gettext's msgfmt (`make translations`).
# Install them when missing and we are root; otherwise say how.
set -eu
missing=""
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || missing="$missing libpango-1.0-0"
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing="$missing libpangoft2-1.0-0"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing system packages:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "Minilateral needs these system packages (PDF briefs, translations):$missing" >&2
echo "Install them, then run make again:  sudo apt-get install$missing" >&2
exit 1
