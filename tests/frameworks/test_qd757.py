"""Quyết định 757/QĐ-BKHCN as data: its four target groups, group 0 for citizens only, and which TT02-2025
competences assess each of its competences."""

from django.conf import settings

from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks


def load():
    return frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "qd757-2025.yaml")


def test_the_framework_names_its_four_target_groups_and_is_marked_unconfirmed(db):
    framework = load()
    assert [g["code"] for g in framework.target_groups] == [
        "pupils_students",
        "citizens",
        "officials",
        "enterprise_workers",
    ]
    assert framework.confirmed is False and "CHƯA đối chiếu" in framework.note


def test_group_0_device_use_is_for_citizens_only(db):
    load()
    citizens = [c.code for c in frameworks.competences_for_group("QD757-2025", "citizens")]
    officials = [c.code for c in frameworks.competences_for_group("QD757-2025", "officials")]
    assert citizens[:2] == ["0.1", "0.2"] and "0.1" not in officials
    assert frameworks.competence("QD757-2025", "0.1").domain.name == "Sử dụng thiết bị và phần mềm trên thiết bị"
    assert len(officials) == 24


def test_every_competence_is_assessed_by_tt02_competences(db):
    load()
    frameworks.load_framework_file(settings.CONTENT_DIR / "frameworks" / "tt02-2025.yaml")
    tt02 = {c.code for c in frameworks.competences("TT02-2025")}
    for competence in frameworks.competences("QD757-2025"):
        mapped = frameworks.assessed_by("QD757-2025", competence.code)
        assert mapped and all(fw == "TT02-2025" and code in tt02 for fw, code in mapped), competence.code
    assert frameworks.assessed_by("QD757-2025", "0.2") == [
        ("TT02-2025", "4.1"),
        ("TT02-2025", "5.1"),
        ("TT02-2025", "1.3"),
    ]


def test_a_mapping_or_group_the_framework_does_not_have_is_refused(db):
    import pytest

    data = {
        "code": "X",
        "name": "X",
        "version": "1",
        "target_groups": [{"code": "a", "name": "A"}],
        "levels": [{"code": 1, "name": "1", "tier": "t", "tier_name": "T"}],
        "domains": [
            {
                "code": "1",
                "name": "D",
                "competences": [{"code": "1.1", "name": "C", "groups": ["b"], "maps_to": ["TT02-2025 1.1"]}],
            }
        ],
    }
    with pytest.raises(DomainError) as refused:
        frameworks.load_framework(data)
    assert "«b»" in refused.value.message and "KHUNG|mã năng lực" in refused.value.message
