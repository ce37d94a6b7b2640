"""Notifications from `refresh`, delivered at least once, through a real Apprise to a
loopback webhook (`tests/receiver.py`); and stdout failures that must lose nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import TOKEN, Run, RunCli
from tests.fake_catalogue import NETFLIX, offer
from tests.fake_tmdb import FakeTMDB
from tests.receiver import Receiver
from wheretowatch.notify.apprise import _load_apprise

pytestmark = pytest.mark.usefixtures("online")

# A secret in the path, as Discord, ntfy and most services carry one.
SECRET = "s3cret-webhook-token-9d2f"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as receiving:
        yield receiving


@pytest.fixture
def other() -> Iterator[Receiver]:
    with Receiver() as receiving:
        yield receiving


@pytest.fixture
def data_dir(isolated: Path) -> Path:
    return isolated / "xdg-data" / "wheretowatch"


def url(receiver: Receiver) -> str:
    return f"json://127.0.0.1:{receiver.port}/{SECRET}"


def watch_nowhere_film(run: RunCli) -> None:
    """Nowhere Film watched in GB, with a first refresh done: the next change is news."""
    assert run("watchlist", "add", "Nowhere Film", "-r", "GB").exit_code == 0
    assert run("refresh").exit_code == 0


def lands(fake: FakeTMDB, *categories: str) -> None:
    """Netflix offers Nowhere Film in GB, in each of `categories`."""
    offers: dict[str, object] = {"link": None}
    offers.update({category: [offer(NETFLIX, 1)] for category in categories})
    fake.movies[990002] = {**fake.movies[990002], "_providers": {"GB": offers}}


def undelivered(data_dir: Path) -> list[dict[str, object]]:
    document = json.loads((data_dir / "snapshots.json").read_text())
    rows: list[dict[str, object]] = document.get("undelivered", [])
    return rows


def test_a_change_arrives_as_one_post_grouped_by_title(
    run: RunCli, fake: FakeTMDB, receiver: Receiver
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate", "rent")
    result = run("refresh", "--notify", url(receiver))
    assert result.exit_code == 5
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "Nowhere Film (2001) is now streaming on Netflix in GB",
        "Nowhere Film (2001) can now be rented on Netflix in GB",
    ]
    (post,) = receiver.posts
    assert post["title"] == "wheretowatch: 2 changes"
    assert post["message"].split("\n\n")[0].splitlines() == [
        "Nowhere Film (2001)",
        "- is now streaming on Netflix in GB",
        "- can now be rented on Netflix in GB",
        "https://www.themoviedb.org/movie/990002/watch?locale=GB",
    ]
    assert "This product uses the TMDB API" in post["message"]
    assert "provided by JustWatch" in post["message"]


def test_no_message_when_nothing_changed(run: RunCli, receiver: Receiver) -> None:
    watch_nowhere_film(run)
    result = run("refresh", "--notify", url(receiver))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert receiver.attempts == 0


def test_the_notify_setting_in_the_config_file(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text(f'notify = ["{url(receiver)}"]\n')
    watch_nowhere_film(run)
    lands(fake, "buy")
    assert run("refresh").exit_code == 5
    assert len(receiver.posts) == 1


@pytest.mark.parametrize("fault", ["status 500", "connection refused"])
def test_a_failing_target_keeps_the_changes_until_it_takes_them(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path, fault: str
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    target = url(receiver)
    if fault == "status 500":
        receiver.status = 500
    else:
        target = target.replace(str(receiver.port), str(_closed_port()))
    failed = run("refresh", "--notify", target)
    assert failed.exit_code == 9
    assert failed.stdout == "Nowhere Film (2001) is now streaming on Netflix in GB\n"
    assert "1 change not delivered to json://127.0.0.1:" in failed.stderr
    assert "They are kept, and each refresh tries them again." in failed.stderr
    assert len(undelivered(data_dir)) == 1

    again = run("refresh", "--notify", target)  # still failing: named again, exit 9 again
    assert again.exit_code == 9
    assert again.stdout == ""  # printed once already
    assert "1 change not delivered" in again.stderr

    receiver.status = 200
    target = url(receiver)
    if fault == "connection refused":
        # The same URL on a port that now answers: move the pending change to it.
        _retarget(data_dir, target)
    delivered = run("refresh", "--notify", target)
    assert delivered.exit_code == 5
    assert (delivered.stdout, delivered.stderr) == ("", "")
    (post,) = receiver.posts
    assert "- is now streaming on Netflix in GB" in post["message"]
    assert undelivered(data_dir) == []
    assert run("refresh", "--notify", target).exit_code == 0
    assert len(receiver.posts) == 1


def test_each_target_gets_each_change_once(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, other: Receiver
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    other.status = 500
    targets = ["--notify", url(receiver), "--notify", url(other)]
    assert run("refresh", *targets).exit_code == 9
    lands(fake, "flatrate", "buy")  # news while `other` is down
    other.status = 200
    result = run("refresh", *targets)
    assert result.exit_code == 5
    assert result.stdout == "Nowhere Film (2001) can now be bought on Netflix in GB\n"
    assert [post["title"] for post in receiver.posts] == [
        "wheretowatch: 1 change",
        "wheretowatch: 1 change",
    ]
    assert "streaming" in receiver.posts[0]["message"]
    assert "bought" in receiver.posts[1]["message"]
    (both,) = other.posts
    assert both["title"] == "wheretowatch: 2 changes"


def test_a_slow_target_times_out_and_delays_no_other(
    run: RunCli,
    fake: FakeTMDB,
    receiver: Receiver,
    other: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    monkeypatch.setenv("WHERETOWATCH_TIMEOUT", "0.5")
    other.delay = 5.0
    started = time.monotonic()
    result = run("refresh", "--notify", url(other), "--notify", url(receiver))
    assert time.monotonic() - started < 4.0
    assert result.exit_code == 9
    assert len(receiver.posts) == 1
    assert f"json://127.0.0.1:{other.port}" in result.stderr


def test_mine_filters_notifications_as_it_filters_the_report(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, config_dir: Path
) -> None:
    (config_dir / "config.toml").write_text('services = ["Amazon Prime Video"]\n')
    watch_nowhere_film(run)
    amazon = {"provider_id": 119, "provider_name": "Amazon Prime Video"}
    fake.movies[990002] = {
        **fake.movies[990002],
        "_providers": {"GB": {"link": None, "flatrate": [offer(NETFLIX, 1), amazon]}},
    }
    result = run("refresh", "--mine", "--notify", url(receiver))
    assert result.stdout == "Nowhere Film (2001) is now streaming on Amazon Prime Video in GB\n"
    (post,) = receiver.posts
    assert "Amazon Prime Video" in post["message"]
    assert "Netflix" not in post["message"]


def test_without_apprise_every_refresh_with_targets_exits_6(
    run: RunCli, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch_nowhere_film(run)
    monkeypatch.setitem(sys.modules, "apprise", None)  # as if the extra were not installed
    _load_apprise.cache_clear()
    result = run("refresh", "--notify", url(receiver))  # no change today: still an error
    assert result.exit_code == 6
    assert "Notifications need Apprise" in result.stderr
    # The tests run in a venv: its own pip, not whichever is first on PATH.
    assert f"{Path(sys.prefix) / 'bin' / 'python'} -m pip install 'wheretowatch[notify]'" in (
        result.stderr
    )
    assert result.stdout == ""
    assert run("refresh").exit_code == 0  # without targets, Apprise is not needed


def test_a_url_apprise_does_not_know_is_named_without_its_secret(
    run: RunCli, config_dir: Path
) -> None:
    bad = f"nosuchservice://{SECRET}"
    flag = run("refresh", "--notify", bad)
    assert flag.exit_code == 2
    assert "Apprise does not understand the notification URL nosuchservice://***" in flag.stderr
    (config_dir / "config.toml").write_text(f'notify = ["{bad}"]\n')
    configured = run("refresh")
    assert configured.exit_code == 6
    for result in (flag, configured):
        assert SECRET not in result.stdout + result.stderr


def test_not_a_url_at_all_is_a_config_error(run: RunCli, config_dir: Path) -> None:
    (config_dir / "config.toml").write_text(f'notify = ["{SECRET}"]\n')
    result = run("refresh")
    assert result.exit_code == 6
    assert "Invalid notify value" in result.stderr
    assert "URL 1: expected an Apprise URL" in result.stderr
    assert SECRET not in result.stderr


def test_no_url_secret_in_any_output_or_file_but_the_config_file(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, config_dir: Path, isolated: Path
) -> None:
    (config_dir / "config.toml").write_text(f'notify = ["{url(receiver)}"]\n')
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    receiver.status = 500
    outputs = [run("refresh"), run("config"), run("config", "--json"), run("notify", "test")]
    receiver.status = 200
    outputs += [run("refresh", "--json"), run("--debug", "refresh"), run("notify", "test")]
    for result in outputs:
        assert SECRET not in result.stdout + result.stderr
    assert f"json://127.0.0.1:{receiver.port}" in run("config").stdout
    for path in isolated.rglob("*"):
        if path.is_file() and path != config_dir / "config.toml":
            assert SECRET.encode() not in path.read_bytes(), path


def test_notify_test_says_which_targets_took_it(
    run: RunCli, receiver: Receiver, other: Receiver
) -> None:
    ok = run("notify", "test", url(receiver))
    assert ok.exit_code == 0
    assert ok.stdout == f"json://127.0.0.1:{receiver.port}/***: accepted the test message\n"
    assert receiver.posts[0]["title"] == "wheretowatch: test"
    other.status = 500
    mixed = run("notify", "test", url(receiver), url(other))
    assert mixed.exit_code == 9
    assert "accepted the test message" in mixed.stdout
    assert f"json://127.0.0.1:{other.port}/*** did not take the test message" in mixed.stderr


def test_notify_test_without_any_target(run: RunCli) -> None:
    result = run("notify", "test")
    assert result.exit_code == 6
    assert "No notification target to test." in result.stderr


def test_two_targets_of_one_service_are_told_apart(
    run: RunCli, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHERETOWATCH_NOTIFY", "ntfys://first-secret ntfys://second-secret")
    shown = run("config").stdout
    assert "ntfys://***, ntfys://*** (#2)" in shown
    assert "secret" not in shown


# --- stdout that cannot take the changes: the real CLI in a subprocess ---


def _cli(env: dict[str, str], *args: str, stdout: IO[bytes] | int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "wheretowatch", *args]
    return subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE)


@pytest.fixture
def cli_env(online: FakeTMDB) -> dict[str, str]:
    return {**os.environ, "TMDB_API_TOKEN": TOKEN, "WHERETOWATCH_TMDB_URL": online.url}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_keeps_the_changes(
    run: RunCli, fake: FakeTMDB, cli_env: dict[str, str], data_dir: Path
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    with open("/dev/full", "wb") as full:
        process = _cli(cli_env, "refresh", stdout=full)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 9
    assert b"1 change not delivered to standard output: No space left on device" in stderr
    assert b"Traceback" not in stderr
    kept = run("refresh")
    assert kept.exit_code == 5
    assert kept.stdout == "Nowhere Film (2001) is now streaming on Netflix in GB\n"
    assert undelivered(data_dir) == []


def test_a_closed_pipe_keeps_the_changes(
    run: RunCli, fake: FakeTMDB, cli_env: dict[str, str]
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before anything is written (`| head -0`)
    try:
        process = _cli(cli_env, "refresh", stdout=writing)
        _, stderr = process.communicate(timeout=60)
    finally:
        os.close(writing)
    assert process.returncode == 9
    assert b"not delivered to standard output: the reader closed the pipe" in stderr
    assert b"Traceback" not in stderr
    assert b"Exception ignored" not in stderr
    assert run("refresh").stdout == "Nowhere Film (2001) is now streaming on Netflix in GB\n"


def test_a_title_the_output_encoding_cannot_show_is_delivered_with_replacements(
    run: RunCli, fake: FakeTMDB, cli_env: dict[str, str], data_dir: Path
) -> None:
    watch_nowhere_film(run)
    path = data_dir / "watchlist.json"
    path.write_text(path.read_text().replace('"Nowhere Film"', '"Amélie à Tōkyō"'))
    lands(fake, "flatrate")
    process = _cli({**cli_env, "PYTHONIOENCODING": "ascii"}, "refresh", stdout=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 5, stderr
    assert stdout == b"Am?lie ? T?ky? (2001) is now streaming on Netflix in GB\n"
    assert b"Traceback" not in stderr
    assert run("refresh").stdout == ""  # delivered: not printed again


def test_columns_zero_still_prints_the_changes(
    run: RunCli, fake: FakeTMDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    monkeypatch.setenv("COLUMNS", "0")
    result = run("refresh")
    assert result.exit_code == 5
    assert result.stdout == "Nowhere Film (2001) is now streaming on Netflix in GB\n"


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _retarget(data_dir: Path, target: str) -> None:
    from wheretowatch.notify.targets import parse_target

    path = data_dir / "snapshots.json"
    document = json.loads(path.read_text())
    for row in document["undelivered"]:
        row["owed"] = [parse_target(target).id]
    path.write_text(json.dumps(document))


def test_from_python_refresh_notifies_the_configured_targets(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, config_dir: Path
) -> None:
    from wheretowatch import refresh

    (config_dir / "config.toml").write_text(f'notify = ["{url(receiver)}"]\n')
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    receiver.status = 500
    failed = refresh(notify=True)
    assert [c.sentence() for c in failed.changes] == [
        "Nowhere Film (2001) is now streaming on Netflix in GB"
    ]
    ((label, _, count),) = failed.undelivered
    assert (label, count) == (f"json://127.0.0.1:{receiver.port}/***", 1)
    receiver.status = 200
    again = refresh(notify=True)
    assert again.changes == ()
    assert [c.sentence() for c in again.delivered] == [c.sentence() for c in failed.changes]
    assert len(receiver.posts) == 1


def test_config_set_notify_repeats_the_urls_masked(run: RunCli) -> None:
    result = run("config", "set", "notify", "ntfys://my-secret-topic", "json://127.0.0.1:9/hook")
    assert result.exit_code == 0, result.stderr
    assert "my-secret-topic" not in result.stdout + result.stderr
    assert "ntfys://***" in result.stderr  # a confirmation, not output


def test_config_set_notify_reads_the_urls_from_stdin_one_a_line(
    run: RunCli, config_dir: Path
) -> None:
    import tomllib

    given = f"ntfys://my-secret-topic\n\n  json://127.0.0.1:9/{SECRET}  \n"

    result = run("config", "set", "notify", "--stdin", input=given)

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert SECRET not in result.stderr
    assert "my-secret-topic" not in result.stderr
    assert '["ntfys://***", "json://127.0.0.1:9/***"]' in result.stderr
    written = tomllib.loads((config_dir / "config.toml").read_text())
    assert written["notify"] == ["ntfys://my-secret-topic", f"json://127.0.0.1:9/{SECRET}"]


@pytest.mark.parametrize(
    ("args", "given", "said"),
    [
        (["--stdin"], "\n \n", "stdin held no notification URL"),
        (["--stdin", "ntfys://topic"], "ntfys://other\n", "on stdin or on the command line"),
        (["--stdin"], "x" * 70_000, "longer than any list of notification URLs"),
        (["--stdin"], f"not a url {SECRET}\n", "Invalid notify value"),
    ],
)
def test_config_set_notify_from_stdin_refuses_what_is_no_list_of_urls(
    run: RunCli, config_dir: Path, args: list[str], given: str, said: str
) -> None:
    result = run("config", "set", "notify", *args, input=given)
    assert result.exit_code == 2
    assert said in result.stderr
    assert SECRET not in result.stderr
    assert result.stdout == ""
    assert not (config_dir / "config.toml").exists()


def _doctor_on_notify(run: RunCli, config_dir: Path, *urls: str) -> tuple[Run, dict[str, Any]]:
    """`doctor --json` with the notify setting in a private config file; its notify check."""
    config = config_dir / "config.toml"
    config.write_text(f'region = "GB"\nnotify = {json.dumps(list(urls))}\n')
    config.chmod(0o600)
    result = run("doctor", "--json")
    (check,) = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "notifications"]
    return result, check


def test_doctor_checks_the_notify_setting_as_refresh_would(
    run: RunCli, receiver: Receiver, config_dir: Path
) -> None:
    result, check = _doctor_on_notify(run, config_dir, url(receiver), "bogus://x")

    assert result.exit_code == 6
    assert not check["ok"]
    assert "Apprise does not understand the notification URL bogus://" in check["message"]
    assert SECRET not in result.stdout  # the good URL's secret part stays masked
    assert run("refresh").exit_code == 6  # what doctor warned of


def test_doctor_passes_notify_targets_apprise_knows(
    run: RunCli, receiver: Receiver, config_dir: Path
) -> None:
    result, check = _doctor_on_notify(run, config_dir, url(receiver))

    assert check["ok"], check
    assert f"json://127.0.0.1:{receiver.port}" in check["message"]
    assert SECRET not in result.stdout
    assert receiver.posts == []  # checked, not sent


def test_config_set_refuses_a_url_apprise_cannot_send_to(
    run: RunCli, receiver: Receiver, config_dir: Path
) -> None:
    refused = run("config", "set", "notify", "bogus://x", url(receiver))

    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "error: Apprise does not understand the notification URL bogus://***."
    )
    assert not (config_dir / "config.toml").exists()
    accepted = run("config", "set", "notify", url(receiver))
    assert accepted.exit_code == 0
    assert SECRET not in accepted.stdout + accepted.stderr
    assert SECRET in (config_dir / "config.toml").read_text()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopped_while_a_slow_target_keeps_it_waiting_nothing_is_delivered_twice(
    run: RunCli,
    fake: FakeTMDB,
    cli_env: dict[str, str],
    receiver: Receiver,
    data_dir: Path,
    stop: signal.Signals,
) -> None:
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        slow = f"json://127.0.0.1:{silent.getsockname()[1]}/hook"
        process = _cli(
            {**cli_env, "WHERETOWATCH_TIMEOUT": "30"},
            "refresh",
            "--notify",
            slow,
            "--notify",
            url(receiver),
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        printed = process.stdout.readline()  # stdout has taken it: now waiting on `slow`
        deadline = time.monotonic() + 20
        while not receiver.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # for its answer to reach the run: the receiver counts on arrival
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=60)
    finally:
        silent.close()
    assert printed == b"Nowhere Film (2001) is now streaming on Netflix in GB\n"
    # Ctrl-C exits 130; SIGTERM, once the delivery is recorded, ends the process by SIGTERM
    # after all, as systemd (which sent it) counts a clean stop.
    assert process.returncode == (130 if stop == signal.SIGINT else -signal.SIGTERM), stderr
    assert b"Traceback" not in stderr
    # Owed to the slow target alone: stdout and the receiver took it.
    assert [row["owed"] for row in undelivered(data_dir)] == [[_target_id(slow)]]
    again = run("refresh", "--notify", url(receiver))
    assert again.stdout == ""
    assert len(receiver.posts) == 1


def _target_id(url: str) -> str:
    from wheretowatch.notify.targets import parse_target

    return parse_target(url).id


def test_a_ctrl_c_while_recording_the_delivery_still_records_it(
    run: RunCli,
    fake: FakeTMDB,
    receiver: Receiver,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wheretowatch.lists.snapshots import Snapshots

    watch_nowhere_film(run)
    lands(fake, "flatrate")
    real_save = Snapshots.save
    saves: list[int] = []

    def interrupted_once(self: Snapshots, *args: Any, **kwargs: Any) -> None:
        saves.append(1)
        if len(saves) == 2:  # the save that records the delivery: Ctrl-C lands in it
            raise KeyboardInterrupt
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Snapshots, "save", interrupted_once)
    first = run("refresh", "--notify", url(receiver))
    monkeypatch.setattr(Snapshots, "save", real_save)

    assert first.exit_code == 5
    assert undelivered(data_dir) == []
    again = run("refresh", "--notify", url(receiver))
    assert (again.exit_code, again.stdout) == (0, "")
    assert len(receiver.posts) == 1


def test_a_backlog_larger_than_the_target_takes_arrives_in_messages_it_takes(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path, tmp_path: Path
) -> None:
    ids = fake.generate(45)
    export = tmp_path / "films.csv"
    rows = "".join(f"Generated Film {i},2020,{i},GB\n" for i in ids)
    export.write_text("Name,Year,tmdbID,Regions\n" + rows)
    assert run("watchlist", "import", str(export)).exit_code == 0
    assert run("refresh").exit_code == 0
    for tmdb_id in ids:  # Netflix leaves every one: 45 changes, far over 400 characters
        fake.movies[tmdb_id] = {**fake.movies[tmdb_id], "_providers": {"GB": {"link": None}}}
    receiver.max_chars = 400
    result = run("refresh", "--notify", url(receiver))
    assert result.exit_code == 5, result.stderr
    assert result.stderr == ""
    assert undelivered(data_dir) == []
    text = "\n".join(post["message"] for post in receiver.posts)
    assert all(f"Generated Film {i} (2020)\n- left Netflix" in text for i in ids)
    assert all(len(post["message"]) <= 400 for post in receiver.posts)


def test_a_large_backlog_goes_out_in_capped_messages(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, tmp_path: Path
) -> None:
    ids = fake.generate(45)
    export = tmp_path / "films.csv"
    rows = "".join(f"Generated Film {i},2020,{i},GB\n" for i in ids)
    export.write_text("Name,Year,tmdbID,Regions\n" + rows)
    assert run("watchlist", "import", str(export)).exit_code == 0
    assert run("refresh").exit_code == 0
    for tmdb_id in ids:
        fake.movies[tmdb_id] = {**fake.movies[tmdb_id], "_providers": {"GB": {"link": None}}}
    assert run("refresh", "--notify", url(receiver)).exit_code == 5
    assert len(receiver.posts) > 1
    assert all(len(post["message"]) <= 1000 for post in receiver.posts)
    assert sum(post["message"].count("- left Netflix") for post in receiver.posts) == 45


# --- a target that keeps refusing, one set no more: doctor names them, notify drop ---


def _refusing_twice(run: RunCli, fake: FakeTMDB, receiver: Receiver, target: str) -> Run:
    """Nowhere Film lands; the target refuses its change at two refreshes; the second."""
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    receiver.status = 500
    first = run("refresh", "--notify", target)
    assert first.exit_code == 9
    assert "notify drop" not in first.stderr  # once may be a passing fault
    return run("refresh", "--notify", target)


def test_a_target_refusing_twice_is_named_with_the_command_that_drops_its_backlog(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path
) -> None:
    from wheretowatch.notify.targets import parse_target

    target = url(receiver)
    ident = parse_target(target).id

    again = _refusing_twice(run, fake, receiver, target)

    assert again.exit_code == 9
    assert again.stdout == ""
    assert "1 change not delivered to json://127.0.0.1:" in again.stderr
    assert f"give up what it is owed with `wheretowatch notify drop {ident}`" in again.stderr
    assert SECRET not in again.stderr


def test_doctor_names_a_refusing_targets_backlog_since_when_and_how_to_drop_it(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path, config_dir: Path
) -> None:
    from wheretowatch.notify.targets import parse_target

    target = url(receiver)
    (config_dir / "config.toml").write_text(f'region = "GB"\nnotify = ["{target}"]\n')
    (config_dir / "config.toml").chmod(0o600)
    watch_nowhere_film(run)
    lands(fake, "flatrate", "rent")
    receiver.status = 500
    assert run("refresh").exit_code == 9

    result = run("doctor", "--json")

    assert result.exit_code == 9, result.stdout
    (check,) = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "undelivered"]
    assert check["ok"] is False
    assert check["message"].startswith(
        f"2 changes owed to json://127.0.0.1:{receiver.port}/***, since "
    )
    assert check["message"].endswith(" UTC: it has not taken them.")
    assert f"wheretowatch notify drop {parse_target(target).id}" in check["hint"]
    assert SECRET not in result.stdout + result.stderr
    text = run("doctor")
    assert text.stdout.splitlines()[-1] == "1 problem found."
    assert SECRET not in text.stdout + text.stderr


def test_notify_drop_gives_up_a_targets_backlog_in_one_write_and_keeps_the_snapshots(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path
) -> None:
    from wheretowatch.notify.targets import parse_target

    target = url(receiver)
    _refusing_twice(run, fake, receiver, target)
    before = json.loads((data_dir / "snapshots.json").read_text())
    ident = parse_target(target).id

    dropped = run("notify", "drop", ident)

    assert dropped.exit_code == 0, dropped.stderr
    assert dropped.stderr == ""
    assert dropped.stdout.startswith(f"Dropped 1 change owed to {ident} (not in the notify")
    assert SECRET not in dropped.stdout
    after = json.loads((data_dir / "snapshots.json").read_text())
    assert after == {key: value for key, value in before.items() if key != "undelivered"}
    receiver.status = 200
    assert run("refresh", "--notify", target).exit_code == 0
    assert receiver.posts == []
    nothing = run("notify", "drop", ident)
    assert (nothing.exit_code, nothing.stderr) == (0, "")
    assert nothing.stdout == "Nothing was owed to that target: nothing to drop.\n"


def test_changes_owed_to_a_target_set_no_more_are_named_and_dropped_stdout_kept(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path
) -> None:
    from wheretowatch.notify.targets import parse_target

    watch_nowhere_film(run)
    lands(fake, "flatrate")
    receiver.status = 500
    assert run("refresh", "--notify", url(receiver)).exit_code == 9
    rows = undelivered(data_dir)
    rows.append({**rows[0], "owed": ["stdout"]})  # as after a full disk
    document = json.loads((data_dir / "snapshots.json").read_text())
    (data_dir / "snapshots.json").write_text(json.dumps({**document, "undelivered": rows}))
    ident = parse_target(url(receiver)).id

    doctor = run("doctor", "--json")

    assert doctor.exit_code == 9
    owed = [c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "undelivered"]
    assert [c["message"].split(",")[0] for c in owed] == [
        f"1 change owed to a target no longer in the notify setting ({ident})",
        "1 change found by refresh not yet printed",
    ]
    assert "wheretowatch notify drop --all-unconfigured" in owed[0]["hint"]

    dropped = run("notify", "drop", "--all-unconfigured")

    assert dropped.exit_code == 0
    assert dropped.stdout.startswith(f"Dropped 1 change owed to {ident} (not in the notify")
    assert [row["owed"] for row in undelivered(data_dir)] == [["stdout"]]


def test_notify_drop_waits_for_a_refresh_and_changes_nothing_while_one_runs(
    run: RunCli, fake: FakeTMDB, receiver: Receiver, data_dir: Path
) -> None:
    from wheretowatch.datafile import locked

    _refusing_twice(run, fake, receiver, url(receiver))
    before = (data_dir / "snapshots.json").read_bytes()
    with locked(data_dir / "refresh.lock", timeout=1, what="refreshing"):
        busy = run("notify", "drop", "--all-unconfigured", "--wait", "0")
    assert busy.exit_code == 8
    assert "Another wheretowatch process is refreshing" in busy.stderr
    assert (data_dir / "snapshots.json").read_bytes() == before


def test_notify_drop_without_a_target_or_with_a_bad_one_is_a_usage_error(run: RunCli) -> None:
    bare = run("notify", "drop")
    bad = run("notify", "drop", f"not a url {SECRET}")
    assert (bare.exit_code, bad.exit_code) == (2, 2)
    assert "Name a target to drop, or give --all-unconfigured." in bare.stderr
    assert "Target 1 (from the command line) is neither an Apprise URL" in bad.stderr
    assert SECRET not in bad.stderr
    assert bare.stdout == bad.stdout == ""


def test_a_refresh_killed_between_printing_and_recording_prints_the_change_again(
    run: RunCli, fake: FakeTMDB
) -> None:
    """At least once, as the docs say: SIGKILL leaves no chance to record what was printed."""
    watch_nowhere_film(run)
    lands(fake, "flatrate")
    code = (
        "import os, signal\n"
        "from wheretowatch.lists.snapshots import Snapshots\n"
        "save, saves = Snapshots.save, []\n"
        "def killed_at_the_record(self, *args, **kwargs):\n"
        "    saves.append(1)\n"
        "    if len(saves) == 2:  # the first enqueues; the second records the delivery\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return save(self, *args, **kwargs)\n"
        "Snapshots.save = killed_at_the_record\n"
        "from wheretowatch.cli import main; main()\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", code, "refresh"], capture_output=True, text=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL
    line = "Nowhere Film (2001) is now streaming on Netflix in GB\n"
    assert killed.stdout == line

    again = run("refresh")

    assert (again.exit_code, again.stdout) == (5, line)
    assert run("refresh").stdout == ""
    docs = Path(__file__).parent.parent / "docs" / "how-to" / "cron-systemd.md"
    said = " ".join(docs.read_text().split())
    assert "not printed twice" not in said
    assert "printed at least once" in said
    assert "(`kill -9`, the OOM killer, a power cut) between printing a change and" in said


@pytest.mark.parametrize(
    ("marker", "command"),
    [
        ("pipx_metadata.json", "pipx inject wheretowatch apprise"),
        ("uv-receipt.toml", "uv tool install --force --with apprise wheretowatch"),
    ],
)
def test_the_install_hint_is_the_installers_own(tmp_path: Path, marker: str, command: str) -> None:
    from wheretowatch.notify.install import install_apprise

    (tmp_path / marker).write_text("")
    assert install_apprise(str(tmp_path), "/usr") == command
    bare = tmp_path / "venv"
    bare.mkdir()
    assert install_apprise(str(bare), "/usr") == (
        f"{bare / 'bin' / 'python'} -m pip install 'wheretowatch[notify]'"
    )
    assert install_apprise("/usr", "/usr") == "pip install 'wheretowatch[notify]'"


def test_notify_help_names_each_installers_command(run: RunCli) -> None:
    result = run("notify", "--help")
    assert "pipx inject wheretowatch apprise" in result.stdout
    assert "uv tool install --force --with apprise wheretowatch" in result.stdout
    assert "pip install 'wheretowatch[notify]'" in result.stdout


def test_a_notification_failure_says_why(run: RunCli, receiver: Receiver) -> None:
    from tests.conftest import free_port

    receiver.status = 500
    refused_by_status = run("notify", "test", url(receiver))
    assert refused_by_status.exit_code == 9
    assert "the service answered HTTP 500" in refused_by_status.stderr
    nobody = f"json://127.0.0.1:{free_port()}/{SECRET}"
    refused = run("notify", "test", nobody)
    assert refused.exit_code == 9
    assert "the connection was refused" in refused.stderr
    assert "failed or refused" not in refused.stderr + refused_by_status.stderr


def test_debug_shows_apprises_own_lines_with_the_secret_masked(
    run: RunCli, receiver: Receiver
) -> None:
    receiver.status = 500
    result = run("--debug", "notify", "test", url(receiver))
    assert "debug: apprise: " in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "/***" in result.stderr


def test_a_webhook_path_is_shown_masked_not_dropped(run: RunCli) -> None:
    result = run("config", "set", "notify", "json://127.0.0.1:9/hook")
    assert "json://127.0.0.1:9/***" in result.stderr
    assert "/hook" not in result.stderr
