"""Markdown tables and the issue's targets from the benchmark's JSON (see :mod:`bench.run`)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click

Record = dict[str, Any]
#: Our server's two rows: the default configuration, and the result cache switched off
OURS = "rankl-kg (cache on)"
OURS_COLD = "rankl-kg (cache off)"
#: The in-process backend the growth of cost is read from
ENGINE = "oxigraph-mem"


def fmt(value: float | None, digits: int = 3) -> str:
    """A number with ``digits`` significant digits, or a dash."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}" if abs(value) < 10**digits else f"{value:,.0f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (first column left-aligned, the rest right-aligned)."""
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def http_by_name(scale: Record) -> dict[str, Record]:
    """The HTTP records of a scale that did not fail, by server name."""
    return {server["name"]: server for server in scale["http"] if "error" not in server}


def inproc_by_name(scale: Record) -> dict[str, Record]:
    """The in-process records of a scale that did not fail, by backend."""
    return {backend["backend"]: backend for backend in scale["inproc"] if "error" not in backend}


def p50(record: Record | None, query: str) -> float | None:
    """The p50 ms of ``query`` in a backend or server record, ``None`` if not answered."""
    if record is None:
        return None
    value = record["queries"].get(query, {}).get("p50_ms")
    return float(value) if value is not None else None


def verdict(
    name: str, value: float | None, limit: float, *, below: bool, unit: str, note: str = ""
) -> list[str]:
    """A target row: measured value, target, met or missed, and by what factor."""
    comparison = "<" if below else "≥"
    if value is None:
        return [name, "not measured", f"{comparison} {fmt(limit)}{unit}", "not measured", note]
    met = value <= limit if below else value >= limit
    factor = (limit / value if value else math.inf) if below else value / limit
    margin = (
        f"{fmt(factor, 4)}× inside"
        if met
        else f"missed by {fmt(1 / factor if factor else math.inf, 4)}×"
    )
    measured = f"{fmt(value, 4)}{unit}"
    return [
        name,
        measured,
        f"{comparison} {fmt(limit)}{unit}",
        "met" if met else "missed",
        f"{margin}{'; ' + note if note else ''}",
    ]


def geomean(values: list[float]) -> float | None:
    """Geometric mean of positive values, ``None`` for none."""
    positive = [v for v in values if v > 0]
    if not positive:
        return None
    return math.exp(sum(math.log(v) for v in positive) / len(positive))


def p50_ratios(scale: Record, ours: str, reference: str) -> dict[str, float]:
    """Our HTTP p50 divided by ``reference``'s, per query both answered."""
    servers = http_by_name(scale)
    ratios = {}
    for name in servers.get(ours, {}).get("queries", {}):
        mine, theirs = p50(servers.get(ours), name), p50(servers.get(reference), name)
        if mine is not None and theirs:
            ratios[name] = mine / theirs
    return ratios


def mix_rps(scale: Record, server: str) -> float | None:
    """Requests/s of ``server``'s mix at ``scale``."""
    value = http_by_name(scale).get(server, {}).get("mix", {}).get("rps")
    return float(value) if value else None


def seed_rows(scale: Record) -> list[list[str]]:
    """The seed-graph targets: requests/s against Virtuoso and rdflib-endpoint, p50 against
    bare Flask, each for the cache on (default) and off."""
    rows = []
    for ours in (OURS, OURS_COLD):
        mine = mix_rps(scale, ours)
        for reference, factor in (("virtuoso", 1.0), ("rdflib-endpoint", 15.0)):
            theirs = mix_rps(scale, reference)
            ratio = mine / theirs if mine and theirs else None
            rows.append(
                verdict(
                    f"x1 req/s, {ours} ÷ {reference}",
                    ratio,
                    factor,
                    below=False,
                    unit="×",
                    note=f"{fmt(mine)} vs {fmt(theirs)} req/s",
                )
            )
        ratios = p50_ratios(scale, ours, "flask-oxigraph")
        worst = max(ratios, key=ratios.__getitem__) if ratios else None
        rows.append(
            verdict(
                f"x1 p50 {ours} ÷ bare Flask-over-pyoxigraph, geo-mean of queries",
                geomean(list(ratios.values())),
                1.5,
                below=True,
                unit="×",
            )
        )
        rows.append(
            verdict(
                f"x1 p50 {ours} ÷ bare Flask-over-pyoxigraph, worst query",
                ratios[worst] if worst else None,
                1.5,
                below=True,
                unit="×",
                note=f"{worst}; {sum(r > 1.5 for r in ratios.values())} of {len(ratios)} over 1.5×",
            )
        )
    return rows


