"""loadtest/drill <drill|all> [--short] [--fault 60s] [--target local|minikube] ...

A failure drill under load: fault, hold, repair, recover; then measure the timings, check that nothing
accepted was lost or processed twice, see the matching alert pending/firing and resolved in a real
Prometheus, and spend the error budget from the load's own figures."""
import argparse
import os
import shlex
import sys
import time
from datetime import datetime, timezone

from . import charts, drill_checks, drill_prometheus, drill_report, samples
from .__main__ import seconds
from .drill_load import DrillLoad
from .drill_targets import LocalTarget, MinikubeTarget
from .platform_process import LOAD_RUN_OVERRIDES

HERE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# drill -> (the alert from observability/ that must go pending/firing, services whose readiness must go DOWN)
DRILLS = {
    "postgres-down": ("PostgresUnreachable", ["auth", "image", "image-worker"]),
    "kafka-down": ("KafkaUnreachable", ["auth", "image", "image-worker"]),
    "worker-killed": ("ShutterbusTargetDown", ["image-worker"]),
    "spike": (None, []),
}
SPIKE_FACTOR = 10
# --short only: a killed worker's partitions go to its successor after the broker gives up on it
# (session timeout, 45 s by default: the full drill measures that); 10 s keeps the suite short.
SHORT_WORKER_ENV = {"KAFKA_SESSION_TIMEOUT_MS": "10000"}
BURST_FACTOR = 5   # worker-killed: the kill lands in the middle of an upload burst of this many times the rate


