package io.freshforever.pipelines.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.freshforever.pipelines.StreamingPipelineOptions;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.replay.ReplayPipelineOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Assume;
import org.junit.Test;

/**
 * A cluster job inherits the pipelines' defaults: none of them may name a local address. Each job
 * that leaves out where its data lives fails validation and says which flag is missing.
 */
public class NoLocalDefaultsTest {
  private static final String[] STREAMING = {
    "--kafkaBootstrapServers=kafka-1:9092", "--lake=gs://lake/events", "--bigtableProject=p", "--bigtableInstance=i"
  };

  @Test
  public void aStreamingJobThatNamesItsDataValidatesAndUsesTheRealBigtable() {
    Assume.assumeTrue("BIGTABLE_EMULATOR_HOST is set here", System.getenv(LiveStoreOptions.EMULATOR_VARIABLE) == null);
    StreamingPipelineOptions options = parse(StreamingPipelineOptions.class, STREAMING);
    assertEquals("kafka-1:9092", options.getKafkaBootstrapServers());
    assertEquals("", options.getBigtableEmulatorHost());
  }

  @Test
  public void eachWhereaboutOfTheStreamingJobIsRequired() {
    for (String missing : STREAMING) {
      List<String> args = new ArrayList<>(Arrays.asList(STREAMING));
      args.remove(missing);
      String flag = missing.substring(0, missing.indexOf('='));
      IllegalArgumentException error =
          assertThrows(flag, IllegalArgumentException.class,
              () -> parse(StreamingPipelineOptions.class, args.toArray(new String[0])));
      assertThat(error.getMessage(), containsString(flag));
    }
  }

  @Test
  public void batchAndReplayNameTheirLakeWarehouseAndStore() {
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(BatchPipelineOptions.class, "--from=2026-12-01", "--to=2026-12-02", "--lake=/l"))
            .getMessage(),
        containsString("--warehouse"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(BatchPipelineOptions.class, "--from=2026-12-01", "--to=2026-12-02", "--warehouse=duckdb:/w"))
            .getMessage(),
        containsString("--lake"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> parse(ReplayPipelineOptions.class,
                    "--from=2026-12-01T10:00:00Z", "--to=2026-12-01T11:00:00Z", "--lake=/l", "--bigtableInstance=i"))
            .getMessage(),
        containsString("--bigtableProject"));
  }

  private static <T extends PipelineOptions> T parse(Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }
}
