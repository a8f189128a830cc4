"""The survey's part of the demo world: the questionnaire loaded, so that a survey can be run from the pages."""

from pathlib import Path

from django.conf import settings

from kynangso.accounts import api as accounts


def populate(*, today, stdout) -> None:
    from kynangso.survey import api as survey

    for path in sorted((Path(settings.CONTENT_DIR) / "surveys").glob("*.yaml")):
        found, _created = survey.load_questionnaire_file(path=path, actor=accounts.SYSTEM)
        stdout.write(f"  Bảng hỏi khảo sát: {found.title} (phiên bản {found.version}).\n")
