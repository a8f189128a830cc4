"""The production kit is followed as an operator would: the real site under gunicorn, behind nginx with
deploy/nginx/kynangso.conf (TLS, HTTP/2, gzip, static files, metrics closed), health endpoints green through it;
the systemd units pass `systemd-analyze verify`."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs Debian's nginx-light)")
# the site behind nginx runs on its own SQLite data folder whatever the suite's database: once per CI run is enough
once = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass of the suite")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_config(tmp: Path, *, https_port: int, http_port: int, app_port: int, static: Path) -> str:
    text = (KIT / "nginx" / "kynangso.conf").read_text()
    for old, new in {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "127.0.0.1:8001": f"127.0.0.1:{app_port}",
        "/etc/letsencrypt/live/kynangso.example.gov.vn/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/letsencrypt/live/kynangso.example.gov.vn/privkey.pem": str(tmp / "key.pem"),
        "/var/lib/kynangso/static/": f"{static}/",
        "/var/log/nginx/": f"{tmp}/",
        "/var/www/letsencrypt": str(tmp / "acme"),
    }.items():
        assert old in text, f"the kit no longer has {old!r}"
        text = text.replace(old, new)
    return text


def self_signed(tmp: Path) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kynangso.example.gov.vn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def nginx_conf(tmp: Path, site: str) -> Path:
    (tmp / "site.conf").write_text(site)
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    return conf


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sk", "--max-time", "20", *args], capture_output=True, text=True, check=True)


def wait_for(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process serving port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


@needs_nginx
def test_the_nginx_site_passes_nginx_t(tmp_path):
    self_signed(tmp_path)
    conf = nginx_conf(
        tmp_path,
        site_config(
            tmp_path, https_port=free_port(), http_port=free_port(), app_port=free_port(), static=tmp_path / "static"
        ),
    )
    checked = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@needs_nginx
@once
def test_the_real_site_served_through_nginx_is_healthy_compressed_and_keeps_metrics_private(tmp_path):
    data = tmp_path / "data"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KYNANGSO_", "DJANGO_", "PYTEST_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "KYNANGSO_DATA_DIR": str(data),
            "KYNANGSO_TRUSTED_PROXY_COUNT": "1",
            "KYNANGSO_DEBUG": "0",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        }
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["credential-keys", "--new", "key-t"]):
        subprocess.run([sys.executable, "-m", "kynangso", *command], env=env, cwd=ROOT, check=True, capture_output=True)
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    self_signed(tmp_path)
    conf = nginx_conf(
        tmp_path,
        site_config(tmp_path, https_port=https_port, http_port=http_port, app_port=app_port, static=data / "static"),
    )
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kynangso.wsgi",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        wait_for(app_port, app)
        wait_for(https_port, proxy)
        base = f"https://127.0.0.1:{https_port}"

        health = curl("-w", "\n%{http_code} %{http_version}", f"{base}/healthz").stdout.splitlines()
        assert health[0] == '{"status": "ok"}' and health[1] == "200 2"  # answered over HTTP/2

        ready = curl("-w", "\n%{http_code}", f"{base}/readyz").stdout.splitlines()
        assert ready[-1] == "200", ready

        headers = curl("-D", "-", "-o", os.devnull, "-H", "Accept-Encoding: gzip", f"{base}/").stdout.lower()
        assert "content-encoding: gzip" in headers
        request_ids = [
            line.split(":", 1)[1].strip() for line in headers.splitlines() if line.startswith("x-request-id:")
        ]
        assert len(request_ids) == 1 and len(request_ids[0]) == 32  # nginx's $request_id, echoed once by the app

        metrics = curl("-w", "\n%{http_code}", f"{base}/metrics").stdout.splitlines()
        assert metrics[-1] == "403" and "kynangso_http_requests_total" not in "\n".join(metrics)

        css = next((data / "static").rglob("*.css")).relative_to(data / "static").as_posix()
        static = curl("-D", "-", "-o", os.devnull, f"{base}/static/{css}").stdout.lower()
        assert static.startswith("http/2 200") and "cache-control: public, immutable" in static

        redirect = curl("-D", "-", "-o", os.devnull, f"http://127.0.0.1:{http_port}/healthz").stdout.lower()
        assert " 301" in redirect.splitlines()[0] and "location: https://" in redirect
    finally:
        proxy.terminate()
        app.terminate()
        proxy.wait(timeout=10)
        app.wait(timeout=10)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_systemd_units_are_valid(tmp_path):
    units = sorted((KIT / "systemd").glob("*.service")) + sorted((KIT / "systemd").glob("*.timer"))
    assert {unit.name for unit in units} >= {
        "kynangso-web.service",
        "kynangso-worker@.service",
        "kynangso-scheduler.service",
        "kynangso-backup.service",
        "kynangso-backup.timer",
    }
    for unit in units:
        text = unit.read_text()
        if unit.suffix == ".service":
            assert "Restart=" in text or "Type=oneshot" in text, f"{unit.name} has no restart policy"
            assert "NoNewPrivileges=yes" in text and "ProtectSystem=strict" in text, f"{unit.name} is not hardened"
    # verify the syntax of each unit (paths under /opt may be missing on this machine: only syntax errors fail)
    copies = []
    for unit in units:
        copy = tmp_path / unit.name.replace("@.service", "@1.service")
        copy.write_text(unit.read_text())
        copies.append(copy)
    verified = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, copies)], capture_output=True, text=True
    )
    problems = [
        line
        for line in verified.stderr.splitlines()
        if line.strip()
        and "Failed to" not in line
        and "not executable" not in line
        and "No such file" not in line
        and "Command " not in line
        and "is not a valid" in line
    ]
    assert not problems, verified.stderr
