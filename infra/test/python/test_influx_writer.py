"""Tests of infra/locust/influx_writer.py, run by Python's unittest (from
infra/test/influx-writer.test.ts, or by hand):

    INFLUXDB_TEST_URL=http://127.0.0.1:8086 /usr/bin/python3 -m unittest -v infra/test/python/test_influx_writer.py

The `influxdb` Python package is blocked before the writer is imported: it must work with
the standard library alone (the official Locust image has no `influxdb`). With
INFLUXDB_TEST_URL (a throwaway InfluxDB 1.x), the escaping is also checked for real:
awkward names are written and read back unchanged.
"""
import importlib.abc
import json
import os
import sys
import time
import unittest
import urllib.parse
import urllib.request
import uuid


class BlockInfluxdb(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "influxdb" or name.startswith("influxdb."):
            raise ImportError(f"{name} is blocked: influx_writer must use the standard library only")
        return None


sys.meta_path.insert(0, BlockInfluxdb())
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "locust"))

import influx_writer  # noqa: E402
from influx_writer import InfluxWriter, Rejected, escape_key, escape_measurement, escape_string, parse_url, point_line  # noqa: E402


class Imports(unittest.TestCase):
    def test_standard_library_only(self):
        self.assertNotIn("influxdb", sys.modules)
        with self.assertRaises(ImportError):
            import influxdb  # noqa: F401
        self.assertNotIn("requests", sys.modules, "the writer must not need requests either")


class LineProtocol(unittest.TestCase):
    def test_measurement_escapes_commas_and_spaces(self):
        self.assertEqual(escape_measurement("my measure,x=1"), "my\\ measure\\,x=1")

    def test_keys_and_tag_values_escape_commas_equals_and_spaces(self):
        self.assertEqual(escape_key("/?algo=round robin,p2c"), "/?algo\\=round\\ robin\\,p2c")
        self.assertEqual(escape_key('say "hi"'), 'say\\ "hi"')  # quotes are plain in names

    def test_names_keep_backslashes_but_not_trailing_ones_or_line_breaks(self):
        self.assertEqual(escape_key("a\\b"), "a\\b")
        self.assertEqual(escape_key("a\\ b"), "a\\\\ b")  # backslash, then the escaped space
        self.assertEqual(escape_key("dir\\"), "dir")
        self.assertEqual(escape_key("two\nlines\r\n"), "two\\nlines\\n")

    def test_string_fields_are_quoted_with_quotes_and_backslashes_escaped(self):
        self.assertEqual(escape_string('a "b" \\c, d=e'), '"a \\"b\\" \\\\c, d=e"')
        self.assertEqual(escape_string("ends\\"), '"ends\\\\"')

    def test_a_whole_line(self):
        line = point_line(
            "requests",
            {"name": "/?algo=ip_hash", "method": "GET", "empty": "", "none": None, "algorithm": "a b"},
            {"response_time": 12.5, "response_length": 42, "status_code": 200, "ok": True, "note": 'x "y"', "nan": float("nan"), "inf": float("inf")},
            1_700_000_000_123_456_789,
        )
        self.assertEqual(
            line,
            'requests,algorithm=a\\ b,method=GET,name=/?algo\\=ip_hash '
            'response_time=12.5,response_length=42i,status_code=200i,ok=true,note="x \\"y\\"" 1700000000123456789',
        )

    def test_no_line_without_a_field(self):
        self.assertIsNone(point_line("m", {"t": "x"}, {"nan": float("nan")}, 1))

    def test_integers_stay_integers_and_floats_floats(self):
        # The dashboards' databases already hold these types: a float for status_code would
        # be refused (field type conflict) by a database the old writer filled.
        line = point_line("m", {}, {"f": 3.0, "i": 3, "tiny": 1e-05}, 1)
        self.assertEqual(line, "m f=3.0,i=3i,tiny=1e-05 1")


