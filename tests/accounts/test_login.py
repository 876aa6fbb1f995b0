import pytest
from django.contrib.auth.hashers import check_password

from motcua.accounts.models import User
from tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def officer(db):
    return UserFactory(username="cv.login", password="Dung-MatKhau-2026")


def post(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_right_password_logs_in(client, officer):
    response = post(client, "cv.login", "Dung-MatKhau-2026")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(officer.pk)


def test_wrong_password_shows_form_error(client, officer):
    response = post(client, "cv.login", "sai")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_five_failures_lock_the_account(client, officer):
    for _ in range(4):
        assert post(client, "cv.login", "sai-mat-khau").status_code == 200
    assert post(client, "cv.login", "sai-mat-khau").status_code == 429  # the 5th failure locks
    locked = post(client, "cv.login", "Dung-MatKhau-2026")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "tạm khóa" in locked.content.decode()
    # Another account from the same address is not affected (lockout is per username + IP).
    UserFactory(username="cv.khac", password="Khac-MatKhau-2026")
    assert post(client, "cv.khac", "Khac-MatKhau-2026").status_code == 302


def test_four_failures_do_not_lock(client, officer):
    for _ in range(4):
        post(client, "cv.login", "sai-mat-khau")
    assert post(client, "cv.login", "Dung-MatKhau-2026").status_code == 302


def test_password_is_hashed_with_the_default_hasher(settings, db):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # Django's default, not the fast test hasher
    user = User(username="cd.hash")
    user.set_password("Bi-Mat-2026")
    user.save()
    stored = User.objects.get(pk=user.pk).password
    assert "Bi-Mat-2026" not in stored
    assert stored.startswith("pbkdf2_sha256$")
    assert check_password("Bi-Mat-2026", stored)
