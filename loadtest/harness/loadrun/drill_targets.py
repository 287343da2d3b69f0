"""Where a drill's faults happen. Local: the one-command platform started for the drill with its drill
console (the embedded PostgreSQL and Kafka stopped and started through its stdin) and the image
worker as its own process (so it can get a real kill -9, as a pod does). Minikube: kubectl against
the manifests (scale to 0, a NetworkPolicy cut-off, a forced pod delete). Both give the same
interface to the drill: readiness, fault/repair, SQL counts, event tails, a background load."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import gatling_runs
from .drill_load import http_status
from .platform_process import MANAGEMENT_PORTS, PlatformProcess

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SERVICE_PORTS = {"gateway": "GATEWAY_MANAGEMENT_PORT", "auth": "AUTH_MANAGEMENT_PORT", "image": "IMAGE_MANAGEMENT_PORT",
                 "portal": "PORTAL_MANAGEMENT_PORT", "image-worker": "IMAGE_WORKER_MANAGEMENT_PORT"}
WORKER_MAIN = "io.shutterbus.image.ImageWorkerService"


class LocalTarget:
    kind = "local"

    def __init__(self, jar, raw, worker_env=None):
        self.raw = raw
        self.worker_env = worker_env or {}
        self.platform = PlatformProcess(os.path.abspath(jar), os.path.join(raw, "platform.log"), extra_env={
            "SHUTTERBUS_DRILL_CONSOLE": "stdin", "SHUTTERBUS_SKIP_SERVICES": "image-worker"})
        self.worker = None
        self.worker_starts = 0
        self.pool = ThreadPoolExecutor(max_workers=len(SERVICE_PORTS), thread_name_prefix="drill-ready")
        self.fault_cleanup = None

    def start(self):
        self.platform.start()
        self.start_worker()
        return self

    @property
    def base_url(self):
        return self.platform.base_url

    @property
    def management_ports(self):
        return {s: int(self.platform.env[v]) for s, v in SERVICE_PORTS.items()}

    @property
    def metrics_urls(self):
        return [f"http://127.0.0.1:{self.platform.env[p]}/metrics" for p in MANAGEMENT_PORTS]

    def readiness(self):
        """service -> GET /health/ready answered 200, asked of every service at once (a probe of a down
        dependency takes up to its 1.5 s timeout; 3 s here so the answer, not our patience, decides)."""
        ports = self.management_ports
        answers = self.pool.map(lambda p: http_status(f"http://127.0.0.1:{p}/health/ready", 3) == 200, ports.values())
        return dict(zip(ports, answers))

    readiness_period_s = 0.1

    def start_worker(self, timeout_s=120):
        """The image worker as its own JVM on the platform's PostgreSQL, Kafka and store, as its Deployment runs it."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PG_", "KAFKA_"))}
        p = self.platform.env
        env.update({"PG_HOST": "127.0.0.1", "PG_PORT": p["EMBEDDED_PG_PORT"], "PG_DATABASE": "shutterbus",
                    "PG_USER": "postgres", "PG_PASSWORD": "embedded-trusts-loopback",
                    "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{p['EMBEDDED_KAFKA_PORT']}",
                    "SHUTTERBUS_DATA_DIR": self.platform.data_dir, "SHUTTERBUS_BIND_HOST": "127.0.0.1",
                    "IMAGE_WORKER_MANAGEMENT_PORT": p["IMAGE_WORKER_MANAGEMENT_PORT"],
                    "PG_CONNECT_TIMEOUT_MS": p.get("PG_CONNECT_TIMEOUT_MS", "10000")})
        env.update(self.worker_env)
        self.worker_starts += 1
        log = open(os.path.join(self.raw, f"image-worker-{self.worker_starts}.log"), "w")
        self.worker = subprocess.Popen(["java", "-Xmx256m", "-cp", self.platform.jar, WORKER_MAIN], env=env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{p['IMAGE_WORKER_MANAGEMENT_PORT']}/health/ready"
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if http_status(url, 1) == 200:
                return time.time()
            if self.worker.poll() is not None:
                raise SystemExit(f"the image worker exited with {self.worker.returncode}: see {log.name}")
            time.sleep(0.2)
        raise SystemExit(f"the image worker was not ready within {timeout_s} s: see {log.name}")

    def fault(self, drill):
        """(when the fault began, when the dependency was gone): the drill times everything from the first."""
        t = time.time()
        if drill == "postgres-down":
            return t, self.platform.drill("postgres stop")
        if drill == "kafka-down":
            return t, self.platform.drill("kafka stop", timeout_s=120)
        if drill == "worker-killed":
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait(timeout=10)
            return t, time.time()
        raise ValueError(drill)

    def repair(self, drill):
        """(when the repair began, when the dependency was back): the drill times recovery from the first."""
        t = time.time()
        if drill == "postgres-down":
            return t, self.platform.drill("postgres start")
        if drill == "kafka-down":
            return t, self.platform.drill("kafka start", timeout_s=120)
        if drill == "worker-killed":
            return t, self.start_worker()   # the restart is the repair (a Deployment starts a new pod)
        raise ValueError(drill)

    def pids(self):
        """Processes that must not have restarted (the platform: no restart needed to recover)."""
        return {"platform": self.platform.process.pid}

    def sql(self, query):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", self.platform.env["EMBEDDED_PG_PORT"], "-U", "postgres",
                               "-d", "shutterbus", "-Atc", query], capture_output=True, text=True, check=True).stdout

    def tail(self, topic):
        jar = os.path.join(HERE, "events", "target", "shutterbus-events.jar")
        done = subprocess.run(["java", "-jar", jar, "--bootstrap-server", f"127.0.0.1:{self.platform.env['EMBEDDED_KAFKA_PORT']}",
                               "tail", topic, "--from-beginning", "--json", "--unmask"], capture_output=True, text=True, timeout=120)
        return done.stdout.splitlines()

    def background_load(self, seconds, rate, raw):
        """Gatling's journey for `seconds` in a thread; join() gives its samples (offsets from its own start)."""
        return GatlingInThread(self.base_url, seconds, rate, raw).start()

    def stop(self):
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        self.platform.stop()
        self.pool.shutdown()


