"""The open e-library on the course page: anyone, without logging in, downloads a published course as a Common
Cartridge package or a printable PDF, and sees who reviewed its lessons; a draft is not in the library."""

import io
import zipfile

from django.urls import reverse

from kynangso.learning.models import Course


def test_a_visitor_downloads_the_package_of_a_published_course_without_logging_in(client, pupils_course):
    response = client.get(reverse("learning:cartridge", args=[pupils_course.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.ims.imsccv1p1"
    assert response["Content-Disposition"] == 'attachment; filename="hoc-sinh-thu-v1.imscc"'
    assert "public" in response["Cache-Control"]
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_a_visitor_downloads_the_printable_handout(client, pupils_course):
    response = client.get(reverse("learning:handout", args=[pupils_course.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="hoc-sinh-thu-v1.pdf"'


def test_a_course_never_published_is_not_in_the_library(client, courses):
    Course.objects.create(code="nhap", title="Bản nháp")
    for name in ("learning:cartridge", "learning:handout"):
        assert client.get(reverse(name, args=["nhap"])).status_code == 404


def test_the_course_page_links_both_downloads_and_shows_the_reviews(client, pupils_course):
    page = client.get(reverse("learning:course", args=[pupils_course.code])).content.decode()
    assert reverse("learning:cartridge", args=[pupils_course.code]) in page
    assert reverse("learning:handout", args=[pupils_course.code]) in page
    assert "Bài «Làm bài nhóm trên mạng» đã được Nguyễn Thị Lan (giáo viên) duyệt ngày 20/11/2026" in page
    assert "CC BY 4.0" in page
