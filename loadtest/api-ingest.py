#!/usr/bin/env python3
"""How many jobs per second the api accepts (202 after Kafka acknowledged them).

usage: loadtest/api-ingest.py URL KEY [--tenant T] [--seconds S] [--threads N] [--batch B]

Start `bin/postroom demo --keep-running` and use the URL and key it prints (tenant "demo").
Each thread keeps one HTTP connection and posts jobs with fresh ids for S seconds, one per request
(--batch 1) or B per request as {"jobs": [...]}. Prints requests/s, jobs/s and latency percentiles.
A stopgap until the loadtest module's Gatling simulations exist.
"""
import argparse, http.client, json, threading, time, urllib.parse, uuid

def job(tenant, i):
    return {"id": "load-" + uuid.uuid4().hex, "tenant": tenant, "from": "Load <noreply@example.gov.in>",
            "to": ["citizen%d@example.org" % i], "subject": "Load test %d" % i, "text": "Hello\r\nfrom the load test.\r\n"}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url"); ap.add_argument("key")
    ap.add_argument("--tenant", default="demo"); ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=8); ap.add_argument("--batch", type=int, default=1)
    a = ap.parse_args()
    target = urllib.parse.urlparse(a.url)
    stop = time.time() + a.seconds
    lock = threading.Lock()
    stats = {"requests": 0, "jobs": 0, "errors": 0, "latencies": []}

    def worker():
        conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        i = 0
        while time.time() < stop:
            jobs = [job(a.tenant, i + n) for n in range(a.batch)]
            i += a.batch
            body = json.dumps(jobs[0] if a.batch == 1 else {"jobs": jobs})
            started = time.perf_counter()
            conn.request("POST", "/v1/jobs", body, {"Content-Type": "application/json", "Authorization": "Bearer " + a.key})
            response = conn.getresponse(); response.read()
            elapsed = time.perf_counter() - started
            with lock:
                stats["requests"] += 1
                stats["latencies"].append(elapsed)
                if response.status == 202:
                    stats["jobs"] += a.batch
                else:
                    stats["errors"] += 1

    threads = [threading.Thread(target=worker) for _ in range(a.threads)]
    began = time.time()
    for t in threads: t.start()
    for t in threads: t.join()
    took = time.time() - began
    lat = sorted(stats["latencies"])
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] * 1000 if lat else float("nan")
    print("api ingest: %d threads, %d job(s) per request, %.1f s: %.0f requests/s, %.0f jobs/s accepted, "
          "%d errors; latency p50 %.1f ms, p99 %.1f ms" % (a.threads, a.batch, took, stats["requests"] / took,
          stats["jobs"] / took, stats["errors"], pct(0.5), pct(0.99)))

if __name__ == "__main__":
    main()
