"""The benchmark's goal rows (issue 10), measured on the platform the benchmark started:

- cold:  right after "Shutterbus is up", uploads at a fixed arrival rate (default 100 at 8/s), each
         until ready: accepted->ready quantiles while the JIT is still warming.
- rate:  later, warm, 1 MP JPEGs at 20 uploads/s for a few seconds: accepted->ready quantiles.
- rss:   the platform process's resident memory (VmRSS) and its peak (VmHWM) at the end of the run,
         with the uploads and HTTP rounds it has been through.

Accepted->ready comes from the service's own stamps (createdAt when the upload was accepted,
updatedAt when it was marked ready), read back after the run, so polling adds nothing to it.
Uploads are sent open-loop: each at its scheduled instant whatever the previous ones are doing."""
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import api_client, samples

JPEG_SIZE = (1200, 880)  # 1.06 MP


def jpegs(count, cache_dir, seed, size=JPEG_SIZE):
    """count distinct ~1 MP JPEGs (a smooth noise picture, each with its own noise patch), made with
    the vips CLI (libvips-tools, installed for the vipsthumbnail baseline); their paths. The same
    seed and size always give the same files, kept in cache_dir for the next run."""
    out_dir = os.path.join(cache_dir, f"seed{seed}-{size[0]}x{size[1]}")
    if not shutil.which("vips"):
        raise SystemExit("vips is missing: apt-get install libvips-tools (the benchmark's JPEGs)")
    os.makedirs(out_dir, exist_ok=True)
    w, h = size
    base = os.path.join(out_dir, "base.v")
    if not all(os.path.exists(os.path.join(out_dir, f"img{i:04d}.jpg")) for i in range(count)):
        bands = []
        for b in range(3):
            noise, blurred = os.path.join(out_dir, f"n{b}.v"), os.path.join(out_dir, f"b{b}.v")
            _vips("gaussnoise", noise, str(w), str(h), "--mean", "128", "--sigma", "90", "--seed", str(seed + b))
            _vips("gaussblur", noise, blurred, "3")
            bands.append(blurred)
        joined = os.path.join(out_dir, "joined.v")
        _vips("bandjoin", " ".join(bands), joined)
        _vips("cast", joined, base, "uchar")
    paths = []
    for i in range(count):
        out = os.path.join(out_dir, f"img{i:04d}.jpg")
        if os.path.exists(out):
            paths.append(out)
            continue
        patch, patch_u = os.path.join(out_dir, "patch.v"), os.path.join(out_dir, "patch_u.v")
        _vips("gaussnoise", patch, "64", "64", "--mean", "128", "--sigma", "60", "--seed", str(seed * 100_003 + i))
        _vips("cast", patch, patch_u, "uchar")
        _vips("insert", base, patch_u, out + ".tmp.jpg[Q=88]", str((i * 37) % (w - 64)), str((i * 53) % (h - 64)))
        os.replace(out + ".tmp.jpg", out)
        paths.append(out)
    for name in os.listdir(out_dir):
        if name.endswith(".v"):
            os.remove(os.path.join(out_dir, name))  # vips intermediates, up to 40 MB
    return paths


