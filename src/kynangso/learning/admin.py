"""Back office for courses (content authors write drafts, reviewers publish versions) and training classes (units
organise them within their scope)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kynangso.accounts.api import ScopedModelAdmin, capabilities, has_capability
from kynangso.errors import DomainError
from kynangso.learning import classes, courses
from kynangso.learning.models import (
    Course,
    CourseCompetence,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonFile,
    Registration,
    Section,
    TrainingClass,
)


class _ContentAdmin(admin.ModelAdmin):
    """Authors (CONTENT_AUTHOR) write; reviewers (CONTENT_REVIEW) read and publish."""

    def has_module_permission(self, request):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR) or has_capability(
            request.user, capabilities.CONTENT_REVIEW
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, capabilities.CONTENT_AUTHOR)

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CourseCompetenceInline(admin.TabularInline):
    model = CourseCompetence
    extra = 1


class SectionInline(admin.TabularInline):
    model = Section
    extra = 1


@admin.register(Course)
class CourseAdmin(_ContentAdmin):
    list_display = ["code", "title", "estimated_minutes", "completion_rule", "published_version", "updated_at"]
    search_fields = ["code", "title"]
    readonly_fields = ["published_version", "updated_at"]
    exclude = ["updated_by"]
    inlines = [CourseCompetenceInline, SectionInline]
    actions = ["publish"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not has_capability(request.user, capabilities.CONTENT_REVIEW):
            actions.pop("publish", None)
        return actions

    @admin.action(description=_("Xuất bản bản nháp thành phiên bản mới"))
    def publish(self, request, queryset):
        for course in queryset:
            try:
                version = courses.publish_course(course=course, actor=request.user, only_if_changed=True)
                messages.success(
                    request, _("«%(title)s»: phiên bản %(n)s đang dùng.") % {"title": course.title, "n": version.number}
                )
            except DomainError as exc:
                messages.error(request, f"«{course.title}»: {exc.message}")


class LessonFileInline(admin.TabularInline):
    model = LessonFile
    extra = 1
    fields = ["kind", "name", "title", "file"]

    def has_change_permission(self, request, obj=None):
        return False  # files are never changed once added: a published version may point at them


@admin.register(Lesson)
class LessonAdmin(_ContentAdmin):
    list_display = ["title", "course", "section", "order", "minutes", "retired"]
    list_filter = ["course", "retired"]
    search_fields = ["title", "key"]
    inlines = [LessonFileInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not LessonFile:
            return super().save_formset(request, form, formset, change)
        for record in formset.save(commit=False):
            upload = record.file
            try:
                courses.attach_file(
                    lesson=form.instance, kind=record.kind, name=record.name, title=record.title, data=upload.read()
                )
            except DomainError as exc:
                messages.error(request, exc.message)
        return None


@admin.register(CourseVersion)
class CourseVersionAdmin(_ContentAdmin):
    list_display = ["course", "number", "title", "lesson_count", "published_at", "published_by"]
    list_filter = ["course"]
    exclude = ["outline", "search_text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "registered_at"]
    readonly_fields = ["registered_at"]


@admin.register(TrainingClass)
class TrainingClassAdmin(ScopedModelAdmin):
    view_capability = capabilities.TRAINING_ATTENDANCE
    change_capability = capabilities.TRAINING_MANAGE
    unit_fields = ("organising_unit",)
    list_display = ["title", "organising_unit", "starts_on", "ends_on", "mode", "target_group", "capacity"]
    list_filter = ["mode", "target_group"]
    search_fields = ["title"]
    exclude = ["created_by"]
    inlines = [RegistrationInline]

    def save_model(self, request, obj, form, change):
        classes.save_class(actor=request.user, training_class=obj)


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedModelAdmin):
    view_capability = capabilities.RESULTS_VIEW
    unit_fields = ("person__residence_unit", "person__workplace_unit")
    list_display = ["person", "course", "enrolled_on", "source", "completed_on"]
    list_filter = ["course", "source"]
    raw_id_fields = ["person", "last_lesson"]
    readonly_fields = [
        "person",
        "course",
        "enrolled_on",
        "source",
        "enrolled_by",
        "last_lesson",
        "completed_on",
        "completed_version",
    ]
