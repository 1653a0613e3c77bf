"""Every Locust request as a point in InfluxDB 1.x, for the Load Testing dashboard.

Enabled by INFLUXDB_URL (http://[user:password@]host:8086/<database>; the database is
created if missing). Python's standard library only: InfluxDB's HTTP API and its line
protocol (POST /write, POST /query for CREATE DATABASE), so the official Locust image
writes too, with no `influxdb` package.

Nothing here can stop or slow the load test:
- a request only formats one line and appends it to a bounded queue (MAX_QUEUED lines;
  past that, new points are dropped and counted);
- a background greenlet writes the queue once a second, in POSTs of at most BATCH_LINES
  lines. Locust runs on gevent and monkey-patches the socket module, so urllib's HTTP
  calls yield to the users while they wait on InfluxDB instead of blocking them;
- a failed write (InfluxDB absent, slow, restarting) keeps its lines for the next try
  (writes are idempotent in InfluxDB: same series, same timestamp, same point); lines
  InfluxDB rejects (400) are dropped. Both are counted and logged (a warning at the first
  failure, then at most every LOG_EVERY seconds), never raised into Locust;
- the queue is flushed when a test stops and, once more, when Locust quits.

Layout (read by dashboards/src/load-testing.ts):
  requests  tags: name, method, algorithm, result (success|failure), scenario
            fields: response_time (ms, float), response_length (bytes, integer),
                    status_code (integer)
  users     tags: scenario; fields: user_count (integer)
"""
import base64
import collections
import json
import logging
import math
import time
import urllib.error
import urllib.parse
import urllib.request

import gevent
import gevent.lock

log = logging.getLogger("influx_writer")

BATCH_LINES = 5000
MAX_QUEUED = 100_000
FLUSH_EVERY = 1.0
LOG_EVERY = 30.0
TIMEOUT = 5.0


# ---- line protocol (InfluxDB 1.x) ----
#
# Measurement: commas and spaces are escaped. Tag keys, tag values and field keys: commas,
# equals signs and spaces. String field values are double-quoted, with `"` and `\`
# escaped. InfluxDB 1.x reads any other backslash in a name literally (it unescapes only
# `\,` `\=` `\ `), so backslashes there are left as they are, with two exceptions the
# protocol cannot carry: a backslash at the end of a name would escape the separator after
# it (dropped), and a line break would end the line (written as the two characters `\n`).


def _plain(text):
    text = str(text).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return text.rstrip("\\")


def escape_measurement(name):
    return _plain(name).replace(",", "\\,").replace(" ", "\\ ")


def escape_key(text):
    """A tag key, tag value or field key."""
    return _plain(text).replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ")


def escape_string(value):
    """A string field value, quotes included."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n")
    return '"' + text + '"'


def format_value(value):
    """A field value; None for one line protocol cannot carry (NaN, infinity, None)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}i"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if value is None:
        return None
    return escape_string(value)


def point_line(measurement, tags, fields, time_ns):
    """One line of line protocol; None when no field is left to write.

    Tags with an empty value are left out (InfluxDB refuses them); tags are sorted by key,
    as InfluxDB recommends.
    """
    measurement = escape_measurement(measurement)
    tag_text = "".join(
        f",{key}={value}"
        for key, value in sorted((escape_key(k), escape_key(v)) for k, v in tags.items() if v is not None)
        if key and value
    )
    field_text = ",".join(
        f"{key}={value}"
        for key, value in ((escape_key(k), format_value(v)) for k, v in fields.items())
        if key and value is not None
    )
    if not measurement or not field_text:
        return None
    return f"{measurement}{tag_text} {field_text} {int(time_ns)}"


# ---- InfluxDB's HTTP API ----


class Rejected(Exception):
    """InfluxDB refused the lines themselves (400): sending them again cannot help."""


def parse_url(url):
    """INFLUXDB_URL -> (base URL, database, basic-auth header or None, URL safe to log)."""
    parsed = urllib.parse.urlsplit(url or "")
    prefix, _, database = parsed.path.rstrip("/").rpartition("/")
    if parsed.scheme not in ("http", "https") or not parsed.hostname or not database:
        raise ValueError(f"INFLUXDB_URL={url!r}: expected http://host:port/database (e.g. http://influxdb:8086/locust)")
    try:
        port = parsed.port
    except ValueError as error:
        raise ValueError(f"INFLUXDB_URL={url!r}: {error}") from None
    host = f"[{parsed.hostname}]" if ":" in parsed.hostname else parsed.hostname
    netloc = f"{host}:{port}" if port else host
    base = f"{parsed.scheme}://{netloc}{prefix}"
    auth = None
    if parsed.username is not None:
        pair = f"{urllib.parse.unquote(parsed.username)}:{urllib.parse.unquote(parsed.password or '')}"
        auth = "Basic " + base64.b64encode(pair.encode()).decode()
    return base, urllib.parse.unquote(database), auth, f"{base}/{database}"


