"""Forms of the account pages: changing one's password, setting one with a reset code, two-factor codes."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _password_field(label, autocomplete: str = "new-password") -> forms.CharField:
    # strip=False: spaces are part of a passphrase; no max_length: long passphrases are welcome (ASVS 2.1.2).
    return forms.CharField(label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class _NewPasswordForm(forms.Form):
    new_password1 = _password_field(_("Mật khẩu mới"))
    new_password2 = _password_field(_("Nhập lại mật khẩu mới"))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Hai lần nhập mật khẩu mới không giống nhau."))
        return cleaned


class PasswordChangeForm(_NewPasswordForm):
    old_password = _password_field(_("Mật khẩu hiện tại"), autocomplete="current-password")
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetCodeForm(_NewPasswordForm):
    code = forms.CharField(
        label=_("Mã đặt lại mật khẩu"),
        max_length=40,
        help_text=_("Mã gồm 12 chữ và số do cán bộ hoặc tổ công nghệ số cộng đồng cấp."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    field_order = ["code", "new_password1", "new_password2"]


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )


class ConfirmPasswordForm(forms.Form):
    password = _password_field(_("Mật khẩu hiện tại"), autocomplete="current-password")
