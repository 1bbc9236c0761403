"""Run the linkage model on a features table: train, predict, cluster.

This is the store-free core (:func:`link_features`): benchmarks and the simulator's truth
use it directly; :mod:`dadkhah.linkage.pipeline` wraps it for a case.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, cast

import duckdb
import numpy as np
import pandas as pd
from splink.internals.comparison_vector_values import (
    compute_comparison_vector_values_from_id_pairs_sqls,
)
from splink.internals.exceptions import EMTrainingException
from splink.internals.pipeline import CTEPipeline
from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings
from splink.internals.term_frequencies import (
    _join_tf_to_input_table_sql,
    append_term_frequencies_to_pipeline,
)
from splink.internals.vertically_concatenate import vertically_concatenate_sql

from dadkhah.errors import LinkageError
from dadkhah.linkage.active import fit_recalibration, labelled_pairs, probability_of_log2_odds
from dadkhah.linkage.blocking import mark_dense_blocks, pairs_sql
from dadkhah.linkage.cluster import (
    ClusterResult,
    UnresolvedMentions,
    cluster_records,
    unresolved_mentions,
)
from dadkhah.linkage.lists_once import lists_naming_once
from dadkhah.linkage.settings import (
    BLOCKING_KEYS,
    DEFAULT_THRESHOLD,
    DETERMINISTIC_RULES,
    TRAINING_RULES,
    model_settings,
    monotone_levels,
)

if TYPE_CHECKING:
    from splink import Linker


class EMFallbackWarning(UserWarning):
    """An EM training session could not train (e.g. its blocking rule admits no pair);
    linkage went on with the m values the comparisons had before that session."""


Progress = Callable[[str], None]


@dataclass(frozen=True)
class LinkResult:
    """Scored pairs, clusters and what training found."""

    features: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)  # unique_id_l, unique_id_r, match_probability,…
    clusters: ClusterResult = field(repr=False)
    threshold: float = DEFAULT_THRESHOLD
    prior: float = 0.0  # probability two random records match, as used for prediction
    model: dict[str, Any] = field(default_factory=dict, repr=False)
    notes: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    backend: str = "duckdb"
    # the term-frequency tables scored with (:func:`person_term_frequencies`), or None for
    # splink's own (over records); pass with ``model`` to score exactly as this run did
    term_frequencies: dict[str, pd.DataFrame] | None = field(default=None, repr=False)
    # given-name-only records left alone, and the persons they are expected to add
    mentions: UnresolvedMentions = field(default_factory=UnresolvedMentions, repr=False)

    @property
    def n_records(self) -> int:
        return len(self.features)

    @property
    def n_persons(self) -> int:
        return self.clusters.n_clusters

    @property
    def expected_persons(self) -> float:
        """Persons of the register, counting each given-name-only record left alone
        (:attr:`mentions`) at the probability that no other record names its person."""
        return self.n_persons - self.mentions.count + self.mentions.expected_new

    def summary(self) -> str:
        t = ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
        refused = self.clusters.refusal_counts()
        lines = [
            f"{self.n_records:,} records → {self.n_persons:,} persons "
            f"(threshold {self.threshold}, {len(self.pairs):,} scored pairs, backend "
            f"{self.backend})",
            f"prior P(two random records match) = {self.prior:.3g}",
            f"time: {t}",
        ]
        if refused:
            lines.append("merges refused (average: the two groups' mean log-odds below "
                         "the threshold's; others: inconsistent fields or decisions): "
                         + ", ".join(f"{k} {v}" for k, v in refused.items()))
        if self.clusters.attached:
            lines.append(f"{len(self.clusters.attached):,} records naming only a given name "
                         "or only a surname joined to the person that name, town and birth "
                         "year most "
                         "probably name among the register's namesakes (right about two times "
                         "in three on simulated lists: worth review)")
        if self.mentions.count:
            lines.append(f"{self.mentions.count:,} records naming only a given name fit "
                         "several persons or none: each is a person of the register, but "
                         f"about {self.mentions.expected_new:,.0f} of them are persons no "
                         f"other record names (an estimated "
                         f"{100 * self.mentions.share_in_register:.0f}% of such records "
                         f"name someone other records name): about "
                         f"{self.expected_persons:,.0f} persons in all")
        lines.extend(f"note: {n}" for n in self.notes)
        for c in self.clusters.conflicts:
            lines.append(f"CONFLICT: {c.describe()}")
        return "\n".join(lines)


DUCKDB_MEMORY_ENV = "DADKHAH_DUCKDB_MEMORY"
DUCKDB_MEMORY_DEFAULT = "1.5GB"
"""DuckDB's memory limit for linkage unless ``$DADKHAH_DUCKDB_MEMORY`` says otherwise (a size
such as ``6GB``, or ``default`` for DuckDB's own, 80% of the machine).  DuckDB spills what is
over it to an owner-only temporary folder removed with the connection: on ``large`` (270k
records, idle 2-core machine) the whole linkage took 147 s at 4.1 GB peak with no limit, 175 s
at 3.1 GB with a 2 GB limit (``python benchmarks/scale_bench.py --scenario large --no-rules``).
At 1.5 GB (session 9, pairs made in parts) the densest-names ``large`` peaked at 3,690 MB
against 4,171 MB at 2 GB, the default ``large`` at 2,971 against 3,474 MB, with no more CPU and
the same registers (one run each: ``benchmarks/scale_bench.py``; docs/history.md, "Speed and
memory at scale")."""


def _db_api(backend: str, spark: Any = None):
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        limit = os.environ.get(DUCKDB_MEMORY_ENV, DUCKDB_MEMORY_DEFAULT).strip()
        if limit.lower() == "default":
            return DuckDBAPI()
        spill = tempfile.mkdtemp(prefix="dadkhah-linkage-")  # mode 0700: records spill here
        try:
            con = duckdb.connect(config={"memory_limit": limit, "temp_directory": spill})
        except duckdb.Error as exc:
            shutil.rmtree(spill, ignore_errors=True)
            raise LinkageError(f"${DUCKDB_MEMORY_ENV}={limit!r} is not a memory size DuckDB "
                               f"reads ({exc}).",
                               hint="Give a size such as 2GB or 6GB, or 'default'.") from exc
        weakref.finalize(con, shutil.rmtree, spill, True)
        return DuckDBAPI(con)
    if backend == "spark":
        from dadkhah.linkage.spark import spark_api

        return spark_api(spark)
    raise LinkageError(f"Unknown linkage backend {backend!r}.", hint="Use duckdb or spark.")


def _register_records(db: Any, features: pd.DataFrame, backend: str, name: str) -> Any:
    """``features`` registered as the table ``name`` of the database (a splink dataframe).

    On DuckDB copied into a table of its own rather than registered as a view over the
    pandas frame: every query scans the records again (the blocking SQL scans them some
    fifty times a part, one join per rule), and scanning a pandas frame converts its
    Python strings anew each time.  On the densest names at 75,000 persons (101,159
    records, 15.5 million candidate pairs in 4 parts) the candidate pairs took 13.0 s of
    CPU from the table against 18.1 s from the frame, the same pairs (the same column
    types: text, 64-bit integers, booleans)."""
    if backend != "duckdb":
        return db.register(features, dataset_display_name=name)
    con = db.duckdb_con
    view = f"dadkhah_frame_{name}"
    con.register(view, _coded(features))
    try:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)
    return db.register(name, dataset_display_name=name)


CODED_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("full_key",), ("text_key",), ("given_shape",), ("surname_shape",), ("given_print",),
    ("surname_print",), ("initial",), ("father_skel",), ("given_skel",), ("surname_skel",),
    ("given_qg",), ("surname_qg",), ("sex",), ("prison_id",), ("region_id",),
    ("city_id", "prison_city"), ("aff_id", "aff_parent", "aff_root"),
)
"""Text columns the model and the blocking rules only test for equality (with each other
within a group), stored in DuckDB as integer codes (:func:`_coded`)."""


