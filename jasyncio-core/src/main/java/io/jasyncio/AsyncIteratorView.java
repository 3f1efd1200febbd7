package io.jasyncio;

import java.util.Iterator;

/** The {@link Iterator} face of an {@link AsyncIterator}: one value of look-ahead, fetched by hasNext(). */
final class AsyncIteratorView<T> implements Iterator<T> {
    private final AsyncIterator<T> source;
    private T next;
    private boolean fetched;
    private boolean exhausted;

    AsyncIteratorView(AsyncIterator<T> source) {
        this.source = source;
    }

    @Override
    public boolean hasNext() {
        if (fetched) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        try {
            next = source.anext();
            fetched = true;
            return true;
        } catch (StopAsyncIteration end) {
            exhausted = true;
            return false;
        } catch (Exception e) {
            throw Throwables.rethrow(e);
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new StopAsyncIteration();
        }
        T value = next;
        next = null;
        fetched = false;
        return value;
    }
}
