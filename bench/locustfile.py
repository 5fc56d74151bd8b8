"""The users of the load test (``bench/load.py``): citizens, officers, leaders; the bare view.

Run through ``bench/load.py``, which prepares the database, starts gunicorn and writes the
fixture this file reads (dossier codes, procedures, form choices: ``BENCH_LOAD_FIXTURE``). For a
look with locust's own web page against a server ``bench/load.py --keep`` left prepared:

    BENCH_LOAD_FIXTURE=var/bench-load/load-fixture.json locust -f bench/locustfile.py \
        --host http://127.0.0.1:8000 Citizen Officer Leader

Run as a script (``python bench/locustfile.py --host … --users N --seconds S --out step.json``)
it is one step of ``bench/load.py``: locust as a library, headless; the users start at
``--spawn-rate`` a second, and once all run (3 s more for the last sign-ins) every request's time
is kept for ``--seconds``, so the percentiles per user class are exact and the ramp is left out.

Every request is checked: the status the page answers a real browser (200, or 302 where a form
redirects), and for forms the page they lead to; anything else counts as an error, with its status.
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import date, timedelta
from itertools import count

from locust import HttpUser, between, constant, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOSSIER_LINK = re.compile(r'href="/ho-so/(\d+)/"')
PASSWORD = os.environ.get("BENCH_LOAD_PASSWORD", "demo-cchc-2026")
SETTLE = 3  # seconds between the last user's start and the measurement
WAIT = tuple(float(x) for x in os.environ.get("BENCH_LOAD_WAIT", "1,3").split(","))
SEARCH_WORDS = ["khai sinh", "kết hôn", "chứng thực", "đất đai", "hộ kinh doanh", "cư trú",
                "xây dựng", "khai tử", "giấy phép", "hộ tịch"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai"]
# A small PDF for each document a citizen attaches (the form checks the leading bytes).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _fixture() -> dict:
    path = os.environ.get("BENCH_LOAD_FIXTURE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


FIXTURE = _fixture()


def applicant_fields(rng: random.Random) -> dict:
    birth = date.today() - timedelta(days=rng.randint(18 * 365, 80 * 365))
    century_sex = (0 if birth.year < 2000 else 2) + rng.randint(0, 1)
    cccd = (
        f"0{rng.randint(1, 96):02d}{century_sex}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
    )
    return {
        "applicant_kind": "individual",
        "applicant_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "applicant_id_type": "cccd",
        "applicant_id_number": cccd,
        "applicant_birth_date": birth.strftime("%d/%m/%Y"),
        "applicant_phone": f"09{rng.randint(10**7, 10**8 - 1)}",
        "applicant_email": "",
        "applicant_address": f"Số {rng.randint(1, 300)} đường Lê Lợi, tỉnh An Bình",
        "representative_name": "",
        "representative_id_number": "",
        "authorisation_document": "",
    }


class Base(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def context(self):
        return {"role": self.role}

    def page(self, url: str, name: str, expect=(200,), marker: str | None = None, **kwargs):
        """GET ``url`` (redirects not followed); anything but ``expect`` is an error."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as answer:
            self._judge(answer, expect, marker)
            return answer

    def post(self, url: str, data: dict, name: str, expect=(302,), location: str | None = None,
             marker: str | None = None, **kwargs):  # fmt: skip
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as answer:
            self._judge(answer, expect, marker)
            target = answer.headers.get("Location", "")
            if answer.status_code == 302 and location and location not in target:
                answer.failure(f"redirected to {target!r}, expected {location!r}")
            return answer

    @staticmethod
    def _judge(answer, expect, marker) -> None:
        if answer.status_code not in expect:
            answer.failure(f"HTTP {answer.status_code}")
        elif marker and marker not in answer.text:
            answer.failure(f"the page lacks {marker!r}")
        else:
            answer.success()

    def token(self, url: str, name: str) -> str | None:
        answer = self.page(url, name)
        found = CSRF.search(answer.text or "")
        return found.group(1) if found else None

    def sign_in(self, username: str) -> None:
        url = "/tai-khoan/dang-nhap/"
        token = self.token(url, "GET /tai-khoan/dang-nhap/")
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        self.post(url, data, "POST /tai-khoan/dang-nhap/")


