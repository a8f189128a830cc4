"""Views of the site shell and the unit administrator's pages: thin, they parse input, call the apps' public
interfaces and render."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError
from kynangso.integration import api as integration
from kynangso.jobs import api as jobs
from kynangso.oidc import api as oidc
from kynangso.orgs import api as orgs
from kynangso.people import api as people
from kynangso.tabular import XLSX_CONTENT_TYPE, write_xlsx
from kynangso.web import extensions
from kynangso.web.context_processors import TEXT_SIZE_COOKIE
from kynangso.web.forms import LoginForm, PeopleFilterForm, RosterUploadForm
from kynangso.web.lookup import person_or_404
from kynangso.web.teams import team_panel

caps = accounts.capabilities
PAGE_SIZE = 25
UNIT_CODES_SHOWN = 200  # the import page's list; the template's second sheet has them all
# Every response carrying personal data (lists, person pages, reveals, exports, error files): never cached.
no_store = cache_control(no_store=True)


require_capability = accounts.require_capability


def home(request):
    return render(request, "web/home.html")


@require_POST
def set_text_size(request):
    """The large-text switch: a cookie, so it works without scripts and before login."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    large = request.POST.get("size") == "large"
    response.set_cookie(TEXT_SIZE_COOKIE, "large" if large else "normal", max_age=365 * 24 * 3600, samesite="Lax")
    return response


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The plain password exists only now: check it against today's rules (longer for staff, ADR 0021).
        accounts.flag_weak_password_at_login(
            request=self.request, user=form.get_user(), password=form.cleaned_data["password"]
        )
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"provider_label": oidc.sign_in_label()}


@login_required
def dashboard(request):
    user = request.user
    roles = accounts.roles_of(user)
    units = orgs.units().in_bulk([unit_id for *_r, unit_id in roles])
    return render(
        request,
        "web/dashboard.html",
        {
            "person": people.person_for_user(user),
            "roles": [(label, units[unit_id]) for _role, label, unit_id in roles],
            "can_view_people": accounts.has_capability(user, caps.PEOPLE_VIEW),
            "can_import": accounts.has_capability(user, caps.PEOPLE_IMPORT),
            "can_assist": accounts.has_capability(user, caps.ASSESSMENT_PROCTOR),
            "panels": extensions.dashboard_panels(request),
        },
    )


def _filter_units(user):
    """Units offered in the filter: those in the user's scope (district-level units are gone since 2025)."""
    units = orgs.units(active_only=True).exclude(kind=orgs.UnitKind.DISTRICT)
    scope = accounts.scope_unit_ids(user, caps.PEOPLE_VIEW)
    return units if scope is None else units.filter(id__in=scope)


def _people_query(request):
    """The people the user may see, narrowed by the filter form: posted (the page's form, so that a national ID or
    a phone typed in the search box never lands in a URL, a browser history or an access log) or, for a link
    without one, in the query string, where an identifier is refused and nothing is searched by it."""
    data = request.POST if request.method == "POST" else request.GET
    form = PeopleFilterForm(data or None, units=_filter_units(request.user))
    qs = people.people_in_scope(request.user)
    if form.is_valid():
        query = form.cleaned_data["q"]
        if request.method != "POST" and people.is_identifier_query(query):
            form.add_error(
                "q",
                _(
                    "Để bảo vệ dữ liệu cá nhân, số định danh và số điện thoại chỉ được tìm bằng nút "
                    "«Tìm» trên trang, không qua đường dẫn."
                ),
            )
            return form, qs.none()
        qs = people.search_people(qs, query=query, unit_id=form.cleaned_data["unit"], group=form.cleaned_data["group"])
    return form, qs


@require_capability(caps.PEOPLE_VIEW)
@require_http_methods(["GET", "POST"])
@no_store
def people_list(request):
    form, qs = _people_query(request)
    data = request.POST if request.method == "POST" else request.GET
    page = Paginator(qs.prefetch_related("memberships"), PAGE_SIZE).get_page(data.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [_masked_row(person) for person in page.object_list],
        "can_export": accounts.has_capability(request.user, caps.PEOPLE_EXPORT),
        "can_reveal": accounts.has_capability(request.user, caps.PEOPLE_REVEAL),
        "can_import": accounts.has_capability(request.user, caps.PEOPLE_IMPORT),
    }
    template = "web/people/_results.html" if request.htmx else "web/people/list.html"
    return render(request, template, context)


def _current_groups_label(person) -> str:
    today = timezone.localdate()
    return ", ".join(
        sorted(
            {
                m.get_group_display()
                for m in person.memberships.all()
                if m.valid_from <= today and (m.valid_to is None or m.valid_to >= today)
            }
        )
    )


def _masked_row(person) -> dict:
    return {
        "person": person,
        "birth": f"**/**/{person.birth_date.year}",
        "national_id": people.mask_national_id(person.national_id_last_digits),
        "phone": people.mask_phone(person.phone),
        "groups": _current_groups_label(person),
    }


