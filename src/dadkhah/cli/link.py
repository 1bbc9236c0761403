"""Commands of the register: link, review, persons, export persons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from dadkhah.cli._choices import (
    BACKENDS,
    DECISIONS,
    DEFAULT_THRESHOLD,
    RECORD_FORMATS,
    choice,
    metavar,
)
from dadkhah.cli._common import (
    JsonOption,
    console,
    current_user,
    handle_errors,
    print_json,
    write_table,
)
from dadkhah.cli._common import (
    open_case as _case,
)
from dadkhah.cli.restrict import IncludeRestrictedOpt, RoleOpt, cli_viewer
from dadkhah.errors import ConfigError

if TYPE_CHECKING:  # imported inside the commands at run time, to keep --help fast
    from dadkhah.register import ReviewQuestion
    from dadkhah.store import Case

review_app = typer.Typer(help="Review uncertain pairs; decisions bind every later run.",
                         invoke_without_command=True)
persons_app = typer.Typer(help="The register of persons.", no_args_is_help=True)




@handle_errors
def link(
    threshold: float = typer.Option(DEFAULT_THRESHOLD, "--threshold", "-t",
                                    help="Match probability at which two groups of records link "
                                         "(average linkage on the mean log-odds of their "
                                         "pairs)."),
    backend: str = typer.Option("duckdb", "--backend", callback=choice(BACKENDS),
                                metavar=metavar(BACKENDS), help="Linkage engine."),
    train_on_decisions: bool = typer.Option(
        True, "--train-on-decisions/--no-train-on-decisions",
        help="Re-fit the model on reviewers' answers from the review queue (match and not a "
             "match) once there are at least 30 among the scored pairs. Decisions bind the "
             "register either way."),
    evaluate: Path | None = typer.Option(
        None, "--evaluate", help="Truth file (synthetic data): report precision and recall."),
    audit_sample: int = typer.Option(
        0, "--audit-sample", min=0,
        help="After linking, draw a stratified random sample of this many pairs for review "
             "(dadkhah review audit); precision and recall are estimated from the answers."),
    audit_seed: int = typer.Option(1, "--audit-seed", help="Seed of the audit sample."),
    json_out: bool = JsonOption,
) -> None:
    """Link all source records into the register of persons."""
    from dadkhah.linkage.pipeline import evaluate_case, link_case, read_truth
    from dadkhah.register import audit_progress, draw_audit_sample

    truth = read_truth(evaluate) if evaluate else None
    with _case() as case:
        with console.status("linking…") as status:
            report = link_case(case, threshold=threshold, backend=backend,
                               by=current_user(), train_on_decisions=train_on_decisions,
                               progress=lambda m: status.update(f"linking: {m}"))
        ev = evaluate_case(case, truth) if truth is not None else None
        audit = (draw_audit_sample(case, audit_sample, by=current_user(), seed=audit_seed)
                 if audit_sample else audit_progress(case))
    if json_out:
        print_json({**report.to_dict(), "evaluation": ev.to_dict() if ev else None,
                    "audit": audit.to_dict() if audit else None})
        return
    console.print(report.summary(), soft_wrap=True, markup=False)
    if audit is not None:
        # The latest audit's estimate, even of an older run: said so in its summary.
        console.print(audit.summary(), soft_wrap=True, markup=False)
    if ev:
        console.print("Against the truth (possible only because the data are synthetic):")
        console.print(ev.summary(), markup=False)


def _side_by_side(record_l: int, record_r: int, left: dict[str, Any], right: dict[str, Any],
                  title: str) -> Table:
    """Two records' fields side by side, the fields that differ highlighted."""
    t = Table("", f"record {record_l}", f"record {record_r}", title=title)
    for k in dict.fromkeys([*left, *right]):
        a, b = str(left.get(k, "")), str(right.get(k, ""))
        t.add_row(k, a, b, style="" if a == b else "bold yellow")
    return t


_ANSWERS = {"m": "match", "n": "no_match", "u": "unsure"}


