"""Request samples from any tool, one shape: (offset seconds, request name, status, latency ms).
Status 0 is a transport error (refused, reset, timed out)."""
import csv
import math
from collections import Counter, defaultdict
from typing import NamedTuple


class Sample(NamedTuple):
    offset_s: float
    name: str
    status: int
    latency_ms: float
    scenario: str = ""
    ok: bool = True  # the tool's own check of the answer (expected status, body)


def write_csv(path, samples):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["offset_s", "scenario", "name", "status", "latency_ms", "ok"])
        for s in samples:
            w.writerow([f"{s.offset_s:.4f}", s.scenario, s.name, s.status, f"{s.latency_ms:.3f}", int(s.ok)])


def read_csv(path):
    with open(path, newline="") as f:
        return [Sample(float(r["offset_s"]), r["name"], int(r["status"]), float(r["latency_ms"]),
                       r.get("scenario", ""), r.get("ok", "1") == "1") for r in csv.DictReader(f)]


def quantile(values, q):
    """Nearest-rank quantile (what hey, k6 and Gatling report, give or take interpolation)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def is_error(status):
    """The availability SLO's bad events: 5xx answers and no answer at all."""
    return status == 0 or status >= 500


def describe(samples, slo_latency_ms=300):
    """Counts, rate, quantiles, status codes, error share and SLO latency share of some samples."""
    if not samples:
        return {"count": 0}
    latencies = [s.latency_ms for s in samples]
    span = max(s.offset_s + s.latency_ms / 1000 for s in samples) - min(s.offset_s for s in samples)
    statuses = Counter(str(s.status) for s in samples)
    errors = sum(1 for s in samples if is_error(s.status))
    return {
        "count": len(samples),
        "requests_per_second": round(len(samples) / span, 1) if span > 0 else None,
        "latency_ms": {"p50": _r(quantile(latencies, 0.5)), "p95": _r(quantile(latencies, 0.95)),
                       "p99": _r(quantile(latencies, 0.99)), "max": _r(max(latencies))},
        "status_codes": dict(sorted(statuses.items())),
        "errors": errors,
        "failed_checks": sum(1 for s in samples if not s.ok),
        "error_rate": round(errors / len(samples), 5),
        "share_under_slo_latency": round(sum(1 for v in latencies if v < slo_latency_ms) / len(samples), 5),
    }


def by_name(samples):
    groups = defaultdict(list)
    for s in samples:
        groups[s.name].append(s)
    return {name: describe(group) for name, group in sorted(groups.items())}


def _r(v):
    return None if v is None else round(v, 2)
