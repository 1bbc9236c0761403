"""Documents read as lists, kept as evidence: the file a record was read from, and the image
of its line.

``dadkhah import`` reads a PDF, a scan or a saved web page into records
(:mod:`dadkhah.ingest`); each record's raw row names the file's SHA-256, its page and the
box of its line.  :func:`keep_document` puts the file itself in the case's evidence store
(content-addressed, an ``evidence.acquire`` custody entry, tied to the source), so the
SHA-256 finds it again; :func:`record_line_image` cuts the record's line out of its page
(:func:`dadkhah.documents.line_image`), reading the file through :func:`read_evidence`
(custody: an ``evidence.access`` entry, the hash checked), so a person can check the
machine reading against its source.

This lives in the case file, not in ``ingest``: the layers let ``casefile`` call both the
importer's world (records, documents) and the evidence store, while ``ingest`` sits below
``casefile`` and may not import it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from dadkhah.access import INTERNAL, Viewer
from dadkhah.casefile.evidence import (
    EvidenceInfo,
    add_evidence,
    read_evidence,
    refuse_unseen_copy,
)
from dadkhah.documents import LINE_IMAGE_DPI, document_kind, line_image, provenance
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import Case

__all__ = ["DOCUMENT_ACQUISITION", "check_document_keepable", "keep_document",
           "record_line_image"]

DOCUMENT_ACQUISITION = "imported as a list (dadkhah import): read line by line"
"""The ``acquisition_method`` of a document kept by :func:`keep_document`."""


def check_document_keepable(case: Case, path: str | Path, *, viewer: Viewer,
                            name: str | None = None) -> None:
    """Refuse, before an import of ``path`` writes anything, a document that could not be
    kept as evidence for ``viewer``: its bytes are already an evidence item restricted from
    them (:class:`~dadkhah.errors.StoreError`, the item neither named nor numbered).

    Records read from a document rest on it (their line images are cut from it), and the
    store holds each content once: imported, the records would rest on an item their
    importer may not see, and keeping the document would log their acquisition on it.  So
    ``dadkhah import`` and the web's upload ask first, and the whole import is refused.
    Nothing to say for a file that is no document (its rows keep their own raw text)."""
    p = Path(path)
    if document_kind(Path(name) if name else p) is None:
        return
    refuse_unseen_copy(case, p, viewer, refused="nothing was imported")


def keep_document(case: Case, path: str | Path, *, source: int | str, by: str,
                  role: str | None = None, name: str | None = None,
                  acquired_from: str | None = None,
                  evidence_dir: str | Path | None = None,
                  viewer: Viewer = INTERNAL,
                  conn: Connection | None = None) -> EvidenceInfo | None:
    """Keep a document that was imported into ``source`` as an evidence item (stored once
    by its SHA-256; importing it again logs one more acquisition).  ``name`` is the file's
    name as the user gave it (an upload is saved under another), ``acquired_from`` where
    it came from (a saved page's URL).  None, and nothing written, for a file that is no
    document (CSV, XLSX, JSON Lines rows keep their own raw text).

    ``viewer`` is who imported it: bytes already kept from them as an item they may not
    see are refused (:class:`~dadkhah.errors.StoreError`, nothing written), as
    :func:`check_document_keepable` refuses them before the import.  The default checks
    nothing (library code acting for nobody in particular).

    ``conn``: the import's own write transaction (``import_file(..., on_stored=…)``), so
    that the records and the document they rest on are stored together or not at all: a
    restriction set on the bytes after :func:`check_document_keepable` asked, refused here,
    leaves no record imported either."""
    p = Path(path)
    kind = document_kind(Path(name) if name else p)
    if kind is None:
        return None
    return add_evidence(case, p, title=f"{name or p.name} (imported list)",
                        kind="image" if kind == "image" else "document",
                        acquired_from=acquired_from, acquisition_method=DOCUMENT_ACQUISITION,
                        source=source, evidence_dir=evidence_dir, by=by, role=role,
                        viewer=viewer, conn=conn)


def record_line_image(case: Case, record_id: int, *, by: str, role: str,
                      viewer: Viewer | None = None, dpi: int = LINE_IMAGE_DPI,
                      evidence_dir: str | Path | None = None) -> bytes:
    """The PNG image of the line ``record_id`` was read from, cut from its page in the
    document kept as evidence.  Reading the document is logged (``evidence.access``) and
    needs the ``read`` permission.  A record or a document restricted from ``viewer``
    (None: nobody in particular) is not found, as an unknown one; a record that is a row
    of a list file, or of a saved web page (no page image), is
    :class:`~dadkhah.errors.InvalidInput`."""
    rec = case.record(record_id, viewer=viewer)
    prov = provenance(rec.raw)
    if prov is None:
        raise InvalidInput(f"Record {record_id} is a row of a list file, not a line read "
                           f"from a document, so it has no line image.",
                           hint="Its raw row is shown with: dadkhah records show "
                                f"{record_id}")
    if not prov.get("box"):
        raise InvalidInput(f"Record {record_id} was read from a saved web page, which has "
                           f"no page image (it keeps the locator {prov.get('locator')!r}).",
                           hint="Check it against the saved page at that locator.")
    sha = str(prov.get("file_sha256") or "")
    try:
        data = read_evidence(case, sha, by=by, role=role, viewer=viewer,
                             purpose=f"line image of record {record_id}",
                             evidence_dir=evidence_dir)
    except NotFound as exc:
        raise NotFound(f"The document record {record_id} was read from (sha256 {sha[:12]}…) "
                       f"is not kept in the evidence store.",
                       hint="Documents imported before they were kept can be added with: "
                            "dadkhah evidence add FILE --source SOURCE") from exc
    return line_image(data, int(prov.get("page") or 1), prov["box"],
                      box_unit=prov.get("box_unit"), dpi=dpi)
