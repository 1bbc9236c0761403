"""Commands of the public memorial portal: publish, unpublish, submissions, article."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from dadkhah.cli._choices import LANGUAGES, ROLES, SUBMISSION_STATUSES, choice, metavar
from dadkhah.cli._common import (
    JsonOption,
    console,
    current_user,
    handle_errors,
    print_json,
    print_result,
)
from dadkhah.cli._common import (
    open_case as _case,
)
from dadkhah.errors import ConfigError

submissions_app = typer.Typer(help="Reports and corrections sent through the public portal.",
                              no_args_is_help=True)
article_app = typer.Typer(help="Articles of the public portal (text with [^n] footnotes).",
                          no_args_is_help=True)

RoleOpt = typer.Option(None, "--role", envvar="DADKHAH_ROLE", callback=choice(ROLES),
                       metavar=metavar(ROLES),
                       help="Your team role; default admin, the case owner working locally.")




def _role(role: str | None) -> str:
    return role or "admin"


@handle_errors
def publish(
    persons: list[int] | None = typer.Argument(None, help="Person ids of the register."),
    all_synthetic: bool = typer.Option(False, "--all-synthetic",
                                       help="Every person named only by SYNTHETIC sources."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Show persons on the public memorial (only marked persons ever leave the store)."""
    from dadkhah import portal

    with _case() as case:
        ids = list(persons or [])
        if all_synthetic:
            ids += portal.synthetic_person_ids(case)
        if not ids:
            raise ConfigError("No persons given.",
                              hint="Name person ids (dadkhah persons list), or pass "
                                   "--all-synthetic for a synthetic case.")
        print_result(portal.publish(case, ids, by=current_user(), role=_role(role)), json_out)


