"""What a drill asserts, the same here and on minikube: the fault's timings from the probes, and
after recovery that every accepted registration and upload is present and processed exactly once
(rows, events, thumbnails, galleries), with nothing left in an outbox."""
import json
import time
from collections import Counter

from . import api_client
from .drill_load import http_status

FIRST_503_LIMIT_S = 2.0


def first(samples, after, pred):
    for s in sorted(samples, key=lambda s: s.offset_s):
        if s.offset_s >= after and pred(s):
            return s
    return None


def timings(load, t_fault, t_repair):
    """Seconds from the fault to the first 503 and to readiness DOWN (per service), and from the repair
    to readiness UP again and to the first success of a call that failed during the fault."""
    api = [s for s in load.samples if s.name in ("probe_me", "upload", "register")]
    f503 = first(api, t_fault, lambda s: s.status == 503)
    ferr = first(api, t_fault, lambda s: s.status == 0 or s.status >= 500)
    down, up = {}, {}
    for service in load.services:
        rows = sorted((t, ok) for t, svc, ok in load.readiness if svc == service)
        d = next((t for t, ok in rows if t >= t_fault and not ok), None)
        down[service] = None if d is None else round(d - t_fault, 2)
        last_down = max((t for t, ok in rows if not ok and t >= t_fault), default=None)
        if last_down is not None:
            back = next((t for t, ok in rows if t > last_down and ok), None)
            up[service] = None if back is None else round(max(0.0, back - t_repair), 2)
    failing = {s.name for s in api if t_fault <= s.offset_s < t_repair and (s.status == 0 or s.status >= 500)}
    success = {}
    for name in sorted(failing):
        ok = first([s for s in api if s.name == name], t_repair, lambda s: 200 <= s.status < 300)
        success[name] = None if ok is None else round(ok.offset_s + ok.latency_ms / 1000 - t_repair, 2)
    return {
        "first_503_s": None if f503 is None else round(f503.offset_s + f503.latency_ms / 1000 - t_fault, 2),
        "first_503_request": None if f503 is None else f503.name,
        "first_error_s": None if ferr is None else round(ferr.offset_s + ferr.latency_ms / 1000 - t_fault, 2),
        "readiness_down_s": down,
        "readiness_up_after_repair_s": up,
        "first_success_after_repair_s": success,
    }


def error_budget(samples, objective=0.999, month_s=30 * 24 * 3600):
    """The availability SLO's budget spent by the drill's own requests: bad = 5xx or no answer.
    `share_of_run_budget`: bad / (allowed share x requests); `share_of_30d_budget`: bad requests over
    what 30 days at the drill's request rate may fail."""
    if not samples:
        return None
    bad = sum(1 for s in samples if s.status == 0 or s.status >= 500)
    span = max(s.offset_s for s in samples) - min(s.offset_s for s in samples) or 1
    rate = len(samples) / span
    return {"requests": len(samples), "bad": bad, "objective": objective,
            "share_of_run_budget": round(bad / ((1 - objective) * len(samples)), 3),
            "share_of_30d_budget": round(bad / ((1 - objective) * rate * month_s), 5)}


def settle(api, tokens, image_ids, timeout_s):
    """Waits until none of the ledger's images is processing; the accounts' galleries then."""
    deadline = time.time() + timeout_s
    wanted = set(image_ids)
    while True:
        galleries = {i: api.gallery(t) for i, t in enumerate(tokens)}
        processing = [g["id"] for items in galleries.values() for g in items
                      if g["id"] in wanted and g["status"] == "processing"]
        if not processing or time.time() > deadline:
            return galleries, processing


def verify(ledger, api, tokens, counts_fn, settle_timeout_s=180):
    """Checks in the shape of the run's checks list (check, limit, actual, passed), plus the raw figures."""
    checks, figures = [], {}

    def check(name, limit, actual, passed):
        checks.append({"check": name, "limit": limit, "actual": actual, "passed": bool(passed)})

    image_ids = [i for i, _ in ledger.images]
    t0 = time.time()
    galleries, processing = settle(api, tokens, image_ids, settle_timeout_s)
    figures["settle_s"] = round(time.time() - t0, 1)
    check("accepted uploads still processing after recovery", "0", len(processing), not processing)
    listed = Counter(g["id"] for items in galleries.values() for g in items)
    by_id = {g["id"]: g for items in galleries.values() for g in items}
    missing = [i for i in image_ids if i not in listed]
    dup_listed = [i for i, n in listed.items() if n > 1]
    not_ready = [i for i in image_ids if i in by_id and by_id[i]["status"] != "ready"]
    check("accepted uploads (202) in their owner's gallery", f"{len(image_ids)}", len(image_ids) - len(missing), not missing)
    check("images listed twice in a gallery", "0", len(dup_listed), not dup_listed)
    check("accepted uploads ready (thumbnails made)", f"{len(image_ids)}", len(image_ids) - len(not_ready), not not_ready)
    thumbs_bad = []
    for i in image_ids:
        for url in thumbnail_urls(by_id.get(i, {})):
            if http_status(api.base_url + url, 10) != 200:
                thumbs_bad.append(url)
    expected_thumbs = sum(len(thumbnail_urls(by_id.get(i, {}))) for i in image_ids)
    check("thumbnails of accepted uploads served", f"{expected_thumbs} (200)", expected_thumbs - len(thumbs_bad),
          not thumbs_bad and expected_thumbs > 0 or not image_ids)
    logins_bad = []
    for _, email in ledger.users:
        try:
            api.login(email)
        except (api_client.ApiError, OSError):
            logins_bad.append(email)
    check("accepted registrations (201) can log in", f"{len(ledger.users)}", len(ledger.users) - len(logins_bad),
          not logins_bad)
    counts = counts_fn(settle_timeout_s)
    if counts:
        figures["database_and_events"] = counts
        if counts.get("error"):
            check("rows and events counted", "no error", counts["error"], False)
        for name, (actual, lo, hi) in counts["compare"].items():
            check(name, str(lo) if lo == hi else f"{lo}..{hi}", actual, lo <= actual <= hi)
    return checks, figures