class Url(unittest.TestCase):
    def test_parts(self):
        self.assertEqual(parse_url("http://influxdb:8086/locust"), ("http://influxdb:8086", "locust", None, "http://influxdb:8086/locust"))
        base, database, auth, safe = parse_url("https://user:p%40ss@db.example:8443/prefix/stats")
        self.assertEqual((base, database, safe), ("https://db.example:8443/prefix", "stats", "https://db.example:8443/prefix/stats"))
        self.assertEqual(auth, "Basic dXNlcjpwQHNz")  # user:p@ss, and never in what is logged

    def test_refuses_a_url_without_database_or_scheme(self):
        for url in ("http://influxdb:8086", "http://influxdb:8086/", "influxdb:8086/locust", "ftp://h/db", "http://h:99999/db"):
            with self.subTest(url=url), self.assertRaisesRegex(ValueError, "INFLUXDB_URL="):
                parse_url(url)


class FakeHttp:
    """Stands in for InfluxHttp: records what would be sent, fails on demand."""

    safe_url = "http://fake:8086/locust"
    timeout = 0.5

    def __init__(self):
        self.created = 0
        self.batches = []
        self.fail_with = None

    def create_database(self):
        if isinstance(self.fail_with, OSError):
            raise self.fail_with
        self.created += 1

    def write(self, lines):
        if self.fail_with is not None:
            raise self.fail_with
        self.batches.append(list(lines))


class FakeRunner:
    user_count = 7


class FakeEnvironment:
    runner = FakeRunner()


def request(writer, name="/", **kwargs):
    args = {"request_type": "GET", "name": name, "response_time": 3.25, "response_length": 10, "context": {"algorithm": "p2c"}}
    args.update(kwargs)
    writer.on_request(**args)


class Writer(unittest.TestCase):
    def setUp(self):
        self.http = FakeHttp()
        # A flush interval that never comes: the tests flush by hand.
        self.writer = InfluxWriter(FakeEnvironment(), None, "spike", http=self.http, max_queued=5, flush_every=3600)
        self.addCleanup(self.writer.loop.kill)

    def lines(self):
        return [line for batch in self.http.batches for line in batch]

    def test_one_point_per_request_and_the_user_count(self):
        request(self.writer, "/?algo=p2c", response=type("R", (), {"status_code": 503})(), exception=RuntimeError("boom"))
        self.writer.flush()
        self.assertEqual(self.http.created, 1)
        requests, users = self.lines()
        self.assertRegex(requests, r"^requests,algorithm=p2c,method=GET,name=/\?algo\\=p2c,result=failure,scenario=spike response_time=3.25,response_length=10i,status_code=503i \d{19}$")
        self.assertRegex(users, r"^users,scenario=spike user_count=7i \d{19}$")

    def test_the_queue_is_bounded_and_drops_are_counted(self):
        for _ in range(8):
            request(self.writer)
        self.assertEqual((len(self.writer.queue), self.writer.dropped), (5, 3))

    def test_a_failed_write_keeps_its_points_for_the_next_flush(self):
        request(self.writer)
        self.http.fail_with = OSError("connection refused")
        with self.assertLogs("influx_writer") as logs:
            self.writer.flush()  # queue: request + users
            self.writer.flush()  # + users: 3 waiting
        self.assertEqual((self.http.batches, len(self.writer.queue), self.writer.failed_writes), ([], 3, 2))
        # Logged once, not once a second, and without the URL's credentials.
        self.assertEqual(len(logs.output), 1)
        self.assertIn("write failed (connection refused) to http://fake:8086/locust: 2 points wait", logs.output[0])
        self.http.fail_with = None
        with self.assertLogs("influx_writer") as logs:
            self.writer.flush()
        self.assertIn("writing again after", logs.output[0])
        self.assertEqual([line.split(",")[0] for line in self.lines()], ["requests", "users", "users", "users"])
        self.assertEqual((self.writer.written, len(self.writer.queue), self.writer.dropped), (4, 0, 0))

    def test_points_influxdb_refuses_are_dropped_not_retried(self):
        request(self.writer)
        self.http.fail_with = Rejected("HTTP 400: unable to parse")
        self.writer.flush()
        self.assertEqual((len(self.writer.queue), self.writer.rejected), (0, 2))

    def test_the_database_is_created_again_when_it_went_away(self):
        self.writer.flush()
        self.http.fail_with = OSError('HTTP 404: {"error":"database not found: \\"locust\\""}')
        self.writer.flush()
        self.http.fail_with = None
        self.writer.flush()
        self.assertEqual(self.http.created, 2)

    def test_nothing_a_request_carries_can_raise_into_locust(self):
        with self.assertLogs("influx_writer") as logs:
            request(self.writer, response_time="not a number")
            request(self.writer, context="not a dict")
        self.assertEqual((self.writer.dropped, len(self.writer.queue)), (2, 0))
        self.assertIn("could not record a request", logs.output[0])

    def test_an_exception_in_the_http_client_never_escapes_a_flush(self):
        request(self.writer)
        self.http.fail_with = ValueError("unexpected")
        self.writer._flush_now()  # what the loop and the test_stop listener call
        self.assertEqual(len(self.writer.queue), 2)

    def test_stop_makes_a_last_flush_and_reports(self):
        request(self.writer)
        with self.assertLogs("influx_writer", "INFO") as logs:
            self.writer.stop()
        self.assertEqual(len(self.lines()), 2)
        self.assertTrue(self.writer.loop.dead)
        self.assertEqual(logs.output, ["INFO:influx_writer:2 points written to http://fake:8086/locust"])

    def test_stop_reports_what_it_could_not_write(self):
        request(self.writer)
        self.http.fail_with = OSError("connection refused")
        with self.assertLogs("influx_writer") as logs:
            self.writer.stop()
        self.assertIn("0 points written to http://fake:8086/locust; 2 unwritten at exit, 0 dropped, 0 refused, 1 failed writes", logs.output[-1])


