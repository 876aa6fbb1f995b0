"""Settings for the HTTP benchmarks only (bench/http_load.py): the bare floor endpoints of scale/bench_urls.py,
no lookup rate limit, no login lockout. Never use these settings for a real server."""

from motcua.settings import *  # noqa: F403
from motcua.settings import MOTCUA

ROOT_URLCONF = "motcua.scale.bench_urls"
MOTCUA = {**MOTCUA, "LOOKUP_RATE": "1000000/s"}
AXES_ENABLED = False
