"""Item-bank interchange: Moodle XML, GIFT and XLSX, round trips of the real bank and foreign samples (no database)."""

import copy
import io
from pathlib import Path

import pytest

from kynangso.assessment.interchange import (
    ITEM_TYPES,
    Problem,
    normalize_item,
    read_gift,
    read_moodle_xml,
    read_xlsx,
    validate_item,
    write_gift,
    write_moodle_xml,
    write_xlsx,
)

CONTENT_ITEMS = Path(__file__).resolve().parents[2] / "content" / "items"


@pytest.fixture(scope="module")
def bank() -> list[dict]:
    yaml = pytest.importorskip("yaml")
    from kynangso.assessment import families

    items = []
    for path in sorted(CONTENT_ITEMS.glob("*.yaml")):
        expanded, problems = families.expand_all(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
        assert problems == []
        # A variant's `family` is an item-level tag the exchange formats do not carry: it round-trips without it.
        items.extend({key: value for key, value in item.items() if key != "family"} for item in expanded)
    assert len(items) > 100
    return items


def messages(problems):
    return [str(p) for p in problems]


# ------------------------------------------------------------------------------------------------ round trips


def test_bank_is_valid_and_covers_every_type(bank):
    assert {item["type"] for item in bank} == set(ITEM_TYPES)
    for item in bank:
        assert validate_item(item, item["id"]) == [], item["id"]


def test_moodle_xml_round_trip_keeps_everything(bank):
    data = write_moodle_xml(bank)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    items, problems = read_moodle_xml(data)
    assert problems == []
    assert len(items) == len(bank)
    expected = {item["id"]: normalize_item(item) for item in bank}
    for item in items:
        assert item == expected[item["id"]]


def test_moodle_xml_writes_categories_tags_and_fractions(bank):
    item = next(i for i in bank if i["type"] == "multiple_response")
    text = write_moodle_xml([item]).decode("utf-8")
    assert f"$course$/top/KNS/TT02-2025/{item['competence']}" in text
    assert f"<text>kns-competence:{item['competence']}</text>" in text
    assert f"<text>kns-id:{item['id']}</text>" in text
    assert f"<text>kns-level:{item['level']}</text>" in text
    assert "<single>false</single>" in text
    n_right = sum(1 for o in item["options"] if o["correct"])
    share = f"{100 / n_right:.5f}".rstrip("0").rstrip(".")
    assert f'fraction="{share}"' in text
    assert 'fraction="-' in text


def test_gift_round_trip_keeps_everything_but_ordering(bank):
    text, skipped = write_gift(bank)
    ordering = [item["id"] for item in bank if item["type"] == "ordering"]
    assert skipped == ordering
    items, problems = read_gift(text)
    assert problems == []
    assert len(items) == len(bank) - len(ordering)
    expected = {item["id"]: normalize_item(item) for item in bank}
    for item in items:
        assert item == expected[item["id"]]


def test_xlsx_round_trip_keeps_everything(bank):
    data = write_xlsx(bank)
    items, problems = read_xlsx(data)
    assert problems == []
    assert len(items) == len(bank)
    expected = {item["id"]: normalize_item(item) for item in bank}
    for item in items:
        assert item == expected[item["id"]]


def test_xlsx_layout_and_formula_like_text_stays_text(bank):
    openpyxl = pytest.importorskip("openpyxl")
    formula_item = next(i for i in bank if any(o["text"].startswith("=") for o in i.get("options", [])))
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx([formula_item])))
    assert workbook.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    sheet = workbook["Câu hỏi"]
    headers = [c.value for c in sheet[1]]
    for header in (
        "Mã câu hỏi",
        "Khung",
        "Năng lực",
        "Mức",
        "Nhóm đối tượng",
        "Loại",
        "Nội dung câu hỏi",
        "Phương án A",
        "Phương án H",
        "Đáp án đúng",
        "Thứ tự đúng / Cặp ghép",
        "Đáp số",
        "Sai số",
        "Giải thích",
        "Nguồn",
    ):
        assert header in headers
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert workbook["Hướng dẫn"].max_row > 10


