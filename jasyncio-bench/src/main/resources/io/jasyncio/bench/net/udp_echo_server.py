"""CPython asyncio side of jasyncio's UdpEchoBench: a one-loop UDP echo server.

Usage: python3 udp_echo_server.py
Prints the port it listens on (127.0.0.1), echoes every datagram to its sender until its
standard input is closed.
"""
import asyncio
import sys


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


async def main():
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=('127.0.0.1', 0))
    print(transport.get_extra_info('sockname')[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    transport.close()


asyncio.run(main())
