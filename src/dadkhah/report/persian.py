"""Persian text in plots: shaped and ordered right to left, in a font that has the letters.

Matplotlib before 3.11 draws characters one by one, left to right, without Arabic-script
shaping, so «زندان اوین» came out as isolated letters in reverse order; :func:`shape` joins the
letters (arabic-reshaper: presentation forms) and puts them in visual order (python-bidi) for
such renderers.  Matplotlib 3.11 lays text out with libraqm (HarfBuzz shaping and the bidi
algorithm) itself; shaping the text beforehand then reverses it a second time (seen on the
report's first renders).  :func:`plot_text` therefore hands matplotlib the logical text when
it can lay it out, and the shaped text otherwise.  Either way it needs a font with the
glyphs: Noto Naskh Arabic, from Debian's fonts-noto-core (``scripts/system-deps.sh``).

Shaped text is for drawing only: it is no longer the text a reader would search or copy.
In HTML the logical text is written as it is, inside ``<bdi dir="rtl">``; the browser shapes it.
When no Persian-capable font is found, :func:`plot_label` keeps Persian out of the plot (with
one :class:`~dadkhah.errors.DadkhahWarning`) rather than drawing empty boxes.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

from dadkhah.errors import DadkhahWarning

__all__ = ["PERSIAN_FONTS", "has_persian", "matplotlib_lays_out_rtl", "persian_font",
           "plot_label", "plot_text", "shape"]

PERSIAN_FONTS = ("Noto Naskh Arabic", "Vazirmatn", "Noto Sans Arabic", "DejaVu Sans")
"""Fonts tried in order.  DejaVu Sans has the Arabic presentation forms but looks crude."""


def has_persian(text: str | None) -> bool:
    """True when ``text`` holds Arabic-script letters."""
    return bool(text) and any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff"
                              for ch in text)  # type: ignore[union-attr]


def shape(text: str) -> str:
    """``text`` joined and reordered for a renderer with no shaping (matplotlib).

    Latin text is returned unchanged.

    Examples
    --------
    >>> shape("Evin")
    'Evin'
    >>> s = shape("اوین")
    >>> s != "اوین" and all("\\ufb50" <= ch <= "\\ufeff" for ch in s)
    True
    """
    if not has_persian(text):
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


@lru_cache(maxsize=1)
def matplotlib_lays_out_rtl() -> bool:
    """True when matplotlib shapes and orders right-to-left text itself (libraqm, 3.11+)."""
    from matplotlib import ft2font

    return hasattr(ft2font.FT2Font, "_layout")


def plot_text(text: str) -> str:
    """``text`` as matplotlib must be given it to draw it correctly."""
    return text if matplotlib_lays_out_rtl() else shape(text)


@lru_cache(maxsize=1)
def persian_font() -> str | None:
    """The family name of an installed font with Persian glyphs, or None."""
    from matplotlib import font_manager

    for family in PERSIAN_FONTS:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


_warned = False


def plot_label(latin: str, persian: str | None = None) -> str:
    """A label for a plot: ``latin (persian)`` with the Persian shaped, or ``latin`` alone
    when no Persian-capable font is installed (warned once per process)."""
    global _warned
    if not persian or not has_persian(persian):
        return latin
    if persian_font() is None:
        if not _warned:
            warnings.warn("No font with Persian letters was found (install fonts-noto-core: "
                          "bash scripts/system-deps.sh); plots show Latin names only, the "
                          "HTML shows both.", DadkhahWarning, stacklevel=2)
            _warned = True
        return latin
    return f"{latin} ({plot_text(persian)})" if latin else plot_text(persian)