class InfluxHttp:
    """POSTs to one InfluxDB 1.x database with urllib (no proxy: InfluxDB is local)."""

    def __init__(self, url, timeout=TIMEOUT):
        self.base, self.database, self.auth, self.safe_url = parse_url(url)
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _post(self, path, query, body, content_type):
        request = urllib.request.Request(f"{self.base}{path}?{urllib.parse.urlencode(query)}", data=body, method="POST")
        request.add_header("Content-Type", content_type)
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:300]
            if error.code == 400:
                raise Rejected(f"HTTP 400: {detail}") from None
            raise OSError(f"HTTP {error.code}: {detail}") from None
        # /query answers 200 with the statement's error inside the body.
        if text.startswith("{") and '"error"' in text:
            raise OSError(json.loads(text).get("error") or text[:300])
        return text

    def create_database(self):
        name = self.database.replace("\\", "\\\\").replace('"', '\\"')
        body = urllib.parse.urlencode({"q": f'CREATE DATABASE "{name}"'}).encode()
        self._post("/query", {}, body, "application/x-www-form-urlencoded")

    def write(self, lines):
        self._post("/write", {"db": self.database, "precision": "n"}, "\n".join(lines).encode(), "text/plain; charset=utf-8")


# ---- Locust ----


class InfluxWriter:
    def __init__(self, environment, url, scenario, http=None, max_queued=MAX_QUEUED, flush_every=FLUSH_EVERY):
        self.environment = environment
        self.scenario = scenario
        self.http = http or InfluxHttp(url)
        self.max_queued = max_queued
        self.flush_every = flush_every
        self.queue = collections.deque()
        self.lock = gevent.lock.Semaphore()
        self.database_ready = False
        self.written = 0
        self.dropped = 0
        self.rejected = 0
        self.failed_writes = 0
        self.failing_since = None
        self.last_logged = None
        self.extra_flushes = []
        self.loop = gevent.spawn(self._flush_loop)

    def _enqueue(self, line):
        if line is None:
            return
        if len(self.queue) >= self.max_queued:
            self.dropped += 1
            return
        self.queue.append(line)

    def on_request(self, request_type, name, response_time, response_length, exception=None, context=None, response=None, **_):
        try:
            status = getattr(response, "status_code", 0) or 0
            self._enqueue(
                point_line(
                    "requests",
                    {
                        "name": name,
                        "method": request_type,
                        "algorithm": (context or {}).get("algorithm") or "default",
                        "result": "failure" if exception else "success",
                        "scenario": self.scenario,
                    },
                    {
                        "response_time": float(response_time or 0),
                        "response_length": int(response_length or 0),
                        "status_code": int(status),
                    },
                    # Nanoseconds: two requests in the same millisecond with the same tags
                    # would otherwise be one point in InfluxDB (the later overwrites).
                    time.time_ns(),
                )
            )
        except Exception as error:  # a point that cannot be made is lost, the request is not
            self.dropped += 1
            self._warn(f"could not record a request: {error!r}")

    def _users_point(self):
        runner = self.environment.runner
        users = int(getattr(runner, "user_count", 0) or 0) if runner else 0
        self._enqueue(point_line("users", {"scenario": self.scenario}, {"user_count": users}, time.time_ns()))

    def _warn(self, message, now_please=False):
        """A warning, at most one every LOG_EVERY seconds unless it starts a new story."""
        now = time.monotonic()
        if now_please or self.last_logged is None or now - self.last_logged >= LOG_EVERY:
            log.warning(message)
            self.last_logged = now

    def flush(self):
        """Writes what is queued; on a failure keeps the rest for the next flush."""
        with self.lock:
            self._users_point()
            while self.queue:
                batch = [self.queue.popleft() for _ in range(min(BATCH_LINES, len(self.queue)))]
                try:
                    if not self.database_ready:
                        self.http.create_database()  # idempotent in InfluxDB 1.x
                        self.database_ready = True
                    self.http.write(batch)
                except Rejected as error:
                    self.rejected += len(batch)
                    self._warn(f"InfluxDB refused {len(batch)} points, dropped: {error}", now_please=True)
                    continue
                except Exception as error:
                    self.failed_writes += 1
                    if "database not found" in str(error):
                        self.database_ready = False
                    room = self.max_queued - len(self.queue)
                    self.dropped += max(0, len(batch) - room)
                    self.queue.extendleft(reversed(batch[:room]))
                    first = self.failing_since is None
                    if first:
                        self.failing_since = time.monotonic()
                    self._warn(
                        f"write failed ({error}) to {self.http.safe_url}: {len(self.queue)} points wait, "
                        f"{self.dropped} dropped so far; retrying every {self.flush_every:g} s",
                        now_please=first,
                    )
                    return
                except BaseException:  # killed or timed out mid-write: the lines stay queued
                    self.queue.extendleft(reversed(batch))
                    raise
                self.written += len(batch)
                if self.failing_since is not None:
                    log.warning(f"writing again after {time.monotonic() - self.failing_since:.0f} s of failed writes")
                    self.failing_since = None

    def _flush_loop(self):
        while True:
            gevent.sleep(self.flush_every)
            self._flush_now()  # never lets the loop die: the next second tries again

    def _flush_now(self):
        try:
            self.flush()
        except Exception as error:
            self._warn(f"flush failed: {error!r}")

    def on_test_stop(self, **_):
        """A test ended: write its last points now, without holding up Locust."""
        self.extra_flushes = [g for g in self.extra_flushes if not g.dead]
        self.extra_flushes.append(gevent.spawn(self._flush_now))

    def stop(self, **_):
        """Locust quits: one last flush, bounded in time, then a summary of what was lost."""
        gevent.killall([self.loop, *self.extra_flushes])
        with gevent.Timeout(2 * self.http.timeout + 1, False):
            self._flush_now()
        lost = len(self.queue)
        summary = f"{self.written} points written to {self.http.safe_url}"
        if lost or self.dropped or self.rejected or self.failed_writes:
            log.warning(f"{summary}; {lost} unwritten at exit, {self.dropped} dropped, {self.rejected} refused, {self.failed_writes} failed writes")
        else:
            log.info(summary)
