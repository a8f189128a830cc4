"""Public interface of the operations app: readiness checks, backups and their restore."""

from kynangso.operations.backup import BackupError, create_backup, restore_backup
from kynangso.operations.health import Check, readiness

__all__ = ["BackupError", "Check", "create_backup", "readiness", "restore_backup"]
