package io.freshforever.runners.bench.nativeflink;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The live view's trigger written for Flink: a pane {@code period} of processing time after the
 * first element since the last pane (early, and late within the allowed lateness), and one when the
 * watermark passes the window's end. Panes accumulate ({@code FIRE}, never purge), as the Beam
 * pipeline's {@code accumulatingFiredPanes()}.
 */
final class EarlyAndLateFirings extends Trigger<Object, TimeWindow> {
  private static final ValueStateDescriptor<Long> PENDING =
      new ValueStateDescriptor<>("pending-firing", Long.class);

  private final long periodMillis;

  EarlyAndLateFirings(long periodMillis) {
    this.periodMillis = periodMillis;
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx)
      throws Exception {
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
      ctx.registerEventTimeTimer(window.maxTimestamp());
    }
    ValueState<Long> pending = ctx.getPartitionedState(PENDING);
    if (pending.value() == null) {
      long at = ctx.getCurrentProcessingTime() + periodMillis;
      ctx.registerProcessingTimeTimer(at);
      pending.update(at);
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
    ctx.getPartitionedState(PENDING).clear();
    return TriggerResult.FIRE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
    return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
    ValueState<Long> pending = ctx.getPartitionedState(PENDING);
    if (pending.value() != null) {
      ctx.deleteProcessingTimeTimer(pending.value());
    }
    pending.clear();
  }
}
