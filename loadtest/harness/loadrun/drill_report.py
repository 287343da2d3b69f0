"""A drill's report.md, summary.json and readiness chart."""
import json
import os

from . import charts


def headline(s):
    t = s["timings"]
    seen = s["alerts"]["seen"].get(s["alerts"]["expected"] or "", {})
    budget = (s["error_budget"]["all"] or {})
    return (f"{s['drill']}: {'PASSED' if s['passed'] else 'FAILED'}; first 503 {fmt(t['first_503_s'])}, "
            f"readiness down {short(t['readiness_down_s'])}, ready again {short(t['readiness_up_after_repair_s'])}, "
            f"first success {short(t['first_success_after_repair_s'])}; alert {s['alerts']['expected'] or '-'} "
            f"pending {fmt(rel(seen.get('pending_at_s'), s))} firing {fmt(rel(seen.get('firing_at_s'), s))} "
            f"resolved {fmt(rel(seen.get('resolved_at_s'), s, repair=True))}; "
            f"bad requests {budget.get('bad')}/{budget.get('requests')} = {budget.get('share_of_run_budget')}x the run's budget")


def fmt(v):
    return "-" if v is None else f"{v:g} s"


def short(d):
    return "{" + ", ".join(f"{k} {fmt(v)}" for k, v in (d or {}).items()) + "}"


def rel(at, s, repair=False):
    """An alert time (offset from the drill's start) as seconds after the fault (or the repair)."""
    if at is None:
        return None
    return round(at - (s["fault"]["repaired_at_s"] if repair else s["fault"]["at_s"]), 1)


