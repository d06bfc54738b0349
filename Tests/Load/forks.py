#!/usr/bin/env python3
"""Load test for `lesson serve`'s forks, run by hand (never in CI).

Starts `lesson serve` on a lesson, has the presenter run it to a cell (from the cell cache, so
the flagship stands "right after training" in seconds), then N simulated students click
"Try it from here" at once and run prediction cells while the presenter keeps sending commands.

Measures, and prints as one JSON object and a short table:
  - fork ready time: from POST /api/fork to the fork's first state event (median, p90, max);
  - memory per idle fork: each fork worker's proportional (PSS) and private memory, from
    /proc/PID/smaps_rollup, once all forks are ready and idle;
  - presenter latency: how long the presenter's commands (slide changes) and state reads take
    while the students run cells (median, p99, max);
  - peak memory of the whole server (server + host + workers, summed PSS, sampled every 0.2 s),
    the summed RSS for comparison (RSS counts pages shared between forks once per fork), and
    how far the machine's MemAvailable fell from before the server started (an independent check).

Example (flagship, after one full run filled the cache):
  python3 Tests/Load/forks.py --lesson Notebooks/ptb-lstm.md --to-cell 51 --students 30 \
      --student-cell 54 --binary .build/release/lesson
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time


def request(port, method, path, body=None, headers=None, timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read().decode()
    connection.close()
    return response.status, data


class Events:
    """A Server-Sent Events stream, read line by line."""

    def __init__(self, port, path):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.connection.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise RuntimeError(f"{path}: HTTP {self.response.status}")

    def next(self):
        while True:
            line = self.response.readline()
            if not line:
                raise RuntimeError("the event stream ended")
            line = line.decode().rstrip("\n")
            if line.startswith("data: "):
                return json.loads(line[6:])

    def until(self, match):
        while True:
            event = self.next()
            if match(event):
                return event

    def close(self):
        self.connection.close()


def descendants(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in parents.get(pid, []):
            found.append(child)
            todo.append(child)
    return found


def memory(pid):
    """(rss, pss, private) bytes of one process."""
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                match = re.match(r"(\w+):\s+(\d+) kB", line)
                if match:
                    values[match.group(1)] = int(match.group(2)) * 1024
    except OSError:
        return 0, 0, 0
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Rss", 0), values.get("Pss", 0), private


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        return int(stat[stat.rfind(")") + 2:].split()[1])
    except OSError:
        return -1


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", default="Notebooks/ptb-lstm.md")
    parser.add_argument("--binary", default=".build/release/lesson")
    parser.add_argument("--to-cell", type=int, default=51, help="the presenter stands before this cell (0-based)")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--student-cell", type=int, default=54, help="each student runs to this cell (0-based)")
    parser.add_argument("--presenter-commands", type=int, default=300)
    args = parser.parse_args()

    server = subprocess.Popen([args.binary, "serve", args.lesson, "--port", "0", "--max-forks", str(args.students + 5)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = token = None
    for line in server.stdout:
        match = re.search(r"http://[^:]+:(\d+)/\?token=([0-9a-f]+)", line)
        if match:
            port, token = int(match.group(1)), match.group(2)
        if "Ctrl-C stops the server." in line:
            break
    if port is None:
        print(server.stderr.read(), file=sys.stderr)
        raise SystemExit("the server did not start")
    presenter = {"X-Lesson-Token": token, "Content-Type": "application/json"}

    def available():
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
        return 0

    # The machine's own view, independent of the per-process sums: how far MemAvailable fell.
    baseline = available()
    peak = {"pss": 0, "rss": 0, "used": 0}
    sampling = threading.Event()

    def sample():
        while not sampling.is_set():
            pids = [server.pid] + descendants(server.pid)
            measures = [memory(pid) for pid in pids]
            peak["pss"] = max(peak["pss"], sum(m[1] for m in measures))
            peak["rss"] = max(peak["rss"], sum(m[0] for m in measures))
            peak["used"] = max(peak["used"], baseline - available())
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        classroom = Events(port, "/api/events")
        started = time.time()
        status, text = request(port, "POST", "/api/run-to", json.dumps({"cell": args.to_cell - 1}), presenter)
        assert status == 202, text
        classroom.until(lambda e: e.get("type") == "position" and e.get("running") is None
                        and e.get("position") == args.to_cell)
        print(f"presenter at cell {args.to_cell} after {time.time() - started:.1f} s", file=sys.stderr)

        # Everyone clicks "Try it from here" at once.
        forks, ready, errors = [None] * args.students, [None] * args.students, []
        go = threading.Barrier(args.students)

        def fork(i):
            go.wait()
            begun = time.time()
            status, text = request(port, "POST", "/api/fork", "{}", {"Content-Type": "application/json"})
            if status != 200:
                errors.append(text)
                return
            info = json.loads(text)
            stream = Events(port, "/api/fork/events?key=" + info["secret"])
            stream.until(lambda e: e.get("type") == "state")
            ready[i] = time.time() - begun
            forks[i] = (info["secret"], stream)

        threads = [threading.Thread(target=fork, args=(i,)) for i in range(args.students)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise SystemExit(f"{len(errors)} forks failed: {errors[:3]}")

        # Idle memory of each fork worker (children of a host, itself a child of the server).
        workers = [pid for pid in descendants(server.pid) if parent_of(pid) != server.pid]
        idle = [memory(pid) for pid in workers]
        host_pids = [pid for pid in descendants(server.pid) if parent_of(pid) == server.pid]
        server_memory = memory(server.pid)
        host_memory = [memory(pid) for pid in host_pids]

        # Students run prediction cells while the presenter sends commands.
        latencies = []
        finished = []

        def student(i):
            secret, stream = forks[i]
            headers = {"X-Lesson-Fork": secret, "Content-Type": "application/json"}
            begun = time.time()
            status, text = request(port, "POST", "/api/fork/run-to", json.dumps({"cell": args.student_cell}), headers)
            if status != 202:
                errors.append(text)
                return
            stream.until(lambda e: e.get("type") == "position" and e.get("running") is None
                         and e.get("position") == args.student_cell + 1)
            finished.append(time.time() - begun)

        students = [threading.Thread(target=student, args=(i,)) for i in range(args.students)]
        for thread in students:
            thread.start()
        for k in range(args.presenter_commands):
            begun = time.time()
            if k % 2 == 0:
                status, _ = request(port, "POST", "/api/slide", json.dumps({"slide": k % 3}), presenter)
            else:
                status, _ = request(port, "GET", "/api/whoami", headers=presenter)
            latencies.append(time.time() - begun)
            assert status in (200, 202), status
            time.sleep(0.02)
        for thread in students:
            thread.join()
        if errors:
            raise SystemExit(f"{len(errors)} student runs failed: {errors[:3]}")
    finally:
        sampling.set()
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    mb = 1 << 20
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    result = {
        "cpu": cpu, "cores": os.cpu_count(), "students": args.students,
        "fork_ready_s": {"median": statistics.median(ready), "p90": percentile(ready, 0.9), "max": max(ready)},
        "idle_fork_mb": {
            "pss_median": statistics.median(m[1] for m in idle) / mb, "pss_max": max(m[1] for m in idle) / mb,
            "private_median": statistics.median(m[2] for m in idle) / mb,
            "rss_median": statistics.median(m[0] for m in idle) / mb},
        "server_mb": {"rss": server_memory[0] / mb, "pss": server_memory[1] / mb},
        "hosts_mb": [{"rss": m[0] / mb, "pss": m[1] / mb} for m in host_memory],
        "presenter_latency_ms": {"median": statistics.median(latencies) * 1000,
                                 "p99": percentile(latencies, 0.99) * 1000, "max": max(latencies) * 1000},
        "student_run_s": {"median": statistics.median(finished), "max": max(finished)},
        "peak_total_mb": {"pss": peak["pss"] / mb, "rss": peak["rss"] / mb,
                          "memavailable_drop": peak["used"] / mb},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
