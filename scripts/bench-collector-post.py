#!/usr/bin/env python3
"""Posts generated summaries to a collector (used to load the bulletin benchmark's month).

  bench-collector-post.py --url http://127.0.0.1:18080 --tokens TOKENS.tsv --concurrency 8 BODIES.tsv...

BODIES lines are "agent<TAB>summary JSON" (scripts/bench-collector-gen.py); TOKENS lines are
"agent<TAB>token". Every summary is sent once over keep-alive connections (one per worker
thread). Prints a JSON line with the counts per status and the rate; exits 1 unless every
summary was answered 201 (stored) or 200 (unchanged), printing the first refusal.
"""
import argparse
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--tokens", required=True)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("bodies", nargs="+")
    args = p.parse_args()
    tokens = dict(line.rstrip("\n").split("\t", 1) for line in open(args.tokens, encoding="utf-8"))
    work = queue.Queue()
    for path in args.bodies:
        with open(path, encoding="utf-8") as f:
            for line in f:
                agent, body = line.rstrip("\n").split("\t", 1)
                work.put((agent, body.encode("utf-8")))
    total = work.qsize()
    url = urllib.parse.urlsplit(args.url)
    counts, first_error, lock = {}, [], threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        while True:
            try:
                agent, body = work.get_nowait()
            except queue.Empty:
                break
            conn.request("POST", "/api/v1/summaries", body=body, headers={
                "Authorization": f"Bearer {tokens[agent]}", "Content-Type": "application/json"})
            r = conn.getresponse()
            text = r.read()
            with lock:
                counts[r.status] = counts.get(r.status, 0) + 1
                if r.status not in (200, 201) and not first_error:
                    first_error.append(f"{r.status} {text[:400].decode('utf-8', 'replace')}")
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - start
    print(json.dumps({"sent": total, "status": {str(k): v for k, v in sorted(counts.items())},
                      "seconds": round(seconds, 3), "per_second": round(total / seconds, 1)}))
    if first_error:
        print("first refusal: " + first_error[0], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
