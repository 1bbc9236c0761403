"""The demo: a fresh case from a simulated SYNTHETIC scenario, through every stage that exists.

Each stage is a function ``stage(ctx) -> None`` appended to :data:`STAGES`; later
capabilities (normalisation, linkage, estimation, reports) add theirs, before
:func:`stage_truth`, which compares the results with the simulation's ground truth (a linkage
stage may leave ``results["persons"]``, an estimation stage ``results["estimates"]``).
Everything the demo shows is SYNTHETIC and says so.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from dadkhah.ingest import import_file
from dadkhah.store import Case
from dadkhah.testing import record_copies

DEMO_SCENARIO = "small"
DEMO_SEED = 1
LISTS_FOLDER = "SYNTHETIC-lists"
"""The demo's lists are simulated into this sub-folder of the case folder."""


@dataclass
class DemoContext:
    location: Path
    case: Case
    say: Callable[[str], None]
    results: dict[str, Any] = field(default_factory=dict)
    stage_number: int = 0

    def step(self, text: str) -> None:
        """Print a stage heading, numbered in the order the stages run."""
        self.stage_number += 1
        self.say(f"[{self.stage_number}] {text}")


def stage_import(ctx: DemoContext) -> None:
    from dadkhah.simulate import run_scenario

    folder = ctx.location / LISTS_FOLDER
    sim, man = run_scenario(DEMO_SCENARIO, folder, seed=DEMO_SEED)
    ctx.results["simulation"] = sim
    ctx.results["manifest"] = man
    ctx.results["truth_file"] = folder / man["files"]["truth"]  # for linkage evaluation
    ctx.step(f"Simulate the {DEMO_SCENARIO!r} scenario (seed {DEMO_SEED}) into {folder} "
            f"and import its {len(man['lists'])} lists (SYNTHETIC data)")
    for lst in man["lists"]:
        ctx.case.add_source(slug=lst["id"], title=lst["title"], kind=lst["kind"],
                            reliability=lst["reliability"], script=lst["script"],
                            notes="SYNTHETIC: made by dadkhah simulate", synthetic=True,
                            by="demo")
        rep = import_file(ctx.case, folder / lst["file"], source=lst["id"], by="demo")
        ctx.say(f"    {lst['file']}: {rep.file_format}, {rep.encoding or 'no text encoding'}, "
                f"{rep.rows_imported:,} records, {rep.rows_rejected} rejected; headers "
                f"{'Persian' if lst['header_language'] == 'fa' else 'English'}, mapping "
                f"{rep.mapping_origin}: " + ", ".join(rep.mapping))
        orders = [o["summary"] for o in rep.date_orders
                  if o["either"] or o["day_first_only"] or o["month_first_only"]]
        if orders:
            ctx.say(f"      numeric dates: {orders[0]}")
    if record_copies(ctx.case, man, by="demo"):
        ctx.say("    " + "; ".join(c.summary() for c in ctx.case.source_copies())
                + " (recorded on the sources: estimates count them together)")
    ctx.results["records"] = ctx.case.count_records()
    ctx.say(f"    {ctx.results['records']:,} source records in the case "
            f"(documented records, not persons: linkage has not run).")


def stage_audit(ctx: DemoContext) -> None:
    rep = ctx.case.verify_audit()
    ctx.step(f"{rep.summary()}")
    ctx.results["audit_ok"] = rep.ok


def stage_normalize(ctx: DemoContext) -> None:
    from collections import Counter

    from dadkhah.names import load_gazetteer, resolve_place
    from dadkhah.register import normalize_case

    rep = normalize_case(ctx.case, by="demo")
    unread = sum(rep.unparsed.values())
    ctx.step(f"Normalise names, dates and places: {rep.records:,} records read; "
            f"{unread:,} values could not be read (kept as written, listed by "
            f"`dadkhah normalize`)")
    kinds = Counter(p.kind for p in load_gazetteer().places.values())
    shown = "; ".join(f"{t!r} → {resolve_place(t, k).id}" for t, k in
                      (("Shahsavar", "city"), ("زندان ساری", "prison")))
    amb = resolve_place("Nurabad", "city")
    ctx.say(f"    gazetteer: {kinds['city']:,} cities (every county seat, OpenStreetMap), "
            f"{kinds['prison']:,} prisons, 1988 provinces; e.g. {shown}; 'Nurabad' stays "
            f"unresolved ({len(amb.candidates)} candidates)")


