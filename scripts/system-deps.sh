#!/usr/bin/env bash
# Install the Debian packages dadkhah uses outside Python, when missing (needs root, as on CI):
#   chromium        headless browser: web tests (Playwright drives it) and the report's PDF
#   fonts-noto-core Noto Naskh Arabic and Noto Sans: Persian text in plots and PDFs
#   poppler-utils   pdftotext / pdfinfo, used by the tests to read the PDF report
#   tesseract-ocr, tesseract-ocr-fas, tesseract-ocr-eng
#                   OCR of scanned lists (dadkhah.documents, through pytesseract)
# Usage: bash scripts/system-deps.sh
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/truetype/noto ] || need+=(fonts-noto-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
for lang in fas eng; do
  ls /usr/share/tesseract-ocr/*/tessdata/"$lang".traineddata >/dev/null 2>&1 \
    || need+=("tesseract-ocr-$lang")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "system-deps: installing Debian packages: ${need[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "system-deps: not root; install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >&2
fi
# matplotlib caches the system's font list once; a list made before the Noto fonts were
# installed hides them from the report's plots until the cache is rebuilt.
for cache in "${MPLCONFIGDIR:-$HOME/.config/matplotlib}" "${XDG_CACHE_HOME:-$HOME/.cache}/matplotlib"; do
  for f in "$cache"/fontlist-*.json; do
    [ -f "$f" ] && ! grep -q "Noto Naskh Arabic" "$f" && rm -f "$f"
  done
done
true
