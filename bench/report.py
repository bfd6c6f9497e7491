"""Markdown tables and the issue's targets from the benchmark's JSON (see :mod:`bench.run`)."""

from __future__ import annotations

import math
from typing import Any

Record = dict[str, Any]
OURS = "rankl-kg"


def fmt(value: float | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits, or a dash."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (first column left-aligned, the rest right-aligned)."""
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def http_by_name(scale: Record) -> dict[str, Record]:
    """The HTTP records of a scale that did not fail, by server name."""
    return {server["name"]: server for server in scale["http"] if "error" not in server}


def load_table(results: Record) -> str:
    """Load time and memory of every backend and server at every scale."""
    rows = []
    for scale in results["scales"]:
        for backend in scale["inproc"]:
            if "error" in backend:
                rows.append([f"x{scale['scale']}", backend["backend"], "error", "", ""])
                continue
            rows.append([f"x{scale['scale']}", f"{backend['backend']} (in process)",
                         fmt(backend["load_s"]), fmt(backend["peak_rss_mb"]),
                         fmt(backend["peak_rss_after_queries_mb"])])
        for server in scale["http"]:
            if "error" in server:
                rows.append([f"x{scale['scale']}", f"{server['name']} (server)", "error", "", ""])
                continue
            rows.append([f"x{scale['scale']}", f"{server['name']} (server)",
                         fmt(server.get("load_s", server["start_s"])), fmt(server["rss_idle_mb"]),
                         fmt(server["rss_after_mb"])])
    header = ["scale", "backend", "load s (server: start until /sparql answers)",
              "RSS MB after load (in process: peak)", "RSS MB after queries"]
    return table(header, rows)


def latency_table(scale: Record) -> str:
    """p50 / p99 ms of every query, in process and over HTTP, at one scale."""
    inproc = [b for b in scale["inproc"] if "error" not in b]
    servers = list(http_by_name(scale).values())
    names = list(inproc[0]["queries"]) if inproc else list(servers[0]["queries"]) if servers else []
    header = ["query", "rows", *[b["backend"] for b in inproc], *[f"HTTP {s['name']}" for s in servers]]
    rows = []
    for name in names:
        cells = [name, str(first_count(inproc, servers, name))]
        cells += [p50_p99(b["queries"].get(name, {})) for b in inproc]
        cells += [p50_p99(s["queries"].get(name, {})) for s in servers]
        rows.append(cells)
    return table(header, rows)


def first_count(inproc: list[Record], servers: list[Record], name: str) -> object:
    """The result count of ``name`` as the first backend saw it."""
    for record in [*inproc, *servers]:
        count = record["queries"].get(name, {}).get("results")
        if count is not None:
            return count
    return "–"


def p50_p99(measure: Record) -> str:
    """``p50 / p99`` ms of one measurement, or ``error``."""
    if "p50_ms" not in measure:
        return "error"
    return f"{fmt(measure['p50_ms'])} / {fmt(measure['p99_ms'])}"


def mix_table(results: Record) -> str:
    """Requests/s of the query mix per server and scale, with our ratio to each."""
    rows = []
    for scale in results["scales"]:
        servers = http_by_name(scale)
        ours = servers.get(OURS, {}).get("mix", {}).get("rps")
        for name, server in servers.items():
            mix = server.get("mix", {})
            ratio = ours / mix["rps"] if ours and mix.get("rps") else None
            rows.append([f"x{scale['scale']}", name, fmt(mix.get("rps")), str(mix.get("errors", "–")),
                         fmt(mix.get("p50_ms")), fmt(mix.get("p99_ms")), fmt(ratio)])
    header = ["scale", "server", "req/s (mix)", "errors", "p50 ms", "p99 ms", "rankl-kg ÷ this"]
    return table(header, rows)


def geomean(values: list[float]) -> float | None:
    """Geometric mean of positive values, ``None`` for none."""
    positive = [v for v in values if v > 0]
    if not positive:
        return None
    return math.exp(sum(math.log(v) for v in positive) / len(positive))


def p50_ratios(scale: Record, reference: str) -> list[float]:
    """Our HTTP p50 divided by ``reference``'s, for every query both answered."""
    servers = http_by_name(scale)
    if OURS not in servers or reference not in servers:
        return []
    ours, other = servers[OURS]["queries"], servers[reference]["queries"]
    return [ours[n]["p50_ms"] / other[n]["p50_ms"]
            for n in ours if "p50_ms" in ours[n] and "p50_ms" in other.get(n, {})]


def target_rows(results: Record) -> list[list[str]]:
    """Each target of the issue, the measured value and whether it is met."""
    rows = []
    build = results["build"]
    if build.get("ok"):
        rows.append(verdict("build < 15 s", build["seconds"], 15, below=True, unit=" s"))
    scales = {s["scale"]: s for s in results["scales"]}
    if 1 in scales:
        servers = http_by_name(scales[1])
        ours = servers.get(OURS, {}).get("mix", {}).get("rps")
        for name, factor in (("virtuoso", 1.0), ("rdflib-endpoint", 15.0)):
            other = servers.get(name, {}).get("mix", {}).get("rps")
            if ours and other:
                rows.append(verdict(f"x1 req/s ≥ {factor:g}× {name}", ours / other, factor,
                                    below=False, unit="×"))
        ratios = p50_ratios(scales[1], "flask-oxigraph")
        if ratios:
            rows.append(verdict("x1 p50 ≤ 1.5× bare Flask-over-pyoxigraph (worst query)",
                                max(ratios), 1.5, below=True, unit="×"))
            rows.append(verdict("x1 p50 ≤ 1.5× bare Flask-over-pyoxigraph (geo-mean)",
                                geomean(ratios) or 0, 1.5, below=True, unit="×"))
    if 100 in scales:
        rows += scale_100_rows(scales[100])
    return rows


def scale_100_rows(scale: Record) -> list[list[str]]:
    """The x100 targets: load time, memory and p50 of our server."""
    rows = []
    ours = http_by_name(scale).get(OURS)
    if ours:
        rows.append(verdict("x100 server load (start until it answers) < 10 s", ours["start_s"], 10,
                            below=True, unit=" s"))
        rows.append(verdict("x100 server memory < 1 GB (RSS after queries)", ours["rss_after_mb"],
                            1024, below=True, unit=" MB"))
        p50s = [q["p50_ms"] for q in ours["queries"].values() if "p50_ms" in q]
        if p50s:
            rows.append(verdict("x100 p50 < 300 ms (slowest query)", max(p50s), 300, below=True,
                                unit=" ms"))
    return rows


def verdict(name: str, value: float, limit: float, *, below: bool, unit: str) -> list[str]:
    """A target row: met or missed, and by what factor."""
    met = value <= limit if below else value >= limit
    margin = limit / value if below and value else value / limit
    return [name, f"{fmt(value)}{unit}", "met" if met else "missed", f"{fmt(margin)}× of the limit"]


def markdown(results: Record) -> str:
    """The whole RESULTS.md."""
    env = results["environment"]
    parts = [
        "# RANKL-KG benchmark results",
        "",
        (f"Measured {env['time']} on {env['platform']}, {env['cpus']} CPUs, Python {env['python']}, "
        f"pyoxigraph {env['pyoxigraph']}, rdflib {env['rdflib']}. Source graph: "
        f"`{results['source']}`; queries: `{results['options']['queries_dir']}`. "
        f"Build: {fmt(results['build'].get('seconds'))} s "
        f"({'ok' if results['build'].get('ok') else 'skipped or failed'})."),
        "",
        "## Targets of issue 6",
        "",
        table(["target", "measured", "verdict", "margin"], target_rows(results)),
        "",
        "## Load time and memory",
        "",
        load_table(results),
        "",
        (f"## Requests/s, {results['options']['clients']} concurrent clients, "
        f"{results['options']['mix_seconds']} s, mix of all queries"),
        "",
        mix_table(results),
    ]
    for scale in results["scales"]:
        parts += ["", (f"## Query latency at x{scale['scale']} ({scale['triples']:,} triples): "
                  "p50 / p99 ms"), "", latency_table(scale)]
    return "\n".join(parts) + "\n"
