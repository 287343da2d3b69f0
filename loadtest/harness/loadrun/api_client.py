"""What a user does through the gateway, for preparing runs (accounts, tokens, images) and for
reading results back (the gallery's timestamps give accepted->ready per image)."""
import http.client
import json
import time
import urllib.parse
import uuid
from datetime import datetime

from . import pictures

PASSWORD = "correct horse battery staple"


class ApiError(Exception):
    pass


class Shutterbus:
    def __init__(self, base_url, timeout_s=30):
        url = urllib.parse.urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = url.hostname, url.port or 80
        self.timeout_s = timeout_s

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, dict((k.lower(), v) for k, v in res.getheaders()), res.read()
        finally:
            conn.close()

    def _json(self, method, path, payload=None, token=None, expect=(200,)):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        status, _, body = self.request(method, path, json.dumps(payload) if payload is not None else None, headers)
        if status not in expect:
            raise ApiError(f"{method} {path}: {status} {body[:300]!r}")
        return json.loads(body) if body else None

    def new_account(self, name="loadtest"):
        """Registers a fresh account; (email, password)."""
        email = f"{name}-{uuid.uuid4().hex[:10]}@example.com"
        self._json("POST", "/api/auth/register", {"email": email, "password": PASSWORD, "name": name}, expect=(201,))
        return email, PASSWORD

    def login(self, email, password=PASSWORD):
        return self._json("POST", "/api/auth/login", {"email": email, "password": password})["accessToken"]

    def upload_png(self, token, data, name="picture.png"):
        return self.upload(token, data, name, "image/png")

    def upload(self, token, data, name, content_type):
        body = pictures.multipart("image", name, content_type, data)
        status, _, answer = self.request("POST", "/api/images", body, {
            "authorization": f"Bearer {token}", "content-type": pictures.MULTIPART_CONTENT_TYPE})
        if status != 202:
            raise ApiError(f"upload: {status} {answer[:300]!r}")
        return json.loads(answer)

    def image(self, token, image_id):
        return self._json("GET", f"/api/images/{image_id}", token=token)

    def await_ready(self, token, image_id, timeout_s=180):
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            image = self.image(token, image_id)
            if image["status"] != "processing":
                return image
            time.sleep(0.1)
        raise ApiError(f"image {image_id} still processing after {timeout_s} s")

    def gallery(self, token):
        """Every image of the account, all pages."""
        items, cursor = [], None
        while True:
            path = "/api/images?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
            page = self._json("GET", path, token=token)
            items += page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return items

    def settle(self, token, timeout_s=120):
        """Waits until no image of the account is processing; the gallery then."""
        deadline = time.time() + timeout_s
        while True:
            items = self.gallery(token)
            if not any(i["status"] == "processing" for i in items) or time.time() > deadline:
                return items


def accepted_to_ready_seconds(items):
    """Per ready image: updatedAt (marked ready) - createdAt (accepted), both stamped by the service."""
    out = []
    for item in items:
        if item["status"] == "ready":
            out.append((_instant(item["updatedAt"]) - _instant(item["createdAt"])).total_seconds())
    return out


def _instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
