"""Certificate pages: public verification (QR page, paste or upload), the holder's list and documents, revocation,
the national export, and the JSON the verifiers fetch (status lists, achievements, competences, the DID document)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from kynangso.accounts import api as accounts
from kynangso.credentials import achievements, badges, issuer, national_export, pdf, selectors, services, verification
from kynangso.credentials.forms import CheckForm, ExportForm, RevokeForm
from kynangso.credentials.models import AchievementKind
from kynangso.errors import DomainError
from kynangso.frameworks import api as frameworks
from kynangso.orgs import api as orgs
from kynangso.people import api as people

caps = accounts.capabilities
JSON_LD = "application/ld+json"
# Every response naming a holder to a signed-in reader (lists, documents, revocation, exports): never cached.
no_store = cache_control(no_store=True)


def _json(value, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(
        json.dumps(value, ensure_ascii=False, indent=1), content_type=f"{content_type}; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch these from other sites
    return response


def check(request):
    """Anyone pastes or uploads a certificate file and learns whether it is valid."""
    result = None
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid() and form.cleaned_data.get("public_id"):
            try:
                result = verification.verify_printed_code(
                    public_id=form.cleaned_data["public_id"], client_address=request.META.get("REMOTE_ADDR")
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if result is None:
                    form.add_error("code", _("Không có chứng nhận nào mang mã này. Hãy kiểm tra lại từng ký tự."))
        elif form.is_valid():
            result = verification.verify_document(form.cleaned_data["document"])
    else:
        form = CheckForm()
    return render(request, "credentials/check.html", {"form": form, "result": result})


def verify(request, public_id):
    """The page a certificate's QR code opens."""
    credential = selectors.credential_by_public_id(public_id)
    if credential is None:
        raise Http404
    return render(
        request,
        "credentials/verify.html",
        {
            "result": verification.verify_stored(credential),
            "credential": credential,
            "can_download": selectors.may_view_documents(request.user, credential),
            "can_revoke": selectors.credentials_in_scope(request.user, caps.CREDENTIALS_REVOKE)
            .filter(pk=credential.pk, revoked_at__isnull=True)
            .exists(),
        },
    )


def _document_credential(request, public_id):
    credential = selectors.credential_by_public_id(public_id)
    if credential is None or not selectors.may_view_documents(request.user, credential):
        raise Http404
    return credential


