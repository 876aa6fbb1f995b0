"""The serif font the PDF forms embed: Times New Roman-compatible with every Vietnamese glyph.

Decree 30/2020 prescribes Times New Roman. Liberation Serif 2.x (Debian fonts-liberation2) and Tinos are
metric-compatible and cover Vietnamese; Liberation Serif 1.x (fonts-liberation) does NOT (no ơ, ư, ạ …), so fonts are
chosen by the glyphs they carry, not by family name alone: fontconfig is asked for a family holding U+1EA1 (ạ) and
U+01B0 (ư). settings.MOTCUA["FORMS_FONT_DIR"] may point at a folder of .ttf files instead (a province's own fonts).
scripts/system-deps.sh installs fonts-liberation2.
"""

import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

PREFERRED = ("Liberation Serif", "Tinos", "Times New Roman")
STYLES = {"normal-normal": "Regular", "bold-normal": "Bold", "normal-italic": "Italic", "bold-italic": "Bold Italic"}
VIETNAMESE_CHARSET = "1ea1 1b0 1a1 111"  # ạ ư ơ đ


@lru_cache(maxsize=4)
def _faces(font_dir: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """(family, ((weight, style, path), …)) of the first preferred family with Vietnamese glyphs."""
    if font_dir:
        files = sorted(Path(font_dir).glob("*.ttf"))
        found = _match_files(files)
        if found:
            return found
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", f":charset={VIETNAMESE_CHARSET}", "family", "style", "file"],
                             capture_output=True, text=True, timeout=20).stdout
        for family in PREFERRED:
            faces = []
            for line in out.splitlines():
                path, _, rest = line.partition(": ")
                families = rest.split(":style=")[0].split(",")
                style = rest.split(":style=")[1].split(",")[0] if ":style=" in rest else ""
                if family in families:
                    for key, name in STYLES.items():
                        if style == name:
                            weight, slant = key.split("-")
                            faces.append((weight, slant, path))
            if faces:
                return family, tuple(sorted(set(faces)))
    log.warning("No Vietnamese Times-compatible serif font found; run scripts/system-deps.sh (fonts-liberation2)")
    return "", ()


def _match_files(files: list[Path]):
    suffixes = {"Regular": ("normal", "normal"), "Bold": ("bold", "normal"), "Italic": ("normal", "italic"),
                "BoldItalic": ("bold", "italic")}
    faces = []
    for f in files:
        stem = f.stem.split("-")
        if len(stem) == 2 and stem[1] in suffixes:
            faces.append((*suffixes[stem[1]], str(f)))
    return ("MotCua Serif", tuple(faces)) if faces else None


def font_family() -> str:
    family, _faces_ = _faces(settings.MOTCUA.get("FORMS_FONT_DIR") or "")
    return "MotCua Serif" if _faces_ else (family or PREFERRED[0])


def font_face_css() -> str:
    """@font-face rules naming the exact files, so WeasyPrint never falls back to a font without Vietnamese."""
    _family, faces = _faces(settings.MOTCUA.get("FORMS_FONT_DIR") or "")
    rules = [f'@font-face {{ font-family: "MotCua Serif"; font-weight: {w}; font-style: {s}; '
             f'src: url("{Path(p).as_uri()}"); }}' for w, s, p in faces]
    return "\n".join(rules)


def has_vietnamese_font() -> bool:
    return bool(_faces(settings.MOTCUA.get("FORMS_FONT_DIR") or "")[1])