@handle_errors
def unpublish(
    persons: list[int] = typer.Argument(..., help="Person ids to withdraw from the portal."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Withdraw persons from the public memorial (the register is untouched)."""
    from dadkhah import portal

    with _case() as case:
        print_result(portal.unpublish(case, persons, by=current_user(), role=_role(role)), json_out)


@submissions_app.command("list")
@handle_errors
def submissions_list(
    status: str = typer.Option("pending", "--status", callback=choice(SUBMISSION_STATUSES),
                               metavar=metavar(SUBMISSION_STATUSES),
                               help="pending, accepted, rejected or all."),
    limit: int = typer.Option(100, "--limit"),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """The moderation queue (contact details are never listed)."""
    from dadkhah import portal

    if status not in ("pending", "accepted", "rejected", "all"):
        raise ConfigError(f"Unknown status {status!r}.",
                          hint="Use pending, accepted, rejected or all.")
    with _case() as case:
        subs = portal.list_submissions(case, role=_role(role), limit=limit,
                                       status=None if status == "all" else status)
    if json_out:
        print_json(subs)
        return
    t = Table("id", "kind", "status", "name", "relation", "received", "record")
    for s in subs:
        name = s.fields.get("full_name") or " ".join(
            s.fields.get(f, "") for f in ("given_names", "surname")).strip()
        t.add_row(str(s.id), s.kind + (f" → {s.person_id}" if s.person_id else ""), s.status,
                  name, s.relation, s.submitted_at[:10], str(s.record_id or ""))
    console.print(t)


@submissions_app.command("show")
@handle_errors
def submissions_show(
    submission: int = typer.Argument(...),
    contact: bool = typer.Option(False, "--contact",
                                 help="Also show the PROTECTED contact details (logged)."),
    key_file: Path | None = typer.Option(None, "--key-file",
                                            help="Testimony key, if contacts are encrypted."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """One submission; --contact reveals how to reach the submitter."""
    from dadkhah import portal

    with _case() as case:
        s = portal.get_submission(case, submission, role=_role(role))
        revealed = None
        if contact:
            key = None
            if key_file or _key_configured():
                from dadkhah.casefile.testimony import load_key

                key = load_key(key_file)
            revealed = portal.submission_contact(case, submission, role=_role(role),
                                                 by=current_user(), key=key)
    if json_out:
        print_json({**s.to_dict(), **({"contact": revealed} if contact else {})})
        return
    console.print(s.summary(), soft_wrap=True, markup=False)
    for k, v in s.fields.items():
        console.print(f"  {k}: {v}", soft_wrap=True, markup=False)
    if contact:
        console.print(f"  contact (PROTECTED): {revealed or '—'}", markup=False)


def _key_configured() -> bool:
    import os

    return bool(os.environ.get("DADKHAH_KEY_FILE") or os.environ.get("DADKHAH_KEY"))


@submissions_app.command("accept")
@handle_errors
def submissions_accept(submission: int = typer.Argument(...), role: str | None = RoleOpt,
                       json_out: bool = JsonOption) -> None:
    """Accept a submission: it becomes a record of the public-submissions source."""
    from dadkhah import portal

    with _case() as case:
        print_result(portal.accept(case, submission, by=current_user(), role=_role(role)), json_out)


@submissions_app.command("reject")
@handle_errors
def submissions_reject(submission: int = typer.Argument(...),
                       reason: str = typer.Option(..., "--reason", help="Why (kept in the log)."),
                       role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Reject a submission with a reason."""
    from dadkhah import portal

    with _case() as case:
        print_result(portal.reject(case, submission, reason=reason, by=current_user(),
                           role=_role(role)), json_out)


@article_app.command("add")
@handle_errors
def article_add(
    slug: str = typer.Argument(..., help="Short id, used in the address: /articles/<id>."),
    file: Path = typer.Option(..., "--file", "-f", help="The body: text with [^n] footnotes."),
    title: str = typer.Option(..., "--title"),
    language: str = typer.Option("en", "--language", callback=choice(LANGUAGES),
                                 metavar=metavar(LANGUAGES), help="en or fa."),
    summary: str | None = typer.Option(None, "--summary"),
    public: bool = typer.Option(False, "--public", help="Put it on the portal at once."),
    role: str | None = RoleOpt, json_out: bool = JsonOption,
) -> None:
    """Add an article; every [^n] reference must have its note."""
    from dadkhah import portal

    if not file.is_file():
        raise ConfigError(f"No file {file}.", hint="Give the article's text file with --file.")
    body = file.read_text(encoding="utf-8")
    with _case() as case:
        a = portal.add_article(case, slug=slug, title=title, body=body, language=language,
                               summary=summary, public=public, by=current_user(),
                               role=_role(role))
    if json_out:
        print_json(a)
    else:
        console.print(a.summary_line(), markup=False)


@article_app.command("list")
@handle_errors
def article_list(drafts: bool = typer.Option(False, "--drafts", help="Include drafts."),
                 json_out: bool = JsonOption) -> None:
    """The articles (public ones; --drafts for all)."""
    from dadkhah import portal

    with _case() as case:
        articles = portal.list_articles(case, public_only=not drafts)
    if json_out:
        print_json([{k: v for k, v in a.to_dict().items() if k != "html"} for a in articles])
        return
    for a in articles:
        console.print(a.summary_line(), markup=False)


@article_app.command("publish")
@handle_errors
def article_publish(slug: str = typer.Argument(...),
                    withdraw: bool = typer.Option(False, "--withdraw",
                                                  help="Take it off the portal instead."),
                    role: str | None = RoleOpt, json_out: bool = JsonOption) -> None:
    """Put a draft article on the portal (or --withdraw it)."""
    from dadkhah import portal

    with _case() as case:
        a = portal.set_article_public(case, slug, not withdraw, by=current_user(),
                                      role=_role(role))
    if json_out:
        print_json(a)
    else:
        console.print(a.summary_line(), markup=False)


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
    app.command("unpublish")(unpublish)
    app.add_typer(submissions_app, name="submissions")
    app.add_typer(article_app, name="article")
