/**
 * Child processes: asyncio's {@code asyncio.subprocess} and the loop's subprocess transports.
 *
 * <p>Two layers, as in asyncio. The high layer is {@link io.jasyncio.Asyncio#createSubprocessExec
 * Asyncio.createSubprocessExec} and {@link io.jasyncio.Asyncio#createSubprocessShell
 * Asyncio.createSubprocessShell}, which give a {@link io.jasyncio.subprocess.Subprocess} with a
 * {@link io.jasyncio.net.StreamWriter} to its stdin and {@link io.jasyncio.net.StreamReader}s of
 * its stdout and stderr. The low layer is {@link io.jasyncio.EventLoop#subprocessExec
 * EventLoop.subprocessExec} and {@link io.jasyncio.EventLoop#subprocessShell
 * EventLoop.subprocessShell}: a {@link io.jasyncio.subprocess.SubprocessTransport} driving a
 * {@link io.jasyncio.subprocess.SubprocessProtocol}. {@link io.jasyncio.subprocess.SubprocessOptions}
 * and {@link io.jasyncio.subprocess.Stdio} are the keyword arguments and constants of both.
 *
 * <p>Subprocesses need a POSIX system ({@code /bin/sh}, signals). Everything here is confined to
 * the loop's thread.
 */
package io.jasyncio.subprocess;
