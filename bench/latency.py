"""Latency samples and their summary (median, p95), shared by the benchmarks."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Latency:
    samples: list[float] = field(default_factory=list)  # seconds
    failures: int = 0
    timeouts: int = 0  # requests given up on after the benchmark's time limit
    errors: Counter[str] = field(default_factory=Counter)  # failure reasons: "HTTP 500", "ReadTimeout"...
    not_tried: int = 0  # queries skipped after a peer kept timing out
    first: float = float("nan")  # the untimed warm-up request, seconds

    by_query: dict[str, list[float]] = field(default_factory=dict)  # the same samples, per query

    def add(self, query: str, seconds: float) -> None:
        self.samples.append(seconds)
        self.by_query.setdefault(query, []).append(seconds)

    def median_of(self, queries: list[str]) -> float:
        """Median over *queries* of each one's median latency, ms: compares peers on the same subset."""
        return statistics.median(statistics.median(self.by_query[q]) for q in queries) * 1000

    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000 if self.samples else float("nan")

    def p95_ms(self) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
