"""Demo dossiers for the province "Bắc Ninh": ~560 dossiers over the last 12 months, plus ~30 live ones.

- The bulk is generated as import lines (the same dicts `motcua import-dossiers` reads, docs/import-format.md) and
  written through `dossiers.importer` — fast, and the demo data passes the importer's checks. Every status 1–10
  appears, with supplements, payment requests, hand-overs, apologies/extensions, refusals, withdrawals, stops,
  early / on-time / late outcomes, all channels, procedures and receiving units.
- Deterministic: a constant seed and a reference date = the first day of the current month, so a second run on the
  same day produces the same lines (and the importer skips codes already present). Idempotent: when the demo
  marker (history rows imported with source "demo") exists, nothing is done at all.
- ~30 dossiers are then driven through the real engine (`services.create_dossier` + `engine.perform`) by the demo
  staff accounts (accounts/demo.py), so officers find live, actionable dossiers in their inboxes with current steps
  and assignees.

`build_records(n, ref=..., seed=...)` is shared with bench/import_dossiers.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.codes import format_code
from motcua.worktime import clock

SEED = 20250701
SOURCE = "demo"
N_IMPORTED = 560
CENTRE = "000.00.30.H27"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lý"]
MIDDLE_M, MIDDLE_F = ["Văn", "Đức", "Minh", "Quang", "Hữu"], ["Thị", "Thu", "Ngọc", "Thanh", "Phương"]
GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn"]
GIVEN_F = ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Yến"]
PLACES = ["phường Kinh Bắc", "phường Võ Cường", "phường Từ Sơn", "xã Tiên Du", "xã Gia Bình", "xã Lương Tài"]
STREETS = ["Ngô Gia Tự", "Lý Thái Tổ", "Trần Hưng Đạo", "Nguyễn Trãi", "Lê Văn Thịnh", "Hai Bà Trưng"]
MISSING = ["Bản sao giấy tờ tùy thân có chứng thực", "Bản vẽ có chữ ký của người lập", "Giấy ủy quyền hợp lệ",
           "Tờ khai có chữ ký của người đề nghị", "Bản sao giấy chứng nhận quyền sử dụng đất"]
# Final status → weight. Open statuses (1, 2, 4, 5, 6) are recent; the others have a full past timeline.
STATUS_WEIGHTS = {10: 38, 9: 10, 4: 10, 2: 5, 5: 6, 6: 4, 3: 6, 7: 5, 8: 5, 1: 5}
OPEN = (1, 2, 4, 5, 6)


def reference_date(today: date | None = None) -> date:
    """The anchor of the demo timeline: the first day of the current month (stable for a whole month)."""
    today = today or timezone.localdate()
    return today.replace(day=1)


# -- catalogue view ------------------------------------------------------------------------------------------------
@dataclass
class Choice:
    code: str
    applicant_type: str
    competent: list  # AgencyInfo of the listed competent agencies (communes or departments)
    has_fee: bool


def _choices(cat) -> list[Choice]:
    from motcua.catalog.models import Fee, Procedure

    kinds = dict(Procedure.objects.values_list("code", "applicant_type"))
    paying = set(Fee.objects.filter(amount__gt=0).values_list("variant__version__procedure__code", flat=True))
    out = []
    for code in sorted(cat.procedures):
        proc = cat.procedures[code]
        listed = sorted((cat.agencies_by_pk[pk] for pk in proc.competent if pk in cat.agencies_by_pk),
                        key=lambda a: a.code)
        if listed:
            out.append(Choice(code, kinds.get(code, "both"), listed, code in paying))
    return out


def _is_commune(agency) -> bool:
    return agency.code.split(".")[1] >= "20"  # 000.2x.yy.H27: the demo communes (illustrative codes)


# -- one dossier's story ---------------------------------------------------------------------------------------------
class Story:
    """Generates one import line; every instant is a working instant of the competent agency's calendar."""

    # Mixes as (values, weights); scale.generator overrides them with the province-scale distributions.
    CHANNELS = ([1, 2, 3], [45, 45, 10])
    SUPPLEMENTS = ([0, 1, 2], [72, 22, 6])
    AIMS = (["early", "on_time", "late"], [62, 18, 20])

    def __init__(self, gen: Generator, choice: Choice, status: int, start: date):
        self.gen, self.rng, self.choice, self.status = gen, gen.rng, choice, status
        self.competent = self.rng.choice(choice.competent)
        self.cal = gen.cat.calendar(self.competent)
        self.start = start

    def at(self, day: date, lo: float = 0.0, hi: float = 1.0) -> datetime:
        """A working instant on the first working day ≥ day, between fractions lo..hi of the office hours."""
        while not self.cal.is_working_day(day):
            day += timedelta(days=1)
        w0 = self.cal.w(datetime.combine(day, time(0), tzinfo=clock.TZ))
        return self.cal.instant_start(w0 + int(self.cal.day_seconds * self.rng.uniform(lo, hi)))

    def later(self, t: datetime, hours: float) -> datetime:
        return clock.add_working_seconds(self.cal, t, int(hours * 3600))

    def build(self) -> dict | None:
        received = self.at(self.start, 0.05, 0.9)
        day = clock.to_local(received).date()
        version = self.gen.version(self.choice.code, day)
        if version is None or not self.gen.valid(self.competent, day):
            return None
        variant_index = self.rng.randrange(len(version.variants))
        self.variant = version.variants[variant_index]
        self.receiving = self.gen.receiving_for(self.competent, day)
        channel = self.rng.choices(*self.CHANNELS)[0]
        if self.status == 1:
            channel = 2
        submitted = received - timedelta(minutes=self.rng.randint(5, 50))
        if channel == 2:
            submitted = received - timedelta(hours=self.rng.randint(2, 40))
        line = {"procedure": self.choice.code, "variant": variant_index, "receiving_agency": self.receiving.code,
                "competent_agency": self.competent.code, "channel": channel, "applicant": self.gen.applicant(
                    self.choice.applicant_type), "submitted_at": submitted.isoformat(),
                "digitised": channel != 2 and self.rng.random() < 0.85,
                "vneid_authenticated": channel == 2 and self.rng.random() < 0.85}
        history = [{"status": 1, "at": submitted.isoformat()}] if channel == 2 else []
        if self.status == 1:
            line["history"] = history
            return self._finish_code(line, submitted)
        if self.status == 3 and channel == 2:
            history.append({"status": 3, "at": self.later(submitted, 2).isoformat(),
                            "reason": "Hồ sơ không thuộc thẩm quyền giải quyết"})
            line["history"] = history
            return self._finish_code(line, submitted)
        history.append({"status": 2, "at": received.isoformat(), "actor": "Cán bộ một cửa"})
        line["history"] = history
        self._process(line, received, history)
        return self._finish_code(line, received)

    def _finish_code(self, line: dict, when: datetime) -> dict:
        line["code"] = self.gen.next_code(self.receiving.code, clock.to_local(when).date())
        return line

    def _process(self, line: dict, received: datetime, history: list) -> None:
        status, rng = self.status, self.rng
        if status == 3:
            history.append({"status": 3, "at": self.later(received, 1).isoformat(),
                            "reason": "Không đủ điều kiện tiếp nhận theo quy định"})
            return
        t = self.later(received, rng.uniform(0.5, 3))
        if self.receiving.code != self.competent.code:
            line["handovers"] = [{"at": t.isoformat(), "from_agency": self.receiving.code,
                                  "to_agency": self.competent.code, "outcome": "early"}]
        if status == 2:
            return
        history.append({"status": 4, "at": t.isoformat()})
        if status in (5, 6, 7, 8):
            self._open_or_cut(line, t, history)
            return
        pauses, t = self._supplements(line, t, history)
        due = self._due(received, pauses)
        if self.choice.has_fee and rng.random() < 0.3:
            pay = self.later(t, rng.uniform(1, 6))
            history += [{"status": 6, "at": pay.isoformat()},
                        {"status": 4, "at": self.later(pay, rng.uniform(2, 10)).isoformat()}]
            t = datetime.fromisoformat(history[-1]["at"])
            line["paid_online"] = rng.choice([1, 1, 2]) if line["channel"] == 2 else 0
        if status != 4:
            self._end(line, t, due, history)

    def _open_or_cut(self, line: dict, t: datetime, history: list) -> None:
        rng, status = self.rng, self.status
        at = self.later(t, rng.uniform(2, 12))
        if status == 5:
            line["supplements"] = [{"requested_at": at.isoformat(), "fulfilled_at": None,
                                    "items": rng.sample(MISSING, 2), "reason": "Hồ sơ chưa đầy đủ"}]
            history.append({"status": 5, "at": at.isoformat()})
        elif status == 6:
            history.append({"status": 6, "at": at.isoformat(), "reason": "Nộp lệ phí trước khi trả kết quả"})
        elif status == 7:
            history.append({"status": 7, "at": at.isoformat(), "reason": "Công dân đề nghị rút hồ sơ"})
        else:
            history.append({"status": 8, "at": at.isoformat(),
                            "reason": "Đối tượng đề nghị không đủ điều kiện theo kết quả xác minh"})

    def _supplements(self, line: dict, t: datetime, history: list) -> tuple[list, datetime]:
        count = self.rng.choices(*self.SUPPLEMENTS)[0]
        pauses, rows = [], []
        for _i in range(count):
            asked = self.later(t, self.rng.uniform(2, 10))
            done = self.at(clock.to_local(asked).date() + timedelta(days=self.rng.randint(1, 6)), 0.05, 0.5)
            rows.append({"requested_at": asked.isoformat(), "fulfilled_at": done.isoformat(),
                         "items": self.rng.sample(MISSING, self.rng.randint(1, 2))})
            history += [{"status": 5, "at": asked.isoformat()}, {"status": 4, "at": done.isoformat()}]
            pauses.append(clock.Pause(asked, done))
            t = done
        if rows:
            line["supplements"] = rows
        return pauses, t

    def _due(self, received: datetime, pauses: list) -> datetime | None:
        v = self.variant
        return clock.due_instant(self.cal, received, v.effective_limit, v.limit_unit, cutoff=v.cutoff,
                                 pauses=pauses, policy=v.policy)

    def _end(self, line: dict, t: datetime, due: datetime | None, history: list) -> None:
        rng = self.rng
        aim = rng.choices(*self.AIMS)[0]
        if due is None:
            finish = self.later(t, rng.uniform(4, 24))
        elif aim == "late" or due <= t:
            if rng.random() < 0.35 and due > t + timedelta(hours=4):  # apology letter before the due date
                new_due = self.cal.close_of(clock.to_local(self.later(due, 40)).date())
                line["extensions"] = [{"at": self.later(due, -3).isoformat(), "new_due": new_due.isoformat(),
                                       "reason": "Cần thêm thời gian xác minh thực địa"}]
            finish = self.later(max(due, t), rng.uniform(4, 40))
        elif aim == "on_time":
            finish = max(t + timedelta(minutes=30), due - timedelta(hours=rng.uniform(0.2, 0.9)))
        else:
            span = self.cal.w(due) - self.cal.w(t)
            finish = self.later(t, max(span * rng.uniform(0.1, 0.8) / 3600 - 8, 0.5))
        history.append({"status": 9, "at": finish.isoformat()})
        line["e_result"] = rng.random() < 0.6
        if line["e_result"]:
            line["result_code"] = f"KQ-{self.rng.randrange(10**6):06d}"
            line["result_file"] = f"/ketqua/{line['result_code']}.pdf"
        if self.status == 10:
            back = self.later(finish, rng.uniform(1, 30))
            history.append({"status": 10, "at": back.isoformat()})
            line["delivery_method"] = rng.choice(["counter", "counter", "post", "online"])


