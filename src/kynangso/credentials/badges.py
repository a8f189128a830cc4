"""The badge of an achievement: a small SVG drawn for the project (a rosette in the colour of the kind of achievement,
its code in the middle), which wallets show as the Achievement's `image`."""

import math
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from kynangso.credentials.achievements import AchievementInfo
from kynangso.credentials.models import AchievementKind

# (ring, centre) colours: the certificate's deep red for a standard, blue for a course, green for a class.
COLOURS = {
    AchievementKind.STANDARD: ("#8a1c1c", "#b8860b"),
    AchievementKind.COURSE: ("#1f4e79", "#2e75b6"),
    AchievementKind.TRAINING_CLASS: ("#2e6b30", "#4f9a52"),
}
# Beyond this the code no longer fits the centre of the badge at a readable size; the <title> keeps it whole.
CODE_FIT = 12


def _kind_label(kind: str) -> str:
    return {
        AchievementKind.STANDARD: _("CHUẨN KỸ NĂNG SỐ"),
        AchievementKind.COURSE: _("KHÓA HỌC"),
        AchievementKind.TRAINING_CLASS: _("LỚP TẬP HUẤN"),
    }[kind]


def _points(count: int, outer: float, inner: float, centre: float = 100.0) -> str:
    """The outline of a rosette with `count` points, as an SVG polygon's points."""
    corners = []
    for step in range(count * 2):
        radius = outer if step % 2 == 0 else inner
        angle = math.pi * step / count - math.pi / 2
        corners.append(f"{centre + radius * math.cos(angle):.1f},{centre + radius * math.sin(angle):.1f}")
    return " ".join(corners)


def achievement_badge_svg(info: AchievementInfo) -> str:
    """The badge of `info` as an SVG document (200×200, text escaped, no scripts or external references)."""
    ring, centre = COLOURS[info.kind]
    code = info.code if len(info.code) <= CODE_FIT else info.code[: CODE_FIT - 1] + "…"
    code_size = 30 if len(code) <= 6 else 20
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200" role="img">'
        f"<title>{escape(info.name)}</title>"
        f'<polygon points="{_points(16, 98, 86)}" fill="{ring}"/>'
        '<circle cx="100" cy="100" r="76" fill="#ffffff"/>'
        f'<circle cx="100" cy="100" r="68" fill="{centre}"/>'
        '<circle cx="100" cy="100" r="62" fill="none" stroke="#ffffff" stroke-width="2"/>'
        '<g font-family="DejaVu Sans, Arial, sans-serif" fill="#ffffff" text-anchor="middle">'
        f'<text x="100" y="78" font-size="11" font-weight="bold">{escape(_kind_label(info.kind))}</text>'
        f'<text x="100" y="{110 if code_size == 30 else 106}" font-size="{code_size}" font-weight="bold">'
        f"{escape(code)}</text>"
        f'<text x="100" y="138" font-size="10">{escape(_("KỸ NĂNG SỐ"))}</text>'
        "</g></svg>"
    )
