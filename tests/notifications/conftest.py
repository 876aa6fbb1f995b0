from tests.payments.world import make_dossier, world  # noqa: F401
