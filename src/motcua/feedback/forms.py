"""Field specifications of the PAKN web forms (public intake, officer intake, back-office actions).

Validation lives in `services` (one source for the web form, the officer form and the API); these only describe
what to render and turn the posted values into the services' parameters.
"""

from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Category, Channel

SENDER_FIELDS = [
    ("sender_name", "text", _("Họ và tên")),
    ("sender_address", "text", _("Địa chỉ")),
    ("sender_phone", "tel", _("Số điện thoại")),
    ("sender_email", "email", _("Thư điện tử")),
]
CONTENT_FIELDS = [
    ("title", "text", _("Tiêu đề")),
    ("content", "textarea", _("Nội dung phản ánh, kiến nghị")),
    ("dossier_code", "text", _("Mã hồ sơ liên quan (nếu có)")),
    ("officer_name", "text", _("Cán bộ, công chức bị phản ánh (nếu có)")),
]
# Which posted fields each back-office action reads: (name, widget, label, choices key or None).
ACTION_FIELDS = {
    "classify": [("category", "select", _("Phân loại"), "categories"),
                 ("officer", "text", _("Tên đăng nhập của cán bộ bị phản ánh (nếu có)"), None),
                 ("reason", "textarea", _("Lý do (bắt buộc nếu không thụ lý)"), None)],
    "reject": [("reason", "textarea", _("Lý do từ chối thụ lý"), None)],
    "forward": [("agency", "select", _("Cơ quan có thẩm quyền"), "agencies"),
                ("reason", "textarea", _("Ghi chú"), None)],
    "assign": [("assignee", "select", _("Cán bộ xử lý"), "assignees")],
    "request_supplement": [("reason", "textarea", _("Thông tin cần bổ sung"), None)],
    "receive_supplement": [("reason", "textarea", _("Ghi chú"), None)],
    "consult": [("to_user", "text", _("Xin ý kiến cán bộ (tên đăng nhập)"), None),
                ("to_agency", "select", _("hoặc xin ý kiến cơ quan"), "agencies_optional"),
                ("question", "textarea", _("Nội dung xin ý kiến"), None)],
    "draft_answer": [("answer", "textarea", _("Dự thảo nội dung trả lời"), None)],
    "return_draft": [("reason", "textarea", _("Lý do trả lại"), None)],
    "approve": [("reason", "textarea", _("Ý kiến lãnh đạo"), None)],
    "publish": [],
}
CATEGORY_CHOICES = Category.choices
STAFF_CHANNEL_CHOICES = [c for c in Channel.choices if c[0] != Channel.WEB] + [(Channel.WEB, Channel.WEB.label)]


def posted(data, names) -> dict:
    return {n: (data.get(n) or "").strip() for n in names}
