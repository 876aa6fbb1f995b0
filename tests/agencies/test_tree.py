from motcua.agencies.models import Agency


def test_paths_follow_the_tree_and_subtree_selects_descendants(province):
    pc, dept, division = province["pc"], province["dept"], province["division"]
    assert division.path.startswith(dept.path) and dept.path.startswith(pc.path)
    subtree = set(Agency.objects.subtree_of([dept]).values_list("code", flat=True))
    assert subtree == {dept.code, division.code}


def test_moving_a_unit_reroots_its_subtree(province):
    dept, division, commune = province["dept"], province["division"], province["commune"]
    dept.parent = commune
    dept.save()
    division.refresh_from_db()
    assert division.path == f"{commune.path}{dept.pk}/{division.pk}/"


def test_final_successor_follows_links(province):
    old = Agency.objects.create(code="000.10.00.T99", name="UBND huyện cũ", level="district",
                                successor=province["commune"])
    assert old.final_successor() == province["commune"]