def _ask(case: Case, record_l: int, record_r: int, *, reason: str | None) -> bool:
    """Prompt for a decision on one pair and record it; False when the user quits.
    ``reason=None`` asks for one."""
    from dadkhah.register import record_decision

    ans = typer.prompt("[m]atch / [n]ot a match / [u]nsure / [s]kip / [q]uit", default="s")
    if ans == "q":
        return False
    if ans in _ANSWERS:
        why = reason if reason is not None else typer.prompt("reason", default="") or None
        record_decision(case, record_l, record_r, _ANSWERS[ans], by=current_user(),
                        reason=why, viewer=cli_viewer())
        console.print(f"recorded: {_ANSWERS[ans]}")
    return True


def _question_table(question: ReviewQuestion) -> Table:
    """A question's record beside its numbered candidates, rows where they differ
    highlighted."""
    cands = question.candidates
    t = Table("", f"record {question.focal.record}",
              *[f"[{i}] record {c.record}" for i, c in enumerate(cands, 1)],
              title=f"Which are the same person as record {question.focal.record}?")
    t.add_row("person", str(question.focal.person or ""), *[str(c.person or "") for c in cands])
    t.add_row("p(match)", "", *[f"{c.match_probability:.3f}" for c in cands])
    for k in dict.fromkeys([*question.focal.fields, *(f for c in cands for f in c.fields)]):
        row = [str(question.focal.fields.get(k, "")), *[str(c.fields.get(k, "")) for c in cands]]
        t.add_row(k, *row, style="" if len(set(row)) == 1 else "bold yellow")
    return t


def _ask_question(case: Case, question: ReviewQuestion) -> bool | None:
    """Prompt for the answer to a question and record it; False when the user quits, None
    when they skip it."""
    from dadkhah.register import answer_question

    n = len(question.candidates)
    while True:
        ans = typer.prompt("same person: the numbers (e.g. 1,3) / [0] none / [u]nsure / "
                           "[s]kip / [q]uit", default="s").strip().lower()
        if ans in ("q", "s"):
            return False if ans == "q" else None
        if ans == "u":
            same: list[int] | None = None
            break
        picks = [x for x in ans.replace(",", " ").split() if x]
        if picks and all(x.isdigit() and 0 <= int(x) <= n for x in picks):
            same = [question.candidates[int(x) - 1].record for x in picks if int(x)]
            break
        console.print(f"Answer with numbers from 1 to {n} (0 for none), u, s or q.")
    why = typer.prompt("reason", default="") or None
    answer_question(case, question.focal.record, [c.record for c in question.candidates],
                    same, by=current_user(), reason=why, viewer=cli_viewer())
    console.print("recorded: " + ("unsure" if same is None else
                                  f"same person as {', '.join(map(str, same))}" if same
                                  else "none is the same person"))
    return True


@review_app.callback()
@handle_errors
def review(
    ctx: typer.Context,
    limit: int = typer.Option(10, "--limit", "-n"),
    interactive: bool = typer.Option(False, "--interactive", "-i",
                                     help="Answer one question after another."),
    source: str | None = typer.Option(
        None, "--source", help="Only pairs with a record from this source (its slug)."),
    prison: str | None = typer.Option(
        None, "--prison", help="Only pairs with a record placed in this prison (gazetteer "
                               "id, e.g. evin)."),
    candidates: int = typer.Option(
        4, "--candidates", "-k", min=1,
        help="With -i: each question shows a queued pair's record beside up to this many "
             "records of other persons, the pair's other record first (\"which are the same "
             "person?\"; one answer decides every pair shown); 1 asks one pair at a time."),
    json_out: bool = JsonOption,
) -> None:
    """List the pairs to review, most informative first (or decide them with -i, several
    candidates per question); a batch of one source or one prison with --source /
    --prison."""
    if ctx.invoked_subcommand:
        return
    from dadkhah.register import ReviewBatch, review_question, review_queue

    with _case() as case:
        queue = review_queue(case, limit=limit, viewer=cli_viewer(),
                             batch=ReviewBatch(source=source, prison=prison))
        if json_out:
            print_json(queue)
            return
        if not queue:
            console.print("Nothing to review.")
            return
        if interactive and candidates > 1:
            shown: set[tuple[int, int]] = set()  # pairs an answer of this session decided
            for pair in queue:
                if (min(pair.record_l, pair.record_r), max(pair.record_l, pair.record_r)) in shown:
                    continue
                question = review_question(case, pair, candidates=candidates,
                                           viewer=cli_viewer())
                console.print(_question_table(question))
                went = _ask_question(case, question)
                if went is False:
                    break
                if went:
                    f = question.focal.record
                    shown |= {(min(f, c.record), max(f, c.record)) for c in question.candidates}
            return
        for pair in queue:
            console.print(_side_by_side(
                pair.record_l, pair.record_r, pair.left, pair.right,
                f"p(match) = {pair.match_probability:.3f}   "
                f"persons {pair.person_l} / {pair.person_r}"))
            if interactive and not _ask(case, pair.record_l, pair.record_r, reason=None):
                break


