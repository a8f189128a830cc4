"""Matching a roster row's units (residence, workplace, community digital team): by code, else by name among the
active units in the official's scope (a merged unit's code leads to its successor), with suggestions for names that
match no unit.
"""

import re

from django.utils.translation import gettext as _

from kynangso.orgs import api as orgs
from kynangso.people.roster_reading import RosterRow
from kynangso.text import search_key

# Prefixes people write before a unit's name: «Xã Tân Phú», «X. Tân Phú», «P. Bình Minh», «TT. Chợ Mới».
_UNIT_PREFIXES = {
    "xa": orgs.UnitKind.COMMUNE,
    "x": orgs.UnitKind.COMMUNE,
    "phuong": orgs.UnitKind.WARD,
    "p": orgs.UnitKind.WARD,
    "thi tran": orgs.UnitKind.TOWNSHIP,
    "tt": orgs.UnitKind.TOWNSHIP,
    "dac khu": orgs.UnitKind.SPECIAL_ZONE,
    "dk": orgs.UnitKind.SPECIAL_ZONE,
}
_PREFIX = re.compile(r"^(xa|x|phuong|p|thi tran|tt|dac khu|dk)\b\.?\s*")

# The column a row names a unit in: what the unit is for, and so which kinds it may be.
RESIDENCE, WORKPLACE, TEAM = "residence", "workplace", "team"


def unit_name_key(text: str) -> tuple[str | None, str]:
    """The kind a unit's written name announces («X.», «Phường»…) and the rest of the name as a search key."""
    key = search_key(text).replace(".", ". ").replace(",", " ")
    key = " ".join(key.split())
    match = _PREFIX.match(key)
    if match:
        return _UNIT_PREFIXES[match[1]], " ".join(key[match.end() :].replace(".", " ").split())
    return None, " ".join(key.replace(".", " ").split())


