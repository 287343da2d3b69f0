"""loadtest/run bench: Shutterbus beside baselines in the same run on the same machine, as ratios.

Targets alternate over the rounds (A B, B A, ...) so drift in the shared machine's load hits both
alike; every target gets a warm-up first that is excluded from the figures; the table shows medians."""
import json
import os
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from . import api_client, charts, goals, hey_runs, pictures, samples
from .baselines import BareMe, Nginx, vips_thumbnails

PIPELINE_SIZE = (800, 600)
THUMBNAIL_SIZES = [256, 1024]
UPLOADS_AT_ONCE = 4
# issue 10's goals: (uploads, per second) right after start and warm
COLD_UPLOADS, COLD_RATE = 100, 8.0
WARM_UPLOADS, WARM_RATE = 300, 20.0


def prepare(args, out_dir):
    """Work done before the platform starts (the cold-start row must begin right after it is up):
    the 1 MP JPEGs of the cold and warm upload rows."""
    chosen = set(args.compare.split(","))
    files = {}
    cache = os.path.join(os.path.dirname(os.path.abspath(out_dir)), ".jpegs")
    if chosen & {"cold", "rate"}:
        print(f"1 MP JPEGs for the upload rows (made once with vips, kept in {cache})", flush=True)
    if "cold" in chosen:
        files["cold"] = goals.jpegs(COLD_UPLOADS, cache, seed=101)
    if "rate" in chosen:
        files["rate"] = goals.jpegs(WARM_UPLOADS, cache, seed=202)
    return files