class Citizen(Base):
    """Finds a procedure, reads it, looks a dossier up, and now and then submits one online."""

    role = "citizen"
    weight = 6

    def on_start(self):
        self.rng = random.Random()
        self.signed_in = False

    @task(3)
    def catalog(self):
        self.page("/thu-tuc/", "GET /thu-tuc/")

    @task(4)
    def search(self):
        self.page(
            "/thu-tuc/",
            "GET /thu-tuc/?q=[words]",
            params={"q": self.rng.choice(SEARCH_WORDS)},
        )

    @task(4)
    def procedure(self):
        code = self.rng.choice(FIXTURE["procedures"])
        self.page(f"/thu-tuc/{code}/", "GET /thu-tuc/[code]/")

    @task(3)
    def lookup(self):
        code, digits = self.rng.choice(FIXTURE["lookups"])
        token = self.token(f"/tra-cuu/?ma={code}", "GET /tra-cuu/?ma=[code]")
        self.post(
            "/tra-cuu/",
            {"csrfmiddlewaretoken": token, "code": code, "digits": digits},
            "POST /tra-cuu/",
            expect=(200,),
            marker='class="h5 procedure-code"',
        )

    @task(1)
    def submit_online(self):
        """The online form as the signed-in citizen: the form, then the dossier with its files."""
        if not self.signed_in:
            self.sign_in(FIXTURE["citizen"])
            self.signed_in = True
        item = self.rng.choice(FIXTURE["online"])
        url = f"/cong-dan/nop/{item['code']}/"
        token = self.token(url, "GET /cong-dan/nop/[code]/")
        data = {
            "csrfmiddlewaretoken": token,
            **applicant_fields(self.rng),
            "unit": item["unit"],
            "online_mode": "full",
            "submit": "1",
        }
        files = {
            f"file_{pk}": (f"giay-to-{pk}.pdf", PDF, "application/pdf") for pk in item["files"]
        }
        answer = self.post(
            url, data, "POST /cong-dan/nop/[code]/", location="/bien-nhan/", files=files
        )
        if answer.status_code == 302:
            self.page(answer.headers["Location"], "GET /cong-dan/ho-so/[id]/bien-nhan/")
        self.page("/cong-dan/ho-so/", "GET /cong-dan/ho-so/")


class Officer(Base):
    """The one-stop officer (queues, dossiers, counter intake, accepting online dossiers) and the
    processing officer (queues and dossiers), in turns."""

    role = "officer"
    weight = 3
    numbers = count()

    def on_start(self):
        self.rng = random.Random()
        accounts = FIXTURE["officers"]
        self.account = accounts[next(Officer.numbers) % len(accounts)]
        self.sign_in(self.account["username"])
        self.dossiers: list[str] = []

    def _remember(self, answer) -> None:
        found = DOSSIER_LINK.findall(answer.text or "")
        if found:
            self.dossiers = found[:50]

    @task(3)
    def my_queue(self):
        self._remember(self.page("/ho-so/", "GET /ho-so/"))

    @task(3)
    def named_queue(self):
        slug = self.rng.choice(self.account["queues"])
        self._remember(self.page(f"/ho-so/hang-doi/{slug}/", "GET /ho-so/hang-doi/[slug]/"))

    @task(4)
    def dossier(self):
        if not self.dossiers:
            self._remember(self.page("/ho-so/hang-doi/tat-ca/", "GET /ho-so/hang-doi/[slug]/"))
        if self.dossiers:
            pk = self.rng.choice(self.dossiers)
            self.page(f"/ho-so/{pk}/", "GET /ho-so/[id]/")

    @task(2)
    def counter_intake(self):
        intake = self.account.get("intake")
        if not intake:
            return self.dossier()
        item = self.rng.choice(intake)
        url = "/ho-so/tiep-nhan/"
        token = self.token(url, "GET /ho-so/tiep-nhan/")
        self.page(
            "/ho-so/tiep-nhan/danh-muc-giay-to/",
            "GET /ho-so/tiep-nhan/danh-muc-giay-to/",
            params={"procedure": item["procedure"]},
            headers={"HX-Request": "true"},
        )
        data = {
            "csrfmiddlewaretoken": token,
            **applicant_fields(self.rng),
            "procedure": item["procedure"],
            "unit": item["unit"],
            "channel": "1",
            "note": "",
            **{f"component_{pk}": "on" for pk in item["components"]},
        }
        answer = self.post(url, data, "POST /ho-so/tiep-nhan/", location="/giay-tiep-nhan/")
        if answer.status_code == 302:
            self.page(answer.headers["Location"], "GET /ho-so/[id]/giay-tiep-nhan/")

    @task(2)
    def accept_online(self):
        """Accept the first online dossier waiting for the counter's check, if there is one."""
        if not self.account.get("intake"):
            return self.dossier()
        waiting = self.page("/ho-so/hang-doi/cho-kiem-tra/", "GET /ho-so/hang-doi/[slug]/")
        found = DOSSIER_LINK.findall(waiting.text or "")
        if not found:
            return None
        pk = self.rng.choice(found[:5])
        detail = self.page(f"/ho-so/{pk}/", "GET /ho-so/[id]/")
        form = re.search(
            rf'action="/ho-so/{pk}/accept/".*?name="csrfmiddlewaretoken" value="([^"]+)"'
            r'.*?name="version" value="(\d+)"',
            detail.text or "",
            re.S,
        )
        if form is None:  # accepted meanwhile by another officer
            return None
        data = {"csrfmiddlewaretoken": form.group(1), "version": form.group(2), "note": ""}
        self.post(
            f"/ho-so/{pk}/accept/", data, "POST /ho-so/[id]/accept/", location=f"/ho-so/{pk}/"
        )
        return None


