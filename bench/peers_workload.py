"""The side-by-side workload of bench/peers.py: news articles of 3,000-5,000 code points with curly quotes, accented
names, emoji and CJK, each with 20 gold spans, deterministic in (seed, n); and the client side that both servers
are measured with (a fresh connection per request, 4 client threads, PSS of a process tree).

The generator is the one the side-by-side run of issue 16 used (shared/bench-peers/gen_workload.py), kept here so
that the benchmark runs from a clone: the same seed gives the same articles and spans.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import threading
import time

SEED = 20240601

FIRST = [
    "Amélie",
    "José",
    "Zoë",
    "François",
    "Björn",
    "Chloé",
    "Łukasz",
    "Renée",
    "Søren",
    "Nuño",
    "Maria",
    "James",
    "Aisha",
    "Wei",
    "Olga",
    "Kwame",
    "Priya",
    "Mateo",
    "Hannah",
    "Tomás",
    "Dvořák",
    "Inés",
    "Jürgen",
    "Siobhán",
    "Çağla",
    "Daniel",
    "Fatima",
    "Noah",
    "Elena",
    "Yusuf",
]
LAST = [
    "Müller",
    "Núñez",
    "García",
    "O'Brien",
    "Lefèvre",
    "Kowalski",
    "Håkansson",
    "Smith",
    "Okafor",
    "Chen",
    "Ivanova",
    "Patel",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Fernández",
    "Öztürk",
    "Johnson",
    "Brontë",
    "Svensson",
    "Moreau",
    "Kim",
    "Schröder",
    "Pérez",
]
ROLES = [
    "the finance minister",
    "a spokesperson for the ministry",
    "the mayor of Lyon",
    "an economist at the central bank",
    "the union's general secretary",
    "a senior analyst",
    "the company's chief executive",
    "an opposition lawmaker",
    "a local café owner",
    "the head of the regional health authority",
    "a climate researcher",
    "the city's police chief",
]
PLACES = [
    "Brussels",
    "São Paulo",
    "Zürich",
    "Kraków",
    "Montréal",
    "Reykjavík",
    "Düsseldorf",
    "Málaga",
    "Nairobi",
    "Osaka",
    "Toronto",
    "Lagos",
    "Göteborg",
    "Bogotá",
    "Seoul",
]
TOPICS = [
    "housing",
    "energy prices",
    "the rail strike",
    "inflation",
    "water rights",
    "the new tax bill",
    "public transport",
    "the trade agreement",
    "school funding",
    "wildfire prevention",
    "the port expansion",
    "hospital waiting lists",
    "fishing quotas",
    "the data-protection law",
    "wind farms",
]
ORGS = [
    "the European Commission",
    "the national statistics office",
    "a coalition of NGOs",
    "the Chamber of Commerce",
    "the transport ministry",
    "the regional parliament",
    "the World Health Organization",
    "a consortium of insurers",
    "the city council",
]
VERBS = ["said", "told reporters", "argued", "warned", "insisted", "added", "noted", "wrote"]
ADJ = [
    "sharp",
    "modest",
    "unexpected",
    "long-awaited",
    "controversial",
    "record",
    "gradual",
    "steep",
    "temporary",
    "historic",
]
NOUNS = [
    "increase",
    "decline",
    "reform",
    "shortfall",
    "rebound",
    "slowdown",
    "overhaul",
    "agreement",
    "dispute",
    "investment",
]
EMOJI = ["🔥", "📈", "📉", "🚆", "👍", "🌍", "⚡", "😊", "🏥", "🌊"]
CJK = ["東京", "大阪", "北京", "上海", "首尔", "株式会社", "经济", "新闻"]
SOCIAL = ["@{h} posted: {e} “{q}”", "A viral post by @{h} read “{q} {e}”"]
QUOTES = [
    "We cannot keep postponing decisions on {t}",
    "This is the {a} {n} we have been waiting for",
    "Nobody in {p} believes the numbers add up",
    "The data on {t} tell a very different story",
    "Families are paying the price for a {a} {n}",
    "We will not accept a deal that ignores {t}",
    "Frankly, the {n} came far too late",
    "There is broad support for acting on {t} now",
    "It is a {a} moment for everyone in {p}",
    "I have never seen a {n} like this in my career",
]
CLAIMS = [
    "According to {o}, spending on {t} rose by {x} percent last year.",
    "{o} estimates that {k:,} households in {p} are affected by the {n}.",
    "The {a} {n} followed {y} months of negotiations over {t}.",
    "Official figures show unemployment in {p} at {x} percent, its lowest level since {yr}.",
    "{o} published a report in {yr} linking {t} to the {n}.",
    "Prices for {t} have climbed {x} percent since {yr}, according to {o}.",
    "The measure passed with {k:,} votes in favour and {y} against.",
    "A survey by {o} found that {x} percent of residents oppose the {n}.",
]
FILLER = [
    "The debate over {t} has dominated headlines in {p} for weeks.",
    "Critics say the plan does little to address {t}.",
    "Supporters, however, point to a {a} {n} in neighbouring regions.",
    "Talks are expected to resume next week in {p}.",
    "The announcement came as protesters gathered outside the parliament in {p}.",
    "Observers expect the issue to resurface before the autumn budget — if not sooner.",
    "It remains unclear how the {n} will be financed.",
    "Several ministers declined to comment on the {a} {n}.",
    "Local media in {p} described the mood as tense but calm.",
    "The proposal, first floated in {yr}, was revised twice.",
]
LABEL_PLAN = ["QUOTE", "CLAIM"]
STANCES = ["FAVOR", "AGAINST", "NONE"]


def _fill(rng, template):
    return template.format(
        t=rng.choice(TOPICS),
        p=rng.choice(PLACES),
        o=rng.choice(ORGS),
        a=rng.choice(ADJ),
        n=rng.choice(NOUNS),
        x=rng.randint(2, 48),
        k=rng.randint(1200, 950000),
        y=rng.randint(3, 40),
        yr=rng.randint(1998, 2023),
        h=rng.choice(["citywatch", "railnews", "ana_m", "datajourno", "k_nakamura"]),
        e=rng.choice(EMOJI),
        q=rng.choice(["Unbelievable", "Finally!", "About time", "Not again"]),
    )


def _person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def make_article(seed, i, n_spans=20):
    """Return (title, text, spans) for article i. Deterministic in (seed, i)."""
    rng = random.Random(f"{seed}:{i}")
    want_emoji = i % 4 == 0
    want_cjk = i % 5 == 0
    target = rng.randint(3000, 5000)
    topic = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    title = f"{place}: {rng.choice(ADJ).capitalize()} {rng.choice(NOUNS)} over {topic} — what it means"

    parts = []  # list of (piece_text, span_label_or_None, inner_offset, inner_len)
    # Article 0 and every emoji article start with a dateline carrying an emoji, so an
    # emoji precedes every span in those articles.
    if want_emoji:
        parts.append((f"{place.upper()} {rng.choice(EMOJI)} — ", None, 0, 0))
    else:
        parts.append((f"{place.upper()} — ", None, 0, 0))
    if want_cjk:
        parts.append((f"(Reporting from {rng.choice(CJK)} and {place}.) ", None, 0, 0))

    length = sum(len(p[0]) for p in parts)
    k = 0
    while length < target - 120:
        kind = rng.random()
        if kind < 0.30:
            q = _fill(rng, rng.choice(QUOTES))
            who = _person(rng)
            sent_pre = "“"
            sent = f"{sent_pre}{q},” {who}, {rng.choice(ROLES)}, {rng.choice(VERBS)}. "
            parts.append((sent, "QUOTE", len(sent_pre), len(q)))
        elif kind < 0.55:
            c = _fill(rng, rng.choice(CLAIMS))
            c = c[0].upper() + c[1:]
            parts.append((c + " ", "CLAIM", 0, len(c)))
        else:
            f = _fill(rng, rng.choice(FILLER))
            parts.append((f + " ", None, 0, 0))
        if want_emoji and k == 7:
            parts.append((_fill(rng, rng.choice(SOCIAL)) + " ", None, 0, 0))
        if want_cjk and k == 11:
            parts.append((f"In {rng.choice(CJK)}, the story trended under the tag #{rng.choice(CJK)}. ", None, 0, 0))
        if k % 6 == 5:
            parts.append(("\n\n", None, 0, 0))
        length += len(parts[-1][0])
        k += 1

    text_pieces = []
    candidates = []
    pos = 0
    for piece, lab, off, ln in parts:
        if lab is not None:
            candidates.append((pos + off, pos + off + ln, lab))
        text_pieces.append(piece)
        pos += len(piece)
    text = "".join(text_pieces).rstrip()
    if len(text) > 5000:
        text = text[:5000].rstrip()
    candidates = [c for c in candidates if c[1] <= len(text)]

    # Pick n_spans spans; if fewer candidate sentences exist, split long ones (never overlap).
    if len(candidates) >= n_spans:
        chosen = sorted(rng.sample(candidates, n_spans))
    else:
        chosen = list(candidates)
        while len(chosen) < n_spans:
            chosen.sort(key=lambda c: c[0] - c[1])  # longest first
            s, e, lab = chosen.pop(0)
            mid = s + (e - s) // 2
            chosen += [(s, mid, lab), (mid, e, lab)]
        chosen.sort()
    spans = [{"start": s, "end": e, "label": lab, "stance": rng.choice(STANCES)} for s, e, lab in chosen]
    return title, text, spans


def articles(count: int, start: int = 0) -> list[dict]:
    """Articles `start` .. `start + count - 1`: {"title", "text", "spans": [{start, end, label, stance}]}."""
    out = []
    for n in range(start, start + count):
        title, text, spans = make_article(SEED, n)
        out.append({"n": n, "title": title, "text": text, "spans": spans})
    return out


# --- the client -----------------------------------------------------------------------------------


class Api:
    """A JSON client on 127.0.0.1 that opens a fresh connection for every request, as most clients do."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port, self.headers = port, dict(headers or {})

    def request(self, method: str, path: str, body=None) -> tuple[int, object, float]:
        """(status, parsed JSON or None, seconds from sending to the last byte read)."""
        headers = {**self.headers, "Connection": "close"}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            headers.setdefault("Content-Type", "application/json")
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = payload
        return response.status, parsed, seconds


