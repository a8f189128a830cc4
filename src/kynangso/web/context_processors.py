"""Per-visitor display preferences available to every template."""

TEXT_SIZE_COOKIE = "kns_text"


def preferences(request):
    return {"large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large"}
