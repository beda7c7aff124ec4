package io.freshforever.pipelines.options;

import io.freshforever.contract.EventContract;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where the ingest log is read from, and what its readers accept: every consumer of the log shares these. */
public interface IngestLogOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, host:port[,host:port...]. Required: a job must name its"
      + " cluster (the fresh commands name the local stack's).")
  @Validation.Required
  String getKafkaBootstrapServers();

  void setKafkaBootstrapServers(String value);

  @Description("The ingest topic.")
  @Default.String(EventContract.TOPIC)
  String getKafkaTopic();

  void setKafkaTopic(String value);

  @Description("A Java properties file of extra Kafka consumer settings (e.g. security.protocol,"
      + " sasl.mechanism, sasl.jaas.config for an authenticated cluster); read where the job is"
      + " launched. Empty: none.")
  @Default.String("")
  String getKafkaConsumerPropertiesFile();

  void setKafkaConsumerPropertiesFile(String value);

  @Description("Where a consumer group without committed offsets starts: earliest or latest.")
  @Default.String("earliest")
  String getKafkaStartOffset();

  void setKafkaStartOffset(String value);

  @Description("How far (seconds) event_time may lie ahead of the time the log accepted the record"
      + " before the record is a dead letter (EVENT_TIME_IN_FUTURE).")
  @Default.Long(EventContract.DEFAULT_MAX_FUTURE_SKEW_SECONDS)
  long getMaxFutureSkewSeconds();

  void setMaxFutureSkewSeconds(long value);

  @Description("How far (days) event_time may lie behind the time the log accepted the record before"
      + " the record is a dead letter (EVENT_TIME_TOO_OLD).")
  @Default.Long(EventContract.DEFAULT_MAX_EVENT_AGE_DAYS)
  long getMaxEventAgeDays();

  void setMaxEventAgeDays(long value);
}