class UnitResolver:
    """Finds the unit each row names: by code, else by name among the active units in scope (never outside it, so a
    message never names a unit the official cannot see); a merged unit's code leads to its successor."""

    def __init__(self, rows: list[RosterRow], allowed: set[int] | None):
        self.allowed = allowed
        texts = {r.residence_code for r in rows} | {r.workplace_code for r in rows} | {r.team_code for r in rows}
        self.by_code = orgs.units_by_code({t for t in texts if t} | {t.upper() for t in texts if t})
        self._by_name: dict[str, list] | None = None
        self._suggested: dict[tuple[str, str], dict] = {}

    def _in_scope(self, unit) -> bool:
        return self.allowed is None or unit.id in self.allowed

    def _names(self) -> dict[str, list]:
        if self._by_name is None:
            self._by_name = {}
            for unit in orgs.units(active_only=True):
                if self._in_scope(unit):
                    self._by_name.setdefault(unit_name_key(unit.name)[1], []).append(unit)
        return self._by_name

    def _suggest(self, row: RosterRow, text: str, unit, *, role: str, reason: str, accept: bool, old=None):
        entry = self._suggested.setdefault(
            (text, role),
            {
                "given": text,
                "code": unit.code,
                "name": unit.name,
                "reason": reason,
                "lines": [],
                "residence": role == RESIDENCE,
                "team": role == TEAM,
            },
        )
        entry["lines"].append(row.line)
        if accept:
            return unit
        if old is not None:
            row.problems.append(
                _(
                    "đơn vị «%(old)s» (mã %(code)s) đã sáp nhập vào «%(name)s»: hãy ghi mã «%(new)s», "
                    "hoặc xác nhận dùng đơn vị này"
                )
                % {"old": old.name, "code": old.code, "name": unit.name, "new": unit.code}
            )
        else:
            row.problems.append(
                _(
                    "«%(given)s» là tên, không phải mã đơn vị: có phải «%(name)s» (mã %(code)s)? Hãy ghi "
                    "mã, hoặc xác nhận dùng đơn vị này"
                )
                % {"given": text, "name": unit.name, "code": unit.code}
            )
        return None

    def resolve(self, row: RosterRow, text: str, *, role: str, accept: bool):
        """The unit `text` names for `role` (RESIDENCE, WORKPLACE or TEAM), or None with the row's problem added."""
        label = {RESIDENCE: _("cư trú"), WORKPLACE: _("công tác, học tập"), TEAM: _("tổ công nghệ số cộng đồng")}[role]
        unit = self.by_code.get(text) or self.by_code.get(text.upper())  # «x001» is X001
        if unit is not None and self._in_scope(unit):
            if not unit.is_active:
                successor = orgs.current_successor(unit)
                if successor.is_active and self._in_scope(successor) and unit.successor_id:
                    if not _fits(successor, role):
                        row.problems.append(_("đơn vị «%(name)s» đã hết hiệu lực") % {"name": unit.name})
                        return None
                    return self._suggest(row, text, successor, role=role, reason="merged", accept=accept, old=unit)
                row.problems.append(
                    _("đơn vị «%(name)s» đã hết hiệu lực (đã giải thể hoặc sáp nhập vào đơn vị ngoài phạm vi của bạn)")
                    % {"name": unit.name}
                )
                return None
            if role == RESIDENCE and not _fits(unit, role):
                row.problems.append(
                    _(
                        "nơi cư trú phải là xã, phường, thị trấn, đặc khu hoặc thôn, ấp, khóm, tổ dân "
                        "phố; «%(name)s» (mã %(code)s) "
                        "là %(kind)s: ghi đơn vị này ở cột «Mã đơn vị công tác, học tập»"
                    )
                    % {"name": unit.name, "code": unit.code, "kind": str(unit.get_kind_display()).lower()}
                )
                return None
            if role == TEAM and not _fits(unit, role):
                # Only said of a unit in scope: outside it, the message below names nothing.
                row.problems.append(
                    _(
                        "«%(name)s» (mã %(code)s) là %(kind)s, không phải tổ công nghệ số cộng đồng: ở cột «Mã tổ "
                        "công nghệ số cộng đồng» hãy ghi mã của tổ (loại «Tổ công nghệ số cộng đồng» ở trang «Mã "
                        "đơn vị» của tệp mẫu)"
                    )
                    % {"name": unit.name, "code": unit.code, "kind": str(unit.get_kind_display()).lower()}
                )
                return None
            return unit
        if unit is None:
            kind, key = unit_name_key(text)
            candidates = [u for u in self._names().get(key, []) if kind is None or u.kind == kind]
            if role != WORKPLACE:
                candidates = [u for u in candidates if _fits(u, role)]
            if len(candidates) == 1:
                return self._suggest(row, text, candidates[0], role=role, reason="name", accept=accept)
            if len(candidates) > 1:
                row.problems.append(
                    _("có %(count)s đơn vị tên «%(given)s» (mã %(codes)s): hãy ghi mã đơn vị")
                    % {"count": len(candidates), "given": text, "codes": ", ".join(u.code for u in candidates)}
                )
                return None
        # Unknown, or outside the scope: one message that names nothing the official cannot see.
        row.problems.append(
            _(
                "không có đơn vị %(label)s mã hoặc tên «%(code)s» trong phạm vi quản lý của bạn (xem "
                "trang «Mã đơn vị» của tệp mẫu)"
            )
            % {"label": label, "code": text}
        )
        return None

    def suggestions(self) -> list[dict]:
        return sorted(self._suggested.values(), key=lambda entry: entry["lines"][0])


def _fits(unit, role: str) -> bool:
    """Whether `unit` may stand in the column of `role`: any unit may be a workplace."""
    if role == RESIDENCE:
        return unit.kind in orgs.RESIDENCE_KINDS
    if role == TEAM:
        return unit.kind == orgs.UnitKind.COMMUNITY_TEAM
    return True
