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


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    """A message added to the code but never extracted would show in Vietnamese on the English pages: extract them
    all afresh (makemessages on a copy of the source) and find each one translated in the shipped catalogue."""
    import shutil
    import subprocess
    import sys

    import polib

    source = Path(kynangso.__file__).parent
    copy = tmp_path / "kynangso"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    django_admin = Path(sys.executable).with_name("django-admin")
    result = subprocess.run(
        [str(django_admin), "makemessages", "-l", "en", "--no-obsolete"], cwd=copy, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    shipped = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(CATALOGUE))}
    missing = [
        entry.msgid
        for entry in extracted
        if not entry.obsolete
        and ((entry.msgctxt, entry.msgid) not in shipped or not shipped[(entry.msgctxt, entry.msgid)].translated())
    ]
    assert missing == []
