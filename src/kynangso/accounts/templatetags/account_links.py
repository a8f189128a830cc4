"""Template helpers of the accounts app for other apps' pages (the person page's reset link)."""

from django import template

from kynangso.accounts.passwords import can_reset_password

register = template.Library()


@register.filter
def may_reset_password_of(actor, person) -> bool:
    """{% if user|may_reset_password_of:person %}: whether `actor` may give `person`'s account a reset code."""
    return can_reset_password(actor, getattr(person, "user_id", None))
