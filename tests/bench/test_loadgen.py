"""The fallback load generator's figures and its refusal to load anything but this machine."""

import pytest

from bench import load, loadgen


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert loadgen.percentile(values, 0.50) == 50
    assert loadgen.percentile(values, 0.95) == 95
    assert loadgen.percentile(values, 0.99) == 99
    assert loadgen.percentile([], 0.5) == 0


def test_only_loopback_is_loaded():
    loadgen.require_loopback("127.0.0.1")
    with pytest.raises(SystemExit):
        loadgen.require_loopback("10.0.0.1")


def test_a_load_tool_result_line_is_read():
    out = "Running 10s test\nBENCH_JSON " + (
        '{"requests": 500, "duration_s": 10.0, "p50_ms": 1.5, "p95_ms": 3.0, "p99_ms": 9.0, '
        '"non2xx": 5, "bad_status": 404, "socket_errors": 1}\n')
    result = load._parse(out)
    assert result.rps == 50 and result.errors == 6 and result.bad_status == 404
