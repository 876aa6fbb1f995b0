"""Demo province "Bắc Ninh": the agency tree every other demo step builds on.

Idempotent: units are matched by code and saved only when a field differs, so a second run writes nothing.
Codes are illustrative (shaped like the electronic identifier), not the province's real codes.
"""

from datetime import date

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel

P, D, C = AgencyLevel.PROVINCE, AgencyLevel.DISTRICT, AgencyLevel.COMMUNE
K = AgencyKind
PC = "000.00.00.H27"
REFORM_DAY = date(2025, 7, 1)
ABOLISHED_ON = date(2025, 6, 30)

# (code, name, short name, level, kind, parent code, address, phone, valid_from, valid_to, successor code)
UNITS = [
    (PC, "UBND tỉnh Bắc Ninh", "UBND tỉnh", P, K.PEOPLES_COMMITTEE, None,
     "Số 10 đường Phù Đổng Thiên Vương, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 509", None, None, None),
    ("000.00.01.H27", "Văn phòng UBND tỉnh", "VP UBND tỉnh", P, K.PC_OFFICE, PC,
     "Số 10 đường Phù Đổng Thiên Vương, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 510", None, None, None),
    ("000.00.30.H27", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", "TTPVHCC tỉnh", P, K.SERVICE_CENTRE, PC,
     "Số 11 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3898 888", None, None, None),
    ("000.00.12.H27", "Sở Xây dựng", "SXD", P, K.DEPARTMENT, PC,
     "Số 6 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 614", None, None, None),
    ("000.00.13.H27", "Sở Tư pháp", "STP", P, K.DEPARTMENT, PC,
     "Số 8 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 576", None, None, None),
    ("000.00.14.H27", "Sở Nông nghiệp và Môi trường", "SNNMT", P, K.DEPARTMENT, PC,
     "Số 12 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 335", None, None, None),
    ("000.00.15.H27", "Sở Tài chính", "STC", P, K.DEPARTMENT, PC,
     "Số 14 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 436", None, None, None),
    ("000.00.16.H27", "Sở Y tế", "SYT", P, K.DEPARTMENT, PC,
     "Số 16 đường Nguyễn Văn Cừ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 452", None, None, None),
    ("000.00.17.H27", "Sở Công Thương", "SCT", P, K.DEPARTMENT, PC,
     "Số 18 đường Nguyễn Văn Cừ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 321", None, None, None),
    ("000.00.18.H27", "Sở Nội vụ", "SNV", P, K.DEPARTMENT, PC,
     "Số 20 đường Nguyễn Văn Cừ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 287", None, None, None),
    ("000.01.12.H27", "Phòng Quản lý hoạt động xây dựng", "P.QLHĐXD", P, K.DIVISION, "000.00.12.H27",
     "Số 6 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 615", None, None, None),
    ("000.01.13.H27", "Phòng Hành chính tư pháp", "P.HCTP", P, K.DIVISION, "000.00.13.H27",
     "Số 8 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 577", None, None, None),
    ("000.02.14.H27", "Văn phòng Đăng ký đất đai", "VPĐKĐĐ", P, K.DIVISION, "000.00.14.H27",
     "Số 12 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 336", None, None, None),
    ("000.01.15.H27", "Phòng Đăng ký kinh doanh", "P.ĐKKD", P, K.DIVISION, "000.00.15.H27",
     "Số 14 đường Lý Thái Tổ, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3822 437", None, None, None),
    ("000.20.31.H27", "UBND phường Kinh Bắc", "UBND P. Kinh Bắc", C, K.PEOPLES_COMMITTEE, PC,
     "Số 2 đường Ngô Gia Tự, phường Kinh Bắc, tỉnh Bắc Ninh", "0222 3821 101", REFORM_DAY, None, None),
    ("000.20.32.H27", "UBND phường Võ Cường", "UBND P. Võ Cường", C, K.PEOPLES_COMMITTEE, PC,
     "Số 5 đường Nguyễn Trãi, phường Võ Cường, tỉnh Bắc Ninh", "0222 3821 202", REFORM_DAY, None, None),
    ("000.21.33.H27", "UBND phường Từ Sơn", "UBND P. Từ Sơn", C, K.PEOPLES_COMMITTEE, PC,
     "Số 1 đường Lý Công Uẩn, phường Từ Sơn, tỉnh Bắc Ninh", "0222 3831 303", REFORM_DAY, None, None),
    ("000.22.34.H27", "UBND xã Tiên Du", "UBND xã Tiên Du", C, K.PEOPLES_COMMITTEE, PC,
     "Thôn Lim, xã Tiên Du, tỉnh Bắc Ninh", "0222 3837 404", REFORM_DAY, None, None),
    ("000.23.35.H27", "UBND xã Gia Bình", "UBND xã Gia Bình", C, K.PEOPLES_COMMITTEE, PC,
     "Thôn Đông Bình, xã Gia Bình, tỉnh Bắc Ninh", "0222 3868 505", REFORM_DAY, None, None),
    ("000.24.36.H27", "UBND xã Lương Tài", "UBND xã Lương Tài", C, K.PEOPLES_COMMITTEE, PC,
     "Thị trấn Thứa cũ, xã Lương Tài, tỉnh Bắc Ninh", "0222 3867 606", REFORM_DAY, None, None),
    ("000.20.00.H27", "UBND thành phố Bắc Ninh", "UBND TP Bắc Ninh", D, K.PEOPLES_COMMITTEE, PC,
     "Số 4 đường Ngô Gia Tự, phường Suối Hoa cũ, thành phố Bắc Ninh", "0222 3822 666", None, ABOLISHED_ON,
     "000.20.31.H27"),
    ("000.22.00.H27", "UBND huyện Tiên Du", "UBND huyện Tiên Du", D, K.PEOPLES_COMMITTEE, PC,
     "Thị trấn Lim cũ, huyện Tiên Du, tỉnh Bắc Ninh", "0222 3837 999", None, ABOLISHED_ON, "000.22.34.H27"),
]

FIELDS = ("name", "short_name", "level", "kind", "address", "phone", "valid_from", "valid_to")


def _upsert(code: str, values: dict, parent: Agency | None) -> tuple[Agency, bool]:
    """Create or update by code; save only when something differs. Returns (agency, written)."""
    agency = Agency.objects.filter(code=code).first() or Agency(code=code)
    wanted = values | {"parent_id": parent.pk if parent else None}
    if agency.pk and all(getattr(agency, f) == v for f, v in wanted.items()):
        return agency, False
    for f, v in values.items():
        setattr(agency, f, v)
    agency.parent = parent
    agency.full_clean()
    agency.save()
    return agency, True


def load(stdout) -> None:
    by_code: dict[str, Agency] = {}
    written: set[str] = set()
    for code, name, short, level, kind, parent, address, phone, valid_from, valid_to, _succ in UNITS:
        values = dict(zip(FIELDS, (name, short, level, kind, address, phone, valid_from, valid_to), strict=True))
        by_code[code], changed = _upsert(code, values, by_code.get(parent) if parent else None)
        if changed:
            written.add(code)
    for code, *_rest, successor in UNITS:  # successors exist only once every unit is saved
        wanted = by_code[successor].pk if successor else None
        agency = by_code[code]
        if agency.successor_id != wanted:
            agency.successor_id = wanted
            agency.save(update_fields=["successor"])  # save(), not update(): audited through signals
            written.add(code)
    stdout.write(f"Đơn vị: {len(UNITS)} đơn vị mẫu của tỉnh Bắc Ninh ({len(written)} tạo mới/cập nhật).\n")