def scale_100_rows(scale: Record) -> list[list[str]]:
    """The x100 targets: first load, serving memory, p50 of every query over HTTP."""
    servers = http_by_name(scale)
    ours = [servers[name] for name in (OURS, OURS_COLD) if name in servers]
    on_disk = any(s.get("storage") == "disk" for s in ours)
    first = next((s.get("first_load_s") for s in ours if s.get("first_load_s") is not None), None)
    if not on_disk:
        first = min((s["start_s"] for s in ours if "start_s" in s), default=None)
    how = "bulk-loading the on-disk store" if on_disk else "loading the store in memory"
    rows = [verdict(f"x100 load: our server's first start, {how}", first, 6, below=True, unit=" s")]
    memory = max((s.get("pss_after_mb") or s["rss_after_mb"] for s in ours), default=None)
    rows.append(
        verdict(
            "x100 serving memory (PSS of the server's process tree, after queries)",
            memory,
            1024,
            below=True,
            unit=" MB",
        )
    )
    for server in ours:
        answered = {n: q["p50_ms"] for n, q in server["queries"].items() if "p50_ms" in q}
        over = sorted(n for n, value in answered.items() if value >= 300)
        failed = sorted(n for n, q in server["queries"].items() if "p50_ms" not in q)
        slowest = max(answered.values(), default=None)
        note = (
            f"over 300 ms: {', '.join(over) or 'none'}; not answered: {', '.join(failed) or 'none'}"
        )
        row = verdict(
            f"x100 every query p50 over HTTP, {server['name']} (slowest)",
            slowest,
            300,
            below=True,
            unit=" ms",
            note=note,
        )
        if failed:
            row[3] = "missed"
        rows.append(row)
    return rows


def scale_1000_rows(scale: Record, total: int) -> list[list[str]]:
    """The x1000 targets: restart-to-serving time and every query answered."""
    servers = http_by_name(scale)
    ours = [servers[name] for name in (OURS, OURS_COLD) if name in servers]
    restart = max((s["start_s"] for s in ours), default=None)
    rows = [
        verdict(
            "x1000 restart to serving (open the existing on-disk store)",
            restart,
            5,
            below=True,
            unit=" s",
        )
    ]
    for server in ours:
        answered = [n for n, q in server["queries"].items() if "p50_ms" in q]
        missing = sorted(set(server["queries"]) - set(answered))
        slowest = max((server["queries"][n]["p50_ms"] for n in answered), default=None)
        rows.append(
            [
                f"x1000 every query answered, {server['name']}",
                f"{len(answered)} of {total}",
                f"{total} of {total}",
                "met" if len(answered) == total else "missed",
                f"slowest p50 {fmt(slowest)} ms; not answered: {', '.join(missing) or 'none'}",
            ]
        )
    return rows


def virtuoso_row(scale: Record, target: float) -> list[str]:
    """Issue 15: our cache-off mix against Virtuoso's at ``scale``."""
    mine, theirs = mix_rps(scale, OURS_COLD), mix_rps(scale, "virtuoso")
    return verdict(
        f"x{scale['scale']} req/s, {OURS_COLD} ÷ virtuoso (issue 15)",
        mine / theirs if mine and theirs else None,
        target,
        below=False,
        unit="×",
        note=f"{fmt(mine)} vs {fmt(theirs)} req/s",
    )


