"""loadtest/run <scenario> [--base-url URL] [--duration D] [--tool gatling|hey] [--rate R] ..."""
import argparse
import os
import shlex
import shutil
import sys
import time
from datetime import datetime, timezone

from . import api_client, charts, gatling_runs, hey_runs, prom_metrics, report, samples, thresholds
from .platform_process import LOAD_RUN_OVERRIDES, PlatformProcess

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEY_SCENARIOS = ["image-get", "me", "login", "upload"]
SMOKE_UPLOADS = 50
GATLING_SCENARIOS = ["journey", "browse", "burst"]
SCENARIOS = GATLING_SCENARIOS + HEY_SCENARIOS + ["smoke", "bench"]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="loadtest/run", description=__doc__)
    p.add_argument("scenario", choices=SCENARIOS)
    p.add_argument("--base-url", help="the gateway to load; without it the one-command platform is started and stopped")
    p.add_argument("--duration", default="30s", help="per drill or simulation, e.g. 10s, 2m (default 30s)")
    p.add_argument("--tool", choices=["gatling", "hey"], help="gatling for journey/browse/burst, hey for the drills")
    p.add_argument("--rate", type=float, default=1.0, help="Gatling arrival rate unit (users/s, see scenarios.md)")
    p.add_argument("--concurrency", type=int, default=50, help="hey workers (-c)")
    p.add_argument("--metrics-url", action="append", default=[], help="/metrics to scrape with --base-url (repeatable)")
    p.add_argument("--jar", default=os.path.join(HERE, "..", "platform", "target", "shutterbus.jar"))
    p.add_argument("--results", default=os.path.join(HERE, "results"))
    p.add_argument("--rounds", type=int, default=5, help="bench: measured rounds per target")
    p.add_argument("--warmup", default="10s", help="bench: warm-up per target, excluded from the figures (the JIT "
                   "needs about that long: a first round after 5 s cost the JVM 3x its later CPU per request)")
    p.add_argument("--images", type=int, default=20, help="bench: images for upload->ready vs vipsthumbnail")
    p.add_argument("--compare", default="cold,image,me,pipeline,rate,rss",
                   help="bench: what to measure, comma-separated from cold (100 uploads at 8/s right after start), "
                        "image, me, pipeline (beside their baselines), rate (20 uploads/s warm), rss (default all)")
    args = p.parse_args(argv)
    known = ["cold", "image", "me", "pipeline", "rate", "rss"]
    unknown = set(args.compare.split(",")) - set(known)
    if unknown:
        p.error(f"--compare knows {', '.join(known)}, not {', '.join(sorted(unknown))}")
    for text in (args.duration, args.warmup):
        try:
            seconds(text)
        except SystemExit as bad:
            p.error(str(bad))
    if args.tool == "hey" and args.scenario in GATLING_SCENARIOS:
        p.error(f"{args.scenario} is a multi-step journey: hey cannot run it (use --tool gatling, or a hey drill: "
                f"{', '.join(HEY_SCENARIOS)})")
    if args.tool == "gatling" and args.scenario in HEY_SCENARIOS:
        p.error(f"{args.scenario} is a hey drill; the Gatling scenarios are {', '.join(GATLING_SCENARIOS)}")
    return args


def seconds(text):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    for suffix in sorted(units, key=len, reverse=True):
        if text.endswith(suffix) and text[:-len(suffix)].replace(".", "", 1).isdigit():
            return float(text[:-len(suffix)]) * units[suffix]
    raise SystemExit(f"--duration/--warmup '{text}' is not a duration like 500ms, 10s, 2m")


def require(tool, package):
    if not shutil.which(tool):
        raise SystemExit(f"{tool} is missing: apt-get install {package}")


