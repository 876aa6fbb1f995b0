"""The browser harness itself must be able to fail: axe reports violations, console errors fail the test."""

import pytest

from tests.browser.harness import allow_browser_error, assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_axe_helper_reports_a_missing_label_and_alt(page):
    page.set_content('<html lang="vi"><head><title>t</title></head><body><main><h1>Thử</h1>'
                     '<img src="data:,"><input type="text"></main></body></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page)
    assert "image-alt" in str(failure.value) and "label" in str(failure.value)


def test_console_errors_are_collected(page):
    page.goto("/")
    page.evaluate("() => console.error('boom')")
    allow_browser_error(page, "boom")  # raises unless the error was collected; then clears it
