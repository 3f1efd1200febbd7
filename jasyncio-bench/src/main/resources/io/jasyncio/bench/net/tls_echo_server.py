"""CPython asyncio's TLS echo server, for TlsEchoBench: the same work as TlsEchoServer.

    python3 tls_echo_server.py protocol|streams CERT_PEM KEY_PEM

Prints "listening PORT" and serves on 127.0.0.1 until standard input ends.
"""
import asyncio
import ssl
import sys


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def echo_streams(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass  # the load generator ends a measurement by dropping its connections
    writer.close()


async def main(mode, cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    loop = asyncio.get_running_loop()
    if mode == "protocol":
        server = await loop.create_server(EchoProtocol, "127.0.0.1", 0, ssl=context)
    else:
        server = await asyncio.start_server(echo_streams, "127.0.0.1", 0, ssl=context)
    print("listening", server.sockets[0].getsockname()[1], flush=True)
    stdin_done = loop.run_in_executor(None, sys.stdin.read)
    async with server:
        await stdin_done


asyncio.run(main(*sys.argv[1:4]))
