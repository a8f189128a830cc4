"""The bank linter (`kynangso lint-items`): the shipped bank passes every rule of docs/item-writing.md, and each
rule fails on the cue or gap it is there to catch."""

import copy

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from kynangso.assessment import lint


def item(n: int, competence="1.1", level=1, key="Gọi tổng đài ngân hàng", **extra) -> dict:
    return {
        "id": f"KNS-{competence}-{n:03d}",
        "framework": "TT02-2025",
        "competence": competence,
        "level": level,
        "groups": ["resident"],
        "type": "single_choice",
        "stem": f"Tình huống {competence}-{n}: " + " ".join(f"t{competence}x{n}x{i}" for i in range(6)),
        "options": [
            {"text": key, "correct": True},
            {"text": "Bấm vào đường link lạ", "why": "Link giả."},
            {"text": "Gọi lại số vừa nhắn tin", "why": "Số lạ."},
            {"text": "Chuyển tiền để mở khóa", "why": "Lừa đảo."},
        ],
        **extra,
    }


STANDARD = {
    "code": "THU",
    "target_group": "resident",
    "framework": "TT02-2025",
    "max_attempts_per_year": 2,
    "blueprint": [{"competence": "1.1", "level": 1, "items": 1}, {"competence": "4.2", "level": 1, "items": 1}],
}


def write(tmp_path, items, standards=(STANDARD,)):
    folder = tmp_path / "items"
    folder.mkdir()
    (folder / "bank.yaml").write_text(yaml.safe_dump(list(items), allow_unicode=True), encoding="utf-8")
    standards_path = tmp_path / "standards.yaml"
    standards_path.write_text(yaml.safe_dump(list(standards), allow_unicode=True), encoding="utf-8")
    return folder, standards_path


def clean_bank() -> list[dict]:
    """Five items per cell, keys no longer than the distractors."""
    return [item(n, competence, key="Gọi tổng đài") for competence in ("1.1", "4.2") for n in range(1, 6)]


def rules(tmp_path, items, standards=(STANDARD,)) -> set[str]:
    return {f.rule for f in lint.lint(*write(tmp_path, items, standards))}


def test_a_clean_bank_has_no_finding(tmp_path):
    assert rules(tmp_path, clean_bank()) == set()


def test_a_planted_length_cue_fails_the_item_and_the_standard(tmp_path):
    bank = clean_bank()
    long_key = "Gọi đúng số tổng đài in ở mặt sau thẻ ngân hàng để hỏi, không bấm đường link trong tin nhắn"
    for entry in bank:
        entry["options"][0]["text"] = long_key
    found = lint.lint(*write(tmp_path, bank))
    assert {f.rule for f in found} == {"key-length", "key-longest"}
    assert any("THU" in f.where and "100%" in f.message for f in found if f.rule == "key-longest")


def test_multiple_response_needs_two_wrong_options_and_every_distractor_a_why(tmp_path):
    bank = clean_bank()
    bank[0] = {
        **bank[0],
        "type": "multiple_response",
        "options": [
            {"text": "A đúng", "correct": True},
            {"text": "B đúng", "correct": True},
            {"text": "C đúng", "correct": True},
            {"text": "D sai", "correct": False, "why": "vì sao"},
        ],
    }
    del bank[1]["options"][2]["why"]
    assert {"multiple-response", "why"} <= rules(tmp_path, bank)


def test_near_duplicate_stems_are_found_but_variants_of_one_family_are_not(tmp_path):
    bank = clean_bank()
    bank[1]["stem"] = bank[0]["stem"] + " nhé"
    found = lint.lint(*write(tmp_path, bank))
    assert [f.where for f in found if f.rule == "near-duplicate"] == ["KNS-1.1-001 / KNS-1.1-002"]


def test_a_small_pool_and_its_exposure_after_the_yearly_attempts_are_reported(tmp_path):
    bank = clean_bank()[:3] + clean_bank()[5:]
    found = lint.lint(*write(tmp_path, bank))
    assert [f.where for f in found if f.rule == "pool"] == ["THU 1.1/1"]
    (tmp_path / "b").mkdir()
    many = {**STANDARD, "max_attempts_per_year": 5}
    assert rules(tmp_path / "b", clean_bank(), [many]) == {"exposure"}


def test_items_of_another_target_group_do_not_fill_a_standards_pool(tmp_path):
    bank = clean_bank()
    for entry in bank[:5]:
        entry["groups"] = ["official"]
    assert "pool" in rules(tmp_path, bank)


def test_true_false_items_that_a_form_could_not_avoid_are_reported(tmp_path):
    bank = clean_bank()
    for entry in bank:
        entry.update(
            type="true_false",
            options=[{"text": "Đúng", "correct": True}, {"text": "Sai", "correct": False, "why": "vì"}],
        )
    assert "true-false" in rules(tmp_path, bank)


def test_a_family_whose_key_never_changes_is_reported(tmp_path):
    family = copy.deepcopy(clean_bank()[0])
    family.update(
        id="KNS-1.1-F01", stem="Tin nhắn của {bank} số {n}", variants=[{"bank": "A", "n": 1}, {"bank": "B", "n": 2}]
    )
    found = lint.lint(*write(tmp_path, clean_bank() + [family]))
    assert [f.where for f in found if f.rule == "family"] == ["KNS-1.1-F01"]


def test_the_command_fails_with_the_findings_and_passes_on_a_clean_bank(tmp_path, capsys):
    folder, standards = write(tmp_path, clean_bank())
    call_command("lint-items", items=str(folder), standards=str(standards))
    assert "đạt mọi quy tắc" in capsys.readouterr().out
    bank = clean_bank()
    bank[0]["options"][0]["text"] = "Một đáp án rất dài, dài hơn hẳn mọi phương án nhiễu của câu này nhiều lần"
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="key-length"):
        call_command("lint-items", items=str(folder), standards=str(standards))
    assert "[key-length] bank.yaml KNS-1.1-001" in capsys.readouterr().out


def test_the_shipped_bank_passes_every_rule():
    found = lint.lint(settings.CONTENT_DIR / "items", settings.CONTENT_DIR / "standards" / "defaults.yaml")
    assert [str(f) for f in found] == []
