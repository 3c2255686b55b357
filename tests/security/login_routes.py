"""The login routes, each as (how to post, what failure / refusal / success look like): four
by password, and four by a texted code."""

from dataclasses import dataclass

from django.test import Client


@dataclass(frozen=True)
class LoginRoute:
    name: str
    path: str
    json: bool
    accept_json: bool
    failed: int
    refused: int
    succeeded: int

    def attempt(self, username: str, password: str, ip: str):
        headers = {"Accept": "application/json"} if self.accept_json else {}
        client = Client(REMOTE_ADDR=ip, headers=headers)
        body = {"username": username, "password": password}
        if self.json:
            return client.post(self.path, body, content_type="application/json")
        return client.post(self.path, body)


LOGIN_ROUTES = [
    LoginRoute(
        "web", "/login", json=False, accept_json=False, failed=401, refused=429, succeeded=302
    ),
    LoginRoute(
        "api",
        "/api/v1/auth/login",
        json=True,
        accept_json=True,
        failed=401,
        refused=429,
        succeeded=200,
    ),
    LoginRoute(
        "seed", "/login", json=False, accept_json=True, failed=401, refused=429, succeeded=200
    ),
    LoginRoute(
        "admin",
        "/admin/login/",
        json=False,
        accept_json=False,
        failed=200,
        refused=429,
        succeeded=302,
    ),
]


@dataclass(frozen=True)
class CodeRoute:
    """A route that signs in (or resets a password) with a texted code."""

    name: str
    path: str
    json: bool
    purpose: str
    failed: int
    refused: int
    succeeded: int

    def attempt(self, phone: str, code: str, ip: str):
        body = {"phone": phone, "code": code}
        if self.purpose == "reset":
            body["new_password"] = "a brand new secret"
        if self.json:
            return Client(REMOTE_ADDR=ip).post(self.path, body, content_type="application/json")
        return Client(REMOTE_ADDR=ip).post(self.path, {**body, "action": "verify"})


CODE_ROUTES = [
    CodeRoute("api-sms", "/api/v1/auth/sms/verify", True, "login", 401, 429, 200),
    CodeRoute("api-reset", "/api/v1/auth/password/reset", True, "reset", 401, 429, 200),
    CodeRoute("web-code", "/login/code", False, "login", 401, 429, 302),
    CodeRoute("web-reset", "/password/reset", False, "reset", 401, 429, 302),
]
