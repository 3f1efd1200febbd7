package io.jasyncio;

/**
 * Something the loop can put in its ready queue. Handles, task steps and future callbacks extend
 * it, so waking a task allocates nothing. An abstract class rather than an interface so that
 * {@link #runReady()} stays package-private: {@link Handle}, a public type, must not let
 * application code run it out of turn.
 */
abstract class Ready {

    /** Runs this entry on the loop thread. Never throws: errors go to the exception handler. */
    abstract void runReady();
}
