"""The item bank: items from data (files, imports, the back office) become immutable versions with random option
ids, and move through review (draft → reviewed → live → retired) with who and when."""

import secrets
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kynangso.accounts import api as accounts
from kynangso.assessment import families
from kynangso.assessment.interchange.validation import Problem, validate_item
from kynangso.assessment.models import Item, ItemType, ItemUse, ItemVersion, ReviewStatus
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.text import normalize_text


def _new_id() -> str:
    # Random per version, so an id never tells which option is right or where a step belongs.
    return secrets.token_hex(4)


def body_from_data(data: dict) -> dict:
    """The stored body of a version (options, steps, pairs and key, each with a random id)."""
    kind = data["type"]
    if kind in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_RESPONSE, ItemType.TRUE_FALSE):
        return {
            "options": [
                {
                    "id": _new_id(),
                    "text": normalize_text(str(o["text"])),
                    "correct": bool(o.get("correct")),
                    "why": normalize_text(o.get("why") or ""),
                    **({"credit": float(o["credit"])} if o.get("credit") is not None else {}),
                }
                for o in data["options"]
            ]
        }
    if kind == ItemType.ORDERING:
        return {"steps": [{"id": _new_id(), "text": normalize_text(str(step))} for step in data["sequence"]]}
    if kind == ItemType.MATCHING:
        body = {
            "pairs": [
                {
                    "left_id": _new_id(),
                    "left": normalize_text(str(p["left"])),
                    "right_id": _new_id(),
                    "right": normalize_text(str(p["right"])),
                }
                for p in data["pairs"]
            ]
        }
        if data.get("distractors"):  # right-hand sides that match no left one (Moodle's extra answers)
            body["distractors"] = [{"id": _new_id(), "text": normalize_text(str(text))} for text in data["distractors"]]
        return body
    if kind == ItemType.SHORT_TEXT:
        body = {"answers": [normalize_text(str(a)) for a in data["answers"]]}
        if data.get("partial_answers"):
            body["partial_answers"] = [
                {"text": normalize_text(str(a["text"])), "credit": float(a["credit"])} for a in data["partial_answers"]
            ]
        if data.get("case_sensitive"):
            body["case_sensitive"] = True
        return body
    if kind == ItemType.NUMERIC:
        body = {"answer": float(data["answer"]), "tolerance": float(data.get("tolerance") or 0)}
        if data.get("partial_numbers"):
            body["partial_numbers"] = [
                {
                    "answer": float(p["answer"]),
                    "tolerance": float(p.get("tolerance") or 0),
                    "credit": float(p["credit"]),
                }
                for p in data["partial_numbers"]
            ]
        if data.get("units"):
            body["units"] = [
                {"unit": normalize_text(str(u["unit"])).strip(), "multiplier": float(u["multiplier"])}
                for u in data["units"]
            ]
        return body
    raise DomainError(_("Loại câu hỏi không hợp lệ: %(type)s.") % {"type": kind})


def right_sides(body: dict) -> dict[str, str]:
    """A matching item's right-hand sides by id: the pairs' and the distractors' (the taker sees them all)."""
    return {
        **{p["right_id"]: p["right"] for p in body["pairs"]},
        **{d["id"]: d["text"] for d in body.get("distractors") or []},
    }


