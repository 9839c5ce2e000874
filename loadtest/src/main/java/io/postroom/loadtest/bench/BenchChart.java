package io.postroom.loadtest.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmark's picture: messages per second over each sender's run, and its latency percentiles. */
final class BenchChart {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 480;

  private BenchChart() {
  }

  static Path write(List<SenderResult> results, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection throughput = new XYSeriesCollection();
    DefaultCategoryDataset latency = new DefaultCategoryDataset();
    for (SenderResult result : results) {
      XYSeries series = new XYSeries(result.name());
      List<Long> perSecond = result.perSecond();
      for (int second = 0; second < perSecond.size(); second++) {
        series.add(second, perSecond.get(second));
      }
      throughput.addSeries(series);
      String[] names = {"p50", "p95", "p99"};
      for (int i = 0; i < names.length; i++) {
        latency.addValue(Math.max(0.1, result.latencyMillis()[i]), names[i], result.name());
      }
    }
    JFreeChart overTime = ChartFactory.createXYLineChart("Messages per second over the run", "second of the run",
        "messages accepted by the sink per second", throughput, PlotOrientation.VERTICAL, true, false, false);
    JFreeChart percentiles = ChartFactory.createBarChart("Latency percentiles (dispatcher: publish to SENT, backlog"
        + " included; baselines: hand-over to 250)", "sender", "milliseconds (log scale)", latency,
        PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = percentiles.getCategoryPlot();
    LogAxis axis = new LogAxis("milliseconds (log scale)");
    axis.setSmallestValue(0.1);
    plot.setRangeAxis(axis);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT * 2, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, WIDTH, HEIGHT * 2);
    overTime.draw(graphics, new java.awt.geom.Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    percentiles.draw(graphics, new java.awt.geom.Rectangle2D.Double(0, HEIGHT, WIDTH, HEIGHT));
    graphics.dispose();
    ImageIO.write(image, "png", file.toFile());
    return file;
  }
}
