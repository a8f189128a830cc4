"""Public interface of the integration app: outside completions as facts for the roll-up and the reports, and the
services other layers call (the demo, commands)."""

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

__all__ = [
    "OUTSIDE_LABEL",
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
