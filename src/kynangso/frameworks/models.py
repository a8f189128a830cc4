"""Digital-competence frameworks as versioned data: framework → domain → competence, with ordered proficiency levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    code = models.CharField(_("mã khung"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    source = models.CharField(_("văn bản, nguồn"), max_length=500, blank=True)
    version = models.CharField(_("phiên bản"), max_length=32)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản chính thức"), default=False)
    note = models.TextField(_("ghi chú về mức độ xác nhận"), blank=True)
    # The target groups the framework names, each {code, name} (QĐ 757: four groups); empty when it names none.
    target_groups = models.JSONField(_("nhóm đối tượng của khung"), default=list, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("khung năng lực số")
        verbose_name_plural = _("khung năng lực số")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ProficiencyLevel(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("bậc"))
    name = models.CharField(_("tên bậc"), max_length=64)
    tier = models.CharField(_("mã trình độ"), max_length=32)
    tier_name = models.CharField(_("trình độ"), max_length=64)

    class Meta:
        verbose_name = _("bậc thành thạo")
        verbose_name_plural = _("bậc thành thạo")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="level_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name} ({self.tier_name})"


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("mã miền"), max_length=16)
    name = models.CharField(_("tên miền năng lực"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("miền năng lực")
        verbose_name_plural = _("miền năng lực")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Competence(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competences")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("mã năng lực"), max_length=16)
    name = models.CharField(_("tên năng lực"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    confirmed = models.BooleanField(_("đã đối chiếu văn bản chính thức"), default=False)
    # Codes of the framework's target groups this competence is for (empty: all of them), and the competences of
    # other frameworks that assess it, as "FRAMEWORK|code" (QĐ 757 → TT02-2025: the bank's items are tagged there).
    groups = models.JSONField(_("dành cho nhóm đối tượng"), default=list, blank=True)
    maps_to = models.JSONField(_("tương ứng với năng lực"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("năng lực thành phần")
        verbose_name_plural = _("năng lực thành phần")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="competence_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