def main(argv):
    args = parse_args(argv)
    started = datetime.now(timezone.utc)
    out_dir = os.path.join(args.results, started.strftime("%Y%m%dT%H%M%SZ") + "-" + args.scenario)
    raw = os.path.join(out_dir, "raw")
    os.makedirs(raw, exist_ok=True)
    platform = None
    prepared = None
    if args.scenario == "bench":
        from . import benchmark
        prepared = benchmark.prepare(args, out_dir)
    if not args.base_url:
        print(f"starting the platform ({args.jar}) on free ports ...", flush=True)
        platform = PlatformProcess(os.path.abspath(args.jar), os.path.join(raw, "platform.log")).start()
        print(f"platform up at {platform.base_url}", flush=True)
    try:
        base = args.base_url.rstrip("/") if args.base_url else platform.base_url
        metrics_urls = args.metrics_url or (platform.metrics_urls if platform else [])
        from . import benchmark
        if args.scenario == "bench":
            return benchmark.run(args, base, platform, out_dir, prepared)
        try:
            code = load_run(args, base, platform, metrics_urls, out_dir, raw, started)
        except (OSError, api_client.ApiError) as failure:
            print(f"loadtest/run: preparing the run against {base} failed: {failure}", file=sys.stderr)
            return 3
        if args.scenario == "smoke" and platform:
            # one short round of the benchmark too, on the same platform: proves the baselines run
            bench_dir = os.path.join(out_dir, "bench")
            os.makedirs(os.path.join(bench_dir, "raw"), exist_ok=True)
            tiny = argparse.Namespace(**{**vars(args), "rounds": 1, "duration": "1s", "warmup": "1s", "images": 2,
                                         "concurrency": 10, "compare": "image,me,pipeline"})
            code = benchmark.run(tiny, base, platform, bench_dir) or code
        return code
    finally:
        if platform:
            platform.stop()
        print(f"results: {out_dir}", flush=True)


def load_run(args, base, platform, metrics_urls, out_dir, raw, started):
    smoke = args.scenario == "smoke"
    duration = "3s" if smoke and args.duration == "30s" else args.duration
    before = prom_metrics.scrape(metrics_urls)
    blocked_before = platform.blocked_thread_warnings() if platform else None
    t0 = time.time()
    all_samples, tools, notes, gatling_report, gatling_code = [], [], [], None, None
    api = api_client.Shutterbus(base)
    upload_token = None
    if smoke or args.scenario in HEY_SCENARIOS:
        require("hey", "hey")
        tools.append("hey")
        for drill_name in (HEY_SCENARIOS if smoke else [args.scenario]):
            drills, token = hey_runs.prepare(drill_name, api, raw, args.concurrency if not smoke else 10)
            upload_token = token if drill_name == "upload" else upload_token
            for drill in drills:
                print(f"hey {drill.name} for {duration} ...", flush=True)
                if drill.note:
                    notes.append(f"{drill.name}: {drill.note}")
                # The smoke's uploads are counted, not timed: 3 s of hey at full speed queue hundreds
                # of renders, and everything after the drill waits behind them on a 2-core machine.
                count = SMOKE_UPLOADS if smoke and drill_name == "upload" else None
                all_samples += shift(hey_runs.run(drill, duration, raw, requests=count), time.time() - t0)
    if smoke or args.scenario in GATLING_SCENARIOS:
        tools.append("gatling")
        print(f"gatling {args.scenario} for {duration} at rate {args.rate} ...", flush=True)
        offset = time.time() - t0
        got, gatling_code, gatling_dir = gatling_runs.run(args.scenario, base, int(max(1, seconds(duration))),
                                                          args.rate, raw, latency_assertions=not smoke)
        all_samples += shift(got, offset)
        if gatling_dir:
            gatling_report = os.path.relpath(gatling_dir, out_dir)
    after = prom_metrics.scrape(metrics_urls)
    ready_spans = [s for s in all_samples if s.name == "accepted_to_ready"]
    requests = [s for s in all_samples if s.name != "accepted_to_ready"]
    samples.write_csv(os.path.join(raw, "requests.csv"), all_samples)
    ready = ready_summary(ready_spans, api, upload_token)
    summary = {
        "scenario": args.scenario, "started_at": started.isoformat(timespec="seconds"),
        "wall_seconds": round(time.time() - t0, 1), "target": base + ("" if not platform else " (started for this run)"),
        "tools": tools, "command": "loadtest/run " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "notes": notes + [f"a first platform start failed and was retried: {f}" for f in (platform.failed_starts if platform else [])]
                 + ([f"platform started with {', '.join(f'{k}={v}' for k, v in LOAD_RUN_OVERRIDES.items())}"]
                          if platform else []),
        "overall": samples.describe(requests),
        "requests": samples.by_name(requests),
        "requests_by_scenario": {k: samples.by_name([s for s in requests if s.scenario == k])
                                 for k in sorted({s.scenario for s in requests})},
        "accepted_to_ready_s": ready,
        "platform_metrics": {"before": before, "after": after, "delta": prom_metrics.delta(before, after)},
        "gatling_report": gatling_report, "gatling_exit_code": gatling_code,
        "thresholds_enforced": not smoke,
    }
    if platform:
        summary["platform_metrics"]["blocked_thread_warnings"] = platform.blocked_thread_warnings() - blocked_before
    summary["checks"] = functional_checks(summary, requests, smoke)
    summary["thresholds"] = threshold_checks(args.scenario, requests, ready)
    summary["checks_passed"] = all(c["passed"] for c in summary["checks"])
    summary["thresholds_passed"] = all(c["passed"] for c in summary["thresholds"])
    drawn = charts.draw_run(requests, out_dir, args.scenario) if requests else []
    report.write_summary(out_dir, summary)
    report.write(out_dir, summary, drawn)
    print_summary(summary)
    failed = not summary["checks_passed"] or (not smoke and not summary["thresholds_passed"])
    return 1 if failed else 0


