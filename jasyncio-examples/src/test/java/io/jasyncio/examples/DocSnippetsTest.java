package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compiles and runs every Java code block of README.md and docs/*.md, so the documentation
 * cannot drift from the code. See {@link DocSnippets} for how a block says how it is run.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String IMPORTS = """
            import io.jasyncio.*;
            import io.jasyncio.subprocess.*;
            import io.jasyncio.net.*;
            import java.io.*;
            import java.net.*;
            import java.nio.ByteBuffer;
            import java.nio.file.Path;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.List;
            import java.util.ArrayList;
            import java.util.Map;
            import java.util.HashMap;
            import java.util.Set;
            import java.util.concurrent.CompletableFuture;
            import javax.net.ssl.*;
            """;

    @TestFactory
    Stream<DynamicTest> everyCodeBlockOfTheDocsCompilesAndRuns() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            DocSnippets snippets = DocSnippets.parse(file);
            for (DocSnippets.Block block : snippets.blocks()) {
                if (block.kind() != DocSnippets.Kind.MEMBERS) {
                    tests.add(DynamicTest.dynamicTest(block.label(), () -> run(snippets, block)));
                }
            }
        }
        assertFalse(tests.isEmpty(), "no code blocks found under " + ROOT);
        return tests.stream();
    }

    private static void run(DocSnippets snippets, DocSnippets.Block block) throws Exception {
        try (Peer peer = startPeer(block)) {
            String code = peer != null ? block.code().replace(peer.placeholderPort(), Integer.toString(peer.port())) : block.code();
            String className;
            String source;
            if (block.kind() == DocSnippets.Kind.CLASS) {
                className = publicClassName(code, block);
                source = IMPORTS + code;
            } else {
                className = "Snippet";
                String loop = block.realClock() ? "EventLoop::newEventLoop" : "() -> EventLoop.newEventLoop(new VirtualClock())";
                source = IMPORTS + "public class Snippet {\n" + snippets.members()
                        + "\npublic static void main(String[] args) throws Exception {\n"
                        + "Asyncio.run(() -> {\n" + code + "\nreturn null;\n}, " + loop + ", null);\n}\n}\n";
            }
            Class<?> cls = compile(className, source, block);
            Method main = findMain(cls);
            if (main == null) {
                assertNull(block.expectedOutput(), block.label() + ": an output block follows a block with no main");
            } else if (block.expectedOutput() == null) {
                runBounded(() -> main.invoke(null, (Object) new String[0]), block);
            } else {
                String printed = printedBy(() -> {
                    runBounded(() -> main.invoke(null, (Object) new String[0]), block);
                    return null;
                });
                assertEquals(block.expectedOutput(), printed, block.label() + " printed something else than its output block");
            }
        }
    }

    /**
     * What {@code body} prints to {@code System.out}, which is restored afterwards; also echoed there.
     * A {@code \r\n} (the platform's line separator, or a network protocol's line end) reads as a line
     * break, as a terminal shows it.
     */
    private static String printedBy(Callable<?> body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.call();
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed.replace("\r\n", "\n");
    }

    private static String publicClassName(String code, DocSnippets.Block block) {
        Matcher m = Pattern.compile("(?:public\\s+)?(?:final\\s+)?(?:class|record|interface)\\s+(\\w+)").matcher(code);
        if (!m.find()) {
            throw new AssertionError(block.label() + ": a 'class' block must declare a class");
        }
        return m.group(1);
    }

    private static Method findMain(Class<?> cls) {
        try {
            Method m = cls.getMethod("main", String[].class);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static void runBounded(Callable<?> body, DocSnippets.Block block) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<?> f = ex.submit(body);
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e.getCause();
                throw new AssertionError(block.label() + " failed when run: " + cause, cause);
            } catch (java.util.concurrent.TimeoutException e) {
                f.cancel(true);
                throw new AssertionError(block.label() + " did not finish within 60 s");
            }
        } finally {
            ex.shutdownNow();
        }
    }

    private static Class<?> compile(String className, String source, DocSnippets.Block block) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, null);
        Map<String, byte[]> classes = new HashMap<>();
        JavaFileManager manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new java.io.ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                classes.put(name, toByteArray());
                            }
                        };
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none", "-Xlint:none");
        boolean ok = compiler.getTask(null, manager, diagnostics, options, null, List.of(unit)).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder(block.label() + " does not compile:\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                sb.append("  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(null)).append('\n');
            }
            sb.append(source);
            throw new AssertionError(sb.toString());
        }
        ClassLoader loader = new ClassLoader(DocSnippetsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        return loader.loadClass(className);
    }

    /** A server a block talks to; the block names it by a placeholder port. */
    interface Peer extends AutoCloseable {
        int port();

        String placeholderPort();
    }

    private static Peer startPeer(DocSnippets.Block block) throws Exception {
        if (block.peer() == null) {
            return null;
        }
        return switch (block.peer()) {
            case "echo" -> new EchoPeer();
            case "redis" -> RedisPeer.start();
            default -> throw new AssertionError(block.label() + ": unknown peer=" + block.peer() + " (known: echo, redis)");
        };
    }

    /** A blocking echo server on loopback, standing in for the cheat sheet's port 8888. */
    private static final class EchoPeer implements Peer {
        private final ServerSocket server;
        private final Thread acceptor;

        EchoPeer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(this::acceptLoop);
        }

        @Override
        public int port() {
            return server.getLocalPort();
        }

        @Override
        public String placeholderPort() {
            return "8888";
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> echo(s));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void echo(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException peerGone) {
                // The snippet closed its side first: nothing left to echo.
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join();
        }
    }
}