def run(args, base, platform, out_dir, prepared=None):
    if platform is None:
        raise SystemExit("bench starts the platform itself (the /api/me baseline reads its database): drop --base-url")
    hey_runs_dir = os.path.join(out_dir, "raw")
    duration, warmup = args.duration if args.duration != "30s" else "10s", args.warmup
    api = api_client.Shutterbus(base)
    chosen = set(args.compare.split(","))
    prepared = prepared if prepared is not None else prepare(args, out_dir)
    measured = {}
    if "cold" in chosen:
        # first thing after "Shutterbus is up": an account, then the uploads at their arrival rate
        email, _ = api.new_account("cold")
        print(f"cold start: {COLD_UPLOADS} uploads of 1 MP JPEGs at {COLD_RATE}/s right after start", flush=True)
        measured["cold"] = goals.upload_at_rate(api, api.login(email), prepared["cold"], COLD_RATE,
                                                  pid=platform.process.pid)
        print(f"cold start: accepted->ready {measured['cold']['accepted_to_ready_ms']}, slowest (n-th, ms) "
              f"{measured['cold']['slowest']}", flush=True)
    email, _ = api.new_account("bench")
    token = api.login(email)
    user_id = json.loads(api.request("GET", "/api/me", headers={"authorization": f"Bearer {token}"})[2])["id"]
    picture = api.upload_png(token, pictures.png(220, 150, 42))
    api.await_ready(token, picture["id"])
    status, _, file_bytes = api.request("GET", picture["url"])
    assert status == 200, f"GET {picture['url']}: {status}"
    # nginx's workers drop root: its document root lives in a world-readable temp dir
    root = tempfile.mkdtemp(prefix="loadtest-nginx-")
    os.chmod(root, 0o755)
    os.makedirs(os.path.join(root, os.path.dirname(picture["url"].lstrip("/"))), mode=0o755, exist_ok=True)
    with open(os.path.join(root, picture["url"].lstrip("/")), "wb") as f:
        f.write(file_bytes)
    nginx, bare = Nginx(root, hey_runs_dir), BareMe(platform.pg_port, hey_runs_dir)
    c = args.concurrency
    comparisons = [
        ("image", f"image GET {len(file_bytes) // 1024} KB", "req/s",
         hey_runs.HeyDrill("shutterbus_image", base + picture["url"], concurrency=c),
         hey_runs.HeyDrill("nginx_image", f"http://127.0.0.1:{nginx.port}{picture['url']}", concurrency=c)),
        ("me", "GET /api/me", "req/s",
         hey_runs.HeyDrill("shutterbus_me", base + "/api/me", headers=(f"Authorization: Bearer {token}",), concurrency=c),
         hey_runs.HeyDrill("bare_vertx_me", f"http://127.0.0.1:{bare.port}/api/me", headers=(f"X-User-Id: {user_id}",),
                           concurrency=c)),
    ]
    rows = []
    try:
        for key, name, unit, ours, theirs in comparisons:
            if key not in chosen:
                continue
            for drill in (ours, theirs):
                print(f"warm-up {drill.name} {warmup} (excluded)", flush=True)
                hey_runs.run(drill._replace(name=drill.name + "-warmup"), warmup, hey_runs_dir)
            figures = {ours.name: [], theirs.name: []}
            # CPU the serving process(es) spent per answer: unlike req/s, hardly moved by what else
            # runs on the shared cores. hey's CPU is in neither; nor is PostgreSQL's (a child of the
            # platform's JVM, serving both sides' queries): the JVMs alone, nginx's master and worker.
            pid = platform.process.pid
            cpu_of = {ours.name: lambda: goals.cpu_seconds(pid),
                      theirs.name: (lambda: goals.tree_cpu_seconds(nginx.process.pid)) if key == "image"
                      else (lambda: goals.cpu_seconds(bare.process.pid))}
            for r in range(args.rounds):
                for drill in ((ours, theirs) if r % 2 == 0 else (theirs, ours)):
                    cpu_before = cpu_of[drill.name]()
                    got = hey_runs.run(drill._replace(name=f"{drill.name}-round{r + 1}"), duration, hey_runs_dir)
                    cpu = cpu_of[drill.name]() - cpu_before
                    figures[drill.name].append(samples.describe(got))
                    figures[drill.name][-1]["cpu_us_per_request"] = round(cpu * 1e6 / len(got), 1) if got else None
                    print(f"round {r + 1} {drill.name}: {figures[drill.name][-1]['requests_per_second']} req/s, "
                          f"{figures[drill.name][-1]['cpu_us_per_request']} us CPU per request", flush=True)
            rows.append(http_row(name, ours.name, theirs.name, figures))
        if "pipeline" in chosen:
            rows.append(pipeline_row(api, token, args, out_dir))
        if "rate" in chosen:
            print(f"warm: {WARM_UPLOADS} uploads of 1 MP JPEGs at {WARM_RATE}/s", flush=True)
            measured["rate"] = goals.upload_at_rate(api, token, prepared["rate"], WARM_RATE,
                                                  pid=platform.process.pid)
            print(f"warm: accepted->ready {measured['rate']['accepted_to_ready_ms']}, slowest (n-th, ms) "
                  f"{measured['rate']['slowest']}", flush=True)
        if "rss" in chosen:
            measured["rss"] = goals.memory(platform.process.pid)
            measured["rss"].update(goals.gc_figures(platform.metrics_urls[0]))
            measured["rss"]["uploads_before"] = platform_uploads(api, token, measured, rows, args)
    finally:
        nginx.stop()
        bare.stop()
        shutil.rmtree(root, ignore_errors=True)
    result = {"duration_per_round": duration, "warmup_per_target": warmup, "rounds": args.rounds,
              "hey_concurrency": c, "machine_cores": os.cpu_count(), "load_average": os.getloadavg(),
              "java_options": platform.java_options, "rows": rows, "measured": measured,
              "goals": goal_rows(rows, measured)}
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(result, f, indent=2)
    charts.draw_benchmark(rows, os.path.join(out_dir, "benchmark.png"), "Shutterbus / baseline, same machine, same run")
    table = render_table(result)
    if result["goals"]:
        table += "\n\nissue 10's goals (platform started with " + result["java_options"] + ")\n\n" + goals.render_table(result["goals"])
    print(table)
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("# Benchmark: Shutterbus beside baselines\n\n" + table + "\n\n![ratios](benchmark.png)\n\n" + NOTES)
    return 0


def platform_uploads(api, token, measured, rows, args):
    """Uploads the platform took in this run (the RSS figure says after how many)."""
    n = sum(m["uploads"] for k, m in measured.items() if k in ("cold", "rate")) + 1
    return n + ((args.rounds + 1) * args.images if any(r["unit"] == "images/s" for r in rows) else 0)


