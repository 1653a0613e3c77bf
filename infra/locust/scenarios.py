"""The seed's five load-test scenarios as data: stages of (seconds, requests/s, algorithm).

Pure Python with no Locust import, so tests and tools can read a plan without starting
Locust:  /usr/bin/python3 infra/locust/scenarios.py spike 0.1  prints the plan as JSON.

Each stage holds a constant request rate; "gradual" climbs in steps. TIME_SCALE
multiplies every duration (0.1 turns the 5-minute baseline into 30 seconds). Durations
are rounded to whole seconds, at least 1, because Locust applies a load shape once a
second: a stage boundary between two ticks would blur the rate the tests measure.
"""
import json
import sys

# The balancer's algorithm names on the wire (apps/balancer README, ?algo=).
ALGORITHMS = [
    "round_robin",
    "weighted_round_robin",
    "least_connections",
    "ip_hash",
    "random",
    "p2c",
    "peak_ewma",
    "adaptive",
]


def _stages(name, algorithms):
    """Full-length stages: (seconds, requests per second, algorithm or None)."""
    if name == "baseline":
        # Constant 10 requests/s for 5 minutes.
        return [(300, 10, None)]
    if name == "gradual":
        # 10 -> 100 requests/s in ten one-minute steps.
        return [(60, rps, None) for rps in range(10, 101, 10)]
    if name == "spike":
        # 10 requests/s, a sudden jump to 200, then back to 10 to watch the recovery.
        return [(120, 10, None), (60, 200, None), (120, 10, None)]
    if name == "endurance":
        # Moderate 50 requests/s for 30 minutes.
        return [(1800, 50, None)]
    if name == "algorithm_comparison":
        # The same 50 requests/s for 2 minutes against each algorithm in turn.
        return [(120, 50, algorithm) for algorithm in algorithms]
    raise ValueError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}")


SCENARIOS = ["baseline", "gradual", "spike", "endurance", "algorithm_comparison"]


def plan(name, time_scale=1.0, algorithms=None):
    """The stages of scenario `name`, durations scaled and rounded, as dicts."""
    if not time_scale > 0:
        raise ValueError(f"TIME_SCALE must be a number above 0, not {time_scale!r}")
    algorithms = algorithms or ALGORITHMS
    unknown = [a for a in algorithms if a not in ALGORITHMS]
    if unknown:
        raise ValueError(f"unknown algorithms {unknown}; choose from {', '.join(ALGORITHMS)}")
    return [
        {"seconds": max(1, round(seconds * time_scale)), "rps": rps, "algorithm": algorithm}
        for seconds, rps, algorithm in _stages(name, algorithms)
    ]


def stage_at(stages, run_time):
    """The stage running `run_time` seconds into the plan, or None once it is over."""
    elapsed = 0
    for stage in stages:
        elapsed += stage["seconds"]
        if run_time < elapsed:
            return stage
    return None


if __name__ == "__main__":
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    algorithms = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else None
    print(json.dumps(plan(sys.argv[1], scale, algorithms)))
