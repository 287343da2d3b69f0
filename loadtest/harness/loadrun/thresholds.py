"""The thresholds of scenarios.md, checked against a run's summary."""
import os

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "scenarios.md")


def _tables(path=DOC):
    """Every markdown table in the document as (header cells, rows of cells)."""
    tables, header, rows = [], None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("|"):
                cells = [c.strip() for c in line.strip("|").split("|")]
                if header is None:
                    header = cells
                elif not set("".join(cells)) <= set("-: "):
                    rows.append(cells)
            elif header is not None:
                tables.append((header, rows))
                header, rows = None, []
    if header is not None:
        tables.append((header, rows))
    return tables


def for_scenario(scenario):
    """{'requests': {name: {'p95': ms, 'p99': ms}}, 'max_error_rate': r, 'accepted_to_ready_p99': ms}"""
    out = {"requests": {}, "max_error_rate": None, "accepted_to_ready_p99": None}
    for header, rows in _tables():
        if header[:2] == ["scenario", "request"]:
            for s, request, p95, p99 in rows:
                if s == scenario:
                    out["requests"][request] = {"p95": float(p95), "p99": float(p99)}
        elif header[:2] == ["scenario", "max error rate"]:
            for s, rate, ready in rows:
                if s == scenario:
                    out["max_error_rate"] = float(rate)
                    out["accepted_to_ready_p99"] = None if ready == "-" else float(ready)
    return out


def check(scenario, summary):
    """[(check, limit, actual, passed)] for one run; empty when the scenario has no thresholds."""
    t = for_scenario(scenario)
    results = []
    if t["max_error_rate"] is not None:
        actual = summary["overall"].get("error_rate", 0)
        results.append(("failed share (unexpected status or no answer)", f"< {t['max_error_rate']}", actual, actual < t["max_error_rate"]))
    for request, limits in t["requests"].items():
        stats = summary["requests"].get(request)
        if not stats or not stats.get("count"):
            results.append((f"{request} ran", "> 0 requests", 0, False))
            continue
        for q in ("p95", "p99"):
            actual = stats["latency_ms"][q]
            results.append((f"{request} {q}", f"< {limits[q]:g} ms", actual, actual < limits[q]))
    if t["accepted_to_ready_p99"] is not None:
        ready = summary.get("accepted_to_ready_s") or {}
        actual = ready.get("p99")
        limit = t["accepted_to_ready_p99"] / 1000
        results.append(("accepted_to_ready p99", f"< {limit:g} s", actual, actual is not None and actual < limit))
    return results
