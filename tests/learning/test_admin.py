"""Back office: authors edit course drafts, only reviewers publish; classes are organised within scope."""

from django.urls import reverse

from kynangso.learning.models import CourseVersion
from tests.factories import make_user


def test_a_content_author_opens_a_course_draft_in_the_admin(client, basic, province):
    author = make_user("bientap", "content_author", province.root)
    author.is_staff = True
    author.save()
    client.force_login(author)
    response = client.get(reverse("admin:learning_course_change", args=[basic.pk]))
    assert response.status_code == 200 and "Kỹ năng số cơ bản cho mọi người dân" in response.content.decode()


def test_the_publish_action_makes_a_new_version_only_when_the_draft_changed(client, basic, provincial_admin):
    provincial_admin.is_staff = True
    provincial_admin.save()
    client.force_login(provincial_admin)
    url = reverse("admin:learning_course_changelist")
    client.post(url, {"action": "publish", "_selected_action": [basic.pk]})
    assert CourseVersion.objects.filter(course=basic).count() == 1
    basic.title = "Kỹ năng số cơ bản cho mọi người dân (bản 2026)"
    basic.save()
    client.post(url, {"action": "publish", "_selected_action": [basic.pk]})
    assert CourseVersion.objects.filter(course=basic).count() == 2


def test_a_learner_cannot_reach_courses_in_the_admin(client, basic, resident):
    client.force_login(resident.user)
    response = client.get(reverse("admin:learning_course_changelist"))
    assert response.status_code in (302, 403)
