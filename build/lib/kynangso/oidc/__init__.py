"""Sign-in with an OpenID Connect provider (VNeID or a provincial one): the login is linked to the person by the
national ID's keyed digest (ADR 0041)."""
