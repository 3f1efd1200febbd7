package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionGroupTest {
    private final IOException io = new IOException("disk");
    private final IllegalStateException state = new IllegalStateException("state");
    private final IllegalArgumentException argument = new IllegalArgumentException("argument");

    @Test
    void messageCountsTheMembersAsPythonsStrDoes() {
        ExceptionGroup one = new ExceptionGroup("one", List.of(io));
        assertEquals("one (1 sub-exception)", one.getMessage());
        ExceptionGroup two = new ExceptionGroup("two", List.of(io, state));
        assertEquals("two (2 sub-exceptions)", two.getMessage());
        assertEquals("two", two.message());
    }

    @Test
    void membersKeepTheirOrderAndCannotBeChanged() {
        List<Throwable> given = new ArrayList<>(List.of(io, state));
        ExceptionGroup eg = new ExceptionGroup("m", given);
        given.clear();
        assertEquals(List.of(io, state), eg.exceptions());
        assertThrows(UnsupportedOperationException.class, () -> eg.exceptions().add(argument));
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExceptionGroup("m", List.of()));
        assertTrue(e.getMessage().contains("exceptions") && e.getMessage().contains("non-empty"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> new ExceptionGroup("m", Arrays.asList(io, null)));
        assertEquals("exceptions[1] is null", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> new ExceptionGroup(null, List.of(io)));
        assertEquals("message", npe.getMessage());
        npe = assertThrows(NullPointerException.class, () -> new ExceptionGroup("m", null));
        assertEquals("exceptions", npe.getMessage());
    }

    @Test
    void subgroupKeepsTheMatchingMembersIncludingNestedOnes() {
        ExceptionGroup nested = new ExceptionGroup("nested", List.of(argument, io));
        ExceptionGroup eg = new ExceptionGroup("top", List.of(state, nested));
        ExceptionGroup sub = eg.subgroup(e -> e instanceof IllegalStateException || e instanceof IllegalArgumentException);
        assertEquals("top", sub.message());
        assertSame(state, sub.exceptions().get(0));
        ExceptionGroup nestedSub = (ExceptionGroup) sub.exceptions().get(1);
        assertEquals("nested", nestedSub.message());
        assertEquals(List.of(argument), nestedSub.exceptions());
        assertEquals(List.of(io), ((ExceptionGroup) eg.subgroup(IOException.class).exceptions().get(0)).exceptions());
        assertNull(eg.subgroup(ArithmeticException.class));
    }

    @Test
    void groupsAreRuntimeExceptionsSoThatTypeMatchesWholeNestedGroups() {
        ExceptionGroup nested = new ExceptionGroup("nested", List.of(argument, io));
        ExceptionGroup eg = new ExceptionGroup("top", List.of(state, nested));
        assertSame(eg, eg.subgroup(RuntimeException.class));
    }

    @Test
    void subgroupReturnsTheGroupItselfWhenEverythingMatches() {
        ExceptionGroup eg = new ExceptionGroup("top", List.of(state, argument));
        assertSame(eg, eg.subgroup(RuntimeException.class));
        assertSame(eg, eg.subgroup(ExceptionGroup.class));
        assertSame(eg, eg.subgroup(e -> e.getMessage() != null));
    }

    @Test
    void subgroupByPredicate() {
        ExceptionGroup eg = new ExceptionGroup("top", List.of(io, state, argument));
        ExceptionGroup sub = eg.subgroup(e -> "state".equals(e.getMessage()));
        assertEquals(List.of(state), sub.exceptions());
    }

    @Test
    void splitSeparatesMatchingAndRestKeepingTheNesting() {
        ExceptionGroup nested = new ExceptionGroup("nested", List.of(argument, io));
        ExceptionGroup eg = new ExceptionGroup("top", List.of(state, nested));
        ExceptionGroup.Split s = eg.split(IOException.class);
        assertEquals(1, s.match().exceptions().size());
        ExceptionGroup matchNested = (ExceptionGroup) s.match().exceptions().get(0);
        assertEquals(List.of(io), matchNested.exceptions());
        assertSame(state, s.rest().exceptions().get(0));
        assertEquals(List.of(argument), ((ExceptionGroup) s.rest().exceptions().get(1)).exceptions());
    }

    @Test
    void splitWithNoMatchOrAllMatchingLeavesOneSideNull() {
        ExceptionGroup eg = new ExceptionGroup("top", List.of(state, argument));
        ExceptionGroup.Split none = eg.split(IOException.class);
        assertNull(none.match());
        assertEquals(List.of(state, argument), none.rest().exceptions());
        ExceptionGroup.Split whole = eg.split(ExceptionGroup.class);
        assertSame(eg, whole.match());
        assertNull(whole.rest());
        ExceptionGroup.Split all = eg.split(RuntimeException.class);
        assertEquals(List.of(state, argument), all.match().exceptions());
        assertNull(all.rest());
    }

    @Test
    void derivedGroupsKeepTheStackTraceCauseAndSuppressedExceptions() {
        ExceptionGroup eg = new ExceptionGroup("top", List.of(io, state));
        IOException cause = new IOException("cause");
        eg.initCause(cause);
        IllegalStateException note = new IllegalStateException("note");
        eg.addSuppressed(note);
        ExceptionGroup sub = eg.subgroup(IOException.class);
        assertArrayEquals(eg.getStackTrace(), sub.getStackTrace());
        assertSame(cause, sub.getCause());
        assertArrayEquals(new Throwable[] {note}, sub.getSuppressed());
    }

    @Test
    void subclassesDeriveTheirOwnType() {
        class Custom extends ExceptionGroup {
            private static final long serialVersionUID = 1L;

            Custom(List<? extends Throwable> exceptions) {
                super("custom", exceptions);
            }

            @Override
            public ExceptionGroup derive(List<? extends Throwable> exceptions) {
                return new Custom(exceptions);
            }
        }
        Custom eg = new Custom(List.of(io, state));
        assertInstanceOf(Custom.class, eg.subgroup(IOException.class));
        assertInstanceOf(Custom.class, eg.split(IOException.class).rest());
    }

    @Test
    void toStringListsEveryMember() {
        ExceptionGroup eg = new ExceptionGroup("unhandled errors in a TaskGroup", List.of(io, state));
        assertEquals("io.jasyncio.ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions) "
                + "[java.io.IOException: disk, java.lang.IllegalStateException: state]", eg.toString());
    }

    @Test
    void stackTraceListsEachMemberNumberedAndIndented() {
        ExceptionGroup nested = new ExceptionGroup("nested", List.of(argument));
        ExceptionGroup eg = new ExceptionGroup("top", List.of(io, nested));
        StringWriter out = new StringWriter();
        eg.printStackTrace(new PrintWriter(out, true));
        String trace = out.toString();
        assertTrue(trace.startsWith("io.jasyncio.ExceptionGroup: top (2 sub-exceptions)"), trace);
        assertTrue(trace.contains("  +-+---------------- 1 ----------------\n    | java.io.IOException: disk\n"), trace);
        assertTrue(trace.contains("    +---------------- 2 ----------------\n    | io.jasyncio.ExceptionGroup: nested (1 sub-exception)"), trace);
        assertTrue(trace.contains("    |   +-+---------------- 1 ----------------\n    |     | java.lang.IllegalArgumentException: argument"), trace);
        assertTrue(trace.contains("\tat io.jasyncio.ExceptionGroupTest"), trace);
        assertTrue(trace.endsWith("    +------------------------------------\n"), trace);
    }
}
