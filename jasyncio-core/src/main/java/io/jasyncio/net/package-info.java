/**
 * Networking: asyncio's transports, protocols, servers and streams over TCP and Unix-domain sockets.
 *
 * <p>Two layers, as in asyncio. The low layer is callback based: a {@link io.jasyncio.net.Protocol}
 * (or {@link io.jasyncio.net.BufferedProtocol}) receives events from a
 * {@link io.jasyncio.net.Transport}; connections and servers are made by
 * {@link io.jasyncio.EventLoop#createConnection EventLoop.createConnection} and
 * {@link io.jasyncio.EventLoop#createServer EventLoop.createServer}. The high layer is the streams
 * API: {@link io.jasyncio.Asyncio#openConnection Asyncio.openConnection} and
 * {@link io.jasyncio.Asyncio#startServer Asyncio.startServer} give a {@link io.jasyncio.net.StreamReader}
 * and a {@link io.jasyncio.net.StreamWriter} whose methods suspend the calling task.
 *
 * <p>Any of these runs over TLS when given a {@link io.jasyncio.net.TlsOptions}, and
 * {@link io.jasyncio.EventLoop#startTls EventLoop.startTls} or
 * {@link io.jasyncio.net.StreamWriter#startTls StreamWriter.startTls} upgrade a live connection;
 * the transport is then a {@link io.jasyncio.net.TlsTransport}, which adds read flow control.
 *
 * <p>Everything here is confined to the loop's thread, like the rest of jasyncio: call transports,
 * streams and servers from tasks and callbacks of their loop only.
 */
package io.jasyncio.net;
