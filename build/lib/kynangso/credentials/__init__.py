"""Verifiable certificates: signed Open Badges 3.0 credentials, verification, revocation, exports."""
