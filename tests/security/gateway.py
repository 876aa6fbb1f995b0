"""Stand-in for a province's real payment gateway in the production-settings test: `check --deploy` rightly warns
while only the sandbox is configured, and a production deployment lists its bank's gateway instead."""


class ProvinceBankGateway:
    name = "province-bank"

    def start(self, payment) -> str:
        raise NotImplementedError("test stand-in: never called by `check --deploy`")

    def verify_callback(self, params: dict):
        raise NotImplementedError("test stand-in: never called by `check --deploy`")
