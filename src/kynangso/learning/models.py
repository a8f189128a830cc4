"""Tables of the learning app: courses (drafts and their published versions), enrolments and progress, training
classes with registrations and attendance, and the short self-assessments behind learning paths (ADR 0010)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kynangso.people.api import TargetGroup


class CompletionRule(models.TextChoices):
    ALL_LESSONS_SEEN = "all_lessons_seen", _("Xem hết các bài")
    PRACTICE_PASSED = "all_lessons_seen_and_practice_passed", _("Xem hết các bài và đạt phần luyện tập")


class Course(models.Model):
    """A course as its authors are editing it (the draft). Learners only ever see a published `CourseVersion`."""

    code = models.SlugField(_("mã khóa học"), max_length=64, unique=True)
    title = models.CharField(_("tên khóa học"), max_length=255)
    summary = models.TextField(_("giới thiệu ngắn"), blank=True)
    framework_code = models.CharField(_("khung năng lực"), max_length=32, default="TT02-2025")
    target_groups = models.JSONField(
        _("nhóm đối tượng"), default=list, blank=True, help_text=_('Danh sách mã nhóm, ví dụ ["resident", "farmer"].')
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("thời lượng dự kiến (phút)"), default=30)
    completion_rule = models.CharField(
        _("điều kiện hoàn thành"),
        max_length=48,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_LESSONS_SEEN,
    )
    practice_pass_ratio = models.FloatField(_("tỷ lệ câu luyện tập phải đúng"), default=0.7)
    issues_certificate = models.BooleanField(_("cấp chứng nhận khi hoàn thành"), default=False)
    reviews = models.JSONField(
        _("lượt duyệt bài"),
        default=list,
        blank=True,
        help_text=_("Mỗi lượt: {lesson, reviewer, date, changes}: ai đọc duyệt bài nào, ngày nào, đã sửa gì."),
    )
    published_version = models.ForeignKey(
        "CourseVersion",
        verbose_name=_("phiên bản đang dùng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    class Meta:
        verbose_name = _("khóa học")
        verbose_name_plural = _("khóa học")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(practice_pass_ratio__gte=0) & Q(practice_pass_ratio__lte=1),
                name="course_practice_ratio_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CourseCompetence(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="competences")
    competence_code = models.CharField(_("năng lực"), max_length=16)
    level = models.PositiveSmallIntegerField(_("bậc"))

    class Meta:
        verbose_name = _("năng lực khóa học dạy")
        verbose_name_plural = _("năng lực khóa học dạy")
        ordering = ["course", "competence_code"]
        constraints = [models.UniqueConstraint(fields=["course", "competence_code"], name="course_competence_once")]

    def __str__(self) -> str:
        return f"{self.competence_code}:{self.level}"


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("tên phần"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phần")
        verbose_name_plural = _("các phần")
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """A lesson's identity and its draft text. Its id is what progress points at, so it survives every version."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    section = models.ForeignKey(Section, verbose_name=_("phần"), on_delete=models.PROTECT, related_name="lessons")
    key = models.SlugField(_("mã bài"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên bài"), max_length=255)
    minutes = models.PositiveSmallIntegerField(_("thời lượng (phút)"), default=10)
    body = models.TextField(_("nội dung (Markdown)"), blank=True)
    competences = models.CharField(_("năng lực (mã:bậc, cách nhau bởi dấu phẩy)"), max_length=255, blank=True)
    practice_codes = models.TextField(_("mã câu hỏi luyện tập (mỗi dòng một mã)"), blank=True)
    video_file = models.FileField(_("tệp video"), upload_to="learning/video/", blank=True)
    video_url = models.URLField(_("đường dẫn video"), blank=True)
    captions_file = models.FileField(_("phụ đề tiếng Việt (.vtt)"), upload_to="learning/captions/", blank=True)
    illustrations = models.JSONField(
        _("hình minh họa (SVG đã làm sạch)"),
        default=dict,
        blank=True,
        editable=False,
        help_text="name used in the text (images/x.svg) → sanitised SVG markup (ADR 0044)",
    )
    retired = models.BooleanField(
        _("đã bỏ khỏi khóa học"),
        default=False,
        help_text=_("Bài đã bỏ không xuất hiện ở phiên bản sau; tiến độ cũ vẫn được giữ."),
    )

    class Meta:
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")
        ordering = ["course", "section__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="lesson_unique_key")]

    def __str__(self) -> str:
        return self.title


class FileKind(models.TextChoices):
    IMAGE = "image", _("Hình ảnh")
    DOWNLOAD = "download", _("Tài liệu tải về")


class LessonFile(models.Model):
    """An image used in the lesson's text (by its name) or a document to download. Never changed once uploaded."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại"), max_length=16, choices=FileKind.choices)
    name = models.CharField(
        _("tên dùng trong bài"), max_length=100, help_text=_("Ảnh: viết ![mô tả](tên) trong nội dung bài.")
    )
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    file = models.FileField(_("tệp"), upload_to="learning/files/")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    size_bytes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("tệp của bài học")
        verbose_name_plural = _("tệp của bài học")
        ordering = ["lesson", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["lesson", "name"], name="lesson_file_unique_name")]

    def __str__(self) -> str:
        return self.title or self.name


class CourseVersion(models.Model):
    """An immutable snapshot of a course taken when it is published: its catalogue facts as columns (for filtering
    and search in the database) and its outline with every lesson's already-sanitised HTML in `outline`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản số"))
    title = models.CharField(_("tên khóa học"), max_length=255)
    summary = models.TextField(_("giới thiệu ngắn"), blank=True)
    search_text = models.TextField(editable=False)
    target_groups = models.CharField(
        _("nhóm đối tượng"),
        max_length=400,
        help_text="«,resident,farmer,»: a comma on each side so one LIKE finds a group",
    )
    framework_code = models.CharField(max_length=32)
    estimated_minutes = models.PositiveSmallIntegerField(_("thời lượng dự kiến (phút)"))
    completion_rule = models.CharField(_("điều kiện hoàn thành"), max_length=48, choices=CompletionRule.choices)
    practice_pass_ratio = models.FloatField()
    issues_certificate = models.BooleanField(default=False)
    lesson_count = models.PositiveSmallIntegerField(default=0)
    outline = models.JSONField(default=dict)
    reviews = models.JSONField(_("lượt duyệt bài"), default=list, blank=True)
    published_at = models.DateTimeField(_("xuất bản lúc"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xuất bản"),
    )

    class Meta:
        verbose_name = _("phiên bản khóa học")
        verbose_name_plural = _("phiên bản khóa học")
        ordering = ["course", "-number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="course_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def lessons(self) -> list[dict]:
        return [lesson for section in self.outline.get("sections", []) for lesson in section["lessons"]]


class VersionCompetence(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="competences")
    framework_code = models.CharField(max_length=32)
    competence_code = models.CharField(_("năng lực"), max_length=16)
    level = models.PositiveSmallIntegerField(_("bậc"))

    class Meta:
        verbose_name = _("năng lực")
        verbose_name_plural = _("năng lực")
        indexes = [models.Index(fields=["competence_code", "level"])]


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Tự đăng ký")
    GROUP = "group", _("Đơn vị ghi danh")
    ASSISTED = "assisted", _("Ghi danh khi có người hỗ trợ")
    DEMO = "demo", _("Dữ liệu mô phỏng")


class Enrolment(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("người học"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("ngày ghi danh"))
    source = models.CharField(_("cách ghi danh"), max_length=8, choices=EnrolmentSource.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi danh"),
    )
    last_lesson = models.ForeignKey(
        Lesson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("bài đang học")
    )
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completed_version = models.ForeignKey(
        CourseVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hoàn thành theo phiên bản"),
    )

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        ordering = ["-enrolled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="enrolment_once_per_course"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                name="enrolment_completed_after_start",
            ),
        ]
        indexes = [models.Index(fields=["completed_on", "course"]), models.Index(fields=["course", "person"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)
    practice_results = models.JSONField(default=dict, blank=True)  # item code → whether the last answer was right
    # The community helper who was with the learner the last time this lesson's progress was recorded (assisted
    # learning, `learning.assist`); null when the learner studied alone.
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người hỗ trợ"),
    )
    assisted_at = models.DateTimeField(_("lúc có người hỗ trợ"), null=True, blank=True)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="progress_once_per_lesson")]


class AssistedLearning(models.Model):
    """A community helper learning with a resident on the helper's device, with the resident's consent: lessons
    opened and practice answered meanwhile count for the resident, marked assisted."""

    person = models.ForeignKey("people.Person", verbose_name=_("người học"), on_delete=models.CASCADE, related_name="+")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người hỗ trợ"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.PROTECT, related_name="+")
    consent_at = models.DateTimeField(_("người học đồng ý lúc"))
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("buổi học có hỗ trợ")
        verbose_name_plural = _("buổi học có hỗ trợ")
        ordering = ["-consent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("consent_at")),
                name="assisted_learning_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class SelfAssessment(models.Model):
    """A person's own answer, competence by competence, to «can you already do this?», used for the learning path
    while they have no assessment profile."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)  # competence code → True when the person says they can
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tự đánh giá")
        verbose_name_plural = _("tự đánh giá")
        ordering = ["-created_at", "-id"]


class ClassMode(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    BLENDED = "blended", _("Kết hợp")


class TrainingClass(models.Model):
    organising_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên lớp"), max_length=255)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    mode = models.CharField(_("hình thức"), max_length=16, choices=ClassMode.choices, default=ClassMode.IN_PERSON)
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    link = models.URLField(_("đường dẫn phòng học trực tuyến"), blank=True)
    target_group = models.CharField(_("nhóm đối tượng"), max_length=32, choices=TargetGroup.choices)
    framework_code = models.CharField(_("khung năng lực"), max_length=32, default="TT02-2025")
    competences = models.CharField(_("năng lực (mã:bậc, cách nhau bởi dấu phẩy)"), max_length=255, blank=True)
    trainers = models.CharField(_("giảng viên, báo cáo viên"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("số chỗ"), default=50)
    issues_attendance_certificate = models.BooleanField(_("cấp giấy chứng nhận tham dự"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="class_period_ordered"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="class_capacity_positive"),
        ]
        indexes = [models.Index(fields=["organising_unit", "starts_on"])]

    def __str__(self) -> str:
        return self.title


class ClassCompetence(models.Model):
    """The competences a class teaches as rows (kept in step with `TrainingClass.competences`), so monitoring can
    join them."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="competence_rows")
    framework_code = models.CharField(max_length=32)
    competence_code = models.CharField(max_length=16)
    level = models.PositiveSmallIntegerField()


class Registration(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("people.Person", verbose_name=_("học viên"), on_delete=models.CASCADE, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đăng ký lớp")
        verbose_name_plural = _("đăng ký lớp")
        constraints = [models.UniqueConstraint(fields=["training_class", "person"], name="registration_once")]


class AttendanceSource(models.TextChoices):
    PHONE = "phone", _("Điểm danh tại lớp")
    IMPORT = "import", _("Nhập từ tệp")


class Attendance(models.Model):
    """One person present at one class (the first day they were there)."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("people.Person", verbose_name=_("học viên"), on_delete=models.CASCADE, related_name="+")
    attended_on = models.DateField(_("ngày tham dự"))
    source = models.CharField(_("nguồn"), max_length=8, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [models.UniqueConstraint(fields=["training_class", "person"], name="attendance_once")]
        indexes = [models.Index(fields=["attended_on"])]
