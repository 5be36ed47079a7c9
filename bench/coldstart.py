#!/usr/bin/env python3
"""Cold start: process start to the first 200 from /api/health, repeated; prints the median and range,
and when the server started listening (the Functions host's readiness check needs only that).

The process runs in its executable's folder, as the Functions host runs a custom handler (its
working directory is the package root). Run elsewhere, the configuration file watcher would walk
whatever tree the caller stands in (in the repository, node_modules too) and both apps would pay
for it.

Usage: coldstart.py NAME PORT RUNS EXECUTABLE [ARGS...]   (environment passes through)
"""
import os, socket, statistics, subprocess, sys, time, urllib.request

name, port, runs, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
url = f"http://127.0.0.1:{port}/api/health"


def wait(start, process, ready):
    while not ready():
        if process.poll() is not None:
            sys.exit(f"{name}: the process exited with {process.returncode}")
        if time.perf_counter() - start > 30:
            sys.exit(f"{name}: no answer within 30 s")
        time.sleep(0.002)
    return (time.perf_counter() - start) * 1000


def listening():
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def healthy():
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except Exception:
        return False


samples, listens = [], []
for _ in range(runs):
    env = dict(os.environ, ASPNETCORE_URLS=f"http://127.0.0.1:{port}")
    start = time.perf_counter()
    process = subprocess.Popen([os.path.abspath(command[0]), *command[1:]], env=env, cwd=os.path.dirname(os.path.abspath(command[0])),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        listens.append(wait(start, process, listening))
        samples.append(wait(start, process, healthy))
    finally:
        process.terminate()
        process.wait()
print(f"{name}: median {statistics.median(samples):.0f} ms (min {min(samples):.0f}, max {max(samples):.0f}, {runs} runs), "
      f"listening after {statistics.median(listens):.0f} ms")