def stage_link(ctx: DemoContext) -> None:
    from dadkhah.linkage.pipeline import link_case

    rep = link_case(ctx.case, by="demo")
    ctx.results["persons"] = rep.persons
    ctx.results["link_report"] = rep
    ctx.step(f"Link records into persons (splink on DuckDB, Persian-aware): "
            f"{rep.records:,} records → {rep.persons:,} documented persons; "
            f"{rep.review_pairs:,} uncertain pairs await review (`dadkhah review`)")
    refused = ", ".join(f"{k} {v:,}" for k, v in rep.refusals.items()) or "none"
    pf = rep.possible_failures
    leads = (f"; leads for reviewers (no truth needed): {pf['siblings_merged']:,} persons "
             f"that may merge siblings, {pf['duplicates_apart']:,} pairs of persons that may "
             f"be one" if pf else "")
    ctx.say(f"    merges refused: {refused}{leads}")
    from dadkhah.register import review_question, review_queue

    head = review_queue(ctx.case, limit=1)
    if head:
        q = review_question(ctx.case, head[0])

        def shown(r: Any) -> str:
            f = r.fields
            name = f.get("full_name") or " ".join(
                str(f[k]) for k in ("given_names", "surname") if f.get(k)) or "no name"
            return f"{r.record} «{name}»"

        n = len(q.candidates)
        ctx.say(f"    the first review question (`dadkhah review -i`): is record "
                f"{shown(q.focal)} the same person as {' or '.join(map(shown, q.candidates))}? "
                f"one answer decides {'the pair' if n == 1 else f'all {n} pairs'} shown")


DEMO_METHODS = ("lcmcr", "loglinear")
"""Estimators the demo shows side by side: methods resting on different assumptions can
disagree, and a reader must see that rather than one number."""


def stage_estimate(ctx: DemoContext) -> None:
    import warnings

    from dadkhah.estimate import Estimate, estimate_total
    from dadkhah.register import copied_lists, register_histories

    hist = register_histories(ctx.case)
    copied = copied_lists(ctx.case)
    said = copied.notes(hist.lists)
    hist = copied.apply(hist)
    ctx.step(f"Estimate the total (multiple systems estimation over {len(hist.lists)} lists): "
             f"documented {hist.observed:,} persons")
    for note in said:
        ctx.say(f"    {note}")
    estimates = {}
    for method in DEMO_METHODS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            est = estimate_total(hist, method=method, seed=DEMO_SEED)
        if not isinstance(est, Estimate):  # the register's histories here have no strata
            raise TypeError(f"Expected one estimate, got {type(est).__name__}.")
        estimates[method] = est
        low, high = est.interval
        ctx.say(f"    {method:<10} ESTIMATED total {est.total:,.0f}, 95% interval "
                f"{low:,.0f} to {high:,.0f}")
        for w in caught:
            ctx.say(f"      caveat: {w.message}")
    ctx.results["estimates"] = estimates
    _propagated(ctx, estimates)


LINKAGE_DRAWS = 8
"""Registers drawn from the linkage model to carry its uncertainty into the estimate."""


