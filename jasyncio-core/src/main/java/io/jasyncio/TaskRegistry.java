package io.jasyncio;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending tasks of one loop, held weakly as asyncio's {@code _scheduled_tasks} WeakSet: a
 * task nobody can ever wake is garbage, and the loop reports it as "Task was destroyed but it is
 * pending!". One weak entry per task serves both {@code allTasks()} and that report.
 */
final class TaskRegistry {
    private final ReferenceQueue<Task<?>> collected = new ReferenceQueue<>();
    private Entry head;

    Entry register(Task<?> task, StackTraceElement[] sourceTraceback) {
        Entry e = new Entry(task, collected, task.id, sourceTraceback);
        e.next = head;
        if (head != null) {
            head.prev = e;
        }
        head = e;
        return e;
    }

    /** The task is done: forget it, and keep the GC from queueing its entry. */
    void finished(Entry e) {
        unlink(e);
        e.clear();
    }

    /** The pending tasks, in no particular order. */
    List<Task<?>> pending() {
        List<Task<?>> out = new ArrayList<>();
        for (Entry e = head; e != null; e = e.next) {
            Task<?> t = e.get();
            if (t != null && !t.done()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Reports tasks that became garbage while pending. Cheap when there are none. */
    void reportDestroyed(EventLoop loop) {
        Entry e;
        while ((e = (Entry) collected.poll()) != null) {
            if (e.linked) {
                unlink(e);
                Map<String, Object> context = new HashMap<>();
                context.put("message", "Task was destroyed but it is pending!");
                context.put("task", e.description());
                if (e.sourceTraceback != null) {
                    context.put("source_traceback", e.sourceTraceback);
                }
                loop.callExceptionHandler(context);
            }
        }
    }

    private void unlink(Entry e) {
        if (!e.linked) {
            return;
        }
        e.linked = false;
        if (e.prev != null) {
            e.prev.next = e.next;
        } else {
            head = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
    }

    static final class Entry extends WeakReference<Task<?>> {
        Entry prev;
        Entry next;
        boolean linked = true;
        private final long id;
        /** The task's name if it was given one; kept current by {@link Task#setName}. */
        String name;
        final StackTraceElement[] sourceTraceback;

        Entry(Task<?> task, ReferenceQueue<Task<?>> queue, long id, StackTraceElement[] sourceTraceback) {
            super(task, queue);
            this.id = id;
            this.name = task.getNameOrNull();
            this.sourceTraceback = sourceTraceback;
        }

        /** How to name the task once it is gone. */
        String description() {
            return "Task[name=" + (name != null ? name : "Task-" + id) + ", pending]";
        }
    }
}