class GatlingInThread:
    def __init__(self, base, seconds, rate, raw):
        self.args = (base, seconds, rate, raw)
        self.result = ([], None, None)
        self.thread = threading.Thread(target=self._run, daemon=True, name="drill-gatling")
        self.started_at = None

    def start(self):
        self.started_at = time.time()
        self.thread.start()
        return self

    def _run(self):
        base, seconds, rate, raw = self.args
        self.result = gatling_runs.run("journey", base, int(seconds), rate, raw, latency_assertions=False)

    def join(self, timeout_s):
        self.thread.join(timeout=timeout_s)
        return self.result


class MinikubeTarget:
    """The platform deployed from manifests/overlays/minikube (namespace shutterbus). Faults with kubectl:
    postgres-down scales the StatefulSet to 0, kafka-down cuts the broker off with its NetworkPolicy (needs
    a CNI that enforces policies: minikube --cni=calico), worker-killed force-deletes the worker's pods."""
    kind = "minikube"
    readiness_period_s = 1.0
    DEPLOYMENTS = ["gateway", "auth", "image", "image-worker", "portal"]

    def __init__(self, base_url, namespace, raw):
        self.base_url = base_url.rstrip("/")
        self.ns = namespace
        self.raw = raw
        self.saved_kafka_ingress = None
        self.k6_job = None

    def kubectl(self, *args, stdin=None, check=True):
        done = subprocess.run(["kubectl", "-n", self.ns, *args], input=stdin, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"kubectl {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self):
        self.kubectl("get", "deployment", "gateway")
        return self

    management_ports = {}
    metrics_urls = []

    def readiness(self):
        """service -> at least one Ready pod (kubectl, 1 s period)."""
        pods = json.loads(self.kubectl("get", "pods", "-o", "json"))["items"]
        ready = {s: False for s in self.DEPLOYMENTS}
        for pod in pods:
            name = pod["metadata"].get("labels", {}).get("app.kubernetes.io/name")
            conditions = {c["type"]: c["status"] for c in pod.get("status", {}).get("conditions", [])}
            if name in ready and conditions.get("Ready") == "True" and not pod["metadata"].get("deletionTimestamp"):
                ready[name] = True
        return ready

    def fault(self, drill):
        t = time.time()
        if drill == "postgres-down":
            self.kubectl("scale", "statefulset/postgres", "--replicas=0")
        elif drill == "kafka-down":
            policy = json.loads(self.kubectl("get", "networkpolicy", "kafka", "-o", "json"))
            self.saved_kafka_ingress = policy["spec"].get("ingress", [])
            self.kubectl("patch", "networkpolicy", "kafka", "--type=json",
                         "-p", json.dumps([{"op": "replace", "path": "/spec/ingress", "value": []}]))
        elif drill == "worker-killed":
            self.kubectl("delete", "pod", "-l", "app.kubernetes.io/name=image-worker", "--grace-period=0", "--force",
                         "--wait=false")
        else:
            raise ValueError(drill)
        return t, None

    def repair(self, drill):
        t = time.time()
        if drill == "postgres-down":
            self.kubectl("scale", "statefulset/postgres", "--replicas=1")
        elif drill == "kafka-down":
            self.kubectl("patch", "networkpolicy", "kafka", "--type=json",
                         "-p", json.dumps([{"op": "replace", "path": "/spec/ingress", "value": self.saved_kafka_ingress}]))
        elif drill == "worker-killed":
            pass   # the Deployment replaces the pod by itself: the repair is Kubernetes', timed from the kill
        else:
            raise ValueError(drill)
        return t, None

    def pids(self):
        """Restart counts of the services' containers: recovering must not need one."""
        pods = json.loads(self.kubectl("get", "pods", "-o", "json"))["items"]
        return {p["metadata"]["name"]: sum(c.get("restartCount", 0) for c in p["status"].get("containerStatuses", []))
                for p in pods if p["metadata"].get("labels", {}).get("app.kubernetes.io/name") in
                ("gateway", "auth", "image", "portal")}

    def sql(self, query):
        return self.kubectl("exec", "statefulset/postgres", "--", "sh", "-c",
                            'psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Atc "$0"', query)

    def tail(self, topic):
        return None    # events are counted here only (the broker's image has no JSON tail); rows still are

    def background_load(self, seconds, rate, raw):
        return K6Job(self, seconds, rate, raw).start()

    def stop(self):
        if self.saved_kafka_ingress is not None:
            self.repair("kafka-down")


class K6Job:
    """The k6 component's Job (journey at `rate` for `seconds`), rendered through a throw-away overlay of
    the minikube one (which needs its secrets/, written by manifests/secrets.sh) so it is exactly what
    manifests/components/k6 ships."""

    def __init__(self, target, seconds, rate, raw):
        self.target, self.seconds, self.rate, self.raw = target, int(seconds), rate, raw

    def start(self):
        overlay = tempfile.mkdtemp(prefix="drill-k6-", dir=os.path.join(HERE, "manifests", "overlays"))
        with open(os.path.join(overlay, "kustomization.yaml"), "w") as f:
            f.write(f"""apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Kustomization
resources: [../minikube]
components: [../../components/k6]
patches:
  - target: {{kind: Job, name: k6-load}}
    patch: |-
      - op: replace
        path: /spec/template/spec/containers/0/env
        value:
          - {{name: K6_SCENARIO, value: journey}}
          - {{name: BASE_URL, value: "http://gateway:8080"}}
          - {{name: RATE, value: "{self.rate}"}}
          - {{name: DURATION, value: "{self.seconds}s"}}
""")
        try:
            rendered = subprocess.run(["kubectl", "kustomize", overlay], capture_output=True, text=True, check=True).stdout
        finally:
            shutil.rmtree(overlay, ignore_errors=True)
        # The whole overlay: the component also patches the gateway (its buckets, its NetworkPolicy).
        self.target.kubectl("delete", "job", "k6-load", "--ignore-not-found", "--wait=true")
        self.target.kubectl("apply", "-f", "-", stdin=rendered)
        return self

    def join(self, timeout_s):
        self.target.kubectl("wait", "--for=condition=complete", "job/k6-load", f"--timeout={int(timeout_s)}s", check=False)
        with open(os.path.join(self.raw, "k6-summary.txt"), "w") as f:
            f.write(self.target.kubectl("logs", "job/k6-load", check=False))
        return [], None, None   # k6's figures are in its summary (raw/k6-summary.txt), not per request here
