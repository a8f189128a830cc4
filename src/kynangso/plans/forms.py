"""Forms of the plans pages: the occurrence report, a cooperating unit's contribution, the board filter, the plan
upload. They only parse input; the rules are in services."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from kynangso.plans.models import OccurrenceStatus, OutputKind

PLAN_FILE_MAX_BYTES = 2 * 1024 * 1024


class _OutputsMixin:
    """One whole-number field per kind of output (out_campaigns, …)."""

    def _add_output_fields(self):
        for kind, label in OutputKind.choices:
            self.fields[f"out_{kind}"] = forms.IntegerField(
                label=label, min_value=0, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
            )

    def output_fields(self):
        return [self[f"out_{kind}"] for kind in OutputKind.values]

    def outputs(self) -> dict[str, int]:
        return {
            kind: self.cleaned_data[f"out_{kind}"]
            for kind in OutputKind.values
            if self.cleaned_data.get(f"out_{kind}") is not None
        }


class _EvidenceFields(forms.Form):
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, ảnh JPG/PNG, Word, Excel, PowerPoint hoặc video MP4; tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx,.odt,.ods,.mp4"}),
    )
    evidence_url = forms.URLField(
        label=_("Hoặc đường dẫn minh chứng"),
        required=False,
        assume_scheme="https",
        help_text=_("Ví dụ: địa chỉ bài viết trên cổng thông tin điện tử."),
    )
    evidence_note = forms.CharField(label=_("Ghi chú minh chứng"), required=False, max_length=500)


class ReportForm(_OutputsMixin, _EvidenceFields):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=OccurrenceStatus.choices)
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, required=False, help_text=_("Hoàn thành được tính là 100%.")
    )
    narrative = forms.CharField(label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    cancel_reason = forms.CharField(
        label=_("Lý do không thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["status", "progress", "narrative", "cancel_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_output_fields()


class ContributionForm(_OutputsMixin, _EvidenceFields):
    unit = forms.TypedChoiceField(label=_("Đơn vị phối hợp"), coerce=int)
    narrative = forms.CharField(label=_("Nội dung đã phối hợp thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["unit", "narrative"]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]
        self._add_output_fields()


class BoardFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Tất cả")),
        ("overdue", _("Quá hạn")),
        ("open", _("Chưa hoàn thành")),
        ("done", _("Hoàn thành")),
    ]
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị chủ trì, phối hợp"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, years=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["unit"].choices = [("", _("Tất cả đơn vị"))] + [(unit.pk, unit.name) for unit in units]


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch (.yaml hoặc .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if PurePath(file.name).suffix.lower() not in {".yaml", ".yml", ".xlsx"}:
            raise forms.ValidationError(_("Chỉ nhận tệp .yaml, .yml hoặc .xlsx."))
        if file.size > PLAN_FILE_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn: tối đa 2 MB."))
        return file
