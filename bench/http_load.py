#!/usr/bin/env python3
# Copied verbatim from the shared bench anchors (bench-anchors/http_load.py, 2026-12-04) so
# that bench/ does not depend on ../shared; only these two comment lines were added.
"""HTTP load test of ANY SPARQL endpoint URL with wrk (GET, URL-encoded query).

For each query file: one checked request first (status 200, result count, latency), then
wrk for --duration seconds at --connections concurrency, capped at --max-requests per wrk
thread (bounded in time and count). Reports requests/s, p50/p90/p99 latency, errors.
Only loopback targets are accepted (this bench never loads a remote host).

    python http_load.py http://127.0.0.1:5000/sparql -q queries/q1_label_lookup.rq queries/q3_rank_rankl_evidence.rq
    python http_load.py "http://127.0.0.1:18890/sparql?default-graph-uri=http%3A%2F%2Fexample.org%2Fkg" -q queries/q1*.rq
    python http_load.py http://127.0.0.1:8000/sparql -q queries/q1_label_lookup.rq --label myapp --out results/http_myapp.json
"""
import argparse
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

LUA = r'''
local path = "%(path)s"
local maxreq = %(maxreq)d
local n = 0
local vary = %(vary)s
local k = 0
wrk.method = "GET"
wrk.headers["Accept"] = "%(accept)s"
request = function()
  if vary then
    -- a distinct trailing SPARQL comment per request ("%%0A%%23" = newline, #): same query, new text,
    -- so no cache keyed on the query text can answer it
    k = k + 1
    return wrk.format("GET", path .. "%%0A%%23" .. tostring(math.random(1, 1000000000)) .. "-" .. k)
  end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  n = n + 1
  if n >= maxreq then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"err_connect":%%d,"err_read":%%d,' ..
    '"err_write":%%d,"err_status":%%d,"err_timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,' ..
    '"mean_us":%%.1f,"max_us":%%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
'''


def is_loopback(host):
    try:
        return all(ipaddress.ip_address(ai[4][0]).is_loopback
                   for ai in socket.getaddrinfo(host, None))
    except (socket.gaierror, ValueError):
        return False


def query_kind(text):
    import re
    body = "\n".join(l for l in text.splitlines() if not l.strip().startswith("#"))
    m = re.search(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", body.upper())
    return m.group(1) if m else "SELECT"


def build_path(url, qtext):
    u = urllib.parse.urlsplit(url)
    base = u.path or "/"
    params = u.query
    if qtext is not None:
        qp = "query=" + urllib.parse.quote(qtext, safe="")
        params = f"{params}&{qp}" if params else qp
    return u, (f"{base}?{params}" if params else base)


def check_once(u, path, accept, timeout):
    req = urllib.request.Request(f"{u.scheme}://{u.netloc}{path}", headers={"Accept": accept})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
            status = r.status
            ctype = r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return {"status": e.code, "error": e.read()[:300].decode("utf-8", "replace")}
    except Exception as e:  # noqa: BLE001
        return {"status": None, "error": f"{type(e).__name__}: {e}"}
    ms = (time.perf_counter() - t) * 1000
    out = {"status": status, "content_type": ctype, "bytes": len(body), "single_ms": round(ms, 2)}
    if "json" in ctype:
        try:
            out["results"] = len(json.loads(body)["results"]["bindings"])
        except Exception:  # noqa: BLE001
            pass
    return out


def run_wrk(u, path, accept, a, tmp):
    script = os.path.join(tmp, "bench.lua")
    with open(script, "w") as f:
        f.write(LUA % {"path": path, "maxreq": a.max_requests, "accept": accept,
                       "vary": "true" if a.vary else "false"})
    cmd = ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{a.duration}s",
           "--timeout", f"{a.timeout}s", "-s", script, f"{u.scheme}://{u.netloc}/"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=a.duration + a.timeout + 30)
    line = next((l for l in p.stdout.splitlines() if l.startswith("JSON ")), None)
    if line is None:
        return {"error": f"wrk rc={p.returncode}: {p.stdout[-500:]} {p.stderr[-500:]}"}
    r = json.loads(line[5:])
    secs = r["duration_us"] / 1e6
    errors = r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"]
    return {"requests": r["requests"], "seconds": round(secs, 2),
            # when the count cap stopped wrk early, requests/duration undercounts: report no rate
            "rps": round(r["requests"] / secs, 1) if secs and r["requests"] < a.max_requests * a.threads else None,
            "p50_ms": round(r["p50_us"] / 1000, 2), "p90_ms": round(r["p90_us"] / 1000, 2),
            "p99_ms": round(r["p99_us"] / 1000, 2), "mean_ms": round(r["mean_us"] / 1000, 2),
            "max_ms": round(r["max_us"] / 1000, 2), "socket_errors": errors, "non2xx": r["err_status"],
            "timeouts": r["err_timeout"], "bytes": r["bytes"],
            "capped": r["requests"] >= a.max_requests * a.threads}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="endpoint URL, e.g. http://127.0.0.1:5000/sparql (may carry extra params)")
    ap.add_argument("-q", "--queries", nargs="*", default=[], help="query files; none = plain GET of the URL")
    ap.add_argument("--label", default=None)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads (1 leaves the 2nd core to the server)")
    ap.add_argument("--max-requests", type=int, default=300000, help="cap per wrk thread")
    ap.add_argument("--timeout", type=int, default=10, help="wrk per-request timeout, s")
    ap.add_argument("--accept", default=None, help="Accept header (default by query form)")
    ap.add_argument("--vary", action="store_true",
                    help="append a distinct SPARQL comment to every request, so result caches keyed on the "
                         "query text never answer (measures the cold path)")
    ap.add_argument("--out", help="append JSON lines here")
    a = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found (apt-get install wrk)")
    host = urllib.parse.urlsplit(a.url).hostname
    if not host or not is_loopback(host):
        sys.exit(f"refusing non-loopback target {host!r}: run the endpoint on 127.0.0.1")
    items = [(f, open(f, encoding="utf-8").read()) for f in a.queries] or [(None, None)]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for f, qtext in items:
            kind = query_kind(qtext) if qtext else "SELECT"
            accept = a.accept or ("application/sparql-results+json" if kind in ("SELECT", "ASK")
                                  else "application/n-triples")
            u, path = build_path(a.url, qtext)
            rec = {"label": a.label or a.url, "query": os.path.splitext(os.path.basename(f))[0] if f else None,
                   "url": a.url, "connections": a.connections, "threads": a.threads, "duration_s": a.duration}
            rec["check"] = check_once(u, path, accept, a.timeout)
            if rec["check"].get("status") != 200:
                rec["error"] = f"check failed: {rec['check']}"
            else:
                rec.update(run_wrk(u, path, accept, a, tmp))
            results.append(rec)
            print(json.dumps(rec), flush=True)
    if a.out:
        os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
        with open(a.out, "a") as fh:
            for r in results:
                fh.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
