package io.jasyncio;

/**
 * The context manager made by {@link Asyncio#asyncContextManager}: Python's
 * {@code contextlib._AsyncGeneratorContextManager}. The generator's single yield separates entering
 * from leaving; the block's exception is raised at that yield.
 */
final class GeneratorContextManager<T> implements AsyncContextManager<T> {
    private final AsyncGenerator<T> generator;

    GeneratorContextManager(AsyncGenerator.Body<T> body) {
        this.generator = new AsyncGenerator<>(body);
    }

    @Override
    public T aenter() {
        try {
            return generator.anext();
        } catch (StopAsyncIteration e) {
            throw new IllegalStateException("generator didn't yield");
        }
    }

    @Override
    public boolean aexit(Throwable exception) {
        if (exception == null) {
            try {
                generator.anext();
            } catch (StopAsyncIteration e) {
                return false;
            }
            try {
                throw new IllegalStateException("generator didn't stop");
            } finally {
                generator.aclose();
            }
        }
        try {
            generator.athrow(exception);
        } catch (StopAsyncIteration e) {
            // The generator swallowed the exception: suppress it, unless the exception was itself
            // a StopAsyncIteration the generator let through.
            return e != exception;
        } catch (IllegalStateException e) {
            if (e == exception) {
                return false;
            }
            // A StopAsyncIteration thrown in and escaping the body comes back wrapped (Python's
            // RuntimeError from StopAsyncIteration): it is still the block's own exception.
            if (exception instanceof StopAsyncIteration && e.getCause() == exception) {
                return false;
            }
            throw e;
        } catch (Throwable e) {
            if (e != exception) {
                throw e;
            }
            return false;
        }
        try {
            throw new IllegalStateException("generator didn't stop after athrow()");
        } finally {
            generator.aclose();
        }
    }
}
