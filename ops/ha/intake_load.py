#!/usr/bin/env python3
"""Intake load for the failover and balancer tests: N connections POST contacts, each with its own
Idempotency-Key and a summary that names it; a 503 or a dropped connection is retried with the same key
and body (as the console does). At --kill-after seconds it runs --kill (a shell command), then keeps going
until --after seconds past the first 201 of a request sent after the kill.

Prints one JSON object: counts by outcome, seconds from the kill to that first 201, and every
acknowledged (201) key with its contact id, for the caller to check against the database."""
import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
import uuid

p = argparse.ArgumentParser()
p.add_argument("--ports", required=True, help="comma-separated ports of Huiyin (or of the balancer)")
p.add_argument("--token", required=True)
p.add_argument("--connections", type=int, default=16)
p.add_argument("--kill-after", type=float, default=3.0)
p.add_argument("--kill", required=True)
p.add_argument("--after", type=float, default=5.0)
p.add_argument("--max", type=float, default=90.0, help="give up this many seconds after the kill")
p.add_argument("--marker", default="failover")
p.add_argument("--retryable", default="503", help="statuses the client retries with the same key")
args = p.parse_args()
ports = [int(x) for x in args.ports.split(",")]
retryable = {int(x) for x in args.retryable.split(",")}

lock = threading.Lock()
counts = {"201": 0, "503": 0, "replayed": 0, "retries": 0, "dropped": 0, "other": 0}
others = []
acknowledged = {}  # key -> contact_id
kill_at = None
first_after_kill = None
stop = threading.Event()


def body(key):
    return json.dumps({
        "channel": "call", "category": "marriage_family",
        "summary": f"{args.marker} {key}", "call": {"sub_line": "legal"},
        "petitioner": {"name": "测试", "phone": "13800138000"},
    }, ensure_ascii=False).encode()


def worker(index):
    global first_after_kill
    port = ports[index % len(ports)]
    conn = None
    while not stop.is_set():
        key = str(uuid.uuid4())
        payload = body(key)
        while not stop.is_set():  # until this contact is acknowledged
            sent = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                conn.request("POST", "/api/v1/contacts", payload, {
                    "Content-Type": "application/json", "Authorization": "Bearer " + args.token,
                    "Idempotency-Key": key})
                r = conn.getresponse()
                data = r.read()
                status = r.status
                if r.getheader("Connection", "").lower() == "close":
                    conn.close(); conn = None
            except (OSError, http.client.HTTPException):
                # A dropped connection: the answer is unknown, so retry the same key (it lands once).
                if conn is not None:
                    conn.close()
                conn = None
                with lock:
                    counts["dropped"] += 1
                    counts["retries"] += 1
                time.sleep(0.1)
                continue
            now = time.monotonic()
            if status == 201:
                answer = json.loads(data)
                with lock:
                    counts["201"] += 1
                    if r.getheader("Idempotent-Replayed") == "true":
                        counts["replayed"] += 1
                    acknowledged[key] = answer["contact_id"]
                    if kill_at is not None and sent > kill_at and first_after_kill is None:
                        first_after_kill = now
                break
            with lock:
                if status in retryable:
                    counts[str(status)] = counts.get(str(status), 0) + 1
                else:
                    counts["other"] += 1
                    others.append((status, data[:200].decode("utf-8", "replace")))
                counts["retries"] += 1
            time.sleep(0.1)
    if conn is not None:
        conn.close()


threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.connections)]
for t in threads:
    t.start()
time.sleep(args.kill_after)
with lock:
    before_kill = counts["201"]
killed = subprocess.run(args.kill, shell=True, capture_output=True, text=True)
kill_at = time.monotonic()  # once the kill command has returned: its processes are gone
deadline = kill_at + args.max
while time.monotonic() < deadline:
    with lock:
        done = first_after_kill is not None and time.monotonic() > first_after_kill + args.after
    if done:
        break
    time.sleep(0.1)
stop.set()
for t in threads:
    t.join(timeout=30)

print(json.dumps({
    "kill_output": killed.stdout.strip(), "kill_status": killed.returncode,
    "acknowledged_before_kill": before_kill,
    "seconds_to_first_201": None if first_after_kill is None else round(first_after_kill - kill_at, 2),
    "counts": counts, "others": others[:10], "acknowledged": acknowledged,
}))
