package io.jasyncio.subprocess;

import static org.junit.jupiter.api.Assertions.*;

import io.jasyncio.net.StreamReader;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SubprocessOptions}, {@link Stdio} and {@link ProcessOutput}. */
class SubprocessOptionsTest {

    @Test
    void defaultInheritsEveryStreamAndPipesPipesEveryStream() {
        assertEquals(Stdio.INHERIT, SubprocessOptions.DEFAULT.stdin());
        assertEquals(Stdio.INHERIT, SubprocessOptions.DEFAULT.stdout());
        assertEquals(Stdio.INHERIT, SubprocessOptions.DEFAULT.stderr());
        assertEquals(StreamReader.DEFAULT_LIMIT, SubprocessOptions.DEFAULT.limit());
        assertNull(SubprocessOptions.DEFAULT.cwd());
        assertNull(SubprocessOptions.DEFAULT.env());
        assertTrue(SubprocessOptions.PIPES.stdin().isPipe());
        assertTrue(SubprocessOptions.PIPES.stdout().isPipe());
        assertTrue(SubprocessOptions.PIPES.stderr().isPipe());
    }

    @Test
    void withMethodsReplaceOneOption() {
        SubprocessOptions o = SubprocessOptions.DEFAULT.withStdin(Stdio.DEVNULL).withStdout(Stdio.PIPE)
                .withStderr(Stdio.STDOUT).withCwd(Path.of("/tmp")).withEnv(Map.of("A", "1")).withLimit(10);
        assertEquals(new SubprocessOptions(Stdio.DEVNULL, Stdio.PIPE, Stdio.STDOUT, Path.of("/tmp"), Map.of("A", "1"),
                10), o);
    }

    @Test
    void onlyStderrCanGoToStdout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubprocessOptions.DEFAULT.withStdin(Stdio.STDOUT));
        assertTrue(e.getMessage().startsWith("stdin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.DEFAULT.withStdout(Stdio.STDOUT));
        assertTrue(e.getMessage().startsWith("stdout"), e.getMessage());
    }

    @Test
    void limitMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubprocessOptions.DEFAULT.withLimit(0));
        assertEquals("limit must be positive: 0", e.getMessage());
    }

    @Test
    void nullStreamsAreRejectedNamingThem() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> SubprocessOptions.DEFAULT.withStderr(null));
        assertEquals("stderr", e.getMessage());
    }

    @Test
    void theEnvironmentIsCopied() {
        Map<String, String> env = new HashMap<>(Map.of("A", "1"));
        SubprocessOptions o = SubprocessOptions.DEFAULT.withEnv(env);
        env.put("B", "2");
        assertEquals(Map.of("A", "1"), o.env());
        assertThrows(UnsupportedOperationException.class, () -> o.env().put("C", "3"));
    }

    @Test
    void stdioTurnsIntoTheRedirectOfItsStream() {
        assertEquals(Redirect.PIPE, Stdio.PIPE.toRedirect(true));
        assertEquals(Redirect.INHERIT, Stdio.INHERIT.toRedirect(false));
        assertEquals(Redirect.DISCARD, Stdio.DEVNULL.toRedirect(false));
        assertEquals(Redirect.from(new File("/dev/null")), Stdio.DEVNULL.toRedirect(true));
        assertNull(Stdio.STDOUT.toRedirect(false));
        Redirect file = Redirect.appendTo(new File("/tmp/log"));
        assertEquals(file, Stdio.of(file).toRedirect(false));
        assertEquals(Stdio.of(file), Stdio.of(Redirect.appendTo(new File("/tmp/log"))));
        assertEquals("PIPE", Stdio.PIPE.toString());
    }

    @Test
    void redirectsThatNameAConstantGiveThatConstant() {
        assertSame(Stdio.PIPE, Stdio.of(Redirect.PIPE));
        assertSame(Stdio.INHERIT, Stdio.of(Redirect.INHERIT));
        assertSame(Stdio.DEVNULL, Stdio.of(Redirect.DISCARD));
        assertTrue(Stdio.of(Redirect.PIPE).isPipe(), "a pipe redirect gets its stream, never a pipe left unread");
    }

    @Test
    void processOutputsWithTheSameBytesAreEqual() {
        ProcessOutput a = new ProcessOutput(new byte[] {1, 2}, null);
        ProcessOutput b = new ProcessOutput(new byte[] {1, 2}, null);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new ProcessOutput(new byte[] {1}, null));
        assertEquals("ProcessOutput[stdout=2 bytes, stderr=null]", a.toString());
    }
}
