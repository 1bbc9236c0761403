"""The PDF report: the HTML report printed by headless Chromium (``--print-to-pdf``).

Chosen by measurement over WeasyPrint 70.0 (Pango, Debian's fonts), on the demo's report
(3,553 SYNTHETIC persons listed by name), same HTML, on this project's shared 2-core machine:

===============================  ======================  ====================
                                 Chromium                WeasyPrint 70.0
===============================  ======================  ====================
load ~2, untagged PDF (default)  6.9-9.0 s, 44 pages,    42 s, 70 pages,
                                 1.1 MB                  0.9 MB
load ~2, tagged PDF              11.9 s, 10.3 MB         -
load ~6, without the names list  6.9 s, 17 pages         8.8 s, 18 pages
load ~6, with the names list     35 s, 65 pages          94 s, 67 pages
Persian names read back in       2,669 of 2,781          2,669 of 2,781
logical order (pdftotext)        (none reversed)         (none reversed)
===============================  ======================  ====================

Both shape Persian correctly with Noto Naskh Arabic (checked by eye on rendered pages).
Chromium is 2.5-5 times faster, already installed for the browser tests
(``scripts/system-deps.sh``), prints exactly what the HTML shows, and needs no Python
dependency.  The PDF is untagged by default (``--disable-pdf-tagging``): tagging, the
structure screen readers use, made it 9 times larger and 1.7 times slower; the HTML report
is the accessible version, and ``tagged=True`` keeps the structure.

The browser is found as ``$DADKHAH_CHROMIUM``, else ``chromium`` / ``chromium-browser`` /
``google-chrome`` on the PATH.  Without one, :func:`html_to_pdf` raises a
:class:`~dadkhah.errors.ConfigError` that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dadkhah.errors import ConfigError, DadkhahError

__all__ = ["chromium_path", "html_to_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a one-shot, offline print: no sandbox (containers, root), no GPU, no network
# services, no first-run UI.
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-extensions", "--no-pdf-header-footer", "--hide-scrollbars")


def chromium_path() -> str | None:
    """The Chromium executable to print with, or None."""
    env = os.environ.get("DADKHAH_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_file: str | Path, pdf_file: str | Path, *, tagged: bool = False,
                timeout: float = 300) -> Path:
    """Print ``html_file`` to ``pdf_file`` with headless Chromium; returns the PDF path.
    ``tagged`` keeps the document structure for screen readers (a much larger file)."""
    exe = chromium_path()
    if exe is None:
        raise ConfigError(
            "Cannot make the PDF: no Chromium browser was found.",
            hint="Install it with: bash scripts/system-deps.sh (Debian package chromium), or "
                 "set DADKHAH_CHROMIUM to a Chromium or Chrome executable. The HTML report "
                 "was written and can be printed from any browser.")
    src = Path(html_file).resolve()
    out = Path(pdf_file).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dadkhah-chromium-") as profile:
        cmd = [exe, *_FLAGS, *([] if tagged else ["--disable-pdf-tagging"]),
               f"--user-data-dir={profile}", f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise DadkhahError(f"Chromium did not finish printing {src.name} in {timeout:.0f} s.",
                               hint="Make the report smaller (--no-names) or try again.") from None
    if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise DadkhahError(f"Chromium could not print {src.name} to PDF (exit "
                           f"{proc.returncode}): {' | '.join(tail)}",
                           hint="Run the same command by hand to see why: " + " ".join(cmd[:3]))
    return out
