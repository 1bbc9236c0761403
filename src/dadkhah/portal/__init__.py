"""The public memorial portal's library: submissions, moderation, publication, articles,
spam resistance.  The web pages (:mod:`dadkhah.web.public`) and the CLI
(:mod:`dadkhah.cli.portal`) are thin layers over these functions.

Only persons marked public ever leave the store (:mod:`dadkhah.portal.publication`), and
only as :class:`MemorialEntry` — public fields only.
"""

from dadkhah.portal.articles import (
    ArticleInvalid,
    ArticleView,
    add_article,
    example_article,
    get_article,
    list_articles,
    render_body,
    set_article_public,
)
from dadkhah.portal.moderation import SUBMISSIONS_SOURCE, Decision, accept, reject
from dadkhah.portal.publication import (
    MemorialEntry,
    PublicationReport,
    is_public,
    memorial_entries,
    memorial_entry,
    publish,
    search_memorial,
    synthetic_person_ids,
    unpublish,
)
from dadkhah.portal.ratelimit import (
    FormGuard,
    RateLimited,
    SpamRefused,
    TokenBucket,
    check_content,
    client_hash,
)
from dadkhah.portal.submissions import (
    SUBMISSION_FIELDS,
    FieldProblem,
    Submission,
    SubmissionForm,
    SubmissionInvalid,
    get_submission,
    list_submissions,
    submission_contact,
    submit,
    validate_submission,
)

__all__ = [
    "SUBMISSIONS_SOURCE",
    "SUBMISSION_FIELDS",
    "ArticleInvalid",
    "ArticleView",
    "Decision",
    "FieldProblem",
    "FormGuard",
    "MemorialEntry",
    "PublicationReport",
    "RateLimited",
    "SpamRefused",
    "Submission",
    "SubmissionForm",
    "SubmissionInvalid",
    "TokenBucket",
    "accept",
    "add_article",
    "check_content",
    "client_hash",
    "example_article",
    "get_article",
    "get_submission",
    "is_public",
    "list_articles",
    "list_submissions",
    "memorial_entries",
    "memorial_entry",
    "publish",
    "reject",
    "render_body",
    "search_memorial",
    "set_article_public",
    "submission_contact",
    "submit",
    "synthetic_person_ids",
    "unpublish",
    "validate_submission",
]
