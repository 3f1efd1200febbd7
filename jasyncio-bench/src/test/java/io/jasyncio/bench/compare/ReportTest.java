package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final ZonedDateTime DATE = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void headlineDividesJasyncioByEachPeer() {
        Report report = report(Settings.parse(new String[] {"--only", "switch"}), Map.of(), List.of(
                rates(Workload.TASK_SWITCH, Contender.JASYNCIO, 9e6, 10e6, 11e6),
                rates(Workload.TASK_SWITCH, Contender.ASYNCIO, 1e6, 1e6, 0.5e6),
                rates(Workload.TASK_SWITCH, Contender.UVLOOP, 2e6, 2e6, 2e6)));
        String headline = report.headline();
        assertTrue(headline.contains("| 1. Task switch | 10.00 M switches/s | 10.0× | 5.00× |"), headline);
    }

    @Test
    void aMissingPeerIsNamedWithItsReasonAndNeverDropped() throws Exception {
        Settings settings = Settings.parse(new String[] {"--only", "switch"});
        Outcome missing = Outcome.missing(new Entry(Workload.TASK_SWITCH, Contender.UVLOOP, Contender.Api.NONE), "no uvloop here");
        Report report = report(settings, Map.of(Contender.UVLOOP, "no uvloop here"), List.of(
                rates(Workload.TASK_SWITCH, Contender.JASYNCIO, 9e6), rates(Workload.TASK_SWITCH, Contender.ASYNCIO, 1e6), missing));
        Path md = dir.resolve("COMPARISON.md");
        report.writeMarkdown(md, "chart.png");
        String text = Files.readString(md);
        assertTrue(text.contains("- uvloop: **MISSING** — no uvloop here"), text);
        assertTrue(text.contains("| 1. Task switch | 9.00 M switches/s | 9.00× | missing |"), text);
        assertTrue(text.contains("| uvloop | missing: no uvloop here |"), text);
    }

    @Test
    void latencyWorkloadComparesP99TheLowerTheBetter() {
        Report report = report(Settings.parse(new String[] {"--only", "idle"}), Map.of(), List.of(
                latency(Workload.IDLE_ACTIVE, Contender.JASYNCIO, Contender.Api.PROTOCOL, 500),
                latency(Workload.IDLE_ACTIVE, Contender.ASYNCIO, Contender.Api.PROTOCOL, 2000),
                latency(Workload.IDLE_ACTIVE, Contender.NETTY_NIO, Contender.Api.NONE, 1000)));
        Report.Row protocol = new Report.Row(Workload.IDLE_ACTIVE, Contender.Api.PROTOCOL);
        assertEquals(4.0, Report.ratio(report.find(protocol, Contender.JASYNCIO), report.find(protocol, Contender.ASYNCIO)), 1e-9);
        assertEquals(2.0, Report.ratio(report.find(protocol, Contender.JASYNCIO), report.find(protocol, Contender.NETTY_NIO)), 1e-9);
    }

    @Test
    void singleApiPeersAnswerForBothApiRows() {
        Report report = report(Settings.parse(new String[] {"--only", "echo64"}), Map.of(), List.of(
                latency(Workload.ECHO_SMALL, Contender.NETTY_NIO, Contender.Api.NONE, 1000)));
        for (Contender.Api api : List.of(Contender.Api.STREAMS, Contender.Api.PROTOCOL)) {
            assertEquals(Contender.NETTY_NIO, report.find(new Report.Row(Workload.ECHO_SMALL, api), Contender.NETTY_NIO).entry().contender());
        }
    }

    @Test
    void targetsSayWhetherEachIsMet() throws Exception {
        Report report = report(Settings.parse(new String[] {"--only", "switch,spawn,queue"}), Map.of(), List.of(
                rates(Workload.TASK_SWITCH, Contender.JASYNCIO, 60e6), rates(Workload.TASK_SWITCH, Contender.ASYNCIO, 1e6),
                rates(Workload.SPAWN_JOIN, Contender.JASYNCIO, 1e6), rates(Workload.SPAWN_JOIN, Contender.ASYNCIO, 1e6),
                rates(Workload.QUEUE, Contender.JASYNCIO, 12e6)));
        Path md = dir.resolve("COMPARISON.md");
        report.writeMarkdown(md, "chart.png");
        String text = Files.readString(md);
        assertTrue(text.contains("| 1. Task switch: at least 50× CPython asyncio | 60.0× (CPU 60.0×) | yes (CPU yes) |"), text);
        assertTrue(text.contains("| 2. Spawn + join: at least 20× CPython asyncio | 1.00× (CPU 1.00×) | **no** (CPU **no**) |"), text);
        assertTrue(text.contains("| Queue: at least 10 million items/s | 12.00 M items/s | yes |"), text);
    }

    @Test
    void tcpTargetsAreJudgedByRoundTripsAndShowTheCpuRatioBeside() throws Exception {
        Report report = report(Settings.parse(new String[] {"--only", "echo64"}), Map.of(), List.of(
                echo(Contender.JASYNCIO, Contender.Api.PROTOCOL, 100_000, 5),
                echo(Contender.UVLOOP, Contender.Api.PROTOCOL, 50_000, 6),
                echo(Contender.NETTY_NIO, Contender.Api.NONE, 100_000, 5)));
        Path md = dir.resolve("COMPARISON.md");
        report.writeMarkdown(md, "chart.png");
        String text = Files.readString(md);
        assertTrue(text.contains("| 5. TCP echo 64 B: at least 3× uvloop (same API) | protocol 2.00× (CPU 1.20×); streams not measured "
                + "| protocol **no** (CPU **no**); streams not measured |"), text);
        assertTrue(text.contains("| 5. TCP echo 64 B: at least 0.9× Netty NIO, one thread | protocol 1.00× (CPU 1.00×); "), text);
    }

    @Test
    void cpuHeadlineDividesEachPeersCpuPerOperationByJasyncios() {
        Report report = report(Settings.parse(new String[] {"--only", "switch,echo64"}), Map.of(), List.of(
                Outcome.measured(new Entry(Workload.TASK_SWITCH, Contender.JASYNCIO, Contender.Api.NONE),
                        List.of(Sample.ofRepetition(1000, 1e6, 1e5))),
                Outcome.measured(new Entry(Workload.TASK_SWITCH, Contender.ASYNCIO, Contender.Api.NONE),
                        List.of(Sample.ofRepetition(1000, 1e6, 8e5))),
                echo(Contender.JASYNCIO, Contender.Api.PROTOCOL, 100_000, 5),
                echo(Contender.UVLOOP, Contender.Api.PROTOCOL, 50_000, 6)));
        String cpu = report.cpuHeadline();
        // 100 ns against 800 ns per switch; 5 µs (4 µs of it in the kernel) against 6 µs per round trip.
        assertTrue(cpu.contains("| 1. Task switch | 100 ns | 8.00× |"), cpu);
        assertTrue(cpu.contains("| 5. TCP echo 64 B · protocol | 5.0 µs (4.0 µs) | — (no such API) | 1.20× |"), cpu);
    }

    @Test
    void aFigureBelowTheClocksResolutionHasNoRatio() {
        Outcome zero = Outcome.measured(new Entry(Workload.QUEUE, Contender.THREADS, Contender.Api.NONE),
                List.of(Sample.ofRepetition(1000, 1e6, 0)));
        Outcome some = Outcome.measured(new Entry(Workload.QUEUE, Contender.JASYNCIO, Contender.Api.NONE),
                List.of(Sample.ofRepetition(1000, 1e6, 1e5)));
        assertEquals(Double.NaN, Report.cpuRatio(zero, some));
        assertEquals(Double.NaN, Report.cpuRatio(some, zero));
        assertEquals("—", Report.times(Report.cpuRatio(zero, some)));
    }

    @Test
    void numbersAreFormattedForReading() {
        assertEquals("1.23 M", Report.human(1_234_567));
        assertEquals("45.7 k", Report.human(45_678));
        assertEquals("812", Report.human(812));
        assertEquals("1.50 ms", Report.micros(1500));
        assertEquals("8.5 µs", Report.micros(8.5));
        assertEquals("120×", Report.times(120.4));
        assertEquals("0.45×", Report.times(0.449));
        assertEquals("82 ns", Report.nanosOrMicros(0.082));
    }

    static Report report(Settings settings, Map<Contender, String> missing, List<Outcome> outcomes) {
        Environment env = new Environment("python3", missing, Map.of("CPU", "test"), new Environment.IdleBudget(10_000, null));
        return new Report(settings, env, outcomes, null, DATE, "0.1 0.1 0.1", "0.2 0.2 0.2", Duration.ofSeconds(61));
    }

    static Outcome rates(Workload w, Contender c, double... rates) {
        List<Sample> samples = new ArrayList<>();
        for (double r : rates) {
            // One second of wall-clock time and of CPU each: CPU per operation falls as the rate rises.
            samples.add(Sample.ofRepetition(r, 1e9, 1e9));
        }
        return Outcome.measured(new Entry(w, c, Contender.Api.NONE), samples);
    }

    static Outcome echo(Contender c, Contender.Api api, double rate, double cpuMicros) {
        return Outcome.measured(new Entry(Workload.ECHO_SMALL, c, api), List.of(new Sample(rate, cpuMicros, 4, 0.5, 500, 2000)));
    }

    static Outcome latency(Workload w, Contender c, Contender.Api api, double p99Micros) {
        return Outcome.measured(new Entry(w, c, api), List.of(new Sample(10_000, 5, 3, 0.5, p99Micros / 4, p99Micros)));
    }
}