# -- the generator ---------------------------------------------------------------------------------------------------
class Generator:
    def __init__(self, cat, ref: date, seed: int = SEED, code_prefix: str = ""):
        self.cat, self.ref, self.rng = cat, ref, random.Random(seed)
        self.choices = _choices(cat)
        self.counters: dict[tuple[str, date], int] = {}
        self.code_prefix = code_prefix
        self.centre = cat.agencies.get(CENTRE)
        self.communes = sorted((a for a in cat.agencies.values() if _is_commune(a) and a.valid_to is None),
                               key=lambda a: a.code)

    def valid(self, agency, day: date) -> bool:
        return not ((agency.valid_from and day < agency.valid_from) or (agency.valid_to and day > agency.valid_to))

    def version(self, code: str, day: date):
        for v in self.cat.procedures[code].versions:
            if v.effective_from <= day and (v.effective_to is None or day <= v.effective_to) and v.variants:
                return v
        return None

    def receiving_for(self, competent, day: date, cross: bool = True):
        """Province procedures at the provincial service centre; commune ones mostly at the commune itself, some
        (`cross`) at another commune (boundary-free reception, domain guide lifecycle §7)."""
        if not _is_commune(competent):
            return self.centre or competent
        if cross and self.rng.random() < 0.12:
            others = [c for c in self.communes if self.valid(c, day)]
            return self.rng.choice(others) if others else competent
        return competent

    def next_code(self, unit: str, day: date) -> str:
        key = (unit, day)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.code_prefix + format_code(unit, day, self.counters[key])

    def applicant(self, kind: str) -> dict:
        rng = self.rng
        street = f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, {rng.choice(PLACES)}, tỉnh Bắc Ninh"
        if kind == "business" or (kind == "both" and rng.random() < 0.15):
            from stdnum.vn import mst

            tax = ""
            while not mst.is_valid(tax):  # some 9-digit bases have no valid check digit
                base = "23" + "".join(str(rng.randrange(10)) for _digit in range(7))
                tax = base + mst.calc_check_digit(base)
            return {"kind": "business", "name": f"Công ty TNHH {rng.choice(GIVEN_M)} {rng.choice(PLACES[:3])[7:]}",
                    "tax_code": tax, "phone": f"0222{rng.randrange(10**6):06d}",
                    "address": street, "representative": self._person_name()}
        born = rng.randint(1950, 2005)
        female = rng.random() < 0.5
        pid = f"027{(born // 100 - 19) * 2 + female}{born % 100:02d}{rng.randrange(10**6):06d}"
        return {"kind": "person", "name": self._person_name(female), "personal_id": pid,
                "phone": f"09{rng.randrange(10**8):08d}", "address": street}

    def _person_name(self, female: bool | None = None) -> str:
        female = self.rng.random() < 0.5 if female is None else female
        middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
        return f"{self.rng.choice(FAMILY)} {self.rng.choice(middle)} {self.rng.choice(given)}"

    def start_day(self, status: int) -> date:
        if status in OPEN:
            return self.ref - timedelta(days=self.rng.randint(3, 28))
        return self.ref - timedelta(days=self.rng.randint(75, 365))

    def one(self) -> dict:
        status = self.rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        horizon = datetime.combine(self.ref, time(0), tzinfo=clock.TZ)
        for _attempt in range(30):
            story = Story(self, self.rng.choice(self.choices), status, self.start_day(status))
            line = story.build()
            if line is not None and datetime.fromisoformat(line["history"][-1]["at"]) < horizon:
                return line
        raise RuntimeError("demo generator: no procedure in force for the chosen dates")


