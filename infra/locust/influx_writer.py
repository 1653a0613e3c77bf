"""Every Locust request as a point in InfluxDB 1.x, for the Load Testing dashboard.

Enabled by INFLUXDB_URL (http://host:8086/<database>; the database is created if missing).
Points are buffered and written once a second in one batch, so a 200 requests/s test makes
one write per second, not 200.

Layout (read by dashboards/src/load-testing.ts):
  requests  tags: name, method, algorithm, result (success|failure), scenario
            fields: response_time (ms), response_length (bytes), status_code
  users     fields: user_count
"""
import time
from urllib.parse import urlparse

import gevent
from influxdb import InfluxDBClient


class InfluxWriter:
    def __init__(self, environment, url, scenario):
        parsed = urlparse(url)
        database = parsed.path.strip("/")
        if parsed.scheme not in ("http", "https") or not parsed.hostname or not database:
            raise ValueError(f"INFLUXDB_URL={url!r}: expected http://host:port/database")
        self.environment = environment
        self.scenario = scenario
        self.client = InfluxDBClient(
            host=parsed.hostname,
            port=parsed.port or 8086,
            database=database,
            ssl=parsed.scheme == "https",
            username=parsed.username or "",
            password=parsed.password or "",
            timeout=5,
        )
        self.client.create_database(database)
        self.points = []
        self.written = 0
        self.loop = gevent.spawn(self._flush_every_second)

    def on_request(self, request_type, name, response_time, response_length, exception=None, context=None, response=None, **_):
        status = getattr(response, "status_code", 0) or 0
        self.points.append(
            {
                "measurement": "requests",
                "tags": {
                    "name": name,
                    "method": request_type,
                    "algorithm": (context or {}).get("algorithm") or "default",
                    "result": "failure" if exception else "success",
                    "scenario": self.scenario,
                },
                # Nanoseconds: two requests in the same millisecond with the same tags
                # would otherwise be one point in InfluxDB (the later overwrites).
                "time": time.time_ns(),
                "fields": {
                    "response_time": float(response_time),
                    "response_length": int(response_length or 0),
                    "status_code": int(status),
                },
            }
        )

    def flush(self):
        runner = self.environment.runner
        batch, self.points = self.points, []
        batch.append({"measurement": "users", "tags": {"scenario": self.scenario}, "time": time.time_ns(), "fields": {"user_count": int(runner.user_count if runner else 0)}})
        self.client.write_points(batch, time_precision="n")
        self.written += len(batch)

    def _flush_every_second(self):
        while True:
            gevent.sleep(1)
            try:
                self.flush()
            except Exception as error:  # a slow or absent InfluxDB must not stop the test
                print(f"influx_writer: write failed: {error}", flush=True)

    def stop(self):
        self.loop.kill()
        self.flush()
