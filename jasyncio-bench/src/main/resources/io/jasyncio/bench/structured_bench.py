"""CPython's side of StructuredBench: the same four workloads on asyncio, in ns per task or per timeout.

Usage: python3 structured_bench.py [runs]   (default 10 measured runs after 3 warm-up runs)
"""
import asyncio
import statistics
import sys
import time

TASKS = 10_000
TIMEOUTS = 1_000


async def yield_once(i):
    await asyncio.sleep(0)
    return i


async def gather():
    tasks = [asyncio.create_task(yield_once(i)) for i in range(TASKS)]
    return len(await asyncio.gather(*tasks))


async def task_group():
    async with asyncio.TaskGroup() as tg:
        for i in range(TASKS):
            tg.create_task(yield_once(i))
    return TASKS


async def wait_for():
    tasks = [asyncio.create_task(asyncio.wait_for(yield_once(i), 5.0)) for i in range(TASKS)]
    return len(await asyncio.gather(*tasks))


async def timeout_arm_disarm():
    total = 0
    for i in range(TIMEOUTS):
        async with asyncio.timeout(5.0):
            total += i
    return total


WORKLOADS = [("gather", gather, TASKS), ("taskGroup", task_group, TASKS),
             ("waitFor", wait_for, TASKS), ("timeoutArmDisarm", timeout_arm_disarm, TIMEOUTS)]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"CPython {sys.version.split()[0]}, {runs} runs; ns per task (per timeout for timeoutArmDisarm)")
    loop = asyncio.new_event_loop()
    for name, workload, ops in WORKLOADS:
        repeat = 100 if workload is timeout_arm_disarm else 1
        samples = []
        for run in range(3 + runs):
            start = time.perf_counter_ns()
            for _ in range(repeat):
                loop.run_until_complete(workload())
            if run >= 3:
                samples.append((time.perf_counter_ns() - start) / (ops * repeat))
        print(f"{name:18} median {statistics.median(samples):10.0f}  [{min(samples):.0f}-{max(samples):.0f}]")
    loop.close()


if __name__ == "__main__":
    main()