def shift(got, offset):
    return [s._replace(offset_s=s.offset_s + offset) for s in got]


def ready_summary(spans, api, upload_token):
    """Accepted->ready quantiles: measured by the journeys' polling, or read from the uploads' own
    timestamps (createdAt -> updatedAt) after a hey upload drill."""
    values, source = [s.latency_ms / 1000 for s in spans], "client-observed, polled every 100 ms"
    if not values and upload_token:
        values, source = api_client.accepted_to_ready_seconds(api.settle(upload_token)), "service timestamps"
    if not values:
        return None
    q = lambda p: round(samples.quantile(values, p), 3)
    return {"count": len(values), "source": source, "p50": q(0.5), "p95": q(0.95), "p99": q(0.99),
            "max": round(max(values), 3)}


def functional_checks(summary, requests, smoke):
    o = summary["overall"]
    checks = [{"check": "requests were made", "limit": "> 0", "actual": o.get("count", 0), "passed": o.get("count", 0) > 0},
              {"check": "answers that failed their check (status, body)", "limit": "0" if smoke else "see thresholds",
               "actual": o.get("failed_checks", 0), "passed": not smoke or o.get("failed_checks", 0) == 0}]
    if summary.get("gatling_exit_code") is not None:
        code = summary["gatling_exit_code"]
        checks.append({"check": "gatling ran to its end (exit 0; its assertions are off in the smoke)",
                       "limit": "0", "actual": code, "passed": code == 0 or not smoke})
    if smoke:
        for name in sorted({s.name for s in requests}):
            checks.append({"check": f"{name} answered", "limit": "> 0", "actual": summary["requests"][name]["count"],
                           "passed": summary["requests"][name]["count"] > 0})
    return checks


def threshold_checks(scenario, requests, ready):
    out = []
    for key in (GATLING_SCENARIOS if scenario == "smoke" else [scenario]):
        part = [s for s in requests if s.scenario == key] if scenario == "smoke" else requests
        overall = samples.describe(part)
        failed_share = (overall.get("failed_checks", 0) / overall["count"]) if overall.get("count") else 0
        checked = thresholds.check(key, {"overall": {"error_rate": failed_share}, "requests": samples.by_name(part),
                                         "accepted_to_ready_s": ready})
        out += [{"check": f"{key}: {c}", "limit": lim, "actual": act, "passed": ok} for c, lim, act, ok in checked]
    return out


def print_summary(s):
    o = s["overall"]
    if o.get("count"):
        print(f"{o['count']} requests, {o['requests_per_second']} req/s, p50 {o['latency_ms']['p50']} ms, "
              f"p95 {o['latency_ms']['p95']} ms, p99 {o['latency_ms']['p99']} ms, errors {o['errors']}, "
              f"failed checks {o['failed_checks']}")
    for name, r in s["requests"].items():
        print(f"  {name:22} {r['count']:>7} req  {r['requests_per_second']!s:>8} req/s  p95 {r['latency_ms']['p95']} ms  {r['status_codes']}")
    failed = [c for c in s["checks"] + s["thresholds"] if not c["passed"]]
    print(f"checks {'passed' if s['checks_passed'] else 'FAILED'}; thresholds "
          f"{'passed' if s['thresholds_passed'] else 'missed'}{'' if s['thresholds_enforced'] else ' (not enforced)'}")
    for c in failed:
        print(f"  {c['check']}: {c['actual']} (limit {c['limit']})")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