def parse_args(argv):
    p = argparse.ArgumentParser(prog="loadtest/drill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("drill", choices=list(DRILLS) + ["all"], help="one drill, or all of them in turn on one platform")
    p.add_argument("--short", action="store_true", help="the test suite's form: 10 s fault, light load, no Gatling")
    p.add_argument("--fault", help="how long the fault lasts (default 60s, 10s with --short)")
    p.add_argument("--until-firing", action="store_true",
                   help="hold the fault past --fault until the matching alert fires (at most 90 s more)")
    p.add_argument("--rate", type=float, help="drill uploads/s (default 2, 0.5 with --short); a registration every 2/rate s")
    p.add_argument("--gatling-rate", type=float, help="Gatling journey users/s beside the drill load (default 0.5, 0 with --short)")
    p.add_argument("--target", choices=["local", "minikube"], default="local")
    p.add_argument("--base-url", help="minikube: the Ingress, e.g. http://$(minikube ip)")
    p.add_argument("--prometheus-url", help="minikube: the cluster's Prometheus (kubectl port-forward)")
    p.add_argument("--namespace", default="shutterbus")
    p.add_argument("--jar", default=os.path.join(HERE, "..", "platform", "target", "shutterbus.jar"))
    p.add_argument("--results", default=os.path.join(HERE, "results"))
    a = p.parse_args(argv)
    a.fault_s = seconds(a.fault or ("10s" if a.short else "60s"))
    a.rate = a.rate or (0.5 if a.short else 2.0)
    a.gatling_rate = a.gatling_rate if a.gatling_rate is not None else (0.0 if a.short else 0.5)
    a.pre_s, a.post_s = (5, 5) if a.short else (30, 30)
    if a.target == "minikube" and not (a.base_url and a.prometheus_url):
        p.error("--target minikube needs --base-url (the Ingress) and --prometheus-url (see docs/drills.md)")
    return a


class Totals:
    """Every 2xx registration and upload of every client since the platform started (the database's)."""

    def __init__(self):
        self.users, self.images = [0, 0], [0, 0]   # [answered 2xx, sent without an answer]

    def add(self, load, gatling_samples):
        self.users[0] += len(load.ledger.users) + len(load.accounts)
        self.images[0] += len(load.ledger.images)
        self.users[1] += load.ledger.unanswered["register"]
        self.images[1] += load.ledger.unanswered["upload"]
        for s in gatling_samples:
            if s.name == "register":
                self.users[0 if s.status == 201 else 1] += s.status in (201, 0)
            if s.name == "upload":
                self.images[0 if s.status == 202 else 1] += s.status in (202, 0)


def main(argv):
    args = parse_args(argv)
    names = list(DRILLS) if args.drill == "all" else [args.drill]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    first_dir = os.path.join(args.results, f"{stamp}-drill-{names[0]}", "raw")
    os.makedirs(first_dir, exist_ok=True)
    if args.target == "local":
        print(f"starting the platform ({args.jar}) with its drill console, the image worker apart ...", flush=True)
        target = LocalTarget(args.jar, first_dir, SHORT_WORKER_ENV if args.short else None)
    else:
        target = MinikubeTarget(args.base_url, args.namespace, first_dir)
    prometheus, totals, outcomes = None, Totals(), {}
    try:
        target.start()
        if args.target == "local":
            prometheus = drill_prometheus.LocalPrometheus(target.management_ports, os.path.join(first_dir, "prometheus.log")).start()
        prom_url = prometheus.url if prometheus else args.prometheus_url.rstrip("/")
        for name in names:
            out_dir = os.path.join(args.results, f"{stamp}-drill-{name}")
            os.makedirs(os.path.join(out_dir, "raw"), exist_ok=True)
            target.raw = os.path.join(out_dir, "raw")
            # events are read from the beginning, so the last drill's count covers all; --short reads them once
            count_events = not args.short or name == names[-1]
            outcomes[name] = run_drill(name, args, target, prom_url, totals, out_dir, count_events)
    finally:
        if prometheus:
            prometheus.stop()
        target.stop()
    for name, (passed, out_dir) in outcomes.items():
        print(f"{name}: {'passed' if passed else 'FAILED'}  {out_dir}/report.md", flush=True)
    return 0 if outcomes and all(p for p, _ in outcomes.values()) and len(outcomes) == len(names) else 1


def run_drill(name, args, target, prom_url, totals, out_dir, count_events=True):
    alert, must_go_down = DRILLS[name]
    raw = os.path.join(out_dir, "raw")
    started = datetime.now(timezone.utc)
    print(f"--- drill {name}: {args.pre_s} s steady, fault {args.fault_s:g} s, repair, {args.post_s} s after", flush=True)
    load = DrillLoad(target.base_url, target.readiness, target.readiness_period_s, args.rate, 2.0 / args.rate)
    pids_before = target.pids()
    t0 = time.time()
    watch = drill_prometheus.AlertWatch(prom_url, t0).start()
    load.start(t0)
    gatling = None
    if args.gatling_rate > 0:
        planned = args.pre_s + args.fault_s + args.post_s + 30
        gatling = target.background_load(planned, args.gatling_rate, raw)
    if name == "worker-killed":
        sleep_until(t0 + args.pre_s - 3)
        load.set_multiplier(BURST_FACTOR)
    sleep_until(t0 + args.pre_s)
    if name == "spike":
        load.set_multiplier(SPIKE_FACTOR)
        fault_at, gone_at = time.time(), None
    else:
        fault_at, gone_at = target.fault(name)
    print(f"fault at +{fault_at - t0:.1f} s", flush=True)
    if name == "worker-killed":
        sleep_until(fault_at + 3)
        load.set_multiplier(1)
    hold_until = fault_at + args.fault_s
    sleep_until(hold_until)
    if args.until_firing and alert:
        limit = time.time() + 90
        while time.time() < limit and (watch.seen.get(alert) or {}).get("firing_at_s") is None:
            time.sleep(1)
    if name == "spike":
        load.set_multiplier(1)
        repair_at, back_at = time.time(), None
    else:
        repair_at, back_at = target.repair(name)
    print(f"repaired at +{repair_at - t0:.1f} s", flush=True)
    recovered_at = wait_ready(target, 180)
    sleep_until(max(recovered_at or time.time(), repair_at) + args.post_s)
    load.stop()
    gatling_samples = []
    if gatling:
        got, _, _ = gatling.join(args.pre_s + args.fault_s + args.post_s + 300)
        gatling_samples = [s._replace(offset_s=s.offset_s + (gatling.started_at - t0)) for s in got]
    if alert:
        watch.wait_resolved(alert, 60)
    watch.stop()
    t_fault, t_repair = fault_at - t0, repair_at - t0
    timing = drill_checks.timings(load, t_fault, t_repair)
    totals.add(load, gatling_samples)
    print("checking the ledger: every accepted registration and upload, processed once ...", flush=True)
    ledger_checks, ledger_figures = drill_checks.verify(load.ledger, load.api, load.accounts,
                                                        lambda timeout_s: ledger_counts(target, totals, timeout_s, count_events),
                                                        settle_timeout_s=60 if args.short else 180)
    all_samples = load.samples + gatling_samples
    summary = {
        "drill": name, "target": target.kind, "base_url": target.base_url, "started_at": started.isoformat(timespec="seconds"),
        "command": "loadtest/drill " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "form": "short" if args.short else "full",
        "overrides": ([f"image worker {k}={v}" for k, v in SHORT_WORKER_ENV.items()] if args.short and target.kind == "local" else [])
                     + ([f"platform {k}={v}" for k, v in LOAD_RUN_OVERRIDES.items()] if target.kind == "local" else []),
        "fault": {"kind": name, "at_s": round(t_fault, 2), "repaired_at_s": round(t_repair, 2),
                  "dependency_gone_after_s": None if gone_at is None else round(gone_at - fault_at, 2),
                  "lasted_s": round(t_repair - t_fault, 2),
                  "dependency_back_after_repair_s": None if back_at is None else round(back_at - repair_at, 2)},
        "load": {"drill_upload_rate": args.rate, "registrations_every_s": round(2.0 / args.rate, 2),
                 "gatling_journey_rate": args.gatling_rate,
                 "multiplier_during_fault": SPIKE_FACTOR if name == "spike" else (BURST_FACTOR if name == "worker-killed" else 1),
                 "accepted": {"registrations": len(load.ledger.users), "uploads": len(load.ledger.images)},
                 "unanswered": dict(load.ledger.unanswered)},
        "timings": timing,
        "alerts": {"expected": alert, "seen": watch.seen, "prometheus": prom_url},
        "slo_burn": drill_prometheus.burn_peaks(prom_url, t0, time.time()),
        "error_budget": {"drill_load": drill_checks.error_budget(load.samples),
                         "gatling": drill_checks.error_budget(gatling_samples),
                         "all": drill_checks.error_budget(all_samples)},
        "phases": phase_figures(all_samples, t_fault, t_repair),
        "requests": samples.by_name(all_samples),
        "ledger": ledger_figures,
        "restarts": {"before": pids_before, "after": target.pids()},
    }
    if target.kind == "local":
        summary["blocked_thread_warnings"] = target.platform.blocked_thread_warnings()
    summary["checks"] = drill_assertions(name, summary, load, must_go_down) + ledger_checks
    summary["passed"] = all(c["passed"] for c in summary["checks"])
    samples.write_csv(os.path.join(raw, "requests.csv"), all_samples)
    drawn = charts.draw_run(all_samples, out_dir, f"drill {name}", windows=[(t_fault, t_repair)]) if all_samples else []
    drawn += drill_report.draw_readiness(load.readiness, out_dir, name, (t_fault, t_repair))
    drill_report.write(out_dir, summary, drawn)
    for c in summary["checks"]:
        if not c["passed"]:
            print(f"  FAILED {c['check']}: {c['actual']} (limit {c['limit']})", flush=True)
    print(drill_report.headline(summary), flush=True)
    return summary["passed"], out_dir


def sleep_until(t):
    while time.time() < t:
        time.sleep(min(0.2, t - time.time()))


def wait_ready(target, timeout_s):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if all(target.readiness().values()):
                return time.time()
        except (OSError, RuntimeError):
            pass
        time.sleep(0.2)
    return None


def ledger_counts(target, totals, timeout_s, count_events=True):
    """Rows, counted until they agree (outboxes drained, consumers caught up) or timeout_s passed; then
    the events once. How long the rows took to agree is itself a figure (`converged_after_s`)."""
    t0 = time.time()
    while True:
        try:
            db = drill_checks.database_counts(target.sql)
        except Exception as failed:   # the check that reads this reports it
            return {"error": f"counting rows failed: {failed}", "compare": {}}
        pairs = drill_checks.compare(db, None, totals.users, totals.images)
        agreed = all(lo <= actual <= hi for actual, lo, hi in pairs.values())
        if agreed or time.time() - t0 > timeout_s:
            break
        time.sleep(1)
    converged = round(time.time() - t0, 1) if agreed else None
    diagnostics = None
    if not agreed:   # what an SRE looks at next: who holds what, and the rows that did not go out
        diagnostics = {q: target.sql(sql).splitlines()[:40] for q, sql in DIAGNOSTIC_SQL.items()}
    tails = {}
    events = None
    if count_events and target.tail("users.registered") is not None:
        events = drill_checks.event_counts(lambda topic: tails.setdefault(topic, target.tail(topic)))
    return {"rows": db, "events": events, "converged_after_s": converged, "diagnostics": diagnostics,
            "accepted_all_clients": {"registrations": totals.users, "uploads": totals.images},
            "compare": drill_checks.compare(db, events, totals.users, totals.images)}


DIAGNOSTIC_SQL = {
    "sessions": "select pid, application_name, state, wait_event_type, wait_event, now() - xact_start, left(query, 160) "
                "from pg_stat_activity where datname = 'shutterbus' order by xact_start nulls last",
    "unsent_outbox_rows": "select 'auth', id, topic, key, attempts, last_error, created_at, parked_at from auth.outbox "
                          "where sent_at is null union all select 'images', id, topic, key, attempts, last_error, created_at, "
                          "parked_at from images.outbox where sent_at is null order by 7",
}


def phase_figures(all_samples, t_fault, t_repair):
    out = {}
    for phase, lo, hi in (("before", 0, t_fault), ("fault", t_fault, t_repair), ("after", t_repair, 1e12)):
        out[phase] = samples.describe([s for s in all_samples if lo <= s.offset_s < hi])
    return out


def drill_assertions(name, s, load, must_go_down):
    checks = []

    def check(what, limit, actual, passed):
        checks.append({"check": what, "limit": limit, "actual": actual, "passed": bool(passed)})

    t = s["timings"]
    fault_window = [x for x in load.samples if s["fault"]["at_s"] <= x.offset_s < s["fault"]["repaired_at_s"]]
    if name == "postgres-down":
        check("fault -> first 503 (s)", f"<= {drill_checks.FIRST_503_LIMIT_S}", t["first_503_s"],
              t["first_503_s"] is not None and t["first_503_s"] <= drill_checks.FIRST_503_LIMIT_S)
        check("answers other than 503 problem+json during the fault (5xx, none)", "0",
              sum(1 for x in fault_window if x.status == 0 or (x.status >= 500 and x.status != 503)),
              not any(x.status == 0 or (x.status >= 500 and x.status != 503) for x in fault_window))
        check("repair -> first success of each failing call (s)", "every one succeeds", t["first_success_after_repair_s"],
              t["first_success_after_repair_s"] and all(v is not None for v in t["first_success_after_repair_s"].values()))
    elif name in ("kafka-down", "worker-killed"):
        bad = [x for x in fault_window if x.name in ("upload", "register") and not 200 <= x.status < 300]
        check("uploads and registrations accepted during the fault", "all 2xx",
              f"{len(fault_window) - len(bad)}/{len([x for x in fault_window if x.name in ('upload', 'register')])}", not bad)
    if name == "spike":
        errors = sum(1 for x in load.samples if x.status == 0 or x.status >= 500)
        check("5xx or unanswered during and after the spike", "0", errors, errors == 0)
    for service in must_go_down:
        down = t["readiness_down_s"].get(service)
        check(f"fault -> {service} readiness DOWN (s)", "observed", down, down is not None)
    up = t["readiness_up_after_repair_s"]
    check("repair -> every service ready again (s)", "all ready, no restart", up, all(v is not None for v in up.values()))
    expected = s["alerts"]["expected"]
    if expected:
        seen = s["alerts"]["seen"].get(expected)
        check(f"alert {expected} pending/firing during the fault", "pending or firing", seen and {
            k: seen[k] for k in ("pending_at_s", "firing_at_s")}, seen and seen["pending_at_s"] is not None)
        check(f"alert {expected} resolved after the repair", "resolved", seen and seen["resolved_at_s"], seen and seen["resolved_at_s"])
    before, after = s["restarts"]["before"], s["restarts"]["after"]
    check("no restart needed (platform process / container restarts unchanged)", str(before), after, before == after)
    return checks


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
