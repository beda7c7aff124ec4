package io.freshforever.runners.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.LiveRows;
import io.freshforever.runners.live.LiveCounts;
import io.freshforever.runners.stack.LocalBigtable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs), against the emulator: the chart and counts appear, and change
 * as the live view is written.
 */
public class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private LocalBigtable bigtable;
  private LiveCounts live;
  private Dashboard dashboard;
  private PipelineHealth pipeline;
  private ChromeDriver browser;

  @Before
  public void start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "the browser test needs Debian's chromium and chromium-driver: run .ci/run, which installs them");
    }
    bigtable = LocalBigtable.startOnFreePort();
    live = LiveCounts.connect(EventContract.LOCAL_BIGTABLE_PROJECT, EventContract.LOCAL_BIGTABLE_INSTANCE, LiveRow.TABLE, bigtable.host());
    pipeline = new PipelineHealth(URI.create("http://localhost:9/metrics")); // fed by the test, never scraped
    dashboard = Dashboard.start("localhost", 0, live, EventContract.DEFAULT_ALLOWED_LATENESS, Dashboard.DEFAULT_STALE_AFTER, pipeline);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1400,900");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
  }

  @After
  public void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (dashboard != null) {
      dashboard.close();
      live.close();
      bigtable.close();
    }
  }

  /** Each bar of a type's chart as [count, class, height], oldest first. */
  @SuppressWarnings("unchecked")
  private List<List<String>> bars(String type) {
    return (List<List<String>>)
        browser.executeScript(
            "return [...document.querySelectorAll('.panel[data-type=\"' + arguments[0] + '\"] rect.bar')]"
                + ".map(b => [b.dataset.count, b.getAttribute('class'), b.getAttribute('height')]);",
            type);
  }

  /** A panel's current count, looked up anew: a new type redraws every panel. */
  private static String currentOf(WebDriver browser, String type) {
    return browser.findElement(By.cssSelector(".panel[data-type=" + type + "] .current")).getText();
  }

  @Test
  public void chartAndCountsAppearAndFollowNewCounts() throws Exception {
    Instant now = Instant.now();
    Instant minute = new Instant(now.getMillis() - now.getMillis() % 60_000);
    try (LiveRows rows = new LiveRows(bigtable)) {
      rows.write("click", minute, 120, now, PaneInfo.Timing.EARLY, 1);
      rows.write("click", minute.minus(org.joda.time.Duration.standardMinutes(1)), 300, now, PaneInfo.Timing.ON_TIME, 5);
      rows.write("view", minute, 7, now, PaneInfo.Timing.EARLY, 1);

      browser.get("http://localhost:" + dashboard.port() + "/");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class); // panels are redrawn every second
      wait.until(b -> b.findElements(By.cssSelector(".panel[data-type=view] .current")).size() == 1);
      wait.until(b -> currentOf(b, "click").equals("120"));
      // The chart is redrawn every second: read the bars in one script call, never hold them.
      List<List<String>> bars = bars("click");
      assertEquals(2, bars.size());
      assertEquals("300", bars.get(0).get(0));
      assertEquals("120", bars.get(1).get(0));
      assertTrue(bars.get(0).get(1).contains("open"));
      assertEquals("7", browser.findElement(By.cssSelector(".panel[data-type=view] .current")).getText());
      double firstHeight = Double.parseDouble(bars.get(1).get(2));

      rows.write("click", minute, 450, Instant.now(), PaneInfo.Timing.EARLY, 2); // a new pane arrives
      rows.write("search", minute, 5, Instant.now(), PaneInfo.Timing.EARLY, 1); // and a new type

      wait.until(b -> currentOf(b, "click").equals("450"));
      wait.until(b -> b.findElements(By.cssSelector(".panel[data-type=search]")).size() == 1);
      wait.until(b -> bars("click").get(1).get(0).equals("450"));
      assertTrue(Double.parseDouble(bars("click").get(1).get(2)) > firstHeight);
      assertTrue(browser.findElement(By.id("status")).getText().startsWith("updated "));

      Path shot = Path.of("target", "dashboard.png");
      Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
  }

  @Test
  public void theStripShowsThePipelinesCountersPerMinute() throws Exception {
    Instant minute = new Instant(Instant.now().getMillis() / 60_000 * 60_000);
    pipeline.record(minute.minus(org.joda.time.Duration.standardSeconds(50)), new PipelineHealth.Totals(1_000, 10, 0, 0, 0));
    pipeline.record(minute.minus(org.joda.time.Duration.standardSeconds(5)), new PipelineHealth.Totals(2_500, 40, 3, 0, 1));
    pipeline.record(minute.plus(org.joda.time.Duration.standardSeconds(5)), new PipelineHealth.Totals(3_000, 45, 3, 2, 1));

    browser.get("http://localhost:" + dashboard.port() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class); // the strip is redrawn every 5 s
    wait.until(b -> b.findElements(By.cssSelector("#pipeline-strip tbody tr")).size() == 5);
    @SuppressWarnings("unchecked")
    List<List<String>> strip = (List<List<String>>) browser.executeScript(
        "return [...document.querySelectorAll('#pipeline-strip tr')]"
            + ".map(r => [...r.children].map(c => c.textContent + (c.className === 'warn' ? '!' : '')));");
    String previous = minute.minus(org.joda.time.Duration.standardMinutes(1)).toString().substring(11, 16);
    String current = minute.toString().substring(11, 16);
    assertEquals(
        List.of(
            List.of("", previous, current),
            List.of("events in", "1,500", "500"),
            List.of("duplicates dropped", "30", "5"),
            List.of("late updates", "3", "0"),
            List.of("too late", "0", "2!"),
            List.of("dead letters", "1!", "0")),
        strip);
    assertEquals("from http://localhost:9/metrics", browser.findElement(By.id("pipeline-source")).getText());
  }

  @Test
  public void theHeaderSaysStaleWithTheReasonWhenTheNewestCountedEventIsOld() throws Exception {
    Instant fiveMinutesAgo = Instant.now().minus(org.joda.time.Duration.standardMinutes(5));
    try (LiveRows rows = new LiveRows(bigtable)) {
      rows.write("click", new Instant(fiveMinutesAgo.getMillis() - fiveMinutesAgo.getMillis() % 60_000), 9,
          fiveMinutesAgo, PaneInfo.Timing.ON_TIME, 3);
    }
    browser.get("http://localhost:" + dashboard.port() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(b -> "stale".equals(b.findElement(By.id("health")).getAttribute("data-status")));
    assertTrue(
        browser.findElement(By.id("health")).getText(),
        browser.findElement(By.id("health")).getText().matches(
            "stale: the newest counted event is 3\\d\\d\\.\\d s old, over the 30 s threshold"));
  }

  @Test
  public void theTotalAddsTheShownTypesAndTheViewIsKeptInTheUrl() throws Exception {
    Instant now = Instant.now();
    Instant minute = new Instant(now.getMillis() - now.getMillis() % 60_000);
    try (LiveRows rows = new LiveRows(bigtable)) {
      rows.write("click", minute, 40, now, PaneInfo.Timing.EARLY, 1);
      rows.write("view", minute, 2, now, PaneInfo.Timing.EARLY, 1);
      rows.write("search", minute, 5, now, PaneInfo.Timing.EARLY, 1);
    }
    browser.get("http://localhost:" + dashboard.port() + "/?minutes=15&types=click,search");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(b -> b.findElement(By.id("total")).getText().equals("45"));
    assertEquals("15", browser.findElement(By.id("minutes")).getAttribute("value"));
    assertEquals(0, browser.findElements(By.cssSelector(".panel[data-type=view]")).size());
    wait.until(b -> "ok".equals(b.findElement(By.id("health")).getAttribute("data-status")));

    wait.until(b -> b.findElements(By.cssSelector("#type-filter input[value=view]")).size() == 1);
    browser.findElement(By.cssSelector("#type-filter input[value=view]")).click();
    wait.until(b -> b.findElement(By.id("total")).getText().equals("47"));
    assertEquals(
        "http://localhost:" + dashboard.port() + "/?minutes=15&types=click%2Csearch%2Cview",
        browser.getCurrentUrl());
    // The y-axis names the highest count of the panel.
    // The chart is redrawn every second: read the ticks in one script call, never hold them.
    assertEquals(List.of("0", "20", "40"), wait.until(b -> {
      List<?> ticks = (List<?>) browser.executeScript(
          "return [...document.querySelectorAll('.panel[data-type=\"click\"] text.y-tick')].map(t => t.textContent);");
      return ticks.size() == 3 ? ticks : null;
    }));
  }
}
