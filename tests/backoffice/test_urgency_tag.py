"""The urgency tag beside each due instant: colour class, a shape for those who cannot tell colours apart, the
label and the working hours left in the language's number format; escaped; nothing when there is no due instant."""

from django.utils import translation

from motcua.backoffice.queries import Urgency
from motcua.backoffice.templatetags.backoffice import urgency_tag


def test_late_dossier_shows_its_shape_label_and_hours_in_vietnamese_format():
    with translation.override("vi"):
        html = str(urgency_tag(Urgency("late", "Quá hạn", -3.5)))
    assert html == ('<span class="tag tag-late"><span aria-hidden="true">● </span>Quá hạn '
                    "(còn -3,5 giờ làm việc)</span>")


def test_english_hours_and_no_shape_for_an_ordinary_deadline():
    with translation.override("en"):
        assert str(urgency_tag(Urgency("ok", "On time", 40.25))) == (
            '<span class="tag tag-ok">On time (40.25 working hours left)</span>')


def test_paused_without_hours_escapes_its_label_and_none_is_empty():
    assert str(urgency_tag(Urgency("paused", "Tạm <dừng>"))) == (
        '<span class="tag tag-paused"><span aria-hidden="true">❚❚ </span>Tạm &lt;dừng&gt;</span>')
    assert urgency_tag(Urgency("none", "")) == ""