@review_app.command("decide")
@handle_errors
def decide(
    record_l: int = typer.Argument(...), record_r: int = typer.Argument(...),
    decision: str = typer.Argument(..., callback=choice(DECISIONS), metavar=metavar(DECISIONS),
                                   help="match, no_match or unsure"),
    reason: str | None = typer.Option(None, "--reason"),
    json_out: bool = JsonOption,
) -> None:
    """Record a decision on two records; later runs must respect it."""
    from dadkhah.register import record_decision

    with _case() as case:
        did = record_decision(case, record_l, record_r, decision.replace("-", "_"),
                              by=current_user(), reason=reason, viewer=cli_viewer())
    if json_out:
        print_json({"decision_id": did})
    else:
        console.print(f"Decision {did} recorded; it applies from the next `dadkhah link`.")


@review_app.command("audit")
@handle_errors
def review_audit(
    limit: int = typer.Option(10, "--limit", "-n", help="Pairs to show."),
    interactive: bool = typer.Option(False, "--interactive", "-i",
                                     help="Answer one audit pair after another."),
    json_out: bool = JsonOption,
) -> None:
    """The latest audit sample: its pairs awaiting review, and precision and recall
    estimated from the answers (stored with the sample's run)."""
    from dadkhah.errors import NotFound
    from dadkhah.register import (
        audit_answers,
        audit_progress,
        record_fields,
        store_audit_estimate,
    )

    with _case() as case:
        pending = [p for p in audit_answers(case) if p["answer"] is None]
        if not json_out:
            shown = skipped = 0
            for p in pending:
                if shown == limit:
                    break
                try:
                    left, right = record_fields(case, [p["record_l"], p["record_r"]],
                                                viewer=cli_viewer())
                except NotFound:
                    # a record kept from the reviewer: the pair is someone else's to answer,
                    # and only how many were passed over is said
                    skipped += 1
                    continue
                shown += 1
                console.print(_side_by_side(p["record_l"], p["record_r"], left, right,
                                            f"audit pair ({p['stratum']})"))
                if interactive and not _ask(case, p["record_l"], p["record_r"],
                                            reason="audit sample"):
                    break
            if skipped:
                console.print(f"{skipped} pair(s) skipped: a record of each is restricted "
                              "from you (one of its users or an admin answers them).")
        progress = audit_progress(case)
        if (progress is not None and progress.quality is not None
                and (progress.stored is None
                     or progress.stored.reviewed != progress.quality.reviewed)):
            progress = store_audit_estimate(case, by=current_user(),
                                            sample_id=progress.sample_id)
    if json_out:
        print_json(progress.to_dict() if progress else None)
    elif progress is None:
        console.print("No audit sample yet: draw one with dadkhah link --audit-sample 200.")
    else:
        console.print(progress.summary(), soft_wrap=True, markup=False)


UNCHECKED_MARK = " ‡"
UNCHECKED_NOTE = ("‡ known only from machine readings no person has checked: the name and "
                  "dates are as a machine read them (check them: dadkhah records verify).\n"
                  "‡ فقط در خوانش‌های ماشینیِ بازبینی‌نشده آمده است: نام و تاریخ‌ها همان است "
                  "که ماشین خوانده است.")


