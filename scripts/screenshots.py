"""`make screenshots`: the product's main pages as headless Chromium sees them at 1280 px (and
320 px with --narrow), saved to docs/screenshots/ so a newcomer sees the product before running it.

Runs inside scripts/database.py (DATABASE_URL set): migrates, loads the demo world, starts the
development server on a free loopback port, signs in as the demo cast and photographs each page.

    python scripts/screenshots.py [--narrow] [--out DIR] [--only NAME ...]
"""

import argparse
import os
import shutil
import subprocess  # nosec B404
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

DEMO_PASSWORD = "minilateral-demo-2026"  # noqa: S105  # nosec B105
MEMBER = "lucia.perez@gub.uy"
CONVENOR, CONVENOR_TOTP = "kadri.tamm@riik.ee", "JBSWY3DPEHPK3PXP"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def pages():
    """(file name, who, path) of each page photographed, with paths from the demo world."""
    from lessons.models import Lesson
    from networks.models import Network

    network = Network.objects.get(slug="digital-nations")
    lesson = (
        Lesson.objects.filter(network=network, state=Lesson.State.PUBLISHED).order_by("pk").first()
    )
    return [
        ("home", MEMBER, "/"),
        ("lesson", MEMBER, lesson.get_absolute_url()),
        ("lesson-form", MEMBER, f"/lessons/new/?network={network.slug}"),
        ("search", MEMBER, "/search/?q=digital+identity"),
        ("network", CONVENOR, network.get_absolute_url()),
        ("moderation-workbench", CONVENOR, f"/networks/{network.slug}/moderation/"),
        ("briefs", CONVENOR, f"/networks/{network.slug}/briefs/"),
    ]


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if "/2fa/authenticate/" in page.url:
        page.locator("#id_code").fill(totp_code(CONVENOR_TOTP))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    # In English, whatever language the demo account last chose.
    page.locator("#language-switcher").select_option("en")
    page.locator(".language-switcher button[type=submit]").click()
    page.wait_for_load_state()


def photograph(base, out, widths, only):
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    out.mkdir(parents=True, exist_ok=True)
    wanted = [page for page in pages() if not only or page[0] in only]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for width in widths:
            contexts = {}
            for name, who, path in wanted:
                if who not in contexts:
                    contexts[who] = browser.new_context(viewport={"width": width, "height": 900})
                    sign_in(contexts[who].new_page(), base, who)
                page = contexts[who].new_page()
                page.goto(base + path)
                suffix = "" if width == 1280 else f"-{width}"
                target = out / f"{name}{suffix}.png"
                page.screenshot(path=str(target), full_page=True)
                harness.say("screenshots", f"{target} ({path})")
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--narrow", action="store_true", help="also photograph at 320 px")
    parser.add_argument("--out", default=str(harness.PROJECT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", default=[], help="file names to photograph")
    options = parser.parse_args()

    os.environ.setdefault("DEBUG", "true")  # the development server serves the static files
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minilateral.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    harness.manage("migrate", "--no-input", "--verbosity", "0")
    harness.manage("createcachetable")
    harness.manage("seed_demo", quiet=True)
    import django

    django.setup()
    port = harness.free_port()
    server = subprocess.Popen(  # nosec B603
        [sys.executable, "manage.py", "runserver", f"{harness.LOOPBACK}:{port}", "--noreload"],
        cwd=harness.PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if harness.wait_until_up(port, server=server) is None:
            harness.say("screenshots", "the development server did not start")
            return 1
        widths = [1280, 320] if options.narrow else [1280]
        photograph(f"http://{harness.LOOPBACK}:{port}", Path(options.out), widths, options.only)
    finally:
        harness.stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
