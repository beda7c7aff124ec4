package io.freshforever.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshforever.runners.stack.Rest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Flink cluster's REST API ({@code host:port}, as {@code --flinkMaster} names it): which jobs run,
 * and cancelling one, the explicit command that is the only way {@code fresh} stops a cluster job.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String master;

  public FlinkRest(String master) {
    this.master = master;
  }

  /** A job as {@code /jobs/overview} lists it. */
  public record Job(String id, String name, String state) {}

  /** GET on the API; empty while it does not answer. */
  public String get(String path) {
    return Rest.getOrEmpty("http://" + master + path);
  }

  public List<Job> jobs() {
    List<Job> jobs = new ArrayList<>();
    String body = get("/jobs/overview");
    if (body.isEmpty()) {
      return jobs;
    }
    try {
      for (JsonNode job : JSON.readTree(body).path("jobs")) {
        jobs.add(new Job(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("Flink at " + master + " answered /jobs/overview with " + body, e);
    }
    return jobs;
  }

  /** Jobs not yet ended (running, restarting, being created...). */
  public List<Job> activeJobs() {
    return jobs().stream()
        .filter(j -> !List.of("FINISHED", "CANCELED", "FAILED").contains(j.state()))
        .toList();
  }

  /** The id of the active job named {@code name}, waiting up to 30 s for it to be listed. */
  public Optional<String> idOf(String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> id = activeJobs().stream().filter(j -> j.name().equals(name)).map(Job::id).findFirst();
      if (id.isPresent()) {
        return id;
      }
      Thread.sleep(500);
    }
    return Optional.empty();
  }

  /** Cancels job {@code id}; its retained checkpoints stay for the next start to resume from. */
  public void cancel(String id) {
    HttpResponse<String> response =
        Rest.send(HttpRequest.newBuilder(URI.create("http://" + master + "/jobs/" + id + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Flink at " + master + " did not cancel job " + id + ": " + response.body());
    }
  }
}