def _draw_registers(ctx: DemoContext) -> Any:
    """The log-linear estimate pooled over registers drawn from the linkage's pair
    probabilities (calibrated on the audit sample's answers once there are some)."""
    import warnings

    from dadkhah.estimate import make_estimator
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import copied_lists, linkage_uncertainty
    from dadkhah.register.linkage_draws import estimate_over_draws

    unc = linkage_uncertainty(ctx.case, features=compute_features)
    fit = make_estimator("loglinear", seed=DEMO_SEED)
    copied = copied_lists(ctx.case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the caveats were printed with the fixed estimates
        return estimate_over_draws(unc, fit, n=LINKAGE_DRAWS, seed=DEMO_SEED,
                                   cluster=cluster_records, prepare=copied.apply)


def _propagated(ctx: DemoContext, estimates: dict[str, Any]) -> None:
    """The log-linear estimate over registers drawn from the linkage's pair probabilities,
    and whether one headline number may be shown (as `dadkhah estimate` does)."""
    from dadkhah.estimate import judge_headline
    from dadkhah.register import audit_progress

    prop = _draw_registers(ctx)
    e, f = prop.estimate, prop.fixed
    lo, _, hi = prop.persons
    ctx.say(f"    loglinear with linkage uncertainty ({prop.n_draws} registers drawn from "
            f"{prop.uncertain_pairs:,} uncertain pairs; {lo:,} to {hi:,} persons"
            + (f", register {prop.register_persons:,}" if prop.register_persons else "")
            + f"): {e.total:,.0f} [{e.interval.low:,.0f}, {e.interval.high:,.0f}]; register "
            f"taken as certain {f.total:,.0f} [{f.interval.low:,.0f}, "
            f"{f.interval.high:,.0f}]; centre moved {prop.centre_shift:+.1%} by linkage; "
            f"{prop.linkage_share:.0%} of the width from linkage")
    prog = audit_progress(ctx.case)
    quality = (prog.stored or prog.quality) if prog is not None and prog.current else None
    alternatives = [est for m, est in estimates.items() if m != "loglinear"]
    head = judge_headline(e, alternatives=alternatives, quality=quality,
                          quality_required=True)
    ctx.results["propagated"], ctx.results["headline"] = prop, head
    ctx.say(f"    headline: {head.text()}")


def stage_truth(ctx: DemoContext) -> None:
    """How the documented numbers compare with the truth: possible only with synthetic data."""
    sim = ctx.results.get("simulation")
    if sim is None:
        return
    ctx.step("Compared with the truth — possible ONLY because the data are SYNTHETIC "
            "(for real lists nobody knows the true total)")
    total, observed = sim.true_total, sim.observed()
    records = ctx.results.get("records", 0)
    ctx.say(f"    true number of victims:            {total:,}")
    ctx.say(f"    named on at least one list:        {observed:,} ({observed / total:.0%}); "
            f"{total - observed:,} on no list")
    ctx.say(f"    source records imported:           {records:,} "
            f"({records / observed:.2f} records per named person: overlaps between lists "
            f"and duplicates within them)")
    persons = ctx.results.get("persons")
    if isinstance(persons, int):
        ctx.say(f"    persons in the register (linkage): {persons:,} "
                f"({persons - observed:+,} against the {observed:,} truly named)")
        from dadkhah.linkage.evaluate import evaluate_clusters
        from dadkhah.register import register_of
        from dadkhah.testing import record_truth

        ev = evaluate_clusters(register_of(ctx.case),
                               record_truth(ctx.case, ctx.location / LISTS_FOLDER))
        ctx.say(f"    linkage against the truth:         pairwise precision "
                f"{ev.pairwise_precision:.3f}, recall {ev.pairwise_recall:.3f}, F1 "
                f"{ev.pairwise_f1:.3f}; B-cubed F1 {ev.bcubed_f1:.3f}")
        _audit_sample(ctx, record_truth(ctx.case, ctx.location / LISTS_FOLDER))
    estimates = ctx.results.get("estimates", {})
    for method, est in estimates.items():
        low, high = est.interval
        covered = "covers" if low <= total <= high else "MISSES"
        ctx.say(f"    estimated total ({method}):{' ' * (13 - len(method))}{est.total:,.0f} "
                f"[{low:,.0f}, {high:,.0f}]; the interval {covered} the true {total:,}")
    if estimates:
        # The same estimators on the true capture histories (perfect linkage) separate what
        # linkage errors do to the estimate from what the estimators' assumptions do.
        import warnings

        from dadkhah.estimate import Estimate, estimate_total
        from dadkhah.register import copied_lists

        # counted as the register's were: a copying list together with the list it copies
        true_hist = copied_lists(ctx.case).apply(sim.capture_histories())
        ctx.say("    the same estimators on the TRUE capture histories (perfect linkage, "
                f"{len(true_hist.lists)} lists as above):")
        missed = 0
        for method in estimates:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est = estimate_total(true_hist, method=method, seed=DEMO_SEED)
            if not isinstance(est, Estimate):  # the true histories here have no strata
                raise TypeError(f"Expected one estimate, got {type(est).__name__}.")
            low, high = est.interval
            covered = "covers" if low <= total <= high else "MISSES"
            missed += covered == "MISSES"
            ctx.say(f"      {method:<10} {est.total:,.0f} [{low:,.0f}, {high:,.0f}]; "
                    f"the interval {covered} the true {total:,}")
        if missed:
            ctx.say("      a miss even with perfect linkage comes from the estimators' "
                    "assumptions, not from linkage: this scenario has a latent "
                    "hard-to-document group that every list names less often")
    ctx.results["truth"] = {"true_total": total, "observed": observed}


def _audit_sample(ctx: DemoContext, truth: Any) -> None:
    """Quality as it is measured on real lists — a reviewed random sample of pairs — with the
    sample answered from the synthetic truth, as a careful reviewer would answer it."""
    from dadkhah.register import (
        audit_answers,
        draw_audit_sample,
        record_decision,
        store_audit_estimate,
    )

    draw_audit_sample(ctx.case, AUDIT_PAIRS, by="demo", seed=1)
    for p in audit_answers(ctx.case):
        same = truth[p["record_l"]] == truth[p["record_r"]]
        record_decision(ctx.case, p["record_l"], p["record_r"], "match" if same else "no_match",
                        by="demo-reviewer", reason="audit sample, answered from the SYNTHETIC "
                                                   "truth")
    q = store_audit_estimate(ctx.case, by="demo").quality
    if q is not None:
        ctx.say(f"    the same, estimated without the truth from {AUDIT_PAIRS} reviewed pairs "
                f"(dadkhah link --audit-sample): precision {q.precision:.3f} "
                f"[{q.precision_low:.3f}, {q.precision_high:.3f}], recall among scored pairs "
                f"{q.recall:.3f} [{q.recall_low:.3f}, {q.recall_high:.3f}]")
        # The answers also calibrate the pair probabilities the draws use: given the
        # register's decision the model's own probabilities are not calibrated.
        prop = _draw_registers(ctx)
        e, (lo, _, hi) = prop.estimate, prop.persons
        before = ctx.results.get("propagated")
        ctx.say(f"    loglinear with linkage uncertainty, pair probabilities calibrated on "
                f"these answers: {e.total:,.0f} [{e.interval.low:,.0f}, "
                f"{e.interval.high:,.0f}]; drawn registers {lo:,} to {hi:,} persons; centre "
                f"moved {prop.centre_shift:+.1%} by linkage"
                + (f" (uncalibrated: {before.centre_shift:+.1%})" if before else ""))


def stage_scans(ctx: DemoContext) -> None:
    """A SYNTHETIC scanned list read by OCR: machine readings with their page, box and name
    correction proposals, unverified until a person checks them.  Imported after the truth
    stage, whose figures are about the simulated lists only (the scanned entries are
    invented persons outside that truth), and not linked: a relink would include them."""
    ctx.step("Scanned list: a SYNTHETIC page of 1988-style entries, read by OCR")
    if shutil.which("tesseract") is None:
        ctx.say("    skipped: tesseract is not installed (bash scripts/system-deps.sh installs "
                "it with its Persian data)")
        return
    import json

    from dadkhah.simulate.scans import ScanSpec, render_scans, write_scans

    doc = render_scans(ScanSpec(entries=SCAN_ENTRIES), seed=DEMO_SEED)
    (png,) = write_scans(doc, ctx.location / LISTS_FOLDER / "SYNTHETIC-scan.png")
    ctx.case.add_source(slug="scan-1", title="Scanned list (SYNTHETIC)", kind="other",
                        script="persian", notes="SYNTHETIC: made by dadkhah.simulate.scans",
                        synthetic=True, by="demo")
    rep = import_file(ctx.case, png, source="scan-1", by="demo")
    d = rep.document or {}
    pages = d.get("pages", [])
    ocr = sum(1 for pg in pages if pg["method"] == "ocr")
    ctx.say(f"    {png.name}: {len(doc.entries)} entries printed; {ocr} of {len(pages)} "
            f"page(s) read by OCR ({d.get('engine')}); {rep.rows_imported:,} records, "
            f"{rep.rows_rejected} rejected; {d.get('proposals', 0):,} correction(s) proposed")
    recs = ctx.case.records(source="scan-1")
    raws = [(r, json.loads(r.raw)) for r in recs]
    rec, raw = next(((r, x) for r, x in raws if x.get("proposals")), raws[0])
    ctx.say(f"    record {rec.id}: page {raw['page']}, box {raw['box']} ({raw['box_unit']}), "
            f"confidence {raw.get('confidence', 0):.0f}: «{raw['reading']}»")
    for p in raw.get("proposals") or []:
        ctx.say(f"      proposed {p['field']}: «{p['reading']}» → «{p['proposed']}» "
                f"({p['why']})")
    ctx.say("    imported as unverified machine readings (the fields as read, until a person "
            "checks them against the page); relink to include them in the register")
    from io import BytesIO

    from PIL import Image

    from dadkhah.casefile import keep_document, record_line_image
    from dadkhah.documents import unverified_records, verify_entry

    kept = keep_document(ctx.case, png, source="scan-1", by="demo")
    if kept is not None:
        ctx.say(f"    the scan kept as evidence {kept.id} (sha256 {kept.sha256[:12]}…, "
                f"custody logged), found again by each record's file SHA-256")
        line = record_line_image(ctx.case, rec.id, by="demo", role="admin")
        w, h = Image.open(BytesIO(line)).size
        ctx.say(f"    record {rec.id}'s line cut from the page for checking: {w}×{h} px PNG "
                f"(dadkhah records unverified; /team/verify in the workspace)")
    v = verify_entry(ctx.case, rec.id, by="demo", accept_proposals=True,
                     note="SYNTHETIC: the demo accepts the proposals it printed")
    ctx.say(f"    {v.summary()}; the raw row keeps the machine reading; "
            f"{len(unverified_records(ctx.case, source='scan-1')):,} reading(s) left to check")
    ctx.results["scan_import"] = rep


SCAN_ENTRIES = 25
"""Entries on the demo's scanned page (one A4 page at 200 dpi)."""


def stage_tamper(ctx: DemoContext) -> None:
    """Tamper evidence on a COPY of the case (the demo case is never touched): a signed
    checkpoint, a figure changed with sqlite3, the last audit entry cut."""
    import sqlite3
    import tempfile

    from dadkhah.store.integrity_anchor import checkpoint_case, verify_case

    ctx.step("Tamper evidence, shown on a copy of the case (sqlite3 edits as an attacker "
             "with the file would make them)")
    with tempfile.TemporaryDirectory(prefix="dadkhah-demo-tamper-") as tmp:
        root = Path(tmp)
        # the key and the checkpoint file stay in the temporary folder, not ~/.config
        key, anchors = root / "key.pem", root / "anchors.jsonl"
        edited, cut = root / "edited", root / "cut"
        _copy_case(ctx, edited)
        with Case.open(edited, read_only=True) as copy:
            cp, _, _ = checkpoint_case(copy, key_file=key, out=anchors)
        _copy_case(ctx, cut, source=edited)
        ctx.say(f"    checkpoint signed: {cp.entries} audit entries (dadkhah audit checkpoint)")
        db = sqlite3.connect(edited / "case.db")
        # dadkhah's triggers call dadkhah_tx(); an attacker can define it too
        db.create_function("dadkhah_tx", 0, lambda: "outside")
        with db:
            fid = db.execute("SELECT min(id) FROM figures").fetchone()[0]
            db.execute("UPDATE figures SET value_text = '50', low = 50, high = 50 "
                       "WHERE id = ?", (fid,))
        db.close()
        with Case.open(edited, read_only=True) as copy:
            report = copy.verify_audit()
        found = [r for r in report.tampered if r.table == "figures"]
        ctx.say(f"    a figure changed to 50 with sqlite3: "
                f"{found[0].message() if found else report.problem}")
        db = sqlite3.connect(cut / "case.db")
        with db:
            db.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
        db.close()
        with Case.open(cut, read_only=True) as copy:
            report = verify_case(copy, [anchors], key_file=key)
        ctx.say(f"    the last audit entry cut, verified against the checkpoint: "
                f"{report.problem if not report.ok else 'NOT detected'}")
    ctx.results["tamper_detected"] = bool(found) and not report.ok


def stage_backup(ctx: DemoContext) -> None:
    """An encrypted backup of the demo case (age format), verified, restored into a
    temporary folder, and the restored copy's audit chain checked."""
    import tempfile

    from dadkhah.store.backup import create_backup, generate_key, restore_backup, verify_backup

    ctx.step("Encrypted backup (age format): made with the public key only, verified, "
             "restored elsewhere (dadkhah backup create / verify / restore)")
    with tempfile.TemporaryDirectory(prefix="dadkhah-demo-backup-") as tmp:
        root = Path(tmp)
        key = root / "backup.key"
        generate_key(key)
        made = create_backup(ctx.case, root / "case.age", key_file=f"{key}.pub", by="demo")
        check = verify_backup(made.file, key_file=key)
        restored = restore_backup(made.file, key_file=key, to=root / "restored", by="demo")
        ctx.say(f"    {len(made.members)} files, {made.size / 1e6:.1f} MB encrypted; "
                f"{'verified' if check.ok else 'PROBLEMS: ' + '; '.join(check.problems)}; "
                f"restored copy: {restored.audit.summary()}")
    ctx.results["backup_ok"] = check.ok and restored.audit.ok


def _copy_case(ctx: DemoContext, target: Path, *, source: Path | None = None) -> None:
    """A consistent copy of the case's database (SQLite's backup: the open case is in WAL
    mode, so copying the file alone could miss committed writes)."""
    import sqlite3

    target.mkdir(parents=True)
    src = sqlite3.connect((source or ctx.location) / "case.db")
    dst = sqlite3.connect(target / "case.db")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def stage_web(ctx: DemoContext) -> None:
    """An admin for the web application, and the estimates stored for its dashboard."""
    import secrets

    from dadkhah import users
    from dadkhah.register import store_estimates

    password = secrets.token_urlsafe(12)
    users.add_user(ctx.case, "demo", password, role="admin", by="demo")
    if ctx.results.get("estimates"):
        store_estimates(ctx.case, ctx.results["estimates"], by="demo")
    ctx.results["web_password"] = password
    ctx.step("Web application: admin user 'demo' created (SYNTHETIC case)")
    ctx.say(f"    password: {password}")
    ctx.say(f"    start it with: dadkhah --case {ctx.location} serve   "
            f"then open http://localhost:8000/team/")
    ctx.say("    an admin sets up a second factor at the first login (authenticator app or "
            "security key; serve --require-2fa none to skip it on your own machine)")
    ctx.say("    imports, relinks, estimates and reports run there as background jobs "
            "(/team/jobs); review shows why a pair was proposed, and z undoes a decision")


def stage_casefile(ctx: DemoContext) -> None:
    """The 1988 example case file beside the synthetic register, and one actor's dossier."""
    from dadkhah import casefile

    rep = casefile.load_example(ctx.case, by="demo")
    ctx.step("Case file: the 1988 example (public facts with citations, NOT synthetic) "
             "beside the synthetic register")
    ctx.say("    " + rep.summary())
    killed = [f for f in casefile.list_figures(ctx.case, "massacre-1988")
              if f.quantity == "killed"]
    ctx.say(f"    {len(killed)} figures for the number killed, side by side, each with its "
            f"source (never reconciled), e.g. {killed[0].summary()}")
    path = casefile.write_dossier(ctx.case, "raisi", ctx.location / "dossier-raisi.html",
                                  by="demo")
    ctx.results["dossier"] = path
    ctx.say(f"    dossier of one actor: {path}")
    ctx.say("    " + casefile.verify_evidence(ctx.case, by="demo").summary())
    points = casefile.map_points(ctx.case)
    sites = sum(1 for p in points if p.kind == "burial")
    from dadkhah.casefile.geo import borders_after_1988, provinces

    ctx.say(f"    offline map: {sites} burial sites and {len(points) - sites} prisons over "
            f"{len(provinces())} provinces ({len(borders_after_1988())} borders drawn after "
            f"1988 dashed) (/team/casefile/map; the memorial's at /places); "
            f"{len(casefile.list_events(ctx.case))} events on the timeline "
            f"(/team/casefile/timeline)")


def stage_report(ctx: DemoContext) -> None:
    """The casualty report (HTML, and PDF when Chromium is installed) in the case folder."""
    from dadkhah.report import chromium_path, write_report
    from dadkhah.web.i18n import render_wording

    pdf = chromium_path() is not None
    # The totals printed above are reused; by prison only the fast log-linear models run.
    res = write_report(ctx.case, ctx.location / "report.html", pdf=pdf, by=("prison",),
                       methods=("loglinear",), headline="lcmcr", seed=DEMO_SEED,
                       precomputed=ctx.results.get("estimates") or {},
                       command=f"dadkhah demo (report stage: totals from the estimate stage, "
                               f"seed {DEMO_SEED}; log-linear by prison)", actor="demo",
                       persian=partial(render_wording, "fa"))
    ctx.results["report"] = res
    ctx.step("Casualty report (SYNTHETIC data): documented and estimated numbers, plots, "
             "methods, reproducibility")
    ctx.say(f"    {res.html}")
    ctx.say(f"    {res.pdf}" if res.pdf else "    (no PDF: Chromium is not installed; "
            "bash scripts/system-deps.sh installs it)")
    entry = ctx.case.audit_entries(limit=1, action="report.write")
    if entry:
        e = entry[0]
        ctx.say(f"    reads are audited too: entry {e.id} '{e.action}' by {e.actor} at "
                f"{str(e.at)[:19]} (dadkhah audit log --action report)")


def stage_portal(ctx: DemoContext) -> None:
    """The public memorial: the SYNTHETIC persons published (labelled so on every page), and
    one article of public facts about 1988, each footnoted with its source."""
    from collections import Counter

    from dadkhah import portal

    rep = portal.publish(ctx.case, portal.synthetic_person_ids(ctx.case), by="demo",
                         role="admin")
    art = portal.add_article(ctx.case, **portal.example_article(), public=True,
                             by="demo", role="admin")
    ctx.results["published"] = len(rep.changed)
    ctx.step(f"Public memorial portal: {len(rep.changed):,} SYNTHETIC persons published "
             f"(labelled SYNTHETIC on their pages); article '{art.slug}' with "
             f"{len(art.footnotes)} footnoted sources")
    entries, _ = portal.memorial_entries(ctx.case, limit=1_000_000)
    origin = Counter(e.name_latin_origin for e in entries if e.name_latin)
    machine = next((e for e in entries if e.name_latin_origin == "machine"), None)
    ctx.say(f"    Latin names: {origin['source']:,} as written by a source, "
            f"{origin['machine']:,} machine transliterations (marked so on every page), "
            f"{origin['person']:,} checked by a person"
            + (f"; e.g. «{machine.name_fa}» → {machine.name_latin}" if machine else ""))
    ctx.say(f"    open http://localhost:8000/ once `dadkhah --case {ctx.location} serve` runs")


AUDIT_PAIRS = 150
"""Pairs of the demo's audit sample (answered from the synthetic truth)."""

STAGES: list[Callable[[DemoContext], None]] = [
    stage_import, stage_normalize, stage_link, stage_estimate, stage_web, stage_casefile,
    stage_portal, stage_audit, stage_tamper, stage_backup, stage_truth, stage_scans, stage_report]


def run_demo(location: str | Path, *, say: Callable[[str], None] = print,
             replace: bool = True) -> dict[str, Any]:
    """Build a fresh demo case at ``location`` and run every stage; returns the results."""
    loc = Path(location)
    if loc.exists() and replace:
        if not (loc / "case.db").exists() and any(loc.iterdir()):
            from dadkhah.errors import ConfigError

            raise ConfigError(f"{loc} exists and is not a dadkhah case; not replacing it.",
                              hint="Choose another folder with --case.")
        shutil.rmtree(loc)
    say(f"dadkhah demo — a SYNTHETIC register beside a case file of public facts; case at "
        f"{loc}")
    with Case.create(loc, by="demo") as case:
        ctx = DemoContext(loc, case, say)
        for stage in STAGES:
            stage(ctx)
    return ctx.results
