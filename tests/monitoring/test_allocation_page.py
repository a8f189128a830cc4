"""The page where the province shares a count target out among the units below: by their recorded figures or by
values typed per unit, previewed, then confirmed all or nothing; scoped like every indicator page (issue 17)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kynangso.accounts.models import Role
from kynangso.monitoring import api as monitoring
from tests.factories import make_unit, make_user
from tests.support.allocation import confirmed  # noqa: F401  (the shared scenario)

pytestmark = pytest.mark.django_db


def _page(target):
    return reverse("monitoring:allocation", args=[target.pk])


def _shares(confirmed):  # noqa: F811
    return {row.unit.code: row.value for row in monitoring.Target.objects.filter(allocated_from=confirmed.target)}


def test_the_provincial_admin_finds_the_count_target_and_previews_the_shares_without_writing(
    client,
    confirmed,  # noqa: F811
    provincial_admin,
):
    client.force_login(provincial_admin)
    listing = client.get(reverse("monitoring:allocation_start")).content.decode()
    assert _page(confirmed.target) in listing and "Số người được xác nhận" in listing
    response = client.post(_page(confirmed.target), {"can-cu": "working_age_residents", "action": "preview"})
    page = response.content.decode()
    preview = page[page.index('data-testid="allocation-preview"') :]
    assert "Xã An Bình" in preview and ">707<" in preview and ">293<" in preview and ">1.000<" in preview
    assert "Sở Khoa học" not in preview  # no residents to count there
    assert _shares(confirmed) == {}


def test_the_preview_over_htmx_answers_only_the_preview(client, confirmed, provincial_admin):  # noqa: F811
    client.force_login(provincial_admin)
    response = client.post(
        _page(confirmed.target), {"can-cu": "working_age_residents", "action": "preview"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'data-testid="allocation-preview"' in page and "<html" not in page


def test_typed_values_are_kept_and_the_rest_is_shared_on_confirming(
    client,
    confirmed,  # noqa: F811
    province,
    provincial_admin,
):
    client.force_login(provincial_admin)
    response = client.post(
        _page(confirmed.target),
        {"can-cu": "working_age_residents", "action": "confirm", f"chi-tieu-{province.a.pk}": "500"},
    )
    assert response.status_code == 302
    assert _shares(confirmed) == {"X001": Decimal(500), "X002": Decimal(500)}
    typed = monitoring.Target.objects.get(allocated_from=confirmed.target, unit=province.a)
    assert typed.allocation_basis == monitoring.TYPED_SHARE and "admin_tinh" in typed.note
    page = client.get(_page(confirmed.target)).content.decode()
    assert 'data-testid="current"' in page and "nhập riêng" in page


def test_typed_values_that_do_not_add_up_are_refused_in_vietnamese_and_nothing_is_written(
    client,
    confirmed,  # noqa: F811
    province,
    provincial_admin,
):
    client.force_login(provincial_admin)
    typed = {
        f"chi-tieu-{province.a.pk}": "600",
        f"chi-tieu-{province.b.pk}": "300",
        f"chi-tieu-{province.department.pk}": "50",
    }
    page = client.post(_page(confirmed.target), {"action": "confirm", **typed}).content.decode()
    assert "còn thiếu 100 so với chỉ tiêu chung" in page  # the department's value is not read
    page = client.post(_page(confirmed.target), {"action": "confirm", f"chi-tieu-{province.a.pk}": "mot"}).content
    assert "Chỉ tiêu của «Xã An Bình» phải là số nguyên không âm." in page.decode()
    assert _shares(confirmed) == {}


def test_a_value_typed_for_a_unit_outside_the_target_is_ignored_and_never_named(
    client,
    confirmed,  # noqa: F811
    provincial_admin,
):
    other = make_unit("Q01", "Tỉnh Ngoài Phạm Vi", kind="province")
    client.force_login(provincial_admin)
    page = client.post(
        _page(confirmed.target), {"action": "preview", "can-cu": "working_age_residents", f"chi-tieu-{other.pk}": "x"}
    ).content.decode()
    assert "Ngoài Phạm Vi" not in page and 'data-testid="allocation-preview"' in page


def test_a_commune_admin_cannot_allocate(client, confirmed, commune_admin):  # noqa: F811
    client.force_login(commune_admin)
    assert client.get(reverse("monitoring:allocation_start")).status_code == 403
    assert client.post(_page(confirmed.target), {"action": "confirm"}).status_code == 403
    assert _shares(confirmed) == {}


def test_an_auditor_who_views_indicators_but_does_not_manage_them_gets_403(client, confirmed, province):  # noqa: F811
    client.force_login(make_user("kiem_tra", Role.AUDITOR, province.root))
    assert client.get(_page(confirmed.target)).status_code == 403


def test_the_target_of_a_province_outside_the_admins_scope_is_not_found(
    client,
    confirmed,  # noqa: F811
    province,
):
    other = make_unit("Q01", "Tỉnh Ngoài", kind="province")
    make_unit("Q0101", "Xã Ngoài", parent=other)
    outside = monitoring.set_target(plan=confirmed.plan, indicator=confirmed.indicator, unit=other, year=2025, value=50)
    client.force_login(make_user("admin_tinh_ngoai", Role.PROVINCIAL_ADMIN, other))
    assert client.get(_page(confirmed.target)).status_code == 404
    assert client.post(_page(confirmed.target), {"action": "confirm"}).status_code == 404
    listing = client.get(reverse("monitoring:allocation_start")).content.decode()
    assert _page(outside) in listing and _page(confirmed.target) not in listing
    assert _shares(confirmed) == {}