def goal_rows(rows, measured):
    """Issue 10's goals, each with what this run measured."""
    out = []
    for row in rows:
        if row["comparison"] == "GET /api/me":
            out.append({"goal": "/api/me via the gateway vs bare Vert.x", "measured": f"{row['ratio']}x, p99 "
                        f"{row['shutterbus_p99_ms']} / {row['baseline_p99_ms']} ms", "target": ">= 0.5x, p99 <= 3x",
                        "met": row["ratio"] >= 0.5 and row["shutterbus_p99_ms"] <= 3 * row["baseline_p99_ms"]})
        elif row["comparison"].startswith("image GET"):
            out.append({"goal": "100 KB image via the front door vs nginx", "measured": f"{row['ratio']}x, p99 "
                        f"{row['shutterbus_p99_ms']} / {row['baseline_p99_ms']} ms", "target": ">= 0.8x, p99 <= 2x",
                        "met": row["ratio"] >= 0.8 and row["shutterbus_p99_ms"] <= 2 * row["baseline_p99_ms"]})
    for key, what, limit in (("cold", f"cold start: first {COLD_UPLOADS} uploads at {COLD_RATE:g}/s", 1000),
                             ("rate", f"warm: {WARM_UPLOADS} 1 MP JPEGs at {WARM_RATE:g}/s", 500)):
        if key in measured:
            m = measured[key]
            p99 = m["accepted_to_ready_ms"]["p99"]
            out.append({"goal": what + ", accepted->ready", "measured": f"p99 {p99} ms (p50 "
                        f"{m['accepted_to_ready_ms']['p50']}, max {m['accepted_to_ready_ms']['max']}; sent at "
                        f"{m['rate_sent']}/s, {m['refused_or_failed']} refused, {m['still_processing']} unfinished; "
                        f"platform CPU {m['platform_cpu_ms_per_upload']} ms/upload; load average "
                        f"{m['load_average'][0]:.1f})",
                        "target": f"p99 < {limit} ms", "met": p99 is not None and p99 < limit
                        and not m["refused_or_failed"] and not m["still_processing"]
                        and m["statuses"].get("ready", 0) == m["uploads"]})
    if "rss" in measured:
        m = measured["rss"]
        out.append({"goal": f"whole-process RSS after {m['uploads_before']} uploads and the runs",
                    "measured": f"{m['rss_mb']} MB (peak {m['peak_rss_mb']} MB); GC: {m['gc_pauses']} pauses, "
                                f"{m['gc_pause_seconds']} s in all, {m['gc_share_of_uptime']:.2%} of uptime",
                    "target": "<= 1024 MB",
                    "met": m["peak_rss_mb"] <= 1024})
    return out


def http_row(name, ours, theirs, figures):
    med = lambda target, key: statistics.median(f[key] if key != "p99" else f["latency_ms"]["p99"] for f in figures[target]
                                                if (f[key] if key != "p99" else f["latency_ms"]["p99"]) is not None)
    errors = sum(f["errors"] + f["failed_checks"] for t in figures for f in figures[t])
    ours_rps, theirs_rps = med(ours, "requests_per_second"), med(theirs, "requests_per_second")
    paired = [a["requests_per_second"] / b["requests_per_second"] for a, b in zip(figures[ours], figures[theirs])
              if b["requests_per_second"]]
    return {"comparison": name, "unit": "req/s", "shutterbus": round(ours_rps, 1), "baseline_name": theirs,
            "baseline": round(theirs_rps, 1), "ratio": round(statistics.median(paired), 3) if paired else None,
            "ratio_of_medians": round(ours_rps / theirs_rps, 3) if theirs_rps else None,
            "shutterbus_p99_ms": round(med(ours, "p99"), 2), "baseline_p99_ms": round(med(theirs, "p99"), 2),
            "shutterbus_cpu_us_per_request": med(ours, "cpu_us_per_request"),
            "baseline_cpu_us_per_request": med(theirs, "cpu_us_per_request"),
            "per_round": {t: [f["requests_per_second"] for f in figures[t]] for t in figures},
            "failed_answers": errors}


