package io.jasyncio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The {@code python3} on the PATH that benchmarks run CPython's side on, and their scripts. */
public final class Python {
    private Python() {
    }

    /** What {@code python3 --version} prints, or null when there is no working {@code python3}. */
    public static String version() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? version : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Copies the script {@code name}, a resource next to {@code owner} in the benchmark jar, to a
     * temporary file deleted when the JVM exits, and returns the file.
     */
    public static Path extractScript(Class<?> owner, String name) throws IOException {
        Path file = Files.createTempFile(name.replace(".py", ""), ".py");
        file.toFile().deleteOnExit();
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the benchmark jar");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
