package io.freshforever.runners;

import io.freshforever.contract.EventContract;
import io.freshforever.runners.stack.Reachability;
import io.freshforever.runners.generate.EventGenerator;
import io.freshforever.runners.generate.Expectations;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Produces realistic events into Kafka: fresh ones, retried duplicates, late and too-late ones,",
      "and bad records. With --expected it keeps a file of the exact counts the pipelines must show."
    })
final class GenerateCommand implements Callable<Integer> {
  /** Where the rate options' defaults come from; its servers and topic are the options below. */
  private static final EventGenerator.Settings DEFAULT_MIX = EventGenerator.Settings.defaultMix(null, null);

  @Option(names = "--kafkaBootstrapServers", description = "Kafka (default: ${DEFAULT-VALUE}).")
  String bootstrapServers = EventContract.LOCAL_KAFKA;

  @Option(names = "--kafkaTopic", description = "Topic (default: ${DEFAULT-VALUE}).")
  String topic = EventContract.TOPIC;

  @Option(names = "--rate", description = "Records per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate = 1000;

  @Option(names = "--count", description = "Stop after this many records.")
  Long count;

  @Option(names = "--duration", description = "Stop after this long, e.g. 90s, 2m, 1h (default: until Ctrl-C or --count).")
  String duration;

  @Option(names = "--duplicateRate", description = "Fraction of records that are retried copies (default: ${DEFAULT-VALUE}).")
  double duplicateRate = DEFAULT_MIX.duplicateRate();

  @Option(names = "--lateRate", description = "Fraction of events late but within grace (default: ${DEFAULT-VALUE}).")
  double lateRate = DEFAULT_MIX.lateRate();

  @Option(names = "--tooLateRate", description = "Fraction of events beyond grace (default: ${DEFAULT-VALUE}).")
  double tooLateRate = DEFAULT_MIX.tooLateRate();

  @Option(names = "--badRate", description = "Fraction of bad records (default: ${DEFAULT-VALUE}).")
  double badRate = DEFAULT_MIX.badRate();

  @Option(names = "--eventTypes", split = ",", description = "Event types (default: ${DEFAULT-VALUE}).")
  List<String> eventTypes = EventGenerator.DEFAULT_TYPES;

  @Option(
      names = "--seed",
      description = "Random seed, to repeat a run exactly (default: a new one each run, printed: two runs"
          + " with one seed send the same event ids, which the pipelines rightly treat as duplicates).")
  Long seed;

  @Option(names = "--allowedLatenessSeconds", description = "The pipeline's grace period (default: ${DEFAULT-VALUE}).")
  long allowedLatenessSeconds = DEFAULT_MIX.allowedLateness().getStandardSeconds();

  @Option(names = "--expected", description = "JSON file of the exact expected counts, rewritten every second.")
  Path expected;

  @Override
  public Integer call() throws Exception {
    for (String type : eventTypes) {
      if (!EventContract.EVENT_TYPE_PATTERN.matcher(type).matches()) {
        System.err.println("fresh generate: --eventTypes: " + type + " does not match " + EventContract.EVENT_TYPE_PATTERN);
        return 2;
      }
    }
    if (rate < 0) {
      System.err.println("fresh generate: --rate must be 0 or more");
      return 2;
    }
    long deadline;
    try {
      deadline =
          duration == null
              ? Long.MAX_VALUE
              : System.currentTimeMillis() + parseDuration(duration).getMillis();
    } catch (IllegalArgumentException e) {
      System.err.println("fresh generate: --duration: " + e.getMessage());
      return 2;
    }
    Reachability.kafka(bootstrapServers, topic, null);
    long limit = count == null ? Long.MAX_VALUE : count;
    long runSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
    System.out.println("seed " + runSeed + " (--seed " + runSeed + " repeats this run)");
    EventGenerator.Settings settings =
        EventGenerator.Settings.defaultMix(bootstrapServers, topic)
            .withEventTypes(eventTypes)
            .withDuplicateRate(duplicateRate)
            .withLateRate(lateRate)
            .withTooLateRate(tooLateRate)
            .withBadRate(badRate)
            .withAllowedLateness(Duration.standardSeconds(allowedLatenessSeconds))
            .withWarmUp(Duration.standardSeconds(5))
            .withSeed(runSeed);
    try (EventGenerator generator = new EventGenerator(settings)) {
      Expectations expectations = generator.expectations();
      long start = System.currentTimeMillis();
      generator.produce(limit, rate, deadline, () -> report(expectations, start));
      report(expectations, start);
    }
    return 0;
  }

  private void report(Expectations e, long start) {
    double seconds = Math.max(0.001, (System.currentTimeMillis() - start) / 1000.0);
    System.out.printf(
        "produced %,d (%.0f/s): %,d duplicates, %,d too late, %,d bad%n",
        e.produced(), e.produced() / seconds, e.duplicates(), e.tooLate(),
        e.deadLetters().values().stream().mapToLong(Long::longValue).sum());
    if (expected != null) {
      try {
        e.writeTo(expected);
      } catch (java.io.IOException failed) {
        throw new java.io.UncheckedIOException("could not write " + expected, failed);
      }
    }
  }

  static Duration parseDuration(String text) {
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    switch (text.charAt(text.length() - 1)) {
      case 's':
        return Duration.standardSeconds(amount);
      case 'm':
        return Duration.standardMinutes(amount);
      case 'h':
        return Duration.standardHours(amount);
      default:
        throw new IllegalArgumentException("durations look like 90s, 2m or 1h, not " + text);
    }
  }
}
