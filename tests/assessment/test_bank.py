"""The item bank: versions, review workflow with four eyes, and an edited item never rescoring a taken attempt."""

import pytest
from django.conf import settings

from kynangso.accounts.api import SYSTEM
from kynangso.assessment import api as assessment
from kynangso.assessment.models import AttemptItem, Item, ItemVersion, ReviewStatus
from kynangso.errors import DomainError
from tests.assessment.answers import answer_all
from tests.assessment.conftest import bank_items
from tests.factories import make_user


def test_loading_the_same_items_again_changes_nothing(bank):
    counts = assessment.save_items(bank_items(), source="test", publish=True, actor=SYSTEM)
    assert counts == {"created": 0, "changed": 0, "unchanged": 18}
    assert ItemVersion.objects.count() == 18


def test_a_bad_item_in_a_batch_saves_nothing(framework):
    items = bank_items()
    items[4]["options"] = [{"text": "Không có đáp án đúng", "correct": False}, {"text": "Khác", "correct": False}]
    with pytest.raises(DomainError, match="T-1.1-2-1"):
        assessment.save_items(items, source="test", publish=True, actor=SYSTEM)
    assert Item.objects.count() == 0


def test_an_edited_item_never_changes_the_score_of_a_taken_attempt(standard, resident):
    attempt = assessment.start_attempt(person=resident, standard=standard, started_by=resident.user)
    answer_all(attempt)
    result = assessment.submit_attempt(attempt=attempt)
    slot = (
        AttemptItem.objects.select_related("item_version__item")
        .filter(attempt=attempt)
        .exclude(item_version__type="numeric")
        .first()
    )
    item, old_version = slot.item_version.item, slot.item_version
    author, reviewer = make_user("tacgia"), make_user("thamdinh")
    data = assessment.data_from_version(old_version)
    # Move the key: the first option becomes wrong, the third right (valid for single and multiple choice).
    data["options"] = [
        {**o, "correct": {0: False, 2: True}.get(i, o["correct"])} for i, o in enumerate(data["options"])
    ]
    new = assessment.edit_item(item=item, data=data, actor=author)
    assessment.review_version(version=new, reviewer=reviewer)
    assessment.publish_version(version=new, actor=reviewer)

    slot.refresh_from_db()
    attempt.refresh_from_db()
    assert slot.item_version_id == old_version.pk and attempt.score_percent == result.score_percent == 100.0
    old_version.refresh_from_db()
    assert old_version.status == ReviewStatus.RETIRED
    assert Item.objects.get(pk=item.pk).live_version_id == new.pk


def test_the_author_cannot_review_their_own_item(bank):
    author = make_user("tacgia")
    item = Item.objects.first()
    data = assessment.data_from_version(item.live_version)
    data["stem"] = "Nội dung đã sửa?"
    draft = assessment.edit_item(item=item, data=data, actor=author)
    with pytest.raises(DomainError, match="khác người soạn"):
        assessment.review_version(version=draft, reviewer=author)
    assert Item.objects.get(pk=item.pk).live_version_id == item.live_version_id  # the draft is not live


def test_only_reviewed_versions_go_live(bank):
    item = Item.objects.first()
    data = assessment.data_from_version(item.live_version)
    data["stem"] = "Nội dung mới?"
    draft = assessment.edit_item(item=item, data=data, actor=make_user("tacgia"))
    with pytest.raises(DomainError, match="đã thẩm định"):
        assessment.publish_version(version=draft, actor=make_user("ai_do"))


def test_a_retired_item_is_not_drawn(standard, resident):
    for item in Item.objects.filter(competence_code="1.1", level=1)[:1]:
        assessment.retire_item(item=item, actor=None)
    assert assessment.blueprint_shortages(standard) == []
    for item in Item.objects.filter(competence_code="1.1", level=1, live_version__isnull=False):
        assessment.retire_item(item=item, actor=None)
    assert "1.1" in assessment.blueprint_shortages(standard)[0]


def test_the_shipped_bank_fills_every_default_standard(db):
    """Every competence of the resident, official, leader, DX-specialist and pupil standards has live items at the
    levels those standards need, twice over where the bank allows, and at least 240 assessment items ship."""
    from django.core.management import call_command

    call_command("load-content", verbosity=0)
    assert Item.objects.filter(use="assessment").count() >= 240
    standards = list(assessment.Standard.objects.all())
    assert {s.target_group for s in standards} >= {"resident", "official", "leader", "dx_specialist", "student"}
    for standard in standards:
        assert assessment.blueprint_shortages(standard) == [], standard.code


def test_shipped_items_are_nfc_and_have_plausible_distractors(db):
    import unicodedata

    from django.core.management import call_command

    call_command("load-content", verbosity=0)
    for version in ItemVersion.objects.filter(type="single_choice"):
        assert unicodedata.is_normalized("NFC", version.stem)
        options = version.body["options"]
        assert len(options) >= 3 and sum(o["correct"] for o in options) == 1
        assert len({o["text"] for o in options}) == len(options)
    assert settings.CONTENT_DIR.exists()


# The actor is required (issue 13, finding 17) ------------------------------------------------------------------------


def test_saving_items_without_an_actor_fails_instead_of_skipping_the_check(framework):
    with pytest.raises(TypeError, match="actor is required"):
        assessment.save_items(bank_items(), source="test", actor=None)
    with pytest.raises(TypeError):
        assessment.save_items(bank_items(), source="test")  # the actor forgotten
    with pytest.raises(TypeError, match="actor is required"):
        assessment.load_item_files(sorted((settings.CONTENT_DIR / "items").glob("practice-*.yaml")), actor=None)

    assert not Item.objects.exists()


def test_an_account_that_does_not_write_items_cannot_save_them(framework, province):
    provincial_reviewer = make_user("tinh_tham_dinh", "provincial_admin", province.root)  # reviews, does not write

    with pytest.raises(DomainError) as error:
        assessment.save_items(bank_items(), source="test", actor=provincial_reviewer)

    assert error.value.code == "forbidden"
    assert not Item.objects.exists()


def test_an_author_saves_drafts_recorded_as_theirs(framework, province):
    author = make_user("tac_gia", "content_author", province.root)

    counts = assessment.save_items(bank_items(), source="test", actor=author)

    assert counts["created"] == 18
    assert set(ItemVersion.objects.values_list("status", "created_by")) == {(ReviewStatus.DRAFT, author.pk)}


def test_items_loaded_by_the_system_go_live_recorded_as_written_by_no_user(framework):
    assessment.save_items(bank_items(), source="test", publish=True, actor=SYSTEM)

    assert set(ItemVersion.objects.values_list("status", "created_by", "published_by")) == {
        (ReviewStatus.LIVE, None, None)
    }
