"""The `motcua` console script: Django management with MotCua's settings.

`motcua --help` lists every command; `motcua demo`, `motcua serve`, `motcua deadline`, ... are management commands
of the apps under motcua/.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in {"--help", "-h"}:
        argv = [argv[0], "help"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
