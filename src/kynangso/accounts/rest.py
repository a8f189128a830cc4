"""REST endpoints of accounts: obtaining a bearer token with a password, listing and revoking one's own tokens."""

import datetime

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kynangso.accounts.services import issue_api_token, revoke_api_token
from kynangso.rest_errors import ErrorOut, error_body
from kynangso.rest_inputs import ObjectId

router = Router(tags=["accounts"])


class TokenRequest(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"username": "canbo_xa", "password": "…", "name": "Phần mềm báo cáo của xã"}]},
    )

    username: str = Field(
        ..., max_length=150, description="Tên đăng nhập, số điện thoại hoặc số định danh cá nhân của tài khoản."
    )
    password: str = Field(..., max_length=4096, description="Mật khẩu.")
    name: str = Field("", max_length=100, description="Tên gợi nhớ của mã, ví dụ «Phần mềm báo cáo của xã».")


class IssuedToken(Schema):
    token: str = Field(..., description="Mã truy cập; chỉ hiện một lần, hãy lưu lại ngay.")
    id: int
    name: str = Field(..., description="Tên gợi nhớ.")
    created_at: datetime.datetime = Field(..., description="Thời điểm tạo.")
    expires_at: datetime.datetime = Field(..., description="Thời điểm hết hạn; sau đó cần lấy mã mới.")


class TokenInfo(Schema):
    id: int
    name: str = Field(..., description="Tên gợi nhớ.")
    prefix: str = Field(..., description="Tám ký tự đầu của mã, để nhận ra mã mà không lộ mã.")
    created_at: datetime.datetime = Field(..., description="Thời điểm tạo.")
    last_used_at: datetime.datetime | None = Field(None, description="Lần dùng gần nhất.")
    expires_at: datetime.datetime = Field(..., description="Thời điểm hết hạn; sau đó mã bị từ chối.")
    revoked_at: datetime.datetime | None = Field(None, description="Thời điểm thu hồi; trống nếu mã còn hiệu lực.")


# exclude_none: an error leaves out `field` and `errors` rather than sending them as null, as everywhere else.
@router.post(
    "/token",
    auth=None,
    response={201: IssuedToken, 401: ErrorOut, 429: ErrorOut},
    exclude_none=True,
    summary="Lấy mã truy cập bằng mật khẩu",
)
def obtain_token(request, payload: TokenRequest):
    """Đổi tên đăng nhập (hoặc số điện thoại, số định danh) và mật khẩu lấy một mã truy cập Bearer, có hiệu lực
    trong một số ngày (mặc định 90). Nhập sai mật khẩu nhiều lần liên tiếp sẽ tạm khóa tài khoản; quá nhiều lần
    sai từ cùng một địa chỉ mạng sẽ tạm dừng đăng nhập từ địa chỉ đó với các tài khoản chưa từng dùng ở đó."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # Answer the lockout in JSON here; left set, the flag makes AxesMiddleware swap in its HTML page.
            request.axes_locked_out = False
            if getattr(request, "login_address_throttled", False):
                return Status(
                    429,
                    error_body(
                        429, _("Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Vui lòng thử lại sau ít phút.")
                    ),
                )
            return Status(
                429,
                error_body(
                    429,
                    _(
                        "Tài khoản tạm thời bị khóa vì mật khẩu bị nhập sai quá nhiều "
                        "lần. Vui lòng thử lại sau, hoặc liên hệ cán bộ quản trị của đơn vị."
                    ),
                    code="locked",
                ),
            )
        return Status(401, error_body(401, _("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_credentials"))
    # A password login, as on the website: last login is recorded and django-axes clears the failure count.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    record, token = issue_api_token(user=user, name=payload.name)
    return Status(
        201,
        IssuedToken(
            token=token, id=record.id, name=record.name, created_at=record.created_at, expires_at=record.expires_at
        ),
    )


@router.get("/tokens", response=list[TokenInfo], summary="Danh sách mã truy cập của tôi")
def list_tokens(request):
    """Các mã truy cập của tài khoản đang gọi, mới nhất trước; không bao giờ hiện lại mã."""
    return request.auth.api_tokens.order_by("-created_at", "-id")


@router.delete("/tokens/{token_id}", response={204: None}, summary="Thu hồi một mã truy cập")
def revoke_token(request, token_id: ObjectId):
    """Thu hồi một mã của chính mình; các yêu cầu sau đó dùng mã này bị từ chối."""
    revoke_api_token(user=request.auth, token_id=token_id)
    return Status(204, None)
