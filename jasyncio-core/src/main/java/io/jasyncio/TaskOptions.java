package io.jasyncio;

/**
 * Per-call options of {@link Asyncio#createTask(AsyncCallable, TaskOptions)}: asyncio's
 * {@code name=}, {@code context=} and {@code eager_start=} keyword arguments. A null field means
 * "not given": the default name ({@code Task-N}), a copy of the current context, and the loop's
 * task factory's choice of start.
 *
 * @param name the task's name, or null for {@code Task-N}
 * @param context the context the task runs in, or null for a copy of the current one
 * @param eagerStart true to run the task synchronously until its first suspension, false to
 *     schedule it, null to let the task factory decide
 */
public record TaskOptions(String name, Context context, Boolean eagerStart) {

    /** No options given. */
    public static final TaskOptions DEFAULT = new TaskOptions(null, null, null);

    /** Options with only a name. */
    public static TaskOptions named(String name) {
        return new TaskOptions(name, null, null);
    }

    /** These options with {@code name} replaced. */
    public TaskOptions withName(String name) {
        return new TaskOptions(name, context, eagerStart);
    }

    /** These options with {@code context} replaced. */
    public TaskOptions withContext(Context context) {
        return new TaskOptions(name, context, eagerStart);
    }

    /** These options with {@code eagerStart} replaced. */
    public TaskOptions withEagerStart(Boolean eagerStart) {
        return new TaskOptions(name, context, eagerStart);
    }
}
