"""Verifying a certificate file offline: only the issuer's public key, no database and no network."""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kynangso.credentials import did as did_web
from kynangso.credentials import status_list
from kynangso.credentials.data_integrity import VerificationResult, first_proof, verify_proof
from kynangso.credentials.keys import public_key_from_text, public_key_multibase


class OfflineInputError(Exception):
    """An input file is missing or unreadable; `message` is Vietnamese and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class OfflineReport:
    verified: bool
    reason: str
    issuer: str = ""
    issued_on: str = ""
    revoked: bool | None = None
    notes: list[str] = field(default_factory=list)


def read_json_file(path: str | Path, *, what: str) -> Any:
    """The JSON in `path`; `what` names the file in the Vietnamese error ("chứng nhận", "tài liệu DID", …)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OfflineInputError(_("Không tìm thấy tệp %(what)s: %(path)s") % {"what": what, "path": path}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OfflineInputError(
            _("Không đọc được tệp %(what)s %(path)s: %(error)s") % {"what": what, "path": path, "error": exc}
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OfflineInputError(
            _("Tệp %(what)s %(path)s không phải JSON hợp lệ (dòng %(line)s, cột %(column)s).")
            % {"what": what, "path": path, "line": exc.lineno, "column": exc.colno}
        ) from None


def read_public_key(value: str) -> tuple[str, Ed25519PublicKey]:
    """A public key given as a file (PEM or Multikey text, named `<key-id>.pem`) or as a Multikey value itself;
    returns (label, key), the label being the file's stem or the Multikey."""
    path = Path(value)
    if path.is_file():
        try:
            return path.stem, public_key_from_text(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            raise OfflineInputError(
                _("Tệp %(path)s không chứa khóa công khai Ed25519 (PEM hoặc multibase).") % {"path": path}
            ) from None
    if value.startswith("z"):
        try:
            return value, public_key_from_text(value)
        except ValueError:
            raise OfflineInputError(
                _("«%(value)s» không phải khóa công khai Ed25519 dạng multibase (z6Mk…).") % {"value": value}
            ) from None
    raise OfflineInputError(_("Không tìm thấy tệp khóa công khai: %(path)s") % {"path": value})


def read_status_list(path: str | Path) -> dict | str:
    """A BitstringStatusListCredential (JSON) or a bare `encodedList` string from a file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig").strip()
    except FileNotFoundError:
        raise OfflineInputError(_("Không tìm thấy tệp danh sách trạng thái: %(path)s") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OfflineInputError(
            _("Không đọc được tệp danh sách trạng thái %(path)s: %(error)s") % {"path": path, "error": exc}
        ) from None
    if text.startswith("u"):
        return text
    value = read_json_file(path, what=_("danh sách trạng thái"))
    if not isinstance(value, (dict, str)):
        raise OfflineInputError(
            _("Tệp %(path)s không phải danh sách trạng thái (BitstringStatusListCredential).") % {"path": path}
        )
    return value


def verify_credential_offline(
    credential: Any,
    *,
    public_keys: dict[str, Ed25519PublicKey] | None = None,
    did_document: dict | None = None,
    status: dict | str | None = None,
    now: datetime.datetime | None = None,
) -> OfflineReport:
    """Check the credential's proof with the given keys (by label) and/or the issuer's DID document, its validity
    period, and, when a status list is given, whether it was revoked."""
    if not isinstance(credential, dict):
        return OfflineReport(verified=False, reason=_("Tệp không phải một chứng nhận (cần một đối tượng JSON)."))
    now = now or datetime.datetime.now(datetime.UTC)
    result = _verify_signature(credential, public_keys or {}, did_document)
    issuer = _issuer_label(credential.get("issuer"))
    issued_on = _display_date(
        credential.get("validFrom") or credential.get("issuanceDate") or first_proof(credential).get("created")
    )
    report = OfflineReport(verified=result.verified, reason=result.reason, issuer=issuer, issued_on=issued_on)
    if not result.verified:
        return report
    period_problem = _validity_problem(credential, now)
    if period_problem:
        report.verified, report.reason = False, period_problem
        return report
    # Lazy texts: translating costs as much as hashing the document, and bulk checks often read only `verified`.
    report.reason = _valid_reason(issuer, issued_on)
    entries = _status_entries(credential)
    if entries and status is None:
        report.notes.append(gettext_lazy("Chưa kiểm tra thu hồi: hãy cung cấp danh sách trạng thái (--status-list)."))
    elif status is not None:
        _apply_status(report, entries, status, public_keys or {}, did_document, now)
    return report


def _valid_reason_text(issuer: str, issued_on: str) -> str:
    return _("Hợp lệ: chữ ký đúng, do %(issuer)s cấp ngày %(date)s.") % {"issuer": issuer, "date": issued_on}


_valid_reason = lazy(_valid_reason_text, str)


def _verify_signature(
    credential: dict, public_keys: dict[str, Ed25519PublicKey], did_document: dict | None
) -> VerificationResult:
    if did_document is not None:
        result = _verify_with_did_document(credential, did_document)
        if result.verified or not public_keys:
            return result
    candidates = _candidate_keys(credential, public_keys)
    results = [verify_proof(credential, resolve_public_key=lambda _method, key=key: key) for key in candidates]
    for result in results:
        if result.verified:
            return result
    if not results:
        return verify_proof(credential, resolve_public_key=lambda _method: None)
    first = results[0]
    if first.code == "signature_mismatch":
        return VerificationResult(
            verified=False,
            code=first.code,
            verification_method=first.verification_method,
            reason=_(
                "Chữ ký không khớp với khóa công khai đã cung cấp: chứng nhận đã bị sửa "
                "đổi, bị giả mạo, hoặc không do khóa này ký."
            ),
        )
    return first


def _verify_with_did_document(credential: dict, did_document: dict) -> VerificationResult:
    keys = did_web.assertion_keys(did_document)
    result = verify_proof(credential, resolve_public_key=keys.get)
    if not result.verified:
        return result
    issuer_id = _issuer_id(credential.get("issuer"))
    controller = result.verification_method.partition("#")[0]
    if issuer_id and issuer_id != controller:
        return VerificationResult(
            verified=False,
            code="issuer_mismatch",
            verification_method=result.verification_method,
            reason=_("Chữ ký đúng nhưng khóa ký thuộc về %(controller)s, không phải đơn vị cấp %(issuer)s.")
            % {"controller": controller, "issuer": issuer_id},
        )
    return result


def _candidate_keys(credential: dict, public_keys: dict[str, Ed25519PublicKey]) -> list[Ed25519PublicKey]:
    """The given keys, the one the proof names (by key id or Multikey) first, so its failure reason is the one shown."""
    method = first_proof(credential).get("verificationMethod", "")
    method = method if isinstance(method, str) else ""
    fragment = method.partition("#")[2] if isinstance(method, str) else ""

    def named_by_proof(item: tuple[str, Ed25519PublicKey]) -> bool:
        label, key = item
        return label == fragment or (bool(method) and public_key_multibase(key) in method)

    return [key for _label, key in sorted(public_keys.items(), key=lambda item: not named_by_proof(item))]


def _issuer_id(issuer: Any) -> str:
    if isinstance(issuer, dict):
        return str(issuer.get("id", ""))
    return issuer if isinstance(issuer, str) else ""


def _issuer_label(issuer: Any) -> str:
    if isinstance(issuer, dict) and isinstance(issuer.get("name"), str):
        return f"{issuer['name']} ({issuer['id']})" if issuer.get("id") else issuer["name"]
    return _issuer_id(issuer) or _("(không rõ đơn vị cấp)")


def _parse_date_time(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _display_date(value: Any) -> str:
    parsed = _parse_date_time(value)
    if parsed:
        return f"{parsed:%d/%m/%Y}"
    return value if isinstance(value, str) else _("(không rõ ngày)")


def _validity_problem(credential: dict, now: datetime.datetime) -> str:
    valid_until = _parse_date_time(credential.get("validUntil") or credential.get("expirationDate"))
    if valid_until and valid_until < now:
        return _("Chữ ký đúng nhưng chứng nhận đã hết hiệu lực từ ngày %(date)s.") % {"date": f"{valid_until:%d/%m/%Y}"}
    valid_from = _parse_date_time(credential.get("validFrom"))
    if valid_from and valid_from > now:
        return _("Chữ ký đúng nhưng chứng nhận chưa có hiệu lực (từ ngày %(date)s).") % {
            "date": f"{valid_from:%d/%m/%Y}"
        }
    return ""


def _status_entries(credential: dict) -> list[dict]:
    status = credential.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    return [entry for entry in entries if isinstance(entry, dict) and entry.get("type") == "BitstringStatusListEntry"]


def _check_list_validity(status: dict, now: datetime.datetime) -> None:
    """Refuse a list past its `validUntil`: a copy fetched before a revocation would otherwise vouch for the
    revoked certificate for ever. The issuer signs a fresh list each time it is fetched (ADR 0036)."""
    raw = status.get("validUntil")
    if raw is None:
        return
    valid_until = _parse_date_time(raw)
    if valid_until is None:
        raise OfflineInputError(_("Thời hạn (validUntil) của danh sách trạng thái sai dạng."))
    if valid_until < now:
        raise OfflineInputError(
            _("Danh sách trạng thái đã hết hạn lúc %(moment)s (UTC): hãy tải bản mới từ %(url)s rồi kiểm tra lại.")
            % {
                "moment": f"{valid_until.astimezone(datetime.UTC):%H:%M %d/%m/%Y}",
                "url": status.get("id") or _("địa chỉ danh sách trạng thái"),
            }
        )


def _apply_status(
    report: OfflineReport,
    entries: list[dict],
    status: dict | str,
    public_keys: dict[str, Ed25519PublicKey],
    did_document: dict | None,
    now: datetime.datetime,
) -> None:
    if not entries:
        report.notes.append(
            _("Chứng nhận không có thông tin trạng thái (credentialStatus); bỏ qua danh sách trạng thái.")
        )
        return
    if isinstance(status, dict):
        if "proof" in status:
            list_result = _verify_signature(status, public_keys, did_document)
            if not list_result.verified:
                raise OfflineInputError(
                    _("Danh sách trạng thái không đáng tin: %(reason)s") % {"reason": list_result.reason}
                )
        else:
            report.notes.append(
                _("Lưu ý: danh sách trạng thái không có chữ ký; chỉ tin nó nếu lấy từ nguồn chính thức.")
            )
        _check_list_validity(status, now)
        subject = status.get("credentialSubject")
        subject = subject if isinstance(subject, dict) else {}
        encoded, purpose, list_id = subject.get("encodedList"), subject.get("statusPurpose"), status.get("id")
    else:
        encoded, purpose, list_id = status, None, None
    matching = [
        entry
        for entry in entries
        if (list_id is None or entry.get("statusListCredential") == list_id)
        and (purpose is None or entry.get("statusPurpose") == purpose)
    ]
    if not matching:
        wanted = ", ".join(str(entry.get("statusListCredential")) for entry in entries)
        raise OfflineInputError(
            _("Danh sách trạng thái %(list)s không phải danh sách mà chứng nhận trỏ tới (%(wanted)s).")
            % {"list": list_id or "", "wanted": wanted}
        )
    entry = matching[0]
    try:
        revoked = status_list.is_set(encoded, int(entry.get("statusListIndex")))
    except (TypeError, ValueError):
        raise OfflineInputError(
            _("Danh sách trạng thái hoặc vị trí statusListIndex của chứng nhận sai dạng.")
        ) from None
    report.revoked = revoked
    if revoked and entry.get("statusPurpose", "revocation") == "revocation":
        report.verified = False
        report.reason = _("Không hợp lệ: chữ ký đúng nhưng chứng nhận đã bị thu hồi.")
    elif revoked:
        report.verified = False
        report.reason = _("Không hợp lệ: chữ ký đúng nhưng chứng nhận đang bị tạm đình chỉ (%(purpose)s).") % {
            "purpose": entry.get("statusPurpose")
        }
    else:
        report.reason = f"{report.reason} {_('Chưa bị thu hồi.')}"
