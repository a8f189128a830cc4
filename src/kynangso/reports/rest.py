"""REST endpoints of the reports app, mounted by kynangso.rest."""
from ninja import Router

router = Router(tags=["reports"])
