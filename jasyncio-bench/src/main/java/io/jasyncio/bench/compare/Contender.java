package io.jasyncio.bench.compare;

import java.util.List;

/** One implementation in the comparison: jasyncio on either backend, or a peer. */
enum Contender {
    JASYNCIO("jasyncio (continuation backend)", "#d62728"),
    JASYNCIO_VT("jasyncio (virtual-thread backend)", "#ff9896"),
    ASYNCIO("CPython asyncio", "#1f77b4"),
    UVLOOP("uvloop", "#17becf"),
    NETTY_NIO("Netty 4.1 NIO, 1 thread", "#2ca02c"),
    NETTY_EPOLL("Netty 4.1 epoll, 1 thread", "#98df8a"),
    THREADS("JDK virtual threads, blocking", "#7f7f7f");

    /** Which API of a contender serves a TCP workload. */
    enum Api {
        /** In-process workloads, and peers with a single way to write a server. */
        NONE(""),
        STREAMS("streams"),
        PROTOCOL("protocol");

        final String label;

        Api(String label) {
            this.label = label;
        }
    }

    final String label;
    /** Bar colour in the chart, as #rrggbb. */
    final String colour;

    Contender(String label, String colour) {
        this.label = label;
        this.colour = colour;
    }

    boolean isJasyncio() {
        return this == JASYNCIO || this == JASYNCIO_VT;
    }

    boolean isPython() {
        return this == ASYNCIO || this == UVLOOP;
    }

    /** The APIs this contender runs {@code workload} with; empty if it has nothing to offer for it. */
    List<Api> apis(Workload workload) {
        if (!workload.isNetwork()) {
            return this == NETTY_NIO || this == NETTY_EPOLL ? List.of() : List.of(Api.NONE);
        }
        return isJasyncio() || isPython() ? List.of(Api.STREAMS, Api.PROTOCOL) : List.of(Api.NONE);
    }
}
