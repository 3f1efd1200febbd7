package io.jasyncio.subprocess;

import io.jasyncio.net.StreamReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The keyword arguments of asyncio's {@code create_subprocess_exec}, {@code create_subprocess_shell},
 * {@code loop.subprocess_exec} and {@code loop.subprocess_shell}. Start from {@link #DEFAULT}
 * (every stream inherited, as {@code create_subprocess_exec} does) or {@link #PIPES} (every
 * stream a pipe, as {@code loop.subprocess_exec} does) and use the {@code with...} methods:
 *
 * <pre>{@code
 * SubprocessOptions.DEFAULT.withStdout(Stdio.PIPE).withStderr(Stdio.STDOUT).withCwd(Path.of("/tmp"))
 * }</pre>
 *
 * @param stdin where the child's stdin comes from; never {@link Stdio#STDOUT}
 * @param stdout where the child's stdout goes; never {@link Stdio#STDOUT}
 * @param stderr where the child's stderr goes; {@link Stdio#STDOUT} sends it with stdout
 * @param cwd the child's working directory; null for this process's
 * @param env the child's whole environment (it replaces this process's, as in Python); null to
 *     inherit this process's
 * @param limit the limit of the {@link StreamReader}s of a {@link Subprocess}'s stdout and stderr
 *     (asyncio's {@code limit}, 64 KiB by default); the low-level {@code subprocessExec} ignores it
 */
public record SubprocessOptions(Stdio stdin, Stdio stdout, Stdio stderr, Path cwd, Map<String, String> env,
        int limit) {

    /** Every stream inherited: the defaults of {@code create_subprocess_exec} and {@code create_subprocess_shell}. */
    public static final SubprocessOptions DEFAULT = new SubprocessOptions(Stdio.INHERIT, Stdio.INHERIT,
            Stdio.INHERIT, null, null, StreamReader.DEFAULT_LIMIT);

    /** Every stream a pipe: the defaults of {@code loop.subprocess_exec} and {@code loop.subprocess_shell}. */
    public static final SubprocessOptions PIPES = new SubprocessOptions(Stdio.PIPE, Stdio.PIPE, Stdio.PIPE, null,
            null, StreamReader.DEFAULT_LIMIT);

    /**
     * Checks the options and copies {@code env}.
     *
     * @throws NullPointerException if a stream is null, or {@code env} holds a null name or value
     * @throws IllegalArgumentException if stdin or stdout is {@link Stdio#STDOUT}, or {@code limit}
     *     is not positive
     */
    public SubprocessOptions {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (stdin.isStdout()) {
            throw new IllegalArgumentException("stdin cannot be STDOUT: only stderr can be sent to stdout");
        }
        if (stdout.isStdout()) {
            throw new IllegalArgumentException("stdout cannot be STDOUT: only stderr can be sent to stdout");
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        env = env == null ? null : Map.copyOf(env);
    }

    /**
     * These options with {@code stdin} replaced.
     *
     * @throws NullPointerException if {@code stdin} is null
     * @throws IllegalArgumentException if {@code stdin} is {@link Stdio#STDOUT}
     */
    public SubprocessOptions withStdin(Stdio stdin) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }

    /**
     * These options with {@code stdout} replaced.
     *
     * @throws NullPointerException if {@code stdout} is null
     * @throws IllegalArgumentException if {@code stdout} is {@link Stdio#STDOUT}
     */
    public SubprocessOptions withStdout(Stdio stdout) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }

    /**
     * These options with {@code stderr} replaced ({@link Stdio#STDOUT}: to wherever stdout goes).
     *
     * @throws NullPointerException if {@code stderr} is null
     */
    public SubprocessOptions withStderr(Stdio stderr) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }

    /** These options with the working directory replaced (null: this process's). */
    public SubprocessOptions withCwd(Path cwd) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }

    /**
     * These options with the child's environment replaced (null: inherit this process's); the map
     * is copied.
     *
     * @throws NullPointerException if {@code env} holds a null name or value
     */
    public SubprocessOptions withEnv(Map<String, String> env) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }

    /**
     * These options with the readers' limit replaced.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public SubprocessOptions withLimit(int limit) {
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, limit);
    }
}
