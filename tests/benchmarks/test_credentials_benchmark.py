"""The certificate benchmark still runs end to end (a few attempts), so `benchmarks/run` does not rot."""

import io

import pytest

from benchmarks import credentials
from kynangso.credentials import keys


@pytest.fixture
def keys_folder(settings, tmp_path, monkeypatch):
    for variable in (keys.KEYS_DIR_VARIABLE, keys.KEY_VARIABLE, keys.ACTIVE_KEY_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    settings.KYNANGSO_CREDENTIAL_KEYS_DIR = str(tmp_path / "keys")


def test_benchmark_measures_verification_and_issues_every_certificate(db, keys_folder):
    out = io.StringIO()
    results = credentials.run(attempts=30, verifications=40, rounds=1, batch_size=7, out=out)
    assert results.issued == 30
    assert results.raw_per_second > 0 and results.offline_per_second > 0 and results.ratio > 0
    text = out.getvalue()
    assert "so với Ed25519 thuần" in text
    assert "30 chứng nhận mới, 30 vị trí trạng thái khác nhau, 30/30 mẫu hợp lệ, chạy lại cấp thêm 0" in text
