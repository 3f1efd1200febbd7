package io.jasyncio.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

    @TempDir
    Path dir;

    @Test
    void barsAreRelativeToCPythonAsyncioAndAMissingContenderKeepsItsPlace() {
        Outcome missing = Outcome.missing(new Entry(Workload.TASK_SWITCH, Contender.UVLOOP, Contender.Api.NONE), "not here");
        Report report = ReportTest.report(Settings.parse(new String[] {"--only", "switch"}), Map.of(Contender.UVLOOP, "not here"),
                List.of(ReportTest.rates(Workload.TASK_SWITCH, Contender.JASYNCIO, 8e6),
                        ReportTest.rates(Workload.TASK_SWITCH, Contender.ASYNCIO, 1e6), missing));
        Chart.Group group = Chart.groups(report).getFirst();
        assertEquals(Contender.ASYNCIO.label, group.baseline());
        assertEquals(List.of(Contender.JASYNCIO, Contender.ASYNCIO, Contender.UVLOOP),
                group.bars().stream().map(Chart.Bar::contender).toList());
        assertEquals(8.0, group.bars().get(0).ratio(), 1e-9);
        assertEquals(8.0, group.bars().get(0).cpuRatio(), 1e-9);
        assertEquals("missing", group.bars().get(2).absence());
    }

    @Test
    void theAxisSpansWholeDecadesAroundEveryFiniteRatioOfEitherKindAndOne() {
        List<Chart.Group> groups = List.of(new Chart.Group("g", "b", List.of(
                new Chart.Bar(Contender.JASYNCIO, 230, 1500, null), new Chart.Bar(Contender.JASYNCIO_VT, 0.04, 0.5, null),
                new Chart.Bar(Contender.UVLOOP, Double.NaN, Double.NaN, "missing"),
                new Chart.Bar(Contender.THREADS, Double.POSITIVE_INFINITY, 0, null))));
        assertArrayEquals(new double[] {-2, 4}, Chart.logRange(groups));
    }

    @Test
    void writesAPngOfTheDeclaredSize() throws Exception {
        Report report = ReportTest.report(Settings.parse(new String[] {"--only", "switch"}), Map.of(),
                List.of(ReportTest.rates(Workload.TASK_SWITCH, Contender.JASYNCIO, 8e6),
                        ReportTest.rates(Workload.TASK_SWITCH, Contender.ASYNCIO, 1e6)));
        Path png = dir.resolve("chart.png");
        Chart.write(report, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Chart.WIDTH, image.getWidth());
        assertEquals(Chart.HEIGHT, image.getHeight());
        // Something was drawn on the white page: the jasyncio bar's colour is in the plot.
        int jasyncio = java.awt.Color.decode(Contender.JASYNCIO.colour).getRGB();
        boolean found = false;
        for (int x = 0; x < image.getWidth() && !found; x++) {
            for (int y = 140; y < image.getHeight() - 130 && !found; y++) {
                found = image.getRGB(x, y) == jasyncio;
            }
        }
        assertTrue(found, "no jasyncio bar in the plot");
        assertNotEquals(java.awt.Color.WHITE.getRGB(), image.getRGB(Chart.WIDTH / 2, Chart.HEIGHT - 121));
    }
}
