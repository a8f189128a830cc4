"""REST endpoints of monitoring (/api/v1/monitoring/): the indicator catalogue, values by indicator × unit × period
(a plain list and a DHIS2-shaped analytics table), targets, progress against a plan's targets, and manual values
with their approval. Scoped like the pages: no capability anywhere is 403, a unit or value outside the caller's
scope is 404.

The modules: `schemas` (answers and inputs), `scope` (who may ask, which units, periods and limits), `values`
(catalogue, values, analytics, targets), `progress` (values against a plan's targets, with projection and the at-risk
flag) and `manual` (manual values); their operations are mounted here in order."""

from ninja import Router

from kynangso.monitoring.rest import manual, progress, values

router = Router(tags=["monitoring"])
router.add_router("", values.router)
router.add_router("", progress.router)
router.add_router("", manual.router)
