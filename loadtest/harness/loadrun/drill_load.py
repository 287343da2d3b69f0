"""A drill's own load: an open-model stream of registrations and uploads whose every 2xx is written
in a ledger (checked after recovery), a /api/me probe every 100 ms (the first 503, the first
success) and the readiness of every service every 100 ms. Runs beside Gatling here or the k6 Job on
minikube: the ledger and the probes are the same in both places."""
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from . import api_client, pictures
from .samples import Sample

PROBE_PERIOD_S = 0.1


class Ledger:
    """What the platform accepted (2xx) and must still have, processed once, after recovery."""

    def __init__(self):
        self.lock = threading.Lock()
        self.users = []        # (id, email) of 201 registrations
        self.images = []       # (image id, account index) of 202 uploads
        self.unanswered = {"register": 0, "upload": 0}  # no answer: may or may not have been accepted

    def add_user(self, user_id, email):
        with self.lock:
            self.users.append((user_id, email))

    def add_image(self, image_id, account):
        with self.lock:
            self.images.append((image_id, account))


class DrillLoad:
    """Threads that load and watch the platform until stop(); samples are (offset from t0, ...)."""

    def __init__(self, base_url, readiness, readiness_period_s, upload_rate, register_period_s, accounts=4, workers=48):
        self.api = api_client.Shutterbus(base_url, timeout_s=10)
        self.probe_api = api_client.Shutterbus(base_url, timeout_s=2)
        self.readiness_fn = readiness            # () -> {service: ready}
        self.readiness_period_s = readiness_period_s
        self.services = sorted(readiness())
        self.upload_rate = upload_rate
        self.register_period_s = register_period_s
        self.multiplier = 1.0
        self.ledger = Ledger()
        self.samples = []
        self.readiness = []     # (offset, service, up)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="drill-load")
        self.accounts = [self._account(i) for i in range(accounts)]
        self.probe_token = self.accounts[0]
        self.t0 = None
        self.threads = []
        self.seed = int(time.time() * 1000) % 1_000_000_000

    def _account(self, i):
        email, password = self.api.new_account(f"drill{i}")
        return self.api.login(email, password)

    def start(self, t0):
        self.t0 = t0
        for target in (self._uploads, self._registrations, self._probe, self._ready):
            t = threading.Thread(target=target, daemon=True, name=f"drill-{target.__name__}")
            t.start()
            self.threads.append(t)
        return self

    def set_multiplier(self, m):
        self.multiplier = m

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=15)
        self.pool.shutdown(wait=True)

    def _record(self, name, started, status, ok):
        with self.lock:
            self.samples.append(Sample(started - self.t0, name, status, (time.time() - started) * 1000, "drill", ok))

    def _uploads(self):
        """Open model: arrivals at upload_rate x multiplier per second, whatever the answers take."""
        next_at, n = time.time(), 0
        while not self.stopping.is_set():
            now = time.time()
            if now < next_at:
                time.sleep(min(0.05, next_at - now))
                continue
            account = n % len(self.accounts)
            n += 1
            self.pool.submit(self._upload, account, self.seed + n)
            next_at += 1.0 / (self.upload_rate * self.multiplier)
            next_at = max(next_at, now - 1)   # a stalled scheduler does not burst to catch up

    def _upload(self, account, seed):
        body = pictures.multipart("image", "drill.png", "image/png", pictures.png(48, 32, seed))
        started = time.time()
        status, answer = self._send("POST", "/api/images", body, {
            "authorization": f"Bearer {self.accounts[account]}", "content-type": pictures.MULTIPART_CONTENT_TYPE})
        self._record("upload", started, status, status in (202, 503))
        if status == 202:
            self.ledger.add_image(json.loads(answer)["id"], account)
        elif status == 0:
            with self.ledger.lock:
                self.ledger.unanswered["upload"] += 1

    def _registrations(self):
        while not self.stopping.wait(self.register_period_s / max(1.0, self.multiplier)):
            self.pool.submit(self._register)

    def _register(self):
        email = f"drill-{uuid.uuid4().hex[:12]}@example.com"
        started = time.time()
        status, answer = self._send("POST", "/api/auth/register", json.dumps(
            {"email": email, "password": api_client.PASSWORD, "name": "drill"}), {"content-type": "application/json"})
        self._record("register", started, status, status in (201, 503))
        if status == 201:
            self.ledger.add_user(json.loads(answer)["id"], email)
        elif status == 0:
            with self.ledger.lock:
                self.ledger.unanswered["register"] += 1

    def _probe(self):
        while not self.stopping.wait(PROBE_PERIOD_S):
            started = time.time()
            status, _ = self._send("GET", "/api/me", None, {"authorization": f"Bearer {self.probe_token}"},
                                   api=self.probe_api)
            self._record("probe_me", started, status, status in (200, 503))

    def _ready(self):
        while not self.stopping.wait(self.readiness_period_s):
            now = time.time() - self.t0
            try:
                states = self.readiness_fn()
            except (OSError, RuntimeError, ValueError):
                continue
            for service, up in states.items():
                self.readiness.append((now, service, up))

    def _send(self, method, path, body, headers, api=None):
        try:
            status, _, answer = (api or self.api).request(method, path, body, headers)
            return status, answer
        except OSError:
            return 0, b""


def http_status(url, timeout_s):
    """The status of a GET, 0 when nothing answered."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0