@unittest.skipUnless(os.environ.get("INFLUXDB_TEST_URL"), "INFLUXDB_TEST_URL is not set (a throwaway InfluxDB 1.x)")
class RoundTrip(unittest.TestCase):
    """Awkward names and strings written to a real InfluxDB 1.x and read back unchanged."""

    NAMES = ["plain", "with space", "a,comma", "an=equals", 'a "quote"', "/?algo=round_robin&x=1", "back\\slash", "back\\ slash, space", "ünïcode"]

    def query(self, database, q):
        base = os.environ["INFLUXDB_TEST_URL"].rstrip("/")
        with urllib.request.urlopen(f"{base}/query?{urllib.parse.urlencode({'db': database, 'q': q})}", timeout=5) as response:
            return json.loads(response.read())["results"][0]

    def test_tags_and_fields_survive(self):
        database = f"roundtrip_{uuid.uuid4().hex[:8]}"
        http = influx_writer.InfluxHttp(f"{os.environ['INFLUXDB_TEST_URL'].rstrip('/')}/{database}")
        http.create_database()
        http.create_database()  # idempotent
        now = time.time_ns()
        lines = [point_line("round trip", {"tag key": name}, {"value field": name, "i": i}, now + i) for i, name in enumerate(self.NAMES)]
        http.write(lines)
        series = self.query(database, 'SELECT "tag key", "value field", "i" FROM "round trip"')["series"][0]
        rows = sorted(series["values"], key=lambda row: row[3])
        self.assertEqual([row[1] for row in rows], self.NAMES)  # tags
        self.assertEqual([row[2] for row in rows], self.NAMES)  # string fields

    def test_a_missing_database_is_created_by_the_writer(self):
        database = f"created_{uuid.uuid4().hex[:8]}"
        writer = InfluxWriter(FakeEnvironment(), f"{os.environ['INFLUXDB_TEST_URL'].rstrip('/')}/{database}", "baseline", flush_every=3600)
        request(writer, "/")
        writer.stop()
        self.assertEqual((writer.written, writer.failed_writes), (2, 0))
        count = self.query(database, 'SELECT count("response_time") FROM "requests"')["series"][0]["values"][0][1]
        self.assertEqual(count, 1)


if __name__ == "__main__":
    unittest.main()