def run_concurrent(jobs, clients: int, job) -> tuple[float, list[float], int, str | None]:
    """Run job(item) -> [(ok, seconds, error)] over the items from `clients` threads: wall seconds, latencies of
    the requests that succeeded, the number that failed and the first failure."""
    todo: queue.Queue = queue.Queue()
    for item in jobs:
        todo.put(item)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client():
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results = job(item)
            except Exception as error:  # the run goes on and counts it
                results = [(False, 0.0, repr(error))]
            with lock:
                for ok, seconds, error in results:
                    if ok:
                        latencies.append(seconds)
                    else:
                        errors.append(error)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, len(errors), errors[0] if errors else None


def percentile_ms(seconds: list[float], p: float) -> float:
    """Percentile with linear interpolation, in milliseconds."""
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return (ordered[low] + (ordered[high] - ordered[low]) * (k - low)) * 1000


# --- memory ---------------------------------------------------------------------------------------


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
                children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def pss_mib(pids: list[int]) -> float:
    """Proportional set size of the processes (pages shared between them counted once in all), MiB."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def spans_200(article: dict) -> list[tuple[int, int, str]]:
    """200 distinct spans on one article: the 20 gold spans, each also shortened by 1..9 code points."""
    out = []
    for k in range(200):
        span = article["spans"][k % 20]
        end = span["end"] - k // 20
        out.append((span["start"], end if end > span["start"] else span["end"], span["label"]))
    return out


def rng_for(*parts) -> random.Random:
    return random.Random(":".join(map(str, parts)))
