"""The small ways a command used to fail: huge numbers, deep values, an early Ctrl-C, an ASCII
terminal, a closed pipe, a seed beyond 64 bits, overflowing conditions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, pact

SC = "scenarios/treaty-2024.toml"


def _one_line_2(proc, needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and needle in proc.stderr


def test_run_index_beyond_64_bits_is_a_usage_error():
    _one_line_2(pact("run", SC, "--run", str(2**63)), "--run must be between 0 and 2**63-1")


@pytest.mark.parametrize("command", [("run", SC), ("batch", SC, "--runs", "5"), ("play",)])
@pytest.mark.parametrize("seed", [2**64, -1])
def test_seed_beyond_64_bits_is_refused_everywhere(command, seed):
    _one_line_2(pact(*command, "--seed", str(seed)), "--seed must be between 0 and 2**64-1")


def test_the_largest_seed_is_honoured_and_differs_from_zero():
    top = pact("run", SC, "--seed", str(2**64 - 1), "--turns", "6", "--json", check=True).stdout
    zero = pact("run", SC, "--seed", "0", "--turns", "6", "--json", check=True).stdout
    assert f'"seed": {2**64 - 1}' in top and top != zero.replace(
        '"seed": 0', f'"seed": {2**64 - 1}'
    )


def test_a_deeply_nested_set_value_is_a_located_error():
    deep = "[" * 20_000 + "]" * 20_000
    proc = pact("run", SC, "--turns", "2", "--set", f"actors.PRK.doctrine.aggression={deep}")
    _one_line_2(proc, "doctrine.aggression: expected a number")


def test_ascii_terminal_gets_escapes_not_an_encoding_error():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "game", "dry-run", SC, "--runs", "10", "--turns", "6"],
        cwd=ROOT,
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    proc.stdout.decode("ascii")  # nothing but ASCII reached the terminal
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("dry-run", SC, "--runs", "20", "--turns", "6"),
        ("run", SC),
        ("batch", SC, "--runs", "20", "--turns", "6", "--workers", "1", "--quiet", "--no-plots"),
    ],
)
def test_a_closed_pipe_ends_quietly_with_status_0(command, tmp_path):
    extra = ("--out", str(tmp_path / "o")) if command[0] == "batch" else ()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", *command, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.readline()  # what `head -1` reads
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 0, err
    assert err == ""


# Python itself starts before any of Pact's code runs; from the first import of `game` on, a
# Ctrl-C is Pact's to handle. The child says when it gets there.
_START = (
    "import sys\n"
    "code = compile(open('game/__main__.py').read(), 'game/__main__.py', 'exec')\n"
    "sys.argv = ['pact', 'validate', {sc!r}]\n"
    "print('go', flush=True)\n"
    "exec(code, {{'__name__': '__main__'}})\n"
)


def _before_pact(err: bytes) -> bool:
    """The interrupt's traceback shows only the child's own lines, none of Pact's code."""
    return err.startswith(b"Traceback") and b'File "<string>"' in err and b"game" not in err


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.15, 0.3, 0.6])
def test_an_early_ctrl_c_is_a_clean_interrupt(delay):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", _START.format(sc=SC)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout.readline() == b"go\n"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        # On a busy machine the signal can still land in the child's own two lines (the
        # "<string>" it runs) before Pact's first line: no code of Pact's could see it; again.
        if not _before_pact(err):
            break
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err.decode()
    # 130: interrupted; 0: it finished first; -SIGINT: the signal came while the interpreter was
    # shutting down after finishing, when Python has handed SIGINT back to the system.
    assert proc.returncode in (130, 0, -signal.SIGINT), (proc.returncode, err.decode())


def test_a_ctrl_c_written_into_a_validator_build_is_a_clean_interrupt(monkeypatch, capsys):
    """pydantic's compiled core turns a Ctrl-C that lands while it builds a model's validator
    into a ``SchemaError`` ending in the interrupt's line, with no cause kept (the race the test
    above hits now and then at 0.3 s); any other ``SchemaError`` is still raised."""
    import pydantic_core

    import game.commands.main as entry

    def interrupted(argv):
        raise pydantic_core.SchemaError(
            'Error building "model" validator:\n  SchemaError: Field "events":\n'
            "  KeyboardInterrupt: "
        )

    monkeypatch.setattr(entry, "_main", interrupted)
    assert entry.main([]) == 130
    assert capsys.readouterr().err == "pact: interrupted\n"

    def broken(argv):
        raise pydantic_core.SchemaError('Error building "model" validator: bad field')

    monkeypatch.setattr(entry, "_main", broken)
    with pytest.raises(pydantic_core.SchemaError):
        entry.main([])


def test_overflowing_conditions_print_no_warnings(tmp_path):
    text = (ROOT / SC).read_text()
    anchor = "[[events]]\n"
    i = text.index(anchor)
    when = text.index('when = "', i) + len('when = "')
    huge = " * ".join(["1e12"] * 27)  # 1e324: beyond the largest float
    text = text[:when] + f"({huge} - {huge} > 0 or {huge} / 0.5 < 0) or " + text[when:]
    path = tmp_path / "overflow.toml"
    path.write_text(text)
    env_proc = pact("run", path, "--turns", "3")
    assert env_proc.returncode == 0, env_proc.stderr
    assert "RuntimeWarning" not in env_proc.stderr and "overflow" not in env_proc.stderr
    dry = pact("dry-run", path, "--runs", "10", "--turns", "3")
    assert dry.returncode == 0 and "RuntimeWarning" not in dry.stderr


def test_a_ctrl_c_wrapped_by_a_library_is_still_a_clean_interrupt(monkeypatch, capsys):
    # pydantic turns a KeyboardInterrupt that lands inside its lazy imports into a RuntimeError.
    from game.commands import main as cli

    def wrapped(argv):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise RuntimeError("import failed") from e

    monkeypatch.setattr(cli, "_main", wrapped)
    assert cli.main([]) == 130
    assert capsys.readouterr().err == "pact: interrupted\n"

    def broken(argv):
        raise RuntimeError("a real defect")

    monkeypatch.setattr(cli, "_main", broken)
    with pytest.raises(RuntimeError, match="a real defect"):
        cli.main([])


def test_a_ctrl_c_python_cannot_raise_where_it_lands_still_stops_the_command(monkeypatch, capsys):
    # A Ctrl-C that lands in a finalizer (or a C library's callback) is "ignored" by Python; the
    # command hands it back to the main thread, which stops as any Ctrl-C does.
    import sys
    import time

    from game.commands import main as cli

    class Finalizer:
        def __del__(self):
            raise KeyboardInterrupt

    def work(argv):
        Finalizer()  # collected at once: its Ctrl-C cannot be raised here
        for _ in range(500):
            time.sleep(0.01)
        return 0

    monkeypatch.setattr(cli, "_main", work)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)  # restored after the test
    assert cli.main([]) == 130
    err = capsys.readouterr().err
    assert err == "pact: interrupted\n", err


def test_a_dry_run_share_reads_as_the_times_per_run_beside_it():
    """A share of 0.165 is '0.17' times per run beside it: its percentage is 17%, not the
    16% that rounding 16.5 to even gave; 0.355 is '0.35' (it is 0.35499...), so 35%, not 36%."""
    from game.scenario.dryrun import _pct

    assert (_pct(0.165), _pct(0.355), _pct(0.004), _pct(0.0)) == ("17%", "35%", "<1%", "-")
    assert (f"{0.165:.2f}", f"{0.355:.2f}") == ("0.17", "0.35")
