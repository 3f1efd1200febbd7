package io.jasyncio;

/** A child JVM for {@link SignalHandlerTest}: waits in Asyncio.run until Ctrl-C arrives. */
public final class SigintChild {
    private SigintChild() {
    }

    public static void main(String[] args) {
        try {
            Asyncio.run(() -> {
                try {
                    System.out.println("ready");
                    System.out.flush();
                    Asyncio.sleep(120);
                } finally {
                    System.out.println("main task cancelled: cleanup ran");
                }
            });
        } catch (KeyboardInterrupt e) {
            System.out.println("Asyncio.run raised KeyboardInterrupt");
            System.exit(130);
        }
        System.exit(1);
    }
}
