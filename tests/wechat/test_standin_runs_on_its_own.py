"""The stand-in as its own process (as other test runners use it): it prints its address and
answers WeChat's endpoints and its control routes."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def call(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_the_standin_serves_from_its_own_process():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.wechat.standin", "--appid", "wxown", "--secret", "s"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = json.loads(process.stdout.readline())["url"]
        code = call(f"{url}/_standin/login_code", {"openid": "o-own"})["code"]
        query = f"appid=wxown&secret=s&js_code={code}&grant_type=authorization_code"

        first = call(f"{url}/sns/jscode2session?{query}")
        again = call(f"{url}/sns/jscode2session?{query}")
        received = call(f"{url}/_standin/received")
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert first["openid"] == "o-own"
    assert first["session_key"]
    assert again["errcode"] == 40163
    assert [r["endpoint"] for r in received["requests"]] == ["jscode2session", "jscode2session"]
