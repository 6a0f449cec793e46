#!/usr/bin/env bash
# System packages the Python packages cannot bring:
#  - Tesseract OCR, for scanned and faxed pages;
#  - Debian's Chromium and its driver, for the reviewer page's browser test (tests/web), which
#    Playwright drives at /usr/bin/chromium (Playwright's own browser download is not used).
# Installs with apt when run as root (CI and fresh machines); otherwise says what to install.
set -euo pipefail
missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr tesseract-ocr-eng)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "warning: ${missing[*]} not installed; scanned pages cannot be read without tesseract-ocr and" \
       "the browser test (tests/web) skips without chromium (apt-get install ${missing[*]})" >&2
fi
