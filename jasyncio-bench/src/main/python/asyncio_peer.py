"""CPython asyncio and uvloop side of jasyncio's comparison harness (io.jasyncio.bench.compare).

Runs the same workloads as the Java side, on the event loop named by --loop:

  asyncio_peer.py --loop asyncio|uvloop micro <switch|spawn|queue|lock> WARMUP_S REP_S REPS
      warms up for WARMUP_S seconds with runs that start at PROBE_OPS operations and are resized
      after each to last about REP_S seconds, then prints "rep <ops> <nanoseconds> <cpu_nanoseconds>"
      per measured repetition, the last being the process's CPU time meanwhile (the protocol of
      io.jasyncio.bench.compare.MicroMain)
  asyncio_peer.py --loop asyncio|uvloop server <streams|protocol>
      echo server on 127.0.0.1, port chosen by the OS; prints "LISTENING <port>", then serves until
      its standard input closes

Each workload's shape (task counts, queue size, what a task does) is defined once in the Java
class io.jasyncio.bench.compare.Workload and must stay identical here.
"""
import argparse
import asyncio
import resource
import sys
import time

SWITCH_TASKS = 10
SPAWN_BATCH = 100_000
PROBE_OPS = 20_000
QUEUE_MAXSIZE = 100
LOCK_TASKS = 100
BACKLOG = 4096


async def task_switch(ops):
    async def spin(n):
        for _ in range(n):
            await asyncio.sleep(0)

    per_task = ops // SWITCH_TASKS
    tasks = [asyncio.create_task(spin(per_task)) for _ in range(SWITCH_TASKS)]
    for t in tasks:
        await t
    return per_task * SWITCH_TASKS


async def spawn_join(ops):
    async def noop():
        return None

    batches = max(1, ops // SPAWN_BATCH)
    for _ in range(batches):
        tasks = [asyncio.create_task(noop()) for _ in range(SPAWN_BATCH)]
        for t in tasks:
            await t
    return batches * SPAWN_BATCH


async def queue_transfer(ops):
    queue = asyncio.Queue(QUEUE_MAXSIZE)

    async def produce():
        for i in range(ops):
            await queue.put(i)

    async def consume():
        for _ in range(ops):
            await queue.get()

    producer = asyncio.create_task(produce())
    consumer = asyncio.create_task(consume())
    await producer
    await consumer
    return ops


async def lock_contention(ops):
    lock = asyncio.Lock()
    per_task = ops // LOCK_TASKS

    async def contend():
        for _ in range(per_task):
            async with lock:
                await asyncio.sleep(0)

    tasks = [asyncio.create_task(contend()) for _ in range(LOCK_TASKS)]
    for t in tasks:
        await t
    return per_task * LOCK_TASKS


MICRO = {"switch": task_switch, "spawn": spawn_join, "queue": queue_transfer, "lock": lock_contention}
GRANULARITY = {"switch": SWITCH_TASKS, "spawn": SPAWN_BATCH, "queue": 1, "lock": LOCK_TASKS}


def round_up(ops, granularity):
    return max(granularity, (ops + granularity - 1) // granularity * granularity)


def resize(ops, elapsed_ns, rep_seconds, granularity):
    """The operation count that would have taken rep_seconds; at most tenfold growth a step."""
    wanted = ops * rep_seconds * 1e9 / max(elapsed_ns, 1)
    return round_up(int(min(wanted, ops * 10)), granularity)


async def micro(name, warmup_seconds, rep_seconds, reps):
    body = MICRO[name]
    granularity = GRANULARITY[name]
    ops = round_up(PROBE_OPS, granularity)
    warmup_end = time.perf_counter_ns() + int(warmup_seconds * 1e9)
    first = True
    while first or time.perf_counter_ns() < warmup_end:
        start = time.perf_counter_ns()
        await body(ops)
        ops = resize(ops, time.perf_counter_ns() - start, rep_seconds, granularity)
        first = False
    for _ in range(reps):
        cpu = time.process_time_ns()
        start = time.perf_counter_ns()
        done = await body(ops)
        elapsed = time.perf_counter_ns() - start
        print(f"rep {done} {elapsed} {time.process_time_ns() - cpu}", flush=True)


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def echo_stream(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


def raise_open_files_limit():
    """Workload 7 holds 10,000 connections: lift the soft limit to the hard one, as the JVM does."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def serve(api):
    raise_open_files_limit()
    loop = asyncio.get_running_loop()
    if api == "streams":
        server = await asyncio.start_server(echo_stream, "127.0.0.1", 0, backlog=BACKLOG)
    else:
        server = await loop.create_server(EchoProtocol, "127.0.0.1", 0, backlog=BACKLOG)
    port = server.sockets[0].getsockname()[1]
    print(f"LISTENING {port}", flush=True)
    stdin_closed = loop.create_future()
    loop.add_reader(sys.stdin.fileno(), lambda: stdin_closed.done() or stdin_closed.set_result(None))
    await stdin_closed
    server.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("micro")
    m.add_argument("workload", choices=sorted(MICRO))
    m.add_argument("warmup_seconds", type=float)
    m.add_argument("rep_seconds", type=float)
    m.add_argument("reps", type=int)
    s = sub.add_parser("server")
    s.add_argument("api", choices=["streams", "protocol"])
    args = parser.parse_args()

    if args.loop == "uvloop":
        import uvloop
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    if args.command == "micro":
        asyncio.run(micro(args.workload, args.warmup_seconds, args.rep_seconds, args.reps))
    else:
        asyncio.run(serve(args.api))


if __name__ == "__main__":
    main()
