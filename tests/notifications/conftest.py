from tests.payments.world import _fast_password_hashing, make_dossier, world  # noqa: F401