def target_rows(results: Record) -> list[list[str]]:
    """Each target of the issue, the measured value and whether it is met."""
    build = results["build"]
    rows = []
    if build.get("ok"):
        walls = ", ".join(
            f"{fmt(r['seconds'])} s (CPU {fmt(r['cpu_s'])} s, load {r['load_average']})"
            for r in build["runs"]
        )
        rows.append(
            verdict(
                "whole build of the seed graph (fastest run)",
                build["seconds"],
                15,
                below=True,
                unit=" s",
                note=f"runs: {walls}",
            )
        )
    scales = {s["scale"]: s for s in results["scales"]}
    if 1 in scales:
        rows += [*seed_rows(scales[1]), virtuoso_row(scales[1], 1.5)]
    if 100 in scales:
        rows += scale_100_rows(scales[100])
    if 1000 in scales:
        rows += scale_1000_rows(scales[1000], results["options"]["queries"])
        rows.append(virtuoso_row(scales[1000], 1.0))
    return rows


def load_table(results: Record) -> str:
    """Load time, reopen/restart time and memory of every backend and server at every scale."""
    rows = []
    for scale in results["scales"]:
        label = f"x{scale['scale']}"
        for backend in scale["inproc"]:
            if "error" in backend:
                rows.append([label, f"{backend['backend']} (in process)", "error", "", "", "", ""])
                continue
            rows.append(
                [
                    label,
                    f"{backend['backend']} (in process)",
                    fmt(backend["load_s"]),
                    fmt(backend.get("reopen_s")),
                    fmt(backend["peak_rss_mb"]),
                    fmt(backend["peak_rss_after_queries_mb"]),
                    "–",
                ]
            )
        rows += [server_load_row(label, server) for server in scale["http"]]
    header = [
        "scale",
        "backend",
        "load s",
        "reopen / restart-to-serving s",
        "RSS MB after load (in process: peak)",
        "RSS MB after queries",
        "PSS MB after queries (shared pages once)",
    ]
    return table(header, rows)


def server_load_row(label: str, server: Record) -> list[str]:
    """One server's load row: first load (bulk load for Virtuoso and our on-disk store),
    restart time, and the memory of its process tree."""
    name = f"{server['name']} (server{', ' + server['storage'] if 'storage' in server else ''})"
    if "error" in server:
        return [label, name, "error", "", "", "", ""]
    if server.get("storage") == "disk":
        first, restart = server.get("first_load_s"), server["start_s"]
    else:
        first, restart = server.get("load_s", server["start_s"]), None
    return [
        label,
        name,
        fmt(first),
        fmt(restart),
        fmt(server["rss_idle_mb"]),
        fmt(server.get("rss_after_mb")),
        fmt(server.get("pss_after_mb")),
    ]


def rdflib_not_run(results: Record) -> list[str]:
    """For each scale rdflib was skipped at, what it would have needed (from its measured
    load time and memory per triple at the largest scale it ran at)."""
    measured = [(s, inproc_by_name(s).get("rdflib")) for s in results["scales"]]
    runs = [(s, r) for s, r in measured if r is not None]
    if not runs:
        return []
    base, record = runs[-1]
    lines = []
    for scale in results["scales"]:
        if scale["scale"] <= base["scale"] or "rdflib" in inproc_by_name(scale):
            continue
        growth = scale["triples"] / base["triples"]
        lines.append(
            f"- x{scale['scale']}: rdflib and rdflib-endpoint not run: would need about "
            f"{fmt(record['peak_rss_mb'] * growth / 1024)} GB per process and "
            f"{fmt(record['load_s'] * growth / 60)} min to load "
            f"(x{base['scale']} figures × {fmt(growth)})."
        )
    return lines