def write(out_dir, s, drawn):
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(s, f, indent=2, default=str)
    t, f_ = s["timings"], s["fault"]
    lines = [f"# Drill `{s['drill']}` ({s['form']} form, {s['target']})", "",
             f"- started {s['started_at']} UTC against {s['base_url']}", f"- command: `{s['command']}`",
             f"- fault at +{f_['at_s']} s, repaired at +{f_['repaired_at_s']} s (lasted {f_['lasted_s']} s)",
             f"- load: {s['load']['drill_upload_rate']} drill uploads/s (x{s['load']['multiplier_during_fault']} during the "
             f"fault window), a registration every {s['load']['registrations_every_s']} s, /api/me probe every 0.1 s, "
             f"Gatling journey at {s['load']['gatling_journey_rate']} users/s",
             f"- result: **{'passed' if s['passed'] else 'FAILED'}**"]
    lines += [f"- override: {o}" for o in s.get("overrides", [])]
    lines += ["",
             "## Timings", "", "| measure | seconds |", "|---|---|",
             f"| fault -> first 503 ({t['first_503_request'] or '-'}) | {fmt(t['first_503_s'])} |",
             f"| fault -> first 5xx or no answer | {fmt(t['first_error_s'])} |",
             f"| fault begun -> the dependency gone (its own stop) | {fmt(f_.get('dependency_gone_after_s'))} |",
             f"| repair begun -> the dependency back (its own start) | {fmt(f_.get('dependency_back_after_repair_s'))} |"]
    lines += [f"| fault -> {k} readiness DOWN | {fmt(v)} |" for k, v in t["readiness_down_s"].items() if v is not None]
    lines += [f"| repair -> {k} ready | {fmt(v)} |" for k, v in t["readiness_up_after_repair_s"].items()]
    lines += [f"| repair -> first {k} 2xx | {fmt(v)} |" for k, v in t["first_success_after_repair_s"].items()]
    lines += ["", "## Alerts (Prometheus with observability's rules, 2 s scrapes, rules evaluated every second)", "",
              "| alert | pending (after fault) | firing (after fault) | resolved (after repair) | labels |", "|---|---|---|---|---|"]
    for name, a in sorted(s["alerts"]["seen"].items()):
        mark = " (expected)" if name == s["alerts"]["expected"] else ""
        lines.append(f"| {name}{mark} | {fmt(rel(a['pending_at_s'], s))} | {fmt(rel(a['firing_at_s'], s))} | "
                     f"{fmt(rel(a['resolved_at_s'], s, repair=True))} | {', '.join(a['labels'])} |")
    if s.get("slo_burn"):
        lines += ["", "SLO burn over the drill (peak of the 5-minute error ratio / the budget's ratio): " + "; ".join(
            f"{k} {v['peak_burn_rate_5m']}x" for k, v in sorted(s["slo_burn"].items()))]
    lines += ["", "## Error budget (availability 99.9 %: 5xx and no answer are bad)", "",
              "| load | requests | bad | x the run's budget | share of a 30-day budget at this rate |", "|---|---|---|---|---|"]
    for k, b in s["error_budget"].items():
        if b:
            lines.append(f"| {k} | {b['requests']} | {b['bad']} | {b['share_of_run_budget']} | {b['share_of_30d_budget']:.3%} |")
    lines += ["", "## Phases", "", "| phase | requests | statuses | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for k, d in s["phases"].items():
        if d.get("count"):
            lines.append(f"| {k} | {d['count']} | {' '.join(f'{c}x{n}' for c, n in d['status_codes'].items())} | "
                         f"{d['latency_ms']['p50']} | {d['latency_ms']['p95']} | {d['latency_ms']['p99']} |")
    led = s["ledger"].get("database_and_events") or {}
    if led.get("rows"):
        lines += ["", f"Slowest accepted → ready of any image so far (the services' own timestamps): "
                      f"{led['rows'].get('slowest_accepted_to_ready_s')} s."]
        lines += ["", "## Nothing lost, nothing twice", "",
                  f"After the load stopped, the drill's accepted uploads left `processing` within {fmt(s['ledger'].get('settle_s'))}; "
                  f"the counts agreed {fmt(led.get('converged_after_s'))} later (outboxes drained, consumers caught up). "
                  f"2xx over all clients since the platform started: `{json.dumps(led.get('accepted_all_clients'))}` "
                  "([answered, sent without an answer]).", "", f"Rows after recovery: `{json.dumps(led['rows'])}`"]
        if led.get("events"):
            lines.append(f"\nEvents (from the beginning): `{json.dumps(led['events'])}`")
    lines += ["", "## Checks", "", "| check | limit | actual | result |", "|---|---|---|---|"]
    for c in s["checks"]:
        lines.append(f"| {c['check']} | {c['limit']} | {json.dumps(c['actual'], default=str)} | {'pass' if c['passed'] else '**FAIL**'} |")
    lines += ["", "## Charts (fault window shaded)", ""] + [f"![{c}]({c})" for c in drawn]
    lines += ["", "Raw: `raw/requests.csv` (every request), platform/worker/Prometheus logs; all figures in `summary.json`."]
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def draw_readiness(readiness, out_dir, name, window):
    """readiness.png: one step line per service (1 ready, 0 not), offset so they do not overlap."""
    if not readiness:
        return []
    charts.require_gnuplot()
    services = sorted({svc for _, svc, _ in readiness})
    data = os.path.join(out_dir, "chart-data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "readiness.dat"), "w") as f:
        for i, svc in enumerate(services):
            f.write(f'"{svc}"\n')
            for t, s, up in readiness:
                if s == svc:
                    f.write(f"{t:.2f} {i * 1.5 + (1 if up else 0)}\n")
            f.write("\n\n")
    script = f"""
set terminal pngcairo size 1000,400 font ",10" noenhanced
set output "{out_dir}/readiness.png"
set title "drill {name}: /health/ready per service (high = ready)"
set xlabel "seconds since start"
set ytics ({', '.join(f'"{s}" {i * 1.5 + 0.5}' for i, s in enumerate(services))})
set yrange [-0.5:{len(services) * 1.5}]
set key off
set grid x
{charts.shading([window])}
plot for [i=0:{len(services) - 1}] "{data}/readiness.dat" index i using 1:2 with steps lw 2
"""
    charts._gnuplot(script, data)
    return ["readiness.png"]
