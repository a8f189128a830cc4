"""Back office for standards (the province) and the item bank (content authors: review, publish, retire, export)."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import capabilities, has_capability
from kynangso.assessment import bank, cat
from kynangso.assessment.models import (
    Attempt,
    BlueprintRow,
    Item,
    ItemVersion,
    ReviewStatus,
    Standard,
    StandardMode,
)
from kynangso.errors import DomainError


class BlueprintInline(admin.TabularInline):
    model = BlueprintRow
    extra = 1


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "target_group",
        "confirms_universal_for",
        "time_limit_minutes",
        "pass_percent",
        "max_attempts_per_year",
        "mode",
        "adaptive_status",
        "is_active",
    ]
    list_filter = ["target_group", "confirms_universal_for", "is_active", "mode"]
    inlines = [BlueprintInline]
    exclude = ["updated_by"]
    readonly_fields = ["adaptive_status"]

    @admin.display(description=_("tình trạng thi thích ứng"))
    def adaptive_status(self, standard):
        """Why an adaptive standard still uses fixed forms (cat.readiness), so the province can see it."""
        if standard is None or standard.pk is None:
            return "—"
        reasons = cat.readiness(standard)
        if standard.mode != StandardMode.ADAPTIVE:
            return _("Không dùng (đề theo ma trận)") if reasons else _("Có thể bật: ngân hàng đã đủ câu hiệu chỉnh")
        if not reasons:
            return _("Đang thi thích ứng")
        return _("Đang dùng đề theo ma trận vì: %(reasons)s") % {"reasons": "; ".join(reasons)}

    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.STANDARDS_CHANGE) or has_capability(
            request.user, capabilities.CONTENT_AUTHOR
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.STANDARDS_CHANGE)

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class VersionInline(admin.TabularInline):
    model = ItemVersion
    extra = 0
    can_delete = False
    fields = [
        "number",
        "type",
        "stem",
        "notes",
        "status",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "published_by",
        "published_at",
        "retired_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("ghi chú khi nhập"))
    def notes(self, version):
        """What the import could not keep, for the reviewer (ADR 0035)."""
        return format_html_join(mark_safe("<br>"), "{}", ((note,) for note in version.import_notes or [])) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        """Authors and reviewers see every version (with its import notes) on the item's page."""
        return has_capability(request.user, capabilities.CONTENT_AUTHOR) or has_capability(
            request.user, capabilities.CONTENT_REVIEW
        )

    def has_change_permission(self, request, obj=None):
        return False  # versions are immutable (ADR 0009)


def _static_image(path: str) -> bytes | None:
    """The bytes of an item image that is one of our static files («/static/…»), to embed it in a Moodle export."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix) or ".." in path:
        return None
    found = finders.find(path[len(prefix) :])
    if not found or isinstance(found, list):
        return None
    with open(found, "rb") as handle:
        data = handle.read(256 * 1024 + 1)
    return data if len(data) <= 256 * 1024 else None


def _export(modeladmin, request, queryset, writer, filename, content_type):
    versions = [item.live_version or item.versions.order_by("-number").first() for item in queryset]
    data = [bank.data_from_version(v) for v in versions if v is not None]
    output = writer(data)
    if isinstance(output, tuple):  # GIFT returns the ids it could not write (ordering items)
        output, skipped = output
        if skipped:
            modeladmin.message_user(
                request,
                _("Không xuất được sang GIFT (dạng sắp xếp): %(ids)s") % {"ids": ", ".join(skipped)},
                messages.WARNING,
            )
    response = HttpResponse(output, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "competence_code", "level", "use", "status", "import_notes", "times_drawn", "irt_b"]
    list_filter = ["framework_code", "competence_code", "level", "use"]
    search_fields = ["code", "versions__stem"]
    readonly_fields = ["code", "framework_code", "live_version", "irt_a", "irt_b", "calibrated_at", "times_drawn"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        """An imported item without a framework gets one here (with its competence and level) before it can go live."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.framework_code:
            fields.remove("framework_code")
        return fields

    actions = ["review_latest", "publish_latest", "retire", "export_xlsx", "export_moodle", "export_gift"]

    @admin.display(description=_("ghi chú khi nhập"))
    def import_notes(self, item):
        latest = item.versions.order_by("-number").first()
        return len(latest.import_notes) if latest and latest.import_notes else "—"

    @admin.display(description=_("trạng thái"))
    def status(self, item):
        latest = item.versions.order_by("-number").first()
        return latest.get_status_display() if latest else "—"

    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR) or has_capability(
            request.user, capabilities.CONTENT_REVIEW
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR)

    def has_add_permission(self, request):
        return False  # new items come from files or the import command, validated as a whole

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: attempts keep pointing at every version

    def _each(self, request, queryset, action, done_message):
        done = 0
        for item in queryset:
            try:
                if action(item):
                    done += 1
            except DomainError as exc:
                self.message_user(request, f"{item.code}: {exc.message}", messages.ERROR)
        self.message_user(request, done_message % {"count": done})

    @admin.action(description=_("Thẩm định bản nháp mới nhất"))
    def review_latest(self, request, queryset):
        def act(item):
            draft = item.versions.filter(status=ReviewStatus.DRAFT).order_by("-number").first()
            return draft and bank.review_version(version=draft, reviewer=request.user)

        self._each(request, queryset, act, _("Đã thẩm định %(count)s câu hỏi."))

    @admin.action(description=_("Đưa phiên bản đã thẩm định vào dùng"))
    def publish_latest(self, request, queryset):
        def act(item):
            reviewed = item.versions.filter(status=ReviewStatus.REVIEWED).order_by("-number").first()
            return reviewed and bank.publish_version(version=reviewed, actor=request.user)

        self._each(request, queryset, act, _("Đã đưa %(count)s câu hỏi vào dùng."))

    @admin.action(description=_("Ngừng dùng các câu đã chọn"))
    def retire(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda item: bank.retire_item(item=item, actor=request.user),
            _("Đã ngừng dùng %(count)s câu hỏi."),
        )

    @admin.action(description=_("Xuất ra Excel (.xlsx)"))
    def export_xlsx(self, request, queryset):
        from kynangso.assessment.interchange import write_xlsx
        from kynangso.tabular import XLSX_CONTENT_TYPE

        return _export(self, request, queryset, write_xlsx, "ngan-hang-cau-hoi.xlsx", XLSX_CONTENT_TYPE)

    @admin.action(description=_("Xuất ra Moodle XML"))
    def export_moodle(self, request, queryset):
        from kynangso.assessment.interchange import write_moodle_xml

        return _export(
            self,
            request,
            queryset,
            lambda items: write_moodle_xml(items, load_image=_static_image),
            "ngan-hang-cau-hoi.xml",
            "application/xml",
        )

    @admin.action(description=_("Xuất ra GIFT"))
    def export_gift(self, request, queryset):
        from kynangso.assessment.interchange import write_gift

        return _export(self, request, queryset, write_gift, "ngan-hang-cau-hoi.gift.txt", "text/plain; charset=utf-8")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = [
        "standard",
        "number",
        "status",
        "started_at",
        "submitted_at",
        "score_percent",
        "passed",
        "assisted_by",
    ]
    list_filter = ["standard", "status", "passed"]
    readonly_fields = [f.name for f in Attempt._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
