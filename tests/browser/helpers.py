"""Steps shared by browser tests: logging in and keeping screenshots to look at."""

import os
from pathlib import Path

SCREENSHOT_DIR = Path(os.environ.get("KYNANGSO_SCREENSHOT_DIR", "var/screenshots"))


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc số định danh").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/trang-cua-toi/")
