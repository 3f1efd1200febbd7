package io.jasyncio;

/**
 * Something the loop can put in its ready queue. Handles, tasks (their next step) and future
 * callbacks implement it, so waking a task allocates nothing.
 */
interface Ready {

    /** Runs this entry on the loop thread. Never throws: errors go to the exception handler. */
    void runReady();
}
