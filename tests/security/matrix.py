"""The declared permission matrix: for every URL pattern and every API operation, what each role gets.

Keys are routes exactly as `django.urls` prints them (see tests/security/routes.py) and API operations as
"METHOD /api/v1/path{param}" from the OpenAPI schema. A pattern or operation missing here fails
test_permission_matrix.py: declare every new endpoint (and think about who may see it) when you add it.

Outcomes: ok (200/201), redirect (30x elsewhere than a login page), login (30x to a login page), unauth (401),
deny (403 or 404: both reveal nothing), invalid (400/409/422: reached the handler, refused the empty input),
405 (method not allowed). "a|b" accepts either.

Path parameters name objects of the world (tests/security/world.py): "dossier_a" is citizen A's dossier at agency
X; roles are anonymous, citizen_a, citizen_b, officer_x, officer_y, leader_x, inspector_x, admin (superuser).
`capability=True` marks a URL whose secret path segment is itself the permission (a payment reference, a QR of a
code): the body may show that object's data to whoever holds the link, so the cross-scope leak check skips it.
"""

from dataclasses import dataclass, field

from tests.security.routes import DENY, INVALID, LOGIN, METHOD, OK, REDIRECT, UNAUTH
from tests.security.world import ROLES

ALLOW = f"{OK}|{REDIRECT}"
STAFF = ("officer_x", "officer_y", "leader_x", "inspector_x", "admin")
SCOPE_X = ("officer_x", "leader_x", "inspector_x", "admin")  # see dossier A / agency X


def expect(default: str, **per_role: str) -> dict[str, str]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


def only(roles, granted: str, denied: str = DENY, **per_role: str) -> dict[str, str]:
    """`granted` for `roles`, `denied` for everyone else (per_role overrides both)."""
    return expect(denied, **{r: granted for r in roles}, **per_role)


PUBLIC = expect(OK)
PUBLIC_405 = expect(METHOD)
# Back-office page: anonymous → login, citizens → 403, every staff member → the page (scoped content).
STAFF_PAGE = only(STAFF, OK, anonymous=LOGIN)
# Back-office page about dossier A: staff of scope X only.
STAFF_OF_A = only(SCOPE_X, OK, anonymous=LOGIN)
# A citizen's own page about dossier A: citizen A only; staff are not citizens there.
OWNER_OF_A = only(("citizen_a",), OK, anonymous=LOGIN)
SIGNED_IN_API = expect(OK, anonymous=UNAUTH)
# Citizens' pages: a login prompt for visitors, 403 for staff accounts (they use the desk).
CITIZEN_PAGE = only(("citizen_a", "citizen_b"), OK, anonymous=LOGIN)
# Pages about an object absent from the world: the login gate and the staff gate hold, the lookup gives 404.
NONE_IN_WORLD = only((), OK, anonymous=LOGIN)
STAFF_POST_ONLY = only(STAFF, METHOD, anonymous=LOGIN)


@dataclass(frozen=True)
class Decl:
    get: dict
    post: dict | None = None
    params: dict = field(default_factory=dict)  # path parameter → world object name (or a literal via "=")
    post_data: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)  # query string, same convention as params
    capability: bool = False
    note: str = ""


