package io.jasyncio.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the comparison as a PNG bar chart with Java2D, headless: one group of bars per workload
 * (and API), one bar per contender, the bar's height its speed relative to the group's baseline
 * (CPython asyncio when it ran) on a logarithmic scale, with a tick at the same ratio by CPU time
 * per operation. A contender that did not run gets a labelled gap, never a silent one.
 */
final class Chart {
    static final int WIDTH = 1600;
    static final int HEIGHT = 820;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 130;
    private static final int BOTTOM = 120;
    private static final Color GRID = new Color(0xdddddd);
    private static final Color INK = new Color(0x222222);

    private Chart() {
    }

    /**
     * One bar: its contender, its speed relative to the group's baseline by wall-clock throughput
     * and by CPU time per operation (NaN: not run, with {@code absence}).
     */
    record Bar(Contender contender, double ratio, double cpuRatio, String absence) {
    }

    /** One group: a row of the report with its bars. */
    record Group(String label, String baseline, List<Bar> bars) {
    }

    /** The groups of {@code report}, in row order. */
    static List<Group> groups(Report report) {
        List<Group> groups = new ArrayList<>();
        for (Report.Row row : report.rows()) {
            Outcome base = report.baseline(row);
            List<Bar> bars = new ArrayList<>();
            for (Contender c : Contender.values()) {
                Outcome o = report.find(row, c);
                if (o != null) {
                    double cpu = o.ok() && base != null ? Report.cpuRatio(base, o) : Double.NaN;
                    bars.add(new Bar(c, Report.ratio(o, base), cpu, o.ok() ? null : o.missing() != null ? "missing" : "failed"));
                }
            }
            groups.add(new Group(row.label(), base == null ? "none" : base.entry().contender().label, bars));
        }
        return groups;
    }

    /** Renders the chart of {@code report} to {@code file} as PNG. */
    static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = render(report.quick(), Compare.isoDate(report.date()), groups(report));
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    static BufferedImage render(boolean quick, String date, List<Group> groups) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawTitle(g, quick, date);
            drawLegend(g);
            double[] range = logRange(groups);
            drawAxis(g, range);
            drawGroups(g, groups, range);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawTitle(Graphics2D g, boolean quick, String date) {
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("jasyncio and its peers: speed relative to CPython asyncio (log scale, higher is better)", LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("Bars: median throughput (workload 7: inverse of p99 latency). Black tick: the same ratio by CPU time per "
                + "operation. TCP groups: same API as asyncio. " + date + (quick ? "  (QUICK smoke run, not for the record)" : ""),
                LEFT, 52);
    }

    private static void drawLegend(Graphics2D g) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        int y = 78;
        for (Contender c : Contender.values()) {
            int w = 18 + fm.stringWidth(c.label) + 22;
            if (x + w > WIDTH - RIGHT) {
                x = LEFT;
                y += 22;
            }
            g.setColor(Color.decode(c.colour));
            g.fillRect(x, y - 11, 12, 12);
            g.setColor(INK);
            g.drawString(c.label, x + 18, y);
            x += w;
        }
    }

    /** log10 of the lowest and highest value on the axis: whole decades around every ratio and 1. */
    static double[] logRange(List<Group> groups) {
        double lo = 0;
        double hi = 0;
        for (Group gr : groups) {
            for (Bar b : gr.bars()) {
                for (double r : new double[] {b.ratio(), b.cpuRatio()}) {
                    if (Double.isFinite(r) && r > 0) {
                        lo = Math.min(lo, Math.log10(r));
                        hi = Math.max(hi, Math.log10(r));
                    }
                }
            }
        }
        return new double[] {Math.floor(lo - 0.05), Math.max(1, Math.ceil(hi + 0.05))};
    }

    private static int yOf(double ratio, double[] range) {
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double f = (Math.log10(ratio) - range[0]) / (range[1] - range[0]);
        return (int) Math.round(HEIGHT - BOTTOM - f * plotHeight);
    }

    private static void drawAxis(Graphics2D g, double[] range) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int decade = (int) range[0]; decade <= (int) range[1]; decade++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, decade);
                if (Math.log10(v) > range[1] + 1e-9) {
                    break;
                }
                int y = yOf(v, range);
                g.setColor(m == 1 ? GRID.darker() : GRID);
                g.drawLine(LEFT, y, WIDTH - RIGHT, y);
                g.setColor(INK);
                String label = v >= 1 ? String.format(Locale.ROOT, "%.0f×", v) : String.format(Locale.ROOT, "%s×", (float) v);
                g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            }
        }
        g.setColor(INK);
        g.setStroke(new BasicStroke(2));
        int one = yOf(1, range);
        g.drawLine(LEFT, one, WIDTH - RIGHT, one);
        g.setStroke(new BasicStroke(1));
    }

    private static void drawGroups(Graphics2D g, List<Group> groups, double[] range) {
        if (groups.isEmpty()) {
            return;
        }
        double groupWidth = (double) (WIDTH - LEFT - RIGHT) / groups.size();
        int bottom = HEIGHT - BOTTOM;
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font label = new Font(Font.SANS_SERIF, Font.BOLD, 12);
        for (int i = 0; i < groups.size(); i++) {
            Group gr = groups.get(i);
            double x0 = LEFT + i * groupWidth + groupWidth * 0.08;
            double barWidth = groupWidth * 0.84 / Math.max(1, gr.bars().size());
            for (int b = 0; b < gr.bars().size(); b++) {
                Bar bar = gr.bars().get(b);
                int x = (int) Math.round(x0 + b * barWidth);
                int w = Math.max(2, (int) Math.floor(barWidth) - 2);
                String text;
                int textY;
                if (Double.isNaN(bar.ratio())) {
                    text = bar.absence() == null ? "n/a" : bar.absence();
                    textY = bottom - 4;
                } else {
                    int y = yOf(bar.ratio(), range);
                    g.setColor(Color.decode(bar.contender().colour));
                    g.fillRect(x, y, w, bottom - y);
                    text = Report.times(bar.ratio());
                    textY = y - 4;
                    if (!Double.isNaN(bar.cpuRatio())) {
                        int cy = yOf(bar.cpuRatio(), range);
                        g.setColor(INK);
                        g.setStroke(new BasicStroke(2));
                        g.drawLine(x - 1, cy, x + w, cy);
                        g.setStroke(new BasicStroke(1));
                        textY = Math.min(textY, cy - 4);
                    }
                }
                g.setColor(INK);
                g.setFont(small);
                drawVertical(g, text, x + w / 2 + 4, textY);
            }
            g.setFont(label);
            drawWrapped(g, gr.label(), (int) (LEFT + i * groupWidth), (int) groupWidth, bottom + 18);
            g.setFont(small);
            g.setColor(Color.GRAY);
            drawWrapped(g, "1× = " + gr.baseline(), (int) (LEFT + i * groupWidth), (int) groupWidth, bottom + 66);
        }
    }

    private static void drawVertical(Graphics2D g, String text, int x, int y) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x, y);
        g.drawString(text, x, y);
        g.setTransform(saved);
    }

    /** Centres {@code text} in a column of {@code width} pixels, breaking it at spaces. */
    private static void drawWrapped(Graphics2D g, String text, int x, int width, int y) {
        FontMetrics fm = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && fm.stringWidth(line + " " + word) > width - 6) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            g.drawString(l, x + (width - fm.stringWidth(l)) / 2, y + i * fm.getHeight());
        }
    }
}
