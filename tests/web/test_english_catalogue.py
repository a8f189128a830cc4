"""English is a full second language: its catalogue has no guessed (fuzzy) and no missing translations."""
from pathlib import Path

import kynangso

CATALOGUE = Path(kynangso.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries() -> list[str]:
    blocks = CATALOGUE.read_text(encoding="utf-8").split("\n\n")
    return [block for block in blocks if "\nmsgid " in "\n" + block and 'msgid ""\nmsgstr ""\n"Project-Id' not in block]


def test_no_english_translation_is_a_fuzzy_guess():
    assert [block for block in entries() if "#, fuzzy" in block] == []


def test_every_message_has_an_english_translation():
    def untranslated(block: str) -> bool:
        lines = block.splitlines()
        for index, line in enumerate(lines):
            if line.startswith(("msgstr ", "msgstr[")) and line.endswith('""'):
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if not following.startswith('"'):
                    return True
        return False

    assert [block for block in entries() if untranslated(block)] == []