def test_readers_normalise_to_nfc():
    decomposed = "Mâ\u0323t khâ\u0309u"  # "Mật khẩu" with combining marks
    item = {
        "id": "KNS-4.2-900",
        "type": "short_text",
        "level": 2,
        "stem": decomposed + " là gì?",
        "answers": [decomposed],
    }
    items, problems = read_gift(write_gift([item])[0])
    assert problems == []
    assert items[0]["stem"] == "Mật khẩu là gì?"
    assert items[0]["answers"] == ["Mật khẩu"]


# ------------------------------------------------------------------------------------------------ validation


def test_validate_item_rules():
    base = {
        "id": "KNS-1.1-900",
        "framework": "TT02-2025",
        "competence": "1.1",
        "level": 2,
        "groups": ["resident"],
        "type": "single_choice",
        "stem": "Câu hỏi?",
        "options": [{"text": "Đúng ý", "correct": True}, {"text": "Sai ý", "correct": False}],
    }
    assert validate_item(base, "x") == []

    def problems_of(**changes):
        item = copy.deepcopy(base)
        item.update(changes)
        return [p.message for p in validate_item(item, "Câu hỏi 1")]

    assert problems_of(options=[{"text": "a", "correct": False}, {"text": "b", "correct": False}]) == [
        "thiếu đáp án đúng"
    ]
    assert "một đáp án đúng" in problems_of(options=[{"text": "a", "correct": True}, {"text": "b", "correct": True}])[0]
    assert problems_of(options=[{"text": "a", "correct": True}])
    assert "mức '9'" in problems_of(level=9)[0]
    assert problems_of(level=0)
    assert problems_of(stem="   ") == ["thiếu nội dung câu hỏi"]
    assert "loại 'essay' chưa được hỗ trợ" in problems_of(type="essay")[0]
    assert problems_of(type="multiple_response") == []
    assert problems_of(type="true_false")  # options must be Đúng/Sai
    assert (
        problems_of(type="true_false", options=[{"text": "Đúng", "correct": True}, {"text": "Sai", "correct": False}])
        == []
    )
    assert problems_of(type="ordering", sequence=["một bước"])
    assert problems_of(type="ordering", sequence=["a", "b"]) == []
    assert problems_of(type="matching", pairs=[{"left": "a", "right": "b"}])
    assert problems_of(type="matching", pairs=[{"left": "a", "right": "b"}, {"left": "c", "right": "d"}]) == []
    assert problems_of(type="short_text", answers=[])
    assert problems_of(type="numeric", answer="nhiều")
    assert problems_of(type="numeric", answer=3, tolerance=-1)
    assert problems_of(type="numeric", answer=3.5, tolerance=0.1) == []
    problem = validate_item({**base, "level": 9}, "Dòng 7")[0]
    assert isinstance(problem, Problem) and str(problem).startswith("Dòng 7: mức '9'")


# ------------------------------------------------------------------------------------------------ Moodle samples

MOODLE_SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for An toàn số/Mật khẩu</text>
    </category>
    <info format="moodle_auto_format">
      <text>Ngân hàng câu hỏi mẫu</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 101  -->
  <question type="multichoice">
    <name>
      <text>Mật khẩu mạnh</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">Mật khẩu nào <strong>mạnh</strong> nhất?&nbsp;</p>
