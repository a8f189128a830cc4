"""REST endpoints of the monitoring app, mounted by kynangso.rest."""
from ninja import Router

router = Router(tags=["monitoring"])