def mix_table(results: Record) -> str:
    """Requests/s of the query mix per server and scale, with our ratio to each."""
    rows = []
    for scale in results["scales"]:
        ours = mix_rps(scale, OURS)
        for name, server in http_by_name(scale).items():
            mix = server.get("mix", {})
            ratio = ours / mix["rps"] if ours and mix.get("rps") else None
            rows.append(
                [
                    f"x{scale['scale']}",
                    name,
                    fmt(mix.get("rps")),
                    str(mix.get("errors", "–")) if "error" not in mix else mix["error"][:80],
                    fmt(mix.get("p50_ms")),
                    fmt(mix.get("p99_ms")),
                    fmt(ratio),
                ]
            )
    header = ["scale", "server", "req/s (mix)", "errors", "p50 ms", "p99 ms", f"{OURS} ÷ this"]
    return table(header, rows)


def servers_that_ended(results: Record) -> list[str]:
    """A line per server that ended while it was measured (its later figures are missing)."""
    return [
        f"\nx{scale['scale']}, {name}: {server['ended']}; queries it no longer answered are "
        "marked as errors"
        for scale in results["scales"]
        for name, server in http_by_name(scale).items()
        if "ended" in server
    ]


def growth_table(results: Record) -> str:
    """p50 of every query at the smallest and the largest scale, and their ratio: in process
    (oxigraph in memory) and over HTTP (our server, cache off: the cost of running it)."""
    first, last = results["scales"][0], results["scales"][-1]
    engines = (inproc_by_name(first).get(ENGINE), inproc_by_name(last).get(ENGINE))
    servers = (http_by_name(first).get(OURS_COLD), http_by_name(last).get(OURS_COLD))
    names = list((engines[0] or servers[0] or {"queries": {}})["queries"])
    rows, engine_ratios = [], []
    for name in names:
        cells = [name]
        for low, high in (engines, servers):
            a, b = p50(low, name), p50(high, name)
            ratio = b / a if a and b is not None else None
            cells += [fmt(a), fmt(b), fmt(ratio)]
            if low is engines[0] and ratio is not None:
                engine_ratios.append(ratio)
        rows.append(cells)
    x, y = f"x{first['scale']}", f"x{last['scale']}"
    header = [
        "query",
        f"{ENGINE} {x} ms",
        f"{y} ms",
        f"{y} ÷ {x}",
        f"HTTP {OURS_COLD} {x} ms",
        f"{y} ms",
        f"{y} ÷ {x}",
    ]
    summary = (
        f"Triples grew {fmt(last['triples'] / first['triples'])}×; in process the p50 grew "
        f"{fmt(geomean(engine_ratios))}× (geo-mean over queries), "
        f"{fmt(min(engine_ratios, default=None))}× to {fmt(max(engine_ratios, default=None))}×."
    )
    return summary + "\n\n" + table(header, rows)


def latency_table(scale: Record) -> str:
    """p50 / p99 ms of every query, in process and over HTTP, at one scale."""
    inproc = list(inproc_by_name(scale).values())
    servers = list(http_by_name(scale).values())
    names = list(inproc[0]["queries"]) if inproc else list(servers[0]["queries"]) if servers else []
    header = [
        "query",
        "rows",
        *[b["backend"] for b in inproc],
        *[f"HTTP {s['name']}" for s in servers],
    ]
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


def machine_line(results: Record) -> str:
    """Where and with what the figures were measured."""
    env = results["environment"]
    return (
        f"Measured {env['time']} on {env['platform']}, {env['cpus']} CPUs, "
        f"{env['memory_gb']} GB RAM, "
        f"Python {env['python']}, pyoxigraph {env['pyoxigraph']}, rdflib {env['rdflib']}, "
        f"Virtuoso {env.get('virtuoso') or 'not installed'}; "
        f"load average at start {env['load_average']}."
    )


