"""Two-factor login with a time-based one-time code (TOTP, RFC 6238) from an authenticator app, on django-otp:
enrolling a device, checking the code at login, and who must have it (ADR 0021)."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kynangso.accounts.models import Role
from kynangso.errors import DomainError


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_required(user) -> bool:
    """Whether `user` may not work without a second factor: system and province administrators, when the
    TWO_FACTOR_REQUIRED setting is on (by default in production)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.role_assignments.filter(role=Role.PROVINCIAL_ADMIN).exists()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled (not yet confirmed): the same one on every visit until it is confirmed, so that
    a reload does not invalidate the QR code the person already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
    return device


@transaction.atomic
def confirm_device(*, request, device: TOTPDevice, token: str) -> None:
    """Confirm `device` with a code it generated, make it the user's only device, and mark this session verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user_id=request.user.pk, confirmed=False)
    if not device.verify_token(_clean_token(token)):
        raise DomainError(_("Mã chưa đúng. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    otp_login(request, device)


def verify_login(*, request, token: str) -> None:
    """Check the code at login against the user's confirmed device and mark the session verified.

    django-otp throttles each device after a wrong code (a growing wait) and refuses a code already used.
    """
    device = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        raise DomainError(_("Tài khoản chưa bật xác thực hai lớp."), field="token")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise DomainError(_("Đã nhập sai nhiều lần. Hãy chờ ít phút rồi thử lại."), field="token")
        verified = device.verify_token(_clean_token(token))
    if not verified:
        raise DomainError(_("Mã chưa đúng hoặc đã được dùng. Hãy nhập mã mới trong ứng dụng xác thực."), field="token")
    otp_login(request, device)


def remove_devices(*, user) -> None:
    """Switch two-factor login off for `user` (refused where it is required)."""
    if two_factor_required(user):
        raise DomainError(_("Tài khoản quản trị cấp tỉnh và quản trị hệ thống bắt buộc dùng xác thực hai lớp."))
    TOTPDevice.objects.filter(user=user).delete()


def _clean_token(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())


def qr_svg(text: str) -> str:
    """A QR code of `text` as an inline SVG element (no image file, no script)."""
    buffer = io.BytesIO()
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML declaration, invalid inside HTML