def _vips(*args):
    done = subprocess.run(["vips", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"vips {' '.join(args)} failed: {done.stderr.strip()}")


def cpu_seconds(pid):
    """User + system CPU seconds a process has used so far (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid):
    """CPU seconds of a process and its live children (nginx's worker is a child of its master)."""
    total = cpu_seconds(pid)
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            for child in f.read().split():
                total += tree_cpu_seconds(int(child))
    except OSError:
        pass
    return total


def upload_at_rate(api, token, files, rate, ready_timeout_s=120, pid=None):
    """Uploads files open-loop at `rate` per second, then waits until none is processing.
    Figures: count, the rate actually sent, upload answer latency, accepted->ready quantiles (ms),
    and with the platform's pid its CPU milliseconds per upload (upload to ready, all services):
    unlike the latencies, that figure does not depend on what else the shared cores are doing."""
    cpu_before = cpu_seconds(pid) if pid else None
    answers = [None] * len(files)
    lock = threading.Lock()
    late = [0.0]

    def one(i, path, due):
        with open(path, "rb") as f:
            data = f.read()
        start = time.time()
        with lock:
            late[0] = max(late[0], start - due)
        try:
            accepted = api.upload(token, data, os.path.basename(path), "image/jpeg")
            answers[i] = (accepted["id"], (time.time() - start) * 1000, None)
        except (OSError, api_client.ApiError) as e:
            answers[i] = (None, (time.time() - start) * 1000, str(e))

    t0 = time.time() + 0.2
    with ThreadPoolExecutor(max(8, int(rate * 3))) as pool:
        for i, path in enumerate(files):
            due = t0 + i / rate
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, i, path, due)
    sent_span = time.time() - t0
    ids = [a[0] for a in answers if a and a[0]]
    failures = [a[2] for a in answers if not a or a[2]]
    spans, statuses, by_order = [], {}, []
    deadline = time.time() + ready_timeout_s
    pending = list(ids)
    while pending and time.time() < deadline:
        still = []
        for image_id in pending:
            image = api.image(token, image_id)
            if image["status"] == "processing":
                still.append(image_id)
                continue
            statuses[image["status"]] = statuses.get(image["status"], 0) + 1
            if image["status"] == "ready":
                spans.append(api_client.accepted_to_ready_seconds([image])[0] * 1000)
                by_order.append((ids.index(image_id) + 1, round(spans[-1], 1)))
        pending = still
        if pending:
            time.sleep(0.2)
    cpu_ms = round((cpu_seconds(pid) - cpu_before) * 1000 / len(files), 1) if pid else None
    upload_ms = [a[1] for a in answers if a and a[0]]
    q = lambda values, p: round(samples.quantile(values, p), 1) if values else None
    return {"uploads": len(files), "rate_asked": rate, "rate_sent": round(len(files) / sent_span, 2) if sent_span else None,
            "latest_send_s": round(late[0], 3), "refused_or_failed": len(failures),
            "first_failure": failures[0] if failures else None,
            "still_processing": len(pending), "statuses": statuses,
            "platform_cpu_ms_per_upload": cpu_ms, "load_average": os.getloadavg(),
            "upload_answer_ms": {"p50": q(upload_ms, 0.5), "p99": q(upload_ms, 0.99)},
            "accepted_to_ready_ms": {"p50": q(spans, 0.5), "p95": q(spans, 0.95), "p99": q(spans, 0.99),
                                     "max": round(max(spans), 1) if spans else None},
            # (n-th upload sent, ms): whether the slow ones are the first after a start or spread out
            "slowest": sorted(by_order, key=lambda x: -x[1])[:5]}


def memory(pid):
    """VmRSS and VmHWM (peak RSS) of a process, in MB, from /proc."""
    figures = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": figures.get("VmRSS"), "peak_rss_mb": figures.get("VmHWM")}


def gc_figures(metrics_url):
    """Stop-the-world GC time since start from the JVM's meters (the gateway's registry holds the
    JVM-wide ones in the one-process platform): pauses, their total seconds and share of uptime."""
    import urllib.request
    text = urllib.request.urlopen(metrics_url, timeout=10).read().decode()
    total = count = uptime = 0.0
    for line in text.splitlines():
        if line.startswith("jvm_gc_pause_seconds_sum"):
            total += float(line.rsplit(" ", 1)[1])
        elif line.startswith("jvm_gc_pause_seconds_count"):
            count += float(line.rsplit(" ", 1)[1])
        elif line.startswith("process_uptime_seconds"):
            uptime = float(line.rsplit(" ", 1)[1])
    return {"gc_pauses": int(count), "gc_pause_seconds": round(total, 3),
            "gc_share_of_uptime": round(total / uptime, 5) if uptime else None}


def render_table(goals):
    lines = ["| goal | measured | target | met |", "|---|---|---|---|"]
    for g in goals:
        lines.append(f"| {g['goal']} | {g['measured']} | {g['target']} | {'yes' if g['met'] else 'NO'} |")
    return "\n".join(lines)
