"""Shared by the learning browser tests: the basic course with its practice items, and a width check."""

import pytest
from django.conf import settings

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from kynangso.learning import api as learning

PASSWORD = "Mat-khau-an-toan-2025"


@pytest.fixture
def basic_course(province):
    frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    assessment.load_item_files(sorted((settings.CONTENT_DIR / "items").glob("practice-*.yaml")), actor=SYSTEM)
    learning.load_course_dir(settings.CONTENT_DIR / "courses" / "ky-nang-so-co-ban", actor=SYSTEM)


def fits(page, width=360) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width
