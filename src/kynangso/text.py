"""Vietnamese text handling shared by every app: NFC normalisation and the diacritic-free search key."""

import unicodedata

# "đ" is a letter of its own, not "d" with a combining mark, so NFD does not strip it.
_SEARCH_TRANSLATION = str.maketrans({"đ": "d", "Đ": "d"})


def normalize_text(value: str | None) -> str:
    """Return `value` NFC-normalised with surrounding and repeated inner white space removed."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def search_key(value: str | None) -> str:
    """Return the form of `value` that search compares: lower case, no diacritics, single spaces.

    "Nguyễn Văn Ấn" and "nguyen van an" have the same key.
    """
    text = normalize_text(value).translate(_SEARCH_TRANSLATION)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def has_control_characters(value: str | None) -> bool:
    """True when `value` holds a control or format character (U+0000–U+001F, U+007F–U+009F, zero-width marks…).

    Such characters are invisible on the page and in spreadsheets, so two codes that look the same would differ.
    """
    return any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in str(value or ""))
