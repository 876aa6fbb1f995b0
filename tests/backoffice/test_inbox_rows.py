"""The inbox's table rows, written by the `dossier_rows` tag instead of template markup, and the rows' competent
agency, read without a join: every value escaped, the same cells and links as before, and the calendar of an agency
whose office hours are not cached still found through its ancestors; the back-office navigation, cached per page
name and language."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.backoffice import queries
from motcua.backoffice.queries import InboxRow, Urgency
from motcua.backoffice.templatetags.backoffice import dossier_rows
from motcua.dossiers.models import Dossier, Status
from motcua.worktime import services
from motcua.worktime.models import OfficeHours
from tests.backoffice.conftest import login

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def row(**changes) -> InboxRow:
    values = {"pk": 1, "code": "000.00.30.H99-261207-0001", "applicant_name": "Trần Thị Bình",
              "status": Status.PROCESSING, "due_at": datetime(2026, 12, 8, 16, 30, tzinfo=TZ), "paused_since": None,
              "procedure_name": "Cấp giấy phép xây dựng", "variant_name": "Trường hợp chung",
              "step_name": "Thẩm định", "assignee_name": "Lê Văn Cường", "competent_agency": None}
    return InboxRow(**{**values, **changes})


def test_a_row_shows_every_cell_and_links_relatively():
    with translation.override("vi"):
        html = dossier_rows([(row(), Urgency("soon", "Sắp đến hạn", 2.5))], {Status.PROCESSING: "Đang xử lý"})
    assert html == (
        '<tr class="row-soon"><td><a class="code" href="000.00.30.H99-261207-0001/">000.00.30.H99-261207-0001</a>'
        '</td><td>Cấp giấy phép xây dựng<br><span class="meta">Trường hợp chung</span></td><td>Trần Thị Bình</td>'
        '<td>Đang xử lý<br><span class="meta">Thẩm định</span></td><td>Lê Văn Cường</td><td>08/12/2026 16:30<br>'
        '<span class="tag tag-soon"><span aria-hidden="true">▲ </span>Sắp đến hạn (còn 2,5 giờ làm việc)</span>'
        '</td></tr>')


def test_every_value_is_escaped_and_missing_ones_show_a_dash():
    hostile = '<script>alert("x")</script>'
    html = dossier_rows([(row(code="A&B/1 2", applicant_name=hostile, procedure_name=hostile, variant_name=hostile,
                            step_name=None, assignee_name=hostile, due_at=None), Urgency("none", ""))],
                      {Status.PROCESSING: "<b>"})
    assert "<script>" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 4
    assert 'href="A%26B/1%202/">A&amp;B/1 2</a>' in html and "&lt;b&gt;" in html
    assert '<span class="meta">' in html and html.count('<span class="meta">') == 1  # the variant only: no step
    no_one = dossier_rows([(row(assignee_name=None, due_at=None), Urgency("none", ""))], {})
    assert "<td>—</td>" in no_one and "<td>—<br></td>" in no_one


def test_the_page_renders_its_rows_with_the_tag(client, world, intake):
    d = intake()
    Dossier.objects.filter(pk=d.pk).update(applicant_name="<i>Bình</i>")
    login(client, world["cv"])
    html = client.get(reverse("backoffice:inbox"), {"view": "queue"}).content.decode()
    assert f'<a class="code" href="{d.code}/">{d.code}</a>' in html and "&lt;i&gt;Bình&lt;/i&gt;" in html


@pytest.fixture
def fresh_calendars():
    """No calendar cached before or after: the office hours below are rolled back without a signal."""
    services.invalidate()
    yield
    services.invalidate()


def test_an_uncached_agency_calendar_still_uses_its_ancestors_office_hours(world, intake, fresh_calendars):
    """The row's agency holds its id only; its path (the ancestors) is loaded when the calendar needs it."""
    OfficeHours.objects.create(agency=world["pc"], morning_start=time(8), morning_end=time(12),
                               afternoon_start=time(13), afternoon_end=time(16, 45))
    d = intake()
    services.invalidate()  # intake cached the department's hours through a full Agency
    [first] = queries.inbox_pages(world["cv"], view="queue")[0:1]
    assert first.pk == d.pk and first.competent_agency.pk == world["dept"].pk
    assert services.get_calendar(first.competent_agency).closing == 16 * 3600 + 45 * 60


@pytest.fixture
def restore_language(settings):
    """LocaleMiddleware leaves the last request's language active in this thread; do not leak English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_cached_navigation_marks_the_current_page_in_the_current_language(client, world, settings,
                                                                               restore_language):
    """The back-office links are rendered once per page name and language (`{% memo %}` in layout.html)."""
    login(client, world["cv"])
    for _round in range(2):  # the second round reads the cached fragments
        inbox = client.get(reverse("backoffice:inbox")).content.decode()
        home = client.get(reverse("backoffice:home")).content.decode()
        assert f'<a href="{reverse("backoffice:inbox")}" aria-current="page">Hồ sơ</a>' in inbox
        assert f'<a href="{reverse("backoffice:home")}" aria-current="page">' not in inbox
        assert f'<a href="{reverse("backoffice:home")}" aria-current="page">Bàn làm việc</a>' in home
        assert f'<a href="{reverse("backoffice:inbox")}" aria-current="page">' not in home
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("backoffice:inbox")).content.decode()
    assert f'<a href="{reverse("backoffice:inbox")}" aria-current="page">Dossier</a>' in english
    assert "Workbench</a>" in english and "Bàn làm việc</a>" not in english