class Leader(Base):
    """The leader's dashboard, its live part (htmx every 60 s) and the period report."""

    role = "leader"
    weight = 1

    def on_start(self):
        self.rng = random.Random()
        self.sign_in(FIXTURE["leader"])

    @task(3)
    def dashboard(self):
        self.page("/dieu-hanh/", "GET /dieu-hanh/")

    @task(3)
    def live(self):
        self.page(
            "/dieu-hanh/cap-nhat/", "GET /dieu-hanh/cap-nhat/", headers={"HX-Request": "true"}
        )

    @task(2)
    def report(self):
        today = date.today()
        params = self.rng.choice(
            [
                {"ky": "thang", "nam": today.year, "so": today.month},
                {"ky": "quy", "nam": today.year, "so": (today.month - 1) // 3 + 1},
                {"ky": "nam", "nam": today.year - 1},
            ]
        )
        self.page("/bao-cao/", "GET /bao-cao/?ky=…", params=params)


class Health(Base):
    """The ceiling: the bare view ``/healthz`` through the same middleware, no think time."""

    role = "bare view"
    wait_time = constant(0)

    @task
    def healthz(self):
        self.page("/healthz", "GET /healthz")


MIX = [Citizen, Officer, Leader]


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(records: list[tuple[str, str, float, str | None]], seconds: float) -> dict:
    """Requests/s, p50/p95/p99 and errors per user class, per request and in total."""

    def block(rows):
        times = sorted(row[2] for row in rows)
        errors = [row[3] for row in rows if row[3]]
        return {
            "requests": len(rows),
            "rps": round(len(rows) / seconds, 2) if seconds else 0.0,
            "p50_ms": round(_percentile(times, 0.50), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
            "p99_ms": round(_percentile(times, 0.99), 1),
            "max_ms": round(times[-1], 1) if times else 0.0,
            "errors": len(errors),
            "error_rate": round(len(errors) / len(rows), 4) if rows else 0.0,
        }

    roles = sorted({row[0] for row in records})
    names = sorted({(row[0], row[1]) for row in records})
    errors: dict[str, int] = {}
    for role, name, _ms, error in records:
        if error:
            key = f"{role} {name}: {error}"
            errors[key] = errors.get(key, 0) + 1
    return {
        "seconds": round(seconds, 1),
        "total": block(records),
        "roles": {role: block([r for r in records if r[0] == role]) for role in roles},
        "requests": {
            f"{role} {name}": block([r for r in records if r[0] == role and r[1] == name])
            for role, name in names
        },
        "error_kinds": errors,
    }


def with_counts(classes: list, users: int) -> list:
    """The classes with fixed numbers of users in proportion to their weights (largest
    remainders), at least one of each when there are enough users, so every page is measured."""
    total = sum(cls.weight for cls in classes)
    shares = [users * cls.weight / total for cls in classes]
    counts = [int(share) for share in shares]
    if users >= len(classes):
        counts = [max(1, n) for n in counts]
    order = sorted(range(len(classes)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in order:
        if sum(counts) >= users:
            break
        counts[i] += 1
    while sum(counts) > users:  # the minimum of one each took users from the largest class
        counts[counts.index(max(counts))] -= 1
    return [
        type(cls.__name__, (cls,), {"fixed_count": n, "__module__": cls.__module__})
        for cls, n in zip(classes, counts, strict=True)
        if n
    ]


def run_step(host: str, users: int, seconds: float, classes: list, spawn_rate: float) -> dict:
    """One step: ``users`` users of ``classes`` started at ``spawn_rate`` a second; once all run
    (and ``SETTLE`` seconds more, for the last ones to sign in), ``seconds`` measured."""
    import time

    import gevent
    from locust.env import Environment

    environment = Environment(user_classes=with_counts(classes, users), host=host)
    records: list[tuple[str, str, float, str | None]] = []
    measuring = False

    def on_request(request_type, name, response_time, response_length, exception=None,
                   context=None, **_kwargs):  # fmt: skip
        if measuring:
            role = (context or {}).get("role", "?")
            error = str(exception)[:120] if exception else None
            records.append((role, name, response_time, error))

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    while runner.user_count < users:
        gevent.sleep(0.1)
    gevent.sleep(SETTLE)
    measuring, started = True, time.monotonic()
    gevent.sleep(seconds)
    measuring, elapsed = False, time.monotonic() - started
    runner.quit()
    return {"users": users, **summarise(records, elapsed)}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="One step of bench/load.py.")
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--ceiling", action="store_true", help="the bare view only")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    classes = [Health] if args.ceiling else MIX
    result = run_step(args.host, args.users, args.seconds, classes, args.spawn_rate)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