EXPORT_HEADERS = [
    gettext_lazy("Họ và tên"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Số định danh cá nhân"),
    gettext_lazy("Số điện thoại"),
    gettext_lazy("Nơi cư trú"),
    gettext_lazy("Nơi công tác, học tập"),
    gettext_lazy("Nhóm đối tượng"),
]


def _export_row(person, *, birth: str, national_id: str, phone: str) -> list:
    return [
        person.full_name,
        birth,
        person.get_sex_display(),
        national_id,
        phone,
        person.residence_unit.name,
        person.workplace_unit.name if person.workplace_unit else "",
        _current_groups_label(person),
    ]


@require_capability(caps.PEOPLE_EXPORT)
@require_http_methods(["GET", "POST"])
@no_store
def people_export(request):
    """The filtered list as XLSX: masked, or in full (audited per person) for those who may reveal personal data.

    The full export is a POST with the CSRF token only: it writes audit records, and a GET could be fired by
    another site (an <img>) to write false ones in an administrator's name. The page posts both exports, so the
    filter (maybe a national ID) travels in the body; a GET link may still fetch the masked list."""
    if request.method != "POST" and request.GET.get("day_du") == "1":
        return HttpResponseNotAllowed(["POST"])
    _form, qs = _people_query(request)
    persons = qs.prefetch_related("memberships").iterator(chunk_size=2000)
    if request.method == "POST" and request.POST.get("day_du") == "1":
        if not accounts.has_capability(request.user, caps.PEOPLE_REVEAL):
            raise PermissionDenied
        revealed = people.reveal_many(
            persons, actor=request.user, channel=people.AccessChannel.EXPORT, ip_address=request.META.get("REMOTE_ADDR")
        )
        rows = [
            _export_row(p, birth=d.birth_date.strftime("%d/%m/%Y"), national_id=d.national_id, phone=d.phone)
            for p, d in revealed
        ]
    else:
        rows = [
            _export_row(p, **{k: v for k, v in _masked_row(p).items() if k in ("birth", "national_id", "phone")})
            for p in persons
        ]
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-nguoi-{stamp}.xlsx"'
    write_xlsx(
        response,
        headers=[str(h) for h in EXPORT_HEADERS],
        rows=rows,
        title="Danh sách",
        widths=[28, 14, 10, 18, 14, 28, 28, 40],
    )
    return response


@require_capability(caps.PEOPLE_VIEW)
@require_GET
@no_store
def person_detail(request, person_id: int):
    person = person_or_404(request.user, person_id)
    return render(
        request,
        "web/people/detail.html",
        {
            "person": person,
            "masked": _masked_row(person),
            "memberships": person.memberships.select_related("team").order_by("-valid_from"),
            **team_panel(request.user, person),
            "changes": people.person_history(person),
            "outside": integration.outside_completions_of(person.pk),
            "can_reveal": accounts.has_capability(request.user, caps.PEOPLE_REVEAL, person.residence_unit_id)
            or bool(
                person.workplace_unit_id
                and accounts.has_capability(request.user, caps.PEOPLE_REVEAL, person.workplace_unit_id)
            ),
        },
    )


@require_capability(caps.PEOPLE_REVEAL)
@require_POST
@no_store
def person_reveal(request, person_id: int):
    """Show the protected data of one person; the reading is written to the audit log."""
    person = person_or_404(request.user, person_id)
    try:
        data = people.reveal_personal_data(
            person=person,
            actor=request.user,
            channel=people.AccessChannel.WEB,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "web/people/_personal_data.html", {"person": person, "data": data})


@require_capability(caps.PEOPLE_IMPORT)
def roster_upload(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        path = people.save_upload(form.cleaned_data["file"])
        job = people.start_roster_import(
            upload_path=path, actor=request.user, apply=False, include_hidden=form.cleaned_data["include_hidden"]
        )
        return redirect("web:job", job_id=job.pk)
    unit_codes = people.roster_unit_codes(actor=request.user)
    return render(
        request,
        "web/people/import.html",
        {
            "form": form,
            "unit_codes": unit_codes[:UNIT_CODES_SHOWN],
            "unit_codes_more": max(len(unit_codes) - UNIT_CODES_SHOWN, 0),
        },
    )


@require_capability(caps.PEOPLE_IMPORT)
@require_GET
def roster_template(request):
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi.xlsx"'
    people.write_template(response, actor=request.user)
    return response


@require_capability(caps.PEOPLE_IMPORT)
@require_POST
def roster_confirm(request, job_id):
    """Apply a roster that a finished check found free of errors; it is checked again inside the import."""
    checked = _job_or_404(request.user, job_id)
    result = checked.result or {}
    if checked.kind != "people.roster" or result.get("applied") or result.get("error_count") or not checked.is_finished:
        messages.error(request, _("Chỉ nhập được danh sách đã kiểm tra xong và không có lỗi."))
        return redirect("web:job", job_id=checked.pk)
    job = people.start_roster_import(
        upload_path=Path(result["upload_path"]),
        actor=request.user,
        apply=True,
        include_hidden=bool(result.get("hidden_included")),
    )
    return redirect("web:job", job_id=job.pk)


def _job_or_404(user, job_id):
    job = jobs.job_for_user(job_id, user)
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def job_detail(request, job_id):
    job = _job_or_404(request.user, job_id)
    context = {"job": job, "progress": jobs.job_progress(job)}
    template = "web/jobs/_status.html" if request.htmx else "web/jobs/detail.html"
    return render(request, template, context)


@login_required
@require_GET
@no_store
def job_error_file(request, job_id):
    job = _job_or_404(request.user, job_id)
    path = (job.result or {}).get("error_file")
    if not path or not Path(path).exists():
        raise Http404
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    Path(path).unlink()  # fetched once, then off the disk (it holds personal data); the open handle still reads it
    return FileResponse(handle, as_attachment=True, filename="danh-sach-loi.xlsx", content_type=XLSX_CONTENT_TYPE)
