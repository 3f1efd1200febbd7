"""CPython asyncio side of jasyncio's SyncBench: the same workloads, the same output format.

Usage: python3 sync_bench.py WORKLOAD SIZE RUNS
Prints one line per measured run: the operations per second.
"""
import asyncio
import sys
import time


async def lock_uncontended(n):
    lock = asyncio.Lock()
    for _ in range(n):
        async with lock:
            pass
    return n


async def _contend(primitive, tasks, n):
    async def worker():
        for _ in range(n):
            async with primitive:
                await asyncio.sleep(0)
    await asyncio.gather(*(worker() for _ in range(tasks)))
    return tasks * n


async def lock_contended(n):
    return await _contend(asyncio.Lock(), 100, n)


async def semaphore_100(n):
    return await _contend(asyncio.Semaphore(10), 100, n)


async def _pipe(maxsize, n):
    queue = asyncio.Queue(maxsize)

    async def producer():
        for i in range(n):
            await queue.put(i)

    async def consumer():
        for _ in range(n):
            await queue.get()

    await asyncio.gather(producer(), consumer())
    return n


async def queue_bounded(n):
    return await _pipe(1000, n)


async def queue_unbounded(n):
    return await _pipe(0, n)


async def measure(workload, size):
    start = time.perf_counter()
    ops = await workload(size)
    return ops / (time.perf_counter() - start)


def main():
    workload = globals()[sys.argv[1]]
    size = int(sys.argv[2])
    runs = int(sys.argv[3])
    asyncio.run(measure(workload, size))  # warm-up
    for _ in range(runs):
        print(asyncio.run(measure(workload, size)), flush=True)


if __name__ == "__main__":
    main()