URLS: dict[str, Decl] = {
    # --- framework -------------------------------------------------------------------------------------------
    "i18n/setlang/": Decl(get=expect(REDIRECT), post=expect(REDIRECT), post_data={"language": "en"}),
    "api/v1/openapi.json": Decl(get=PUBLIC),
    "api/v1/docs": Decl(get=PUBLIC),
    "api/v1/": Decl(get=expect(DENY), note="ninja's root name only reverses the prefix; nothing is served"),
    "accounts/login/": Decl(get=expect(OK)),
    "accounts/logout/": Decl(get=PUBLIC_405, post=expect(REDIRECT)),
    "accounts/xac-thuc-2-buoc/": Decl(get=expect(REDIRECT, anonymous=LOGIN),
                                      note="no device enrolled in the world: on to enrolment"),
    "accounts/xac-thuc-2-buoc/dang-ky/": Decl(get=only(STAFF, OK, anonymous=LOGIN),
                                              note="staff only; citizens 403"),
    # --- printable forms and registers (staff) ---------------------------------------------------------------
    "backoffice/ho-so/<str:code>/mau/<form_number:form>.<form_format:fmt>": Decl(
        get=STAFF_OF_A, params={"code": "dossier_a", "form": "=01", "fmt": "=docx"}),
    "backoffice/so-theo-doi/<str:unit>.<form_format:fmt>": Decl(
        get=STAFF_OF_A, params={"unit": "agency_x", "fmt": "=docx"},
        query={"from": "=2026-01-01", "to": "=2026-12-31"}),
    # --- back office ------------------------------------------------------------------------------------------
    "backoffice/": Decl(get=STAFF_PAGE),
    "backoffice/tiep-nhan/": Decl(get=only(("officer_x", "officer_y", "admin"), OK, anonymous=LOGIN),
                                  note="the reception desk: reception role only"),
    "backoffice/ho-so/": Decl(get=STAFF_PAGE, query={"view": "=queue"}, note="the unit's queue: scoped list"),
    "backoffice/ho-so/<str:code>/": Decl(get=STAFF_OF_A, params={"code": "dossier_a"}),
    "backoffice/ho-so/<str:code>/thao-tac/<slug:action>/": Decl(
        get=only(STAFF, METHOD, anonymous=LOGIN), params={"code": "dossier_a", "action": "=result_ready"},
        post=only(SCOPE_X, INVALID, anonymous=LOGIN),
        note="POST only (405 before any lookup); in scope X the empty form is refused, outside it 404"),
    "backoffice/ho-so/<str:code>/giay-to/<int:pk>/": Decl(
        get=STAFF_OF_A, params={"code": "dossier_a", "pk": "document_a"}),
    "backoffice/phe-duyet/": Decl(get=STAFF_PAGE),
    "backoffice/dieu-phoi/": Decl(get=STAFF_PAGE, note="coordination board, scoped lists"),
    # --- statistics dashboard (reports) -----------------------------------------------------------------------
    "backoffice/thong-ke/": Decl(get=STAFF_PAGE),
    "backoffice/thong-ke/ho-so/": Decl(
        get=STAFF_OF_A, query={"unit": "agency_x", "measure": "=received", "from": "=2026-01-01",
                               "to": "=2026-12-31"},
        note="the dossiers behind a figure of X: Y's officer gets 404"),
    "backoffice/thong-ke/ho-so/tai-ve/": Decl(
        get=STAFF_OF_A, query={"unit": "agency_x", "measure": "=received", "from": "=2026-01-01",
                               "to": "=2026-12-31", "format": "=csv"},
        note="the same list as CSV/XLSX: Y's officer gets 404"),
    # --- federation (national reports): national administrators only (superuser or province-admin role) ------
    "backoffice/lien-thong/": Decl(get=only(("admin",), OK, anonymous=LOGIN)),
    # --- Decision 766 indices (indices) -----------------------------------------------------------------------
    "backoffice/chi-so-766/": Decl(get=STAFF_PAGE),
    "backoffice/chi-so-766/chi-so/<str:code>/": Decl(get=only((), OK, anonymous=LOGIN),
                                                     params={"code": "=khong-co"}, note="unknown index: 404"),
    "backoffice/chi-so-766/phan/<slug:name>/": Decl(get=STAFF_OF_A, params={"name": "=xep-hang"},
                                                    query={"unit": "agency_x", "period": "=2026"},
                                                    note="X's ranking fragment (htmx): Y's officer gets 404"),
    "backoffice/chi-so-766/nhap-so-lieu/": Decl(get=only(("admin",), OK, anonymous=LOGIN),
                                                note="manual values: province-level role only"),
    # --- administrative reform (reform); no plan, round or evidence in the world: the gates are checked -------
    "backoffice/cai-cach/": Decl(get=STAFF_PAGE),
    "backoffice/cai-cach/ke-hoach/<int:pk>/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/cai-cach/ke-hoach/<int:pk>/bao-cao.<str:fmt>": Decl(get=NONE_IN_WORLD,
                                                                   params={"pk": "=999999", "fmt": "=xlsx"}),
    "backoffice/cai-cach/ke-hoach/<int:pk>/them-nhiem-vu/": Decl(get=STAFF_POST_ONLY, params={"pk": "=999999"},
                                                               post=NONE_IN_WORLD),
    "backoffice/cai-cach/nhiem-vu/<int:pk>/trang-thai/": Decl(get=STAFF_POST_ONLY, params={"pk": "=999999"},
                                                            post=NONE_IN_WORLD),
    "backoffice/cai-cach/nhiem-vu/<int:pk>/minh-chung/": Decl(get=STAFF_POST_ONLY, params={"pk": "=999999"},
                                                            post=NONE_IN_WORLD),
    "backoffice/cai-cach/minh-chung/<int:pk>/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/cai-cach/chi-so/<int:pk>/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/cai-cach/chi-so/<int:pk>/ket-qua.xlsx": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/cai-cach/chi-so/<int:pk>/khoa/<str:phase>/": Decl(
        get=STAFF_POST_ONLY, params={"pk": "=999999", "phase": "=self"}, post=NONE_IN_WORLD),
    "backoffice/cai-cach/chi-so/<int:pk>/<str:code>/": Decl(get=NONE_IN_WORLD,
                                                           params={"pk": "=999999", "code": "agency_x"}),
    "backoffice/cai-cach/chi-so/<int:pk>/<str:code>/so-lieu/": Decl(
        get=STAFF_POST_ONLY, params={"pk": "=999999", "code": "agency_x"}, post=NONE_IN_WORLD),
    "backoffice/cai-cach/chi-so/<int:pk>/<str:code>/minh-chung/": Decl(
        get=STAFF_POST_ONLY, params={"pk": "=999999", "code": "agency_x"}, post=NONE_IN_WORLD),
    "backoffice/cai-cach/danh-gia-can-bo/": Decl(
        get=only(("leader_x", "admin"), OK, anonymous=LOGIN, officer_x=REDIRECT, officer_y=REDIRECT,
                 inspector_x=REDIRECT), note="leaders see their unit's officers; others go to their own sheet"),
    "backoffice/cai-cach/danh-gia-can-bo/<str:username>/": Decl(
        get=only(("officer_y", "admin"), OK, anonymous=LOGIN), params={"username": "=officer-y"},
        note="officer Y's own sheet: X's leader and officer get 404"),
    # --- satisfaction surveys (surveys); no campaign in the world ------------------------------------------------
    "khao-sat/<str:token>/": Decl(get=expect(DENY), params={"token": "=khong-co"}, note="unknown token: 404"),
    "backoffice/khao-sat/": Decl(get=STAFF_PAGE),
    "backoffice/khao-sat/<int:pk>/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/khao-sat/<int:pk>/phieu-giay/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/khao-sat/<int:pk>/ket-qua/": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    "backoffice/khao-sat/<int:pk>/ket-qua.xlsx": Decl(get=NONE_IN_WORLD, params={"pk": "=999999"}),
    # --- payments ---------------------------------------------------------------------------------------------
    "thanh-toan/sandbox/<str:reference>/": Decl(
        get=PUBLIC, params={"reference": "payment_a"}, capability=True,
        note="a gateway page: the 128-bit reference is the credential, as on a real gateway"),
    "thanh-toan/callback/<slug:gateway>/": Decl(get=expect(INVALID), params={"gateway": "=sandbox"},
                                                note="unsigned callback refused"),
    "thanh-toan/bien-lai/<str:reference>/": Decl(
        get=only(("citizen_a", *SCOPE_X), OK), params={"reference": "payment_a"}),
    # --- public statistics ------------------------------------------------------------------------------------
    "thong-ke/": Decl(get=PUBLIC),
    "thong-ke/<str:unit_code>/": Decl(get=PUBLIC, params={"unit_code": "agency_x"}),
    # --- feedback and petitions (PAKN) ------------------------------------------------------------------------
    "phan-anh-kien-nghi/": Decl(get=PUBLIC),
    "phan-anh-kien-nghi/gui/": Decl(get=PUBLIC, post=expect(INVALID)),
    "phan-anh-kien-nghi/tra-cuu/": Decl(get=PUBLIC),
    "phan-anh-kien-nghi/<str:code>/": Decl(get=PUBLIC, params={"code": "published_feedback"}),
    "phan-anh-kien-nghi/<str:code>/danh-gia/": Decl(get=PUBLIC_405, params={"code": "published_feedback"},
                                                   post=expect(ALLOW), post_data={"value": "1"}),
    "backoffice/pakn/": Decl(get=STAFF_PAGE),
    "backoffice/pakn/tiep-nhan/": Decl(get=STAFF_PAGE),
    "backoffice/pakn/<str:code>/": Decl(get=STAFF_OF_A, params={"code": "feedback_a"}),
    "backoffice/pakn/<str:code>/<str:action>/": Decl(
        get=only(STAFF, METHOD, anonymous=LOGIN), params={"code": "feedback_a", "action": "=classify"},
        post=only(("officer_x", "leader_x", "admin"), INVALID, anonymous=LOGIN),
        post_data={"category": "feedback"},
        note="the read-only inspector is refused (403); X's officers reach the form (invalid without a category "
             "label); Y's officer gets 404"),
    # --- portal: catalogue ------------------------------------------------------------------------------------
    "": Decl(get=PUBLIC),
    "thu-tuc/": Decl(get=PUBLIC),
    "thu-tuc/<str:code>/": Decl(get=PUBLIC, params={"code": "procedure_x"}),
    "linh-vuc/": Decl(get=PUBLIC),
    "linh-vuc/<str:code>/": Decl(get=PUBLIC, params={"code": "field"}),
    "co-quan/": Decl(get=PUBLIC),
    "co-quan/<str:code>/": Decl(get=PUBLIC, params={"code": "agency_x"}),
    "su-kien/": Decl(get=PUBLIC),
    "su-kien/<slug:slug>/": Decl(get=expect(DENY), params={"slug": "=khong-co"}, note="no life event in world"),
    # --- portal: citizens -------------------------------------------------------------------------------------
    "dang-ky/": Decl(get=PUBLIC, post=expect(OK), note="an empty form is shown again with its errors (200)"),
    "dang-ky/doanh-nghiep/": Decl(get=PUBLIC, post=expect(OK)),
    "dang-nhap/dinh-danh/": Decl(get=expect(DENY), note="e-ID (OIDC) not configured in tests"),
    "dang-nhap/dinh-danh/callback/": Decl(get=expect(DENY)),
    "nop-ho-so/<str:procedure_code>/": Decl(get=only(("citizen_a", "citizen_b"), ALLOW, anonymous=LOGIN),
                                            params={"procedure_code": "procedure_x"}),
    "nop-ho-so/nhap/<uuid:draft>/<slug:step>/": Decl(get=OWNER_OF_A, params={"draft": "draft_a",
                                                                            "step": "=nguoi-nop"}),
    "nop-ho-so/da-nop/<str:code>/": Decl(get=OWNER_OF_A, params={"code": "dossier_a"}),
    "tra-cuu/": Decl(get=PUBLIC),
    "tra-cuu/qr/<str:code>.svg": Decl(get=PUBLIC, params={"code": "dossier_a"}, capability=True,
                                      note="encodes only the code given in the URL"),
    "ho-so-cua-toi/": Decl(get=CITIZEN_PAGE),
    "ho-so/<str:code>/": Decl(get=OWNER_OF_A, params={"code": "dossier_a"}),
    "ho-so/<str:code>/bo-sung/": Decl(get=only(("citizen_a",), REDIRECT, anonymous=LOGIN),
                                      params={"code": "dossier_a"}, note="no open supplement request: back"),
    "ho-so/<str:code>/thanh-toan/": Decl(get=OWNER_OF_A, params={"code": "dossier_a"}),
    "ho-so/<str:code>/rut/": Decl(get=OWNER_OF_A, params={"code": "dossier_a"}, note="withdrawal form"),
    "du-lieu-cua-toi/": Decl(get=CITIZEN_PAGE, note="a citizen's own personal data export"),
    "ho-so/<str:code>/danh-gia/": Decl(get=only(("citizen_a",), REDIRECT, anonymous=LOGIN),
                                       params={"code": "dossier_a"}, note="not finished yet: back"),
}