def data_from_version(version: ItemVersion) -> dict:
    """The version in the neutral item format of content/README.md (for export and comparison)."""
    item, body = version.item, version.body
    data = {
        "id": item.code,
        "framework": item.framework_code,
        "competence": item.competence_code,
        "level": item.level,
        "groups": list(item.groups),
        "type": version.type,
        "stem": version.stem,
        "explanation": version.explanation,
        "source_note": version.source_note,
    }
    if item.use == ItemUse.PRACTICE:
        data["use"] = "practice"
    if version.image:
        data["image"] = version.image
    if "options" in body:
        data["options"] = [
            {
                "text": o["text"],
                "correct": o["correct"],
                **({"why": o["why"]} if o["why"] else {}),
                **({"credit": o["credit"]} if o.get("credit") is not None else {}),
            }
            for o in body["options"]
        ]
    elif "steps" in body:
        data["sequence"] = [step["text"] for step in body["steps"]]
    elif "pairs" in body:
        data["pairs"] = [{"left": p["left"], "right": p["right"]} for p in body["pairs"]]
        if body.get("distractors"):
            data["distractors"] = [d["text"] for d in body["distractors"]]
    elif "answers" in body:
        data["answers"] = list(body["answers"])
        if body.get("partial_answers"):
            data["partial_answers"] = [dict(a) for a in body["partial_answers"]]
        if body.get("case_sensitive"):
            data["case_sensitive"] = True
    else:
        data["answer"], data["tolerance"] = body["answer"], body["tolerance"]
        for key in ("partial_numbers", "units"):
            if body.get(key):
                data[key] = [dict(entry) for entry in body[key]]
    return data


def _content_key(data: dict) -> tuple:
    """What makes two versions the same question (ids and review state aside)."""
    clean = {
        key: value
        for key, value in data.items()
        if key not in {"id", "framework", "competence", "level", "groups", "use", "family"}
    }
    for key, value in list(clean.items()):
        if isinstance(value, str):
            clean[key] = normalize_text(value).strip()
    if "options" in clean:
        clean["options"] = [
            (
                normalize_text(str(o["text"])).strip(),
                bool(o.get("correct")),
                normalize_text(o.get("why") or "").strip(),
                None if o.get("credit") is None else round(float(o["credit"]), 5),
            )
            for o in clean["options"]
        ]
    if "partial_answers" in clean:
        clean["partial_answers"] = [
            (normalize_text(str(a["text"])).strip(), round(float(a["credit"]), 5)) for a in clean["partial_answers"]
        ]
    clean["case_sensitive"] = bool(clean.get("case_sensitive"))
    if "partial_numbers" in clean:
        clean["partial_numbers"] = [
            (float(p["answer"]), float(p.get("tolerance") or 0), round(float(p["credit"]), 5))
            for p in clean["partial_numbers"]
        ]
    if "units" in clean:
        clean["units"] = [(normalize_text(str(u["unit"])).strip(), float(u["multiplier"])) for u in clean["units"]]
    for key in ("sequence", "answers", "distractors"):
        if key in clean:
            clean[key] = [normalize_text(str(v)).strip() for v in clean[key]]
    if "pairs" in clean:
        clean["pairs"] = [
            (normalize_text(str(p["left"])).strip(), normalize_text(str(p["right"])).strip()) for p in clean["pairs"]
        ]
    for key in ("answer", "tolerance"):
        if key in clean:
            clean[key] = float(clean[key] or 0)
    clean.setdefault("explanation", "")
    clean.setdefault("source_note", "")
    clean.setdefault("image", "")
    return tuple(sorted((key, repr(value)) for key, value in clean.items()))


def _meta(data: dict) -> dict:
    """The item's tags from data; an imported item may lack them (empty codes, level 0: «chưa gắn năng lực»)."""
    return {
        "framework_code": str(data.get("framework") or ""),
        "competence_code": str(data.get("competence") or ""),
        "level": int(data.get("level") or 0),
        "groups": list(data.get("groups") or []),
        "family": str(data.get("family") or ""),
    }


