"""The register of persons and everything done to it.

The register is what linkage builds and people then correct: persons, each traceable to the
source records that name them.  This package owns it, whoever asks (the CLI, the team's web
pages, the public portal, reports):

* normalising source records before linkage: :func:`normalize_case`, :func:`normalize_fields`;
* reading persons: :func:`list_persons`, :func:`count_persons`, :func:`get_person`,
  :func:`iter_person_records`, :func:`register_of`; the persons known only from machine
  readings no person has checked, :func:`unverified_only_persons`;
* the one search by name, in any spelling and either script (:mod:`dadkhah.register.search`):
  :func:`search_persons` (the team's pages and API), :func:`person_match` (the SQL condition
  the memorial portal restricts to its published persons), :func:`search_records` and
  :func:`record_match` (source records, ``dadkhah records list --search``), built from
  :func:`query_variants` and :func:`query_keys`; :func:`place_ids` and
  :func:`register_version` for the search's filter menus;
* human review, which always wins over the model: :func:`review_queue`,
  :func:`next_review_pair`, :func:`review_backlog` (a :class:`ReviewBatch` per source or
  prison), :func:`record_fields`; questions about one record and several candidates
  (:mod:`dadkhah.register.questions`): :func:`review_question` (a :class:`ReviewQuestion`),
  :func:`answer_question`;
  :func:`reviewed_decisions` (what linkage learns from),
  :func:`record_decision` (or :func:`insert_decision` inside a caller's transaction),
  :func:`merge_persons`, :func:`split_person`, :func:`decisions`; an undo that is a new
  decision (:func:`undo_decision`), one pair as reviewed (:func:`review_pair`);
* the register's quality where there is no truth (:mod:`dadkhah.register.quality`): a
  stratified random sample of pairs for review, :func:`draw_audit_sample`; its answers and
  the precision and recall estimated from them, :func:`audit_answers`,
  :func:`audit_progress` (an :class:`AuditProgress`), :func:`store_audit_estimate`;
* capture histories for estimation: :func:`person_lists`, :func:`register_histories`, by
  the :data:`STRATA` the register can be split by, in the provinces of 1988 or today
  (:data:`BOUNDARIES`); missing stratum values multiply imputed (:mod:`dadkhah.register.impute`):
  :func:`imputed_histories`, :func:`impute_missing`, :class:`ImputedStrata`;
* the linkage's uncertainty (:mod:`dadkhah.register.linkage_draws`): plausible registers
  drawn from the stored pair probabilities with the decisions as constraints,
  :func:`linkage_uncertainty` (a :class:`LinkageUncertainty`), :func:`draw_registers`, each
  pair drawn given the register's decision with a calibration fitted on the audit sample's
  answers (:func:`audit_calibration`);
* lists that copy other lists, counted together by every estimate from the case
  (:mod:`dadkhah.register.copies`): :func:`copied_lists` (a :class:`CopiedLists`);
* estimates of the total computed from the register and kept whole: :func:`compute_estimates`,
  :func:`store_estimates`, :func:`latest_estimates`, :func:`latest_run_id`;
* what reports and exports read: :func:`persons_frame`, :func:`field_coverage`,
  :func:`linkage_summary`, :func:`iter_provenance` (records are counted by
  :meth:`dadkhah.store.Case.count_records`).

* building the register from a linkage run (:mod:`dadkhah.register.build`): what linkage
  reads, :func:`linkage_input` (records and the decisions in force); the one write,
  :func:`write_register` (a :class:`RunRecord`, returning :class:`RegisterChanges`), with
  stable person ids (:func:`assign_person_ids`) and each person's best data
  (:func:`person_summaries`); :func:`record_sources` (each record's list and row);
* display names and where they came from (:mod:`dadkhah.register.name_forms`): the rule,
  :func:`choose_name_forms` over :class:`RecordName`, :func:`origin_label`; corrections by
  people that survive relinks (:mod:`dadkhah.register.corrections`): :func:`correct_name`,
  :func:`withdraw_correction`, :func:`name_corrections` (:class:`NameCorrectionRow`,
  :class:`CorrectionResult`), :func:`name_provenance` (:class:`NameProvenance` of
  :class:`NameForm`: where each of a person's display names came from);
* restricted records (:mod:`dadkhah.register.restricted`, issue 16): :func:`restrict`,
  :func:`unrestrict`, :func:`restrictions` (:class:`RestrictionRow`), groups of users
  (:func:`create_group`, :func:`add_to_group`, :func:`remove_from_group`, :func:`groups`,
  :class:`GroupInfo`); every reader above takes ``viewer=`` (:class:`dadkhah.access.Viewer`)
  and shows only what that viewer may see, persons through :func:`redact_persons`; counts
  (:func:`count_persons`, :func:`review_backlog`) too; :func:`keeps_out` (is anything
  hidden from this viewer? one indexed query) and :func:`source_choices` (the sources a
  viewer may see, without record counts) serve menus cheaply;
* the case's own (Persian, Latin) name examples, a person named in both scripts, to grow the
  romanisation lexicon (:mod:`dadkhah.register.name_examples`): :func:`case_name_examples`.

Running the model (splink) is :func:`dadkhah.linkage.link_case`; this package never imports
:mod:`dadkhah.linkage`.
"""

