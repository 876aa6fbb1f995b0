"""Citizen and business registration; logging in afterwards with the existing login page."""

import pytest

from motcua.accounts.models import AccountKind, User

pytestmark = pytest.mark.django_db
GOOD = {"full_name": "Nguyễn Thị Hoa", "login": "hoa@example.vn", "personal_id": "027302001234",
        "birth_date": "15/04/2002", "password1": "Hoa-sen-2024!", "password2": "Hoa-sen-2024!"}


def test_citizen_registers_with_email_and_is_logged_in(client):
    response = client.post("/dang-ky/", GOOD)
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    user = User.objects.get(username="hoa@example.vn")
    assert user.kind == AccountKind.CITIZEN and user.email == "hoa@example.vn"
    assert user.personal_id == "027302001234" and user.birth_date.isoformat() == "2002-04-15"
    assert not user.eid_verified
    assert client.get("/ho-so-cua-toi/").status_code == 200


def test_citizen_registers_with_phone_and_logs_in_with_it(client):
    response = client.post("/dang-ky/", {**GOOD, "login": "+84 912 000 111", "next": "/nop-ho-so/1.000894/"})
    assert response["Location"] == "/nop-ho-so/1.000894/"
    user = User.objects.get(username="0912000111")
    assert user.phone == "0912000111" and user.email == ""
    client.logout()
    login = client.post("/accounts/login/", {"username": "0912000111", "password": GOOD["password1"]})
    assert login.status_code == 302


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"personal_id": "12345"}, "personal_id", "phải gồm đúng 12 chữ số"),
    ({"personal_id": "999302001234"}, "personal_id", "3 chữ số đầu"),
    ({"birth_date": "15/04/1990"}, "birth_date", "không khớp với ngày sinh"),
    ({"login": "khong-phai-email@"}, "login", "thư điện tử không hợp lệ"),
    ({"login": "12345"}, "login", "số điện thoại di động"),
    ({"password2": "khac-nhau-1!"}, "password2", "không khớp"),
    ({"password1": "12345678", "password2": "12345678"}, "password1", ""),
    ({"birth_date": "2002-15-40"}, "birth_date", ""),
])
def test_citizen_registration_errors_name_the_field(client, changes, field, message):
    response = client.post("/dang-ky/", {**GOOD, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert not User.objects.exists()


def test_duplicate_personal_id_and_login_are_refused(client, citizen):
    response = client.post("/dang-ky/", {**GOOD, "personal_id": citizen.personal_id, "birth_date": "01/03/2003",
                                         "login": citizen.username})
    errors = response.context["form"].errors
    assert "đã có tài khoản" in errors["personal_id"][0] and "Đã có tài khoản" in errors["login"][0]


def test_business_registers_with_tax_code_as_username(client):
    response = client.post("/dang-ky/doanh-nghiep/", {
        "full_name": "Công ty TNHH Kinh Bắc", "tax_code": "0100109106", "email": "kt@kinhbac.vn",
        "phone": "0222 3812 345", "password1": "Kinh-Bac-2024!", "password2": "Kinh-Bac-2024!"})
    assert response.status_code == 302
    user = User.objects.get(username="0100109106")
    assert user.kind == AccountKind.BUSINESS and user.tax_code == "0100109106"
    client.logout()
    assert client.post("/accounts/login/", {"username": "0100109106", "password": "Kinh-Bac-2024!"}).status_code == 302


def test_business_tax_code_checksum(client):
    response = client.post("/dang-ky/doanh-nghiep/", {
        "full_name": "Công ty X", "tax_code": "0100109107", "email": "a@b.vn", "password1": "Kinh-Bac-2024!",
        "password2": "Kinh-Bac-2024!"})
    assert "chữ số kiểm tra" in response.context["form"].errors["tax_code"][0]


def test_registration_page_is_labelled(client):
    body = client.get("/dang-ky/").content.decode()
    assert '<label for="id_personal_id"' in body and "Ngày sinh (dd/mm/yyyy)" in body