def run_line(results: Record) -> str:
    """How the run was made: queries, runs per query, duration, load averages per scale."""
    options = results["options"]
    scales = "; ".join(
        f"x{s['scale']}: {s['triples']:,} triples, ≤{s['runs']} timed runs per query, "
        f"load average {s['load_average']} → {s.get('load_average_after', '–')}"
        for s in results["scales"]
    )
    return (
        f"{options['queries']} competency queries (`queries/*.ttl`), one warm-up then up to the "
        f"runs below within about {fmt(options['budget'])} s per query and backend; "
        f"{options['clients']} concurrent clients for {options['mix_seconds']} s in the mix. "
        f"{scales}. Duration {fmt(results.get('duration_s', 0) / 60)} min. A query may run "
        f"{fmt(options['timeout'])} s in process and {fmt(options['timeout'] + 10)} s over HTTP "
        "(our server stops it at its own 20 s limit); from x100 on, "
        "in-process pyoxigraph queries are first tried in a forked child killed at that limit. "
        f"Our server runs with every guard and limit of the hardening issue at its default, "
        f"except that the per-client budgets are {options['clients']}× the default because the "
        f"{options['clients']} bench clients share one address; {storage_phrase(options)} "
        "Server memory is the sum of the RSS of the server's process tree (web process and query "
        "workers) and its PSS (pages shared by several processes counted once). "
        f"{serving_phrase(options)}"
    )


def storage_phrase(options: Record) -> str:
    """Where our server keeps the graph in this run."""
    disk_from = options.get("disk_from_scale", 100)
    if disk_from:
        return f"from x{disk_from} on it serves the on-disk store (STORE_PATH)."
    return (
        "it serves the graph from memory where the store fits in half the available memory, "
        "else from the on-disk store (STORE_PATH); the load table says which."
    )


def serving_phrase(options: Record) -> str:
    """Web processes and CPU pinning of the servers, when the run set them."""
    web = options.get("web_processes")
    cpus = options.get("server_cpus")
    parts = [f"RANKL_KG_WEB_PROCESSES={web}." if web else "One web process (the default)."]
    if cpus:
        parts.append(f"Every server pinned to CPU(s) {cpus} (taskset); the load generator not.")
    if options.get("inproc") is False:
        parts.append("In-process timings not run (--no-inproc).")
    return " ".join(parts)


def markdown(results: Record) -> str:
    """The whole RESULTS.md."""
    parts = [
        "# RANKL-KG benchmark results",
        "",
        machine_line(results),
        "",
        run_line(results),
        "",
        "## Targets (issue 6; issue 15 rows marked)",
        "",
        table(["target", "measured", "target", "verdict", "margin / detail"], target_rows(results)),
        "",
        (
            "The soak (mixed load while query workers are killed) is in `bench/results/soak.md`; "
            "the start-up path of our server, profiled, in `bench/results/startup.md`; issue "
            "15's before/after runs in `bench/results/issue15-scale.md`."
        ),
        "",
        "## Load time and memory",
        "",
        load_table(results),
        "",
        *rdflib_not_run(results),
        "",
        (
            f"## Requests/s, {results['options']['clients']} concurrent clients, "
            f"{results['options']['mix_seconds']} s, mix of all competency queries"
        ),
        "",
        mix_table(results),
        *servers_that_ended(results),
    ]
    if len(results["scales"]) > 1:
        parts += ["", "## Growth of cost per query", "", growth_table(results)]
    for scale in results["scales"]:
        parts += [
            "",
            (f"## Query latency at x{scale['scale']} ({scale['triples']:,} triples): p50 / p99 ms"),
            "",
            latency_table(scale),
        ]
    return "\n".join(parts) + "\n"


@click.command()
@click.argument("out", type=click.Path(file_okay=False, exists=True, path_type=Path))
def main(out: Path) -> None:
    """Write OUT/RESULTS.md again from OUT/results.json (after a change to this report)."""
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    (out / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    click.echo(f"wrote {out / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
