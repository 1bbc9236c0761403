"""The register of persons and everything done to it.

The register is what linkage builds and people then correct: persons, each traceable to the
source records that name them.  This package owns it, whoever asks (the CLI, the team's web
pages, the public portal, reports):

* normalising source records before linkage: :func:`normalize_case`, :func:`normalize_fields`;
* reading persons: :func:`list_persons`, :func:`get_person`, :func:`iter_person_records`,
  :func:`register_of`;
* human review, which always wins over the model: :func:`review_queue`,
  :func:`record_decision`, :func:`merge_persons`, :func:`split_person`, :func:`decisions`;
* capture histories for estimation: :func:`person_lists`, :func:`register_histories`;
* estimates of the total computed from the register and kept: :func:`compute_estimates`,
  :func:`store_estimates`, :func:`latest_estimates`.

Building the register from scratch (splink) is :func:`dadkhah.linkage.link_case`.
"""

from dadkhah.register.estimates import (
    EstimateRow,
    compute_estimates,
    latest_estimates,
    latest_run_id,
    store_estimates,
)
from dadkhah.register.normalize import NormalizeReport, normalize_case, normalize_fields
from dadkhah.register.persons import (
    get_person,
    iter_person_records,
    list_persons,
    person_lists,
    register_histories,
    register_of,
)
from dadkhah.register.review import (
    ReviewPair,
    decisions,
    merge_persons,
    record_decision,
    review_queue,
    split_person,
)
from dadkhah.register.summary import (
    FieldCoverage,
    LinkageSummary,
    PersonProvenance,
    ProvenanceRecord,
    RecordCounts,
    field_coverage,
    iter_provenance,
    linkage_summary,
    persons_frame,
    record_counts,
)

__all__ = [
    "EstimateRow",
    "NormalizeReport",
    "ReviewPair",
    "compute_estimates",
    "decisions",
    "get_person",
    "iter_person_records",
    "latest_estimates",
    "latest_run_id",
    "list_persons",
    "merge_persons",
    "normalize_case",
    "normalize_fields",
    "person_lists",
    "record_decision",
    "register_histories",
    "register_of",
    "review_queue",
    "split_person",
    "store_estimates",
    # summary: what reports and exports read
    "FieldCoverage",
    "LinkageSummary",
    "PersonProvenance",
    "ProvenanceRecord",
    "RecordCounts",
    "field_coverage",
    "iter_provenance",
    "linkage_summary",
    "persons_frame",
    "record_counts",
]
