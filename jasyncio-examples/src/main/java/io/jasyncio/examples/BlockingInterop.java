package io.jasyncio.examples;

import com.sun.net.httpserver.HttpServer;
import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real blocking and {@code CompletableFuture}-based APIs called from tasks without stalling the
 * loop (docs/GUIDE-threads.md): a file read and a blocking {@code HttpClient.send} run through
 * {@link Asyncio#toThread}, and {@code HttpClient.sendAsync} is awaited with
 * {@link Asyncio#await}, against a local HTTP server, while a ticker task keeps running.
 *
 * <p>The server answers only after the ticker has ticked five times, so both requests can finish
 * only if the loop kept running while they were in flight.
 */
public final class BlockingInterop {
    /** How often the loop must tick before the server answers. */
    static final int TICKS_BEFORE_ANSWER = 5;

    /** What the example fetched, and how often the ticker ran meanwhile. */
    public record Report(String file, String blockingHttp, String asyncHttp, int ticks) {
    }

    private BlockingInterop() {
    }

    public static void main(String[] args) throws IOException {
        Report r = run();
        System.out.println("file:          " + r.file());
        System.out.println("blocking HTTP: " + r.blockingHttp());
        System.out.println("async HTTP:    " + r.asyncHttp());
        System.out.println("ticks while the requests were in flight: " + r.ticks());
    }

    /** Starts the local server, runs the tasks on a new loop, and cleans up. */
    public static Report run() throws IOException {
        CountDownLatch loopTicked = new CountDownLatch(TICKS_BEFORE_ANSWER);
        ExecutorService serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            try {
                loopTicked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("hello, " + exchange.getRequestURI().getQuery()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        Path file = Files.createTempFile("jasyncio-example", ".txt");
        try (HttpClient client = HttpClient.newHttpClient()) {
            Files.writeString(file, "read on an executor thread");
            URI hello = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
            return Asyncio.run(() -> fetchWhileTicking(client, hello, file, loopTicked));
        } finally {
            server.stop(0);
            serverThreads.shutdown();
            Files.deleteIfExists(file);
        }
    }

    private static Report fetchWhileTicking(HttpClient client, URI hello, Path file, CountDownLatch loopTicked) {
        int[] ticks = {0};
        Task<Void> ticker = Asyncio.createTask(() -> {
            while (true) {
                Asyncio.sleep(0.01);
                ticks[0]++;
                loopTicked.countDown();
            }
        });
        // A blocking call, moved off the loop.
        Task<String> fileRead = Asyncio.createTask(() -> Asyncio.toThread(() -> Files.readString(file)));
        // A blocking HTTP call, moved off the loop.
        Task<String> blockingHttp = Asyncio.createTask(() -> Asyncio.toThread(
                () -> client.send(get(hello, "blocking"), HttpResponse.BodyHandlers.ofString()).body()));
        // A CompletableFuture-based HTTP call, awaited: no thread of ours waits for it.
        Task<String> asyncHttp = Asyncio.createTask(() -> Asyncio.await(
                client.sendAsync(get(hello, "async"), HttpResponse.BodyHandlers.ofString())).body());
        Report report = new Report(fileRead.await(), blockingHttp.await(), asyncHttp.await(), ticks[0]);
        ticker.cancel();
        return report;
    }

    private static HttpRequest get(URI hello, String who) {
        return HttpRequest.newBuilder(URI.create(hello + "?" + who)).GET().build();
    }
}
