#!/usr/bin/env sh
# Stop early, with a clear message, when the Python at hand is too old for Django 6.1.
set -eu
python="$1"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "Python 3.12 or newer is needed, and '$python' was not found." >&2
  echo "Install Python 3.12+ (with pyenv: pyenv install 3.13), or run: make PYTHON=/path/to/python3.13 ..." >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  echo "Python 3.12 or newer is needed; '$python' is $("$python" --version 2>&1)." >&2
  echo "Install Python 3.12+ (with pyenv: pyenv install 3.13; .python-version selects it), or run: make PYTHON=/path/to/python3.13 ..." >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "'$python' cannot create virtual environments. Debian/Ubuntu: sudo apt-get install python3-venv" >&2
  exit 1
fi
