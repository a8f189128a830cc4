"""Forms of the report pages: starting a report, editing its header and sections, returning it with a comment."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kynangso.reports.models import AnnualReport
from kynangso.reports.services import EDITABLE_FIELDS


class StartReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2020, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].initial = timezone.localdate().year


class ReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = EDITABLE_FIELDS
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(),
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "signer_title": forms.TextInput(),
            **{
                name: forms.Textarea(attrs={"rows": 5})
                for name in ("general_assessment", "results_narrative", "shortcomings", "next_year_tasks", "proposals")
            },
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến khi trả lại"), widget=forms.Textarea(attrs={"rows": 3}))
