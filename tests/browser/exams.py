"""The resident standard the exam-page browser tests sit, and the password of their takers."""

import pytest
from django.conf import settings

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from tests.assessment.conftest import COMPETENCES, bank_items, every_kind_items

PASSWORD = "Mat-khau-an-toan-2025"


def publish_resident_standard(items: list[dict]):
    """Publish `items` and the resident standard drawing one question per competence and level (6 in all)."""
    frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    assessment.save_items(items, source="test", publish=True, actor=SYSTEM)
    return assessment.save_standard(
        {
            "code": "CHUAN-NGUOI-DAN",
            "name": "Chuẩn kỹ năng số cơ bản cho người dân",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 30,
            "pass_percent": 60,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "blueprint": [{"competence": c, "level": level, "items": 1} for c in COMPETENCES for level in (1, 2)],
        },
        actor=SYSTEM,
    )


@pytest.fixture
def resident_standard(province):
    return publish_resident_standard(bank_items())


@pytest.fixture
def standard_with_every_kind(province):
    """The same standard, but every form holds a numeric, a single-choice and a multiple-response question."""
    return publish_resident_standard(every_kind_items())
