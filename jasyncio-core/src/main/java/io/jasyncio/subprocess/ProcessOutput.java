package io.jasyncio.subprocess;

import java.util.Arrays;

/**
 * What {@link Subprocess#communicate} read: asyncio's {@code (stdout_data, stderr_data)} tuple.
 * Two outputs are equal when they hold the same bytes.
 *
 * @param stdout everything the child wrote to its stdout, or null if stdout was not a pipe
 * @param stderr everything the child wrote to its stderr, or null if stderr was not a pipe
 */
public record ProcessOutput(byte[] stdout, byte[] stderr) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ProcessOutput p && Arrays.equals(p.stdout, stdout) && Arrays.equals(p.stderr, stderr);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stdout) * 31 + Arrays.hashCode(stderr);
    }

    @Override
    public String toString() {
        return "ProcessOutput[stdout=" + describe(stdout) + ", stderr=" + describe(stderr) + "]";
    }

    private static String describe(byte[] b) {
        return b == null ? "null" : b.length + " bytes";
    }
}
