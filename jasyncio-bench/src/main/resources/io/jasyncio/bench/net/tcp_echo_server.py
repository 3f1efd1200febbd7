"""CPython asyncio's TCP echo server, for TcpEchoBench: the same work as TcpEchoServer.

    python3 tcp_echo_server.py protocol|streams

Prints "listening PORT" and serves on 127.0.0.1 until standard input ends.
"""
import asyncio
import sys


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def echo_streams(reader, writer):
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def main(mode):
    loop = asyncio.get_running_loop()
    if mode == "protocol":
        server = await loop.create_server(EchoProtocol, "127.0.0.1", 0)
    else:
        server = await asyncio.start_server(echo_streams, "127.0.0.1", 0)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    stdin_done = loop.run_in_executor(None, sys.stdin.read)
    async with server:
        await stdin_done


asyncio.run(main(sys.argv[1]))
