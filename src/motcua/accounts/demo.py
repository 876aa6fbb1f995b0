"""Demo accounts for the province "Bắc Ninh": one account per role per agency type, citizens and a business.

Idempotent and non-destructive: an existing username is left exactly as it is (no password reset, no field
update), missing memberships are added. All demo accounts share the printed demo password; it is hashed once
per run (PBKDF2 with Django's default cost takes about half a second per hash, and fifty accounts with a public
password gain nothing from separate salts).
"""

from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission

from motcua.accounts.models import AccountKind, Membership, Role, User
from motcua.accounts.validators import validate_personal_id, validate_tax_code
from motcua.agencies.models import Agency

DEMO_PASSWORD = "Demo@2026"

R = Role
PC, CENTRE = "000.00.00.H27", "000.00.30.H27"
DEPARTMENTS = {  # code → username prefix
    "000.00.12.H27": "xd", "000.00.13.H27": "tp", "000.00.14.H27": "nnmt", "000.00.15.H27": "tc",
    "000.00.16.H27": "yt", "000.00.17.H27": "ct", "000.00.18.H27": "nv",
}
COMMUNES = {
    "000.20.31.H27": "kinhbac", "000.20.32.H27": "vocuong", "000.21.33.H27": "tuson",
    "000.22.34.H27": "tiendu", "000.23.35.H27": "giabinh", "000.24.36.H27": "luongtai",
}
ROLE_SUFFIX = {R.RECEPTION: "motcua", R.SPECIALIST: "chuyenvien", R.LEADER: "lanhdao",
               R.AGENCY_ADMIN: "quantri", R.PROVINCE_ADMIN: "quantri", R.REFORM_OFFICE: "cchc",
               R.INSPECTOR: "thanhtra"}
STAFF_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức",
               "Vũ Thị Giang", "Đỗ Văn Hải", "Bùi Thị Hoa", "Đặng Văn Khoa", "Ngô Thị Lan"]

# Fictional citizens: numbers are well-formed (province 027 Bắc Ninh, century/sex digit, birth year) but invented.
CITIZENS = [
    ("congdan1", "Nguyễn Văn Minh", "027085012345", date(1985, 3, 14), "0912 000 001"),
    ("congdan2", "Trần Thị Ngọc", "027192034567", date(1992, 8, 2), "0912 000 002"),
    ("congdan3", "Lê Thị Phương", "027301056789", date(2001, 11, 25), "0912 000 003"),
]
BUSINESS = ("doanhnghiep1", "Công ty TNHH Kinh Bắc Xanh (mẫu)", "2300000011", "0222 3999 001")


def staff_plan() -> list[tuple[str, str, str]]:
    """(username, role, agency code) for every demo staff account, in a stable order."""
    plan = [(f"tinh.{ROLE_SUFFIX[r]}", r, PC) for r in (R.PROVINCE_ADMIN, R.REFORM_OFFICE, R.INSPECTOR, R.LEADER)]
    plan += [("tthcc.motcua1", R.RECEPTION, CENTRE), ("tthcc.motcua2", R.RECEPTION, CENTRE),
             ("tthcc.lanhdao", R.LEADER, CENTRE)]
    for code, prefix in DEPARTMENTS.items():
        plan += [(f"{prefix}.{ROLE_SUFFIX[r]}", r, code) for r in (R.SPECIALIST, R.LEADER, R.AGENCY_ADMIN)]
    plan.append(("xd.qlhdxd.chuyenvien", R.SPECIALIST, "000.01.12.H27"))
    for code, prefix in COMMUNES.items():
        plan += [(f"{prefix}.{ROLE_SUFFIX[r]}", r, code) for r in (R.RECEPTION, R.SPECIALIST, R.LEADER)]
    return plan


ADMIN_GROUP = "Quản trị đơn vị"
ADMIN_PERMISSIONS = [f"{action}_{model}" for model in ("agency", "user", "membership")
                     for action in ("view", "add", "change")]


def admin_group() -> Group:
    """Django-admin rights for administrator roles; what they see there is still limited by scoping."""
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    wanted = Permission.objects.filter(codename__in=ADMIN_PERMISSIONS,
                                       content_type__app_label__in=("agencies", "accounts"))
    missing = wanted.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)
    return group


class _Creator:
    """Creates missing users with the shared hash; counts what it wrote."""

    def __init__(self):
        self.created = 0
        self._hash = None

    def ensure(self, username: str, **fields) -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        user = User(username=username, password=self._hash, **fields)
        user.full_clean()
        user.save()
        self.created += 1
        return user


def load(stdout) -> None:
    agencies = {a.code: a for a in Agency.objects.all()}
    creator = _Creator()
    admins = admin_group()
    rows = [("admin", "superuser", "—")]
    creator.ensure("admin", kind=AccountKind.STAFF, full_name="Quản trị hệ thống", is_superuser=True,
                   is_staff=True, email="admin@motcua.example")
    for i, (username, role, code) in enumerate(staff_plan()):
        admin_role = role in (R.PROVINCE_ADMIN, R.AGENCY_ADMIN)
        user = creator.ensure(username, kind=AccountKind.STAFF, full_name=STAFF_NAMES[i % len(STAFF_NAMES)],
                              is_staff=admin_role)
        Membership.objects.get_or_create(user=user, agency=agencies[code], role=role)
        if admin_role and not user.groups.filter(pk=admins.pk).exists():
            user.groups.add(admins)
        rows.append((username, str(Role(role).label), agencies[code].name))
    for username, name, pid, born, phone in CITIZENS:
        creator.ensure(username, kind=AccountKind.CITIZEN, full_name=name,
                       personal_id=validate_personal_id(pid, born), birth_date=born, phone=phone)
        rows.append((username, str(AccountKind.CITIZEN.label), "—"))
    username, name, tax_code, phone = BUSINESS
    creator.ensure(username, kind=AccountKind.BUSINESS, full_name=name, tax_code=validate_tax_code(tax_code),
                   phone=phone)
    rows.append((username, str(AccountKind.BUSINESS.label), "—"))
    _print_table(stdout, rows)
    stdout.write(f"Tài khoản: {len(rows)} tài khoản mẫu ({creator.created} tạo mới), mật khẩu chung: "
                 f"{DEMO_PASSWORD}\n")


def _print_table(stdout, rows) -> None:
    table = [("Tên đăng nhập", "Vai trò", "Đơn vị", "Mật khẩu")] + [(*r, DEMO_PASSWORD) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    for row in table:
        stdout.write("  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + f"  {row[3]}\n")