from dadkhah.register.build import (
    LinkageInput,
    RegisterChanges,
    RunRecord,
    linkage_input,
    person_summaries,
    record_sources,
    write_register,
)
from dadkhah.register.copies import CopiedLists, copied_lists
from dadkhah.register.corrections import (
    CorrectionResult,
    NameCorrectionRow,
    NameForm,
    NameProvenance,
    correct_name,
    name_corrections,
    name_provenance,
    withdraw_correction,
)
from dadkhah.register.estimates import (
    EstimateRow,
    compute_estimates,
    latest_estimates,
    latest_run_id,
    store_estimates,
)
from dadkhah.register.impute import ImputedStrata, impute_missing, imputed_histories
from dadkhah.register.linkage_draws import (
    LinkageUncertainty,
    MissedLinks,
    audit_calibration,
    draw_registers,
    linkage_uncertainty,
)
from dadkhah.register.name_examples import case_name_examples
from dadkhah.register.name_forms import RecordName, choose_name_forms, origin_label
from dadkhah.register.normalize import NormalizeReport, normalize_case, normalize_fields
from dadkhah.register.persons import (
    BOUNDARIES,
    MISSING,
    STRATA,
    count_persons,
    get_person,
    iter_person_records,
    list_persons,
    person_lists,
    register_histories,
    register_of,
    unverified_only_persons,
)
from dadkhah.register.quality import (
    AuditProgress,
    audit_answers,
    audit_progress,
    draw_audit_sample,
    store_audit_estimate,
)
from dadkhah.register.questions import (
    QUESTION_CANDIDATES,
    QuestionRecord,
    ReviewQuestion,
    answer_question,
    review_question,
)
from dadkhah.register.restricted import (
    GroupInfo,
    RestrictionRow,
    add_to_group,
    create_group,
    groups,
    keeps_out,
    redact_persons,
    remove_from_group,
    restrict,
    restrictions,
    source_choices,
    summarise_records,
    unrestrict,
)
from dadkhah.register.review import (
    ReviewBatch,
    ReviewPair,
    decisions,
    insert_decision,
    merge_persons,
    next_review_pair,
    record_decision,
    record_fields,
    review_backlog,
    review_queue,
    reviewed_decisions,
    split_person,
)
from dadkhah.register.search import (
    PER_PAGE,
    PersonHit,
    SearchResult,
    name_text_match,
    name_text_matches,
    person_match,
    place_ids,
    query_keys,
    query_variants,
    record_match,
    register_version,
    search_persons,
    search_records,
)
from dadkhah.register.stable_ids import IdAssignment, IdChange, assign_person_ids
from dadkhah.register.summary import (
    FieldCoverage,
    LinkageSummary,
    PersonProvenance,
    ProvenanceRecord,
    field_coverage,
    iter_provenance,
    linkage_summary,
    persons_frame,
)
from dadkhah.register.undo import UndoResult, review_pair, undo_decision

__all__ = [
    "GroupInfo",
    "name_text_matches",
    "RestrictionRow",
    "add_to_group",
    "create_group",
    "groups",
    "keeps_out",
    "redact_persons",
    "remove_from_group",
    "restrict",
    "restrictions",
    "source_choices",
    "summarise_records",
    "unrestrict",
    "AuditProgress",
    "BOUNDARIES",
    "CopiedLists",
    "CorrectionResult",
    "EstimateRow",
    "FieldCoverage",
    "IdAssignment",
    "IdChange",
    "ImputedStrata",
    "LinkageInput",
    "LinkageUncertainty",
    "MissedLinks",
    "LinkageSummary",
    "MISSING",
    "NameCorrectionRow",
    "NameForm",
    "NameProvenance",
    "NormalizeReport",
    "PER_PAGE",
    "PersonHit",
    "PersonProvenance",
    "ProvenanceRecord",
    "RecordName",
    "RegisterChanges",
    "ReviewBatch",
    "ReviewPair",
    "RunRecord",
    "STRATA",
    "SearchResult",
    "UndoResult",
    "assign_person_ids",
    "audit_answers",
    "audit_progress",
    "case_name_examples",
    "choose_name_forms",
    "compute_estimates",
    "copied_lists",
    "correct_name",
    "count_persons",
    "decisions",
    "audit_calibration",
    "draw_audit_sample",
    "draw_registers",
    "field_coverage",
    "get_person",
    "impute_missing",
    "imputed_histories",
    "insert_decision",
    "iter_person_records",
    "iter_provenance",
    "latest_estimates",
    "latest_run_id",
    "linkage_input",
    "linkage_uncertainty",
    "linkage_summary",
    "list_persons",
    "merge_persons",
    "name_corrections",
    "name_provenance",
    "name_text_match",
    "next_review_pair",
    "QUESTION_CANDIDATES",
    "QuestionRecord",
    "ReviewQuestion",
    "answer_question",
    "review_question",
    "normalize_case",
    "normalize_fields",
    "origin_label",
    "person_lists",
    "person_match",
    "person_summaries",
    "persons_frame",
    "place_ids",
    "query_keys",
    "query_variants",
    "record_decision",
    "record_fields",
    "record_match",
    "record_sources",
    "register_histories",
    "register_of",
    "register_version",
    "review_backlog",
    "review_pair",
    "review_queue",
    "reviewed_decisions",
    "search_persons",
    "search_records",
    "split_person",
    "store_audit_estimate",
    "store_estimates",
    "undo_decision",
    "unverified_only_persons",
    "withdraw_correction",
    "write_register",
]
