"""The limits of an upload, checked before a file is parsed: its size, an XLSX archive's members and unpacked size
(a zip bomb), the row limit and the number of problems reported.
"""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from kynangso.errors import DomainError
from kynangso.numbers import vietnamese_number

# Below this many unpacked bytes a file is harmless whatever its compression ratio (a small template compresses
# well too); above it, the ratio and the absolute limit apply.
_RATIO_FLOOR_BYTES = 1024 * 1024
_MAX_ARCHIVE_MEMBERS = 1000


# Limits of uploads ---------------------------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def check_upload_size(size: int) -> None:
    """Refuse a file larger than ``UPLOAD_MAX_BYTES``."""
    if size > settings.UPLOAD_MAX_BYTES:
        raise DomainError(
            _("Tệp quá lớn: tối đa %(size)s MB. Hãy chia thành nhiều tệp nhỏ hơn.")
            % {"size": _megabytes(settings.UPLOAD_MAX_BYTES)},
            field="file",
        )


def check_xlsx_archive(source) -> None:
    """Refuse an XLSX whose unpacked size (as its zip directory declares it, which Python's zipfile never reads
    past) is over ``UPLOAD_MAX_UNCOMPRESSED_BYTES`` or whose compression ratio is over
    ``UPLOAD_MAX_COMPRESSION_RATIO``: a "zip bomb" is refused before openpyxl unpacks anything.

    `source` is a path, bytes or a binary file object.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DomainError(
            _("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx."), field="file"
        ) from exc
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    too_big = unpacked > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    too_dense = unpacked > _RATIO_FLOOR_BYTES and unpacked / packed > settings.UPLOAD_MAX_COMPRESSION_RATIO
    if too_big or too_dense or len(members) > _MAX_ARCHIVE_MEMBERS:
        raise DomainError(
            _(
                "Tệp Excel giải nén ra quá lớn (tối đa %(size)s MB dữ liệu); tệp có thể bị hỏng hoặc chứa dữ liệu bất "
                "thường. Hãy lưu lại tệp chỉ với các dòng cần nhập, hoặc chia thành nhiều tệp."
            )
            % {"size": _megabytes(settings.UPLOAD_MAX_UNCOMPRESSED_BYTES)},
            field="file",
        )


def too_many_rows_error() -> DomainError:
    return DomainError(
        _("Tệp có hơn %(rows)s dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp không quá %(rows)s dòng.")
        % {"rows": vietnamese_number(settings.UPLOAD_MAX_ROWS)},
        field="file",
    )


def limit_problems(problems: list[str]) -> list[str]:
    """The first ``UPLOAD_MAX_PROBLEMS`` problems, then one line counting the others («và 12 lỗi khác»)."""
    limit = settings.UPLOAD_MAX_PROBLEMS
    if len(problems) <= limit:
        return list(problems)
    return [*problems[:limit], _("… và %(count)s lỗi khác.") % {"count": len(problems) - limit}]
