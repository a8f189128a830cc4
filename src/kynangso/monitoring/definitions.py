"""The rules a computed indicator's definition must follow (the fixed set of building blocks), with Vietnamese errors."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kynangso.monitoring.models import DenominatorSource, IndicatorKind, Measure, Source
from kynangso.orgs import api as orgs
from kynangso.people import api as people

# Which fact-specific filters each source accepts.
_STANDARD_SOURCES = {Source.PASSED_STANDARD, Source.ASSESSED}
_COURSE_SOURCES = {Source.TRAINED_ONLINE}
_CREDENTIAL_SOURCES = {Source.CREDENTIALS_ISSUED}


def definition_errors(indicator) -> dict[str, str]:
    """Field → Vietnamese message for every rule the indicator's definition breaks (empty when valid)."""
    errors: dict[str, str] = {}
    if indicator.measure not in Measure.values:
        errors["measure"] = _("Đơn vị tính phải là tỷ lệ (%) hoặc số lượng.")
    if indicator.kind == IndicatorKind.MANUAL:
        if indicator.source or indicator.denominator:
            errors["source"] = _(
                "Chỉ số nhập tay không có định nghĩa tính từ dữ liệu; hãy để trống «đếm gì» và «mẫu số»."
            )
        return errors
    if indicator.kind == IndicatorKind.SURVEY:
        if indicator.measure != Measure.PERCENT or not indicator.survey_code:
            errors["survey_code"] = _("Chỉ số ước lượng từ khảo sát là tỷ lệ (%) và phải có mã bảng hỏi.")
        if indicator.source or indicator.denominator:
            errors["source"] = _("Chỉ số ước lượng từ khảo sát không có «đếm gì» và «mẫu số».")
        return errors
    if indicator.survey_code:
        errors["survey_code"] = _("Chỉ ghi mã bảng hỏi với chỉ số ước lượng từ khảo sát.")
    if indicator.kind != IndicatorKind.COMPUTED:
        errors["kind"] = _("Cách lấy số liệu phải là «tính từ dữ liệu», «nhập tay» hoặc «ước lượng từ khảo sát».")
        return errors
    if indicator.source not in Source.values:
        errors["source"] = _("Chỉ số tính từ dữ liệu phải chọn «đếm gì».")
    if indicator.target_group and indicator.target_group not in people.TargetGroup.values:
        errors["target_group"] = _("Nhóm đối tượng không hợp lệ: %(value)s.") % {"value": indicator.target_group}
    if indicator.unit_kind and indicator.unit_kind not in orgs.UnitKind.values:
        errors["unit_kind"] = _("Loại đơn vị không hợp lệ: %(value)s.") % {"value": indicator.unit_kind}
    if indicator.standard_code and indicator.source not in _STANDARD_SOURCES:
        errors["standard_code"] = _("Chỉ chọn mã chuẩn khi đếm người đạt chuẩn hoặc người đã dự sát hạch.")
    if indicator.course_code and indicator.source not in _COURSE_SOURCES:
        errors["course_code"] = _("Chỉ chọn mã khóa học khi đếm người hoàn thành khóa học trực tuyến.")
    if indicator.credential_code and indicator.source not in _CREDENTIAL_SOURCES:
        errors["credential_code"] = _("Chỉ chọn mã thành tích khi đếm chứng nhận đã cấp.")
    if indicator.age_min is not None and indicator.age_max is not None and indicator.age_max < indicator.age_min:
        errors["age_max"] = _("«Đến tuổi» phải lớn hơn hoặc bằng «từ tuổi».")
    for field in ("age_min", "age_max"):
        value = getattr(indicator, field)
        if value is not None and value > 120:
            errors[field] = _("Tuổi phải từ 0 đến 120.")
    if indicator.denominator not in DenominatorSource.values:
        errors["denominator"] = _("Mẫu số không hợp lệ.")
    if indicator.measure == Measure.PERCENT and not indicator.denominator:
        errors["denominator"] = _("Chỉ số tỷ lệ (%) phải có mẫu số.")
    if indicator.measure == Measure.COUNT and indicator.denominator:
        errors["denominator"] = _("Chỉ số đếm số lượng không có mẫu số.")
    if indicator.denominator == DenominatorSource.UNIT_DENOMINATOR:
        if indicator.denominator_kind not in orgs.DenominatorKind.values:
            errors["denominator_kind"] = _("Hãy chọn loại mẫu số của đơn vị (ví dụ: người dân trong độ tuổi lao động).")
    elif indicator.denominator_kind:
        errors["denominator_kind"] = _("Chỉ chọn loại mẫu số khi mẫu số là «mẫu số theo năm của đơn vị».")
    if indicator.source == Source.PEOPLE and indicator.denominator == DenominatorSource.PEOPLE:
        errors["denominator"] = _("Đếm số người chia cho chính số người đó luôn bằng 100%; hãy chọn mẫu số khác.")
    if (indicator.source == Source.HAMLETS_WITH_TEAM) != (
        indicator.denominator == DenominatorSource.HAMLETS
    ) and indicator.denominator:
        errors["denominator"] = _(
            "Thôn, ấp, khóm có tổ công nghệ số cộng đồng chỉ chia cho số thôn, ấp, khóm, và ngược lại."
        )
    if indicator.source == Source.CREDENTIALS_ISSUED and indicator.denominator:
        errors["denominator"] = _("Số chứng nhận đã cấp là chỉ số đếm số lượng, không có mẫu số.")
    return errors


def validate_indicator(indicator) -> None:
    """Raise a ValidationError (field → Vietnamese message) when the definition breaks a rule; used by the admin."""
    errors = definition_errors(indicator)
    if errors:
        raise ValidationError(errors)
