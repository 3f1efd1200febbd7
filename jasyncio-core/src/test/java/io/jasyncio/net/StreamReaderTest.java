package io.jasyncio.net;

import static io.jasyncio.net.NetTesting.b;
import static io.jasyncio.net.NetTesting.runVirtual;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StreamReader on its own, fed by the test: no sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReaderTest {

    private static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    private static StreamReader reader(int limit) {
        return new StreamReader(limit, EventLoop.running());
    }

    @Test
    void readReturnsAtMostNBufferedBytes() {
        runVirtual(() -> {
            StreamReader r = reader(StreamReader.DEFAULT_LIMIT);
            r.feedData(b("line1\nline2\n"));
            assertEquals("line1", s(r.read(5)));
            assertEquals("\nline2\n", s(r.read(100)));
            return null;
        });
    }

    @Test
    void readZeroReturnsEmptyAtOnceEvenWithNothingBuffered() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            assertEquals(0, r.read(0).length);
            r.feedData(b("abc"));
            assertEquals(0, r.read(0).length);
            assertEquals("abc", s(r.read(3)));
            return null;
        });
    }

    @Test
    void readSuspendsUntilDataIsFed() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> t = Asyncio.createTask(() -> r.read(30));
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("chunk1 "));
            r.feedData(b("chunk2"));
            assertEquals("chunk1 chunk2", s(t.await()));
            return null;
        });
    }

    @Test
    void readAllReadsUntilEofInBlocksOfTheLimit() {
        runVirtual(() -> {
            StreamReader r = reader(4);
            Task<byte[]> t = Asyncio.createTask(() -> r.read());
            r.feedData(b("chunk1\n"));
            Asyncio.sleep(0);
            r.feedData(b("chunk2"));
            r.feedEof();
            assertEquals("chunk1\nchunk2", s(t.await()));
            assertTrue(r.atEof());
            return null;
        });
    }

    @Test
    void readAtEofReturnsEmpty() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedEof();
            assertEquals(0, r.read(10).length);
            assertEquals(0, r.read().length);
            return null;
        });
    }

    @Test
    void atEofOnlyOnceEofWasFedAndTheBufferIsEmpty() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedData(b("x"));
            assertFalse(r.atEof());
            r.feedEof();
            assertFalse(r.atEof());
            r.read(1);
            assertTrue(r.atEof());
            return null;
        });
    }

    @Test
    void feedDataAfterEofIsRejected() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedEof();
            assertThrows(IllegalStateException.class, () -> r.feedData(b("late")));
            return null;
        });
    }

    @Test
    void feedDataConsumesTheByteBuffer() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            ByteBuffer data = ByteBuffer.wrap(b("xxhelloyy"), 2, 5);
            r.feedData(data);
            assertFalse(data.hasRemaining());
            assertEquals("hello", s(r.read(10)));
            return null;
        });
    }

    @Test
    void limitMustBePositive() {
        runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader(0));
            assertTrue(e.getMessage().contains("0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reader(-1));
            return null;
        });
    }

    @Test
    void readlineReturnsLineWithItsNewline() {
        runVirtual(() -> {
            StreamReader r = reader(StreamReader.DEFAULT_LIMIT);
            Task<byte[]> t = Asyncio.createTask(r::readline);
            r.feedData(b("chk1 "));
            Asyncio.sleep(0);
            r.feedData(b("chk2 chk3\nrest"));
            assertEquals("chk1 chk2 chk3\n", s(t.await()));
            assertEquals("rest", s(r.read(10)));
            return null;
        });
    }

    @Test
    void readlineReturnsThePartialLastLineAtEof() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedData(b("no newline"));
            r.feedEof();
            assertEquals("no newline", s(r.readline()));
            assertEquals(0, r.readline().length);
            return null;
        });
    }

    @Test
    void readlineOverTheLimitRaisesValueErrorAndDropsTheLine() {
        runVirtual(() -> {
            StreamReader r = reader(7);
            r.feedData(b("1234567890\nnext\n"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::readline);
            assertInstanceOf(LimitOverrunError.class, e.getCause());
            assertEquals("next\n", s(r.readline()));
            return null;
        });
    }

    @Test
    void readlineOverTheLimitWithoutNewlineClearsTheBuffer() {
        runVirtual(() -> {
            StreamReader r = reader(3);
            r.feedData(b("abcdefgh"));
            assertThrows(IllegalArgumentException.class, r::readline);
            r.feedData(b("ok\n"));
            assertEquals("ok\n", s(r.readline()));
            return null;
        });
    }

    @Test
    void readexactlyWaitsForAllBytes() {
        runVirtual(() -> {
            StreamReader r = reader(4);
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(12));
            r.feedData(b("chunk1"));
            Asyncio.sleep(0);
            assertFalse(t.done());
            r.feedData(b("chunk2chunk3"));
            assertEquals("chunk1chunk2", s(t.await()));
            assertEquals("chunk3", s(r.read(10)));
            return null;
        });
    }

    @Test
    void readexactlyAtEofRaisesIncompleteReadErrorWithThePartialBytes() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedData(b("only5"));
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readexactly(10));
            assertEquals("only5", s(e.partial()));
            assertEquals(10, e.expected());
            assertInstanceOf(java.io.EOFException.class, e);
            assertTrue(r.atEof());
            return null;
        });
    }

    @Test
    void readexactlyZeroReturnsEmptyAndNegativeIsRejected() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            assertEquals(0, r.readexactly(0).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readexactly(-1));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
            return null;
        });
    }

    @Test
    void readuntilReturnsDataThroughTheSeparator() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> t = Asyncio.createTask(() -> r.readuntil(b("&&")));
            r.feedData(b("some&"));
            Asyncio.sleep(0);
            r.feedData(b("&data"));
            assertEquals("some&&", s(t.await()));
            assertEquals("data", s(r.read(10)));
            return null;
        });
    }

    @Test
    void readuntilWithSeveralSeparatorsReturnsTheShortestMatch() {
        runVirtual(() -> {
            StreamReader r = reader(64);
            r.feedData(b("abXYcdZab"));
            assertEquals("abXY", s(r.readuntil(b("Z"), b("XY"))));
            assertEquals("cdZ", s(r.readuntil(b("ab"), b("Z"))));
            r.feedData(b("\r\n"));
            assertEquals("ab\r", s(r.readuntil(b("\r\n"), b("\r"))));
            return null;
        });
    }

    @Test
    void readuntilOverTheLimitRaisesLimitOverrunAndKeepsTheData() {
        runVirtual(() -> {
            StreamReader r = reader(3);
            r.feedData(b("abcdef!"));
            LimitOverrunError e = assertThrows(LimitOverrunError.class, () -> r.readuntil(b("!")));
            assertEquals(6, e.consumed());
            assertEquals("abcdef!", s(r.read(20)));
            r.feedData(b("1234"));
            LimitOverrunError notFound = assertThrows(LimitOverrunError.class, () -> r.readuntil(b("!")));
            assertEquals(4, notFound.consumed());
            assertEquals("1234", s(r.read(20)));
            return null;
        });
    }

    @Test
    void readuntilAtEofRaisesIncompleteReadErrorWithTheBuffer() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.feedData(b("abc&"));
            r.feedEof();
            IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> r.readuntil(b("&&")));
            assertEquals("abc&", s(e.partial()));
            assertEquals(-1, e.expected());
            return null;
        });
    }

    @Test
    void readuntilRejectsNoSeparatorOrAnEmptyOne() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0][]));
            assertThrows(IllegalArgumentException.class, () -> r.readuntil(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> r.readuntil(b("a"), new byte[0]));
            return null;
        });
    }

    @Test
    void secondConcurrentReadIsRejected() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> first = Asyncio.createTask(() -> r.read(5));
            Asyncio.sleep(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.readline());
            assertTrue(e.getMessage().contains("readuntil"), e.getMessage());
            r.feedData(b("ok"));
            assertEquals("ok", s(first.await()));
            return null;
        });
    }

    @Test
    void cancelledReadLosesNoData() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> t = Asyncio.createTask(() -> r.readexactly(4));
            r.feedData(b("ab"));
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            r.feedData(b("cd"));
            assertEquals("abcd", s(r.readexactly(4)));
            return null;
        });
    }

    @Test
    void anErrorFedWhileACancelledReadUnwindsIsKeptForTheNextRead() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> t = Asyncio.createTask(() -> r.read(1));
            Asyncio.sleep(0);
            t.cancel();
            SocketException boom = new SocketException("boom");
            r.setException(boom);
            assertThrows(CancelledError.class, t::await);
            assertSame(boom, assertThrows(SocketException.class, () -> r.read(1)));
            return null;
        });
    }

    @Test
    void setExceptionFailsTheWaitingReadAndLaterReads() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Task<byte[]> t = Asyncio.createTask(r::readline);
            Asyncio.sleep(0);
            SocketException boom = new SocketException("boom");
            r.setException(boom);
            assertSame(boom, assertThrows(SocketException.class, t::await));
            assertSame(boom, assertThrows(SocketException.class, () -> r.read(1)));
            assertSame(boom, r.exception());
            return null;
        });
    }

    @Test
    void setExceptionWrapsCheckedNonIoErrors() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Exception odd = new Exception("odd");
            r.setException(odd);
            IOException e = assertThrows(IOException.class, () -> r.read(1));
            assertSame(odd, e.getCause());
            return null;
        });
    }

    @Test
    void iterationYieldsLinesUntilEof() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            Asyncio.createTask(() -> {
                r.feedData(b("line1\nline2\n"));
                Asyncio.sleep(0);
                r.feedData(b("line3"));
                r.feedEof();
            });
            List<String> lines = new ArrayList<>();
            for (byte[] line : r) {
                lines.add(s(line));
            }
            assertEquals(List.of("line1\n", "line2\n", "line3"), lines);
            return null;
        });
    }

    @Test
    void iterationRaisesReadErrorsUnchecked() {
        runVirtual(() -> {
            StreamReader r = reader(16);
            r.setException(new SocketException("reset"));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> r.iterator().hasNext());
            assertInstanceOf(SocketException.class, e.getCause());
            return null;
        });
    }

    @Test
    void largeFeedsAreReadBackInOrder() {
        runVirtual(() -> {
            StreamReader r = reader(StreamReader.DEFAULT_LIMIT);
            long fed = 0;
            long read = 0;
            for (int round = 0; round < 50; round++) {
                int n = 1000 + round * 997;
                r.feedData(NetTesting.patternBytes(fed, n));
                fed += n;
                byte[] got = r.read(n / 2 + 1);
                assertArrayEquals(NetTesting.patternBytes(read, got.length), got);
                read += got.length;
            }
            r.feedEof();
            byte[] rest = r.read();
            assertArrayEquals(NetTesting.patternBytes(read, rest.length), rest);
            assertEquals(fed, read + rest.length);
            return null;
        });
    }
}
