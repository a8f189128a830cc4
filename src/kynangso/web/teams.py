"""A person's community digital team on their page: the unit administrator records that they joined a team of
their commune, or left it (people.join_community_team / leave_community_team do the checking)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kynangso.accounts import api as accounts
from kynangso.errors import DomainError, ErrorCode
from kynangso.people import api as people
from kynangso.web.lookup import person_or_404

caps = accounts.capabilities
require_capability = accounts.require_capability


class JoinTeamForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Tổ công nghệ số cộng đồng"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Hãy chọn một tổ trong danh sách.")},
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Tham gia từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # people.community_teams_for: the only teams offered, or accepted
        self.fields["team"].label_from_instance = lambda unit: unit.name


class LeaveTeamForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    valid_to = forms.DateField(
        label=gettext_lazy("Rời tổ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def team_panel(user, person) -> dict:
    """What the person's page shows of their teams, and the forms when the user may record a change."""
    memberships = people.open_team_memberships(person)
    may_change = accounts.has_capability(user, caps.PEOPLE_CHANGE, person.residence_unit_id)
    teams = people.community_teams_for(user, person).exclude(pk__in=[m.team_id for m in memberships])
    today = timezone.localdate()
    return {
        "team_memberships": memberships,
        "join_team_form": JoinTeamForm(teams=teams, initial={"valid_from": today})
        if may_change and teams.exists()
        else None,
        "leave_team_forms": [
            (membership, LeaveTeamForm(initial={"membership": membership.pk, "valid_to": today}))
            for membership in memberships
            if accounts.has_capability(user, caps.PEOPLE_CHANGE, membership.team_id)  # the service asks it too
        ]
        if may_change
        else [],
    }


def _back(person_id: int):
    return redirect(reverse("web:person", args=[person_id]) + "#to-cong-nghe-so")


def _refuse_if_forbidden(exc: DomainError) -> None:
    """One who may see the person but not change them here is refused as everywhere else: 403, nothing written."""
    if exc.code == ErrorCode.FORBIDDEN:
        raise PermissionDenied(exc.message) from exc


def _first_error(form) -> str:
    return next(iter(error for errors in form.errors.values() for error in errors))


@require_capability(caps.PEOPLE_CHANGE)
@require_POST
def join_team(request, person_id: int):
    person = person_or_404(request.user, person_id)
    form = JoinTeamForm(request.POST, teams=people.community_teams_for(request.user, person))
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(person.pk)
    team, valid_from = form.cleaned_data["team"], form.cleaned_data["valid_from"]
    try:
        joined = people.join_community_team(person=person, team=team, valid_from=valid_from, actor=request.user)
    except DomainError as exc:
        _refuse_if_forbidden(exc)
        messages.error(request, exc.message)
        return _back(person.pk)
    if joined is None:
        messages.info(
            request, _("%(person)s đã là thành viên của «%(team)s».") % {"person": person.full_name, "team": team.name}
        )
    else:
        messages.success(
            request,
            _("Đã ghi nhận %(person)s tham gia «%(team)s» từ ngày %(day)s.")
            % {
                "person": person.full_name,
                "team": team.name,
                "day": formats.date_format(valid_from, "SHORT_DATE_FORMAT"),
            },
        )
    return _back(person.pk)


@require_capability(caps.PEOPLE_CHANGE)
@require_POST
def leave_team(request, person_id: int):
    person = person_or_404(request.user, person_id)
    form = LeaveTeamForm(request.POST)
    membership = None
    if form.is_valid():
        membership = next(
            (m for m in people.open_team_memberships(person) if m.pk == form.cleaned_data["membership"]), None
        )
    if membership is None:
        messages.error(request, _first_error(form) if form.errors else _("Người này không còn ở tổ đó."))
        return _back(person.pk)
    valid_to = form.cleaned_data["valid_to"]
    try:
        people.leave_community_team(person=person, team=membership.team, valid_to=valid_to, actor=request.user)
    except DomainError as exc:
        _refuse_if_forbidden(exc)
        messages.error(request, exc.message)
        return _back(person.pk)
    messages.success(
        request,
        _("Đã ghi nhận %(person)s rời «%(team)s» ngày %(day)s.")
        % {
            "person": person.full_name,
            "team": membership.team.name,
            "day": formats.date_format(valid_to, "SHORT_DATE_FORMAT"),
        },
    )
    return _back(person.pk)
