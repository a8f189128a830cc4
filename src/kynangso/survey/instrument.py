"""The questionnaire as data: reading and checking a YAML file of content/surveys/, and the scoring rule in the
style of Eurostat's Digital Skills Indicator 2.0 (docs/survey.md): per area, the number of activities done in the
last 3 months gives none / basic / above basic; a person has «at least basic» skills when every area that counts
towards the overall indicator is basic or above."""

from django.utils.translation import gettext as _

from kynangso.errors import DomainError

NONE, BASIC, ABOVE_BASIC = "none", "basic", "above_basic"
LEVEL_ORDER = {NONE: 0, BASIC: 1, ABOVE_BASIC: 2}


def validate_definition(definition: dict, frameworks: dict[str, set[str]]) -> dict:
    """Check a questionnaire read from YAML and return it normalised; `frameworks` maps "qd757"/"tt02" to the
    domain codes of the loaded frameworks, so that a mapping to a domain that does not exist is refused."""

    def fail(message: str):
        raise DomainError(message, code="invalid", field="definition")

    if not isinstance(definition, dict):
        fail(_("Tệp bảng hỏi phải là một bảng YAML."))
    for key in ("code", "title", "consent", "areas"):
        if not definition.get(key):
            fail(_("Bảng hỏi thiếu mục «%(key)s».") % {"key": key})
    scoring = definition.get("scoring") or {}
    basic, above = int(scoring.get("basic", 1)), int(scoring.get("above_basic", 2))
    if not 1 <= basic < above:
        fail(_("Ngưỡng tính điểm phải là 1 ≤ cơ bản < trên cơ bản."))
    seen: set[str] = set()
    areas = []
    for area in definition["areas"]:
        if not area.get("code") or not area.get("name") or not area.get("activities"):
            fail(_("Mỗi lĩnh vực cần mã, tên và ít nhất một hoạt động."))
        for framework in ("qd757", "tt02"):
            for code in area.get(framework) or []:
                if frameworks.get(framework) is not None and str(code) not in frameworks[framework]:
                    fail(
                        _("Lĩnh vực %(area)s gắn với nhóm %(code)s không có trong khung %(framework)s.")
                        % {"area": area["code"], "code": code, "framework": framework}
                    )
        activities = []
        for activity in area["activities"]:
            code = activity.get("code")
            if not code or not activity.get("text") or code in seen:
                fail(_("Hoạt động thiếu mã, thiếu nội dung hoặc trùng mã: %(code)s.") % {"code": code})
            seen.add(code)
            activities.append({"code": code, "text": activity["text"]})
        if len(activities) < above:
            fail(_("Lĩnh vực %(area)s có ít hoạt động hơn ngưỡng «trên cơ bản».") % {"area": area["code"]})
        areas.append(
            {
                "code": area["code"],
                "name": area["name"],
                "qd757": [str(c) for c in area.get("qd757") or []],
                "tt02": [str(c) for c in area.get("tt02") or []],
                "in_overall": area.get("in_overall", True),
                "activities": activities,
            }
        )
    if not any(area["in_overall"] for area in areas):
        fail(_("Cần ít nhất một lĩnh vực tính vào chỉ số chung."))
    return {
        "code": definition["code"],
        "title": definition["title"],
        "consent": definition["consent"].strip(),
        "age_min": int(definition.get("age_min", 18)),
        "reference_period": definition.get("reference_period", ""),
        "scoring": {"basic": basic, "above_basic": above},
        "areas": areas,
    }


def activity_codes(definition: dict) -> set[str]:
    return {activity["code"] for area in definition["areas"] for activity in area["activities"]}


def area_level(done: int, scoring: dict) -> str:
    """none / basic / above basic from the number of an area's activities done."""
    if done >= scoring["above_basic"]:
        return ABOVE_BASIC
    if done >= scoring["basic"]:
        return BASIC
    return NONE


def score(definition: dict, answers: dict[str, bool]) -> tuple[dict[str, str], bool]:
    """(area code → level, at least basic overall) of one respondent's answers (activity code → done)."""
    levels = {}
    for area in definition["areas"]:
        done = sum(1 for activity in area["activities"] if answers.get(activity["code"]) is True)
        levels[area["code"]] = area_level(done, definition["scoring"])
    overall = all(levels[area["code"]] != NONE for area in definition["areas"] if area["in_overall"])
    return levels, overall
