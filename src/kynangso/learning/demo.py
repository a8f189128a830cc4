"""The learning app's part of the demo province: enrolments of residents and officials with progress and completions
spread over the year, the demo learner half-way through the basic course, and two training classes in Xã Tân Phú
with registrations and attendance (idempotent: running it twice changes nothing)."""

import datetime
import random

from django.db import transaction

from kynangso.learning.classes import sync_class_competences
from kynangso.learning.models import (
    Attendance,
    AttendanceSource,
    ClassMode,
    Course,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    Registration,
    TrainingClass,
)
from kynangso.orgs import api as orgs
from kynangso.people import api as people

SEED = 2027
PROVINCE_CODE, TAN_PHU, HOA_BINH = "99", "99007", "99002"
DEMO_LEARNER = "nguoihoc"
PLAN = [  # course, target group, how many to enrol, share who complete, share who are part-way
    ("ky-nang-so-co-ban", "resident", 240, 0.45, 0.35),
    ("cds-cho-can-bo", "official", 120, 0.5, 0.3),
    ("lanh-dao-quan-ly-cds", "leader", 30, 0.4, 0.4),
]


def populate(*, today, stdout) -> None:
    """Add this app's demo records to the demo province."""
    province = orgs.unit_by_code(PROVINCE_CODE)
    if province is None or Enrolment.objects.filter(source=EnrolmentSource.DEMO).exists():
        return
    courses = {c.code: c for c in Course.objects.filter(published_version__isnull=False)}
    if not courses:
        stdout.write("Học tập: chưa có khóa học (chạy kynangso load-content trước).")
        return
    rng = random.Random(SEED)
    in_province = people.everyone().filter(residence_unit_id__in=orgs.subtree_unit_ids([province.pk]))
    with transaction.atomic():
        enrolled = completed = 0
        for code, group, count, complete_share, partial_share in PLAN:
            course = courses.get(code)
            if course is None:
                continue
            members = list(
                people.search_people(in_province, group=group, on_date=today)
                .exclude(user__username=DEMO_LEARNER)
                .order_by("id")
                .values_list("id", flat=True)
            )
            chosen = sorted(rng.sample(members, min(count, len(members))))
            done = _enrol(course, chosen, today, rng, complete_share, partial_share)
            enrolled += len(chosen)
            completed += done
        _demo_learner(courses.get("ky-nang-so-co-ban"), today)
        classes = _classes(in_province, today, rng)
    stdout.write(f"Học tập: {enrolled} lượt ghi danh, {completed} lượt hoàn thành khóa học, {classes} lớp tập huấn.")


def _enrol(course, person_ids, today, rng, complete_share, partial_share) -> int:
    version = course.published_version
    lessons = version.lessons()
    enrolments, plans = [], []
    for person_id in person_ids:
        started = today - datetime.timedelta(days=rng.randint(20, 330))
        roll = rng.random()
        if roll < complete_share:
            seen, finished = len(lessons), min(today, started + datetime.timedelta(days=rng.randint(3, 30)))
        elif roll < complete_share + partial_share:
            seen, finished = rng.randint(1, len(lessons) - 1), None
        else:
            seen, finished = 0, None
        enrolments.append(
            Enrolment(
                person_id=person_id,
                course=course,
                enrolled_on=started,
                source=EnrolmentSource.DEMO,
                last_lesson_id=lessons[seen - 1]["id"] if seen else None,
                completed_on=finished,
                completed_version=version if finished else None,
            )
        )
        plans.append(seen)
    created = Enrolment.objects.bulk_create(enrolments, batch_size=500)
    progress = [
        LessonProgress(
            enrolment_id=enrolment.pk,
            lesson_id=lesson["id"],
            practice_results={code: True for code in lesson["practice"]},
        )
        for enrolment, seen in zip(created, plans)
        for lesson in lessons[:seen]
    ]
    LessonProgress.objects.bulk_create(progress, batch_size=1000)
    return sum(1 for e in enrolments if e.completed_on)


def _demo_learner(course, today) -> None:
    """The «nguoihoc» login is three lessons into the basic course, so «Học tiếp» has somewhere to go."""
    person = people.people_linked_to_username(DEMO_LEARNER)
    if course is None or person is None:
        return
    lessons = course.published_version.lessons()
    enrolment = Enrolment.objects.create(
        person=person,
        course=course,
        enrolled_on=today - datetime.timedelta(days=7),
        source=EnrolmentSource.DEMO,
        last_lesson_id=lessons[2]["id"],
    )
    LessonProgress.objects.bulk_create(
        [LessonProgress(enrolment=enrolment, lesson_id=lesson["id"]) for lesson in lessons[:3]]
    )


def _classes(in_province, today, rng) -> int:
    unit = orgs.unit_by_code(TAN_PHU)
    if unit is None:
        return 0
    residents = list(in_province.filter(residence_unit=unit).order_by("id").values_list("id", flat=True))
    past = TrainingClass.objects.create(
        organising_unit=unit,
        title="Tập huấn sử dụng VNeID và dịch vụ công trực tuyến cho bà con Xã Tân Phú",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=40),
        mode=ClassMode.IN_PERSON,
        place="Hội trường UBND xã Tân Phú",
        target_group="resident",
        competences="2.3:2, 4.1:1, 4.2:1",
        trainers="Tổ công nghệ số cộng đồng xã Tân Phú",
        capacity=60,
    )
    upcoming = TrainingClass.objects.create(
        organising_unit=unit,
        title="Lớp «Nhận biết lừa đảo trên mạng» tại nhà văn hóa ấp 3",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
        mode=ClassMode.IN_PERSON,
        place="Nhà văn hóa ấp 3, xã Tân Phú",
        target_group="resident",
        competences="4.2:2, 4.1:1",
        trainers="Công an xã Tân Phú; Đoàn Thanh niên xã",
        capacity=40,
    )
    for training_class in (past, upcoming):
        sync_class_competences(training_class)
    came = sorted(rng.sample(residents, min(35, len(residents))))
    Registration.objects.bulk_create([Registration(training_class=past, person_id=pid) for pid in came])
    Attendance.objects.bulk_create(
        [
            Attendance(training_class=past, person_id=pid, attended_on=past.starts_on, source=AttendanceSource.IMPORT)
            for pid in came[:30]
        ]
    )
    coming = sorted(rng.sample(residents, min(15, len(residents))))
    Registration.objects.bulk_create([Registration(training_class=upcoming, person_id=pid) for pid in coming])
    Attendance.objects.bulk_create(
        [
            Attendance(training_class=upcoming, person_id=pid, attended_on=today, source=AttendanceSource.PHONE)
            for pid in coming[:4]
        ]
    )
    return 2
