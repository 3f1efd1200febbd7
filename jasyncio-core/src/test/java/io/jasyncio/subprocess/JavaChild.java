package io.jasyncio.subprocess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A child JVM for {@link SubprocessTest}. */
public final class JavaChild {
    private JavaChild() {
    }

    /**
     * {@code upper}: reads stdin to the end, writes it upper-cased to stdout and its length to
     * stderr, exits with status 5. {@code wait}: says "ready" and sleeps until killed.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        switch (args[0]) {
            case "upper" -> {
                byte[] in = System.in.readAllBytes();
                System.out.print(new String(in, StandardCharsets.UTF_8).toUpperCase());
                System.out.flush();
                System.err.print(in.length);
                System.err.flush();
                System.exit(5);
            }
            case "wait" -> {
                System.out.println("ready");
                System.out.flush();
                Thread.sleep(120_000);
                System.exit(1);
            }
            default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
    }
}
