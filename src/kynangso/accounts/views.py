"""Account pages: one's own password and two-factor login, the code check at login, and password resets by a
helper or unit admin for learners in scope."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kynangso.accounts import directory, passwords, two_factor
from kynangso.accounts.capabilities import PASSWORDS_RESET
from kynangso.accounts.forms import ConfirmPasswordForm, PasswordChangeForm, PasswordResetCodeForm, TokenForm
from kynangso.accounts.middleware import PASSWORD_CHANGE_REQUIRED
from kynangso.errors import DomainError


def _next_url(request, default: str = "web:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return redirect(default).url


def _form_error(form, error: DomainError, field_map: dict[str, str] | None = None) -> None:
    field = (field_map or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


@login_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {
            "has_two_factor": two_factor.has_confirmed_device(request.user),
            "two_factor_required": two_factor.two_factor_required(request.user),
        },
    )


@never_cache
@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as error:
            _form_error(form, error, {"password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)  # stay logged in here; other sessions end
            request.session.pop(PASSWORD_CHANGE_REQUIRED, None)
            messages.success(request, _("Đã đổi mật khẩu. Lần đăng nhập sau, hãy dùng mật khẩu mới."))
            return redirect(_next_url(request, "accounts:account"))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "required": bool(request.session.get(PASSWORD_CHANGE_REQUIRED)),
            "next": request.GET.get("next", ""),
            "help_text": _password_help(),
        },
    )


def _password_help() -> str:
    """The length rule in words, from the configured validator (the numbers live in settings only)."""
    from django.contrib.auth.password_validation import get_default_password_validators

    texts = [
        validator.get_help_text()
        for validator in get_default_password_validators()
        if isinstance(validator, passwords.RoleMinimumLengthValidator)
    ]
    return texts[0] if texts else ""


@never_cache
def password_reset_with_code(request):
    """The person sets a new password with the code a helper or unit admin gave them."""
    form = PasswordResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.reset_password_with_code(
                code=form.cleaned_data["code"], new_password=form.cleaned_data["new_password1"]
            )
        except DomainError as error:
            _form_error(form, error, {"password": "new_password1"})
        else:
            messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("web:login")
    return render(request, "accounts/password_reset_code.html", {"form": form, "help_text": _password_help()})


@never_cache
@login_required
def password_reset_issue(request, person_id: int):
    """A helper or unit admin gives a learner in scope a one-time code; anything else is not found."""
    person = directory.person_in_scope(request.user, PASSWORDS_RESET, person_id)
    if person is None or not passwords.can_reset_password(request.user, person.user_id):
        raise Http404
    if request.method == "POST":
        try:
            record, code = passwords.issue_password_reset(actor=request.user, user_id=person.user_id)
        except DomainError as error:
            raise Http404 from error
        return render(
            request,
            "accounts/password_reset_issued.html",
            {
                "person": person,
                "code": passwords.format_code(code),
                "expires_at": record.expires_at,
                "minutes": settings.PASSWORD_RESET_MINUTES,
            },
        )
    return render(request, "accounts/password_reset_issue.html", {"person": person})


@never_cache
@login_required
def two_factor_setup(request):
    """Enrol an authenticator app (scan the QR code, type one code), or see and switch off two-factor login."""
    enrolled = two_factor.has_confirmed_device(request.user)
    enrolling = not enrolled or request.GET.get("thiet-bi-moi") == "1" or request.method == "POST"
    form = TokenForm(request.POST or None)
    context = {
        "enrolled": enrolled,
        "required": two_factor.two_factor_required(request.user),
        "next": request.GET.get("next", ""),
        "disable_form": ConfirmPasswordForm(),
    }
    if enrolling:
        device = two_factor.pending_device(request.user)
        if request.method == "POST" and form.is_valid():
            try:
                two_factor.confirm_device(request=request, device=device, token=form.cleaned_data["token"])
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã bật xác thực hai lớp. Từ nay, khi đăng nhập hãy nhập thêm mã trong ứng dụng xác thực."),
                )
                return redirect(_next_url(request, "accounts:account"))
        context.update(form=form, qr_svg=two_factor.qr_svg(device.config_url), secret=_grouped(_base32_secret(device)))
    return render(request, "accounts/two_factor.html", context)


def _base32_secret(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def _grouped(text: str) -> str:
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
@login_required
def two_factor_disable(request):
    form = ConfirmPasswordForm(request.POST)
    if not form.is_valid() or not request.user.check_password(form.cleaned_data["password"]):
        messages.error(request, _("Mật khẩu hiện tại chưa đúng; xác thực hai lớp vẫn được bật."))
        return redirect("accounts:two_factor")
    try:
        two_factor.remove_devices(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("accounts:account")


@never_cache
@login_required
def two_factor_verify(request):
    """The second step of logging in: the 6-digit code from the authenticator app."""
    if request.user.is_verified() or not two_factor.has_confirmed_device(request.user):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify_login(request=request, token=form.cleaned_data["token"])
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})
