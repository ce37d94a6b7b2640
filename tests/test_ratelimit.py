"""The shared rate limiter, on a fake clock."""

from __future__ import annotations

import pytest

from wheretowatch.tmdb.ratelimit import RateLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.starts: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def limiter_and_time(rate: float, burst: int) -> tuple[RateLimiter, FakeTime]:
    fake = FakeTime()
    return RateLimiter(rate, burst=burst, clock=fake.clock, sleep=fake.sleep), fake


def test_a_burst_starts_at_once_then_requests_are_evenly_spaced() -> None:
    limiter, fake = limiter_and_time(10, burst=3)
    for _ in range(8):
        limiter.acquire()
        fake.starts.append(fake.now)
    assert fake.starts[:3] == [100.0, 100.0, 100.0]
    gaps = [b - a for a, b in zip(fake.starts[2:], fake.starts[3:], strict=False)]
    assert gaps == pytest.approx([0.1] * 5)


def test_the_rate_holds_over_a_long_run() -> None:
    limiter, fake = limiter_and_time(35, burst=4)
    for _ in range(700):
        limiter.acquire()
    assert fake.now - 100.0 == pytest.approx((700 - 4) / 35)


def test_hold_off_pauses_the_next_request() -> None:
    limiter, fake = limiter_and_time(10, burst=3)
    limiter.acquire()
    limiter.hold_off(2.0)
    limiter.acquire()
    assert fake.now == pytest.approx(102.0)


def test_idle_time_is_not_saved_up_beyond_the_burst() -> None:
    limiter, fake = limiter_and_time(10, burst=2)
    fake.now += 60
    starts = []
    for _ in range(4):
        limiter.acquire()
        starts.append(fake.now)
    assert starts == pytest.approx([160.0, 160.0, 160.1, 160.2])
