"""CPython asyncio's side of io.jasyncio.bench.SubprocessThroughput: the same round trips
through cat (64 KiB writes, each followed by drain(); read(65536); every byte checked).

    python3 jasyncio-bench/src/main/resources/io/jasyncio/bench/subprocess_throughput.py [mib [rounds]]
"""
import asyncio
import sys
import time

CHUNK = 64 * 1024


async def round_trip(chunk, total):
    cat = await asyncio.create_subprocess_exec(
        'cat', stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    t0 = time.perf_counter()

    async def writer():
        for _ in range(total // len(chunk)):
            cat.stdin.write(chunk)
            await cat.stdin.drain()
        cat.stdin.close()

    w = asyncio.create_task(writer())
    received = 0
    while True:
        got = await cat.stdout.read(CHUNK)
        if not got:
            break
        at = received % CHUNK
        k = min(len(got), CHUNK - at)
        if got[:k] != chunk[at:at + k] or got[k:] != chunk[:len(got) - k]:
            raise AssertionError(f'the bytes from {received} differ')
        received += len(got)
    await w
    if await cat.wait() != 0 or received != total:
        raise AssertionError(f'cat returned {cat.returncode} after {received} of {total} bytes')
    return received / 2**20 / (time.perf_counter() - t0)


async def main():
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    chunk = bytes((i * 31 + 7) & 0xff for i in range(CHUNK))
    best = 0
    for r in range(rounds):
        rate = await round_trip(chunk, mib << 20)
        print(f'round {r + 1}: {rate:.0f} MiB/s')
        best = max(best, rate)
    print(f'best: {best:.0f} MiB/s through cat (CPython {sys.version.split()[0]})')


asyncio.run(main())
