"""Public interface of the web app (the site shell): what the demo command asks of it."""

from kynangso.web.extensions import populate_demo

__all__ = ["populate_demo"]
