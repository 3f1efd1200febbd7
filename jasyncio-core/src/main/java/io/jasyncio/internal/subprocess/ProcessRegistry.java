package io.jasyncio.internal.subprocess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child processes of one event loop: the transports not yet finished, which the loop
 * releases when it closes, and the loop's count of work running on other threads, which a
 * {@link io.jasyncio.VirtualClock} waits for in real time. Used on the loop's thread.
 */
public final class ProcessRegistry {
    private final AtomicInteger externalWork;
    private final Set<ProcessTransport> live = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A registry counting its transports' work in the loop's {@code externalWork}. */
    public ProcessRegistry(AtomicInteger externalWork) {
        this.externalWork = externalWork;
    }

    void add(ProcessTransport t) {
        live.add(t);
    }

    void remove(ProcessTransport t) {
        live.remove(t);
    }

    void workStarted() {
        externalWork.incrementAndGet();
    }

    void workDone() {
        externalWork.decrementAndGet();
    }

    /**
     * The loop is closing: kills the children still running and stops every pipe thread, without
     * calling any protocol. The threads end once their blocking read or write returns, which the
     * killed child's exit brings about (unless a grandchild holds its pipes open).
     */
    public void closeAll() {
        for (ProcessTransport t : new ArrayList<>(live)) {
            t.abandon();
        }
        live.clear();
    }
}
