"""Forms of the certificate pages; they parse input only, the rules live in the services."""

import json
import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from kynangso.credentials.models import NationalExport

MAX_CREDENTIAL_BYTES = 256 * 1024
# The code printed on the paper (the certificate's UUID), with or without its hyphens, alone or inside the printed
# address; spaces and line breaks a reader copies along are dropped first.
PRINTED_CODE = re.compile(r"([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})", re.IGNORECASE)


def printed_code(text: str) -> uuid.UUID | None:
    """The certificate code in `text` (what a reader types from the paper), or None when it is not one."""
    compact = re.sub(r"\s+", "", text)
    if not compact or compact[0] in "{[":
        return None
    match = PRINTED_CODE.search(compact)
    if match is None or len(compact) > 200:
        return None
    return uuid.UUID("".join(match.groups()))


class CheckForm(forms.Form):
    """A certificate to verify: its code as printed on the paper, or the file, pasted as JSON text or uploaded."""

    code = forms.CharField(
        label=_("Mã chứng nhận (in trên giấy chứng nhận)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    text = forms.CharField(
        label=_("Hoặc dán nội dung chứng nhận (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=MAX_CREDENTIAL_BYTES,
    )
    file = forms.FileField(label=_("Hoặc chọn tệp chứng nhận (.json)"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        code = (cleaned.get("code") or "").strip()
        if code or (text and not upload and printed_code(text)):
            # The code pasted into the JSON box is the same request: nobody should be told it is broken JSON.
            cleaned["public_id"] = printed_code(code or text)
            if cleaned["public_id"] is None:
                raise forms.ValidationError(
                    _(
                        "Mã chứng nhận gồm 32 chữ số và chữ cái a–f (có thể kèm dấu gạch "
                        "ngang), như in ở cuối giấy chứng nhận."
                    )
                )
            return cleaned
        if upload:
            if upload.size > MAX_CREDENTIAL_BYTES:
                raise forms.ValidationError(_("Tệp quá lớn để là một chứng nhận (tối đa 256 KB)."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Tệp không phải văn bản UTF-8.")) from None
        if not text:
            raise forms.ValidationError(_("Hãy nhập mã chứng nhận, dán nội dung chứng nhận hoặc chọn một tệp."))
        try:
            cleaned["document"] = json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(
                _("Nội dung không phải JSON hợp lệ: chứng nhận bị hỏng hoặc không phải chứng nhận số.")
            ) from None
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy ghi lý do thu hồi.")},
    )


class ExportForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    period_start = forms.DateField(label=_("Đạt chuẩn từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    file_format = forms.ChoiceField(label=_("Định dạng tệp"), choices=NationalExport.Format.choices)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.id, f"{unit.name} ({unit.code})") for unit in units]
