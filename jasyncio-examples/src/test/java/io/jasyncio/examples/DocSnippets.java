package io.jasyncio.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java code blocks of a Markdown file. The fence's info string says how the test suite runs
 * each block:
 * <ul>
 * <li>{@code ```java} — statements, run as the body of a main task on a fresh loop;</li>
 * <li>{@code ```java members} — static methods, fields or types shared by every block of the file;</li>
 * <li>{@code ```java class} — a whole compilation unit; its {@code main} is run if it has one.</li>
 * </ul>
 * A {@code peer=echo} attribute starts an echo server for the block, and the port {@code 8888} in
 * the block is replaced by the server's port; {@code peer=redis} starts a redis-server, and the
 * port {@code 6379} is replaced by its port. {@code clock=real} runs the block on the real clock
 * instead of the virtual one.
 *
 * <p>A block followed by a {@code ```output} block (blank lines between them allowed) must print
 * exactly that text to {@code System.out} (a {@code \r\n} it prints counts as a line break); the
 * output block is how the docs show results.
 */
record DocSnippets(Path file, List<Block> blocks) {

    enum Kind { STATEMENTS, MEMBERS, CLASS }

    record Block(Path file, int line, Kind kind, String code, String peer, boolean realClock, String expectedOutput) {
        String label() {
            return file.getFileName() + ":" + line;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```java\\b(.*)$");
    private static final Pattern PEER = Pattern.compile("\\bpeer=(\\w+)");

    static DocSnippets parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String info = m.group(1).trim();
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            i++;
            while (i < lines.size() && !lines.get(i).startsWith("```")) {
                code.append(lines.get(i)).append('\n');
                i++;
            }
            if (i == lines.size()) {
                throw new IllegalStateException(file + ":" + start + ": unterminated code block");
            }
            Kind kind = info.contains("members") ? Kind.MEMBERS : info.contains("class") ? Kind.CLASS : Kind.STATEMENTS;
            Matcher peer = PEER.matcher(info);
            String output = outputAfter(lines, i + 1);
            blocks.add(new Block(file, start, kind, code.toString(), peer.find() ? peer.group(1) : null,
                    info.contains("clock=real"), output));
        }
        return new DocSnippets(file, blocks);
    }

    /** The text of a {@code ```output} block starting at or after blank lines from {@code from}, or null. */
    private static String outputAfter(List<String> lines, int from) {
        int i = from;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i == lines.size() || !lines.get(i).equals("```output")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    /** The {@code members} blocks of this file, joined. */
    String members() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            if (b.kind() == Kind.MEMBERS) {
                sb.append(b.code());
            }
        }
        return sb.toString();
    }
}
