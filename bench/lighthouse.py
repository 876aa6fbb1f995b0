"""Lighthouse (performance, accessibility, best practices) on the public pages, in Debian's Chromium.

    .venv/bin/python -m bench.lighthouse                 # demo data in a temporary SQLite file, server on :8765
    .venv/bin/python -m bench.lighthouse --pages /tra-cuu/ /

Installs the `lighthouse` npm package into var/bench-tools on first use (not needed by `make test`), loads the demo
into a throw-away data directory, starts `motcua serve` and audits each page in the mobile profile (Lighthouse's
default: throttled 4G, mid-range phone). Targets (portal issue): accessibility 100 and performance ≥ 90 on the
lookup page.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.results import figure

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "var" / "bench-tools"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")


def lighthouse_bin() -> Path:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--silent",
                        "lighthouse@13"], check=True)
    return binary


def wait_for(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"server did not answer at {url}")


def audit(binary: Path, url: str, out: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=--headless=new --no-sandbox"], check=True, env=env)
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    metrics = {m: report["audits"][m].get("displayValue", "") for m in METRICS}
    return {**scores, **metrics}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="*", default=["/tra-cuu/", "/", "/thu-tuc/?q=dang+ky+khai+sinh"])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    binary = lighthouse_bin()
    motcua = str(Path(sys.executable).with_name("motcua"))
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, MOTCUA_DATA_DIR=data, DATABASE_URL="")
        subprocess.run([motcua, "migrate", "--noinput", "-v0"], check=True, env=env)
        subprocess.run([motcua, "demo"], check=True, env=env, stdout=subprocess.DEVNULL)
        log = (Path(data) / "server.log").open("w")
        server = subprocess.Popen([motcua, "serve", "--port", str(args.port)], env=env, stdout=log, stderr=log)
        try:
            base = f"http://127.0.0.1:{args.port}"
            wait_for(base + "/tra-cuu/")
            print(f"{'page':<36} {'perf':>5} {'a11y':>5} {'best':>5}  FCP / LCP / TBT / CLS")
            for page in args.pages:
                r = audit(binary, base + page, Path(data) / "lighthouse.json")
                print(f"{page:<36} {r['performance']:>5} {r['accessibility']:>5} {r['best-practices']:>5}  "
                      + " / ".join(str(r[m]) for m in METRICS))
                figure(f"Lighthouse performance score of {page}", r["performance"], "/ 100",
                       target=90)
                figure(f"Lighthouse accessibility score of {page}", r["accessibility"], "/ 100", target=90)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
