package dev.canonic.validation;

import dev.canonic.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** PNG figures for validation reports (XChart, headless). */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {
        new Color(68, 1, 84), new Color(72, 40, 120), new Color(62, 74, 137), new Color(49, 104, 142),
        new Color(38, 130, 142), new Color(31, 158, 137), new Color(53, 183, 121), new Color(109, 205, 89),
        new Color(180, 222, 44), new Color(253, 231, 37)};

    private Plots() {
    }

    /** A new chart with the report's style. */
    public static XYChart chart(String title, String xLabel, String yLabel, boolean logY) {
        XYChart c = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setLegendVisible(true);
        c.getStyler().setMarkerSize(4);
        return c;
    }

    /** Adds a line series (no markers). */
    public static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
    }

    /** Adds a scatter series (markers only). */
    public static void points(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /** Scatter of (x, y) coloured by value in ten equal bins between its minimum and maximum. */
    public static XYChart coloured(String title, String xLabel, String yLabel, double[] x, double[] y, double[] value, String valueName) {
        XYChart c = chart(title, xLabel, yLabel, false);
        c.getStyler().setMarkerSize(3);
        double lo = Arrays.stream(value).min().orElse(0), hi = Arrays.stream(value).max().orElse(1);
        int bins = PALETTE.length;
        for (int b = 0; b < bins; b++) {
            int n = 0;
            for (double v : value) if (bin(v, lo, hi, bins) == b) n++;
            if (n == 0) continue;
            double[] bx = new double[n], by = new double[n];
            int k = 0;
            for (int i = 0; i < value.length; i++) {
                if (bin(value[i], lo, hi, bins) == b) {
                    bx[k] = x[i];
                    by[k++] = y[i];
                }
            }
            double a = lo + (hi - lo) * b / bins, z = lo + (hi - lo) * (b + 1) / bins;
            XYSeries s = c.addSeries(String.format("%s %.3g–%.3g", valueName, a, z), bx, by);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(PALETTE[b]);
        }
        return c;
    }

    private static int bin(double v, double lo, double hi, int bins) {
        if (hi <= lo) return 0;
        return Math.min(bins - 1, Math.max(0, (int) ((v - lo) / (hi - lo) * bins)));
    }

    /** Writes the chart as a PNG atomically. */
    public static void save(XYChart c, Path png) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }

    /** Replaces values ≤ 0 (which a log axis cannot show) by a small floor. */
    public static double[] positive(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) if (!(o[i] > 1e-300)) o[i] = 1e-300;
        return o;
    }
}
