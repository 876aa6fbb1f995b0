"""Typo tolerance on real procedure names (taken from the demo catalogue): what citizens type still finds them."""

import json

import pytest

from motcua.catalog import demo
from motcua.catalog.exchange import import_catalog
from motcua.catalog.search import corrections, search_procedures, spellings

pytestmark = pytest.mark.django_db

REAL = ["1.001612", "2.000720", "1.001570", "1.001266", "1.001193", "1.000894", "2.000633"]


@pytest.fixture
def demo_catalog(province, tmp_path):
    data = json.loads(demo.DATA_FILE.read_text(encoding="utf-8"))
    data["procedures"] = [dict(p, competent_agencies=[]) for p in data["procedures"] if p["code"] in REAL]
    for step in (s for p in data["procedures"] for v in p["versions"] for var in v["variants"] for s in var["steps"]):
        step["agency"] = None  # the demo province's agencies are not loaded here
    path = tmp_path / "real.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_catalog(path, "json")


def names(q: str, n: int = 3) -> list[str]:
    return [p.name for p in search_procedures(q)[:n]]


def test_old_name_of_household_business_finds_it(demo_catalog):
    assert names("dang ky kinh doanh ho ca the")[0] == "Đăng ký thành lập hộ kinh doanh"


@pytest.mark.parametrize("query", ["dang ki ket hon", "dang ky ket hn", "dnag ky khai sinh", "DANG KY KHAI SINH"])
def test_misspellings_and_i_y(demo_catalog, query):
    found = " | ".join(names(query)).lower()
    assert "kết hôn" in found or "khai sinh" in found


def test_exact_queries_stay_exact(demo_catalog):
    """When every word matches somewhere, nothing approximate is mixed in."""
    found = search_procedures("ket hon")
    assert found and all("kết hôn" in p.name.lower() for p in found)


def test_gibberish_finds_nothing(demo_catalog):
    assert search_procedures("qwxz vbnm plkj") == []


def test_spellings_and_corrections_alone():
    assert spellings("ky") == {"ky", "ki"} and spellings("ti") == {"ti", "ty"}
    assert spellings("tuy") == {"tuy"}  # after a vowel it is another word
    assert corrections(["doanhh", "ho"], {"doanh", "ho", "kinh"}) == [{"doanh"}, set()]
