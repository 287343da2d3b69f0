"""The platform's own figures, scraped from its management /metrics before and after a run."""
import re
import urllib.request

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')


def parse(text):
    """[(name, labels text, value)] of a Prometheus text exposition."""
    out = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and not line.startswith("#"):
            try:
                out.append((m.group(1), m.group(2) or "", float(m.group(3))))
            except ValueError:
                pass
    return out


def scrape(urls):
    series = []
    reached = []
    for url in urls:
        try:
            with urllib.request.urlopen(url, timeout=5) as res:
                series.append(parse(res.read().decode()))
                reached.append(url)
        except OSError:
            continue
    return figures(series, reached)


def figures(per_target, reached):
    """CPU, heap, GC and event-loop figures. JVM figures come from the first target: the one-command
    platform runs every service in one JVM, so every target reports the same process."""
    if not per_target:
        return {"scraped": [], "note": "no /metrics endpoint answered"}
    jvm = per_target[0]

    def total(rows, name, label=""):
        return sum(v for n, l, v in rows if n == name and label in l)

    blocked = [(n, v) for rows in per_target for n, l, v in rows
               if "blocked" in n and not n.startswith(("jvm_threads", "kafka_"))]
    return {
        "scraped": reached,
        "process_cpu_seconds": round(total(jvm, "process_cpu_time_ns_total") / 1e9, 3),
        "heap_used_bytes": total(jvm, "jvm_memory_used_bytes", 'area="heap"'),
        "heap_committed_bytes": total(jvm, "jvm_memory_committed_bytes", 'area="heap"'),
        "gc_pause_count": total(jvm, "jvm_gc_pause_seconds_count"),
        "gc_pause_seconds": round(total(jvm, "jvm_gc_pause_seconds_sum"), 4),
        "gc_allocated_bytes": total(jvm, "jvm_gc_memory_allocated_bytes_total"),
        "live_threads": total(jvm, "jvm_threads_live_threads"),
        # No service exports a blocked-event-loop counter yet: None here, and the run counts the
        # "Thread blocked" warnings in the platform log instead when it started the platform.
        "event_loop_blocked_metric": sum(v for _, v in blocked) if blocked else None,
    }


def delta(before, after):
    keys = ["process_cpu_seconds", "gc_pause_count", "gc_pause_seconds", "gc_allocated_bytes", "event_loop_blocked_metric"]
    out = {}
    for k in keys:
        if isinstance(before.get(k), (int, float)) and isinstance(after.get(k), (int, float)):
            out[k] = round(after[k] - before[k], 4)
    return out
