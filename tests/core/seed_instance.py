"""Run in a subprocess by the backup and durability tests: migrate an empty instance (MOTCUA_DATA_DIR /
DATABASE_URL from the environment) and give it a province, a procedure, a desk officer and an API client.

    python tests/core/seed_instance.py [--dossiers N] [--token-file PATH]

With --dossiers, N dossiers are received (one scanned file each, every other one forwarded) and the audit streams
sealed; with --token-file, the API client's bearer token is written there.
"""

import argparse

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from motcua.accounts.models import Role  # noqa: E402
from motcua.audit.checkpoints import checkpoint  # noqa: E402
from motcua.dossiers.engine import perform  # noqa: E402
from motcua.dossiers.models import ApiClient  # noqa: E402
from motcua.dossiers.services import create_dossier  # noqa: E402
from tests.dossiers.conftest import APPLICANT, at, build_procedure  # noqa: E402
from tests.factories import build_small_province, staff  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=0)
    parser.add_argument("--token-file")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    province = build_small_province()
    procedure, variant = build_procedure(province)
    tn = staff("tn", province["centre"], Role.RECEPTION)
    docs = [{"required_document_id": d.pk, "name": d.name, "copy_kind": "original"}
            for d in variant.documents.filter(required=True)]
    for i in range(args.dossiers):
        dossier, _ = create_dossier(actor=tn, procedure=procedure.code, receiving_agency=province["centre"],
                                    applicant=APPLICANT, documents=docs, now=at(2026, 3, 2, 9, i))
        dossier.documents.first().file.save(f"scan-{i}.pdf", ContentFile(b"%PDF-1.4 seed " + str(i).encode()))
        if i % 2:
            perform(dossier, "forward", tn)
    if args.dossiers:
        checkpoint()
    if args.token_file:
        client = ApiClient(name="Bưu điện tỉnh", roles=["reception"])
        token = client.set_token()
        client.save()
        client.agencies.add(province["centre"])
        with open(args.token_file, "w") as fh:
            fh.write(token)
    print("seeded")


main()
