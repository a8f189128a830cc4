"""Item families: one scenario, many variants whose stems and keys differ, so an answer sheet keyed on the question
text does not carry from one variant to another."""

from kynangso.assessment import families

FAMILY = {
    "id": "KNS-4.2-F99",
    "framework": "TT02-2025",
    "competence": "4.2",
    "level": 1,
    "groups": ["resident"],
    "type": "single_choice",
    "stem": "Tin nhắn từ số {sender}: «{bank} khóa tài khoản, bấm {link}». Bạn làm gì?",
    "options": [
        {"text": "Gọi tổng đài in trên thẻ {bank}", "correct": True},
        {"text": "Bấm {link} xem thử", "why": "Link giả."},
        {"text": "Trả lời tin nhắn số {sender}", "why": "Số lạ."},
        {"text": "Chuyển tin cho người thân nhờ bấm {link}", "why": "Vẫn là link giả."},
    ],
    "variants": [
        {"sender": "0912 345 678", "bank": "Vietcombank", "link": "vcb-mokhoa.top"},
        {"sender": "0387 111 222", "bank": "Agribank", "link": "agri-hotro.online"},
        {"sender": "0765 000 999", "bank": "BIDV", "link": "bidv-xacthuc.com", "correct": [2]},
    ],
}


def test_a_family_expands_into_one_item_per_variant_with_its_own_stem_and_key():
    items, problems = families.expand(FAMILY)
    assert problems == []
    assert [i["id"] for i in items] == ["KNS-4.2-F99-1", "KNS-4.2-F99-2", "KNS-4.2-F99-3"]
    assert {i["family"] for i in items} == {"KNS-4.2-F99"}
    assert len({i["stem"] for i in items}) == 3
    keys = [next(o["text"] for o in i["options"] if o["correct"]) for i in items]
    assert keys == [
        "Gọi tổng đài in trên thẻ Vietcombank",
        "Gọi tổng đài in trên thẻ Agribank",
        "Bấm bidv-xacthuc.com xem thử",
    ]
    assert "variants" not in items[0] and "{" not in items[0]["stem"]


def test_a_variant_missing_a_value_or_naming_a_wrong_option_is_refused_with_the_reason():
    broken = {
        **FAMILY,
        "variants": [{"sender": "1", "bank": "A"}, {"sender": "2", "bank": "B", "link": "x", "correct": [9]}],
    }
    items, problems = families.expand(broken)
    assert items == []
    messages = " ".join(p.message for p in problems)
    assert "link" in messages and "correct" in messages


def test_a_file_mixes_families_and_single_items_in_order():
    single = {"id": "KNS-1.1-001", "type": "single_choice", "stem": "?", "options": []}
    items, problems = families.expand_all([single, FAMILY], "x.yaml")
    assert problems == [] and [i["id"] for i in items][:2] == ["KNS-1.1-001", "KNS-4.2-F99-1"]
