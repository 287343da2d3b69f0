"""The baselines the benchmark puts beside Shutterbus: nginx serving a file, a bare Vert.x /api/me,
vipsthumbnail making the same thumbnails. Each started here on a free port and stopped after."""
import os
import shutil
import subprocess
import time
import urllib.request

from . import gatling_runs
from .platform_process import free_ports

NGINX_CONF = """worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types {{ image/png png; }}
  server {{
    listen 127.0.0.1:{port};
    root {root};
  }}
}}
"""


def _await_http(url, process, what, timeout_s=60):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError as e:
            if getattr(e, "code", None):  # an HTTP error answer: it is up
                return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not answer {url} within {timeout_s} s")


class Nginx:
    """nginx (Debian) with one worker, sendfile on, serving one directory."""

    def __init__(self, root, workdir):
        if not shutil.which("nginx"):
            raise SystemExit("nginx is missing: apt-get install nginx-light (the image GET baseline)")
        self.port = free_ports(1)[0]
        self.prefix = os.path.join(workdir, "nginx")
        os.makedirs(self.prefix, exist_ok=True)
        conf = os.path.join(self.prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(prefix=self.prefix, port=self.port, root=root))
        self.process = subprocess.Popen(["nginx", "-p", self.prefix, "-c", conf, "-e", os.path.join(self.prefix, "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _await_http(f"http://127.0.0.1:{self.port}/", self.process, "nginx")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class BareMe:
    """io.shutterbus.loadtest.baseline.BareMeServer on the platform's own PostgreSQL."""

    def __init__(self, pg_port, workdir):
        self.port = free_ports(1)[0]
        env = dict(os.environ, BARE_PORT=str(self.port), PG_PORT=str(pg_port), PG_HOST="127.0.0.1")
        self.log = open(os.path.join(workdir, "bare-me.log"), "w")
        self.process = subprocess.Popen(["java", "-Xmx256m", "-cp", gatling_runs.classpath(),
                                         "io.shutterbus.loadtest.baseline.BareMeServer"],
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)
        _await_http(f"http://127.0.0.1:{self.port}/", self.process, "the bare /api/me server")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


def vips_thumbnails(files, sizes, out_dir):
    """vipsthumbnail makes each size of every file, one process per size, the sizes in parallel (as the
    worker renders two images at once); never upscaled, JPEG out like the worker. Wall seconds."""
    if not shutil.which("vipsthumbnail"):
        raise SystemExit("vipsthumbnail is missing: apt-get install libvips-tools (the pipeline baseline)")
    os.makedirs(out_dir, exist_ok=True)
    start = time.time()
    procs = [subprocess.Popen(["vipsthumbnail", "--size", f"{size}>", "-o", os.path.join(out_dir, f"%s_{size}.jpg[Q=85]")] + files,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for size in sizes]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"vipsthumbnail failed: {err.strip()}")
    return time.time() - start