<p><img src="https://example.org/matkhau.png" alt="ảnh" width="300"></p><script>alert(1)</script>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Mật khẩu dài, có chữ hoa, chữ thường, số và ký hiệu thì khó đoán hơn.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <answer fraction="100" format="html">
      <text><![CDATA[<p dir="ltr">Tr&#x1EE9;ng#Ch&iacute;n_2024!</p>]]></text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>123456</p>]]></text>
      <feedback format="html">
        <text><![CDATA[<p>Quá ngắn &amp; quá phổ biến.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text><![CDATA[<p>ngaysinh1990</p>]]></text>
      <feedback format="html">
        <text><![CDATA[<p>Dễ đoán từ thông tin cá nhân.</p>]]></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>kns-competence:4.1</text></tag>
      <tag><text>kns-level:2</text></tag>
      <tag><text>kns-framework:TT02-2025</text></tag>
      <tag><text>kns-group:resident</text></tag>
      <tag><text>kns-group:official</text></tag>
      <tag><text>An toàn</text></tag>
    </tags>
  </question>

<!-- question: 102  -->
  <question type="truefalse">
    <name>
      <text>Chia sẻ OTP</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Có thể đọc mã OTP cho nhân viên ngân hàng gọi điện đến.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>KNS-4.1-950</idnumber>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text><![CDATA[<p>Ngân hàng không bao giờ hỏi mã OTP.</p>]]></text>
      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>

<!-- question: 103  -->
  <question type="matching">
    <name>
      <text>Ghép ứng dụng</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Ghép mỗi việc với ứng dụng phù hợp.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <shuffleanswers>true</shuffleanswers>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <subquestion format="html">
      <text><![CDATA[<p>Xuất trình căn cước điện tử</p>]]></text>
      <answer>
        <text>VNeID</text>
      </answer>
    </subquestion>
    <subquestion format="html">
      <text><![CDATA[<p>Nộp hồ sơ trực tuyến</p>]]></text>
      <answer>
        <text>Cổng Dịch vụ công quốc gia</text>
      </answer>
    </subquestion>
    <subquestion format="html">
      <text></text>
      <answer>
        <text>Zalo</text>
      </answer>
    </subquestion>
  </question>

<!-- question: 104  -->
  <question type="shortanswer">
    <name>
      <text>Toán tử site</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Toán tử nào giới hạn kết quả tìm kiếm trong một tên miền?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <usecase>0</usecase>
    <answer fraction="100" format="moodle_auto_format">
      <text>site:</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>site</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
  </question>

<!-- question: 105  -->
  <question type="numerical">
    <name>
      <text>Phần trăm tăng</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Giá tăng từ 20.000 đ lên 25.000 đ. Tăng bao nhiêu phần trăm?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>(25.000 − 20.000) : 20.000 × 100% = 25%.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>25</text>
      <feedback format="html">
        <text></text>
      </feedback>
      <tolerance>0.5</tolerance>
    </answer>
    <unitgradingtype>0</unitgradingtype>
    <unitpenalty>0.1000000</unitpenalty>
    <showunits>3</showunits>
    <unitsleft>0</unitsleft>
  </question>

<!-- question: 106  -->
  <question type="essay">
    <name>
      <text>Mật khẩu tự luận</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Mật khẩu của bạn được bảo vệ thế nào? Hãy trình bày.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>10</responsefieldlines>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <graderinfo format="html">
      <text></text>
    </graderinfo>
    <responsetemplate format="html">
      <text></text>
    </responsetemplate>
  </question>

</quiz>
"""


def test_read_moodle_4_export_sample():
    items, problems = read_moodle_xml(MOODLE_SAMPLE.encode("utf-8"))
    assert [i["type"] for i in items] == ["single_choice", "true_false", "matching", "short_text", "numeric"]
    choice, true_false, matching, short, numeric = items

    assert choice["stem"] == "Mật khẩu nào mạnh nhất?"  # tags stripped, &nbsp; gone, script dropped
    assert choice["image"] == "https://example.org/matkhau.png"
    assert choice["competence"] == "4.1" and choice["level"] == 2 and choice["framework"] == "TT02-2025"
    assert choice["groups"] == ["resident", "official"]
    assert "id" not in choice
    assert choice["options"][0] == {"text": "Trứng#Chín_2024!", "correct": True}
    assert choice["options"][1] == {"text": "123456", "correct": False, "why": "Quá ngắn & quá phổ biến."}
    assert choice["explanation"].startswith("Mật khẩu dài")

    assert true_false["id"] == "KNS-4.1-950"
    assert true_false["options"] == [
        {"text": "Đúng", "correct": False, "why": "Ngân hàng không bao giờ hỏi mã OTP."},
        {"text": "Sai", "correct": True},
    ]
    assert matching["pairs"] == [
        {"left": "Xuất trình căn cước điện tử", "right": "VNeID"},
        {"left": "Nộp hồ sơ trực tuyến", "right": "Cổng Dịch vụ công quốc gia"},
    ]
    assert short["answers"] == ["site:", "site"]
    assert numeric["answer"] == 25 and numeric["tolerance"] == 0.5
    assert numeric["explanation"] == "(25.000 − 20.000) : 20.000 × 100% = 25%."

    # the essay is left out and named
    assert matching["distractors"] and "notes" not in matching  # the extra right-hand side is kept
    texts = messages(problems)
    assert len(texts) == 1
    essay = texts[0]
    assert essay.startswith("Câu hỏi 6 («Mật khẩu của bạn được bảo vệ thế nào?")
    assert "loại 'essay' (tự luận) chưa được hỗ trợ nên không được nhập; kynangso nhận: multichoice" in essay


def test_moodle_xml_with_doctype_or_entities_is_refused():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        b'<quiz><question type="truefalse"><questiontext format="html"><text>&b;</text></questiontext>'
        b"</question></quiz>"
    )
    items, problems = read_moodle_xml(bomb)
    assert items == []
    assert len(problems) == 1 and "DOCTYPE/ENTITY" in problems[0].message
    external = b'<?xml version="1.0"?><!doctype quiz SYSTEM "file:///etc/passwd"><quiz/>'
    assert read_moodle_xml(external)[0] == [] and read_moodle_xml(external)[1]
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE quiz [<!ENTITY x "y">]><quiz/>'.encode("utf-16")
    assert "DOCTYPE" in read_moodle_xml(utf16)[1][0].message


def test_moodle_xml_broken_files_give_problems_not_exceptions():
    for data in (b"", b"<quiz>", b"not xml at all", b"<html><body/></html>", "<quiz>\u0000</quiz>".encode()):
        items, problems = read_moodle_xml(data)
        assert items == [] and problems and problems[0].location == "Tệp"
    half = (
        '<quiz><question type="multichoice"><questiontext format="html"><text>Hỏi?</text></questiontext>'
        '<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question></quiz>'
    )
    items, problems = read_moodle_xml(half.encode("utf-8"))
    assert items == [] and messages(problems) == ["Câu hỏi 1 («Hỏi?»): thiếu đáp án đúng"]


# ------------------------------------------------------------------------------------------------ GIFT samples

GIFT_SAMPLE = r"""// Ngân hàng mẫu, soạn tay
$CATEGORY: $course$/top/An toàn số

// kns: id=KNS-4.2-901 framework=TT02-2025 competence=4.2 level=3 groups=resident,official
::Tỷ lệ\: chuẩn::Công thức \=SUM(A1\:A3) cộng gì? Ghi chú\: dùng \{ và \} \~ \# {
=Các ô A1, A2, A3#Đúng\: phạm vi A1\:A3
~Chỉ A1 và A3#Dấu hai chấm \: là phạm vi, không phải «và»
~Không gì cả
####Dấu \: trong Excel chỉ một phạm vi ô.\nXem thêm hướng dẫn.
}

::Chọn nhiều::Những việc nào giúp bảo vệ tài khoản? {
~%50%Bật xác thực hai lớp
~%50%Dùng mật khẩu riêng cho từng dịch vụ
~%-100%Dùng chung một mật khẩu#Lộ một nơi là lộ tất cả
}

::TF::Mã OTP có thể đọc cho người lạ. {FALSE#Không bao giờ đưa OTP cho người khác.####OTP là chìa khóa giao dịch.}

::Ghép::Ghép ứng dụng với việc. {=VNeID -> Căn cước điện tử =Cổng DVC -> Nộp hồ sơ}

::Ngắn::Toán tử giới hạn tên miền là gì? {=site\: =site}

::Số::Bao nhiêu phần trăm? {#25:0.5}

::Khoảng::Số trong khoảng? {#1..5}

::Tự luận::Trình bày cách bảo vệ mật khẩu. {}

::Mô tả::Đây chỉ là đoạn mô tả, không có đáp án.
"""


def test_read_gift_sample_with_escapes():
    items, problems = read_gift(GIFT_SAMPLE)
    assert [i["type"] for i in items] == [
        "single_choice",
        "multiple_response",
        "true_false",
        "matching",
        "short_text",
        "numeric",
        "numeric",
    ]
    first = items[0]
    assert first["id"] == "KNS-4.2-901" and first["competence"] == "4.2" and first["level"] == 3
    assert first["groups"] == ["resident", "official"]
    assert first["stem"] == "Công thức =SUM(A1:A3) cộng gì? Ghi chú: dùng { và } ~ #"
    assert first["options"][0] == {"text": "Các ô A1, A2, A3", "correct": True, "why": "Đúng: phạm vi A1:A3"}
    assert first["options"][1]["why"] == "Dấu hai chấm : là phạm vi, không phải «và»"
    assert first["explanation"] == "Dấu : trong Excel chỉ một phạm vi ô.\nXem thêm hướng dẫn."
    multi = items[1]
    assert [o["correct"] for o in multi["options"]] == [True, True, False]
    assert multi["options"][2]["why"] == "Lộ một nơi là lộ tất cả"
    assert "id" not in multi  # a free title is not an id
    true_false = items[2]
    assert true_false["options"] == [
        {"text": "Đúng", "correct": False, "why": "Không bao giờ đưa OTP cho người khác."},
        {"text": "Sai", "correct": True},
    ]
    assert true_false["explanation"] == "OTP là chìa khóa giao dịch."
    assert items[3]["pairs"] == [
        {"left": "VNeID", "right": "Căn cước điện tử"},
        {"left": "Cổng DVC", "right": "Nộp hồ sơ"},
    ]
    assert items[4]["answers"] == ["site:", "site"]
    assert (items[5]["answer"], items[5]["tolerance"]) == (25, 0.5)
    assert (items[6]["answer"], items[6]["tolerance"]) == (3, 2)
    texts = messages(problems)
    assert len(texts) == 2
    assert texts[0].startswith("Câu hỏi 8 (dòng 28) («Trình bày cách bảo vệ mật khẩu.»): loại 'essay'")
    assert "thiếu phần đáp án" in texts[1]


def test_gift_writer_escapes_special_characters():
    item = {
        "id": "KNS-3.4-900",
        "type": "single_choice",
        "level": 3,
        "stem": "Ô {B2} chứa ~ và # thì công thức =B2*2: ra gì?\nDòng hai.",
        "options": [{"text": "=B2*2", "correct": True}, {"text": "a -> b \\ c", "correct": False, "why": "#1"}],
        "explanation": "Vì: {x}",
    }
    text, skipped = write_gift([item])
    assert skipped == []
    assert r"Ô \{B2\} chứa \~ và \# thì công thức \=B2*2\: ra gì?\nDòng hai." in text
    assert r"=\=B2*2" in text
    items, problems = read_gift(text)
    assert problems == []
    assert items[0] == normalize_item(item)


def test_write_gift_skips_ordering_with_ids():
    item = {"id": "KNS-1.1-990", "type": "ordering", "level": 1, "stem": "Xếp", "sequence": ["a", "b"]}
    text, skipped = write_gift([item])
    assert (text, skipped) == ("", ["KNS-1.1-990"])


# ------------------------------------------------------------------------------------------------ XLSX samples


def _sheet_with_rows(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Câu hỏi"
    sheet.append(
        [
            "Mã câu hỏi",
            "Năng lực",
            "Mức",
            "Loại",
            "Nội dung câu hỏi",
            "Phương án A",
            "Phương án B",
            "Phương án C",
            "Đáp án đúng",
            "Thứ tự đúng / Cặp ghép",
            "Đáp số",
            "Sai số",
            "Giải thích",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_read_xlsx_hand_filled_rows_with_problems():
    data = _sheet_with_rows(
        [
            [
                "KNS-4.2-901",
                "4.2",
                2,
                "Một lựa chọn",
                "Mật khẩu nào mạnh nhất?",
                "123456",
                "Trứng#Chín_2024!",
                "ngaysinh",
                "b",
                None,
                None,
                None,
                "Dài và đa dạng ký tự.",
            ],  # row 2: good
            [
                "KNS-4.2-902",
                4.2,
                2,
                "Nhiều lựa chọn",
                "Việc nào an toàn?",
                "Bật 2 lớp",
                "Mật khẩu riêng",
                "Dùng chung",
                None,
                None,
                None,
                None,
                None,
            ],  # row 3: no answer
            ["KNS-4.2-903", "4.2", 9, "single_choice", "Câu mức 9?", "a", "b", None, "A"],  # row 4: level 9
            [None, None, None, None, None, None],  # row 5: empty
            ["KNS-4.2-904", "4.2", 1, "Tự luận", "Trình bày…"],  # row 6: type
            ["KNS-4.2-905", "4.2", 1, "Đúng/Sai", "OTP là bí mật.", None, None, None, "Đúng"],  # row 7: good
            [
                "KNS-4.2-906",
                "4.2",
                1,
                "Sắp xếp",
                "Xếp các bước",
                None,
                None,
                None,
                None,
                "1. Mở ứng dụng\n2. Đăng nhập\n3. Đổi mật khẩu",
            ],  # row 8: good
            [
                "KNS-4.2-907",
                "4.2",
                1,
                "ghép cặp",
                "Ghép",
                None,
                None,
                None,
                None,
                "VNeID => Căn cước\nCổng DVC => Hồ sơ",
            ],  # row 9: good
            ["KNS-4.2-908", "4.2", 1, "Số", "Bao nhiêu?", None, None, None, None, None, "6,5", None],  # row 10: good
            ["KNS-4.2-909", "4.2", 1, "Số", "Bao nhiêu?", None, None, None, None, None, "nhiều"],  # row 11: bad
            ["KNS-4.2-910", "4.2", 1, "Một lựa chọn", "Chọn?", "a", None, None, "C"],  # row 12: C empty
            ["KNS-4.2-901", "4.2", 1, "Trả lời ngắn", "Trùng mã?", None, None, None, "x"],  # row 13: dup id
        ]
    )
    items, problems = read_xlsx(data)
    # a bad level and a duplicate id are metadata: the question comes in without them, with a note saying so
    assert [i.get("id") for i in items] == [
        "KNS-4.2-901",
        "KNS-4.2-903",
        "KNS-4.2-905",
        "KNS-4.2-906",
        "KNS-4.2-907",
        "KNS-4.2-908",
        None,
    ]
    assert items[0]["options"][1] == {"text": "Trứng#Chín_2024!", "correct": True}
    assert items[0]["level"] == 2 and items[0]["competence"] == "4.2"
    assert "level" not in items[1] and items[1]["notes"][0].startswith("mức '9' không hợp lệ")
    assert items[2]["options"] == [{"text": "Đúng", "correct": True}, {"text": "Sai", "correct": False}]
    assert items[3]["sequence"] == ["Mở ứng dụng", "Đăng nhập", "Đổi mật khẩu"]
    assert items[4]["pairs"][1] == {"left": "Cổng DVC", "right": "Hồ sơ"}
    assert items[5]["answer"] == 6.5 and items[5]["tolerance"] == 0
    assert items[6]["stem"] == "Trùng mã?"
    assert items[6]["notes"] == ["mã câu hỏi 'KNS-4.2-901' trùng với Dòng 2; câu này được cấp mã mới"]
    texts = messages(problems)
    assert texts[0] == "Dòng 3: thiếu đáp án đúng"
    assert texts[1].startswith("Dòng 6: loại 'Tự luận' chưa được hỗ trợ; dùng một trong: Một lựa chọn")
    assert texts[2].startswith("Dòng 11: đáp số 'nhiều' không phải là một số")
    assert texts[3] == "Dòng 12: đáp án đúng C trỏ tới phương án để trống"
    assert len(texts) == 4


def test_read_xlsx_not_a_workbook():
    items, problems = read_xlsx(b"PK\x03\x04 not really a zip")
    assert items == [] and problems[0].location == "Tệp"
    items, problems = read_xlsx(b"")
    assert items == [] and problems


def test_read_xlsx_missing_required_column():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã câu hỏi", "Loại"])
    workbook.active.append(["x", "Số"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    items, problems = read_xlsx(buffer.getvalue())
    assert items == []
    assert "Dòng 1: thiếu cột «Nội dung câu hỏi»" in messages(problems)


def test_all_optional_fields_survive_every_format():
    item = {
        "id": "KNS-2.1-990",
        "framework": "TT02-2025",
        "competence": "2.1",
        "level": 5,
        "groups": ["official", "leader"],
        "type": "multiple_response",
        "stem": "Đoạn một có <b>thẻ</b> & ký hiệu 5 > 3.\n\nĐoạn hai,\ndòng thứ hai: {x} ~ = #",
        "options": [
            {"text": "Đúng <1>", "correct": True, "why": "Nhận xét cho phương án đúng"},
            {"text": "Cũng đúng", "correct": True},
            {"text": "Sai & sai", "correct": False, "why": 'Vì sao sai: "ngoặc"'},
        ],
        "explanation": "Giải thích\n\nđoạn hai",
        "source_note": "Nghị định 13/2023/NĐ-CP, Điều 2",
        "image": "https://example.org/a b.png?x=1&y=2",
        "use": "practice",
    }
    expected = normalize_item(item)
    assert read_moodle_xml(write_moodle_xml([item])) == ([expected], [])
    assert read_gift(write_gift([item])[0]) == ([expected], [])
    assert read_xlsx(write_xlsx([item])) == ([expected], [])