@login_required
def certificate_pdf(request, public_id):
    credential = _document_credential(request, public_id)
    response = HttpResponse(
        pdf.certificate_pdf(credential, viewer=request.user, ip_address=request.META.get("REMOTE_ADDR")),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"  # it carries the holder's personal data
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{credential.public_id}.pdf"'
    return response


@login_required
@no_store
def certificate_json(request, public_id):
    """The signed credential exactly as issued, for digital wallets and offline checking."""
    credential = _document_credential(request, public_id)
    response = HttpResponse(
        json.dumps(credential.document, ensure_ascii=False, indent=2),
        content_type="application/vc+ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{credential.public_id}.json"'
    return response


@login_required
@no_store
def mine(request):
    """«Chứng nhận của tôi»: every certificate of the signed-in person."""
    person = people.person_for_user(request.user)
    credentials = list(selectors.credentials_of(person)) if person else []
    return render(request, "credentials/mine.html", {"person": person, "credentials": credentials})


@login_required
@require_http_methods(["GET", "POST"])
@no_store
def manage(request):
    """Certificates of people in the administrator's scope, to find one and revoke it.

    The search form and its pager post (with the CSRF token): a national ID or a phone typed in the search box
    must never land in a URL, a browser history or an access log. A query string still searches a name or a
    standard's code, never an identifier."""
    if not accounts.has_capability(request.user, caps.CREDENTIALS_REVOKE):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()
    qs = selectors.credentials_in_scope(request.user, caps.CREDENTIALS_REVOKE)
    query_error = ""
    if request.method != "POST" and people.is_identifier_query(query):
        query_error = _(
            "Để bảo vệ dữ liệu cá nhân, số định danh và số điện thoại chỉ được tìm bằng nút «Tìm» trên "
            "trang, không qua đường dẫn."
        )
        qs = qs.none()
    else:
        qs = selectors.search_credentials(qs, query)
    page = Paginator(qs.order_by("-issued_at", "-id"), 50).get_page(data.get("trang"))
    return render(
        request,
        "credentials/manage.html",
        {
            "page": page,
            "query": query,
            "query_error": query_error,
            "can_export": accounts.has_capability(request.user, caps.CREDENTIALS_EXPORT),
        },
    )


@login_required
@no_store
def revoke(request, public_id):
    credential = (
        selectors.credentials_in_scope(request.user, caps.CREDENTIALS_REVOKE).filter(public_id=public_id).first()
    )
    if credential is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_credential(credential=credential, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(request, _("Đã thu hồi chứng nhận. Trang kiểm tra từ nay báo chứng nhận đã bị thu hồi."))
            return redirect("credentials:verify", public_id=credential.public_id)
    return render(request, "credentials/revoke.html", {"credential": credential, "form": form})


def _export_units(user):
    units = orgs.units(active_only=True).exclude(kind=orgs.UnitKind.DISTRICT)
    scope = accounts.scope_unit_ids(user, caps.CREDENTIALS_EXPORT)
    return units if scope is None else units.filter(id__in=scope)


def _file_response(export_file) -> HttpResponse:
    response = HttpResponse(export_file.content, content_type=export_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_file.filename}"'
    return response


@login_required
@no_store
def export(request):
    """Export certifications of a unit and period for national confirmation; below, the log of earlier exports."""
    if not accounts.has_capability(request.user, caps.CREDENTIALS_EXPORT):
        raise Http404
    units = _export_units(request.user)
    form = ExportForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = units.filter(pk=form.cleaned_data["unit"]).first()
        if unit is None:
            raise Http404
        try:
            export_file = national_export.export_certifications(
                actor=request.user,
                unit=unit,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                file_format=form.cleaned_data["file_format"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _file_response(export_file)
    exports = Paginator(national_export.exports_visible_to(request.user), 30).get_page(request.GET.get("trang"))
    return render(request, "credentials/export.html", {"form": form, "exports": exports})


@login_required
@no_store
def reexport(request, export_id):
    if request.method != "POST":
        raise Http404
    export_row = get_object_or_404(national_export.exports_visible_to(request.user), pk=export_id)
    return _file_response(
        national_export.reexport(export=export_row, actor=request.user, ip_address=request.META.get("REMOTE_ADDR"))
    )


@require_GET
@cache_control(public=True, max_age=300)
def status_list(request, list_number: int):
    """The signed BitstringStatusListCredential every certificate's credentialStatus points to."""
    if not selectors.status_list_exists(list_number):
        raise Http404
    return _json(services.signed_status_list(list_number), "application/vc+ld+json")


def _achievement_info(kind: str, code: str):
    if kind not in AchievementKind.values:
        raise Http404
    try:
        info = achievements.achievement(kind, code)
    except DomainError:
        raise Http404 from None
    if info is None:
        raise Http404
    return info


SVG_DOCUMENT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"


@require_GET
@cache_control(public=True, max_age=3600)
def achievement_image(request, kind: str, code: str):
    """The achievement's badge, the `image` of its Achievement (SVG, for wallets and the verification page)."""
    response = HttpResponse(
        badges.achievement_badge_svg(_achievement_info(kind, code)), content_type="image/svg+xml; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    # An SVG opened on its own is a document: nothing loads or runs in it, whatever it contained (stricter than the
    # site's policy; tests/security/test_headers.py holds images to this one).
    response["Content-Security-Policy"] = SVG_DOCUMENT_POLICY
    return response


@require_GET
def achievement(request, kind: str, code: str):
    """The OB 3.0 Achievement a certificate's achievement id names."""
    info = _achievement_info(kind, code)
    return _json(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            **info.as_open_badge(),
        },
        JSON_LD,
    )


@require_GET
def competence(request, framework_code: str, code: str):
    """The competence an alignment's targetUrl names."""
    found = frameworks.competence(framework_code, code)
    if found is None:
        raise Http404
    return _json(
        {
            "framework": framework_code,
            "code": found.code,
            "name": found.name,
            "description": found.description,
            "domain": {"code": found.domain.code, "name": found.domain.name},
        }
    )


@require_GET
@cache_control(public=True, max_age=300)
def did_document(request):
    """/.well-known/did.json: the issuer's DID document with every key, old ones too."""
    return _json(issuer.did_document(), "application/did+json")
