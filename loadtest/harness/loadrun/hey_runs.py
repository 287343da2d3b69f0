"""The hey drills: one URL each, hammered by N workers; prepared through the API first."""
import csv
import os
import subprocess
from typing import NamedTuple, Optional

from . import pictures
from .samples import Sample


class HeyDrill(NamedTuple):
    name: str            # the request name in summaries and thresholds
    url: str
    method: str = "GET"
    headers: tuple = ()
    body_file: Optional[str] = None
    content_type: Optional[str] = None
    concurrency: int = 50
    note: str = ""
    expect: int = 200


def prepare(scenario, api, workdir, concurrency):
    """(drills, token of the account they act as) for one hey scenario, prepared through the API."""
    email, password = api.new_account("hey")
    token = api.login(email, password)
    auth = (f"Authorization: Bearer {token}",)
    base = api.base_url
    if scenario == "image-get":
        # ~100 KB PNG, the seed's own drill: hey -n 100000 -c 100 $BASE/uploads/<sha>.png
        picture = api.upload_png(token, pictures.png(220, 150, 42))
        api.await_ready(token, picture["id"])
        return [HeyDrill("image_original", base + picture["url"], concurrency=concurrency)], token
    if scenario == "me":
        return [HeyDrill("me", base + "/api/me", headers=auth, concurrency=concurrency)], token
    if scenario == "login":
        body = _write(workdir, "login.json", ('{"email":"%s","password":"%s"}' % (email, password)).encode())
        return [HeyDrill("login", base + "/api/auth/login", "POST", body_file=body, content_type="application/json",
                         concurrency=min(concurrency, 8),
                         note="bounded by Argon2id on AUTH_HASH_THREADS workers: expect tens of logins/s per core, "
                              "not thousands; the gateway's per-address login limit was raised for this run")], token
    if scenario == "upload":
        # one prebuilt body: the same bytes each time, so the store keeps one blob but every
        # upload is still a new image row, an outbox event and a thumbnail job
        body = _write(workdir, "upload.multipart",
                      pictures.multipart("image", "burst.png", "image/png", pictures.png(320, 240, 7)))
        return [HeyDrill("upload", base + "/api/images", "POST", headers=auth, body_file=body,
                         content_type=pictures.MULTIPART_CONTENT_TYPE, concurrency=min(concurrency, 16), expect=202,
                         note="one prebuilt multipart body (same bytes: deduplicated blob, new row and job per upload)")], token
    raise SystemExit(f"unknown hey scenario {scenario}")


def _write(workdir, name, data):
    path = os.path.join(workdir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def run(drill, duration, raw_dir, requests=None):
    """Runs hey once; its CSV is kept in raw_dir, its rows returned as samples."""
    cmd = ["hey", "-o", "csv", "-c", str(drill.concurrency), "-m", drill.method, "-t", "20"]
    cmd += ["-n", str(requests)] if requests else ["-z", duration]
    for h in drill.headers:
        cmd += ["-H", h]
    if drill.body_file:
        cmd += ["-D", drill.body_file, "-T", drill.content_type]
    cmd.append(drill.url)
    raw = os.path.join(raw_dir, f"hey-{drill.name}.csv")
    with open(raw, "w") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"hey failed ({done.returncode}): {done.stderr.strip()}")
    with open(os.path.join(raw_dir, f"hey-{drill.name}.cmd"), "w") as f:
        f.write(" ".join(_redact(c) for c in cmd) + "\n")
    return parse(raw, drill)


def parse(path, drill):
    with open(path, newline="") as f:
        return [Sample(float(r["offset"]), drill.name, int(r["status-code"]), float(r["response-time"]) * 1000,
                       "hey", int(r["status-code"]) == drill.expect) for r in csv.DictReader(f)]


def _redact(arg):
    return "Authorization: Bearer <token>" if arg.startswith("Authorization: Bearer") else arg
