"""A real Prometheus watching the drill: Debian's prometheus with observability's scrape config and
every rule file (as observability/run-local and PlatformPrometheusIT run it, at 1 s intervals), or
the cluster's Prometheus by URL on minikube. Records when each alert went pending, firing, resolved."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

from .platform_process import free_ports

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OBSERVABILITY = os.path.join(HERE, "observability", "prometheus")
DEFAULT_PORTS = {"gateway": 9080, "auth": 9081, "image": 9082, "portal": 9083, "image-worker": 9084}


class LocalPrometheus:
    """prometheus on a free port over a temp dir; local.yml with this run's ports, 2 s scrapes, 1 s rule
    evaluation, no Alertmanager."""

    def __init__(self, management_ports, log_path):
        if not shutil.which("prometheus"):
            raise SystemExit("prometheus is missing: apt-get install prometheus")
        self.dir = tempfile.mkdtemp(prefix="drill-prometheus-")
        self.port = free_ports(1)[0]
        with open(os.path.join(OBSERVABILITY, "local.yml")) as f:
            config = f.read()
        # 2 s scrapes (timeout 2 s): a dependency that is down makes a scrape wait its probe timeout (1.5 s,
        # DependencyMeter), which a 1 s scrape would call a down target; rules evaluated every second.
        config = (config.replace("scrape_interval: 15s", "scrape_interval: 2s\n  scrape_timeout: 2s")
                  .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                  .replace("rules/*.yml", os.path.join(OBSERVABILITY, "rules") + "/*.yml"))
        config = re.sub(r"alerting:\n(  .*\n)+", "", config)  # pending/firing is Prometheus' own state
        for service, port in management_ports.items():
            config = config.replace(f"127.0.0.1:{DEFAULT_PORTS[service]}'", f"127.0.0.1:{port}'")
        self.config_path = os.path.join(self.dir, "prometheus.yml")
        with open(self.config_path, "w") as f:
            f.write(config)
        self.log = open(log_path, "w")
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s=60):
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={self.config_path}", f"--storage.tsdb.path={self.dir}/data",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            try:
                if query(self.url, 'count(up{job="shutterbus"} == 1)'):
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"prometheus exited with {self.process.returncode}; see {self.log.name}")
            time.sleep(0.5)
        raise SystemExit(f"prometheus did not scrape the platform within {timeout_s} s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def get(url, timeout_s=5):
    with urllib.request.urlopen(url, timeout=timeout_s) as r:
        return json.loads(r.read())


def query(base, expr):
    return get(f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["data"]["result"]


class AlertWatch:
    """Polls /api/v1/alerts every second: per alert name, first pending, first firing, and resolved
    (gone after having been seen), as offsets from t0."""

    def __init__(self, base, t0):
        self.base, self.t0 = base, t0
        self.seen = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True, name="drill-alerts")
        self.errors = 0

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)

    def _poll(self):
        while not self.stopping.wait(1):
            try:
                alerts = get(f"{self.base}/api/v1/alerts")["data"]["alerts"]
            except (OSError, ValueError):
                self.errors += 1
                continue
            now = round(time.time() - self.t0, 1)
            active = {}
            for a in alerts:
                name = a["labels"]["alertname"]
                if name == "Watchdog":
                    continue
                active.setdefault(name, set()).add(a["state"])
            for name, states in active.items():
                entry = self.seen.setdefault(name, {"pending_at_s": None, "firing_at_s": None, "resolved_at_s": None,
                                                    "labels": []})
                entry["resolved_at_s"] = None
                if entry["pending_at_s"] is None:
                    entry["pending_at_s"] = now
                if "firing" in states and entry["firing_at_s"] is None:
                    entry["firing_at_s"] = now
                entry["labels"] = sorted({a["labels"].get("service", a["labels"].get("slo", "")) for a in alerts
                                          if a["labels"]["alertname"] == name} | set(entry["labels"]))
            for name, entry in self.seen.items():
                if name not in active and entry["resolved_at_s"] is None:
                    entry["resolved_at_s"] = now

    def wait_resolved(self, name, timeout_s):
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            entry = self.seen.get(name)
            if entry is None or entry["resolved_at_s"] is not None:
                return
            time.sleep(0.5)


def burn_peaks(base, start, end):
    """Peak 5-minute burn rate per SLO over the drill: error ratio / (1 - objective)."""
    params = {"query": "max by (slo) (slo:sli_error:ratio_rate5m)", "start": start, "end": end, "step": "1"}
    try:
        ratios = get(f"{base}/api/v1/query_range?" + urllib.parse.urlencode(params))["data"]["result"]
        objectives = {r["metric"].get("slo"): float(r["value"][1]) for r in query(base, "max by (slo) (slo:objective:ratio)")}
    except (OSError, ValueError, KeyError):
        return None
    out = {}
    for r in ratios:
        slo = r["metric"].get("slo")
        peak = max((float(v) for _, v in r["values"] if v not in ("NaN", "+Inf")), default=0.0)
        budget = 1 - objectives.get(slo, 0.999)
        out[slo] = {"peak_error_ratio_5m": round(peak, 5), "peak_burn_rate_5m": round(peak / budget, 1) if budget else None}
    return out
