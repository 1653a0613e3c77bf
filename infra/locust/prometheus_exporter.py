"""Locust's statistics on a Prometheus /metrics endpoint, from inside the Locust process.

Enabled by LOCUST_EXPORTER_PORT (and LOCUST_EXPORTER_HOST, default 0.0.0.0). The metric
names and labels are those of containersol/locust_exporter (locust_users,
locust_requests_current_rps{method,name}, ...), which the Load Testing dashboard reads, so
either can feed it; this one needs no separate service and works with --headless, where
Locust has no web UI for an external exporter to poll.
"""
from gevent.pywsgi import WSGIServer

STATES = {"stopped": 0, "stopping": 0, "spawning": 1, "running": 2}
PER_REQUEST = [
    ("num_requests", lambda e: e.num_requests),
    ("num_failures", lambda e: e.num_failures),
    ("avg_response_time", lambda e: e.avg_response_time),
    ("min_response_time", lambda e: e.min_response_time or 0),
    ("max_response_time", lambda e: e.max_response_time),
    ("current_rps", lambda e: e.current_rps),
    ("current_fail_per_sec", lambda e: e.current_fail_per_sec),
    ("median_response_time", lambda e: e.median_response_time),
    ("avg_content_length", lambda e: e.avg_content_length),
]


def _label(value):
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(environment):
    """The exposition text for the runner's current statistics."""
    runner = environment.runner
    stats = environment.stats
    total = stats.total
    state = getattr(getattr(runner, "state", None), "value", getattr(runner, "state", "stopped"))
    lines = [
        "# TYPE locust_up gauge",
        "locust_up 1",
        "# TYPE locust_users gauge",
        f"locust_users {runner.user_count if runner else 0}",
        "# TYPE locust_running gauge",
        f"locust_running {STATES.get(str(state), 0)}",
        "# TYPE locust_workers_count gauge",
        f"locust_workers_count {len(getattr(runner, 'clients', {}) or {})}",
        "# TYPE locust_requests_fail_ratio gauge",
        f"locust_requests_fail_ratio {total.fail_ratio}",
    ]
    for percent in (50, 95):
        value = total.get_current_response_time_percentile(percent / 100) or 0
        lines += [f"# TYPE locust_requests_current_response_time_percentile_{percent} gauge", f"locust_requests_current_response_time_percentile_{percent} {value}"]
    # One row per (method, name), then the "Aggregated" row, as Locust's /stats/requests has.
    entries = [*stats.entries.values(), total]
    for metric, read in PER_REQUEST:
        lines.append(f"# TYPE locust_requests_{metric} gauge")
        for entry in entries:
            lines.append(f'locust_requests_{metric}{{method="{_label(entry.method or "")}",name="{_label(entry.name)}"}} {float(read(entry) or 0)}')
    lines.append("# TYPE locust_errors gauge")
    for error in stats.errors.values():
        lines.append(f'locust_errors{{method="{_label(error.method)}",name="{_label(error.name)}",error="{_label(error.error)}"}} {error.occurrences}')
    return "\n".join(lines) + "\n"


def start_exporter(environment, host, port):
    def app(env, start_response):
        if env.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found: try /metrics\n"]
        body = render(environment).encode()
        start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4"), ("Content-Length", str(len(body)))])
        return [body]

    server = WSGIServer((host, port), app, log=None)
    server.start()
    return server
