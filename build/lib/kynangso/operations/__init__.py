"""Running the site for real: health and readiness checks, Prometheus metrics, request ids and JSON logs, and
backups that restore (docs/deployment.md)."""
