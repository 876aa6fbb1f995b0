"""Driving the submission pages with the Django test client (shared by several test modules)."""

import re

from tests.portal_citizen.files import pdf

APPLICANT = {"name": "Trần Thị Bình", "phone": "0912 345 678", "email": "binh@example.vn",
             "address": "Số 1 Lý Thái Tổ, phường Kinh Bắc"}


def start(client, code: str) -> str:
    """Open the submission of `code`; returns the draft's applicant-step URL."""
    response = client.get(f"/nop-ho-so/{code}/")
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def step_url(applicant_url: str, step: str) -> str:
    return re.sub(r"/[a-z-]+/$", f"/{step}/", applicant_url)


def fill_all(client, variant, code: str = "1.000894", delivery=None) -> str:
    """Applicant → uploads (one real PDF per checklist item) → delivery; returns the review URL."""
    url = start(client, code)
    assert client.post(url, {**APPLICANT, "action": "next"}).status_code == 302
    files = {f"doc_{d.pk}": pdf(f"giay-to-{d.pk}.pdf") for d in variant.documents.all()}
    response = client.post(step_url(url, "giay-to"), {**files, "action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(step_url(url, "nhan-ket-qua"), {**(delivery or {"method": "counter"}), "action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return step_url(url, "xem-lai")


def submit(client, variant, code: str = "1.000894"):
    """The whole flow; returns the dossier code from the confirmation URL and the confirmation response."""
    review = fill_all(client, variant, code)
    response = client.post(review, {"action": "submit"})
    assert response.status_code == 302, response.content.decode()[:3000]
    confirmation = client.get(response["Location"])
    dossier_code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return dossier_code, confirmation