def build_records(n: int, *, ref: date | None = None, seed: int = SEED, code_prefix: str = "", cat=None) -> list:
    """n import lines (dicts) over the 12 months before `ref` (default: first day of this month)."""
    from motcua.dossiers.importer import Catalogue

    gen = Generator(cat or Catalogue(), ref or reference_date(), seed, code_prefix)
    if not gen.choices:
        return []
    return [gen.one() for _line in range(n)]


# -- the demo step -----------------------------------------------------------------------------------------------------
def load(stdout) -> None:
    from motcua.audit.context import acting_as
    from motcua.dossiers.importer import Catalogue, import_records
    from motcua.dossiers.models import DossierEvent

    if DossierEvent.objects.filter(data__imported=SOURCE).exists():
        stdout.write(_("Hồ sơ mẫu: đã có, bỏ qua.") + "\n")
        return
    records = build_records(N_IMPORTED)
    if not records:
        stdout.write(_("Hồ sơ mẫu: chưa có thủ tục hoặc đơn vị mẫu, bỏ qua.") + "\n")
        return
    with acting_as("demo"):
        report = import_records(records, source=SOURCE)
    if report.errors:
        raise RuntimeError("demo dossiers rejected by the importer: " + "; ".join(map(str, report.errors[:5])))
    live = load_live(Generator(Catalogue(), reference_date(), SEED + 1))
    stdout.write(_("Hồ sơ mẫu: %(n)d hồ sơ nhập, %(live)d hồ sơ đang xử lý qua quy trình.") % {
        "n": report.created, "live": live} + "\n")


