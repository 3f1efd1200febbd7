package io.jasyncio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ContextVarTest {

    @Test
    void getReturnsTheDefaultWhileUnset() {
        ContextVar<String> var = new ContextVar<>("v", "dflt");
        new Context().run(() -> assertEquals("dflt", var.get()));
    }

    @Test
    void getWithoutValueOrDefaultThrowsNoSuchElementNamingTheVariable() {
        ContextVar<String> var = new ContextVar<>("request_id");
        new Context().run(() -> assertEquals("ContextVar 'request_id' has no value and no default",
                assertThrows(NoSuchElementException.class, var::get).getMessage()));
    }

    @Test
    void getFallbackTakesPrecedenceOverTheDefault() {
        ContextVar<String> var = new ContextVar<>("v", "dflt");
        new Context().run(() -> {
            assertEquals("fallback", var.get("fallback"));
            var.set("set");
            assertEquals("set", var.get("fallback"));
        });
    }

    @Test
    void nullIsAValueNotAnAbsence() {
        ContextVar<String> var = new ContextVar<>("v", "dflt");
        new Context().run(() -> {
            var.set(null);
            assertNull(var.get());
            assertNull(var.get("fallback"));
        });
    }

    @Test
    void setReturnsTokenNamingTheVariableAndTheOldValue() {
        ContextVar<Integer> var = new ContextVar<>("v");
        new Context().run(() -> {
            ContextVar.Token<Integer> first = var.set(1);
            assertSame(var, first.var());
            assertSame(ContextVar.Token.MISSING, first.oldValue());
            ContextVar.Token<Integer> second = var.set(2);
            assertEquals(1, second.oldValue());
            assertEquals("<Token.MISSING>", String.valueOf(ContextVar.Token.MISSING));
        });
    }

    @Test
    void resetRestoresThePreviousValueOrUnsets() {
        ContextVar<Integer> var = new ContextVar<>("v");
        Context ctx = new Context();
        ctx.run(() -> {
            ContextVar.Token<Integer> first = var.set(1);
            ContextVar.Token<Integer> second = var.set(2);
            var.reset(second);
            assertEquals(1, var.get());
            var.reset(first);
            assertThrows(NoSuchElementException.class, var::get);
        });
        assertFalse(ctx.containsKey(var));
    }

    @Test
    void tokenCanBeUsedOnlyOnce() {
        ContextVar<Integer> var = new ContextVar<>("v");
        new Context().run(() -> {
            ContextVar.Token<Integer> token = var.set(1);
            var.reset(token);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> var.reset(token));
            assertEquals("token Token[v, used] has already been used once", e.getMessage());
        });
    }

    @Test
    void tokenOfAnotherVariableIsRejected() {
        ContextVar<Integer> a = new ContextVar<>("a");
        ContextVar<Integer> b = new ContextVar<>("b");
        new Context().run(() -> {
            ContextVar.Token<Integer> token = a.set(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.reset(token));
            assertEquals("token Token[a] was created by a different ContextVar: ContextVar[a]", e.getMessage());
        });
    }

    @Test
    void tokenCreatedInAnotherContextIsRejected() {
        ContextVar<Integer> var = new ContextVar<>("v");
        ContextVar.Token<Integer> token = new Context().run(() -> var.set(1));
        new Context().run(() -> assertEquals("token Token[v] was created in a different Context",
                assertThrows(IllegalArgumentException.class, () -> var.reset(token)).getMessage()));
    }

    @Test
    void closingTheTokenResetsTheVariableLikeAWithBlock() {
        ContextVar<String> var = new ContextVar<>("v", "outer");
        new Context().run(() -> {
            try (var token = var.set("inner")) {
                assertEquals("inner", var.get());
            }
            assertEquals("outer", var.get());
        });
    }

    @Test
    void variablesCompareByIdentityEvenWithEqualNames() {
        ContextVar<Integer> first = new ContextVar<>("same");
        ContextVar<Integer> second = new ContextVar<>("same");
        new Context().run(() -> {
            first.set(1);
            second.set(2);
            assertEquals(1, first.get());
            assertEquals(2, second.get());
        });
    }

    @Test
    void nameAndToStringDescribeTheVariable() {
        assertEquals("request_id", new ContextVar<String>("request_id").name());
        assertEquals("ContextVar[a]", new ContextVar<String>("a").toString());
        assertEquals("ContextVar[a, default=x]", new ContextVar<>("a", "x").toString());
    }

    @Test
    void constructorRejectsNullName() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> new ContextVar<String>(null)).getMessage());
    }
}