API: dict[str, Decl] = {
    "GET /api/v1/agencies": Decl(get=PUBLIC),
    "GET /api/v1/agencies/{code}": Decl(get=PUBLIC, params={"code": "agency_x"}),
    "GET /api/v1/procedures": Decl(get=PUBLIC),
    "GET /api/v1/procedures/fields": Decl(get=PUBLIC),
    "GET /api/v1/procedures/{code}": Decl(get=PUBLIC, params={"code": "procedure_x"}),
    "GET /api/v1/worktime/deadline": Decl(get=expect(INVALID), note="required query parameters missing"),
    "GET /api/v1/worktime/calendar/{year}": Decl(get=PUBLIC, params={"year": "=2026"}),
    "POST /api/v1/dossiers": Decl(get=expect(INVALID, anonymous=UNAUTH), note="empty body refused"),
    "GET /api/v1/dossiers": Decl(get=SIGNED_IN_API, note="each sees its own scope (leak check)"),
    "GET /api/v1/dossiers/{code}": Decl(get=only(("citizen_a", *SCOPE_X), OK, anonymous=UNAUTH),
                                        params={"code": "dossier_a"}),
    "GET /api/v1/dossiers/{code}/history": Decl(get=only(("citizen_a", *SCOPE_X), OK, anonymous=UNAUTH),
                                                params={"code": "dossier_a"}),
    "POST /api/v1/dossiers/{code}/actions/{action}": Decl(
        get=only(("officer_x", "admin"), OK, anonymous=UNAUTH, citizen_a=DENY, leader_x=DENY,
                 inspector_x=DENY),
        params={"code": "dossier_a", "action": "=result_ready"},
        note="X's specialist and the superuser act (rolled back); the owner, the leader (not their step) and the "
             "read-only inspector get 403; others 404"),
    "GET /api/v1/reports/period": Decl(get=only(SCOPE_X, OK, anonymous=UNAUTH),
                                       query={"unit": "agency_x", "from": "=2026-01-01", "to": "=2026-12-31"}),
    "GET /api/v1/reports/public/{unit_code}": Decl(get=PUBLIC, params={"unit_code": "agency_x"}),
    "GET /api/v1/feedback/published": Decl(get=PUBLIC),
    "GET /api/v1/feedback/stats": Decl(get=only(SCOPE_X, OK, anonymous=UNAUTH), query={"unit": "agency_x", "from": "=2026-01-01",
                                                                            "to": "=2026-12-31"}),
    "POST /api/v1/feedback": Decl(get=expect(INVALID)),
    # Federation: province pushes need a signed request (none here: 401 for everyone); the ranking is for the
    # national administrator or a signed province.
    "POST /api/v1/federation/events": Decl(get=expect(UNAUTH)),
    "POST /api/v1/federation/statistics": Decl(get=expect(UNAUTH)),
    "GET /api/v1/federation/national": Decl(get=only(("admin",), OK, anonymous=UNAUTH), query={"period": "=2026-10"}),
    "GET /api/v1/indices/766": Decl(get=only(SCOPE_X, OK, anonymous=UNAUTH),
                                    query={"unit": "agency_x", "period": "=2026"}),
}

# Django admin: one rule for its generated patterns. Only the superuser has is_staff in the world; everyone else
# is sent to the admin login. The superuser reaches every page: 200, a redirect for an object absent from the
# world, or 403 where a model is append-only (audit records, payments, access logs: no add/delete).
ADMIN_PREFIX = "admin/"
ADMIN = Decl(get=only(("admin",), f"{ALLOW}|{DENY}", denied=LOGIN))
ADMIN_SPECIAL: dict[str, Decl] = {
    "admin/login/": Decl(get=only(("admin",), REDIRECT, denied=OK)),
    "admin/logout/": Decl(get=only(("admin",), METHOD, denied=REDIRECT), note="POST only once signed in"),
}