def pipeline_row(api, token, args, out_dir):
    """Upload->ready images/s through the gateway vs vipsthumbnail on the same files; round 0 is warm-up."""
    n = args.images
    ours, theirs = [], []
    for r in range(args.rounds + 1):
        batch_dir = os.path.join(out_dir, "raw", f"pipeline-round{r}")
        os.makedirs(batch_dir, exist_ok=True)
        files = []
        for i in range(n):
            path = os.path.join(batch_dir, f"img{i}.png")
            with open(path, "wb") as f:
                f.write(pictures.png(*PIPELINE_SIZE, seed=10_000 * (r + 1) + i))
            files.append(path)
        order = ("ours", "theirs") if r % 2 == 0 else ("theirs", "ours")
        for who in order:
            if who == "ours":
                wall = upload_until_ready(api, token, files)
                (ours if r else []).append(n / wall)
            else:
                wall = vips_thumbnails(files, THUMBNAIL_SIZES, os.path.join(batch_dir, "vips"))
                (theirs if r else []).append(n / wall)
            print(f"pipeline round {r}{' (warm-up, excluded)' if r == 0 else ''} {who}: {n / wall:.2f} images/s", flush=True)
    o, t = statistics.median(ours), statistics.median(theirs)
    return {"comparison": f"upload->ready {PIPELINE_SIZE[0]}x{PIPELINE_SIZE[1]} PNG", "unit": "images/s",
            "shutterbus": round(o, 2), "baseline_name": "vipsthumbnail", "baseline": round(t, 2),
            "ratio": round(statistics.median(a / b for a, b in zip(ours, theirs)), 3),
            "ratio_of_medians": round(o / t, 3), "per_round": {"shutterbus": [round(v, 2) for v in ours],
                                                    "vipsthumbnail": [round(v, 2) for v in theirs]}}


def upload_until_ready(api, token, files):
    def one(path):
        with open(path, "rb") as f:
            accepted = api.upload_png(token, f.read(), os.path.basename(path))
        image = api.await_ready(token, accepted["id"], timeout_s=300)
        if image["status"] != "ready":
            raise SystemExit(f"benchmark image {path} ended {image['status']}: {image.get('failureReason')}")
    start = time.time()
    with ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
        list(pool.map(one, files))
    return time.time() - start


def render_table(result):
    lines = [f"rounds: {result['rounds']} measured per target, alternating order; warm-up "
             f"{result['warmup_per_target']} per HTTP target and one pipeline round, excluded; "
             f"{result['duration_per_round']} per HTTP round, hey -c {result['hey_concurrency']}; "
             f"{result['machine_cores']} cores shared by the load generator, Shutterbus and the baseline", "",
             "ratio = median over rounds of (Shutterbus / baseline in the same round); values are medians", "",
             "| comparison | Shutterbus | baseline | baseline value | ratio | p99 ms Shutterbus / baseline "
             "| CPU us/request Shutterbus / baseline |",
             "|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        p99 = f"{r['shutterbus_p99_ms']} / {r['baseline_p99_ms']}" if "shutterbus_p99_ms" in r else "-"
        cpu = (f"{r['shutterbus_cpu_us_per_request']} / {r['baseline_cpu_us_per_request']}"
               if r.get("shutterbus_cpu_us_per_request") is not None else "-")
        lines.append(f"| {r['comparison']} | {r['shutterbus']} {r['unit']} | {r['baseline_name']} | "
                     f"{r['baseline']} {r['unit']} | {r['ratio']} | {p99} | {cpu} |")
    return "\n".join(lines)


NOTES = """## What is compared

- image GET: the same bytes at the same path, through the gateway (proxy hop to the image service,
  security headers, metrics) vs nginx with one worker and `sendfile on`.
- GET /api/me: through the gateway (proxy hop, ES256 token check in the auth service, the prepared
  profile query) vs a bare Vert.x server running the same prepared query on the same database with
  the user id in a header (no token check, no hop): the ratio is what the hop and the check cost.
- upload->ready: distinct PNGs uploaded four at a time through the gateway until each is ready
  (stored, outbox, Kafka, worker decodes and writes 256 and 1024 px JPEG thumbnails, marked ready)
  vs vipsthumbnail making the same two sizes of the same files, one process per size, in parallel.
- The load generator (hey) runs on the same cores: absolute figures are this machine's, the
  ratios are the yardstick. Every raw hey CSV is in raw/.
"""
