package io.switchboard.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML report: tables and inline SVG charts drawn here, nothing fetched. */
final class Report {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
            "#7f7f7f", "#bcbd22"};
    private static final int W = 760;
    private static final int H = 300;
    private static final int L = 60;
    private static final int R = 20;
    private static final int T = 20;
    private static final int B = 40;

    private Report() {
    }

    public static void main(String[] argv) throws Exception {
        JsonObject s = new JsonObject(Files.readString(Path.of(argv[0])));
        String out = argv.length > 1 ? argv[1] : argv[0].replaceAll("\\.json$", "") + ".html";
        Files.writeString(Path.of(out), html(s));
        System.out.println(out);
    }

    record Series(String name, List<double[]> points) {
    }

    private static String esc(Object o) {
        return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String head(String title) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}"
                + "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.pass{color:#080}.fail{color:#b00}"
                + "svg{background:#fff;border:1px solid #ddd;margin:6px 0}code{background:#f3f3f3;padding:1px 3px}"
                + "</style></head><body>";
    }

    static String html(JsonObject s) {
        StringBuilder h = new StringBuilder(head("Switchboard load test: " + s.getString("run")));
        h.append("<h1>").append(esc(s.getString("scenario"))).append(" against ").append(esc(s.getString("target"))).append("</h1>");
        h.append("<p>Run <code>").append(esc(s.getString("run"))).append("</code>, parameters <code>")
                .append(esc(s.getJsonObject("params").encode())).append("</code></p>");
        String verdict = s.getString("verdict", "");
        h.append("<p class=\"").append(verdict.startsWith("PASS") ? "pass" : "fail").append("\"><b>").append(esc(verdict)).append("</b></p>");
        h.append("<table><tr><th>figure</th><th>value</th></tr>");
        for (String k : List.of("connections", "customers", "agents", "teamSize", "generatorProcesses", "intendedRate", "achievedRate", "sent",
                "acked", "delivered", "lost", "duplicated", "errors", "mainMeasure", "p50Ms", "p99Ms", "p999Ms", "maxMs", "serverCpuSecPerMsg",
                "serverProcessCpuSecPerMsg", "serverBytesPerConnection", "serverRssBytesPerConnection", "serverDirectBytesPerConnection")) {
            h.append("<tr><td>").append(k).append("</td><td>").append(esc(s.getValue(k))).append("</td></tr>");
        }
        h.append("</table>");
        if (!s.getJsonObject("errorsByCode", new JsonObject()).isEmpty()) {
            h.append("<h3>Errors by code</h3><pre>").append(esc(s.getJsonObject("errorsByCode").encodePrettily())).append("</pre><pre>")
                    .append(esc(s.getJsonObject("errorSamples", new JsonObject()).encodePrettily())).append("</pre>");
        }
        h.append("<h2>Latency by measure (ms, from the intended send time)</h2>").append(measureTable(s.getJsonObject("measures")));

        JsonArray tl = s.getJsonArray("timeline", new JsonArray());
        List<double[]> p50 = new ArrayList<>(), p99 = new ArrayList<>(), mx = new ArrayList<>(), sent = new ArrayList<>(), del = new ArrayList<>(),
                open = new ArrayList<>();
        for (int i = 0; i < tl.size(); i++) {
            JsonObject o = tl.getJsonObject(i);
            double t = o.getDouble("t");
            if (o.getValue("p50Ms") != null) {
                p50.add(new double[]{t, o.getDouble("p50Ms")});
                p99.add(new double[]{t, o.getDouble("p99Ms")});
                mx.add(new double[]{t, o.getDouble("maxMs")});
            }
            sent.add(new double[]{t, o.getDouble("sent")});
            del.add(new double[]{t, o.getDouble("delivered")});
            open.add(new double[]{t, o.getDouble("open")});
        }
        String m = s.getString("mainMeasure");
        h.append("<h2>Latency over time (").append(esc(m)).append(", per second)</h2>");
        h.append(lineChart(List.of(new Series("p50", p50), new Series("p99", p99), new Series("max", mx)), "seconds since start", "ms", false));
        h.append("<h2>Throughput over time</h2>");
        h.append(lineChart(List.of(new Series("sent/s", sent), new Series("delivered/s", del)), "seconds since start", "per second", false));
        h.append("<h2>Open sockets</h2>").append(lineChart(List.of(new Series("open", open)), "seconds since start", "sockets", false));
        h.append("<h2>Percentile distribution</h2>");
        List<Series> ds = new ArrayList<>();
        JsonObject dists = s.getJsonObject("distributions", new JsonObject());
        for (String k : dists.fieldNames()) {
            ds.add(new Series(k, distPoints(dists.getJsonArray(k))));
        }
        h.append(percentileChart(ds));
        h.append("<h2>Server</h2><pre>").append(esc(s.getJsonObject("server", new JsonObject()).encodePrettily())).append("</pre>");
        h.append("<h2>Counts</h2><pre>").append(esc(s.getJsonObject("counts", new JsonObject()).encodePrettily())).append("</pre>");
        h.append("</body></html>");
        return h.toString();
    }

    static String compareHtml(JsonObject cmp, Map<String, List<JsonObject>> byTarget) {
        StringBuilder h = new StringBuilder(head("Switchboard compare: " + cmp.getString("scenario")));
        h.append("<h1>").append(esc(cmp.getString("scenario"))).append(": Switchboard against its baselines</h1>");
        h.append("<p>").append(cmp.getInteger("rounds")).append(" alternating rounds per target, parameters <code>")
                .append(esc(cmp.getJsonObject("params").encode())).append("</code></p>");
        h.append("<table><tr><th>target</th><th>intended/s</th><th>achieved/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th>"
                + "<th>lost</th><th>dup</th><th>errors</th><th>server CPU µs/msg</th><th>heap B/conn</th></tr>");
        JsonObject targets = cmp.getJsonObject("targets");
        List<Series> ds = new ArrayList<>();
        for (String t : targets.fieldNames()) {
            JsonObject m = targets.getJsonObject(t);
            Double cpu = m.getDouble("serverCpuSecPerMsg");
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.0f</td><td>%.1f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>",
                    esc(t), m.getDouble("intendedRate"), m.getDouble("achievedRate"), m.getValue("p50Ms"), m.getValue("p99Ms"), m.getValue("p999Ms"),
                    m.getValue("maxMs"), m.getLong("lost"), m.getLong("duplicated"), m.getLong("errors"),
                    cpu == null ? "-" : String.format(Locale.ROOT, "%.1f", cpu * 1e6), esc(m.getValue("serverBytesPerConnection"))));
            ds.add(new Series(t, distPoints(m.getJsonArray("distribution"))));
        }
        h.append("</table>");
        if (cmp.containsKey("ratios")) {
            h.append("<h2>Ratios (Switchboard / baseline)</h2><pre>").append(esc(cmp.getJsonObject("ratios").encodePrettily())).append("</pre>");
        }
        h.append("<h2>Percentile distribution of the main measure, all rounds</h2>").append(percentileChart(ds));
        h.append("<h2>Per-second p99 in each round</h2>");
        List<Series> p99 = new ArrayList<>();
        for (var e : byTarget.entrySet()) {
            for (JsonObject s : e.getValue()) {
                List<double[]> pts = new ArrayList<>();
                JsonArray tl = s.getJsonArray("timeline");
                for (int i = 0; i < tl.size(); i++) {
                    JsonObject o = tl.getJsonObject(i);
                    if (o.getValue("p99Ms") != null) {
                        pts.add(new double[]{o.getDouble("t"), o.getDouble("p99Ms")});
                    }
                }
                p99.add(new Series(e.getKey() + " r" + s.getInteger("round", 0), pts));
            }
        }
        h.append(lineChart(p99, "seconds since the round's start", "p99 ms", false));
        h.append("<h2>Rounds</h2><ul>");
        for (var e : byTarget.entrySet()) {
            for (JsonObject s : e.getValue()) {
                h.append("<li><a href=\"").append(esc(s.getString("run"))).append(".html\">").append(esc(s.getString("run"))).append("</a> ")
                        .append(esc(s.getString("verdict"))).append("</li>");
            }
        }
        h.append("</ul></body></html>");
        return h.toString();
    }

    private static String measureTable(JsonObject ms) {
        StringBuilder h = new StringBuilder("<table><tr><th>measure</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>");
        for (String k : ms.fieldNames()) {
            JsonObject m = ms.getJsonObject(k);
            h.append("<tr><td>").append(esc(k)).append("</td>");
            for (String f : List.of("count", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "meanMs")) {
                h.append("<td>").append(esc(m.getValue(f))).append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    /** Percentile p becomes x = log10(1 / (1 - p/100)): 0 at p0, 1 at p90, 2 at p99, 3 at p99.9 … */
    private static List<double[]> distPoints(JsonArray d) {
        List<double[]> pts = new ArrayList<>();
        if (d == null) {
            return pts;
        }
        for (int i = 0; i < d.size(); i++) {
            JsonArray p = d.getJsonArray(i);
            double pct = Math.min(p.getDouble(0), 99.9999);
            pts.add(new double[]{Math.log10(1.0 / (1.0 - pct / 100.0)), p.getDouble(1)});
        }
        return pts;
    }

    private static String percentileChart(List<Series> series) {
        return chart(series, "percentile", "ms", true);
    }

    private static String lineChart(List<Series> series, String xLabel, String yLabel, boolean pctAxis) {
        return chart(series, xLabel, yLabel, pctAxis);
    }

    private static String chart(List<Series> series, String xLabel, String yLabel, boolean pctAxis) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        StringBuilder g = new StringBuilder();
        g.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-size=\"11\">", W, H, W, H));
        if (minX == Double.MAX_VALUE) {
            return g.append("<text x=\"20\" y=\"40\">no data</text></svg>").toString();
        }
        if (pctAxis) {
            minX = 0;
            maxX = Math.max(maxX, 3);
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        maxY = niceCeil(maxY == 0 ? 1 : maxY);
        double pw = W - L - R, ph = H - T - B;
        final double fMinX = minX, fMaxX = maxX, fMaxY = maxY;
        java.util.function.DoubleUnaryOperator sx = x -> L + (x - fMinX) / (fMaxX - fMinX) * pw;
        java.util.function.DoubleUnaryOperator sy = y -> T + ph - y / fMaxY * ph;
        g.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>", L, T, pw, ph));
        for (int i = 0; i <= 5; i++) {
            double y = maxY * i / 5;
            double py = sy.applyAsDouble(y);
            g.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    L, L + pw, py, py, L - 4, py + 4, num(y)));
        }
        if (pctAxis) {
            String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
            for (int i = 0; i <= (int) Math.ceil(maxX) && i < labels.length; i++) {
                double px = sx.applyAsDouble(i);
                g.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.0f\" stroke=\"#eee\"/><text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>",
                        px, px, T, T + ph, px, T + ph + 14, labels[i]));
            }
        } else {
            for (int i = 0; i <= 6; i++) {
                double x = minX + (maxX - minX) * i / 6;
                double px = sx.applyAsDouble(x);
                g.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>", px, T + ph + 14, num(x)));
            }
        }
        g.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>", L + pw / 2, H - 6, esc(xLabel)));
        g.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.0f\" transform=\"rotate(-90 12 %.0f)\" text-anchor=\"middle\">%s</text>", T + ph / 2, T + ph / 2, esc(yLabel)));
        int ci = 0;
        for (Series s : series) {
            String color = COLORS[ci % COLORS.length];
            StringBuilder d = new StringBuilder();
            for (double[] p : s.points) {
                d.append(d.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(p[0]), sy.applyAsDouble(p[1])));
            }
            if (d.length() > 0) {
                g.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.6\"/>");
            }
            g.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.0f\" y=\"%d\">%s</text>",
                    L + 10.0 + (ci % 5) * 135, T + 6 + (ci / 5) * 14, color, L + 24.0 + (ci % 5) * 135, T + 15 + (ci / 5) * 14, esc(s.name)));
            ci++;
        }
        return g.append("</svg>").toString();
    }

    private static double niceCeil(double v) {
        double e = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * e >= v) {
                return m * e;
            }
        }
        return 10 * e;
    }

    private static String num(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