def _save(data: dict, *, actor, status: str, notes=()) -> tuple[Item, ItemVersion | None]:
    """Create the item or, when its content changed, a new version; returns the new version or None.

    Tags the data leaves empty keep the item's present ones (a bank re-exported by Moodle without our tags still
    updates the same items without untagging them)."""
    meta = _meta(data)
    item, created = Item.objects.get_or_create(
        code=data["id"],
        defaults={**meta, "use": ItemUse.PRACTICE if data.get("use") == "practice" else ItemUse.ASSESSMENT},
    )
    if not created:
        meta = {key: value for key, value in meta.items() if value}
    if any(getattr(item, key) != value for key, value in meta.items()):
        Item.objects.filter(pk=item.pk).update(**meta)
        for key, value in meta.items():
            setattr(item, key, value)
    latest = item.versions.order_by("-number").first()
    if latest is not None and _content_key(data_from_version(latest)) == _content_key(data):
        return item, None
    now = timezone.now()
    version = ItemVersion.objects.create(
        item=item,
        number=(latest.number + 1) if latest else 1,
        type=data["type"],
        stem=normalize_text(data["stem"]).strip(),
        image=data.get("image") or "",
        body=body_from_data(data),
        explanation=normalize_text(data.get("explanation") or "").strip(),
        source_note=normalize_text(data.get("source_note") or "").strip(),
        created_by=actor,
        status=ReviewStatus.DRAFT,
        import_notes=[str(note) for note in notes],
    )
    if status == ReviewStatus.LIVE:
        version.status, version.reviewed_at, version.reviewed_by = ReviewStatus.REVIEWED, now, actor
        version.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        _make_live(version, actor=actor, now=now)
    return item, version


def _make_live(version: ItemVersion, *, actor, now) -> None:
    item = version.item
    if item.live_version_id and item.live_version_id != version.pk:
        ItemVersion.objects.filter(pk=item.live_version_id).update(status=ReviewStatus.RETIRED, retired_at=now)
    version.status, version.published_at, version.published_by = ReviewStatus.LIVE, now, actor
    version.save(update_fields=["status", "published_at", "published_by"])
    Item.objects.filter(pk=item.pk).update(live_version=version)
    item.live_version = version


def validate_items(items: list[dict], source: str) -> list[Problem]:
    problems, seen, known = [], {}, {}
    for index, data in enumerate(items, start=1):
        location = f"{source} #{index} ({data.get('id') or '?'})"
        problems.extend(validate_item(data, location))
        framework = str(data.get("framework") or "")
        if framework not in known:
            known[framework] = {c.code for c in frameworks.competences(framework)}
        # Only against a framework that is loaded: a bank may be loaded before its framework in some tests.
        if known[framework] and data.get("competence") is not None and str(data["competence"]) not in known[framework]:
            problems.append(
                Problem(
                    location,
                    _("năng lực %(code)s không có trong khung %(framework)s")
                    % {"code": data["competence"], "framework": framework},
                )
            )
        for key, label in (("framework", _("khung năng lực")), ("competence", _("năng lực")), ("level", _("mức"))):
            if not data.get(key):
                problems.append(Problem(location, _("thiếu %(what)s") % {"what": label}))
        if not data.get("id"):
            problems.append(Problem(location, _("thiếu mã câu hỏi (id)")))
        elif data["id"] in seen:
            problems.append(Problem(location, _("mã câu hỏi trùng với %(other)s") % {"other": seen[data["id"]]}))
        else:
            seen[data["id"]] = location
    return problems


@transaction.atomic
def save_items(items: list[dict], *, actor, source: str = "", publish: bool = False) -> dict:
    """Save many items all or nothing. `publish` puts them live at once (the project's reviewed content);
    otherwise new or changed items arrive as drafts for review. Returns counts.

    `actor` is required: `accounts.SYSTEM` (the content loader), or a user who writes items (CONTENT_AUTHOR) and,
    to publish at once, reviews them (CONTENT_REVIEW)."""
    if not accounts.is_system(actor):
        if not accounts.has_capability(actor, accounts.capabilities.CONTENT_AUTHOR):
            raise DomainError(_("Bạn không có quyền soạn câu hỏi."), code="forbidden")
        if publish and not accounts.has_capability(actor, accounts.capabilities.CONTENT_REVIEW):
            raise DomainError(_("Bạn không có quyền đưa câu hỏi vào sử dụng ngay."), code="forbidden")
    problems = validate_items(items, source or _("tệp"))
    if problems:
        raise DomainError(
            _("Không câu hỏi nào được lưu; có %(count)s lỗi:") % {"count": len(problems)}
            + "\n"
            + "\n".join(f"{p.location}: {p.message}" for p in problems[:200])
        )
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for data in items:
        existed = Item.objects.filter(code=data["id"]).exists()
        _item, version = _save(
            data, actor=accounts.recorded_user(actor), status=ReviewStatus.LIVE if publish else ReviewStatus.DRAFT
        )
        counts["unchanged" if version is None else ("changed" if existed else "created")] += 1
    return counts


