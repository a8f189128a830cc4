"""A small live bank and a standard over three competences of TT02-2025, and a resident who can take it."""

import datetime

import pytest
from django.conf import settings

from kynangso.accounts.api import SYSTEM
from kynangso.accounts.models import Role
from kynangso.assessment import api as assessment
from kynangso.frameworks import api as frameworks
from tests.factories import make_person, make_user

COMPETENCES = ("1.1", "4.2", "6.2")  # domains 1, 4 and 6


def bank_items(per_cell: int = 3) -> list[dict]:
    """Items of every type, `per_cell` per competence at levels 1 and 2."""
    items = []
    for competence in COMPETENCES:
        for level in (1, 2):
            for n in range(per_cell):
                code = f"T-{competence}-{level}-{n}"
                base = {
                    "id": code,
                    "framework": "TT02-2025",
                    "competence": competence,
                    "level": level,
                    "groups": ["resident", "leader"],
                    "explanation": "Giải thích bí mật " + code,
                }
                kind = n % 3
                if kind == 0:
                    items.append(
                        {
                            **base,
                            "type": "single_choice",
                            "stem": f"Câu một lựa chọn {code}?",
                            "options": [
                                {"text": f"Đúng {code}", "correct": True},
                                {"text": "Sai một", "correct": False, "why": "lý do bí mật"},
                                {"text": "Sai hai", "correct": False},
                                {"text": "Sai ba", "correct": False},
                            ],
                        }
                    )
                elif kind == 1:
                    items.append(
                        {
                            **base,
                            "type": "multiple_response",
                            "stem": f"Chọn các ý đúng {code}",
                            "options": [
                                {"text": "Ý đúng A", "correct": True},
                                {"text": "Ý đúng B", "correct": True},
                                {"text": "Ý sai C", "correct": False},
                                {"text": "Ý sai D", "correct": False},
                            ],
                        }
                    )
                else:
                    items.append(
                        {**base, "type": "numeric", "stem": f"Bao nhiêu? {code}", "answer": 2.5, "tolerance": 0}
                    )
    return items


@pytest.fixture
def framework(db):
    return frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")


def every_kind_items() -> list[dict]:
    """`bank_items()` where three cells hold one kind each (numeric; single choice; multiple response): a form drawn
    one question per cell then always has each kind, so a test that needs one does not depend on the draw."""
    only = {
        (COMPETENCES[0], 1): "numeric",
        (COMPETENCES[0], 2): "single_choice",
        (COMPETENCES[1], 1): "multiple_response",
    }
    return [
        item for item in bank_items() if only.get((item["competence"], item["level"]), item["type"]) == item["type"]
    ]


@pytest.fixture
def bank(framework):
    assessment.save_items(bank_items(), source="test", publish=True, actor=SYSTEM)


@pytest.fixture
def standard(bank):
    return assessment.save_standard(
        {
            "code": "THU",
            "name": "Chuẩn thử",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "blueprint": [{"competence": c, "level": level, "items": 1} for c in COMPETENCES for level in (1, 2)],
        },
        actor=SYSTEM,
    )


@pytest.fixture
def resident(province):
    user = make_user("hoa", Role.LEARNER, province.a)
    return make_person(
        province.a, full_name="Lê Thị Hoa", birth_date=datetime.date(1960, 5, 1), sex="female", user=user
    )


@pytest.fixture
def helper_user(province):
    return make_user("hotro_a", Role.HELPER, province.a)


@pytest.fixture
def leaders_standard(bank):
    """A standard for leaders and managers over the same bank: a resident is outside its target group."""
    return assessment.save_standard(
        {
            "code": "LANH-DAO",
            "name": "Chuẩn lãnh đạo",
            "target_group": "leader",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "blueprint": [{"competence": c, "level": level, "items": 1} for c in COMPETENCES for level in (1, 2)],
        },
        actor=SYSTEM,
    )


@pytest.fixture
def judged_standard(bank):
    """A standard whose form holds three items of each competence (two at level 1, one at level 2), enough for a
    verdict per competence."""
    return assessment.save_standard(
        {
            "code": "DU",
            "name": "Chuẩn đủ câu",
            "target_group": "resident",
            "framework": "TT02-2025",
            "time_limit_minutes": 20,
            "pass_percent": 60,
            "domain_pass_percent": None,
            "max_attempts_per_year": 3,
            "wait_hours": 24,
            "blueprint": [
                {"competence": c, "level": level, "items": 2 if level == 1 else 1}
                for c in COMPETENCES
                for level in (1, 2)
            ],
        },
        actor=SYSTEM,
    )


PER_CELL = 8  # calibrated items per competence and level: 48 in all


def calibrated_items() -> list[dict]:
    items = []
    for competence in COMPETENCES:
        for level in (1, 2):
            for n in range(PER_CELL):
                code = f"CAT-{competence}-{level}-{n}"
                items.append(
                    {
                        "id": code,
                        "framework": "TT02-2025",
                        "competence": competence,
                        "level": level,
                        "groups": ["resident"],
                        "type": "single_choice",
                        "stem": f"Câu thích ứng {code}?",
                        "explanation": "Giải thích bí mật",
                        "options": [
                            {"text": "Đúng", "correct": True},
                            {"text": "Sai một", "correct": False},
                            {"text": "Sai hai", "correct": False},
                        ],
                    }
                )
    return items
