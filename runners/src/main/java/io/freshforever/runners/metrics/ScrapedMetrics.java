package io.freshforever.runners.metrics;

import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of a {@link MetricsEndpoint}, read in the pipeline's own metric names whichever runner
 * serves it: {@code fresh_<name>_total} from the DirectRunner's endpoint, {@code
 * flink_taskmanager_job_task_operator_fresh_<name>} (one series per operator subtask) from Flink's
 * reporter. Values are summed over series.
 */
public final class ScrapedMetrics {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Sample(String name, String labels, double value) {
    /** A label's value, "" if absent: Flink's reporter has already replaced quotes and spaces. */
    String label(String label) {
      int at = labels.indexOf(label + "=\"");
      if (at < 0) {
        return "";
      }
      int start = at + label.length() + 2;
      return labels.substring(start, labels.indexOf('"', start));
    }
  }

  private static final String FLINK_OPERATOR_RECORDS = "flink_taskmanager_job_task_operator_numRecords";

  private final List<Sample> samples;

  private ScrapedMetrics(List<Sample> samples) {
    this.samples = samples;
  }

  public static ScrapedMetrics scrape(URI endpoint) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(endpoint + " answered HTTP " + response.statusCode());
    }
    return parse(response.body());
  }

  /** Prometheus' text format: {@code name{labels} value [timestamp]} per line, {@code #} comments. */
  static ScrapedMetrics parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int labels = line.indexOf('{');
      int space = labels < 0 ? line.indexOf(' ') : line.indexOf(' ', line.lastIndexOf('}'));
      String name = line.substring(0, labels < 0 ? space : labels);
      String[] rest = line.substring(space + 1).trim().split(" ");
      samples.add(new Sample(name, labels < 0 ? "" : line.substring(labels, space), value(rest[0])));
    }
    return new ScrapedMetrics(samples);
  }

  /** The format's spellings of infinity are not Java's; NaN is the same. */
  private static double value(String text) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        return Double.parseDouble(text);
    }
  }

  /** One of {@link FreshMetrics}' counters, e.g. {@link FreshMetrics#DEAD_LETTERS}. */
  public long counter(String name) {
    return sum(own(name));
  }

  /** As {@link FreshMetrics#tooLateForLiveView}: dropped at dedup plus the runner's lateness drops. */
  public long tooLateForLiveView() {
    return counter(FreshMetrics.TOO_LATE_AT_DEDUP)
        + sum(base -> base.toLowerCase(Locale.ROOT).endsWith("droppedduetolateness"));
  }

  /**
   * Flink's own count of the records into ({@code "In"}) or out of ({@code "Out"}) a step's
   * operator, per subtask: live in a batch run, where Beam's counters arrive only when it ends.
   * Flink names the operator after the step, {@code /} as {@code _} (e.g. {@code
   * ReadLakeEvents_ReadRows_out0}, the main output of {@code ReadLakeEvents/ReadRows}); names cut
   * at 80 characters do not match. A finished subtask's series are gone.
   */
  public Map<String, Long> flinkRecords(String direction, String step) {
    String metric = FLINK_OPERATOR_RECORDS + direction;
    String operator = "_at_" + step + "_";
    Map<String, Long> bySubtask = new TreeMap<>();
    for (Sample sample : samples) {
      if (sample.name().equals(metric) && sample.label("operator_name").endsWith(operator)) {
        bySubtask.merge(sample.label("subtask_index"), Math.round(sample.value()), Long::sum);
      }
    }
    return bySubtask;
  }

  /** The largest value of one of the pipeline's gauges over its series; empty before any. */
  public OptionalLong gaugeMax(String name) {
    Predicate<String> own = own(name);
    return samples.stream().filter(s -> own.test(s.name())).mapToLong(s -> Math.round(s.value())).max();
  }

  private static Predicate<String> own(String name) {
    String own = FreshMetrics.NAMESPACE + "_" + name;
    return base -> base.equals(own) || base.endsWith("_" + own);
  }

  /** The pipeline's own series, for a message. */
  @Override
  public String toString() {
    return samples.stream().filter(s -> s.name().contains(FreshMetrics.NAMESPACE + "_")).toList().toString();
  }

  private long sum(Predicate<String> baseName) {
    double total = 0;
    for (Sample sample : samples) {
      String base = sample.name().endsWith("_total") ? sample.name().substring(0, sample.name().length() - 6) : sample.name();
      if (baseName.test(base)) {
        total += sample.value();
      }
    }
    return Math.round(total);
  }
}
