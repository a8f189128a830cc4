"""REST endpoints of the credentials app, mounted by kynangso.rest at /api/v1/credentials/."""

import datetime
import uuid

from django.http import Http404
from ninja import Body, Router, Schema

from kynangso.credentials import selectors, verification
from kynangso.people import api as people

router = Router(tags=["credentials"])


class VerificationOut(Schema):
    state: str
    verified: bool
    revoked: bool
    reason: str
    issuer: str
    achievement: str
    issued_on: datetime.date | None
    revoked_on: datetime.date | None
    holder: str
    credential_id: uuid.UUID | None


class CredentialOut(Schema):
    id: uuid.UUID
    achievement_kind: str
    achievement_code: str
    achievement_name: str
    achieved_at: datetime.datetime
    issued_at: datetime.datetime
    revoked_at: datetime.datetime | None
    document: dict


@router.post(
    "/verify",
    auth=None,
    response=VerificationOut,
    summary="Kiểm tra một chứng nhận (gửi nguyên văn JSON của chứng nhận đã ký)",
)
def verify(request, credential: Body[dict]):
    """state: valid (hợp lệ), revoked (đã bị thu hồi) hoặc invalid (không hợp lệ / bị sửa đổi). Không cần xác thực."""
    return verification.verify_document(credential).as_dict()


@router.get(
    "/{uuid:public_id}/verification",
    auth=None,
    response=VerificationOut,
    summary="Kết quả kiểm tra một chứng nhận theo mã (như trang mã QR mở ra)",
)
def verification_of(request, public_id: uuid.UUID):
    credential = selectors.credential_by_public_id(public_id)
    if credential is None:
        raise Http404
    return verification.verify_stored(credential).as_dict()


@router.get("/mine", response=list[CredentialOut], summary="Các chứng nhận của người đang đăng nhập")
def mine(request):
    person = people.person_for_user(request.auth)
    if person is None:
        return []
    return [
        {
            "id": c.public_id,
            "achievement_kind": c.achievement_kind,
            "achievement_code": c.achievement_code,
            "achievement_name": c.achievement_name,
            "achieved_at": c.achieved_at,
            "issued_at": c.issued_at,
            "revoked_at": c.revoked_at,
            "document": c.document,
        }
        for c in selectors.credentials_of(person)
    ]
