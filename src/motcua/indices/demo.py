"""Demo step (`motcua demo`): the values an administrator would enter for the 766 indicators MotCua cannot compute
(synchronisation counts from the national reporting system, electronic certified copies), for the demo province,
its departments and communes over the demo's twelve months, so the dashboard shows a live index. Idempotent:
existing values are left alone. The figures are derived deterministically from the demo dossiers (synchronised =
received less one in twenty) and from the unit code (certified copies)."""

import zlib

from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.indices.models import ManualIndicatorValue
from motcua.indices.periods import month_of, previous_months
from motcua.indices.services import sub_units, version_for

PROVINCE = "000.00.00.H27"
MONTHS = 12


def _received(unit: Agency, month) -> int:
    from motcua.indices.sources import DbSource

    return DbSource(unit, month).dossier_count("received")


def load(stdout) -> None:
    from motcua.accounts.models import User

    province = Agency.objects.filter(code=PROVINCE).first()
    if province is None:
        return
    admin = User.objects.filter(username="admin").first()
    months = previous_months(month_of(timezone.localdate()), MONTHS)
    subs = sub_units(province, timezone.localdate())
    units = [province, *subs["department"], *subs["commune"]]
    created = 0
    for month in months:
        manual = {i.code: i for i in version_for(month).indicators.filter(numerator="manual")}
        for unit in units:
            received = _received(unit, month)
            seed = zlib.crc32(f"{unit.code}{month.key}".encode())
            values = {"1.4": (received - received // 20, received),
                      "4.2b": (seed % 7 + 3, seed % 7 + 5)}
            for code, (num, den) in values.items():
                if code not in manual or den <= 0:
                    continue
                _, new = ManualIndicatorValue.objects.get_or_create(
                    unit=unit, period=month.key, indicator=manual[code],
                    defaults={"numerator": num, "denominator": den, "entered_by": admin,
                              "entered_at": timezone.now(), "note": "Số liệu mẫu"})
                created += new
    stdout.write(f"Chỉ số 766: {created} số liệu nhập tay mẫu ({len(units)} đơn vị, {MONTHS} tháng).")
