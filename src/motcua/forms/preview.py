"""`make forms-preview`: a PNG of every form (both template sets) into docs/forms/, from sample dossiers built
through the dossier engine in a throw-away SQLite database (the real database is never touched).

    .venv/bin/python -m motcua.forms.preview [OUTPUT_DIR]

Needs pdftoppm (poppler-utils, installed by scripts/system-deps.sh).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

# (template set, form number, sample dossier key or register period)
PLAN = [
    ("tt03_2025", "01", "received"), ("tt03_2025", "02", "supplement"), ("tt03_2025", "03", "refused"),
    ("tt03_2025", "04", "extended"), ("tt03_2025", "05", "stopped"), ("tt03_2025", "06", "delivered"),
    ("tt03_2025", "07", (date(2026, 2, 1), date(2026, 3, 31))),
    ("tt01_2018", "01", "old"), ("tt01_2018", "02", "old_supplement"), ("tt01_2018", "03", "old_refused"),
    ("tt01_2018", "04", "old"), ("tt01_2018", "05", "old"), ("tt01_2018", "06", (date(2025, 3, 1), date(2025, 3, 31))),
]


def setup_django(data_dir: str) -> None:
    os.environ["MOTCUA_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def to_png(pdf: bytes, target: Path, work: Path) -> None:
    src = work / "page.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(src),
                    str(target.with_suffix(""))], check=True)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0] if argv else "docs/forms").resolve()
    if not shutil.which("pdftoppm"):
        sys.exit("forms-preview: pdftoppm missing — run scripts/system-deps.sh (poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="motcua-forms-") as tmp:
        setup_django(tmp)
        from motcua.forms import samples
        from motcua.forms.context import form_context, register_context
        from motcua.forms.render import render_pdf

        world = samples.build_world()
        dossiers = samples.build_dossiers(world)
        for tset, number, source in PLAN:
            if isinstance(source, tuple):
                ctx = register_context(world["centre"], *source)
            else:
                ctx = form_context(dossiers[source], number)
            assert ctx["form"]["template_set"] == tset, (tset, number, source)
            target = out / f"{tset}-mau-{number}.png"
            to_png(render_pdf(ctx), target, Path(tmp))
            print(target)


if __name__ == "__main__":
    main()
