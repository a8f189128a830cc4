"""Item-bank interchange: Moodle XML, GIFT and XLSX readers and writers, pure Python (no database).

Every reader returns ``(items, problems)``: the items are plain dicts in the format of ``content/items/*.yaml``,
normalised and valid; the problems say, in Vietnamese, what could not be taken and where. Readers never raise on
bad content. See ``docs/item-formats.md``.
"""

from .gift import read_gift, write_gift
from .moodle_xml import write_moodle_xml
from .moodle_xml_reading import read_moodle_xml
from .validation import IMPORT_KEYS, ITEM_TYPES, TYPE_LABELS, Problem, normalize_item, validate_item
from .xlsx import read_xlsx, write_xlsx

__all__ = [
    "IMPORT_KEYS",
    "ITEM_TYPES",
    "TYPE_LABELS",
    "Problem",
    "normalize_item",
    "read_gift",
    "read_moodle_xml",
    "read_xlsx",
    "validate_item",
    "write_gift",
    "write_moodle_xml",
    "write_xlsx",
]
