package io.jasyncio.examples;

import io.jasyncio.EventLoop;
import io.jasyncio.examples.tour.CoreTour;
import io.jasyncio.examples.tour.GeneratorTour;
import io.jasyncio.examples.tour.NetTour;
import io.jasyncio.examples.tour.ProcessTour;
import io.jasyncio.examples.tour.TlsTour;
import io.jasyncio.examples.tour.UdpTour;
import io.jasyncio.examples.tour.Section;
import io.jasyncio.examples.tour.StructuredTour;
import io.jasyncio.examples.tour.SyncTour;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tour of jasyncio: runs every section live on real loops, timers, threads, sockets and
 * processes, prints one line per section with the figure that matters, and exits non-zero if any
 * section did not behave as expected. Run it with {@code ./run tour}.
 */
public final class Tour {
    private Tour() {
    }

    /** Every section, in the order of the cheat sheet. */
    static List<Section> sections() {
        List<Section> all = new ArrayList<>();
        all.addAll(CoreTour.sections());
        all.addAll(StructuredTour.sections());
        all.addAll(SyncTour.sections());
        all.addAll(GeneratorTour.sections());
        all.addAll(NetTour.sections());
        all.addAll(TlsTour.sections());
        all.addAll(UdpTour.sections());
        all.addAll(ProcessTour.sections());
        return all;
    }

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        String backend;
        try (EventLoop probe = EventLoop.newEventLoop()) {
            backend = probe.backendName();
        }
        out.printf("jasyncio tour on Java %s, coroutine backend: %s%n", Runtime.version(), backend);
        if (!backend.equals("continuation")) {
            out.println("  (fast backend off: run with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED)");
        }
        long start = System.nanoTime();
        int failed = 0;
        List<Section> sections = sections();
        for (Section section : sections) {
            if (!run(section, out)) {
                failed++;
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        out.printf("%d of %d sections behaved as expected in %.1f s%n", sections.size() - failed, sections.size(), total);
        System.exit(failed == 0 ? 0 : 1);
    }

    private static boolean run(Section section, PrintStream out) throws InterruptedException {
        Progress progress = new Progress(section.name(), out);
        progress.start();
        try {
            String summary = section.body().call();
            progress.finish();
            out.printf("  ok   %-22s %s%n", section.name(), summary);
            return true;
        } catch (Throwable e) {
            progress.finish();
            out.printf("  FAIL %-22s %s%n", section.name(), e);
            return false;
        }
    }

    /**
     * Shows elapsed time for a section that takes longer than a second: a line redrawn in place on
     * a terminal, a single "still running" line when the output is a file or a pipe.
     */
    private static final class Progress extends Thread {
        private final String name;
        private final PrintStream out;
        private final boolean terminal = isTerminal();
        private volatile boolean done;
        private boolean shown;

        Progress(String name, PrintStream out) {
            this.name = name;
            this.out = out;
            setDaemon(true);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            try {
                TimeUnit.SECONDS.sleep(1);
                while (!done) {
                    synchronized (this) {
                        if (done) {
                            return;
                        }
                        if (!terminal) {
                            out.printf("  ...  %-22s still running after 1 s%n", name);
                            return;
                        }
                        shown = true;
                        out.printf("\r  ...  %-22s running for %.0f s", name, (System.nanoTime() - start) / 1e9);
                        out.flush();
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Since JDK 22 System.console() exists even when redirected; Console.isTerminal() tells. */
        private static boolean isTerminal() {
            java.io.Console console = System.console();
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException beforeJdk22) {
                return true;
            }
        }

        void finish() throws InterruptedException {
            synchronized (this) {
                done = true;
                if (shown) {
                    out.print("\r" + " ".repeat(60) + "\r");
                }
            }
            interrupt();
            join();
        }
    }
}
