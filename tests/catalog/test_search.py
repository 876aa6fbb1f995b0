"""Search: diacritic- and case-insensitive, AND over words, ranked, only procedures in force."""

from datetime import date

import pytest

from motcua.catalog.search import search_procedures

pytestmark = pytest.mark.django_db


def codes(*args, **kwargs) -> list[str]:
    return [p.code for p in search_procedures(*args, **kwargs)]


@pytest.mark.parametrize("query", ["dang ky ket hon", "DANG KY KET HON", "đăng ký kết hôn", "Đăng Ký  Kết Hôn",
                                   "ket hon"])
def test_without_diacritics_and_any_case(catalog, query):
    assert codes(query)[:2] == ["1.000894", "2.000001"]


def test_d_and_dj_are_the_same_letter(catalog):
    assert codes("dang ky khai sinh") == codes("đăng ký khai sinh") == ["1.001193"]


def test_prefix_and_exact_phrase_rank_first(catalog):
    # Both match every word; the name starting with the phrase comes before the one containing it later.
    assert codes("dang ky ket hon") == ["1.000894", "2.000001"]
    assert codes("DANG KY") == ["1.000894", "1.001193", "2.000001"]  # prefix matches, shorter name first


def test_every_word_must_match(catalog):
    assert codes("ket hon nuoc ngoai") == ["2.000001"]
    assert codes("ket hon xay dung") == []
    assert codes("hon ket") == ["1.000894", "2.000001"]  # order of words is free


def test_by_code_and_field_name(catalog):
    assert codes("1.001193") == ["1.001193"]
    assert codes("1.00") == ["1.000894", "1.001193", "1.009994"]
    assert codes("ho tich khai sinh") == ["1.001193"]


def test_empty_query_lists_procedures_in_force(catalog):
    assert sorted(codes("")) == ["1.000894", "1.001193", "1.009994", "2.000001"]
    assert codes("", on_date=date(2024, 6, 1)) == ["1.000894"]  # only 10/QĐ was in force then


def test_filters(catalog):
    assert sorted(codes("", field="HT")) == ["1.000894", "1.001193", "2.000001"]
    assert codes("", level="province", field="XD") == ["1.009994"]
    assert codes("", agency="000.01.12.T99") == ["1.009994"]
    assert sorted(codes("dang ky", agency="000.20.31.T99")) == ["1.000894", "1.001193"]
    # The highest level among the in-force version's variants: 20/QĐ has full + none.
    assert codes("", online_level="full") == ["1.000894"]
    assert sorted(codes("", online_level="partial")) == ["1.001193", "2.000001"]
    assert codes("", online_level="none") == ["1.009994"]
    assert codes("", online_level="bogus") == []


def test_limit_and_current_version(catalog):
    found = search_procedures("", limit=2)
    assert len(found) == 2
    assert all(p.current_version is not None for p in found)
