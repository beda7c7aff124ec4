package io.freshforever.lake.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The lake writer as a Kafka Connect sink: every record of the ingest log into the Parquet lake,
 * valid events under {@code events/}, everything else under {@code dlq/} with its reason, however
 * late, whatever kills a worker. Connect spreads the topic's partitions over {@code tasks.max}
 * tasks on its workers, moves them when a worker leaves, and commits for each partition only the
 * offset a task returns from {@code preCommit}: the end of what it has published ({@link
 * LakeSinkTask}). Settings: {@link LakeSinkConfig}.
 */
public final class LakeSinkConnector extends SinkConnector {
  private Map<String, String> settings;

  @Override
  public void start(Map<String, String> props) {
    new LakeSinkConfig(props); // fails the connector, with the setting named, before any task starts
    settings = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LakeSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> tasks = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      tasks.add(settings);
    }
    return tasks;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return LakeSinkConfig.DEFINITION;
  }

  /** The lake's settings and the connector's own (topic, converter): a worker refuses either when the connector is created. */
  @Override
  public Config validate(Map<String, String> settings) {
    List<ConfigValue> values = new ArrayList<>(super.validate(settings).configValues());
    LakeSinkConfig.connectorProblems(settings).forEach((name, problem) -> {
      ConfigValue value = new ConfigValue(name);
      value.value(settings.get(name));
      value.addErrorMessage(problem);
      values.add(value);
    });
    return new Config(values);
  }

  @Override
  public String version() {
    return version(LakeSinkConnector.class);
  }

  /** The jar's Implementation-Version (the project's version), or "dev" when run from classes. */
  static String version(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
