"""report.md: what ran, against what, the figures, the checks and the charts."""
import json
import os


def write(out_dir, summary, charts):
    lines = [f"# Load run `{summary['scenario']}`", "",
             f"- started: {summary['started_at']} (UTC), wall time {summary['wall_seconds']} s",
             f"- target: {summary['target']}",
             f"- tools: {', '.join(summary['tools'])}",
             f"- command: `{summary['command']}`"]
    for note in summary.get("notes", []):
        lines.append(f"- note: {note}")
    o = summary["overall"]
    if o.get("count"):
        lines += ["", "## Overall", "",
                  f"{o['count']} requests, {o['requests_per_second']} req/s; p50 {o['latency_ms']['p50']} ms, "
                  f"p95 {o['latency_ms']['p95']} ms, p99 {o['latency_ms']['p99']} ms; 5xx/transport errors "
                  f"{o['errors']} ({o['error_rate']:.2%}); failed checks {o['failed_checks']}; "
                  f"under 300 ms {o['share_under_slo_latency']:.2%}.", ""]
    lines += ["## Per request", "", "| scenario | request | count | req/s | p50 ms | p95 ms | p99 ms | statuses | failed checks |",
              "|---|---|---|---|---|---|---|---|---|"]
    for key, r in summary["requests_by_scenario"].items():
        for name, s in r.items():
            if s.get("count"):
                lines.append(f"| {key} | {name} | {s['count']} | {s['requests_per_second']} | {s['latency_ms']['p50']} | "
                             f"{s['latency_ms']['p95']} | {s['latency_ms']['p99']} | "
                             f"{' '.join(f'{k}×{v}' for k, v in s['status_codes'].items())} | {s['failed_checks']} |")
    ready = summary.get("accepted_to_ready_s") or {}
    if ready.get("count"):
        lines += ["", f"Accepted → ready ({ready['source']}): {ready['count']} images, p50 {ready['p50']} s, "
                      f"p95 {ready['p95']} s, p99 {ready['p99']} s, max {ready['max']} s."]
    lines += ["", "## Checks and thresholds", "", "| check | limit | actual | result |", "|---|---|---|---|"]
    for c in summary["checks"] + summary["thresholds"]:
        lines.append(f"| {c['check']} | {c['limit']} | {c['actual']} | {'pass' if c['passed'] else '**FAIL**'} |")
    if summary.get("thresholds_enforced") is False:
        lines.append("\nThresholds are reported, not enforced, in this run (smoke: seconds on a shared machine say "
                     "nothing about latency).")
    m = summary.get("platform_metrics", {})
    if m.get("before"):
        lines += ["", "## The platform's own figures (/metrics)", "", "| figure | before | after | delta |", "|---|---|---|---|"]
        for k in ["process_cpu_seconds", "heap_used_bytes", "gc_pause_count", "gc_pause_seconds", "gc_allocated_bytes",
                  "live_threads", "event_loop_blocked_metric"]:
            lines.append(f"| {k} | {m['before'].get(k)} | {m['after'].get(k)} | {m.get('delta', {}).get(k, '')} |")
        if "blocked_thread_warnings" in m:
            lines.append(f"\n'Thread blocked' warnings in the platform log during the run: {m['blocked_thread_warnings']}.")
    lines += ["", "## Charts", ""]
    lines += [f"![{c}]({c})" for c in charts]
    if summary.get("gatling_report"):
        lines += ["", f"Gatling's HTML report: [{summary['gatling_report']}]({summary['gatling_report']}/index.html)"]
    lines += ["", "Raw output: `raw/` (hey CSVs and commands, Gatling console and request log, platform log); "
                  "every figure above is in `summary.json`."]
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_summary(out_dir, summary):
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
