"""Public interface of the integration app: outside completions as facts for the roll-up and the reports, and the
services other layers call (the demo, commands)."""

import datetime
from typing import TypedDict

from kynangso.integration.models import Origin, OutsideCompletion, Platform, StatementStatus
from kynangso.integration.selectors import (
    outside_changes_between,
    outside_completions_between,
    outside_completions_of,
    outside_course_facts,
    outside_standard_facts,
    waiting_statements,
)
from kynangso.integration.services import (
    issue_platform_secret,
    link_external_account,
    register_platform,
    revoke_platform_secret,
    save_mapping,
    store_statements,
)

OUTSIDE_LABEL = "học trên nền tảng khác"  # how an outside completion is marked wherever it is shown


class OutsideCourseFact(TypedDict):
    """A row of `outside_course_facts()`: shaped like learning's `DatedFact`, so the roll-up reads both alike."""

    f_person: int
    f_on: datetime.date


class OutsideStandardFact(TypedDict):
    """A row of `outside_standard_facts()`: shaped like assessment's `AttemptFact`."""

    f_person: int
    f_at: datetime.datetime


class OutsideCompletionChange(TypedDict):
    """A row of `outside_completions_between()`: a person and the course they completed elsewhere."""

    f_person: int
    f_code: str


class OutsideChange(TypedDict):
    """A row of `outside_changes_between()`: a person whose outside completions were recorded or voided."""

    f_person: int


__all__ = [
    "OUTSIDE_LABEL",
    "OutsideChange",
    "OutsideCompletionChange",
    "OutsideCourseFact",
    "OutsideStandardFact",
    "Origin",
    "OutsideCompletion",
    "Platform",
    "StatementStatus",
    "issue_platform_secret",
    "link_external_account",
    "outside_changes_between",
    "outside_completions_between",
    "outside_completions_of",
    "outside_course_facts",
    "outside_standard_facts",
    "register_platform",
    "revoke_platform_secret",
    "save_mapping",
    "store_statements",
    "waiting_statements",
]