# -- live dossiers through the engine ------------------------------------------------------------------------------------
N_LIVE = 30
# How far each live dossier goes: a prefix of receive → step 2 (assigned) → … → result ready, or a side branch.
PLANS = ["submitted", "received", "assigned", "supplement", "approval", "result", "extended"]


class Staff:
    """Demo staff by (role, agency): the account holding the role at the agency or its nearest ancestor."""

    def __init__(self):
        from motcua.accounts.demo import staff_plan
        from motcua.accounts.models import User
        from motcua.agencies.models import Agency

        users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in staff_plan()])}
        self.by_role: dict[tuple[str, int], object] = {}
        self.parent = dict(Agency.objects.values_list("pk", "parent_id"))
        codes = dict(Agency.objects.values_list("code", "pk"))
        for username, role, code in staff_plan():
            if username in users and code in codes:
                self.by_role.setdefault((role, codes[code]), users[username])

    def find(self, role: str, agency):
        pk = agency.pk if agency is not None else None
        while pk is not None:
            user = self.by_role.get((role, pk))
            if user is not None:
                return user
            pk = self.parent.get(pk)
        return None


class LiveStory:
    """One dossier received at a desk today-ish and moved along its process by the right officers."""

    def __init__(self, gen: Generator, staff: Staff, index: int, now: datetime):
        from motcua.agencies.models import Agency

        self.gen, self.staff, self.plan = gen, staff, PLANS[index % len(PLANS)]
        choice = gen.rng.choice(gen.choices)
        info = gen.rng.choice(choice.competent)
        self.cal = gen.cat.calendar(info)
        self.competent = Agency.objects.get(pk=info.pk)
        self.receiving = Agency.objects.get(pk=gen.receiving_for(info, timezone.localdate(), cross=False).pk)
        self.choice = choice
        back = (2 + index % 7) * self.cal.day_seconds + gen.rng.randint(0, 3) * 3600
        self.t = self.cal.instant_start(max(self.cal.w(now) - back, 0))

    def later(self, hours: float) -> datetime:
        return clock.add_working_seconds(self.cal, self.t, int(hours * 3600))

    def tick(self, hours: float = 1.5) -> datetime:
        self.t = clock.add_working_seconds(self.cal, self.t, int(hours * 3600))
        return self.t

    def run(self):
        from motcua.dossiers.services import create_dossier

        clerk = self.staff.find("reception", self.receiving)
        version = self.gen.version(self.choice.code, clock.to_local(self.t).date())
        if clerk is None or version is None:
            return None
        variant = self.gen.rng.choice(version.variants)
        from motcua.catalog.models import RequiredDocument

        docs = [{"required_document_id": r.pk, "name": r.name[:200], "copy_kind": "original"}
                for r in RequiredDocument.objects.filter(variant_id=variant.pk, required=True)]
        online = self.plan == "submitted"  # submitted online, waiting at the desk for reception (status 1)
        d, _created = create_dossier(
            actor=clerk, procedure=self.choice.code, variant=variant.pk, receiving_agency=self.receiving,
            competent_agency=self.competent, channel=2 if online else self.gen.rng.choice([1, 2, 3]),
            applicant=self.gen.applicant(self.choice.applicant_type), documents=docs, now=self.t,
            digitised=not online, receive=not online, vneid_authenticated=online)
        if not online:
            self.steps(d)
        return d

    def steps(self, d) -> None:
        """Move the dossier as far as its plan says, through the actions its current step allows (a step that
        lists neither forward nor hand_over keeps the dossier where it is)."""
        d = self.assign(d)
        if self.plan == "received":
            return
        if self.plan != "supplement" or "request_supplement" not in (d.current_step.actions or []):
            d = self.assign(self.advance(d))
        if self.plan == "supplement":
            self.try_act(d, "request_supplement", items=[self.gen.rng.choice(MISSING)], reason="Hồ sơ chưa đầy đủ")
        elif self.plan == "extended" and d.due_at is not None and self.later(2) < d.due_at:  # before the due
            new_due = self.cal.close_of(clock.to_local(clock.add_working_seconds(
                self.cal, d.due_at, 5 * self.cal.day_seconds)).date())
            self.try_act(d, "extend", "leader", reason="Cần xác minh thêm tại thực địa", new_due=new_due.isoformat())
        elif self.plan in ("approval", "result"):
            while not d.current_step.is_final:
                moved = self.advance(d)
                if moved.current_step_id == d.current_step_id:
                    break
                d = moved
            if self.plan == "result":
                self.try_act(d, "result_ready")

    def try_act(self, d, action: str, role: str | None = None, **params) -> bool:
        """Perform `action` if the current step allows it (step-listed actions only), as the officer holding
        `role` (default: the step's role) at the step's agency."""
        from motcua.dossiers.transitions import TRANSITIONS

        if d.current_step is None:
            return False
        if TRANSITIONS[action].step_listed and action not in (d.current_step.actions or []):
            return False
        self.act(d, action, role or d.current_step.role, **params)
        return True

    def step_agency(self, d, step=None):
        step = step or d.current_step
        return step.agency if step is not None and step.agency_id else d.competent_agency

    def act(self, d, action: str, role: str, **params):
        from motcua.dossiers.engine import perform

        user = self.staff.find(role, self.step_agency(d)) or self.staff.find(role, d.competent_agency)
        return perform(d, action, user, now=self.tick(), **params)

    def advance(self, d):
        from motcua.dossiers.models import Dossier

        nxt = d.variant.steps.filter(order__gt=d.current_step.order).select_related("agency").order_by("order").first()
        if nxt is None:
            return d
        action = "hand_over" if self.step_agency(d, nxt).pk != self.step_agency(d).pk else "forward"
        if not self.try_act(d, action):
            return d
        return Dossier.objects.select_related("current_step", "variant", "competent_agency").get(pk=d.pk)

    def assign(self, d):
        from motcua.dossiers.models import Dossier

        agency = self.step_agency(d)
        worker = self.staff.find(d.current_step.role, agency)
        boss = self.staff.find("leader", agency) or self.staff.find("reception", agency)
        if worker is not None and boss is not None:
            from motcua.dossiers.engine import perform

            perform(d, "assign", boss, assignee_id=worker.pk, now=self.tick(0.5))
        return Dossier.objects.select_related("current_step", "variant", "competent_agency").get(pk=d.pk)


def load_live(gen: Generator) -> int:
    """N_LIVE dossiers through the real engine; returns how many were created."""
    staff = Staff()
    now = timezone.now()
    created = 0
    for i in range(N_LIVE):
        if LiveStory(gen, staff, i, now).run() is not None:
            created += 1
    return created