@persons_app.command("list")
@handle_errors
def persons_list(limit: int = typer.Option(50, "--limit", "-n"),
                 offset: int = typer.Option(0, "--offset"),
                 include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
                 json_out: bool = JsonOption) -> None:
    """List persons in the register (as the --user may see them: restricted records)."""
    from dadkhah.register import list_persons

    viewer = cli_viewer(include_restricted, role)
    with _case(read_only=True) as case:
        rows = list_persons(case, limit=limit, offset=offset, viewer=viewer)
    if json_out:
        print_json(rows)
        return
    t = Table("id", "name", "نام", "father", "death", "prison", "records", "sources")
    for p in rows:
        latin = (p["name_latin"] or "") + {"machine": " (machine)", "person": " (checked)"}.get(
            p.get("name_latin_origin") or "", "")
        t.add_row(str(p["id"]) + (UNCHECKED_MARK if p["unverified_only"] else ""), latin,
                  p["name_fa"] or "", p["father_latin"] or "", p["death_earliest"] or "",
                  p["prison_id"] or "", str(p["n_records"]), str(p["n_sources"]))
    console.print(t)
    if any(p["unverified_only"] for p in rows):
        console.print(UNCHECKED_NOTE, markup=False, soft_wrap=True)


@persons_app.command("show")
@handle_errors
def persons_show(person_id: int = typer.Argument(...),
                 include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
                 json_out: bool = JsonOption) -> None:
    """One person with every source record behind it (that the --user may see)."""
    from dadkhah.register import get_person

    with _case(read_only=True) as case:
        p = get_person(case, person_id, viewer=cli_viewer(include_restricted, role))
    if json_out:
        print_json(p)
        return
    for k, v in p.items():
        if k != "records" and v not in (None, "") and v is not False:
            console.print(f"[bold]{k}[/]: {v}", markup=True)
    for r in p["records"]:
        console.print(f"  record {r['id']} (source {r['source_id']}, row {r['row_number']}): "
                      + ", ".join(f"{k}={v}" for k, v in r.items()
                                  if k not in ("id", "source_id", "row_number")),
                      markup=False)


@persons_app.command("merge")
@handle_errors
def persons_merge(keep: int = typer.Argument(...), other: int = typer.Argument(...),
                  reason: str = typer.Option(..., "--reason")) -> None:
    """Merge OTHER into KEEP (a decision every relink respects)."""
    from dadkhah.register import merge_persons

    with _case() as case:
        merge_persons(case, keep, other, by=current_user(), reason=reason,
                      viewer=cli_viewer())
    console.print(f"Person {other} merged into {keep}.")


@persons_app.command("split")
@handle_errors
def persons_split(person: int = typer.Argument(...),
                  records: str = typer.Option(..., "--records",
                                              help="Record ids to move out, e.g. 12,15"),
                  reason: str = typer.Option(..., "--reason")) -> None:
    """Move records out of a person into a new one (a decision every relink respects)."""
    from dadkhah.register import split_person

    try:
        ids = [int(x) for x in records.split(",") if x.strip()]
    except ValueError:
        raise ConfigError(f"--records {records!r} is not a list of record ids.",
                          hint="Write them as 12,15,31.") from None
    with _case() as case:
        new = split_person(case, person, ids, by=current_user(), reason=reason,
                           viewer=cli_viewer())
    console.print(f"Records {ids} now form person {new}.")


PERSON_EXPORT = ["person_id", "record_id", "source_id", "source_slug", "row_number",
                 "name_fa", "name_latin", "name_fa_origin", "name_latin_origin"]


@handle_errors
def export_persons(
    fmt: str = typer.Option("csv", "--format", "-f", callback=choice(RECORD_FORMATS),
                            metavar=metavar(RECORD_FORMATS), help="File format."),
    output: Path | None = typer.Option(None, "--output", "-o"),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
) -> None:
    """One row per (person, source record): the register for outside tools to score (what
    the --user may see)."""
    from dadkhah.register import iter_person_records

    viewer = cli_viewer(include_restricted, role)
    with _case(read_only=True) as case:
        rows = ([row[c] for c in PERSON_EXPORT]
                for row in iter_person_records(case, viewer=viewer))
        n = write_table(rows, PERSON_EXPORT, fmt, output)
    if output:
        console.print(f"Wrote {n:,} rows to {output}")


def register(app: typer.Typer) -> None:
    from dadkhah.cli.case import export_app

    app.command("link")(link)
    app.add_typer(review_app, name="review")
    app.add_typer(persons_app, name="persons")
    export_app.command("persons")(export_persons)
