"""The REST API under /api/v1/: one NinjaAPI, one router per bounded context."""

from ninja import NinjaAPI

from motcua.core.api_errors import install_error_handlers

api = NinjaAPI(
    title="MotCua API",
    version="1.0.0",
    description="API một cửa: thủ tục hành chính, hồ sơ, thống kê.",
    urls_namespace="api-v1",
)
install_error_handlers(api)


def _register() -> None:
    from motcua.agencies.api import router as agencies
    from motcua.catalog.api import router as catalog
    from motcua.dossiers.api import router as dossiers
    from motcua.reports.api import router as reports
    from motcua.worktime.api import router as worktime

    api.add_router("/agencies", agencies)
    api.add_router("/procedures", catalog)
    api.add_router("/worktime", worktime)
    api.add_router("/dossiers", dossiers)
    api.add_router("/reports", reports)
    api.add_router("/feedback", "motcua.feedback.api.router")
    api.add_router("/indices", "motcua.indices.api.router")
    api.add_router("/federation", "motcua.federation.api.router")


_register()
