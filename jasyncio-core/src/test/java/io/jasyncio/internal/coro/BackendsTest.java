package io.jasyncio.internal.coro;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void theSelectedBackendIsTheOneRequested() {
        String requested = System.getProperty(Backends.PROPERTY, "auto");
        String expected = switch (requested) {
            case "auto" -> Backends.continuationsAvailable() ? "continuation" : "virtual";
            default -> requested;
        };
        assertEquals(expected, Backends.selected().name());
    }

    @Test
    void autoChoosesContinuationsExactlyWhenTheFlagIsGiven() {
        boolean flagGiven = Object.class.getModule().isExported("jdk.internal.vm", BackendsTest.class.getModule());
        assertEquals(flagGiven ? "continuation" : "virtual", Backends.select("auto").name());
    }

    @Test
    void anUnknownBackendNameIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.select("fibers"));
        assertTrue(e.getMessage().contains("'fibers'"), e.getMessage());
    }

    @Test
    void forcingContinuationsWithoutTheFlagNamesTheFlag() {
        if (Backends.continuationsAvailable()) {
            assertEquals("continuation", Backends.select("continuation").name());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("continuation"));
            assertTrue(e.getMessage().contains("--add-exports java.base/jdk.internal.vm="), e.getMessage());
        }
    }

    @Test
    void aCoroutineSuspendsAndResumesWhereItLeftOff() {
        for (String name : List.of("virtual", Backends.continuationsAvailable() ? "continuation" : "virtual")) {
            CoroutineBackend backend = Backends.select(name);
            List<String> trace = new ArrayList<>();
            Coroutine[] self = new Coroutine[1];
            self[0] = backend.create(() -> {
                trace.add("a");
                self[0].suspend();
                trace.add("b");
                self[0].suspend();
                trace.add("c");
            });
            self[0].resume();
            assertEquals(List.of("a"), trace, name);
            assertFalse(self[0].isDone());
            self[0].resume();
            assertEquals(List.of("a", "b"), trace, name);
            self[0].resume();
            assertEquals(List.of("a", "b", "c"), trace, name);
            assertTrue(self[0].isDone(), name);
        }
    }
}
