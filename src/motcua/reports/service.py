"""One call for every front end (CLI, API, page): the period report with its narrative paragraph."""

from motcua.reports.report import period_report
from motcua.reports.summary import summary_vi


def full_report(unit, date_from, date_to, *, by=None, definition="local") -> dict:
    report = period_report(unit, date_from, date_to, by=by or None, definition=definition)
    report["summary_vi"] = summary_vi(report)
    return report
