"""Per-visitor display preferences available to every template."""

TEXT_SIZE_COOKIE = "kns_text"


def preferences(request):
    return {"large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large"}


def navigation(request):
    """The domain apps' links in the main menu (each app decides who sees them; evaluated only when a template asks)."""
    from kynangso.web import extensions

    return {"app_nav_links": lambda: extensions.nav_links(request)}
