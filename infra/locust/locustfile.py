"""Locust load tests for the lbpoc balancer: the seed's five scenarios.

    SCENARIO=spike TIME_SCALE=0.1 /usr/bin/locust -f infra/locust/locustfile.py \
        --headless --host http://127.0.0.1:5000

SCENARIO     baseline | gradual | spike | endurance | algorithm_comparison (default baseline)
TIME_SCALE   multiplies every stage's duration (default 1: the full-length scenario)
ALGORITHM    ?algo= for every request outside algorithm_comparison (default: none, the
             balancer's own default)
ALGORITHMS   comma-separated list for algorithm_comparison (default: all eight)
INFLUXDB_URL write every request to InfluxDB 1.x, e.g. http://influxdb:8086/locust (the
             database is created if missing; Python's standard library, no client package)
LOCUST_EXPORTER_PORT  serve Locust's statistics for Prometheus on this port (/metrics,
             containersol/locust_exporter's metric names; e.g. 9646)

The request rate is set, not emerged: each user makes one request per second
(constant_throughput(1)) and the shape runs as many users as the stage's requests/s.
A response slower than a second makes that user late, so keep responses under 1 s or
the measured rate falls short (the tests check it is within 10%).
"""
import os
import random

import gevent
from locust import FastHttpUser, LoadTestShape, constant_throughput, events, task

# Sibling modules: Locust puts this folder on sys.path only while it imports this file.
from influx_writer import InfluxWriter, parse_url
from prometheus_exporter import start_exporter
from scenarios import plan, stage_at

SCENARIO = os.environ.get("SCENARIO") or "baseline"
TIME_SCALE = float(os.environ.get("TIME_SCALE") or "1")
ALGORITHM = os.environ.get("ALGORITHM") or None
ALGORITHMS = [a for a in (os.environ.get("ALGORITHMS") or "").split(",") if a] or None
STAGES = plan(SCENARIO, TIME_SCALE, ALGORITHMS)
INFLUXDB_URL = os.environ.get("INFLUXDB_URL") or None
if INFLUXDB_URL:
    parse_url(INFLUXDB_URL)  # a malformed URL stops Locust here, naming the variable
EXPORTER_PORT = int(os.environ.get("LOCUST_EXPORTER_PORT") or "0")
EXPORTER_HOST = os.environ.get("LOCUST_EXPORTER_HOST") or "0.0.0.0"

# Locust starts and stops users at the spawn rate, both ways: a rate well above the
# largest step gets every stage, and the drop after a spike, to full strength in ~0.1 s.
SPAWN_RATE = 10 * max(stage["rps"] for stage in STAGES)


class BalancerUser(FastHttpUser):
    wait_time = constant_throughput(1)

    def on_start(self):
        # Users spawned together would fire together, once a second, in lock-step: a
        # random phase spreads them over the second, as independent clients are. It also
        # makes users x seconds the expected request count (no extra request at the edge).
        gevent.sleep(random.random())

    @task
    def get(self):
        shape = self.environment.shape_class
        stage = stage_at(STAGES, shape.get_run_time()) if shape else None
        if shape and stage is None:
            # The plan is over and Locust is about to stop the users: no request outside it.
            return
        algorithm = (stage and stage["algorithm"]) or ALGORITHM
        path = f"/?algo={algorithm}" if algorithm else "/"
        self.client.get(path, name=path, context={"algorithm": algorithm})


class ScenarioShape(LoadTestShape):
    """Users = the current stage's requests/s; spawned at once so a spike is a spike."""

    def tick(self):
        stage = stage_at(STAGES, self.get_run_time())
        if stage is None:
            return None
        return (stage["rps"], SPAWN_RATE)


@events.init.add_listener
def start_prometheus_exporter(environment, **_):
    if EXPORTER_PORT:
        start_exporter(environment, EXPORTER_HOST, EXPORTER_PORT)


@events.init.add_listener
def start_influx_writer(environment, **_):
    if not INFLUXDB_URL:
        return
    writer = InfluxWriter(environment, INFLUXDB_URL, SCENARIO)
    environment.events.request.add_listener(writer.on_request)
    environment.events.test_stop.add_listener(writer.on_test_stop)
    environment.events.quitting.add_listener(writer.stop)
