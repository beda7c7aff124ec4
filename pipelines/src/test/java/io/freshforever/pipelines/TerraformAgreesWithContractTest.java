package io.freshforever.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.contract.EventContract;
import io.freshforever.lake.LakeFlush;
import io.freshforever.lake.connect.LakeSinkConfig;
import io.freshforever.lake.connect.LakeSinkConnector;
import io.freshforever.pipelines.batch.BatchPipelineOptions;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.transforms.FreshMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Every file of terraform/ parses (with @cdktf/hcl2json: terraform itself cannot be installed
 * here; .ci/run installs the npm package), and the infrastructure agrees with the contract the
 * code implements: names, the serving store's GC policy, the warehouse schemas and partitioning,
 * the lake's protections and the jobs' permissions.
 */
public class TerraformAgreesWithContractTest {
  private static final Path TERRAFORM = Path.of("..", "terraform");
  private static final Path TOOLS = TERRAFORM.resolve("tools");
  private static JsonNode files;

  @BeforeClass
  public static void parseEveryFile() throws Exception {
    if (!Files.isDirectory(TOOLS.resolve("node_modules/@cdktf/hcl2json"))) {
      throw new IllegalStateException(
          "terraform/tools has no node_modules: run .ci/run (or `npm ci --prefix terraform/tools`)");
    }
    Process node =
        new ProcessBuilder("node", TOOLS.resolve("hcl2json.mjs").toString(), TERRAFORM.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = node.getInputStream().readAllBytes();
    assertEquals("every .tf file parses", 0, node.waitFor());
    files = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
  }

  /** Every block of {@code kind} and {@code type} (e.g. resource, google_bigtable_table) in any file. */
  private static List<JsonNode> blocks(String kind, String type) {
    List<JsonNode> found = new ArrayList<>();
    files.forEach(file -> file.path(kind).path(type).forEach(named -> named.forEach(found::add)));
    return found;
  }

  private static JsonNode only(String kind, String type) {
    List<JsonNode> found = blocks(kind, type);
    assertEquals(kind + " " + type, 1, found.size());
    return found.get(0);
  }

  private static Map<String, JsonNode> locals() {
    Map<String, JsonNode> locals = new TreeMap<>();
    files.forEach(file -> file.path("locals").forEach(block -> block.fields().forEachRemaining(e -> locals.put(e.getKey(), e.getValue()))));
    return locals;
  }

  private static JsonNode variableDefault(String name) {
    return variable(name).get("default");
  }

  @Test
  public void everyTerraformFileIsParsed() throws IOException {
    try (var listing = Files.list(TERRAFORM)) {
      List<String> tf = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tf")).sorted().toList();
      assertFalse(tf.isEmpty());
      tf.forEach(name -> assertTrue(name + " parsed", files.has(name)));
    }
  }

  @Test
  public void kafkaTopicIsTheContractsWithPartitionsFromThePeakRate() {
    assertEquals(EventContract.TOPIC, locals().get("topic").asText());
    JsonNode topic = only("resource", "google_managed_kafka_topic");
    assertEquals("${local.topic}", topic.get("topic_id").asText());
    assertEquals("${local.kafka_partitions}", topic.get("partition_count").asText());
    assertTrue(locals().get("kafka_partitions").asText().contains("var.peak_events_per_second"));
    assertEquals(175000, variableDefault("peak_events_per_second").asInt());
    assertEquals("the broker's clock", "LogAppendTime", topic.get("configs").get("message.timestamp.type").asText());
  }

  @Test
  public void bigtableTableFamilyAndGcPolicyAreTheContracts() {
    assertEquals(LiveRow.TABLE, locals().get("bigtable_table").asText());
    assertEquals(LiveRow.FAMILY, locals().get("bigtable_family").asText());
    JsonNode table = only("resource", "google_bigtable_table");
    assertEquals("${local.bigtable_table}", table.get("name").asText());
    assertEquals("${local.bigtable_family}", table.get("column_family").get(0).get("family").asText());
    String gc = only("resource", "google_bigtable_gc_policy").get("gc_rules").asText().replaceAll("\\s+", " ");
    assertTrue(gc, gc.contains("mode = \"union\""));
    assertTrue(gc, gc.contains("{ max_age = \"${var.live_retention_hours}h\" }"));
    assertTrue(gc, gc.contains("{ max_version = 1 }"));
    assertEquals(EventContract.LIVE_RETENTION_HOURS, variableDefault("live_retention_hours").asLong());
    JsonNode autoscaling = only("resource", "google_bigtable_instance").get("cluster").get(0).get("autoscaling_config");
    assertTrue("Bigtable autoscales", autoscaling != null && autoscaling.size() == 1);
  }

  @Test
  public void warehouseTablesUseTheSameSchemaFilesAndPartitioning() {
    JsonNode tables = locals().get("warehouse_tables");
    String contractDir = locals().get("contract_dir").asText().replace("${path.module}", TERRAFORM.toString());
    for (WarehouseTable table : WarehouseTable.values()) {
      JsonNode t = tables.get(table.tableName());
      assertTrue("terraform has table " + table.tableName(), t != null);
      assertEquals(table.partitionColumn(), t.get("partition_field").asText());
      Path schema = Path.of(t.get("schema_file").asText().replace("${local.contract_dir}", contractDir));
      assertTrue("the schema file the Java code loads: " + schema, Files.isRegularFile(schema));
      assertTrue(schema.getFileName().toString().startsWith("warehouse_"));
    }
    assertEquals(WarehouseTable.values().length, tables.size());
    JsonNode resource = only("resource", "google_bigquery_table");
    assertEquals("${file(each.value.schema_file)}", resource.get("schema").asText());
    assertEquals("${each.key}", resource.get("table_id").asText());
    assertEquals("[\"" + WarehouseTable.CLUSTERING_COLUMN + "\"]", resource.get("clustering").toString());
    assertTrue(resource.get("require_partition_filter").asBoolean());
    JsonNode partitioning = resource.get("time_partitioning").get(0);
    assertEquals("DAY", partitioning.get("type").asText());
    assertEquals("${each.value.partition_field}", partitioning.get("field").asText());
  }

  @Test
  public void theLakeIsPrivateVersionedAndNeverDeletesALiveObject() {
    JsonNode lake = null;
    for (JsonNode bucket : blocks("resource", "google_storage_bucket")) {
      if (bucket.get("name").asText().endsWith("-lake")) {
        lake = bucket;
      }
    }
    assertTrue("a lake bucket", lake != null);
    assertTrue(lake.get("uniform_bucket_level_access").asBoolean());
    assertEquals("enforced", lake.get("public_access_prevention").asText());
    assertTrue(lake.get("versioning").get(0).get("enabled").asBoolean());
    List<String> classes = new ArrayList<>();
    for (JsonNode rule : lake.get("lifecycle_rule")) {
      JsonNode action = rule.get("action").get(0);
      JsonNode condition = rule.get("condition").get(0);
      if (action.get("type").asText().equals("Delete")) {
        assertEquals("only superseded versions are deleted", "ARCHIVED", condition.get("with_state").asText());
      } else {
        classes.add(action.get("storage_class").asText());
      }
    }
    assertEquals(List.of("NEARLINE", "COLDLINE", "ARCHIVE"), classes);
    assertTrue(variableDefault("lake_years").asInt() >= 3);
  }

  @Test
  public void eachJobHasOnlyItsOwnPermissionsAndThereAreNoKeys() {
    Map<String, List<String>> roles = new TreeMap<>();
    for (String type : List.of("google_project_iam_member", "google_bigtable_instance_iam_member",
        "google_storage_bucket_iam_member", "google_bigquery_dataset_iam_member")) {
      for (JsonNode grant : blocks("resource", type)) {
        String member = grant.get("member").asText();
        String account = member.contains("google_service_account.") ? member.replaceAll(".*google_service_account\\.([a-z_]+)\\..*", "$1") : member;
        if (member.contains("each.value")) {
          grant.get("for_each").fields().forEachRemaining(
              e -> roles.computeIfAbsent(e.getValue().asText().replaceAll(".*google_service_account\\.([a-z_]+)\\..*", "$1"), k -> new ArrayList<>()).add(grant.get("role").asText()));
        } else {
          roles.computeIfAbsent(account, k -> new ArrayList<>()).add(grant.get("role").asText());
        }
      }
    }
    assertTrue(roles.toString(), roles.get("streaming").stream().noneMatch(r -> r.contains("bigquery")));
    assertTrue(roles.get("streaming").contains("roles/bigtable.user"));
    assertTrue(roles.get("batch").contains("roles/bigquery.dataEditor"));
    assertTrue(roles.get("batch").stream().noneMatch(r -> r.contains("bigtable")));
    assertEquals(List.of("roles/bigtable.reader"), roles.get("dashboard"));
    assertEquals(List.of("roles/bigquery.dataViewer", "roles/bigquery.jobUser"), roles.get("${var.analysts_group}").stream().sorted().toList());
    assertTrue("no service account keys", blocks("resource", "google_service_account_key").isEmpty());
  }

  @Test
  public void alertsWatchThePipelinesOwnCountersByTheNamesTheCodeGivesThem() {
    JsonNode alerts = locals().get("alerts");
    assertEquals(List.of("dead_letter_rate", "live_view_stale", "too_late_rate"),
        iterate(alerts.fieldNames()).stream().sorted().toList());
    String read = "metric_name=\"" + FreshMetrics.RECORDS_READ + "\"";
    String deadLetters = alerts.get("dead_letter_rate").get("query").asText();
    assertTrue(deadLetters, deadLetters.contains("metric_name=\"" + FreshMetrics.DEAD_LETTERS + "\"") && deadLetters.contains(read));
    String tooLate = alerts.get("too_late_rate").get("query").asText();
    assertTrue(tooLate, tooLate.contains(FreshMetrics.TOO_LATE_AT_DEDUP + "|droppedDueToLateness") && tooLate.contains(read));
    JsonNode policy =
        blocks("resource", "google_monitoring_alert_policy").stream()
            .filter(p -> p.path("for_each").asText().equals("${local.alerts}"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the streaming job's alert policies"));
    assertEquals("${each.value.query}",
        policy.get("conditions").get(0).get("condition_prometheus_query_language").get(0).get("query").asText());
  }

  @Test
  public void everyJobParameterIsAnOptionOfItsPipeline() {
    JsonNode streaming = only("resource", "google_dataflow_flex_template_job").get("parameters");
    List<String> streamingParameters = iterate(streaming.fieldNames());
    assertTrue(streamingParameters.containsAll(List.of("kafkaBootstrapServers", "bigtableProject", "bigtableInstance", "lake")));
    streamingParameters.forEach(name -> assertTrue("the streaming job's parameter " + name + " is an option of StreamingPipelineOptions",
        isOption(StreamingPipelineOptions.class, name)));
    // A secret terraform keeps: the same on every update and restart of the job (32 hex digits).
    assertEquals("${random_id.dedup_secret.hex}", streaming.get("dedupSecret").asText());
    assertEquals(16, only("resource", "random_id").get("byte_length").asInt());

    String launch = only("resource", "google_cloud_scheduler_job").get("http_target").get(0).get("body").asText();
    Matcher parameters = Pattern.compile("(?s)parameters\\s*=\\s*\\{(.*?)\\n\\s*\\}").matcher(launch);
    assertTrue(launch, parameters.find());
    List<String> batchParameters = new ArrayList<>();
    Matcher name = Pattern.compile("(?m)^\\s*(\\w+)\\s*=").matcher(parameters.group(1));
    while (name.find()) {
      batchParameters.add(name.group(1));
    }
    // No range: the scheduled load takes exactly the lake days changed since their last load.
    assertEquals(List.of("lake", "warehouse"), batchParameters);
    batchParameters.forEach(p -> assertTrue("the batch job's parameter " + p + " is an option of BatchPipelineOptions",
        isOption(BatchPipelineOptions.class, p)));
  }

  @Test
  public void theLakeConnectorIsTheCodesAndTakesOnlySettingsItKnows() {
    JsonNode connector = null;
    for (JsonNode manifest : blocks("resource", "kubernetes_manifest")) {
      if (manifest.get("manifest").get("kind").asText().equals("KafkaConnector")) {
        connector = manifest.get("manifest").get("spec");
      }
    }
    assertTrue("a KafkaConnector", connector != null);
    assertEquals(LakeSinkConnector.class.getName(), connector.get("class").asText());
    assertEquals("${local.lake_connector_config}", connector.get("config").asText());
    JsonNode config = locals().get("lake_connector_config");
    Set<String> known = new TreeSet<>(LakeSinkConfig.DEFINITION.names());
    known.addAll(List.of("topics", "key.converter", "value.converter"));
    iterate(config.fieldNames()).forEach(key -> assertTrue("the lake connector knows " + key,
        known.contains(key) || key.startsWith("consumer.override.")));
    assertEquals("${local.topic}", config.get("topics").asText());
    assertEquals("org.apache.kafka.connect.converters.ByteArrayConverter", config.get("value.converter").asText());
    assertEquals("gs://${google_storage_bucket.lake.name}", config.get(LakeSinkConfig.LAKE_ROOT).asText());
    assertEquals(LakeFlush.TEMP_FOLDER + "/", locals().get("lake_temp_prefix").asText());
  }

  @Test
  public void theLakeConnectorCanNeitherReplaceNorDeleteAPublishedFile() {
    List<String> unconditioned = new ArrayList<>();
    List<String> conditions = new ArrayList<>();
    for (JsonNode grant : blocks("resource", "google_storage_bucket_iam_member")) {
      if (!grant.get("member").asText().contains("google_service_account.lake_connector.")) {
        continue;
      }
      if (grant.has("condition")) {
        assertEquals("roles/storage.objectUser", grant.get("role").asText());
        conditions.add(grant.get("condition").get(0).get("expression").asText());
      } else {
        unconditioned.add(grant.get("for_each").asText());
      }
    }
    // Creating cannot replace (that needs storage.objects.delete), viewing cannot change anything.
    assertEquals(List.of("${toset([\"roles/storage.objectCreator\", \"roles/storage.objectViewer\"])}"), unconditioned);
    assertEquals(List.of("resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.lake.name}/objects/${local.lake_temp_prefix}\")"),
        conditions);
  }

  @Test
  public void theLakeLagAlertWatchesTheConnectorsConsumerGroup() {
    assertEquals("connect-${local.lake_connector}", locals().get("lake_consumer_group").asText());
    JsonNode lag = null;
    for (JsonNode policy : blocks("resource", "google_monitoring_alert_policy")) {
      if (policy.get("display_name").asText().contains("lake connector lag")) {
        lag = policy;
      }
    }
    assertTrue("a lake lag alert", lag != null);
    String query = lag.get("conditions").get(0).get("condition_prometheus_query_language").get(0).get("query").asText();
    assertTrue(query, query.contains("managedkafka_googleapis_com:offset_lag{"));
    assertTrue(query, query.contains("consumer_group_id=\"${local.lake_consumer_group}\""));
  }

  @Test
  public void templatesAreReadOnlyToTheJobsTheLakeIsNotDeletableByItsWritersAndWorkersArePrivate() {
    JsonNode templates = bucket("-templates");
    assertTrue("templates are versioned", templates.get("versioning").get(0).get("enabled").asBoolean());
    assertTrue("nothing expires a template", templates.path("lifecycle_rule").isMissingNode());
    for (JsonNode grant : blocks("resource", "google_storage_bucket_iam_member")) {
      String bucket = grant.get("bucket").asText();
      if (bucket.equals("${google_storage_bucket.templates.name}")) {
        assertEquals("the jobs only read templates", "roles/storage.objectViewer", grant.get("role").asText());
      }
      if (bucket.equals("${google_storage_bucket.lake.name}") && !grant.has("condition")) {
        String roles = grant.has("for_each") && grant.get("role").asText().equals("${each.value}")
            ? grant.get("for_each").asText() : grant.get("role").asText();
        assertTrue("no unconditioned grant on the lake may replace or delete: " + roles,
            !roles.contains("objectUser") && !roles.contains("objectAdmin") && !roles.contains("storage.admin"));
      }
    }
    assertEquals("WORKER_IP_PRIVATE", only("resource", "google_dataflow_flex_template_job").get("ip_configuration").asText());
    String launch = only("resource", "google_cloud_scheduler_job").get("http_target").get(0).get("body").asText();
    assertTrue(launch, launch.contains("ipConfiguration     = \"WORKER_IP_PRIVATE\""));
    String validation = variable("analysts_group").get("validation").get(0).get("condition").asText();
    assertTrue(validation, validation.contains("^group:"));
  }

  private static JsonNode bucket(String suffix) {
    for (JsonNode bucket : blocks("resource", "google_storage_bucket")) {
      if (bucket.get("name").asText().endsWith(suffix)) {
        return bucket;
      }
    }
    throw new AssertionError("no bucket *" + suffix);
  }

  private static JsonNode variable(String name) {
    for (JsonNode file : files) {
      JsonNode variable = file.path("variable").path(name);
      if (!variable.isMissingNode()) {
        return variable.get(0);
      }
    }
    throw new AssertionError("no variable " + name);
  }

  private static boolean isOption(Class<?> options, String name) {
    String property = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (String prefix : List.of("get", "is")) {
      try {
        options.getMethod(prefix + property);
        return true;
      } catch (NoSuchMethodException notThisOne) {
        // try the next prefix
      }
    }
    return false;
  }

  private static List<String> iterate(java.util.Iterator<String> names) {
    List<String> all = new ArrayList<>();
    names.forEachRemaining(all::add);
    return all;
  }
}
