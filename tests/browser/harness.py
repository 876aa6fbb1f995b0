"""Headless Chromium (Debian's, driven by Playwright) against pytest-django's live server.

Every page opened through the `page` fixture fails its test on a JavaScript error or a console error (a CSP
violation, a 404 for a stylesheet ...). `assert_no_axe_violations` runs axe-core against WCAG 2.2 AA.
Without Chromium the tests are skipped, unless MOTCUA_REQUIRE_BROWSER=1 (CI), where they fail.

A plugin (tests/conftest.py's pytest_plugins), not a conftest: browser tests of other packages (federation,
indices) share the one session-wide Chromium instead of starting a second Playwright loop in the same worker.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs its own event loop in this thread; Django would otherwise refuse ORM calls made
# from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The test machine has no network: these keep Chromium from waiting on update, sync and QUIC probes.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _unavailable(reason: str):
    """Skip on a developer machine; fail where the browser is required (CI sets MOTCUA_REQUIRE_BROWSER=1)."""
    if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MOTCUA_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        _unavailable("Chromium not found: run `bash scripts/system-deps.sh` as root (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class BrowserErrors(list):
    """Console errors and uncaught page errors seen during one test."""


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors = BrowserErrors()
    tab.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text} ({msg.location.get('url')})")
           if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    tab._motcua_errors = errors  # lets the harness's own test check the collection
    yield tab
    context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


def assert_no_axe_violations(page, context=None) -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the current page; fail listing every violation.

    axe is evaluated through the DevTools protocol rather than a <script> tag so the page keeps its strict
    Content-Security-Policy (script-src 'self') during the test.
    """
    if not AXE_JS.exists():
        _unavailable(f"{AXE_JS.relative_to(REPO_ROOT)} missing: run `npm ci` at the repository root")
    page.wait_for_load_state("load")  # a click may have started a navigation: audit the page it lands on
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)})))",
        [context, WCAG_22_AA],
    )
    if result:
        lines = [f"axe found {len(result)} accessibility violation(s) on {page.url}:"]
        for violation in result:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"][:5])
        pytest.fail("\n".join(lines), pytrace=False)


def allow_browser_error(page, substring: str) -> None:
    """Accept the console errors containing `substring` (e.g. the 404 a test asked for); there must be one."""
    errors = page._motcua_errors
    expected = [line for line in errors if substring in line]
    assert expected, f"expected a browser error containing {substring!r}, got {list(errors)}"
    errors[:] = [line for line in errors if substring not in line]
