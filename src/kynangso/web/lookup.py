"""The one way the site's pages find a person named in the URL: within the user's scope, or 404 (ADR 0019)."""

from django.http import Http404

from kynangso.people import api as people


def person_or_404(user, person_id: int):
    person = people.people_in_scope(user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person
