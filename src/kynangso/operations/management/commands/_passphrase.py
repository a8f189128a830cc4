"""Where the backup commands read the passphrase from: a file (`--passphrase-file`) or the environment
(`KYNANGSO_BACKUP_PASSPHRASE`), never the command line, where any user of the machine could read it in `ps`."""

import os
from pathlib import Path

from django.core.management.base import CommandError

VARIABLE = "KYNANGSO_BACKUP_PASSPHRASE"


def read_passphrase(path: str | None) -> str:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError:
            raise CommandError(f"Không đọc được tệp cụm mật khẩu {path}.") from None
    value = os.environ.get(VARIABLE, "")
    if not value:
        raise CommandError(f"Cần cụm mật khẩu: đặt biến {VARIABLE} hoặc dùng --passphrase-file.")
    return value
