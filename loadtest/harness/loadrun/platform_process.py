"""The one-command platform (platform/target/shutterbus.jar) started for one run and stopped after it."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

PORT_VARIABLES = [
    "GATEWAY_PORT", "GATEWAY_MANAGEMENT_PORT", "AUTH_PORT", "AUTH_MANAGEMENT_PORT", "IMAGE_PORT",
    "IMAGE_MANAGEMENT_PORT", "PORTAL_PORT", "PORTAL_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT",
    "EMBEDDED_PG_PORT", "EMBEDDED_KAFKA_PORT", "EMBEDDED_KAFKA_CONTROLLER_PORT"]
MANAGEMENT_PORTS = ["GATEWAY_MANAGEMENT_PORT", "AUTH_MANAGEMENT_PORT", "IMAGE_MANAGEMENT_PORT",
                    "PORTAL_MANAGEMENT_PORT", "IMAGE_WORKER_MANAGEMENT_PORT"]

# Limits a load run must lift, each said in the report: the login and register buckets are per client
# address and every virtual user here shares 127.0.0.1; the per-user quota would stop upload runs.
# PG_CONNECT_TIMEOUT_MS: with the 1.5 s default, a pool acquire that times out while the machine is
# starved can race the connection's arrival ("Promise already completed" in Vert.x 5.0.7's
# SqlConnectionPool) and a service's start never completes; 10 s keeps that race out of load runs.
LOAD_RUN_OVERRIDES = {
    "PG_CONNECT_TIMEOUT_MS": "10000",
    "GATEWAY_LOGIN_RATE_PER_MINUTE": "1000000", "GATEWAY_LOGIN_BURST": "1000000",
    "GATEWAY_REGISTER_RATE_PER_MINUTE": "1000000", "GATEWAY_REGISTER_BURST": "1000000",
    "IMAGE_QUOTA_COUNT": "10000000", "IMAGE_QUOTA_BYTES": "1099511627776",
    # a drill holds one access token for its whole run: 1 h, the longest auth accepts (default 15 min)
    "AUTH_ACCESS_TOKEN_TTL_SECONDS": "3600",
}
BLOCKED_THREAD_MARK = "has been blocked for"
LAUNCHER = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "bin", "shutterbus"))


def free_ports(count):
    """Distinct ports the kernel calls free now; all sockets are held until every port is chosen."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class PlatformProcess:
    """java -jar shutterbus.jar on free ports and a throw-away data dir, as a user starts it."""

    def __init__(self, jar, log_path, extra_env=None):
        if not os.path.isfile(jar):
            raise SystemExit(f"{jar} is missing: build it first with `mvn -B -q -DskipTests package`")
        self.jar = jar
        self.log_path = log_path
        self.data_dir = tempfile.mkdtemp(prefix="loadtest-platform-")
        self.env = dict(zip(PORT_VARIABLES, map(str, free_ports(len(PORT_VARIABLES)))))
        self.env.update({
            "SHUTTERBUS_DATA_DIR": self.data_dir, "SHUTTERBUS_BIND_HOST": "127.0.0.1",
            "AUTH_URL": f"http://127.0.0.1:{self.env['AUTH_PORT']}",
            "IMAGE_URL": f"http://127.0.0.1:{self.env['IMAGE_PORT']}",
            "PORTAL_URL": f"http://127.0.0.1:{self.env['PORTAL_PORT']}",
        })
        self.env.update(LOAD_RUN_OVERRIDES)
        self.env.update(extra_env or {})
        self.lines = []
        self.process = None
        self.failed_starts = []

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"

    @property
    def metrics_urls(self):
        return [f"http://127.0.0.1:{self.env[p]}/metrics" for p in MANAGEMENT_PORTS]

    @property
    def java_options(self):
        """The JVM options bin/shutterbus passed (SHUTTERBUS_JAVA_OPTS or its defaults)."""
        if os.environ.get("SHUTTERBUS_JAVA_OPTS"):
            return os.environ["SHUTTERBUS_JAVA_OPTS"]
        with open(LAUNCHER) as f:
            found = re.search(r'^defaults="(.*)"$', f.read(), re.M)
        return found.group(1) if found else "bin/shutterbus defaults"

    @property
    def pg_port(self):
        return int(self.env["EMBEDDED_PG_PORT"])

    def start(self, timeout_s=180, attempts=2):
        """Starts it; a start that fails is retried once on fresh ports and data (on a starved shared
        machine the platform's own 60 s deployment timeout can fire: the report says so)."""
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once(timeout_s)
            except SystemExit as failure:
                self.stop()
                if attempt == attempts:
                    raise
                self.failed_starts.append(str(failure).splitlines()[0])
                print(f"the platform did not start ({self.failed_starts[-1]}); retrying once", flush=True)
                self.data_dir = tempfile.mkdtemp(prefix="loadtest-platform-")
                self.env.update(dict(zip(PORT_VARIABLES, map(str, free_ports(len(PORT_VARIABLES))))))
                self.env.update({"SHUTTERBUS_DATA_DIR": self.data_dir,
                                 "AUTH_URL": f"http://127.0.0.1:{self.env['AUTH_PORT']}",
                                 "IMAGE_URL": f"http://127.0.0.1:{self.env['IMAGE_PORT']}",
                                 "PORTAL_URL": f"http://127.0.0.1:{self.env['PORTAL_PORT']}"})
                self.lines = []

    def _start_once(self, timeout_s):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PG_", "KAFKA_"))}
        env.update(self.env)
        # bin/shutterbus, as a user starts it: its JVM options (bounded heap) and nothing else; it
        # execs java, so the process here is the JVM (the benchmark reads its RSS). A drill drives the
        # embedded servers through the launcher's stdin (SHUTTERBUS_DRILL_CONSOLE=stdin).
        env["SHUTTERBUS_JAR"] = self.jar
        console = self.env.get("SHUTTERBUS_DRILL_CONSOLE") == "stdin"
        self.process = subprocess.Popen(
            [LAUNCHER], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.PIPE if console else None, text=True, start_new_session=True)
        threading.Thread(target=self._pump, daemon=True).start()
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if "Shutterbus is up" in self.lines:
                return self
            if self.process.poll() is not None:
                time.sleep(0.5)
                raise SystemExit("the platform exited with %s:\n%s" % (self.process.returncode, "\n".join(self.lines[-40:])))
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the platform was not up within {timeout_s} s; its log: {self.log_path}")

    def _pump(self):
        with open(self.log_path, "a") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self.lines.append(line.rstrip("\n"))

    def drill(self, command, timeout_s=60):
        """Sends one drill-console command; the epoch seconds the platform says it took effect."""
        seen = len(self.lines)
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            answers = [line for line in self.lines[seen:] if line.startswith("drill: ")]
            if answers:
                words = answers[0].split()
                if words[1] == "error":
                    raise RuntimeError(f"drill console: {answers[0]}")
                return int(words[3]) / 1000
            time.sleep(0.05)
        raise RuntimeError(f"drill console: no answer to '{command}' within {timeout_s} s")

    def blocked_thread_warnings(self):
        """Vert.x 'Thread blocked' warnings the platform logged so far: each is a bug."""
        return sum(1 for line in self.lines if BLOCKED_THREAD_MARK in line)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
