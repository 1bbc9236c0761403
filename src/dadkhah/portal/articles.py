"""Articles of the public portal: the case's published analyses, with footnoted references.

The body is plain text with a few marks, so that a documenter can write it in any editor::

    ## A heading

    A paragraph that cites a source.[^amnesty]  Blank lines separate paragraphs;
    lines starting with "- " are a list.

    [^amnesty]: Amnesty International, *Blood-soaked secrets* (4 Dec 2018), MDE 13/9421/2018.
        https://www.amnesty.org/en/documents/mde13/9421/2018/en/

Every reference must have its note and every note must be cited (a broken reference is
refused at once, with its line).  Notes are numbered in the order they are first cited.
Rendering escapes every character of the text first and only then adds the few tags it
makes (``h2``, ``p``, ``ul``, ``li``, ``sup``, ``a``, ``ol``); links are made only from
``http(s)://`` addresses, so an article cannot inject markup or script into the portal.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select, update

from dadkhah.access import require
from dadkhah.errors import NotFound, StoreError
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc, sha256_text
from dadkhah.store.tables import Article, insert_row

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_REF = re.compile(r"\[\^([A-Za-z0-9_-]{1,40})\]")
_REFS = re.compile(r"(?:\[\^[A-Za-z0-9_-]{1,40}\])+")
_DEF = re.compile(r"^\[\^([A-Za-z0-9_-]{1,40})\]:\s?(.*)$")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]")
_EM = re.compile(r"\*([^*\n]{1,200})\*")


class ArticleInvalid(StoreError):
    """An article body that cannot be rendered as written."""

    http_status = 422


@dataclass(frozen=True)
class Footnote:
    number: int
    label: str
    text: str


@dataclass(frozen=True)
class ArticleView:
    """An article as stored, with its body rendered to safe HTML."""

    id: int
    slug: str
    title: str
    language: str
    summary: str | None
    body: str
    public: bool
    created_at: str
    created_by: str
    html: str
    footnotes: tuple[Footnote, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary_line(self) -> str:
        state = "public" if self.public else "draft"
        return (f"{self.slug} [{self.language}, {state}]: {self.title} "
                f"({len(self.footnotes)} footnotes)")


def _parse(body: str) -> tuple[list[tuple[str, list[str], int]], dict[str, str]]:
    """(blocks as (kind, lines, first line number), footnote label → text)."""
    notes: dict[str, str] = {}
    blocks: list[tuple[str, list[str], int]] = []
    current: list[str] = []
    start = 0
    last_note: str | None = None

    def flush() -> None:
        nonlocal current
        if current:
            kind = "ul" if all(x.startswith("- ") for x in current) else "p"
            if len(current) == 1 and current[0].startswith("## "):
                kind = "h2"
            blocks.append((kind, current, start))
        current = []

    for n, line in enumerate(body.replace("\r\n", "\n").split("\n"), start=1):
        m = _DEF.match(line)
        if m:
            flush()
            label = m.group(1)
            if label in notes:
                raise ArticleInvalid(f"Line {n}: footnote [^{label}] is defined twice.",
                                     hint="Give each note its own label.")
            notes[label] = m.group(2).strip()
            last_note = label
            continue
        if last_note is not None and line.startswith(("    ", "\t")) and line.strip():
            notes[last_note] += " " + line.strip()  # continuation of a note
            continue
        last_note = None
        if not line.strip():
            flush()
            continue
        if not current:
            start = n
        current.append(line.strip())
    flush()
    return blocks, notes


def check_body(body: str) -> tuple[Footnote, ...]:
    """Validate a body; returns its footnotes in citation order or raises ArticleInvalid."""
    blocks, notes = _parse(body)
    if not blocks:
        raise ArticleInvalid("The article has no text.", hint="Write at least one paragraph.")
    order: list[str] = []
    for _kind, lines, start in blocks:
        for i, line in enumerate(lines):
            for label in _REF.findall(line):
                if label not in notes:
                    raise ArticleInvalid(
                        f"Line {start + i}: reference [^{label}] has no note.",
                        hint=f"Add a line '[^{label}]: <source, date, address>' at the end.")
                if label not in order:
                    order.append(label)
    unused = [lb for lb in notes if lb not in order]
    if unused:
        raise ArticleInvalid(f"Footnote [^{unused[0]}] is never cited in the text.",
                             hint="Cite it with [^" + unused[0] + "] or remove the note.")
    for label in order:
        if not notes[label]:
            raise ArticleInvalid(f"Footnote [^{label}] is empty.",
                                 hint="Say what the source is: author, title, date, address.")
    return tuple(Footnote(i + 1, lb, notes[lb]) for i, lb in enumerate(order))


def _inline(text: str, numbers: dict[str, int]) -> str:
    out = str(escape(text))
    out = _EM.sub(lambda m: f"<em>{m.group(1)}</em>", out)
    seen: set[int] = set()

    def link(label: str) -> str:
        n = numbers[label]
        anchor = "" if n in seen else f' id="fnref-{n}"'  # one back-link target per note
        seen.add(n)
        return f'<a href="#fn-{n}"{anchor}>{n}</a>'

    # Adjacent references share one superscript, comma-separated: ¹˒² rather than "12".
    return _REFS.sub(lambda m: '<sup class="fnref">' + ",".join(
        link(lb) for lb in _REF.findall(m.group(0))) + "</sup>", out)


def _note_html(text: str) -> str:
    # Emphasis only within the text between addresses: a `*` in a URL never changes a link.
    def plain(segment: str) -> str:
        return _EM.sub(lambda m: f"<em>{m.group(1)}</em>", str(escape(segment)))

    parts, pos = [], 0
    for m in _URL.finditer(text):
        parts.append(plain(text[pos:m.start()]))
        url = str(escape(m.group(0)))
        parts.append(f'<a href="{url}" rel="noopener nofollow">{url}</a>')
        pos = m.end()
    parts.append(plain(text[pos:]))
    return "".join(parts)


def render_body(body: str) -> tuple[Markup, tuple[Footnote, ...]]:
    """Safe HTML of an article body, and its footnotes (see the module docstring)."""
    footnotes = check_body(body)
    numbers = {f.label: f.number for f in footnotes}
    blocks, _notes = _parse(body)
    html: list[str] = []
    for kind, lines, _start in blocks:
        if kind == "h2":
            html.append(f"<h2>{_inline(lines[0][3:], numbers)}</h2>")
        elif kind == "ul":
            html.append("<ul>" + "".join(f"<li>{_inline(x[2:], numbers)}</li>" for x in lines)
                        + "</ul>")
        else:
            html.append(f"<p>{_inline(' '.join(lines), numbers)}</p>")
    if footnotes:
        html.append('<ol class="footnotes">' + "".join(
            f'<li id="fn-{f.number}">{_note_html(f.text)} '
            f'<a href="#fnref-{f.number}" class="fnback" aria-label="back">↩</a></li>'
            for f in footnotes) + "</ol>")
    return Markup("\n".join(html)), footnotes


def _view(r: Any) -> ArticleView:
    html, notes = render_body(r.body)
    return ArticleView(id=r.id, slug=r.slug, title=r.title, language=r.language,
                       summary=r.summary, body=r.body, public=bool(r.public),
                       created_at=r.created_at, created_by=r.created_by, html=str(html),
                       footnotes=notes)


def add_article(case: Case, *, slug: str, title: str, body: str, language: str = "en",
                summary: str | None = None, public: bool = False, by: str,
                role: str | None) -> ArticleView:
    """Store an article (``publish`` permission); its body is checked before anything is
    written.  ``public`` puts it on the portal at once."""
    require(role, "publish", what="articles")
    if not _SLUG.match(slug):
        raise StoreError(f"Article id {slug!r} is not usable.",
                         hint="Use lower-case letters, digits and '-', e.g. 1988-in-brief.")
    if not title.strip():
        raise StoreError("An article needs a title.", hint="Pass --title.")
    if language not in ("en", "fa"):
        raise StoreError(f"Article language {language!r} is not one the portal shows.",
                         hint="Use en or fa.")
    notes = check_body(body)
    with case.write() as conn:
        if conn.execute(select(Article.id).where(Article.slug == slug)).first():
            raise StoreError(f"An article {slug!r} already exists.", hint="Choose another id.")
        article_id = insert_row(conn, Article,
            slug=slug, title=title.strip(), language=language, summary=summary, body=body,
            public=public, created_at=now_utc(), created_by=by)
        append(conn, by=by, action="article.add", target=f"article:{article_id}",
               details={"article_id": article_id, "slug": slug, "public": public,
                        "body_sha256": sha256_text(body), "footnotes": len(notes)})
    return get_article(case, slug, public_only=False)


def set_article_public(case: Case, slug: str, public: bool, *, by: str,
                       role: str | None) -> ArticleView:
    """Put an article on the portal or take it off."""
    require(role, "publish", what="articles")
    with case.write() as conn:
        aid = conn.execute(select(Article.id).where(Article.slug == slug)).scalar()
        if aid is None:
            raise NotFound(f"No article {slug!r}.", hint="List them with: dadkhah article list")
        conn.execute(update(Article).where(Article.id == aid).values(public=public))
        append(conn, by=by, action="article.publish" if public else "article.unpublish",
               target=f"article:{aid}", details={"article_id": aid, "slug": slug})
    return get_article(case, slug, public_only=False)


def list_articles(case: Case, *, public_only: bool = True) -> list[ArticleView]:
    """Articles in id order; only those marked public unless ``public_only`` is False."""
    q = select(Article.__table__).order_by(Article.id)
    if public_only:
        q = q.where(Article.public.is_(True))
    with case.read() as conn:
        return [_view(r) for r in conn.execute(q)]


def get_article(case: Case, slug: str, *, public_only: bool = True) -> ArticleView:
    """One article; a draft is not found when ``public_only``."""
    q = select(Article.__table__).where(Article.slug == slug)
    if public_only:
        q = q.where(Article.public.is_(True))
    with case.read() as conn:
        r = conn.execute(q).first()
    if r is None:
        raise NotFound(f"No article {slug!r}.", hint="See the list of articles.")
    return _view(r)


def example_article() -> dict[str, str]:
    """The demo's article (``data/article_1988.toml``): public facts about 1988, each with
    its citation, as keyword arguments for :func:`add_article`."""
    import tomllib
    from importlib import resources

    text = resources.files("dadkhah.portal").joinpath("data/article_1988.toml").read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    return {k: data[k].strip() for k in ("slug", "language", "title", "summary", "body")}
