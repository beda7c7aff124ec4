package io.freshforever.runners.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Checks, before a command relies on Kafka, that the broker answers and has the topic. */
public final class Reachability {
  private Reachability() {}

  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  /**
   * @param clientPropertiesFile the consumer's properties (security settings), or null or empty
   * @throws Unreachable when the brokers do not answer within {@link #TIMEOUT} or lack the topic
   */
  public static void kafka(String bootstrapServers, String topic, @Nullable String clientPropertiesFile) {
    int millis = (int) TIMEOUT.toMillis();
    Map<String, Object> config = new HashMap<>();
    if (clientPropertiesFile != null && !clientPropertiesFile.isBlank()) {
      Properties client = new Properties();
      try (Reader in = Files.newBufferedReader(Path.of(clientPropertiesFile))) {
        client.load(in);
      } catch (IOException e) {
        throw new Unreachable("cannot read " + clientPropertiesFile + ": " + e.getMessage(), e);
      }
      client.forEach((key, value) -> config.put((String) key, value));
    }
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    try (Admin admin = Admin.create(config)) {
      admin.describeTopics(Set.of(topic)).allTopicNames().get(millis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new Unreachable("Kafka at " + bootstrapServers + " has no topic " + topic, e);
      }
      throw new Unreachable(kafkaSilent(bootstrapServers), e);
    } catch (TimeoutException e) {
      throw new Unreachable(kafkaSilent(bootstrapServers), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while reaching Kafka at " + bootstrapServers, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new Unreachable("cannot reach Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  private static String kafkaSilent(String bootstrapServers) {
    return "Kafka at " + bootstrapServers + " does not answer within " + TIMEOUT.toSeconds()
        + " s (locally: is `fresh stack` running?)";
  }
}