def _coded(features: pd.DataFrame) -> pd.DataFrame:
    """``features`` with each group of :data:`CODED_COLUMNS` present replaced by integer
    codes shared within the group (equal text, equal code; missing stays missing), so
    that every equality between them holds exactly as between the texts."""
    out = features.copy()
    for group in CODED_COLUMNS:
        cols = [c for c in group if c in out.columns]
        if not cols:
            continue
        codes, _ = pd.factorize(pd.concat([out[c] for c in cols], ignore_index=True))
        n = len(out)
        for k, c in enumerate(cols):
            part = codes[k * n:(k + 1) * n]
            out[c] = pd.array(np.where(part < 0, 0, part), dtype="Int32")
            out.loc[part < 0, c] = pd.NA
    return out


def link_features(
    features: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_probability: float = 0.01,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    backend: str = "duckdb",
    seed: int = 1988,
    reestimate_prior: bool = True,
    estimate_prior: bool = True,
    model: dict[str, Any] | None = None,
    max_u_pairs: float = 2e6,
    progress: Progress | None = None,
    spark: Any = None,
    labels: Iterable[tuple[Any, ...]] = (),
    person_frequencies: bool = True,
    term_frequencies: dict[str, pd.DataFrame] | None = None,
    machine_readings: Iterable[int] = (),
) -> LinkResult:
    """Train the model on ``features``, score candidate pairs, cluster into persons.

    ``model`` is a trained model (``LinkResult.model``, splink's JSON): when given, training
    is skipped and the same parameters score the pairs, so two backends or two runs can be
    compared exactly (with ``term_frequencies=LinkResult.term_frequencies`` too).

    ``person_frequencies``: after a first clustering, count the names' frequencies (which
    temper the weight of an equal name) over its persons rather than over records
    (:func:`person_term_frequencies`), and score again.  ``term_frequencies``: use these
    tables instead from the start (scored once).

    ``machine_readings``: ids of records that are machine readings of a document no person
    has checked yet (:func:`dadkhah.documents.unverified_records`); every pair with one of
    them is scored with its field weights tempered by :data:`OCR_MISREAD_SHARE`
    (:func:`temper_machine_readings`), before clustering and before the review band.

    ``labels`` are reviewers' decisions, ``(a, b)`` (a match) or ``(a, b, is_match)``: when
    at least :data:`MIN_LABELS` of them are among the scored pairs, the scored pairs are
    re-fitted on them (:func:`dadkhah.linkage.active.fit_recalibration`: the prior and a
    scale per comparison weight, shrunk towards the trained model; valid although reviewed
    pairs are not a random sample) and clustered again.  Decisions bind the clustering only
    through ``must_link``/``cannot_link``.

    ``threshold`` is the match probability at which a scored pair links two records;
    pairs down to ``min_probability`` are kept (for review and threshold sweeps).
    The prior probability that two random records match is first estimated from
    deterministic rules; with ``estimate_prior`` it is then taken from EM, with the recall of
    EM's name blocking rule estimated by EM too (:func:`_prior_from_em`); then it is
    re-estimated once from the clusters it gives if they imply a prior off by more than a
    factor of two, since a wrong
    prior shifts every probability (a generic configuration's prior was found 20–55 times
    too low on data like these).
    """
    from splink import Linker

    say = progress or (lambda _msg: None)
    must, cannot = list(must_link), list(cannot_link)  # used more than once below
    readings = np.unique(np.fromiter(machine_readings, dtype=np.int64))
    if len(features) < 2:
        raise LinkageError("Linkage needs at least two records.",
                           hint="Import source lists first (dadkhah import).")
    logging.getLogger("splink").setLevel(logging.ERROR)  # per-level EM chatter
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    db = _db_api(backend, spark)
    features = mark_dense_blocks(features, BLOCKING_KEYS)  # the flags capped rules read
    df = _register_records(db, features, backend, "records")
    notes: list[str] = []
    if len(readings):
        notes.append(f"{len(readings):,} machine reading(s) of documents no person has "
                     f"checked: each of their fields counted as misread with probability "
                     f"{OCR_MISREAD_SHARE:g} (a disagreement weighs less) in every pair")
    linker = Linker(df, model_settings(), log_level=None)
    if model is not None:
        _apply_parameters(linker, model)
        reestimate_prior = False
    else:
        _train(linker, say, seed, max_u_pairs, notes)
        if estimate_prior:
            _prior_from_em(linker, features, notes)
        _u_without_matches(linker, notes)
    timings["train"] = time.perf_counter() - t0

    say("predicting")
    tf = term_frequencies
    if tf is not None:
        _use_term_frequencies(linker, db, tf)
    with _timed(timings, "blocking"):
        vectors = _comparison_vectors(linker, db, df, backend)  # once for every scoring
        blocked = _blocked_pairs(db, df, backend) if vectors is None else None  # likewise
    with _timed(timings, "scoring"):
        pairs = _predict(linker, min_probability, blocked, readings, vectors)
        pairs = _score_within_groups(db, features, pairs, linker, threshold, min_probability,
                                     tf=tf, backend=backend, readings=readings)
    prior = float(linker._settings_obj._probability_two_random_records_match)
    with _spilled(db, backend, vectors), _timed(timings, "clustering"):
        clusters = _cluster(features, pairs, threshold, must, cannot)
        # lists that name each person once, as this first clustering shows: every later
        # clustering keeps two records of one of them apart
        once = lists_naming_once(features, pairs, clusters.assignment)
    if once:
        notes.append(f"{len(once)} list(s) read as naming each person once (source ids "
                     f"{', '.join(map(str, sorted(once)))}): two records of one of them are "
                     f"never one person unless a reviewer says so")
    # Re-estimate the prior from the register it produced, then score again.
    n = len(features)
    sizes = clusters.assignment.value_counts().to_numpy().astype(np.int64)
    implied = float((sizes * (sizes - 1) // 2).sum()) / (n * (n - 1) / 2)
    notes.append(f"prior used {prior:.3g}; implied by the clusters "
                 f"{implied:.3g}")
    rescore = False
    if reestimate_prior and implied > 0 and not 0.5 < implied / prior < 2:
        say(f"re-scoring with prior {implied:.3g} (was {prior:.3g})")
        linker._settings_obj._probability_two_random_records_match = implied
        prior = implied
        rescore = True
    if person_frequencies and model is None and term_frequencies is None:
        with _timed(timings, "clustering"):
            tf = person_term_frequencies(features, clusters.assignment)
        _use_term_frequencies(linker, db, tf)
        rescore = True
        notes.append("name frequencies counted over persons of a first clustering, not "
                     "over records (a person named in many lists is not many namesakes)")
    if rescore:
        del pairs  # the first scoring's frame is not held beside the second's
        with _timed(timings, "scoring"):
            pairs = _predict(linker, min_probability, blocked, readings, vectors)
            _drop_tables(blocked, vectors)  # scored for the last time: out of DuckDB's memory
            blocked = vectors = None
            pairs = _score_within_groups(db, features, pairs, linker, threshold,
                                         min_probability, tf=tf, backend=backend,
                                         readings=readings)
    if rescore or once:
        with _timed(timings, "clustering"):
            clusters = _cluster(features, pairs, threshold, must, cannot, once_lists=once)
    _drop_tables(blocked, vectors)
    model = linker.misc.save_model_to_json()
    with _timed(timings, "decisions"):
        pairs, clusters, prior = _learn_from_decisions(features, pairs, clusters, prior,
                                                       labels, threshold, min_probability,
                                                       must, cannot, model, notes, say,
                                                       once)
    mentions = unresolved_mentions(features, clusters.assignment, pairs, prior)
    return LinkResult(features, pairs, clusters, threshold, prior, model, tuple(notes),
                      timings, backend, tf, mentions)


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the block's wall-clock seconds to ``timings[stage]`` (a stage may run twice)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


SPILLED_LIMIT = "64MB"
"""DuckDB's memory limit while :func:`_spilled` holds the stored vectors on disk."""


@contextmanager
def _spilled(db: Any, backend: str, vectors: Any) -> Iterator[None]:
    """Within the block, DuckDB's memory limit lowered to :data:`SPILLED_LIMIT`, so that
    the stored comparison ``vectors`` it keeps for the next scoring go to its temporary
    folder (DuckDB writes out what is over a lowered limit at once, and frees the memory)
    while Python clusters; the limit restored after.  Nothing done where the vectors are
    not stored (None) or DuckDB's own limit is in force (``$DADKHAH_DUCKDB_MEMORY`` =
    ``default``: no private spill folder), or where DuckDB cannot lower it.

    At the densest names the vectors filled DuckDB's 1.5 GB during the first clustering,
    the peak of the whole linkage."""
    limit = os.environ.get(DUCKDB_MEMORY_ENV, DUCKDB_MEMORY_DEFAULT).strip()
    if backend != "duckdb" or vectors is None or limit.lower() == "default":
        yield
        return
    con = db.duckdb_con
    try:
        con.execute(f"SET memory_limit = '{SPILLED_LIMIT}'")
    except duckdb.Error:  # what it holds could not be written out: left as it is
        con.execute(f"SET memory_limit = '{limit}'")
        yield
        return
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{limit}'")


def _drop_tables(*tables: Any) -> None:
    """Drop these tables of dadkhah's own (splink dataframes; None skipped) from the
    database, freeing their memory and spill files."""
    for table in tables:
        if table is not None:
            table.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)


def name_rule_pairs(features: pd.DataFrame) -> tuple[int, float]:
    """Pairs admitted by the name training rule (given and surname keys equal, both known),
    and the share of records lacking the given name or the surname (pairs with such a record
    fall in the full-name comparison's null level, outside its m probabilities)."""
    known = features.dropna(subset=["given_key", "surname_key"])
    sizes = known.groupby(["given_key", "surname_key"]).size().to_numpy().astype(np.int64)
    part_missing = 1 - len(known) / len(features)
    return int((sizes * (sizes - 1) // 2).sum()), part_missing


def _prior_from_em(linker: Linker, features: pd.DataFrame, notes: list[str]) -> None:
    """The prior from EM, with the recall of its blocking rule estimated, not assumed.

    EM blocked on equal given name and surname finds the share of matches among those
    pairs (λ_B); the matches it holds are λ_B × |B|.  The rule's recall is the share of true
    matches whose full names agree: the m probability of the name comparison's top level,
    which the other EM session (blocked on father, dates and prison, not on names) trains.
    So λ = λ_B |B| / (recall × all pairs).  splink's own reversal
    (``populate_probability_two_random_records_match_from_trained_values``) finds the wrong
    levels for this custom name comparison, hence this."""
    sessions = getattr(linker, "_em_training_sessions", [])
    # in the linker's own SQL dialect: on Spark the session's rule text is Spark SQL
    dialect = linker._db_api.sql_dialect.sql_dialect_str
    rule_sql = TRAINING_RULES[0].get_blocking_rule(dialect).blocking_rule_sql
    blocked = [s for s in sessions
               if s._blocking_rule_for_training.blocking_rule_sql == rule_sql]
    name = linker._settings_obj.comparisons[0]
    top = next(lv for lv in name.comparison_levels if not lv.is_null_level)
    if not blocked or top.m_probability is None:
        notes.append("prior kept from deterministic rules (EM on names did not train)")
        return
    lam_b = float(blocked[-1].core_model_settings.probability_two_random_records_match)
    n_b, no_name = name_rule_pairs(features)
    n = len(features)
    recall = float(top.m_probability) * (1 - no_name) ** 2
    if not (0 < lam_b < 1 and n_b > 0 and recall > 0):
        notes.append("prior kept from deterministic rules (EM on names gave no estimate)")
        return
    before = float(linker._settings_obj._probability_two_random_records_match)
    prior = min(lam_b * n_b / recall / (n * (n - 1) / 2), 0.5)
    linker._settings_obj._probability_two_random_records_match = prior
    notes.append(f"prior {prior:.3g} from EM (share of matches {lam_b:.3g} among {n_b:,} "
                 f"pairs with equal names, their recall {recall:.3g}); deterministic rules "
                 f"gave {before:.3g}")


U_FLOOR_SHARE = 0.1
"""Least share of its sampled value that :func:`_u_without_matches` leaves a level's u:
where the matches a random sample is expected to hold account for (nearly) all the pairs it
found at a level, the estimate of what remains is noise, and a u near 0 would give that
level an unbounded weight; at most log2(10) = 3.3 bits are added."""


def _u_without_matches(linker: Linker, notes: list[str]) -> None:
    """Take out of each level's u the matches the random sample held.

    splink estimates u as the share of *random* pairs at a level; a random pair is a match
    with probability λ (the prior), so what it measures is λ m + (1 - λ) u, not u.  For
    common agreement that is nothing, but the rare levels that mostly matches reach («surname
    equal, one given name a prefix of the other», typos in one part) are found in a random
    sample mostly *because of* the matches in it: on tuning profile 6 (1,500 persons, prior
    8e-4) λ m was 81% of the sampled u of the prefix level and 41% of the given-name-typo
    level's, which halves to quarters their true weight.  splink offers no option for this
    (``estimate_u_using_random_sampling`` takes only ``max_pairs`` and ``seed``; EM's own u
    would come from blocked pairs, not random ones), so u := (u_sampled - λ m) / (1 - λ),
    kept at least :data:`U_FLOOR_SHARE` of u_sampled.  (Levels adjusted by term frequency
    with weight 1 are unaffected: there the frequency stands in for u.)"""
    lam = float(linker._settings_obj._probability_two_random_records_match)
    if not 0 < lam < 0.5:
        return
    biggest = (0.0, "")
    for comp in linker._settings_obj.comparisons:
        for lv in comp.comparison_levels:
            if lv.is_null_level or isinstance(lv._u_probability, str):
                continue  # (a level the sample never reached is left alone)
            m, u = lv.m_probability, lv.u_probability
            if m is None or u is None or u <= 0:
                continue
            new = max((u - lam * m) / (1 - lam), U_FLOOR_SHARE * u)
            lv.u_probability = new
            if u / new > biggest[0]:
                biggest = (u / new, f"{comp.output_column_name}: {lv.label_for_charts}")
    if biggest[0] > 1.05:
        notes.append(f"u corrected for the matches among random pairs (prior {lam:.3g}); "
                     f"largest change {biggest[1]!r}, u divided by {biggest[0]:.2f}")


MIN_LABELS = 30
"""Fewest reviewed decisions (match or not, on scored pairs the model was unsure of) from
which the model is re-fitted (:func:`_learn_from_decisions`); fewer leave the trained model
as it is."""


def _learn_from_decisions(features: pd.DataFrame, pairs: pd.DataFrame,
                          clusters: ClusterResult, prior: float,
                          labels: Iterable[tuple[Any, ...]], threshold: float,
                          min_probability: float, must: list[tuple[int, int]],
                          cannot: list[tuple[int, int]], model: dict[str, Any],
                          notes: list[str], say: Progress, once_lists: frozenset[int]
                          ) -> tuple[pd.DataFrame, ClusterResult, float]:
    """Re-fit the scored pairs on reviewers' decisions and cluster again, when there are
    at least :data:`MIN_LABELS` of them among the scored pairs; otherwise unchanged.  The
    fit is kept in ``model["dadkhah_decisions"]``, with the effective m it implies."""
    decided = labelled_pairs(labels)
    if not decided:
        return pairs, clusters, prior
    recal = fit_recalibration(pairs, decided, prior=prior)
    used = recal.n_match + recal.n_no_match
    if used < MIN_LABELS:
        notes.append(f"{used} reviewed decisions on pairs the model was unsure of: fewer than "
                     f"{MIN_LABELS}, so the model was not re-fitted on them (they still "
                     f"bind the clustering)")
        return pairs, clusters, prior
    say(f"re-fitting the model on {used} reviewed decisions")
    pairs = recal.apply(pairs, min_probability)
    model["dadkhah_decisions"] = {**asdict(recal), "scale": dict(recal.scale),
                                  "effective_m": recal.effective_m(model)}
    notes.append(recal.summary())
    return (pairs, _cluster(features, pairs, threshold, must, cannot, once_lists=once_lists),
            recal.prior)


def _train(linker: Linker, say: Progress, seed: int, max_u_pairs: float,
           notes: list[str]) -> None:
    """Prior, u by random sampling, m by EM on several blocking rules, then the m floor.
    (Reviewers' decisions are used after scoring: :func:`_learn_from_decisions`.)"""
    say("training: prior from deterministic rules")
    # a copy typed as splink's list of rules (a list of SQL strings is one)
    linker.training.estimate_probability_two_random_records_match(list(DETERMINISTIC_RULES),
                                                                  recall=0.6)
    say("training: u from random pairs")
    linker.training.estimate_u_using_random_sampling(max_pairs=max_u_pairs, seed=seed)
    for rule in TRAINING_RULES:
        sql = rule.get_blocking_rule("duckdb").blocking_rule_sql
        say(f"training: EM blocked on {sql}")
        _em_session(linker, rule, sql, notes)
    _guard_against_degenerate_em(linker, notes)
    _smooth_m(linker, M_FLOOR)
    _part_m_from_names(linker)  # from the smoothed full-name m, then smoothed itself
    _smooth_m(linker, M_FLOOR)
    for name in monotone_levels(linker._settings_obj.comparisons):
        notes.append(f"EM made a looser level of {name!r} better evidence than a closer "
                     f"one; those levels were pooled")


EM_ITERATIONS = (25, 10, 4)
"""Iteration limits tried in turn for one EM session.  On some lists a level that few
blocked pairs reach sees its m shrink towards 0 at every iteration until splink refuses
the value (below 1e-300) and the session fails, losing everything it learnt for the
other comparisons (tuning profile 7: then every comparison kept its hand-set prior m).
Fewer iterations stop before the underflow; the m floor (:data:`M_FLOOR`) then lifts
such levels.  The fallback makes training jumpy: a change to one comparison's levels can
tip the session blocked on father's name, day, birth year and prison from 10 iterations
to 4 and move whole profiles (session 16, tuning profile 6: F1 0.9103 -> 0.9021).
Clamping every m at 1e-6 inside EM instead (all 25 iterations run) was measured on tuning
profiles 1-20 (3,000 persons): alone 0.9468 -> 0.9468 (only profile 7, which had fallen
back, moved); it steadied such changes but gained nothing by itself, and patches
splink's maximisation step: left out."""


def _em_session(linker: Linker, rule: Any, sql: str, notes: list[str]) -> None:
    """One EM session blocked on ``rule``; on failure the comparisons keep the m values
    they had (their priors or an earlier session's), with a note and a warning."""
    from splink.internals.settings import TrainingSettings

    # splink trains on the linker's own settings object, with the comparisons of the
    # blocking rule filtered out in place, and restores them only when EM succeeds.
    settings = linker._settings_obj
    model = settings.core_model_settings
    saved = model.copy()
    before = settings.training_settings
    reason = ""
    try:
        for k, iterations in enumerate(EM_ITERATIONS):
            settings.training_settings = TrainingSettings(
                em_convergence=before.em_convergence,
                max_iterations=min(iterations, before.max_iterations))
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True)
            except (ValueError, ZeroDivisionError, EMTrainingException) as exc:
                # Too few pairs under this rule to train (small cases, or lists that share
                # few of the rule's fields: no pair at all is an EMTrainingException), or
                # an m underflowing: restore, and retry with fewer iterations if that helps
                model.comparisons = saved.copy().comparisons
                model.probability_two_random_records_match = \
                    saved.probability_two_random_records_match
                reason = str(exc).split(".  ", 1)[0].split("\n", 1)[0]
                if "below the minimum" not in reason:
                    break
            else:
                if k:
                    notes.append(f"EM blocked on {sql} trained with at most {iterations} "
                                 f"iterations (more drove an m probability to 0)")
                return
    finally:
        settings.training_settings = before
    note = (f"EM blocked on {sql} could not train ({reason}); the comparisons it trains "
            f"keep their earlier m values")
    notes.append(note)
    warnings.warn(note, EMFallbackWarning, stacklevel=3)


def _part_m_from_names(linker: Linker) -> None:
    """m of the given-name-alone and surname-alone comparisons, from the full-name one.

    Among matches, whether two given names agree does not depend on whether a surname
    was written, so P(given names equal | match) is the sum of the full-name levels' m
    where the given names are equal (:data:`~dadkhah.linkage.settings.NAME_LEVEL_PARTS`).
    EM cannot learn these directly: the records lacking a surname are mostly in lists
    (memoirs) that also lack the fields its training blocks are built on, so the few it
    sees are a biased sample (measured: m of «given names equal» 0.53 by EM, and pairs it
    scored 0.2 were matches half the time)."""
    from dadkhah.linkage.settings import CROSS_PART_M, NAME_LEVEL_PARTS

    comps = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    full = [lv.m_probability for lv in comps["name"].comparison_levels
            if not lv.is_null_level]
    known = [m for m in full if m is not None]
    if len(known) != len(full) or len(full) != len(NAME_LEVEL_PARTS):
        return
    for name, side, rels in (("given_alone", 0, ("eq", "prefix", "typo")),
                             ("surname_alone", 1, ("eq", "typo"))):
        ms = [sum(m for m, parts in zip(known, NAME_LEVEL_PARTS, strict=True)
                  if parts[side] == rel) for rel in rels]
        levels = [lv for lv in comps[name].comparison_levels if not lv.is_null_level]
        # then «the lone name is the other's other part», at its fixed m, and the rest
        rest = max(1.0 - sum(ms) - CROSS_PART_M, 1e-6)
        for lv, m in zip(levels, [*ms, CROSS_PART_M, rest], strict=True):
            lv.m_probability = m


def _guard_against_degenerate_em(linker: Linker, notes: list[str]) -> None:
    """EM can settle on a mixture that is not "same person vs not" (on large data, e.g.
    "same day and prison vs not").  Its sign is that agreement stops being evidence: the
    strongest agreement level is less likely among matches than complete disagreement.
    Such a comparison goes back to its prior m values, and the note says so."""
    from dadkhah.linkage.settings import model_settings

    priors = model_settings().get_settings("duckdb").comparisons
    for comp, prior in zip(linker._settings_obj.comparisons, priors, strict=True):
        if comp.output_column_name == "list":  # "same list" is evidence against: not checked
            continue
        levels = [lv for lv in comp.comparison_levels if not lv.is_null_level]
        if len(levels) < 2 or levels[0].m_probability is None:
            continue
        top, other = levels[0].m_probability, levels[-1].m_probability
        if other is not None and top < other:
            prior_levels = [lv for lv in prior.comparison_levels if not lv.is_null_level]
            for lv, pv in zip(levels, prior_levels, strict=True):
                lv.m_probability = pv.m_probability
            notes.append(f"EM gave comparison {comp.output_column_name!r} a match class where "
                         f"agreement is rarer than disagreement ({top:.3g} < {other:.3g}); "
                         f"its prior m values were kept")


def _apply_parameters(linker: Linker, model: dict[str, Any]) -> None:
    """Copy a trained model's prior, m and u onto a linker built from :func:`model_settings`
    (whatever its backend: the SQL is generated per dialect, the parameters carried over)."""
    ours = linker._settings_obj.comparisons
    theirs = model["comparisons"]
    # A comparison that gained or lost a level (a model saved by another version) is refused
    # here too, not left to fail in the zip below.
    if [(c.output_column_name, len(c.comparison_levels)) for c in ours] != [
            (c["output_column_name"], len(c["comparison_levels"])) for c in theirs]:
        raise LinkageError("The saved model does not match this version's comparisons.",
                           hint="Relink without a saved model, to train a new one.")
    for c_ours, c_theirs in zip(ours, theirs, strict=True):
        for lv, saved in zip(c_ours.comparison_levels, c_theirs["comparison_levels"],
                             strict=True):
            if not lv.is_null_level:
                for param in ("m_probability", "u_probability"):
                    if saved.get(param) is not None:  # unobserved levels have none
                        setattr(lv, param, saved[param])
    linker._settings_obj._probability_two_random_records_match = \
        model["probability_two_random_records_match"]


M_FLOOR = 0.005
"""Smallest m probability kept after EM.  On clean training data EM drives the m of rare
disagreement levels to 0, which gives them a weight of −50 or less: one typo in a birth year
would then veto a match however strong the rest.  Real lists have such errors."""


def _smooth_m(linker: Linker, floor: float) -> None:
    for comparison in linker._settings_obj.comparisons:
        levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        ms = [lv.m_probability for lv in levels]
        known = [m for m in ms if m is not None]
        if len(known) < len(ms):
            continue
        raised = [max(m, floor) for m in known]
        total = sum(raised)
        for lv, m in zip(levels, raised, strict=True):
            lv.m_probability = m / total


def _blocked_pairs(db: Any, records: Any, backend: str,
                   keys: Iterable[tuple[str, ...]] = BLOCKING_KEYS) -> Any:
    """The pairs the blocking rules ``keys`` admit over the registered ``records``, as a
    table of the database (a splink dataframe), for :func:`_predict`; None on a backend
    other than DuckDB (splink then blocks by itself).

    The same pairs as splink's blocking, made several times faster
    (:func:`dadkhah.linkage.blocking.pairs_sql`), in parts of at most
    :data:`PAIRS_PART_RECORDS` left records (:func:`_make_in_parts`: grouping them all at
    once ran out of DuckDB's memory on 270,707 records at the densest names).  A link on
    DuckDB scores the comparison vectors made straight from the same SQL
    (:func:`_comparison_vectors`); this table serves the groups scored again
    (:func:`_score_within_groups`) and a link whose vectors are not stored."""
    if backend != "duckdb":
        return None
    keys = list(keys)
    table = records.physical_name
    name = f"dadkhah_pairs_{table}"
    _make_in_parts(db.duckdb_con, name, lambda i, n: pairs_sql(keys, table, part=(i, n)),
                   table, "the candidate pairs")
    return db.register(name)


def _make_in_parts(con: Any, name: str, part_sql: Callable[[int, int], str], records: str,
                   what: str) -> None:
    """Create table ``name`` from ``part_sql(i, n)`` for i = 0 … n − 1 (the rows of the
    left records whose id is i modulo n; it may first make a table that SQL reads), n
    from the number of rows of the table ``records`` (:data:`PAIRS_PART_RECORDS` a
    part).  A part that runs out of DuckDB's memory has the table made again in four times
    as many parts (the same rows), up to :data:`PAIRS_MAX_PARTS`; beyond, a
    :class:`~dadkhah.errors.LinkageError` naming ``what``."""
    # fetched to the end: part_sql may query the connection (splink reads column names)
    ((n,),) = con.execute(f"SELECT count(*) FROM {records}").fetchall()
    parts = max(1, -(-int(n) // PAIRS_PART_RECORDS))
    while True:
        try:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS {part_sql(0, parts)}")
            for i in range(1, parts):
                con.execute(f"INSERT INTO {name} {part_sql(i, parts)}")
            return
        except duckdb.OutOfMemoryException as exc:
            # denser names than the part size allows for: smaller parts, same rows
            con.execute(f"DROP TABLE IF EXISTS {name}")
            if parts >= PAIRS_MAX_PARTS:
                raise LinkageError(
                    f"Making {what} ran out of DuckDB's memory even in {parts} parts "
                    f"({exc}).",
                    hint=f"Give DuckDB more memory: set ${DUCKDB_MEMORY_ENV} to e.g. 4GB "
                         "(or 'default'), or use --backend spark.") from exc
            parts = min(parts * 4, PAIRS_MAX_PARTS)


PAIRS_PART_RECORDS = 100_000
"""Records per part in which :func:`_blocked_pairs` makes the pairs (by left id).  Each part
joins its left records with *all* the records once per rule, so the parts repeat that
work: on the second probe at 140,000 persons (281,487 records, 44.8 million candidate
pairs) the pairs and their comparison vectors took 99.7 s of CPU in parts of 30,000
records (10 parts) and 79.9 s in parts of 100,000 (3 parts), the same 44,759,341 vectors,
DuckDB within its memory limit as before (it spills what is over).  Where a part still
runs out of DuckDB's memory (denser names, a lower limit) it is made again in four times
as many parts, up to :data:`PAIRS_MAX_PARTS` (session 9: the densest ``large`` with the
name-as-written rule ran out at 1.5 GB in parts of 30,000, with the DuckDB of then)."""

PAIRS_MAX_PARTS = 1024
"""The most parts :func:`_blocked_pairs` splits the pairs into before it gives up."""


def _predict(linker: Linker, min_probability: float, blocked: Any = None,
             readings: np.ndarray | None = None, vectors: Any = None) -> pd.DataFrame:
    """Score the candidate pairs: their comparison ``vectors`` (:func:`_comparison_vectors`)
    when given, else ``blocked`` (:func:`_blocked_pairs`) when given, else those of the
    linker's blocking rules; the pairs with an unchecked machine reading (``readings``,
    record ids) tempered (:func:`temper_machine_readings`).  (A registered table of pairs
    is kept by the database's cache until another is registered, so on DuckDB every
    prediction passes its own.)"""
    if vectors is not None:
        pred = _score_vectors(linker, vectors, min_probability)
    else:
        if blocked is not None:
            linker.table_management.register_blocked_pairs_for_predict(blocked)
        pred = linker.inference.predict(threshold_match_probability=min_probability)
    keep = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    weights = [c for c in pred.as_pandas_dataframe(limit=1).columns
               if c.startswith("mw_")]  # per-comparison weights
    # only these columns leave the database (not the gamma levels, term frequencies and
    # match key splink keeps beside them: 28 columns), and splink's table of them all is
    # dropped before the frame is made, not after: at 281,487 records the two tables and
    # the frame at once were the peak of the linkage (second probe, seed 42)
    narrow = pred.db_api.query_sql(
        f"SELECT {', '.join(keep + weights)} FROM {pred.physical_name}", output_type="splink_df")
    pred.drop_table_from_database_and_remove_from_cache()
    out = cast("pd.DataFrame", narrow.as_pandas_dataframe())
    narrow.drop_table_from_database_and_remove_from_cache()
    out["unique_id_l"] = out["unique_id_l"].astype("int64")
    out["unique_id_r"] = out["unique_id_r"].astype("int64")
    if readings is not None and len(readings):
        out = temper_machine_readings(out, readings)
    return out


def _comparison_vectors(linker: Linker, db: Any, records: Any, backend: str,
                        keys: Iterable[tuple[str, ...]] = BLOCKING_KEYS) -> Any:
    """The comparison vector of every pair the blocking rules ``keys`` admit over the
    registered ``records`` (the pairs of :func:`_blocked_pairs`): the record ids, splink's
    match key and each comparison's level (``gamma_<comparison>``), as a table of the
    database (a splink dataframe), for :func:`_predict` to score as often as the run
    needs; None on a backend other than DuckDB.

    The levels of a pair do not depend on the model's parameters, term frequencies or
    prior, which is all that changes between the scorings of a run (the prior re-estimated
    from the clusters, name frequencies counted over persons), yet splink's ``predict``
    compared every candidate pair's fields again for each: on the densest names at 75,000
    persons (101,159 records, 15.5 million candidate pairs) the two predictions took 60 s
    of CPU; the vectors once and two scorings of them take 27 s, with the same pairs,
    probabilities and clusters.  splink's SQL for the vectors, on the records whole: the
    records left and right are not first cut down to those in a pair as splink's own
    prediction from registered pairs does (:mod:`splink.internals.duckdb.pruned_prediction`,
    a work-around for links between two lists), which cost 5 s more here for the same
    vectors.

    Made part by part (:func:`_make_in_parts`) straight from the blocking SQL
    (:func:`dadkhah.linkage.blocking.pairs_sql`) of the part: the table of the pairs
    themselves (77 million rows, 2.7 GB, on 270,707 records at the densest names) is never
    whole: one part's pairs at a time, beside the vectors."""
    if backend != "duckdb":
        return None
    keys = list(keys)
    settings = linker._settings_obj
    table = records.physical_name
    columns = [name for uid in settings.column_info_settings.unique_id_input_columns
               for name in uid.names_l_r]
    columns += [_small_levels(cc) for cc in settings.comparisons]
    columns.append("match_key")
    # the levels read no term frequency: the records are joined straight from their table
    # (no copy of every column with the frequencies joined, made again for each part)
    tf = {c.tf_name_l for c in settings._term_frequency_columns} | {
        c.tf_name_r for c in settings._term_frequency_columns}
    fields = [c for c in settings._columns_to_select_for_blocking
              if not any(c.endswith(f" AS {name}") for name in tf)]

    con = db.duckdb_con
    part_pairs = f"dadkhah_part_pairs_{table}"

    def part_sql(i: int, n: int) -> str:
        # the part's pairs made first, as a table: read from a subquery instead, DuckDB
        # does not know how many pairs there are and builds its hash join on them, not on
        # the records (CPU 41 s against 28 s, 0.3 GB more, at 75,000 densest persons)
        con.execute(f"CREATE OR REPLACE TABLE {part_pairs} AS "
                    f"{pairs_sql(keys, table, part=(i, n))}")
        pipeline = CTEPipeline()
        # under the name splink's SQL for the vectors reads the blocked pairs from
        pipeline.enqueue_sql(f"SELECT * FROM {part_pairs}", "__splink__blocked_id_pairs")
        pipeline.enqueue_list_of_sqls(compute_comparison_vector_values_from_id_pairs_sqls(
            fields, columns, input_tablename_l=table, input_tablename_r=table,
            source_dataset_input_column=settings.column_info_settings
            .source_dataset_input_column,
            unique_id_input_column=settings.column_info_settings.unique_id_input_column,
            link_type=settings._link_type, sql_dialect_str=linker._sql_dialect_str))
        return f"SELECT * FROM ({pipeline.generate_cte_pipeline_sql()})"

    name = f"dadkhah_vectors_{table}"
    try:
        _make_in_parts(con, name, part_sql, table, "the candidate pairs' comparison vectors")
    finally:
        con.execute(f"DROP TABLE IF EXISTS {part_pairs}")
    return db.register(name)


def _enqueue_records_with_tf(linker: Linker, pipeline: CTEPipeline) -> str:
    """Add to ``pipeline`` the linker's records with the term frequencies it holds now
    (``tf_<column>``, as splink joins them); the name of that table in the pipeline."""
    append_term_frequencies_to_pipeline(linker, pipeline)
    records = vertically_concatenate_sql(linker._input_tables_dict)
    pipeline.enqueue_sql(f"select * from ({records})", "dadkhah_records")
    pipeline.enqueue_sql(_join_tf_to_input_table_sql(linker, "dadkhah_records"),
                         "dadkhah_records_with_tf")
    return "dadkhah_records_with_tf"


def _small_levels(comparison: Any) -> str:
    """splink's CASE statement giving a comparison's level, its result stored as a one-byte
    integer where the levels fit (-1 for null, 0... for the others), not the four-byte
    integer DuckDB would store: the stored vectors are a quarter of their size."""
    levels = comparison.comparison_levels
    if not all(-128 <= lv.comparison_vector_value <= 127 for lv in levels):
        return str(comparison._case_statement)
    whens = "\n".join(lv._when_then_comparison_vector_value_sql for lv in levels)
    return f"CAST(CASE\n{whens}\nEND AS TINYINT) as {comparison._gamma_column_name}"


def _score_vectors(linker: Linker, vectors: Any, min_probability: float) -> Any:
    """splink's prediction from stored comparison ``vectors`` (:func:`_comparison_vectors`):
    the term frequencies the linker holds now joined to each side by record id, then
    splink's own SQL for the match weights, prior and threshold, so each pair is scored
    exactly as ``linker.inference.predict`` scores it."""
    settings = linker._settings_obj
    uid = settings.column_info_settings.unique_id_input_column
    pipeline = CTEPipeline([vectors])
    tf_columns = settings._term_frequency_columns
    # only the id and the term frequencies of each record: the records' other columns
    # are not carried into the table DuckDB makes of them for the two joins below
    pipeline.enqueue_sql(
        f"select {', '.join([uid.name, *(c.tf_name for c in tf_columns)])} "
        f"from {_enqueue_records_with_tf(linker, pipeline)}", "dadkhah_records_tf")
    records = "dadkhah_records_tf"
    side = [f"{s}.{c.tf_name} as {name}" for c in tf_columns
            for s, name in (("l", c.tf_name_l), ("r", c.tf_name_r))]
    pipeline.enqueue_sql(
        f"select v.*{''.join(', ' + c for c in side)} "
        f"from {vectors.templated_name} as v "
        f"inner join {records} as l on l.{uid.name} = v.{uid.name_l} "
        f"inner join {records} as r on r.{uid.name} = v.{uid.name_r}",
        "__splink__df_comparison_vectors")
    pipeline.enqueue_list_of_sqls(
        predict_from_comparison_vectors_sqls_using_settings(settings, min_probability))
    return linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)


OCR_MISREAD_SHARE = 0.1
"""The chance that a field of a machine reading no person has checked was misread, as
:func:`temper_machine_readings` weighs it: raw Tesseract read 55 of 60 full names right on
degraded synthetic Persian scans (issue 18: one in twelve wrong, mostly by one letter,
اصفر for اصغر), rounded up for dates and places read from the same line."""


def temper_machine_readings(pairs: pd.DataFrame, readings: Iterable[int],
                            misread: float = OCR_MISREAD_SHARE) -> pd.DataFrame:
    """``pairs`` (splink's predictions with ``match_weight`` and the per-comparison
    ``mw_*`` columns, log2 Bayes factors) with every pair one of whose records is in
    ``readings`` (ids of unchecked machine readings) scored again: each comparison's
    Bayes factor B (with its term-frequency adjustment) becomes ``(1 - e)·B + e``, e =
    ``misread``; the prior log-odds are kept; ``match_weight`` and ``match_probability``
    are recomputed.

    The rule is that of a field read wrong with probability e, in which case the
    comparison tells nothing (a misreading is as likely to disagree with the same person's
    record as with another's): P(level | match) = (1 - e)·m + e·q and P(level | no
    match) = (1 - e)·u + e·q with q ≈ u for a misread field, so B' ≈ (1 - e)·B + e.  A
    disagreement then weighs at most log2(1/e) bits against (an OCR misreading is a
    likelier cause than two different persons), and an agreement a little less.  Every
    field of such a record comes from the reading (names, father's name, dates, places,
    sex), so every comparison is tempered; a record a person checked
    (:func:`dadkhah.documents.verify_entry`) is not in ``readings`` and counts in full.

    Vectorised over the pairs; ``pairs`` itself unchanged, and returned as is when no pair
    holds a reading.  It follows splink's prediction, which keeps pairs down to the
    scorer's floor (1%): a pair below the floor before tempering is not recovered.
    """
    ids = np.fromiter(readings, dtype=np.int64)
    if not len(ids) or pairs.empty:
        return pairs
    hit = (pairs["unique_id_l"].isin(ids) | pairs["unique_id_r"].isin(ids)).to_numpy()
    if not hit.any():
        return pairs
    mw = [c for c in pairs.columns if c.startswith("mw_")]
    out = pairs.copy()
    prior = (out["match_weight"] - out[mw].sum(axis=1)).to_numpy(dtype=float)
    z = prior.copy()
    for c in mw:
        if c.startswith("mw_tf_adj_"):
            continue
        adj = f"mw_tf_adj_{c[len('mw_'):]}"
        tf = out[adj].fillna(0).to_numpy(dtype=float) if adj in out else 0.0
        w = out[c].fillna(0).to_numpy(dtype=float) + tf
        tempered = np.log2((1 - misread) * np.exp2(w) + misread)
        new = np.where(hit, tempered - tf, out[c].to_numpy(dtype=float))
        out[c] = new
        z += np.where(hit, tempered, w)
    # a pair without a reading keeps splink's own figures, to the last bit
    out["match_weight"] = np.where(hit, z, out["match_weight"].to_numpy(dtype=float))
    out["match_probability"] = np.where(hit, probability_of_log2_odds(z),
                                        out["match_probability"].to_numpy(dtype=float))
    return out


MAX_GROUP = 40
"""Largest group of records joined by edges above the threshold whose every pair is scored
by :func:`_score_within_groups` (larger groups are namesake chains: left to the rule that
an unscored pair counts as 0)."""


TF_COLUMNS = ("tokens_key", "given_key", "surname_key", "father_key", "home_town")
"""Columns whose term frequencies adjust the comparisons' weights (see :mod:`settings`)."""


OWN_PERSON_FLOOR = 0.5
"""Other persons counted for a value borne by one person of the first clustering in
:func:`person_term_frequencies` (at most one bit more weight for an equal name than a
name borne by two)."""


def person_term_frequencies(features: pd.DataFrame, assignment: pd.Series
                            ) -> dict[str, pd.DataFrame]:
    """Term-frequency tables (``col``, ``tf_col``) counting each value once per person of
    ``assignment`` (record id → cluster), as a share of the persons with a value.

    splink counts values over records: a person named in four lists makes their full name
    four times as common as that of a person named once, so the records of exactly the
    persons most worth linking score as if among namesakes (on tuning profile 7 an equal
    full name, prison and birth year scored 0.4).  The frequency that matters for a
    non-match is how many *other persons* bear the name: over the persons of a first
    clustering, a name borne by one person in four lists counts once, and a name borne by
    five persons five times, whatever their number of records.

    The frequency is that of the *other* persons bearing the value (``k - 1`` of ``k``):
    given one record's name, the chance that a record of someone else has it.  Counting
    the record's own person made every rare name look commoner than it is: on tuning
    profiles 3, 6, 10, 14, 15, 17, pairs with an equal full name borne by two persons of
    the first clustering scored 0.04 on average where 25% of them were one person (mostly
    one person split in two), and 0.4 where 77% were.  A value borne by one person alone
    counts :data:`OWN_PERSON_FLOOR` persons, not none (the first clustering may have
    merged two namesakes)."""
    recs = features.set_index("unique_id")
    person = assignment.reindex(recs.index).to_numpy()
    # persons bearing each value, per column
    bearers = {col: pd.DataFrame({"v": recs[col], "p": person}).dropna().drop_duplicates()
               .groupby("v").size() for col in TF_COLUMNS if col in recs.columns}
    out = {}
    for col, counts in bearers.items():
        # the other persons bearing the value: a record's own person is no namesake
        tf = (counts - 1).clip(lower=OWN_PERSON_FLOOR) / counts.sum()
        if col == "tokens_key" and {"given_key", "surname_key"} <= set(bearers):
            tf = _rare_full_names(recs, bearers, tf)
        out[col] = pd.DataFrame({col: tf.index.astype(str), f"tf_{col}": tf.to_numpy()})
    return out


RARE_NAME_MAX_BITS = 4.0
"""Most weight (bits) :func:`_rare_full_names` gives an equal full name beyond the floor
of :data:`OWN_PERSON_FLOOR` other persons."""


def _rare_full_names(recs: pd.DataFrame, bearers: dict[str, pd.Series],
                     tf: pd.Series) -> pd.Series:
    """``tf`` of the full names (``tokens_key``) valued by their parts where that says
    they are rarer: the share of persons with the given name times the share with the
    surname (the frequency of the full name were the two chosen independently), down to
    :data:`RARE_NAME_MAX_BITS` below the floor of :data:`OWN_PERSON_FLOOR` other persons.

    Why: counted over the persons of a first clustering, a rare name whose person that
    clustering split in two looks borne by two persons (a namesake of its own), and a name
    borne by one person counts the floor whatever it is, so «Esmail Mardbini» (a surname no
    one else bears) weighed as «Ali Rezaei» (two of the commonest parts): an equal rare full
    name with nothing else known scored 0.48 (a second blind probe, seed 1: 79 true pairs
    with equal names left apart).  Brothers bear other given names, so a rare surname's
    full name is one person's.  ``bearers``: the persons bearing each value, by column
    (those of :func:`person_term_frequencies`)."""
    g, sn = (bearers[c] / bearers[c].sum() for c in ("given_key", "surname_key"))
    parts = pd.DataFrame({"v": recs["tokens_key"].to_numpy(),
                          "x": (recs["given_key"].map(g) * recs["surname_key"].map(sn))
                          .to_numpy()}).dropna()
    # the commonest reading of the name's parts among its records (the safer weight)
    expected = parts.groupby("v")["x"].max().reindex(tf.index)
    lowest = OWN_PERSON_FLOOR / bearers["tokens_key"].sum() / 2.0 ** RARE_NAME_MAX_BITS
    rare = expected.clip(lower=lowest).where(expected < tf)
    return rare.fillna(tf)


def _use_term_frequencies(linker: Linker, db: Any, tf: dict[str, pd.DataFrame]) -> None:
    """Make ``linker`` score with the term-frequency tables ``tf`` (replacing splink's)."""
    for col, table in tf.items():
        # replaces splink's own table for the column in the linker's cache, if computed
        linker.table_management.register_term_frequency_lookup(db.register(table), col)


def _score_within_groups(db: Any, features: pd.DataFrame, pairs: pd.DataFrame,
                         linker: Linker, threshold: float, min_probability: float,
                         tf: dict[str, pd.DataFrame] | None = None,
                         backend: str = "duckdb",
                         readings: np.ndarray | None = None) -> pd.DataFrame:
    """Score every pair inside each group of records that edges at or above the
    threshold join (connected components), adding them to ``pairs``.

    Average linkage counts a pair no blocking rule admitted as probability 0.  For two
    records far apart that is right, but records of one person are often joined through a
    third: a memoir's «Masoud, 29, Hamadan» is scored against «Masood Teymour Zadeh» and
    not against «مسعود یوسف تیمورزاده», whose given names differ.  Scoring those pairs
    with the same model replaces an assumed 0 with the evidence."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from splink import Linker as SplinkLinker

    edges = _linkable(pairs)
    edges = edges[edges["match_probability"] >= threshold]
    if edges.empty:
        return pairs
    ids = features["unique_id"].to_numpy()
    index = pd.Series(np.arange(len(ids)), index=ids)
    li = index.reindex(edges["unique_id_l"]).to_numpy()
    ri = index.reindex(edges["unique_id_r"]).to_numpy()
    graph = coo_matrix((np.ones(len(li)), (li, ri)), shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    group = np.where((sizes[label] >= 3) & (sizes[label] <= MAX_GROUP), label, -1)
    if (group < 0).all():
        return pairs
    feats = features.assign(link_group=pd.Series(group, index=features.index, dtype="Int64")
                            .mask(group < 0))
    # no name of ours: a link may score groups more than once (splink refuses a name twice)
    records = db.register(feats)
    other = SplinkLinker(records,
                         model_settings(blocking_rules=["l.link_group = r.link_group"]),
                         log_level=None)
    _apply_parameters(other, linker.misc.save_model_to_json())
    if tf is not None:
        _use_term_frequencies(other, db, tf)
    blocked = _blocked_pairs(db, records, backend, [("link_group",)])
    extra = _predict(other, min_probability, blocked, readings)
    if blocked is not None:
        blocked.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    both = pd.concat([pairs, extra], ignore_index=True)
    return both.drop_duplicates(["unique_id_l", "unique_id_r"], keep="first").reset_index(
        drop=True)


def _linkable(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs that may link records automatically: those with positive evidence from the
    names.  Two records whose names disagree completely are not merged on dates, places
    and father's name alone, however strong; such pairs stay in the review band."""
    linkable = _linkable_mask(pairs)
    return pairs if linkable is None else pairs[linkable]


def _linkable_mask(pairs: pd.DataFrame) -> np.ndarray | None:
    """Which of ``pairs`` :func:`_linkable` keeps (None: all, the names' weights unknown)."""
    if "mw_name" not in pairs:
        return None
    names = pairs["mw_name"].copy()
    for part in ("mw_given_alone", "mw_surname_alone"):
        if part in pairs:
            names += pairs[part]
    return (names > 0).to_numpy()


FIELD_FAMILIES: dict[str, tuple[str, ...]] = {
    "name": ("name", "given_alone", "surname_alone"),
    "father": ("father",),
}
"""Comparisons whose weights are one field for ``linkage="fields"`` clustering: the full
name and its given-name-only and surname-only parts are one record's name compared three
ways (only one of them is not null for a pair); each comparison not named here is its own
field.  A comparison's term-frequency adjustment goes with it."""


def field_log_weights(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with the columns ``lw_<field>`` and ``lw_prior`` that
    :func:`~dadkhah.linkage.cluster.cluster_records` combines field by field
    (``linkage="fields"``, :data:`~dadkhah.linkage.cluster.FIELD_WEIGHT_PREFIX`), from
    splink's per-comparison match weights (``mw_<comparison>``, ``mw_tf_adj_<comparison>``:
    log2 Bayes factors) and ``match_weight`` (their sum with the log2 prior odds)."""
    return pairs.assign(**_field_weights(pairs))


def _field_weights(pairs: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns :func:`field_log_weights` adds, by name, in its order."""
    from dadkhah.linkage.cluster import FIELD_WEIGHT_PREFIX as lw

    mw = [c for c in pairs.columns if c.startswith("mw_")]
    if not mw or "match_weight" not in pairs.columns:
        raise ValueError("pairs need splink's match_weight and mw_<comparison> columns "
                         "(predict with the per-comparison weights kept)")
    grouped = {c for parts in FIELD_FAMILIES.values() for c in parts}
    fields = dict(FIELD_FAMILIES)
    for c in mw:
        name = c[len("mw_"):]
        if not name.startswith("tf_adj_") and name not in grouped:
            fields[name] = (name,)
    ln2 = float(np.log(2))
    out = {}
    for fld, parts in fields.items():
        cols = [c for p in parts for c in (f"mw_{p}", f"mw_tf_adj_{p}") if c in pairs.columns]
        if cols:
            out[f"{lw}{fld}"] = ln2 * pairs[cols].sum(axis=1).to_numpy(dtype=float)
    out[f"{lw}prior"] = ln2 * (pairs["match_weight"] - pairs[mw].sum(axis=1)).to_numpy(
        dtype=float)
    return out


def _cluster(features: pd.DataFrame, pairs: pd.DataFrame, threshold: float,
             must: list[tuple[int, int]], cannot: list[tuple[int, int]],
             linkage: str = "fields", once_lists: frozenset[int] = frozenset()
             ) -> ClusterResult:
    records = features[["unique_id", "sex", "death_lo", "death_hi", "birth_lo", "birth_hi",
                        "surname_key", "father_key", "given1_key",  # sibling guard
                        "given_key", "city_id", "prison_city",  # given-name-only records
                        "source_id"]  # a list rarely names one person twice
                       # the dates as written: one slipped digit is not another person
                       + [c for c in ("birth_text", "age_text", "death_text")
                          if c in features.columns]]
    if "name_sex" in features.columns:  # the sex a given name tells, where none is stated
        records = records.assign(sex=records["sex"].where(records["sex"].notna(),
                                                          features["name_sex"]))
    # Only the columns the clustering reads leave ``pairs`` (not splink's per-comparison
    # weights, nor a second copy of them for the linkable pairs): at 281,487 records (second
    # probe, seed 42) the frames made of the first scoring's 2.5 million pairs took 0.8 GB,
    # the peak of the whole linkage.
    ids = ["unique_id_l", "unique_id_r", "match_probability"]
    evidence = pairs[ids]
    if linkage == "fields":
        if "match_weight" not in pairs.columns:  # pairs re-fitted without weights
            linkage = "average"
        else:
            evidence = evidence.assign(**_field_weights(pairs))
    linkable = _linkable_mask(pairs)
    edges = evidence[ids] if linkable is None else evidence.loc[linkable, ids]
    return cluster_records(records, edges, threshold=threshold, must_link=must,
                           cannot_link=cannot, linkage=linkage, evidence=evidence,
                           once_lists=once_lists)


def threshold_sweep(result: LinkResult, truth: pd.Series,
                    thresholds: Iterable[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
                    must_link: Iterable[tuple[int, int]] = (),
                    cannot_link: Iterable[tuple[int, int]] = (),
                    linkages: Iterable[str] = ("fields",)) -> pd.DataFrame:
    """Re-cluster the scored pairs at each threshold (and each clustering ``linkage``, see
    :func:`~dadkhah.linkage.cluster.cluster_records`) and score against ``truth`` (record
    id → person).  Scoring is not repeated, so a sweep costs only clustering."""
    from dadkhah.linkage.evaluate import evaluate_clusters

    must, cannot = list(must_link), list(cannot_link)
    rows = []
    for linkage in linkages:
        for t in thresholds:
            cl = _cluster(result.features, result.pairs, t, must, cannot, linkage)
            ev = evaluate_clusters(cl.assignment, truth)
            rows.append({"linkage": linkage, "threshold": t, "clusters": ev.clusters,
                         "pairwise_precision": ev.pairwise_precision,
                         "pairwise_recall": ev.pairwise_recall,
                         "pairwise_f1": ev.pairwise_f1, "bcubed_f1": ev.bcubed_f1})
    return pd.DataFrame(rows)
