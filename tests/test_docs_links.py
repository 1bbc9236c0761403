"""Every relative link and #anchor in README.md, CONTRIBUTING.md and docs/*.md resolves.

Anchors follow GitHub's rule for headings (lower-case, punctuation dropped, spaces to '-',
a repeated heading gets -1, -2 …), so a link that works here works on GitHub.  Links to
other sites are not fetched: the test run stays offline.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_INLINE_LINK = re.compile(  # [text](target "title"), ![alt](target); text may hold [brackets]
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.MULTILINE)
_HTML_ID = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.IGNORECASE)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto: …


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text (github-slugger, without the -n of repeats)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text, not its address
    kept = [c for c in text.lower()
            if c in " -" or unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Pc"]
    return "".join(kept).replace(" ", "-")


def _prose(text: str) -> str:
    """``text`` with fenced code blocks blanked (line numbers kept): no links or headings there."""
    out, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else line)
    return "\n".join(out)


def anchors(text: str) -> set[str]:
    """Every anchor a Markdown page offers: its headings' slugs and explicit HTML ids."""
    seen: Counter[str] = Counter()
    found: set[str] = set()
    for line in _prose(text).splitlines():
        match = _HEADING.match(line)
        if match:
            base = slug(match.group(1))
            found.add(base if seen[base] == 0 else f"{base}-{seen[base]}")
            seen[base] += 1
        found.update(_HTML_ID.findall(line))
    return found


def links(text: str) -> list[tuple[int, str]]:
    """(line number, target) of every inline, image and reference link outside code."""
    # code spans are blanked, not removed, so that offsets still give line numbers
    prose = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), _prose(text))
    found = [(match.start(), match.group(1)) for match in _INLINE_LINK.finditer(prose)]
    found += [(match.start(), match.group(1)) for match in _REFERENCE.finditer(prose)]
    return [(prose.count("\n", 0, start) + 1, target) for start, target in sorted(found)]


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """One sentence per link of ``page`` that does not resolve, naming its line and why."""
    problems = []
    for number, target in links(page.read_text(encoding="utf-8")):
        if _EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        where = f"{page.relative_to(root)}:{number}: link {target!r}"
        goal = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not goal.exists():
            shown = goal.relative_to(root) if goal.is_relative_to(root) else goal
            problems.append(f"{where}: no file {shown}")
            continue
        if (anchor and goal.suffix == ".md"
                and unquote(anchor) not in anchors(goal.read_text(encoding="utf-8"))):
            problems.append(f"{where}: {goal.name} has no heading with the anchor #{anchor}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page: Path) -> None:
    assert page.exists()
    assert broken_links(page) == []


def test_the_readme_links_every_topic_page() -> None:
    # the README is short because the rest lives in docs/: a page it does not name is lost
    linked = {(ROOT / target.partition("#")[0]).resolve()
              for _, target in links((ROOT / "README.md").read_text(encoding="utf-8"))
              if not _EXTERNAL.match(target)}
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert len(pages) > 2
    assert [p.name for p in pages if p.resolve() not in linked] == []


@pytest.mark.parametrize(("heading", "anchor"), [
    ("Set-up: two commands", "set-up-two-commands"),
    ("Estimates with imperfect linkage: coverage, session by session (issue 19)",
     "estimates-with-imperfect-linkage-coverage-session-by-session-issue-19"),
    ("How linkage got there: the changes of sessions 4–9",
     "how-linkage-got-there-the-changes-of-sessions-49"),
    ("`dadkhah source add`", "dadkhah-source-add"),
    ("Linkage on the simulator's own scenarios, and re-measurements of `large`",
     "linkage-on-the-simulators-own-scenarios-and-re-measurements-of-large"),
    ("نام و تاریخ: ۱۳۶۷", "نام-و-تاریخ-۱۳۶۷"),
])
def test_slug_follows_github(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "topic.md").write_text(
        "# Topic\n\n## A part: its name\n\n## A part: its name\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Title\n\n"
        "[fine](docs/topic.md#a-part-its-name) [repeat](docs/topic.md#a-part-its-name-1)\n"
        "[here](#title) [site](https://example.org/#nothing) `[code](missing.md)`\n"
        "```\n[in a block](missing.md)\n```\n"
        "[gone](docs/missing.md) [bad anchor](docs/topic.md#a-part) ![img](docs/no.png)\n"
        "[self](#no-such-heading)\n\n[ref]: docs/also-missing.md\n",
        encoding="utf-8")
    problems = broken_links(readme, root=tmp_path)
    assert len(problems) == 5, problems
    assert problems[0].startswith("README.md:8: link 'docs/missing.md': no file docs/missing.md")
    assert "topic.md has no heading with the anchor #a-part" in problems[1]
    assert "docs/no.png" in problems[2]
    assert "#no-such-heading" in problems[3]
    assert "docs/also-missing.md" in problems[4]
