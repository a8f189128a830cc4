"""The credentials app's part of the demo province: certificates for the demo's passed attempts (idempotent)."""
from kynangso.credentials import issuing, keys


def populate(*, today, stdout) -> None:
    """Issue the certificates owed to the demo's passed attempts; a second run finds none owed."""
    keys.ensure_dev_key()
    issued = issuing.issue_missing()
    if issued:
        stdout.write(f"Chứng nhận: đã cấp {issued} chứng nhận cho các lượt sát hạch đạt chuẩn.\n")