def thumbnail_urls(item):
    """{"256": url, "1024": url} on a ready image."""
    return sorted((item.get("thumbnails") or {}).values())


# SQL the drill runs after recovery; every count is over the whole (throw-away) database.
COUNT_SQL = {
    "auth_users": "select count(*) from auth.users",
    "image_users": "select count(*) from images.users",
    "images": "select count(*) from images.images",
    "images_ready": "select count(*) from images.images where status = 'ready' and processed_event_id is not null",
    "images_not_ready": "select count(*) from images.images where status <> 'ready'",
    "counted_images": "select count(*) from auth.user_images",
    "image_count_sum": "select coalesce(sum(image_count), 0) from auth.user_stats",
    "outbox_unsent_auth": "select count(*) from auth.outbox where sent_at is null",
    "outbox_unsent_images": "select count(*) from images.outbox where sent_at is null",
    "distinct_blobs": "select count(distinct sha256) from images.images where status = 'ready'",
}


def database_counts(sql):
    out = {k: int(sql(q).strip() or 0) for k, q in COUNT_SQL.items()}
    # the slowest accepted -> ready of any image, stamped by the services themselves
    slowest = sql("select coalesce(extract(epoch from max(updated_at - created_at)), 0) from images.images "
                  "where status = 'ready'").strip()
    out["slowest_accepted_to_ready_s"] = round(float(slowest or 0), 2)
    return out


def event_counts(tail):
    """Per topic: messages, distinct keys and distinct event ids (ce_id), from the beginning."""
    out = {}
    for topic in ("users.registered", "images.uploaded", "images.processed", "images.failed"):
        keys, ids, n = Counter(), Counter(), 0
        for line in tail(topic):
            if not line.startswith("{"):
                continue
            e = json.loads(line)
            n += 1
            keys[e.get("key")] += 1
            headers = e.get("headers") or {}
            ids[headers.get("ce_id") if isinstance(headers, dict) else str(headers)] += 1
        out[topic] = {"messages": n, "distinct_keys": len(keys), "distinct_event_ids": len(ids),
                      "keys_seen_twice": sum(1 for v in keys.values() if v > 1)}
    return out


def compare(db, events, users, images):
    """name -> (actual, lowest, highest expected): every 2xx a row, every row its event, every event
    consumed once. `users`/`images` are (answered 2xx, sent without an answer) over all clients: a
    request that got no answer may or may not have been accepted."""
    exact = lambda actual, expected: (actual, expected, expected)
    pairs = {
        "user rows = registrations answered 201 (all clients)": (db["auth_users"], users[0], users[0] + users[1]),
        "galleries provisioned (users.registered consumed) = user rows": exact(db["image_users"], db["auth_users"]),
        "image rows = uploads answered 202 (all clients)": (db["images"], images[0], images[0] + images[1]),
        "image rows ready, processed once (processed_event_id set) = image rows": exact(db["images_ready"], db["images"]),
        "images counted on profiles (images.processed consumed) = ready rows": exact(db["counted_images"], db["images_ready"]),
        "sum of profile image counts = counted images (no double count)": exact(db["image_count_sum"], db["counted_images"]),
        "outbox rows not sent (auth + images)": exact(db["outbox_unsent_auth"] + db["outbox_unsent_images"], 0),
    }
    if events:
        pairs.update({
            "users.registered distinct keys = user rows": exact(events["users.registered"]["distinct_keys"], db["auth_users"]),
            "images.uploaded distinct keys = image rows": exact(events["images.uploaded"]["distinct_keys"], db["images"]),
            "images.processed distinct keys = ready rows": exact(events["images.processed"]["distinct_keys"], db["images_ready"]),
        })
    return pairs