def import_items(entries: list[tuple[dict, list[str]]], *, actor) -> list[tuple[Item, ItemVersion | None]]:
    """Imported items (already read, checked and given ids by `assessment.imports`), each with the notes of what
    its file could not hold: every one is saved as a draft carrying its notes. Returns (item, new version or None
    when unchanged) in order. The caller owns the transaction (a dry run rolls it back)."""
    if not accounts.is_system(actor) and not accounts.has_capability(actor, accounts.capabilities.CONTENT_AUTHOR):
        raise DomainError(_("Bạn không có quyền soạn câu hỏi."), code="forbidden")
    recorded = accounts.recorded_user(actor)
    return [_save(data, actor=recorded, status=ReviewStatus.DRAFT, notes=notes) for data, notes in entries]


def load_item_files(paths, *, actor) -> dict:
    """The project's item files (content/items/*.yaml): reviewed content, published live. `actor` is
    `accounts.SYSTEM` for the content loader, or a user allowed to author and review items."""
    items, source, problems = [], [], []
    for path in paths:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        expanded, found = families.expand_all(loaded, Path(path).name)
        items.extend(expanded)
        problems.extend(found)
        source.append(Path(path).name)
    if problems:
        raise DomainError(
            _("Không câu hỏi nào được lưu; có %(count)s lỗi:") % {"count": len(problems)}
            + "\n"
            + "\n".join(f"{p.location}: {p.message}" for p in problems[:200])
        )
    return save_items(items, actor=actor, source=", ".join(source), publish=True)


def review_version(*, version: ItemVersion, reviewer) -> ItemVersion:
    """Draft → reviewed. The reviewer must not be the author (four eyes)."""
    if version.status != ReviewStatus.DRAFT:
        raise DomainError(_("Chỉ thẩm định được bản nháp."))
    if version.created_by_id and version.created_by_id == reviewer.pk:
        raise DomainError(_("Người thẩm định phải khác người soạn câu hỏi."))
    version.status, version.reviewed_at, version.reviewed_by = ReviewStatus.REVIEWED, timezone.now(), reviewer
    version.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return version


@transaction.atomic
def publish_version(*, version: ItemVersion, actor) -> ItemVersion:
    """Reviewed → live; the item's previous live version retires. Attempts keep the versions they drew."""
    if version.status != ReviewStatus.REVIEWED:
        raise DomainError(_("Chỉ đưa vào dùng được phiên bản đã thẩm định."))
    item = version.item
    if not item.is_tagged or frameworks.competence(item.framework_code, item.competence_code) is None:
        raise DomainError(
            _("Câu hỏi chưa gắn năng lực và mức nên chưa đưa vào dùng được; hãy gắn trước."), code="untagged"
        )
    _make_live(version, actor=actor, now=timezone.now())
    return version


@transaction.atomic
def retire_item(*, item: Item, actor) -> Item:
    """Live → retired: no new attempt draws it."""
    if item.live_version_id is None:
        raise DomainError(_("Câu hỏi %(code)s không ở trạng thái đang dùng.") % {"code": item.code})
    ItemVersion.objects.filter(pk=item.live_version_id).update(status=ReviewStatus.RETIRED, retired_at=timezone.now())
    Item.objects.filter(pk=item.pk).update(live_version=None)
    item.live_version = None
    return item


def edit_item(*, item: Item, data: dict, actor) -> ItemVersion | None:
    """A content author's change: a new draft version (None when nothing changed). The live version stays live
    until the draft is reviewed and published."""
    data = {**data_from_version(item.versions.order_by("-number").first()), **data, "id": item.code}
    problems = validate_item(data, item.code)
    if problems:
        raise DomainError("; ".join(p.message for p in problems))
    with transaction.atomic():
        _item, version = _save(data, actor=actor, status=ReviewStatus.DRAFT)
    return version
